"""Tests of every letter piece: rendered on a realistic case, each fact checked.

A piece is rendered the way the app renders it: the rules choose it for a case and
``build_letter`` assembles the letter. Expected figures come from the sources the
pieces name (``appeals.sources``), worked out by hand.
"""

import re
from datetime import date

import pytest

from appeals import letter as letter_module
from appeals.letter import LetterError, all_piece_ids, build_letter, piece_info
from appeals.rules import decide, default_table
from appeals.sources import SOURCES
from tests.cases import TODAY, line, make_case

LDEX_PAID = line("93702", billed="185.00", paid="120.00")
EM_25 = line("99213", "CO-97", remarks=("M15",), modifiers=("25",), billed="110.00")
EM_NO_25 = line("99213", "CO-97", remarks=("M15",), billed="110.00")
EVAL = line("97161", "CO-97", remarks=("N20",), billed="150.00")
LYMPHEDEMA_DX = ["C50.912", "Z90.12", "I97.2"]
GOOD_CAUSE = "The notice went to a closed office address and reached us on 1 October."
YEAR_2020 = {"service_date": "2020-06-15", "notice_date": "2020-07-20"}
TODAY_2020 = date(2020, 8, 1)

# For each piece, a realistic case for which the rules choose it, and a letter date.
PIECE_CASES = {
    "authorization": (
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-197")],
            "authorization": "PA-778812",
        },
        TODAY,
    ),
    "clinical_history": ({}, TODAY),
    "closing": ({"call_reference": "CR-2026-1101"}, TODAY),
    "diagnosis": (
        {"lines": [line("93702", "CO-11")], "required_diagnoses": ["Z90.12"]},
        TODAY,
    ),
    "em_separate": ({"lines": [LDEX_PAID, EM_25]}, TODAY),
    "evidence": ({}, TODAY),
    "experimental": (
        {"payer_kind": "commercial", "lines": [line("93702", "CO-55")]},
        TODAY,
    ),
    "external_review": (
        {"payer_kind": "commercial", "lines": [line("93702", "CO-55")]},
        TODAY,
    ),
    "frequency": ({"lines": [line("93702", "CO-151")]}, TODAY),
    "general": ({"lines": [line("93702", "CO-ZZ9")]}, TODAY),
    "good_cause": (
        {
            "service_date": "2026-04-15",
            "notice_date": "2026-05-01",
            "good_cause": GOOD_CAUSE,
        },
        TODAY,
    ),
    "ldex_separate": ({"lines": [line("93702", "CO-97", remarks=("M15",))]}, TODAY),
    "medical_necessity": ({}, TODAY),
    "not_covered": (
        {"payer_kind": "commercial", "lines": [line("93702", "PR-204")]},
        TODAY,
    ),
    "opening": ({}, TODAY),
    "policy_request": ({}, TODAY),
    "provider_type": (
        {
            "credential": "PT",
            "setting": "hospital_outpatient",
            "lines": [line("93702", "CO-170", remarks=("N95",))],
        },
        TODAY,
    ),
    "pt_contract_amendment": (
        {
            "payer_kind": "commercial",
            "credential": "PT",
            "setting": "independent_pt",
            "lines": [line("93702", "CO-170", remarks=("N95",))],
        },
        TODAY,
    ),
    "reopening_request": (
        {"clerical_error": "diagnosis", "correction": "Report C50.912, not C50.919."},
        TODAY,
    ),
    "therapy_cap": (
        {"payer_kind": "commercial", "lines": [line("93702", "PR-119")]},
        TODAY,
    ),
    "therapy_eval_same_day": ({"credential": "PT", "lines": [LDEX_PAID, EVAL]}, TODAY),
    "timely_filing": (
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-29")],
            "submitted_date": "2026-09-20",
        },
        TODAY,
    ),
    "underpayment": (
        {**YEAR_2020, "lines": [line("93702", "CO-45", paid="100.00")]},
        TODAY_2020,
    ),
    "whcra": (
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-55")],
            "mastectomy": True,
            "reconstruction": True,
            "diagnoses": LYMPHEDEMA_DX,
        },
        TODAY,
    ),
}


def write_letter(today=TODAY, **overrides):
    """Return the case, decision and letter for a case built from overrides."""
    case = make_case(**overrides)
    decision = decide(case, today)
    return case, decision, build_letter(case, decision, today)


def piece_text(letter, piece_id: str) -> str:
    """Return the rendered text of one piece, one block a line."""
    blocks = [block.text for block in letter.body if block.piece == piece_id]
    assert blocks, f"piece {piece_id} is not in the letter"
    return "\n".join(blocks)


def piece_for(piece_id: str) -> tuple:
    """Return the letter for the realistic case of a piece and that piece's text."""
    overrides, today = PIECE_CASES[piece_id]
    case, decision, letter = write_letter(today, **overrides)
    return letter, piece_text(letter, piece_id)


# --- Every piece file ---


def test_every_piece_file_has_a_case():
    assert set(PIECE_CASES) == set(all_piece_ids())


@pytest.mark.parametrize("piece_id", sorted(PIECE_CASES))
def test_piece_chosen_and_rendered(piece_id):
    overrides, today = PIECE_CASES[piece_id]
    case, decision, letter = write_letter(today, **overrides)

    assert piece_id in decision.piece_ids
    assert piece_text(letter, piece_id).strip()


@pytest.mark.parametrize("piece_id", all_piece_ids())
def test_piece_header_names_known_sources(piece_id):
    info = piece_info(piece_id)

    assert info.title
    unknown = [source for source in info.sources if source not in SOURCES]
    assert not unknown, f"{piece_id} names unknown sources {unknown}"


@pytest.mark.parametrize("piece_id", all_piece_ids())
def test_piece_header_sources_or_none(piece_id):
    path = letter_module.PIECES_DIR / f"{piece_id}.txt"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    info = piece_info(piece_id)

    assert info.sources or "sources: none" in header


def test_order_list_matches_piece_files():
    order = default_table().order

    assert len(order) == len(set(order))
    assert set(order) == set(all_piece_ids())


def test_rule_pieces_are_in_order_list():
    table = default_table()
    named = {piece for rule in table.rules for piece in rule.pieces}
    named |= {piece for addon in table.addons for piece in addon.pieces}

    assert named <= set(table.order)
    assert named <= set(all_piece_ids())


@pytest.mark.parametrize("piece_id", sorted(PIECE_CASES))
def test_no_template_syntax_in_letter(piece_id):
    overrides, today = PIECE_CASES[piece_id]
    text = write_letter(today, **overrides)[2].plain_text()

    for marker in ("{{", "{%", "{#", "}}", "%}", "#}"):
        assert marker not in text


@pytest.mark.parametrize("piece_id", sorted(PIECE_CASES))
def test_no_iso_dates_in_letter_body(piece_id):
    overrides, today = PIECE_CASES[piece_id]
    letter = write_letter(today, **overrides)[2]
    body = "\n".join(block.text for block in letter.body)

    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", body), body


# --- Undefined values and user text ---


def test_missing_variable_raises():
    case = make_case()
    decision = decide(case, TODAY)
    context = letter_module._context(case, decision, [])
    del context["request_name"]

    with pytest.raises(LetterError, match="request_name"):
        letter_module.render_piece("opening", context)


def test_missing_attribute_raises():
    case = make_case()
    decision = decide(case, TODAY)
    context = letter_module._context(case, decision, [])
    context["underpaid_rows"] = [{"code": "CPT 93702", "paid": 0}]
    context["underpaid_total"] = 0

    with pytest.raises(LetterError, match="underpayment"):
        letter_module.render_piece("underpayment", context)


@pytest.mark.parametrize("name", ["{{7*7}}", "{{ config }}", "{% raw %}x"])
def test_patient_name_printed_literally(name):
    letter = write_letter(patient_name=name)[2]
    history = piece_text(letter, "clinical_history")

    assert f"\n{name} had lymph nodes" in history
    assert ("Beneficiary", name) in letter.reference
    assert "49" not in history


def test_denial_text_printed_literally():
    quote = "Denied {% for x in range(3) %}x{% endfor %} {{ 7*7 }}"
    letter = write_letter(lines=[line("93702", "CO-ZZ9")], denial_text=quote)[2]

    assert f'"{quote}."' in piece_text(letter, "general")


def test_good_cause_printed_literally():
    cause = "We were closed {# comment #} {{ 6*7 }}."
    overrides = {**PIECE_CASES["good_cause"][0], "good_cause": cause}
    letter = write_letter(**overrides)[2]

    assert piece_text(letter, "good_cause").endswith(cause)


# --- Opening and closing ---


@pytest.mark.parametrize(
    ("payer_kind", "request_text", "title"),
    [
        ("medicare", "requests a redetermination", "Request for Redetermination"),
        (
            "medicare_advantage",
            "requests a reconsideration",
            "Request for Reconsideration",
        ),
        ("medicaid", "requests an appeal", "Request for Appeal"),
        ("commercial", "requests an internal appeal", "Request for Internal Appeal"),
    ],
)
def test_opening_names_request(payer_kind, request_text, title):
    letter = write_letter(payer_kind=payer_kind)[2]
    text = piece_text(letter, "opening")

    assert text.startswith(f"Lakeside Breast Surgery {request_text} of your decision")
    assert "notice dated October 20, 2026" in text
    assert "reverse your decision on CPT 93702" in text
    assert letter.title == title


def test_opening_level_2_names_contractor():
    letter = write_letter(level=2, prior_decision_by="Noridian JF Part B")[2]
    text = piece_text(letter, "opening")

    assert "requests a reconsideration" in text
    assert "Noridian JF Part B upheld the denial on redetermination." in text
    assert ("Redetermination by", "Noridian JF Part B") in letter.reference


def test_closing_carries_call_reference():
    letter, text = piece_for("closing")

    assert "pay for CPT 93702" in text
    assert "our office at 208-555-0142" in text
    assert "reference CR-2026-1101" in text
    assert ("Call reference", "CR-2026-1101") in letter.reference


def test_closing_without_call_reference():
    letter, text = piece_for("medical_necessity")

    assert "reference" not in piece_text(letter, "closing")
    assert "Call reference" not in dict(letter.reference)


def test_reference_block_dates_long_form():
    letter = write_letter()[2]
    reference = dict(letter.reference)

    assert reference["Date of service"] == "September 15, 2026"
    assert reference["Notice date"] == "October 20, 2026"
    assert reference["Date of birth"] == "April 17, 1961"
    assert reference["Medicare number"] == "1EG4-TE5-MK72"
    assert reference["Services and codes"] == "93702 (CO-50, N115)"
    assert letter.date_line == "November 1, 2026"


# --- Clinical pieces ---


def test_clinical_history_states_nodes_and_dates():
    letter, text = piece_for("clinical_history")

    assert (
        "Dana Whitfield had lymph nodes of the axillary region removed and "
        "irradiated." in text
    )
    assert "The surgery took place on March 2, 2026." in text
    assert (
        "C50.912 (Malignant neoplasm of unspecified site of left female breast)" in text
    )
    assert "Z90.12 (Acquired absence of left breast and nipple)" in text


def test_clinical_history_lists_each_reading():
    letter = write_letter()[2]
    bullets = [
        block.text
        for block in letter.body
        if block.piece == "clinical_history" and block.style == "List Bullet"
    ]

    # Changes from the 1.2 baseline: 3.0 - 1.2 = 1.8 and 8.1 - 1.2 = 6.9.
    assert bullets == [
        "February 20, 2026: L-Dex 1.2 (baseline)",
        "June 10, 2026: L-Dex 3.0 (+1.8 from baseline)",
        "September 15, 2026: L-Dex 8.1 (+6.9 from baseline)",
    ]


def test_clinical_history_readings_own_paragraph():
    letter = write_letter()[2]
    paragraphs = [
        block.text
        for block in letter.body
        if block.piece == "clinical_history" and block.style == "Body Text"
    ]

    assert paragraphs[-1] == "The patient's L-Dex readings on this record are:"


def test_clinical_history_without_baseline():
    readings = [
        {"date": "2026-06-10", "ldex": 3.0},
        {"date": "2026-09-15", "ldex": -1.4},
    ]
    text = piece_text(write_letter(measurements=readings)[2], "clinical_history")

    assert "June 10, 2026: L-Dex 3.0" in text
    assert "September 15, 2026: L-Dex -1.4" in text
    assert "baseline" not in text


def test_clinical_history_two_regions():
    letter = write_letter(regions=["axillary", "pelvic"], irradiated=False)[2]

    assert "had lymph nodes of the axillary and pelvic regions removed." in (
        piece_text(letter, "clinical_history")
    )


def test_medical_necessity_uses_node_history():
    letter, text = piece_for("medical_necessity")

    assert "As cleared by the FDA for the SOZO device" in text
    assert "axillary or pelvic regions removed, damaged or irradiated" in text
    assert (
        "Dana Whitfield meets that indication, as an adult: the patient had lymph "
        "nodes of the axillary region removed and irradiated." in text
    )
    assert "The measurement on September 15, 2026" in text


def test_medical_necessity_pelvic_damage():
    letter = write_letter(
        regions=["pelvic"],
        removed=False,
        irradiated=False,
        damaged=True,
        diagnoses=["C53.9"],
    )[2]

    assert "the patient had lymph nodes of the pelvic region damaged." in (
        piece_text(letter, "medical_necessity")
    )


def test_experimental_names_code_history():
    letter, text = piece_for("experimental")

    assert "in effect since 1 January 2015" in text
    assert "status code A" in text
    assert "Dana Whitfield had lymph nodes of the axillary region" in text


def test_not_covered_asks_for_policy():
    letter, text = piece_for("not_covered")

    assert "Your notice states that 93702 is not covered." in text
    assert "in effect since 1 January 2015" in text
    assert "As cleared by the FDA for the SOZO device" in text
    assert "Dana Whitfield had lymph nodes of the axillary region" in text
    assert "policy_request" in [block.piece for block in letter.body]


def test_whcra_names_patient_and_policy():
    letter, text = piece_for("whcra")

    assert text.splitlines()[1].startswith(
        "Dana Whitfield had a mastectomy, elected breast reconstruction, and has a "
        "lymphedema"
    )
    assert "elects breast reconstruction" in text
    assert "MP-438" in text


def test_frequency_names_baseline_and_readings():
    letter, text = piece_for("frequency")

    assert "The measurement on September 15, 2026 was part of" in text
    assert "compared with the baseline taken on February 20, 2026" in text
    assert "June 10, 2026 and September 15, 2026" in text


def test_frequency_without_baseline():
    readings = [
        {"date": "2026-06-10", "ldex": 3.0},
        {"date": "2026-09-15", "ldex": 8.1},
    ]
    overrides = {**PIECE_CASES["frequency"][0], "measurements": readings}
    text = piece_text(write_letter(**overrides)[2], "frequency")

    assert "baseline taken" not in text
    assert "after the baseline" not in text
    assert "June 10, 2026 and September 15, 2026" in text


def test_evidence_figures_and_citations():
    letter, text = piece_for("evidence")
    disipio = SOURCES["DISIPIO-2013"].citation
    prevent = SOURCES["PREVENT-2022"].citation

    # DiSipio 2013: 72 studies, pooled incidence 16.6%.
    assert "72 studies" in text
    assert "16.6%" in text
    # PREVENT 2022: 879 analyzed, 7.9% (BIS) vs 19.2% (tape) progressed, p = 0.016.
    assert "879 patients analyzed" in text
    assert "7.9%" in text
    assert "19.2%" in text
    assert "p = 0.016" in text
    assert letter.citations == [disipio, prevent]
    assert "biopsy [1]." in text
    assert "(p = 0.016) [2]." in text


def test_citations_empty_without_evidence():
    letter = write_letter(lines=[line("93702", "CO-ZZ9")])[2]

    assert letter.citations == []


# --- Coding and provider pieces ---


def test_diagnosis_lists_codes_and_required():
    letter, text = piece_for("diagnosis")

    assert "No ICD-10-CM code is specific to the L-Dex measurement." in text
    assert "C50.912 (Malignant neoplasm" in text
    assert "your policy requires for 93702 (Z90.12)" in text


def test_diagnosis_without_required_code():
    overrides = {**PIECE_CASES["diagnosis"][0], "required_diagnoses": ["I89.0"]}
    text = piece_text(write_letter(**overrides)[2], "diagnosis")

    assert "your policy requires" not in text
    assert "I89.0" not in text


def test_provider_type_physical_therapist():
    letter, text = piece_for("provider_type")

    assert (
        "Maria Chen, physical therapist, performed the measurement on "
        "September 15, 2026 (NPI 1558598797)." in text
    )
    assert "No CPT coding rule prevents a physical therapist" in text
    assert "affiliated outpatient facility (NPI 1234567893)" in text


def test_provider_type_medical_assistant():
    letter = write_letter(credential="MA", lines=[line("93702", "CO-185")])[2]
    text = piece_text(letter, "provider_type")

    assert "Maria Chen, medical assistant, performed the measurement" in text
    assert "physical therapist from billing" not in text


def test_provider_type_occupational_therapist():
    overrides = {**PIECE_CASES["provider_type"][0], "credential": "OT"}
    text = piece_text(write_letter(**overrides)[2], "provider_type")

    assert "Maria Chen, occupational therapist, performed" in text
    assert "physical therapist from billing" not in text


def test_contract_amendment_physical_therapist():
    letter, text = piece_for("pt_contract_amendment")

    assert "CPT 93702 is not a physical therapy code" in text
    assert "our physical therapy agreement" in text
    assert "effective no later than September 15, 2026" in text


def test_contract_amendment_occupational_therapist():
    overrides = {**PIECE_CASES["pt_contract_amendment"][0], "credential": "OT"}
    text = piece_text(write_letter(**overrides)[2], "pt_contract_amendment")

    assert "our occupational therapy agreement" in text


def test_em_separate_names_modifier_25():
    letter, text = piece_for("em_separate")

    assert "no physician work relative value units" in text
    assert "modifier 25" in text
    assert (
        "On September 15, 2026, Lakeside Breast Surgery billed CPT 99213 with" in text
    )
    assert "93702 (" not in text


def test_therapy_eval_names_evaluation_line():
    letter, text = piece_for("therapy_eval_same_day")

    assert "The evaluation billed as CPT 97161 on September 15, 2026" in text
    assert "may be billed along with CPT 93702" in text


def test_ldex_separate_names_fee_schedule_status():
    letter, text = piece_for("ldex_separate")

    assert "status code A" in text
    assert "should be paid on its own line" in text


def test_therapy_cap_names_therapy_limit():
    letter, text = piece_for("therapy_cap")

    assert "93702 is not a physical therapy code" in text
    assert "annual physical and occupational therapy limit" in text


def test_multi_line_letter_answers_each_line():
    lines = [line("93702", "CO-50", remarks=("N115",)), EM_25, EVAL]
    case, decision, letter = write_letter(lines=lines)
    reference = dict(letter.reference)

    assert "CPT 99213 with modifier 25" in piece_text(letter, "em_separate")
    assert "CPT 97161" in piece_text(letter, "therapy_eval_same_day")
    assert "CPT 93702, CPT 99213-25 and CPT 97161" in piece_text(letter, "opening")
    assert reference["Services and codes"] == (
        "93702 (CO-50, N115); 99213-25 (CO-97, M15); 97161 (CO-97, N20)"
    )


def test_mixed_claim_letter_leaves_out_corrected_line():
    lines = [line("93702", "CO-50", remarks=("N115",)), EM_NO_25]
    letter = write_letter(lines=lines)[2]

    assert "99213" not in piece_text(letter, "opening")
    assert "99213" not in piece_text(letter, "closing")


# --- Administrative pieces ---


def test_authorization_number_printed():
    letter, text = piece_for("authorization")

    assert "Authorization PA-778812 applies to this service" in text


def test_authorization_missing_asks_review():
    letter = write_letter(payer_kind="commercial", lines=[line("93702", "CO-198")])[2]
    text = piece_text(letter, "authorization")

    assert "authorization was missing or did not apply" in text
    assert "Authorization  applies" not in text


def test_timely_filing_submitted_date():
    letter, text = piece_for("timely_filing")

    assert "We first submitted this claim on September 20, 2026" in text


def test_timely_filing_without_date():
    letter = write_letter(payer_kind="commercial", lines=[line("93702", "CO-29")])[2]
    text = piece_text(letter, "timely_filing")

    assert "the filing limit had passed" in text
    assert "submitted this claim on" not in text


def test_underpayment_2020_amounts():
    letter, text = piece_for("underpayment")

    # G10: 2020 office 93702 = $140.75; paid $100.00; difference $40.75.
    assert "CPT 93702: you paid $100.00." in text
    assert "The expected amount is $140.75" in text
    assert "conversion factor 36.0896" in text
    assert "The difference is $40.75." in text
    assert "in all" not in text


def test_underpayment_two_lines_total():
    lines = [
        line("93702", "CO-45", paid="100.00"),
        line("99213", "CO-45", modifiers=("25",), billed="110.00", paid="60.00"),
    ]
    letter = write_letter(TODAY_2020, **YEAR_2020, lines=lines)[2]
    text = piece_text(letter, "underpayment")

    # G10: 2020 office 99213 = $76.15, so $16.15 short; $40.75 + $16.15 = $56.90.
    assert "CPT 99213-25: you paid $60.00. The expected amount is $76.15" in text
    assert "The difference is $16.15." in text
    assert "$56.90 in all" in text


def test_underpayment_contracted_rate():
    letter = write_letter(
        payer_kind="commercial",
        contracted_rates={"93702": "150.00"},
        lines=[line("93702", "CO-45", paid="120.00")],
    )[2]
    text = piece_text(letter, "underpayment")

    assert "The expected amount is $150.00" in text
    assert "contracted rate for 93702" in text
    assert "The difference is $30.00." in text


def test_underpayment_less_patient_share():
    letter = write_letter(
        date(2025, 6, 10),
        service_date="2025-05-01",
        notice_date="2025-05-30",
        lines=[line("93702", "CO-45=75.17", "PR-2=20.00", paid="89.83")],
    )[2]
    text = piece_text(letter, "underpayment")

    # 2025: 3.55 RVUs x 32.3465 = $114.83, less $20.00 coinsurance = $94.83.
    assert "The expected amount is $94.83" in text
    assert "$114.83" in text
    assert "less the patient's share of $20.00" in text
    assert "The difference is $5.00." in text


def test_general_names_codes_and_quote():
    letter, text = piece_for("general")

    assert "Your remittance adjusted CPT 93702 with CO-ZZ9." in text
    assert '"Service not reasonable and necessary per LCD."' in text


def test_policy_request_asks_for_file():
    letter, text = piece_for("policy_request")

    assert "a copy of the claim file" in text
    assert "written coverage policy or clinical criteria" in text


def test_external_review_reserves_right():
    letter, text = piece_for("external_review")

    assert "independent external reviewer" in text
    assert "The patient reserves that right." in text


def test_good_cause_prints_reason():
    letter, text = piece_for("good_cause")

    assert "after the usual time limit" in text
    assert text.endswith(GOOD_CAUSE)


def test_reopening_clerical_error():
    letter, text = piece_for("reopening_request")

    assert text.startswith(
        "Lakeside Breast Surgery requests a reopening of the claim identified "
        "above to correct a clerical error: a diagnosis code was wrong or missing."
    )
    assert "The correction: Report C50.912, not C50.919." in text
    assert "reprocess CPT 93702 with this correction" in text
    assert letter.title == "Request for Reopening"


def test_reopening_duplicate_names_codes():
    letter = write_letter(
        lines=[line("93702", "OA-18")],
        correction="The line is not a duplicate: no other 93702 was billed that day.",
    )[2]
    text = piece_text(letter, "reopening_request")

    assert "to correct the processing of CPT 93702, adjusted with OA-18." in text
    assert "clerical error" not in text
    assert "billed correctly" not in text
    assert "The correction: The line is not a duplicate" in text
    assert "reprocess CPT 93702 with this correction" in text


def test_reopening_without_correction_has_no_letter():
    case = make_case(lines=[line("93702", "OA-18")])
    decision = decide(case, TODAY)

    assert decision.route == "reopening"
    assert decision.letter_ready is False
    assert decision.warnings[0].startswith("No letter yet: enter what the correction")


def test_reopening_em_names_only_em_line():
    letter = write_letter(
        lines=[LDEX_PAID, EM_NO_25], correction="Add modifier 25 to 99213."
    )[2]
    text = piece_text(letter, "reopening_request")

    assert "CPT 99213" in text
    assert "93702" not in text
    assert "The correction: Add modifier 25 to 99213." in text
    assert "with any questions about this request" in piece_text(letter, "closing")
