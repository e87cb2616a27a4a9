"""Unit tests of the denial form's conversion to and from the JSON case format."""

from pathlib import Path

import pytest
from conftest import load_example
from test_views import form_data
from werkzeug.datastructures import MultiDict

from appeals.case import CaseError, case_from_dict
from appeals.web.forms import (
    DenialForm,
    attach_case_errors,
    case_to_formdata,
    form_to_case,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
EXAMPLE_NAMES = sorted(path.stem for path in EXAMPLES.glob("*.json"))


@pytest.fixture
def make_form(app):
    """Return a function that binds form data to a DenialForm in a request."""
    app.config["WTF_CSRF_ENABLED"] = False
    contexts = []

    def make(data: MultiDict) -> DenialForm:
        context = app.test_request_context("/appeals/new", method="POST")
        context.push()
        contexts.append(context)
        return DenialForm(formdata=data)

    yield make
    for context in reversed(contexts):
        context.pop()


def case_errors(case: dict) -> list[tuple[str, str]]:
    """Return the problems case_from_dict reports for a case, or an empty list."""
    try:
        case_from_dict(case)
    except CaseError as error:
        return error.problems
    return []


def errors_by_id(form: DenialForm) -> dict[str, list[str]]:
    """Return every field's errors keyed by the field id, nested rows included."""
    found = {}

    def walk(field):
        if hasattr(field, "entries"):
            for entry in field.entries:
                walk(entry)
        elif hasattr(field, "form") and hasattr(field.form, "_fields"):
            for sub in field.form:
                walk(sub)
        elif field.errors:
            found[field.id] = list(field.errors)

    for field in form:
        walk(field)
    return found


# Round trip


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_round_trip_same_case(make_form, name):
    example = load_example(name)

    case_dict, _ = form_to_case(make_form(form_data(example)))

    assert case_from_dict(case_dict) == case_from_dict(example)


def test_round_trip_formdata_stable(make_form):
    example = load_example("multi-line")

    case_dict, _ = form_to_case(make_form(form_data(example)))
    again = case_to_formdata(case_dict)

    assert again == case_to_formdata(example)


def test_case_to_formdata_fields():
    data = case_to_formdata(load_example("multi-line"))

    assert data["payer_address"] == (
        "Attn: Redeterminations\nPO Box 6783\nFargo, ND 58108-6783"
    )
    assert data["practice_address"] == "400 Lake Street, Suite 200\nBoise, ID 83702"
    assert data["lines-1-code"] == "99214"
    assert data["lines-1-modifiers"] == "25"
    assert data["lines-1-units"] == "1"
    assert data["lines-1-adjustments-0-group"] == "CO"
    assert data["lines-1-adjustments-0-reason"] == "97"
    assert data["lines-1-adjustments-0-amount"] == "210.00"
    assert data["lines-1-remarks"] == "M15"
    assert data["diagnoses"] == "C50.912, Z90.12, I89.0"
    assert "lines-0-modifiers" not in data
    assert "lines-2-code" not in data


def test_case_to_formdata_partial_import():
    imported = {
        "payer": {"name": "NYSDOH"},
        "claim": {"number": "1000230000000020", "lines": [{"code": "V2700"}]},
    }

    data = case_to_formdata(imported)

    assert data.to_dict() == {
        "payer_name": "NYSDOH",
        "claim_number": "1000230000000020",
        "lines-0-code": "V2700",
        "lines-0-units": "1",
    }


@pytest.mark.parametrize(
    ("case", "key", "expected"),
    [
        ({"payer": {"address": "PO Box 1"}}, "payer_address", "PO Box 1"),
        (
            {"payer": {"required_diagnoses": "Z90.12, C50.912"}},
            "payer_required_diagnoses",
            "Z90.12, C50.912",
        ),
        ({"claim": {"lines": [{"modifiers": "25 59"}]}}, "lines-0-modifiers", "25 59"),
        ({"claim": {"lines": [{"remarks": "N115"}]}}, "lines-0-remarks", "N115"),
        ({"diagnoses": "C50.912"}, "diagnoses", "C50.912"),
    ],
)
def test_case_to_formdata_text_kept(case, key, expected):
    assert case_to_formdata(case)[key] == expected


@pytest.mark.parametrize(
    "case",
    [
        {"payer": "Noridian", "patient": ["x"], "claim": 5},
        {"claim": {"lines": "93702"}},
        {"claim": {"lines": [None, 7, {"code": "93702", "adjustments": "CO-50"}]}},
    ],
)
def test_case_to_formdata_skips_wrong_types(case):
    data = case_to_formdata(case)

    assert [key for key in data if key.startswith("payer") or "adjust" in key] == []


def test_case_to_formdata_line_limit():
    case = {"claim": {"lines": [{"code": "99213"} for _ in range(25)]}}

    data = case_to_formdata(case)

    assert "lines-19-code" in data
    assert "lines-20-code" not in data


# Blank rows and the index maps


def test_form_to_case_skips_blank_rows(make_form):
    data = form_data(load_example("multi-line"))
    # Move line 2 to row 2, leaving row 1 blank as a biller might.
    for key in [k for k in data if k.startswith("lines-1-")]:
        data.setlist(key.replace("lines-1-", "lines-2-"), data.poplist(key))
    data.add("lines-1-units", "1")

    case_dict, maps = form_to_case(make_form(data))

    assert [line["code"] for line in case_dict["claim"]["lines"]] == ["93702", "99214"]
    assert maps["lines"] == [0, 2]
    assert maps["adjustments"] == {0: [0], 1: [0]}
    assert maps["measurements"] == [0, 1, 2, 3]


def test_form_to_case_modifier_only_line_kept(make_form):
    data = form_data(load_example("medicare-medical-necessity"))
    data.add("lines-1-modifiers", "25")

    case_dict, maps = form_to_case(make_form(data))

    assert len(case_dict["claim"]["lines"]) == 2
    assert case_dict["claim"]["lines"][1]["modifiers"] == "25"
    assert maps["lines"] == [0, 1]


def test_form_to_case_units_and_window(make_form):
    data = form_data(load_example("pt-eval-same-day"))
    data.setlist("lines-0-units", ["2"])
    data.setlist("lines-1-units", ["two"])

    case_dict, _ = form_to_case(make_form(data))

    assert case_dict["payer"]["window_days"] == 60
    assert case_dict["claim"]["lines"][0]["units"] == 2
    assert case_dict["claim"]["lines"][1]["units"] == "two"
    assert case_dict["provider"]["enrolled"] is True


def test_form_to_case_profile_rates(make_form):
    profile = {"contracted_rates": {"93702": "142.50"}}

    case_dict, _ = form_to_case(
        make_form(form_data(load_example("commercial-experimental"))), profile
    )

    assert case_dict["payer"]["contracted_rates"] == {"93702": "142.50"}


# Errors mapped back to fields


def _attach(make_form, data: MultiDict) -> dict[str, list[str]]:
    form = make_form(data)
    case_dict, maps = form_to_case(form)
    attach_case_errors(form, case_errors(case_dict), maps)
    return errors_by_id(form)


def test_error_on_second_line_after_blank_row(make_form):
    data = form_data(load_example("multi-line"))
    for key in [k for k in data if k.startswith("lines-1-")]:
        data.setlist(key.replace("lines-1-", "lines-2-"), data.poplist(key))
    data.add("lines-1-units", "1")
    data.setlist("lines-2-billed", ["abc"])

    errors = _attach(make_form, data)

    assert list(errors) == ["lines-2-billed"]
    assert errors["lines-2-billed"] == [
        '"abc" is not an amount. Enter digits with an optional $ and commas, such '
        "as 185.00 or $1,234.56."
    ]


def test_error_on_adjustment_after_blank_row(make_form):
    data = form_data(load_example("medicare-medical-necessity"))
    # A browser posts the blank row between the filled ones too.
    for key in ("group", "reason", "amount"):
        data.add(f"lines-0-adjustments-1-{key}", "")
    data.add("lines-0-adjustments-2-group", "CO")
    data.add("lines-0-adjustments-2-amount", "5.00")

    errors = _attach(make_form, data)

    assert list(errors) == ["lines-0-adjustments-2-reason"]
    assert errors["lines-0-adjustments-2-reason"][0].startswith(
        "Reason code (CARC) is required"
    )


def test_error_on_reading_after_blank_row(make_form):
    data = form_data(load_example("medicare-medical-necessity"))
    for index in (2, 1, 0):
        for key in ("date", "ldex", "baseline"):
            values = data.poplist(f"measurements-{index}-{key}")
            if values:
                data.setlist(f"measurements-{index + 1}-{key}", values)
    data.add("measurements-0-date", "")
    data.add("measurements-0-ldex", "")
    data.setlist("measurements-1-ldex", ["high"])

    errors = _attach(make_form, data)

    assert list(errors) == ["measurements-1-ldex"]
    assert errors["measurements-1-ldex"] == [
        "'high' is not an L-Dex score; enter a number such as 4.8."
    ]


def test_second_baseline_on_first_kept_reading(make_form):
    data = form_data(load_example("medicare-medical-necessity"))
    for index in (2, 1, 0):
        for key in ("date", "ldex", "baseline"):
            values = data.poplist(f"measurements-{index}-{key}")
            if values:
                data.setlist(f"measurements-{index + 1}-{key}", values)
    data.add("measurements-0-date", "")
    data.add("measurements-0-ldex", "")
    data.add("measurements-2-baseline", "y")

    errors = _attach(make_form, data)

    assert list(errors) == ["measurements-1-date"]


@pytest.mark.parametrize(
    ("path", "field_id"),
    [
        ("payer.name", "payer_name"),
        ("payer.address[2]", "payer_address"),
        ("payer.contracted_rates.93702", "payer_profile"),
        ("practice.address", "practice_address"),
        ("claim.notice_date", "notice_date"),
        ("claim.lines", "lines-0-code"),
        ("claim.lines[0]", "lines-0-code"),
        ("claim.lines[1].modifiers", "lines-1-modifiers"),
        ("claim.lines[1].remarks[1]", "lines-1-remarks"),
        ("claim.lines[1].units", "lines-1-units"),
        ("claim.lines[0].adjustments[0].amount", "lines-0-adjustments-0-amount"),
        ("claim.lines[0].adjustments[0]", "lines-0-adjustments-0-reason"),
        ("claim.lines[5].billed", "lines-0-code"),
        ("clinical.lymph_nodes.regions", "node_regions"),
        ("clinical.measurements[3].date", "measurements-3-date"),
        ("enclosures[1]", "enclosures"),
        ("case", "claim_number"),
    ],
)
def test_attach_path_to_field(make_form, path, field_id):
    form = make_form(form_data(load_example("multi-line")))
    _, maps = form_to_case(form)

    attach_case_errors(form, [(path, "Check this value.")], maps)

    assert errors_by_id(form) == {field_id: ["Check this value."]}


def test_attach_lowercase_message_gets_label(make_form):
    form = make_form(form_data(load_example("multi-line")))
    _, maps = form_to_case(form)

    attach_case_errors(
        form,
        [
            ("claim.number", "is required."),
            ("claim.lines[1].paid", "is more than the billed amount; check both."),
        ],
        maps,
    )

    assert errors_by_id(form) == {
        "claim_number": ["Claim number is required."],
        "lines-1-paid": ["Paid is more than the billed amount; check both."],
    }


def test_attach_two_errors_same_field(make_form):
    form = make_form(form_data(load_example("multi-line")))
    _, maps = form_to_case(form)

    attach_case_errors(
        form, [("diagnoses", "First problem."), ("diagnoses", "Second problem.")], maps
    )

    assert errors_by_id(form) == {"diagnoses": ["First problem.", "Second problem."]}
