"""Tests for assembling letters from the example cases in docs/examples."""

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import LETTER_EXAMPLES, load_example

from appeals.case import case_from_dict
from appeals.letter import (
    STYLE_BODY,
    STYLE_BULLET,
    STYLE_HEADING,
    Letter,
    LetterError,
    build_letter,
)
from appeals.rules import decide

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TODAY = date(2026, 11, 2)


def _example(name: str) -> dict:
    return load_example(name)


def _letter(data: dict, today: date = TODAY) -> Letter:
    case = case_from_dict(data)
    return build_letter(case, decide(case, today), today)


def _with_kind(kind: str, **claim) -> dict:
    data = _example("medicare-medical-necessity")
    data["payer"]["kind"] = kind
    data["claim"].update(claim)
    return data


def _reference(letter: Letter) -> dict[str, str]:
    return dict(letter.reference)


def _body(letter: Letter) -> str:
    return "\n".join(block.text for block in letter.body)


@pytest.mark.parametrize(
    ("kind", "claim", "title", "opening"),
    [
        ("medicare", {}, "Request for Redetermination", "requests a redetermination"),
        (
            "medicare",
            {"level": 2, "prior_decision_by": "Noridian Healthcare Solutions"},
            "Request for Reconsideration",
            "requests a reconsideration",
        ),
        (
            "medicare_advantage",
            {},
            "Request for Reconsideration",
            "requests a reconsideration",
        ),
        ("medicaid", {}, "Request for Appeal", "requests an appeal"),
        (
            "commercial",
            {},
            "Request for Internal Appeal",
            "requests an internal appeal",
        ),
    ],
)
def test_title_per_payer_kind(kind, claim, title, opening):
    letter = _letter(_with_kind(kind, **claim))
    assert letter.title == title
    assert f"Lakeside Breast Surgery {opening} of your decision" in letter.body[0].text


def test_title_reopening():
    letter = _letter(_example("em-missing-modifier-medicare"))
    assert letter.title == "Request for Reopening"
    assert letter.body[0].text.startswith(
        "Lakeside Breast Surgery requests a reopening of the claim identified above"
    )


def test_level_two_names_prior_decision():
    letter = _letter(
        _with_kind("medicare", level=2, prior_decision_by="Noridian JF Part B")
    )
    assert _reference(letter)["Redetermination by"] == "Noridian JF Part B"
    assert "Noridian JF Part B upheld the denial on redetermination." in _body(letter)


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("medicare-medical-necessity", "redetermination-claim-552026301145770-"),
        ("commercial-experimental", "internal-appeal-claim-SPH26A0734419-"),
        ("em-modifier-25", "reconsideration-claim-CSA2609120551-"),
        ("em-missing-modifier-medicare", "reopening-claim-552026287004311-"),
        ("pt-eval-same-day", "appeal-claim-SRC-2026-0917-3381-"),
    ],
)
def test_file_name_names_request(name, prefix):
    data = _example(name)
    letter = _letter(data)
    assert letter.file_name.startswith(prefix)
    assert letter.file_name.endswith(
        f"-{date.fromisoformat(data['claim']['service_date'])}.docx"
    )
    for part in data["patient"]["name"].lower().split():
        assert part not in letter.file_name.lower()
    assert data["patient"]["member_id"].lower() not in letter.file_name.lower()


def test_file_name_safe_characters():
    data = _example("commercial-experimental")
    data["claim"]["number"] = "SPH/26 A:07*34?19"
    letter = _letter(data)
    assert letter.file_name == "internal-appeal-claim-SPH-26-A-07-34-19-2026-08-18.docx"


def test_reference_labels_medicare():
    letter = _letter(_example("medicare-medical-necessity"))
    assert [label for label, _ in letter.reference] == [
        "Beneficiary",
        "Date of birth",
        "Medicare number",
        "Claim number",
        "Date of service",
        "Services and codes",
        "Notice date",
        "Rendering provider",
    ]
    reference = _reference(letter)
    assert reference["Beneficiary"] == "Dana Whitfield"
    assert reference["Medicare number"] == "1EG4-TE5-MK72"
    assert reference["Date of service"] == "September 15, 2026"
    assert reference["Services and codes"] == "93702 (CO-50, N115)"
    assert reference["Rendering provider"] == "Maria Chen, PA, NPI 1558598797"


def test_reference_labels_commercial():
    reference = _reference(_letter(_example("commercial-experimental")))
    assert reference["Patient"] == "Rosalind Okafor"
    assert reference["Member ID"] == "SPH448120937"
    assert reference["Call reference"] == "CR-20261006-4471"
    assert "Beneficiary" not in reference
    assert "Medicare number" not in reference


def test_reference_labels_medicare_advantage():
    reference = _reference(_letter(_example("em-modifier-25")))
    assert reference["Beneficiary"] == "Gloria Benavides"
    assert reference["Member ID"] == "CSA0091847265"
    assert "Medicare number" not in reference
    assert reference["Services and codes"] == "99213-25 (CO-97, M15)"


def test_reference_lists_each_line():
    reference = _reference(_letter(_example("multi-line")))
    assert reference["Services and codes"] == (
        "93702 (CO-50, N115); 99214-25 (CO-97, M15)"
    )


def test_reference_without_birth_date():
    data = _example("medicare-medical-necessity")
    del data["patient"]["birth_date"]
    assert "Date of birth" not in _reference(_letter(data))


@pytest.mark.parametrize("name", LETTER_EXAMPLES)
def test_round_trip_to_dict(name):
    letter = _letter(_example(name))
    stored = json.loads(json.dumps(letter.to_dict()))
    assert Letter.from_dict(stored) == letter
    assert stored["reference"][0] == list(letter.reference[0])


@pytest.mark.parametrize("name", LETTER_EXAMPLES)
def test_body_styles_and_text(name):
    letter = _letter(_example(name))
    assert {block.style for block in letter.body} <= {
        STYLE_BODY,
        STYLE_HEADING,
        STYLE_BULLET,
    }
    assert all(block.text == block.text.strip() and block.text for block in letter.body)
    text = letter.plain_text()
    for marker in ("{{", "{%", "{#", "}}", "%}"):
        assert marker not in text


@pytest.mark.parametrize("name", ["resubmit-ma130", "no-indication"])
def test_no_letter_off_appeal_routes(name):
    case = case_from_dict(_example(name))
    decision = decide(case, TODAY)
    assert decision.route in ("corrected_claim", "no_appeal")
    with pytest.raises(
        LetterError, match=f"no letter is written on the {decision.route}"
    ):
        build_letter(case, decision, TODAY)


def test_letter_parts():
    letter = _letter(_example("commercial-experimental"))
    assert letter.letterhead == [
        "Lakeside Breast Surgery",
        "400 Lake Street, Suite 200",
        "Boise, ID 83702",
        "Phone 208-555-0142 | Fax 208-555-0143 | NPI 1234567893",
    ]
    assert letter.date_line == "November 2, 2026"
    assert letter.recipient == [
        "Summit Peak Health Plan",
        "Attn: Provider Appeals",
        "PO Box 30417",
        "Salt Lake City, UT 84130-0417",
        "By fax: 801-555-0190",
    ]
    assert letter.salutation == "Dear Appeals Reviewer:"
    assert letter.signature[0] == "Sincerely,"
    assert "Maria Chen, PA" in letter.signature
    assert letter.enclosures[0] == (
        "Copy of the remittance advice or denial notice for this claim"
    )
    assert letter.enclosures[-1] == (
        "Summit Peak Health Plan medical policy MP-2.118, as printed from the plan "
        "website"
    )


def test_commercial_experimental_arguments():
    letter = _letter(_example("commercial-experimental"))
    headings = [b.text for b in letter.body if b.style == STYLE_HEADING]
    assert headings == [
        "Clinical history",
        "93702 is an established service",
        "Women's Health and Cancer Rights Act",
        "Clinical evidence",
        "Request for the claim file and policy",
        "External review",
    ]
    assert "refer to our call with your office, reference CR-20261006-4471" in (
        letter.body[-1].text
    )


def test_citations_numbered_in_order():
    letter = _letter(_example("medicare-medical-necessity"))
    body = _body(letter)
    assert len(letter.citations) == 2
    assert letter.citations[0].startswith("DiSipio T")
    assert letter.citations[1].startswith("Ridner SH")
    assert body.index("[1]") < body.index("[2]")


def test_no_citations_without_evidence():
    assert _letter(_example("em-modifier-25")).citations == []


def test_em_separate_names_line():
    body = _body(_letter(_example("em-modifier-25")))
    assert "Lakeside Breast Surgery billed CPT 99213" in body
    assert "with modifier 25 for such a visit" in body
    assert "On September 3, 2026, Lakeside Breast Surgery" in body


def test_pt_contract_amendment_text():
    letter = _letter(_example("pt-independent"))
    body = _body(letter)
    assert "Tomas Lindqvist, physical therapist, performed the measurement" in body
    assert "add CPT 93702 as an allowable service" in body
    assert "effective no later than September 9, 2026" in body


def test_diagnosis_names_required_code():
    body = _body(_letter(_example("diagnosis")))
    assert "Z90.12 (Acquired absence of left breast and nipple)" in body
    assert "the diagnosis code your policy requires for 93702 (Z90.12)" in body


def test_underpayment_amounts():
    letter = _letter(_example("underpayment-2024"), date(2024, 7, 15))
    body = _body(letter)
    assert "CPT 93702: you paid $95.00." in body
    assert "3.67 total RVUs x conversion factor 33.2875 = $122.17" in body
    assert letter.date_line == "July 15, 2024"


def test_user_text_not_template_code():
    data = _example("medicare-medical-necessity")
    data["patient"]["name"] = "{{ 7*7 }} {% raise %}"
    letter = _letter(data)
    assert _reference(letter)["Beneficiary"] == "{{ 7*7 }} {% raise %}"
    assert "{{ 7*7 }} {% raise %} meets that indication" in _body(letter)
    assert "49" not in _body(letter)


def test_clinical_history_one_bullet_per_reading():
    letter = _letter(_example("commercial-experimental"))
    bullets = [b.text for b in letter.body if b.style == STYLE_BULLET]
    assert bullets == [
        "October 21, 2025: L-Dex -0.8 (baseline)",
        "February 10, 2026: L-Dex 2.4 (+3.2 from baseline)",
        "May 12, 2026: L-Dex 5.1 (+5.9 from baseline)",
        "August 18, 2026: L-Dex 9.6 (+10.4 from baseline)",
    ]
    history = [b.text for b in letter.body if b.piece == "clinical_history"]
    assert history[2] == "The patient's L-Dex readings on this record are:"


def test_reopening_names_line_and_correction():
    text = _body(_letter(_example("em-missing-modifier-medicare")))
    assert "billed correctly" not in text
    assert "requests a reopening of the claim identified above" in text
    assert "The correction: Add modifier 25 to CPT 99213 on line 2." in text
    assert "We ask you to reprocess CPT 99213 with this correction." in text
