"""Build JSON-shaped test cases: a Medicare 93702 medical-necessity denial by default.

``case_dict`` returns the dict the web form and the CLI feed to ``case_from_dict``,
and each keyword replaces one part of it, so a table row names only what it changes.
"""

import copy
from datetime import date

from appeals.case import Case, case_from_dict

# The letter date of every case unless a test passes its own ``today``.
TODAY = date(2026, 11, 1)

PAYERS = {
    "medicare": {
        "name": "Noridian Healthcare Solutions, JF Part B",
        "payer_id": "03302",
        "address": ["Attn: Redeterminations", "PO Box 6783", "Fargo, ND 58108-6783"],
        "fax": "701-277-2424",
        "phone": "877-908-8431",
    },
    "medicare_advantage": {
        "name": "Summit Medicare Advantage Plan",
        "address": ["Provider Appeals", "PO Box 3001", "Boise, ID 83701"],
        "fax": "208-555-0190",
    },
    "medicaid": {
        "name": "Idaho Medicaid Managed Care",
        "address": ["Appeals Unit", "PO Box 83720", "Boise, ID 83720"],
    },
    "commercial": {
        "name": "Cascade Health Insurance Company",
        "address": ["Member and Provider Appeals", "PO Box 2200", "Portland, OR 97207"],
        "fax": "503-555-0111",
    },
}

BASE = {
    "practice": {
        "name": "Lakeside Breast Surgery",
        "npi": "1234567893",
        "address": ["400 Lake Street, Suite 200", "Boise, ID 83702"],
        "phone": "208-555-0142",
    },
    "provider": {"name": "Maria Chen", "npi": "1558598797", "credential": "PA"},
    "setting": "office",
    "patient": {
        "name": "Dana Whitfield",
        "birth_date": "1961-04-17",
        "member_id": "1EG4-TE5-MK72",
    },
    "claim": {
        "number": "552026301145770",
        "service_date": "2026-09-15",
        "notice_date": "2026-10-20",
    },
    "diagnoses": ["C50.912", "Z90.12"],
    "clinical": {
        "lymph_nodes": {
            "regions": ["axillary"],
            "removed": True,
            "damaged": False,
            "irradiated": True,
        },
        "surgery_date": "2026-03-02",
        "measurements": [
            {"date": "2026-02-20", "ldex": 1.2, "baseline": True},
            {"date": "2026-06-10", "ldex": 3.0},
            {"date": "2026-09-15", "ldex": 8.1},
        ],
    },
    "denial_text": "Service not reasonable and necessary per LCD.",
}

# Keywords that set one field of the claim section.
CLAIM_FIELDS = (
    "service_date",
    "notice_date",
    "level",
    "prior_decision_by",
    "clerical_error",
    "correction",
    "call_reference",
    "authorization",
    "submitted_date",
)
# Keywords that set one field of the payer section.
PAYER_FIELDS = ("window_days", "required_diagnoses", "contracted_rates", "name")
NODE_FIELDS = ("regions", "removed", "damaged", "irradiated")


def line(
    code: str = "93702",
    *adjustments: str,
    remarks: tuple[str, ...] = (),
    modifiers: tuple[str, ...] = (),
    billed: str = "185.00",
    paid: str = "0.00",
) -> dict:
    """Return a claim line; each adjustment is "GROUP-CARC" or "GROUP-CARC=amount".

    An adjustment without an amount takes the unpaid rest of the billed charge.
    """
    parsed = []
    for text in adjustments:
        codes, _, amount = text.partition("=")
        group, reason = codes.split("-", 1)
        if not amount:
            amount = f"{float(billed) - float(paid):.2f}"
        parsed.append({"group": group, "reason": reason, "amount": amount})
    return {
        "code": code,
        "modifiers": list(modifiers),
        "billed": billed,
        "paid": paid,
        "adjustments": parsed,
        "remarks": list(remarks),
    }


# The default denied line: 93702 denied CO-50 with N115, as in the example case.
DEFAULT_LINES = (line("93702", "CO-50", remarks=("N115",)),)


def case_dict(
    *,
    payer_kind: str = "medicare",
    lines: list[dict] | tuple[dict, ...] = DEFAULT_LINES,
    credential: str | None = None,
    enrolled: bool | None = None,
    setting: str | None = None,
    birth_date: str | None = None,
    patient_name: str | None = None,
    diagnoses: list[str] | None = None,
    mastectomy: bool | None = None,
    reconstruction: bool | None = None,
    measurements: list[dict] | None = None,
    surgery_date: str | None = None,
    good_cause: str | None = None,
    denial_text: str | None = None,
    **fields,
) -> dict:
    """Return a case dict, with any claim, payer or node field replaced by keyword."""
    data = copy.deepcopy(BASE)
    data["payer"] = {"kind": payer_kind, **copy.deepcopy(PAYERS[payer_kind])}
    data["claim"]["lines"] = copy.deepcopy(list(lines))

    nodes = data["clinical"]["lymph_nodes"]
    for key, value in fields.items():
        if key in CLAIM_FIELDS:
            data["claim"][key] = value
        elif key in PAYER_FIELDS:
            data["payer"][key] = value
        elif key in NODE_FIELDS:
            nodes[key] = value
        else:
            raise TypeError(f"case_dict() got an unknown keyword {key!r}")

    if credential is not None:
        data["provider"]["credential"] = credential
    if enrolled is not None:
        data["provider"]["enrolled"] = enrolled
    if setting is not None:
        data["setting"] = setting
    if birth_date is not None:
        data["patient"]["birth_date"] = birth_date
    if patient_name is not None:
        data["patient"]["name"] = patient_name
    if diagnoses is not None:
        data["diagnoses"] = diagnoses
    if mastectomy is not None:
        data["clinical"]["mastectomy"] = mastectomy
    if reconstruction is not None:
        data["clinical"]["reconstruction"] = reconstruction
    if measurements is not None:
        data["clinical"]["measurements"] = measurements
    if surgery_date is not None:
        data["clinical"]["surgery_date"] = surgery_date
    if good_cause is not None:
        data["good_cause"] = good_cause
    if denial_text is not None:
        data["denial_text"] = denial_text
    return data


def make_case(**overrides) -> Case:
    """Return a parsed Case built by ``case_dict`` from the same keywords."""
    return case_from_dict(case_dict(**overrides))


# Node fields of a patient with no removal, damage or irradiation on record.
NO_NODES = {"regions": [], "removed": False, "damaged": False, "irradiated": False}
