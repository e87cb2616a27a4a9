"""Table-driven tests of the rule table: codes and facts in, route and pieces out.

Each row's expected values come from the source its comment names: a guide point
(G1 to G11) or a source id in ``appeals.sources``. Update a row from its source, not
from the code's output. Due dates are counted by hand from the notice date.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from appeals import rules
from appeals.rules import decide
from appeals.sources import SOURCES
from tests.cases import NO_NODES, TODAY, line, make_case

MEDICARE_DUE = date(2027, 2, 22)  # 2026-10-20 + 5 mailing days + 120 days
COMMERCIAL_DUE = date(2027, 4, 18)  # 2026-10-20 + 180 days
REOPENING_DUE = date(2027, 10, 20)  # one year from the 2026-10-20 notice

LDEX_PAID = line("93702", billed="185.00", paid="120.00")
EM_25 = line("99213", "CO-97", remarks=("M15",), modifiers=("25",), billed="110.00")
EM_NO_25 = line("99213", "CO-97", remarks=("M15",), billed="110.00")
EVAL = line("97161", "CO-97", remarks=("N20",), billed="150.00")
LYMPHEDEMA_DX = ["C50.912", "Z90.12", "I97.2"]
PELVIC_NODES = {"regions": ["pelvic"], "removed": False, "damaged": True}
GOOD_CAUSE = "The notice went to a closed office address and reached us on 1 October."


@dataclass
class Expected:
    """What the rules must return for one row."""

    route: str
    due: date | None
    present: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    warnings: tuple[str, ...] = ()
    no_warnings: tuple[str, ...] = ()
    amount: str | None = None  # expected amount on the first contested line


def row(name, overrides, *, today=TODAY, **expected):
    """Return one table row as a pytest parameter named ``name``."""
    for key in ("present", "absent"):
        expected[key] = set(expected.get(key, ()))
    for key in ("warnings", "no_warnings"):
        value = expected.get(key, ())
        expected[key] = (value,) if isinstance(value, str) else tuple(value)
    return pytest.param(overrides, today, Expected(**expected), id=name)


ROWS = [
    # --- Medical necessity (G1, G2) ---
    # G1, G2: axillary nodes removed and irradiated meet the FDA indication. Breast
    # cancer adds the PREVENT-2022 and DISIPIO-2013 evidence. Medicare gets no
    # external review piece, because HEALTHCARE-GOV-APPEALS covers private plans.
    row(
        "necessity-medicare-nodes",
        {},
        route="appeal",
        due=MEDICARE_DUE,
        present={"opening", "clinical_history", "medical_necessity", "evidence"},
        absent={"external_review", "whcra", "good_cause", "reopening_request"},
        no_warnings="indication",
    ),
    # G2: no node removal, damage or irradiation: warn, write no hollow letter.
    row(
        "necessity-no-nodes",
        NO_NODES,
        route="no_appeal",
        due=None,
        absent={"medical_necessity", "clinical_history"},
        warnings="FDA-cleared indication for the L-Dex measurement is not met",
    ),
    # G2: the indication names axillary and pelvic nodes only.
    row(
        "necessity-other-region-only",
        {"regions": ["other"]},
        route="no_appeal",
        due=None,
        absent={"medical_necessity"},
        warnings="not met",
    ),
    # G2: irradiation alone meets the indication ("removed, damaged, or irradiated").
    row(
        "necessity-irradiated-only",
        {"removed": False, "irradiated": True},
        route="appeal",
        due=MEDICARE_DUE,
        present={"medical_necessity"},
    ),
    # G2 pelvic nodes. DISIPIO-2013 and PREVENT-2022 studied breast cancer, so a
    # cervical-cancer claim gets no evidence piece.
    row(
        "necessity-pelvic-no-breast-cancer",
        {**PELVIC_NODES, "diagnoses": ["C53.9", "Z92.3"]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"medical_necessity", "clinical_history"},
        absent={"evidence"},
    ),
    # G2: the indication is for adults; 16 on the date of service.
    row(
        "necessity-patient-16",
        {"birth_date": "2010-05-01"},
        route="no_appeal",
        due=None,
        absent={"medical_necessity"},
        warnings="not met",
    ),
    # G2: 18 exactly on the date of service is an adult.
    row(
        "necessity-patient-turns-18",
        {"birth_date": "2008-09-15"},
        route="appeal",
        due=MEDICARE_DUE,
        present={"medical_necessity"},
    ),
    # G2: one day short of 18 on the date of service.
    row(
        "necessity-patient-day-before-18",
        {"birth_date": "2008-09-16"},
        route="no_appeal",
        due=None,
        absent={"medical_necessity"},
    ),
    # HEALTHCARE-GOV-APPEALS: a commercial internal appeal within 180 days, and a
    # denial that involves medical judgment can go to external review.
    row(
        "necessity-commercial",
        {"payer_kind": "commercial"},
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"medical_necessity", "external_review", "policy_request"},
        absent={"whcra"},
    ),
    # --- Experimental, investigational, unproven (G2, G3) ---
    # G3 and HEALTHCARE-GOV-APPEALS: CARC 55 on a commercial plan, and an
    # experimental finding qualifies for external review.
    row(
        "experimental-55-commercial",
        {"payer_kind": "commercial", "lines": [line("93702", "CO-55")]},
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"experimental", "clinical_history", "external_review", "evidence"},
        absent={"medical_necessity"},
    ),
    # X12-CODES: RARC N623 (unproven, experimental) names the same ground.
    row(
        "experimental-n623-commercial",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-A1", remarks=("N623",))],
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"experimental", "external_review"},
        absent={"general"},
    ),
    # G3 on Medicare: CARC 56, and no external review outside private plans.
    row(
        "experimental-56-medicare",
        {"lines": [line("93702", "CO-56")]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"experimental", "policy_request"},
        absent={"external_review", "whcra"},
    ),
    # G2: the reply to an experimental finding rests on the indication, so warn.
    row(
        "experimental-no-nodes",
        {"payer_kind": "commercial", "lines": [line("93702", "CO-55")], **NO_NODES},
        route="no_appeal",
        due=None,
        absent={"experimental", "external_review"},
        warnings="payer calls 93702 experimental",
    ),
    # --- Women's Health and Cancer Rights Act (WHCRA, with policy MP-438) ---
    # Mastectomy and reconstruction with a lymphedema diagnosis on a commercial plan
    # (29 U.S.C. 1185b: benefits for a patient who elects reconstruction).
    row(
        "whcra-commercial-mastectomy-lymphedema",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-55")],
            "mastectomy": True,
            "reconstruction": True,
            "diagnoses": LYMPHEDEMA_DX,
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"whcra", "experimental"},
    ),
    # Mastectomy without reconstruction: the Act's lymphedema clause does not apply.
    row(
        "whcra-no-reconstruction",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-55")],
            "mastectomy": True,
            "diagnoses": LYMPHEDEMA_DX,
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        absent={"whcra"},
    ),
    # No lymphedema diagnosis: the Act's lymphedema clause does not show.
    row(
        "whcra-no-lymphedema-dx",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-55")],
            "mastectomy": True,
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        absent={"whcra"},
    ),
    # No mastectomy recorded.
    row(
        "whcra-no-mastectomy",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-55")],
            "diagnoses": ["C50.912", "I89.0"],
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        absent={"whcra"},
    ),
    # The Act binds group health plans and insurers, not Medicare.
    row(
        "whcra-not-medicare",
        {"mastectomy": True, "diagnoses": LYMPHEDEMA_DX},
        route="appeal",
        due=MEDICARE_DUE,
        absent={"whcra"},
    ),
    # --- Non-covered (G3) ---
    # G3: CARC 204 gets the written-policy request. Non-coverage is no experimental
    # or medical-judgment finding, so no external review piece.
    row(
        "not-covered-204-commercial",
        {"payer_kind": "commercial", "lines": [line("93702", "PR-204")]},
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"not_covered", "policy_request", "clinical_history"},
        absent={"external_review", "medical_necessity"},
    ),
    # --- E/M on the day of 93702 (G4, G11) ---
    # G4: modifier 25 on the E/M: argue the separate, identifiable visit.
    row(
        "em-modifier-25-bundled",
        {"lines": [LDEX_PAID, EM_25]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"em_separate", "opening"},
        absent={"reopening_request", "medical_necessity", "ldex_separate"},
    ),
    # G4 on a commercial plan with CARC 236 and N20 (NCCI same-day edit).
    row(
        "em-modifier-25-236-commercial",
        {
            "payer_kind": "commercial",
            "lines": [
                LDEX_PAID,
                line("99214", "CO-236", remarks=("N20",), modifiers=("25",)),
            ],
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"em_separate"},
        absent={"external_review"},
    ),
    # G4, G11 and CFR-405.980: a missing modifier 25 is a clerical error, so
    # Medicare reopens (one year) instead of hearing an appeal.
    row(
        "em-no-modifier-medicare",
        {"lines": [LDEX_PAID, EM_NO_25]},
        route="reopening",
        due=REOPENING_DUE,
        present={"reopening_request", "closing"},
        absent={"em_separate", "opening"},
        warnings=(
            "one year from the initial determination",
            "does not extend",
            "Enter what the correction changes",
        ),
    ),
    # G4, G11: other payers take a corrected claim; no letter, no due date.
    row(
        "em-no-modifier-commercial",
        {"payer_kind": "commercial", "lines": [LDEX_PAID, EM_NO_25]},
        route="corrected_claim",
        due=None,
        absent={"em_separate", "reopening_request", "opening"},
    ),
    # --- Diagnosis (G9) ---
    # G9: CARC 11 with valid codes: explain how 93702 is coded.
    row(
        "diagnosis-11-valid-codes",
        {"lines": [line("93702", "CO-11")]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"diagnosis"},
        absent={"medical_necessity", "reopening_request"},
    ),
    # G9 and X12-CODES: CARC 167 (diagnosis not covered) is both a diagnosis and a
    # medical-necessity denial, so both arguments are made.
    row(
        "diagnosis-167",
        {"lines": [line("93702", "CO-167")]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"diagnosis", "medical_necessity"},
    ),
    # G9, G11 and CFR-405.980: C50.9 is a header code, not billable, and a wrong
    # diagnosis code is a Medicare reopening.
    row(
        "diagnosis-header-code-medicare",
        {"lines": [line("93702", "CO-11")], "diagnoses": ["C50.9", "Z90.12"]},
        route="reopening",
        due=REOPENING_DUE,
        present={"reopening_request"},
        absent={"diagnosis"},
        warnings="not valid, billable ICD-10-CM codes: C50.9",
    ),
    # G9, G11: the same on a commercial plan is a corrected claim.
    row(
        "diagnosis-header-code-commercial",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-167", remarks=("N569",))],
            "diagnoses": ["C50.9"],
        },
        route="corrected_claim",
        due=None,
        absent={"diagnosis", "medical_necessity"},
    ),
    # G9: a payer profile requires I89.0 and the claim lacks it: warn.
    row(
        "diagnosis-required-code-missing",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-11", remarks=("M76",))],
            "required_diagnoses": ["I89.0"],
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"diagnosis"},
        warnings="required diagnosis codes that are not on this claim: I89.0",
    ),
    # --- Provider type (G5, G6) ---
    # G5, G6: a PT billing under a hospital outpatient department's NPI may bill
    # 93702; no contract amendment is asked for.
    row(
        "pt-hospital-outpatient",
        {
            "credential": "PT",
            "setting": "hospital_outpatient",
            "lines": [line("93702", "CO-170", remarks=("N95",))],
        },
        route="appeal",
        due=MEDICARE_DUE,
        present={"provider_type"},
        absent={"pt_contract_amendment"},
        warnings="Confirm that the provider was enrolled",
    ),
    # G6: an independent PT practice asks the payer to add 93702 to its contract.
    row(
        "pt-independent-practice",
        {
            "payer_kind": "commercial",
            "credential": "PT",
            "setting": "independent_pt",
            "lines": [line("93702", "CO-170", remarks=("N95",))],
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"provider_type", "pt_contract_amendment"},
        absent={"external_review"},
        warnings="Confirm that the therapist was enrolled",
    ),
    # G6: known enrollment, so no reminder to confirm it.
    row(
        "pt-independent-enrolled",
        {
            "payer_kind": "commercial",
            "credential": "PT",
            "enrolled": True,
            "setting": "independent_pt",
            "lines": [line("93702", "CO-172")],
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"pt_contract_amendment"},
        no_warnings="Confirm that",
    ),
    # X12-CODES, CARC B7: a provider not enrolled on the date of service fixes the
    # enrollment first, because an appeal cannot succeed.
    row(
        "provider-not-enrolled",
        {"credential": "PT", "enrolled": False, "lines": [line("93702", "CO-B7")]},
        route="no_appeal",
        due=None,
        absent={"provider_type"},
    ),
    # G5: a medical assistant may perform 93702; not a therapist, no amendment.
    row(
        "provider-medical-assistant",
        {"credential": "MA", "lines": [line("93702", "CO-185")]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"provider_type"},
        absent={"pt_contract_amendment"},
    ),
    # --- PT/OT evaluation, therapy cap (G7, G8) ---
    # G7: a PT evaluation on the day of 93702 may be billed with it.
    row(
        "therapy-eval-same-day",
        {"credential": "PT", "lines": [LDEX_PAID, EVAL]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"therapy_eval_same_day"},
        absent={"em_separate"},
    ),
    # G7 at the top of the range, 97168 (OT re-evaluation).
    row(
        "therapy-eval-97168",
        {
            "credential": "OT",
            "lines": [LDEX_PAID, line("97168", "CO-236", remarks=("M80",))],
        },
        route="appeal",
        due=MEDICARE_DUE,
        present={"therapy_eval_same_day"},
    ),
    # G8: 93702 is not a PT code and does not count toward the therapy cap.
    row(
        "therapy-cap-119",
        {"payer_kind": "commercial", "lines": [line("93702", "PR-119")]},
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"therapy_cap"},
        absent={"medical_necessity", "external_review"},
    ),
    # G8 with RARC N130 alone naming the benefit limit.
    row(
        "therapy-cap-n130",
        {"lines": [line("93702", "CO-A1", remarks=("N130",))]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"therapy_cap"},
        absent={"general"},
    ),
    # --- Frequency (G1) ---
    # G1: CARC 151 with a baseline and follow-ups: the schedule argument, no
    # reminder about readings.
    row(
        "frequency-151-full-series",
        {"lines": [line("93702", "CO-151")]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"frequency", "clinical_history", "evidence"},
        no_warnings=("No baseline", "No follow-up"),
    ),
    # G1: N640 without a baseline reading: warn.
    row(
        "frequency-n640-no-baseline",
        {
            "lines": [line("93702", "CO-A1", remarks=("N640",))],
            "measurements": [
                {"date": "2026-06-10", "ldex": 3.0},
                {"date": "2026-09-15", "ldex": 8.1},
            ],
        },
        route="appeal",
        due=MEDICARE_DUE,
        present={"frequency"},
        warnings="No baseline L-Dex reading",
        no_warnings="No follow-up",
    ),
    # G1: M86 with the baseline only: warn about the missing follow-ups.
    row(
        "frequency-m86-no-follow-ups",
        {
            "lines": [line("93702", "CO-151", remarks=("M86",))],
            "measurements": [{"date": "2026-02-20", "ldex": 1.2, "baseline": True}],
        },
        route="appeal",
        due=MEDICARE_DUE,
        present={"frequency"},
        warnings="No follow-up L-Dex readings",
        no_warnings="No baseline",
    ),
    # G2: the schedule argument also rests on the indication.
    row(
        "frequency-no-nodes",
        {"lines": [line("93702", "CO-151")], **NO_NODES},
        route="no_appeal",
        due=None,
        absent={"frequency"},
        warnings="surveillance schedule has no stated basis",
    ),
    # X12-CODES: N362 is days or units over a maximum, not the interval between
    # readings, so it gets no frequency letter.
    row(
        "units-n362-not-frequency",
        {"lines": [line("93702", "CO-A1", remarks=("N362",))]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"general"},
        absent={"frequency"},
    ),
    # --- Authorization, timely filing (G11, X12-CODES) ---
    row(
        "authorization-197-number",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-197")],
            "authorization": "PA-778812",
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"authorization"},
        no_warnings="No authorization number",
    ),
    row(
        "authorization-198-no-number",
        {"payer_kind": "commercial", "lines": [line("93702", "CO-198")]},
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"authorization"},
        warnings="No authorization number is entered",
    ),
    row(
        "authorization-284",
        {
            "payer_kind": "medicaid",
            "window_days": 60,
            "lines": [line("93702", "CO-284")],
        },
        route="appeal",
        due=date(2026, 12, 19),  # 2026-10-20 + 60 days
        present={"authorization"},
    ),
    row(
        "timely-filing-29-submitted",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-29")],
            "submitted_date": "2026-09-20",
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"timely_filing"},
        no_warnings="first submitted",
    ),
    row(
        "timely-filing-29-no-date",
        {"payer_kind": "commercial", "lines": [line("93702", "CO-29")]},
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"timely_filing"},
        warnings="Enter the date the claim was first submitted",
    ),
    # --- Resubmit, no appeal rights (G11, X12-CODES MA130, N211, N704) ---
    row(
        "co16-ma130",
        {"lines": [line("93702", "CO-16", remarks=("MA130",))]},
        route="corrected_claim",
        due=None,
        absent={"opening", "general"},
    ),
    row(
        "co16-n211",
        {"lines": [line("93702", "CO-16", remarks=("N211",))]},
        route="corrected_claim",
        due=None,
    ),
    row(
        "co16-n704-commercial",
        {
            "payer_kind": "commercial",
            "lines": [line("93702", "CO-16", remarks=("N704",))],
        },
        route="corrected_claim",
        due=None,
    ),
    # CARC 16 alone: the claim lacked information; correct and resubmit.
    row(
        "co16-alone",
        {"lines": [line("93702", "CO-16")]},
        route="corrected_claim",
        due=None,
        absent={"general"},
    ),
    # --- Clerical errors (CFR-405.980) ---
    row(
        "clerical-medicare-reopening",
        {"clerical_error": "diagnosis", "correction": "Report C50.912, not C50.919."},
        route="reopening",
        due=REOPENING_DUE,
        present={"reopening_request"},
        absent={"medical_necessity", "opening"},
        warnings=(
            "must be requested by 2027-10-20",
            "does not extend the appeal deadline of 2027-02-22",
        ),
        no_warnings="Enter what the correction changes",
    ),
    row(
        "clerical-commercial-corrected",
        {"payer_kind": "commercial", "clerical_error": "service_date"},
        route="corrected_claim",
        due=None,
        absent={"reopening_request", "medical_necessity"},
    ),
    # CARC 4: a wrong modifier is clerical: Medicare reopening.
    row(
        "modifier-4-medicare",
        {"lines": [line("93702", "CO-4")]},
        route="reopening",
        due=REOPENING_DUE,
        present={"reopening_request"},
    ),
    # --- Duplicates (CFR-405.980: a wrong duplicate denial is a clerical error) ---
    row(
        "duplicate-18-medicare",
        {"lines": [line("93702", "OA-18")]},
        route="reopening",
        due=REOPENING_DUE,
        present={"reopening_request"},
    ),
    row(
        "duplicate-18-commercial",
        {"payer_kind": "commercial", "lines": [line("93702", "OA-18")]},
        route="no_appeal",
        due=None,
        absent={"reopening_request"},
    ),
    # --- Underpayment (G10, CMS-PFS) ---
    # G10: 2020 office, 3.90 RVUs x 36.0896 = $140.75.
    row(
        "underpaid-2020-office",
        {
            "service_date": "2020-06-15",
            "notice_date": "2020-07-20",
            "lines": [line("93702", "CO-45", paid="100.00")],
        },
        today=date(2020, 8, 1),
        route="appeal",
        due=date(2020, 11, 22),  # 2020-07-25 receipt + 120 days
        present={"underpayment"},
        absent={"medical_necessity"},
        warnings="national amount, not your locality's",
        amount="140.75",
    ),
    # G10: 2020 hospital outpatient, APC 5721, $138.35.
    row(
        "underpaid-2020-hospital-outpatient",
        {
            "setting": "hospital_outpatient",
            "service_date": "2020-06-15",
            "notice_date": "2020-07-20",
            "lines": [line("93702", "CO-45", paid="100.00")],
        },
        today=date(2020, 8, 1),
        route="appeal",
        due=date(2020, 11, 22),
        present={"underpayment"},
        amount="138.35",
    ),
    # CMS-PFS: from 9 March 2024, 3.67 x 33.2875 = $122.17.
    row(
        "underpaid-2024-after-march-9",
        {
            "service_date": "2024-03-09",
            "notice_date": "2024-05-06",
            "lines": [line("93702", "CO-45", paid="121.00")],
        },
        today=date(2024, 5, 20),
        route="appeal",
        due=date(2024, 9, 8),  # 2024-05-11 receipt + 120 days
        present={"underpayment"},
        amount="122.17",
    ),
    # CMS-PFS: before 9 March 2024, 3.67 x 32.7442 = $120.17, so $121.00 is not
    # below it and CO-45 is a plain contractual reduction.
    row(
        "paid-2024-before-march-9",
        {
            "service_date": "2024-03-08",
            "notice_date": "2024-05-06",
            "lines": [line("93702", "CO-45", paid="121.00")],
        },
        today=date(2024, 5, 20),
        route="no_appeal",
        due=None,
        absent={"underpayment"},
        amount="120.17",
    ),
    # CMS-PFS: 2025, 3.55 x 32.3465 = $114.83.
    row(
        "underpaid-2025",
        {
            "service_date": "2025-05-01",
            "notice_date": "2025-05-30",
            "lines": [line("93702", "CO-45", paid="100.00")],
        },
        today=date(2025, 6, 10),
        route="appeal",
        due=date(2025, 10, 2),  # 2025-06-04 receipt + 120 days
        present={"underpayment"},
        amount="114.83",
    ),
    # X12-CODES group PR: the patient's share of the allowed amount, so $91.86 paid
    # plus $22.97 coinsurance is the full 2025 amount of $114.83.
    row(
        "coinsurance-not-underpaid-2025",
        {
            "service_date": "2025-05-01",
            "notice_date": "2025-05-30",
            "lines": [
                line("93702", "CO-45=70.17", "PR-2=22.97", paid="91.86"),
            ],
        },
        today=date(2025, 6, 10),
        route="no_appeal",
        due=None,
        absent={"underpayment"},
    ),
    # G10: a contracted rate in the payer profile is the commercial basis; no
    # national-amount warning.
    row(
        "underpaid-commercial-contracted-rate",
        {
            "payer_kind": "commercial",
            "contracted_rates": {"93702": "150.00"},
            "lines": [line("93702", "CO-45", paid="120.00")],
        },
        route="appeal",
        due=COMMERCIAL_DUE,
        present={"underpayment"},
        no_warnings="national amount",
        amount="150.00",
    ),
    # X12-CODES: CO-45 at the fee schedule amount is nothing to appeal.
    row(
        "contractual-45-at-fee-schedule",
        {
            "service_date": "2025-05-01",
            "notice_date": "2025-05-30",
            "lines": [line("93702", "CO-45", paid="114.83")],
        },
        today=date(2025, 6, 10),
        route="no_appeal",
        due=None,
        absent={"underpayment"},
    ),
    # No contracted rate: Medicare rates are no basis for a commercial payment.
    row(
        "contractual-45-commercial-no-rate",
        {"payer_kind": "commercial", "lines": [line("93702", "CO-45", paid="50.00")]},
        route="no_appeal",
        due=None,
        absent={"underpayment"},
    ),
    # X12-CODES PR-1, PR-2, PR-3: deductible, coinsurance and copay only.
    row(
        "patient-share-only",
        {
            "lines": [
                line("93702", "PR-1=40.00", "PR-2=20.00", "PR-3=5.00", paid="120.00")
            ]
        },
        route="no_appeal",
        due=None,
        warnings="There is nothing to appeal",
    ),
    # --- Codes no rule names (G11) ---
    row(
        "unknown-code",
        {"lines": [line("93702", "CO-ZZ9")]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"general", "policy_request"},
        warnings="not in the catalog",
    ),
    # CARC 59 is in the catalog but no rule names it: general, no catalog warning.
    row(
        "known-code-no-rule",
        {"lines": [line("93702", "CO-59")]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"general"},
        no_warnings="not in the catalog",
    ),
    # --- Several lines on one claim (G11: one letter argues each denial) ---
    row(
        "three-lines-one-letter",
        {
            "credential": "MD",
            "lines": [line("93702", "CO-50", remarks=("N115",)), EM_25, EVAL],
        },
        route="appeal",
        due=MEDICARE_DUE,
        present={"medical_necessity", "em_separate", "therapy_eval_same_day"},
    ),
    # G11: the 93702 line is appealed and the E/M without modifier 25 needs a
    # correction, so the letter leaves the E/M out and a warning explains why.
    row(
        "appeal-and-correction-mixed",
        {"lines": [line("93702", "CO-50", remarks=("N115",)), EM_NO_25]},
        route="appeal",
        due=MEDICARE_DUE,
        present={"medical_necessity"},
        absent={"em_separate", "reopening_request"},
        warnings="Line 2 (99213) is not part of this appeal",
    ),
    # --- Deadlines ---
    # CMS-RECONSIDERATION: 180 days from receipt, presumed 5 days after the notice.
    row(
        "deadline-medicare-level-2",
        {"level": 2, "prior_decision_by": "Noridian JF Part B"},
        route="appeal",
        due=date(2027, 4, 23),  # 2026-10-25 + 180 days
        present={"opening"},
        no_warnings="must name the contractor",
    ),
    row(
        "deadline-medicare-level-2-no-contractor",
        {"level": 2},
        route="appeal",
        due=date(2027, 4, 23),
        warnings="must name the contractor",
    ),
    # CMS-MA-RECONSIDERATION: 65 days for a notice dated 2025 or later.
    row(
        "deadline-ma-2026-notice",
        {"payer_kind": "medicare_advantage"},
        route="appeal",
        due=date(2026, 12, 24),  # 2026-10-20 + 65 days
        absent={"external_review"},
    ),
    # Medicare Advantage: 60 days for a notice dated 2024.
    row(
        "deadline-ma-2024-notice",
        {
            "payer_kind": "medicare_advantage",
            "service_date": "2024-09-03",
            "notice_date": "2024-10-01",
        },
        today=date(2024, 10, 15),
        route="appeal",
        due=date(2024, 11, 30),  # 2024-10-01 + 60 days
    ),
    # The 65-day window starts with notices dated 1 January 2025.
    row(
        "deadline-ma-2025-01-01-notice",
        {
            "payer_kind": "medicare_advantage",
            "service_date": "2024-12-02",
            "notice_date": "2025-01-01",
        },
        today=date(2025, 1, 10),
        route="appeal",
        due=date(2025, 3, 7),  # 2025-01-01 + 65 days
    ),
    row(
        "deadline-ma-2024-12-31-notice",
        {
            "payer_kind": "medicare_advantage",
            "service_date": "2024-12-02",
            "notice_date": "2024-12-31",
        },
        today=date(2025, 1, 10),
        route="appeal",
        due=date(2025, 3, 1),  # 2024-12-31 + 60 days
    ),
    # CFR-438.402: the state sets the Medicaid window, entered in the profile.
    row(
        "deadline-medicaid-window",
        {"payer_kind": "medicaid", "window_days": 90},
        route="appeal",
        due=date(2027, 1, 18),  # 2026-10-20 + 90 days
        absent={"external_review", "whcra"},
    ),
    # Medicaid without a window: no date, and a warning to enter it.
    row(
        "deadline-medicaid-no-window",
        {"payer_kind": "medicaid"},
        route="appeal",
        due=None,
        warnings="set by each state",
    ),
    # HEALTHCARE-GOV-APPEALS: a profile window overrides the 180-day default.
    row(
        "deadline-commercial-profile-window",
        {"payer_kind": "commercial", "window_days": 90},
        route="appeal",
        due=date(2027, 1, 18),
    ),
    # Past the window with no good-cause text: warn, no good-cause piece.
    row(
        "deadline-past-window",
        {"service_date": "2026-04-15", "notice_date": "2026-05-01"},
        route="appeal",
        due=date(2026, 9, 3),  # 2026-05-06 receipt + 120 days
        absent={"good_cause"},
        warnings="The filing window ended on 2026-09-03",
    ),
    # Past the window with good cause given: the piece asks to accept it.
    row(
        "deadline-past-window-good-cause",
        {
            "service_date": "2026-04-15",
            "notice_date": "2026-05-01",
            "good_cause": GOOD_CAUSE,
        },
        route="appeal",
        due=date(2026, 9, 3),
        present={"good_cause"},
    ),
    # Good cause entered but the window is open: no good-cause piece.
    row(
        "deadline-open-window-good-cause",
        {"good_cause": GOOD_CAUSE},
        route="appeal",
        due=MEDICARE_DUE,
        absent={"good_cause"},
        no_warnings="filing window ended",
    ),
    # Due on the last day is still in time (the day after is past).
    row(
        "deadline-due-today",
        {
            "service_date": "2026-04-15",
            "notice_date": "2026-05-01",
            "good_cause": GOOD_CAUSE,
        },
        today=date(2026, 9, 3),
        route="appeal",
        due=date(2026, 9, 3),
        absent={"good_cause"},
        no_warnings="filing window ended",
    ),
]


@pytest.mark.parametrize(("overrides", "today", "expected"), ROWS)
def test_decide_row(overrides, today, expected):
    decision = decide(make_case(**overrides), today)
    chosen = set(decision.piece_ids)
    text = "\n".join(decision.warnings)

    assert decision.route == expected.route, decision.to_dict()
    assert expected.present <= chosen, f"missing {expected.present - chosen}"
    assert not expected.absent & chosen, f"unexpected {expected.absent & chosen}"
    assert decision.deadline.due == expected.due
    for warning in expected.warnings:
        assert warning in text, decision.warnings
    for warning in expected.no_warnings:
        assert warning not in text, decision.warnings
    if expected.amount is not None:
        assert decision.lines[0].expected == expected.amount


def test_table_has_enough_rows():
    assert len(ROWS) >= 45


def test_letter_frame_on_appeal():
    decision = decide(make_case(), TODAY)

    assert decision.piece_ids[0] == "opening"
    assert decision.piece_ids[-1] == "closing"


def test_letter_frame_on_reopening():
    decision = decide(make_case(lines=[LDEX_PAID, EM_NO_25]), TODAY)

    assert decision.piece_ids == ["reopening_request", "closing"]


def test_no_pieces_on_corrected_claim():
    case = make_case(lines=[line("93702", "CO-16", remarks=("MA130",))])
    decision = decide(case, TODAY)

    assert decision.pieces == []
    assert decision.enclosures == []
    assert "no appeal rights" in decision.lines[0].reason


def test_pieces_follow_table_order():
    case = make_case(
        payer_kind="commercial",
        lines=[line("93702", "CO-55"), EM_25],
        mastectomy=True,
        reconstruction=True,
        diagnoses=LYMPHEDEMA_DX,
    )
    ids = decide(case, TODAY).piece_ids
    order = rules.default_table().order

    assert ids == [piece for piece in order if piece in ids]


def test_multi_line_piece_names_its_lines():
    case = make_case(lines=[line("93702", "CO-50", remarks=("N115",)), EM_25, EVAL])
    pieces = {piece.id: piece for piece in decide(case, TODAY).pieces}

    assert pieces["medical_necessity"].lines == [0]
    assert pieces["em_separate"].lines == [1]
    assert pieces["therapy_eval_same_day"].lines == [2]


def test_remittance_copy_always_enclosed():
    decision = decide(make_case(), TODAY)

    assert decision.enclosures[0].startswith("Copy of the remittance advice")
    assert "L-Dex reports" in decision.enclosures


def test_extra_enclosures_follow_rules():
    case = make_case()
    case.extra_enclosures = ["Letter of medical necessity from Dr. Ortiz"]
    decision = decide(case, TODAY)

    assert decision.enclosures[-1] == "Letter of medical necessity from Dr. Ortiz"


def test_underpayment_subtracts_patient_share():
    lines = [line("93702", "CO-45=75.17", "PR-2=20.00", paid="89.83")]
    case = make_case(service_date="2025-05-01", notice_date="2025-05-30", lines=lines)
    decision = decide(case, date(2025, 6, 10))

    assert decision.route == "appeal"
    # $114.83 national amount less the $20.00 coinsurance the patient owes.
    assert decision.lines[0].expected == "94.83"


def test_reopening_warning_names_both_dates():
    decision = decide(make_case(clerical_error="modifier"), TODAY)

    assert any("2027-10-20" in w and "2027-02-22" in w for w in decision.warnings), (
        decision.warnings
    )


def test_every_rule_basis_is_a_source():
    table = rules.default_table()
    entries = list(table.rules) + list(table.addons)

    for entry in entries:
        ids = [part.strip() for part in entry.basis.replace(",", " ").split()]
        assert ids, f"{entry.id} names no guide point or source"
        unknown = [i for i in ids if i not in SOURCES]
        assert not unknown, f"{entry.id} names unknown sources {unknown}"


def test_every_rule_route_is_known():
    for rule in rules.default_table().rules:
        routes = [rule.route] if isinstance(rule.route, str) else rule.route.values()
        assert set(routes) <= set(rules.ROUTES), rule.id


def test_decision_dict_has_due_date():
    data = decide(make_case(), TODAY).to_dict()

    assert data["due_date"] == MEDICARE_DUE.isoformat()
    assert data["due_source"] == "CMS-REDETERMINATION"


def test_expected_amount_exact_decimal():
    lines = [line("93702", "CO-45", paid="100.00")]
    case = make_case(service_date="2020-06-15", notice_date="2020-07-20", lines=lines)
    expected = decide(case, date(2020, 8, 1)).facts.expected

    assert [amount.amount for amount in expected.values()] == [Decimal("140.75")]


def test_expected_capped_at_billed_charge():
    """Is a line paid its full charge below the fee schedule left alone?"""
    case = make_case(
        payer_kind="commercial",
        contracted_rates={"93702": "150.00"},
        lines=[line("93702", billed="120.00", paid="120.00")],
    )
    decision = decide(case, TODAY)
    assert decision.lines == []
    assert decision.route == "no_appeal"


def test_contractual_zero_payment_is_underpaid():
    """Is a CO-45 line paid nothing against a known rate an underpayment?"""
    case = make_case(
        payer_kind="commercial",
        contracted_rates={"93702": "150.00"},
        lines=[line("93702", "CO-45=200.00", billed="200.00", paid="0.00")],
    )
    decision = decide(case, TODAY)
    assert decision.route == "appeal"
    assert "underpayment" in decision.piece_ids


def test_contractual_without_rate_says_so():
    """Does CO-45 with no amount on file report that nothing is on file?"""
    case = make_case(
        payer_kind="commercial",
        lines=[line("93702", "CO-45=65.00", billed="185.00", paid="120.00")],
    )
    decision = decide(case, TODAY)
    assert decision.route == "no_appeal"
    assert "no fee schedule or contracted amount is on file" in decision.lines[0].reason


@pytest.mark.parametrize("carc", ["22", "109", "27"])
def test_other_payer_and_eligibility_not_appealed(carc):
    """Are coordination of benefits, wrong payer and ended coverage not appealed?"""
    case = make_case(lines=[line("93702", f"CO-{carc}")])
    decision = decide(case, TODAY)
    assert decision.route == "no_appeal"
    assert decision.lines[0].next_step


def test_appealed_line_reason_drops_no_appeal_rule():
    """Does an appealed CO-50 line with CO-45 give no 'nothing to appeal' reason?"""
    case = make_case(lines=[line("93702", "CO-45=20.00", "CO-50", remarks=["N115"])])
    decision = decide(case, TODAY)
    assert decision.lines[0].route == "appeal"
    assert "nothing to appeal" not in decision.lines[0].reason
