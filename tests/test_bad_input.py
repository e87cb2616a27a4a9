"""Tests of bad and unusual input on the denial form, the 835 upload and CSRF.

A rejected value comes back with a message next to its own field, and every typed
value stays in the form. An accepted value gives a correct letter. No input gives
a 500.
"""

import io
import json
import re
import time
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import flask_wtf.csrf
import pytest
from conftest import PASSWORD, load_example
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from test_views import (
    TODAY,
    docx_paragraphs,
    field_errors,
    form_data,
    form_values,
    page_text,
    reference_rows,
    rows,
)

from appeals.case import case_from_dict

ROOT = Path(__file__).resolve().parent.parent
# Control characters that must never reach the .docx: the C0 controls that XML 1.0
# forbids (all but tab, line feed and carriage return), DEL and the C1 controls.
XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The 837 claim a biller might pick by mistake: an envelope with an ST*837 set.
CLAIM_837 = (
    "ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*RECEIVER       "
    "*260101*1200*^*00501*000000001*0*P*:~GS*HC*S*R*20260101*1200*1*X*005010X222A1~"
    "ST*837*0001*005010X222A1~SE*2*0001~GE*1*1~IEA*1*000000001~"
)


@pytest.fixture
def biller(app, client, auth):
    """Return a client signed in as the biller, on an app whose today is TODAY."""
    app.config["TODAY"] = TODAY
    # Unhandled errors render the 500 page, as in production, instead of raising.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    auth.login()
    return client


def _changed(name: str, **fields):
    data = form_data(load_example(name))
    for key, value in fields.items():
        data.setlist(key.replace("__", "-"), [value])
    return data


def assert_rejected(response, sent, field: str, message: str, gone=()) -> None:
    """Check a 422 with message next to field only and every typed value kept.

    gone names fields whose typed value has no place on the new page, such as a
    choice of a payer profile that no longer exists.
    """
    page = response.get_data(as_text=True)
    errors = field_errors(page)
    assert response.status_code == 422
    assert list(errors) == [field]
    assert message in errors[field]
    shown = form_values(page)
    for key in sent:
        if key not in ("action", "csrf_token", *gone):
            assert shown.getlist(key) == sent.getlist(key), key


def saved_case(app) -> dict:
    """Return the JSON case of the one saved appeal."""
    return json.loads(rows(app, "SELECT case_json FROM appeals")[-1][0])


def download(client, appeal_id: int) -> list[str]:
    response = client.get(f"/appeals/{appeal_id}/download")
    assert response.status_code == 200
    return docx_paragraphs(response.data)


def save(client, data) -> int:
    response = client.post("/appeals/new", data=data)
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


# Pasted text


def test_pdf_paste_control_characters(biller):
    data = _changed(
        "medicare-medical-necessity",
        patient_name="Dana\x0bWhitfield\x0c",
        denial_text="Service not\r\nreasonable\x0band necessary\x0cper LCD.\r\n",
        lines__0__adjustments__0__reason="ZZ9",
        lines__0__remarks="",
    )
    appeal_id = save(biller, data)

    response = biller.get(f"/appeals/{appeal_id}/download")
    paragraphs = docx_paragraphs(response.data)
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        document_xml = archive.read("word/document.xml").decode("utf-8")

    assert reference_rows(paragraphs)["Beneficiary"] == "Dana Whitfield"
    quote = '"Service not reasonable and necessary per LCD."'
    assert any(quote in text for text in paragraphs)
    for text in paragraphs:
        assert not XML_CONTROL.search(text), repr(text)
        assert "\r" not in text
    assert not XML_CONTROL.search(document_xml)


@pytest.mark.parametrize(
    "name",
    [
        "Zoë O'Brien-Núñez",
        "王小明",
        "فاطمة الزهراء",
        "שרה בת־אברהם",
        "Nguyễn Thị Ánh",
    ],
)
def test_name_printed_exactly(biller, name):
    appeal_id = save(biller, _changed("medicare-medical-necessity", patient_name=name))

    paragraphs = download(biller, appeal_id)
    page = page_text(biller.get(f"/appeals/{appeal_id}"))

    assert reference_rows(paragraphs)["Beneficiary"] == name
    assert any(text.startswith(f"{name} had lymph nodes") for text in paragraphs)
    assert f"<dd>{name}</dd>" in page


def test_decomposed_accents_composed(biller):
    decomposed = unicodedata.normalize("NFD", "Zoë Núñez")

    appeal_id = save(
        biller, _changed("medicare-medical-necessity", patient_name=decomposed)
    )

    assert reference_rows(download(biller, appeal_id))["Beneficiary"] == "Zoë Núñez"


def test_template_syntax_printed_literally(biller, app):
    denial = "{{ config }} {% raw %} {# note #} {{ self.__init__ }}"
    data = _changed(
        "medicare-medical-necessity",
        patient_name="{{7*7}}",
        denial_text=denial,
        lines__0__adjustments__0__reason="ZZ9",
        lines__0__remarks="",
    )
    appeal_id = save(biller, data)

    paragraphs = download(biller, appeal_id)
    text = "\n".join(paragraphs)
    page = page_text(biller.get(f"/appeals/{appeal_id}"))

    assert reference_rows(paragraphs)["Beneficiary"] == "{{7*7}}"
    assert f'"{denial}."' in text
    assert "Beneficiary:\t49" not in text
    assert app.config["SECRET_KEY"] not in text
    assert "<Config" not in text
    assert "<dd>{{7*7}}</dd>" in page


# Money


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("lines-0-billed", "$1,234.56", Decimal("1234.56")),
        ("lines-0-billed", " 185 ", Decimal("185.00")),
        ("lines-0-paid", "0.00", Decimal("0.00")),
        ("lines-0-paid", "", Decimal("0.00")),
    ],
)
def test_money_accepted(biller, app, field, value, expected):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [value])

    save(biller, data)

    line = case_from_dict(saved_case(app)).claim.lines[0]
    assert getattr(line, field.rsplit("-", 1)[1]) == expected


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lines-0-billed", "-5", '"-5" is negative.'),
        ("lines-0-billed", "(185.00)", "is negative"),
        ("lines-0-billed", "NaN", '"NaN" is not an amount.'),
        ("lines-0-billed", "Infinity", "is not an amount"),
        (
            "lines-0-billed",
            "140.755",
            '"140.755" has 3 digits after the decimal point',
        ),
        ("lines-0-billed", "abc", '"abc" is not an amount.'),
        ("lines-0-billed", "1,23.00", "has a comma in the wrong place"),
        ("lines-0-billed", "1000000", "is above the maximum of $999,999.99"),
        ("lines-1-paid", "abc", '"abc" is not an amount.'),
        ("lines-1-adjustments-0-amount", "2l0.00", "is not an amount"),
        ("lines-0-paid", "200.00", "Paid is more than the billed amount"),
    ],
)
def test_money_rejected(biller, app, field, value, message):
    data = form_data(load_example("multi-line"))
    data.setlist(field, [value])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


# Dates


@pytest.mark.parametrize(
    ("field", "value", "path", "expected"),
    [
        ("notice_date", "11/03/2026", ("claim", "notice_date"), "2026-11-03"),
        ("notice_date", "10-20-2026", ("claim", "notice_date"), "2026-10-20"),
        ("service_date", "2026-9-15", ("claim", "service_date"), "2026-09-15"),
        ("patient_birth_date", "", ("patient", "birth_date"), None),
        ("surgery_date", "", ("clinical", "surgery_date"), None),
    ],
)
def test_date_accepted(biller, app, field, value, path, expected):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [value])

    save(biller, data)

    case = case_from_dict(saved_case(app))
    section, key = path
    parsed = getattr(getattr(case, section), key)
    assert (parsed.isoformat() if parsed else None) == expected


def test_iso_date_without_zeros_accepted(biller, app):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist("service_date", ["2026-1-1"])

    appeal_id = save(biller, data)

    reference = reference_rows(download(biller, appeal_id))
    assert reference["Date of service"] == "January 1, 2026"


def test_blank_birth_date_left_out_of_letter(biller):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist("patient_birth_date", [""])

    appeal_id = save(biller, data)

    assert "Date of birth" not in reference_rows(download(biller, appeal_id))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "service_date",
            "02/30/2026",
            '"02/30/2026" is not a real date, because February 2026 has 28 days.',
        ),
        ("service_date", "13/01/2026", '"13/01/2026" has month 13, which does not'),
        ("service_date", "9/15/26", "has a two-digit year"),
        ("service_date", "15.09.2026", "is not a date in a known format"),
        ("service_date", "", "Date of service is required: enter a date."),
        (
            "notice_date",
            "2026-09-01",
            "Date of the denial notice is before the date of service; check both "
            "dates.",
        ),
        ("patient_birth_date", "1961-02-29", "February 1961 has 28 days"),
        ("surgery_date", "2026-03-32", "March 2026 has 31 days"),
        ("measurements-1-date", "06/31/2026", "June 2026 has 30 days"),
        ("submitted_date", "yesterday", "is not a date in a known format"),
    ],
)
def test_date_rejected(biller, app, field, value, message):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [value])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


# Diagnosis codes


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("c50912, z9012", ["C50.912", "Z90.12"]),
        ("C50.912; Z90.12", ["C50.912", "Z90.12"]),
        (" c50.912 \n Z90.12 ", ["C50.912", "Z90.12"]),
        ("C50 .912 Z90.12.", ["C50.912", "Z90.12"]),
    ],
)
def test_diagnosis_accepted(biller, app, typed, expected):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist("diagnoses", [typed])

    appeal_id = save(biller, data)
    page = biller.get(f"/appeals/{appeal_id}").get_data(as_text=True)

    assert case_from_dict(saved_case(app)).diagnoses == expected
    assert 'class="warnings"' not in page


@pytest.mark.parametrize(
    "code",
    [
        "C50.9",  # a header: C50.9 has billable children such as C50.912
        "S42.001",  # needs a seventh character, such as S42.001A
    ],
)
def test_unbillable_diagnosis_routes_to_correction(biller, code):
    data = form_data(load_example("diagnosis"))
    data.setlist("diagnoses", [f"{code}, Z90.12"])

    appeal_id = save(biller, data)
    page = page_text(biller.get(f"/appeals/{appeal_id}"))

    assert "Corrected claim, not an appeal" in page
    assert (
        f"Diagnosis codes that are not valid, billable ICD-10-CM codes: {code}." in page
    )
    assert biller.get(f"/appeals/{appeal_id}/download").status_code == 404


def test_unbillable_diagnosis_medicare_warns(biller):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist("diagnoses", ["C50.9, Z90.12"])

    appeal_id = save(biller, data)
    page = page_text(biller.get(f"/appeals/{appeal_id}"))

    assert "billable ICD-10-CM codes: C50.9." in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("XYZ", '"XYZ" is not an ICD-10-CM code.'),
        ("174.9", "looks like an ICD-9-CM code"),
        ("C50.-", "ends with a dash"),
        ("C509.12", "has the dot in the wrong place"),
        ("C50.91234", "has 8 characters"),
        ("", "Diagnosis codes (ICD-10-CM) is required"),
    ],
)
def test_diagnosis_rejected(biller, typed, message):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist("diagnoses", [typed])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, "diagnoses", message)


def test_diagnosis_error_says_it_once(biller):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist("diagnoses", ["XYZ"])

    response = biller.post("/appeals/new", data=data)

    message = field_errors(response.get_data(as_text=True))["diagnoses"]
    assert "is required" not in message


# NPIs


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("practice_npi", "1234567890", '"1234567890" fails the NPI check-digit test'),
        ("provider_npi", "1558598798", "fails the NPI check-digit test"),
        ("provider_npi", "155859879", '"155859879" has 9 digits'),
        ("provider_npi", "15585987970", "has 11 digits"),
        ("practice_npi", "12345678AB", "An NPI contains only digits."),
    ],
)
def test_npi_rejected(biller, field, value, message):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [value])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)


def test_npi_with_dashes_accepted(biller):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist("provider_npi", ["155-859 8797"])

    appeal_id = save(biller, data)

    provider = reference_rows(download(biller, appeal_id))["Rendering provider"]
    assert provider == "Maria Chen, PA, NPI 1558598797"


# Modifiers


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("25", "99213-25 (CO-97, M15)"),
        ("-25", "99213-25 (CO-97, M15)"),
        ("mod 25", "99213-25 (CO-97, M15)"),
        ("Modifier: 25", "99213-25 (CO-97, M15)"),
        ("25,59", "99213-25-59 (CO-97, M15)"),
        ("25 xs", "99213-25-XS (CO-97, M15)"),
    ],
)
def test_modifier_normalized_in_letter(biller, typed, shown):
    data = form_data(load_example("em-modifier-25"))
    data.setlist("lines-1-modifiers", [typed])

    appeal_id = save(biller, data)

    assert reference_rows(download(biller, appeal_id))["Services and codes"] == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2", '"2" is not a modifier.'),
        ("ABC", '"ABC" is not a modifier.'),
        ("25 59 XS XU RT", "at most 4 modifiers"),
    ],
)
def test_modifier_rejected(biller, typed, message):
    data = form_data(load_example("em-modifier-25"))
    data.setlist("lines-1-modifiers", [typed])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, "lines-1-modifiers", message)


def test_modifier_only_line_not_dropped(biller, app):
    data = form_data(load_example("medicare-medical-necessity"))
    data.add("lines-1-modifiers", "25")

    response = biller.post("/appeals/new", data=data)
    errors = field_errors(response.get_data(as_text=True))

    assert response.status_code == 422
    assert "Procedure code is required" in errors["lines-1-code"]
    assert "Billed is required" in errors["lines-1-billed"]
    assert form_values(response.get_data(as_text=True))["lines-1-modifiers"] == "25"


def test_procedure_code_with_modifier_rejected(biller):
    data = form_data(load_example("em-modifier-25"))
    data.setlist("lines-1-code", ["99213-25"])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, "lines-1-code", "includes a modifier")


# Adjustment codes


def test_unknown_carc_general_letter(biller):
    data = _changed(
        "medicare-medical-necessity",
        lines__0__adjustments__0__reason="ZZ9",
        lines__0__remarks="",
    )

    appeal_id = save(biller, data)
    page = page_text(biller.get(f"/appeals/{appeal_id}"))
    paragraphs = download(biller, appeal_id)

    assert "(unknown: ZZ9)" in page
    assert "code ZZ9 is not in the catalog of known adjustment codes" in page
    assert 'id="piece-general"' in page
    assert "Your remittance adjusted CPT 93702 with CO-ZZ9." in "\n".join(paragraphs)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("lines-0-adjustments-0-group", "", "Group code must be one of CO, PR"),
        ("lines-0-adjustments-0-reason", "", "Reason code (CARC) is required"),
        ("lines-0-adjustments-0-reason", "5 0 0 0 0 0", "Reason code (CARC) is"),
        ("lines-0-remarks", "N115 ??", "'??' is not a remark code"),
    ],
)
def test_adjustment_rejected(biller, field, value, message):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [value])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)


def test_adjustment_after_blank_row_error_placed(biller):
    data = form_data(load_example("medicare-medical-necessity"))
    # A browser posts the blank row between the filled ones too.
    for key in ("group", "reason", "amount"):
        data.add(f"lines-0-adjustments-1-{key}", "")
    data.add("lines-0-adjustments-2-group", "CO")
    data.add("lines-0-adjustments-2-reason", "")
    data.add("lines-0-adjustments-2-amount", "5.00")

    response = biller.post("/appeals/new", data=data)

    assert_rejected(
        response, data, "lines-0-adjustments-2-reason", "Reason code (CARC) is"
    )


# Missing required fields


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("payer_name", "Payer name is required."),
        ("claim_number", "Claim number is required."),
        ("lines-0-billed", "Billed is required: enter an amount in dollars"),
        ("lines-0-code", "Procedure code is required: enter a CPT or HCPCS code"),
        ("patient_name", "Patient name is required."),
        ("patient_member_id", "Member ID or Medicare number is required."),
        ("practice_name", "Practice name is required."),
        ("practice_address", "Practice address is required"),
        ("provider_name", "Rendering provider name is required."),
        ("measurements-1-ldex", "L-Dex score is required"),
    ],
)
def test_missing_required_named(biller, app, field, message):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, ["  "])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("payer_kind", "Payer kind is required: choose one."),
        ("provider_credential", "Credential is required: choose one."),
        ("setting", "Setting is required: choose one."),
    ],
)
def test_missing_choice_named(biller, field, message):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [""])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)


def test_empty_form_lists_every_problem(biller, app):
    response = biller.post("/appeals/new", data={"action": "save"})
    errors = field_errors(response.get_data(as_text=True))

    assert response.status_code == 422
    for field in (
        "payer_name",
        "payer_kind",
        "practice_name",
        "provider_name",
        "patient_name",
        "claim_number",
        "service_date",
        "notice_date",
        "lines-0-code",
        "diagnoses",
    ):
        assert field in errors, field
    assert "Fix " in response.get_data(as_text=True)
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


# Long text and other values


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("patient_name", "A" * 201, "This text has 201 characters, but the maximum"),
        ("denial_text", "x" * 5001, "This text has 5001 characters"),
        ("claim_number", "9" * 51, "the maximum is 50"),
        ("lines-0-units", "0", "Units must be a whole number from 1 to 99."),
        ("lines-0-units", "1.5", "Units must be a whole number from 1 to 99."),
        ("payer_window_days", "90 days", "must be a whole number of days"),
        ("measurements-1-ldex", "abc", "'abc' is not an L-Dex score"),
        ("measurements-1-ldex", "NaN", "is not an L-Dex score"),
    ],
)
def test_other_values_rejected(biller, field, value, message):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [value])

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)


def test_second_baseline_message(biller):
    data = form_data(load_example("medicare-medical-necessity"))
    data.add("measurements-2-baseline", "y")

    response = biller.post("/appeals/new", data=data)

    assert_rejected(
        response, data, "measurements-0-date", "More than one reading is marked"
    )


@pytest.mark.parametrize(
    "value",
    ["\x00", "\u202e\u200b", "😀", "<script>alert(1)</script>", "９３７０２", "9" * 30],
)
@pytest.mark.parametrize(
    "field",
    [
        "payer_name",
        "payer_profile",
        "payer_version",
        "payer_window_days",
        "practice_npi",
        "claim_level",
        "lines-0-code",
        "lines-0-units",
        "lines-0-billed",
        "diagnoses",
        "measurements-0-ldex",
        "node_regions",
    ],
)
def test_odd_value_never_500(biller, field, value):
    data = form_data(load_example("medicare-medical-necessity"))
    data.setlist(field, [value])
    data.add("save_payer", "y")

    response = biller.post("/appeals/new", data=data)

    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert field_errors(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "action",
    ["remove_line_x", "remove_line_99", "add_adjustment_", "add_adjustment_-1", "?"],
)
def test_odd_row_action_never_500(biller, action):
    data = form_data(load_example("multi-line"), action=action)

    response = biller.post("/appeals/new", data=data)

    assert response.status_code in (200, 302, 422)


@pytest.mark.parametrize(
    "imported",
    [
        '{"payer": "x", "claim": {"lines": "abc"}}',
        '{"claim": {"lines": [1, {"code": "93702", "adjustments": "CO-50"}]}}',
        '{"payer": {"address": "PO Box 1", "required_diagnoses": "Z90.12"}}',
        "[]",
        "not json",
    ],
)
def test_odd_import_never_500(biller, imported):
    response = biller.post(
        "/appeals/new", data={"action": "import", "imported": imported}
    )

    assert response.status_code in (200, 400)


def test_import_text_lists_kept_whole(biller):
    imported = {
        "payer": {"address": "PO Box 1", "required_diagnoses": "Z90.12"},
        "claim": {"lines": [{"code": "99213", "modifiers": "25"}]},
    }

    response = biller.post(
        "/appeals/new", data={"action": "import", "imported": json.dumps(imported)}
    )
    values = form_values(response.get_data(as_text=True))

    assert values["payer_address"] == "PO Box 1"
    assert values["payer_required_diagnoses"] == "Z90.12"
    assert values["lines-0-modifiers"] == "25"


# Saved payer profiles


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("payer_required_diagnoses", "C50.9", "A payer profile cannot store this"),
        (
            "payer_address",
            "\n".join(f"Line {number}" for number in range(1, 10)),
            "The address has 9 lines, but the maximum is 8.",
        ),
    ],
)
def test_save_payer_bad_profile_value(biller, app, field, value, message):
    data = form_data(load_example("commercial-experimental"))
    data.setlist(field, [value])
    data.add("save_payer", "y")

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, field, message)
    assert rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


def test_deleted_profile_not_linked(biller, app):
    first = form_data(load_example("commercial-experimental"))
    first.add("save_payer", "y")
    save(biller, first)
    values = form_values(
        biller.post(
            "/appeals/new", data={"action": "load_payer", "payer_profile": "1"}
        ).get_data(as_text=True)
    )
    biller.post("/payers/1/delete")
    data = form_data(load_example("commercial-experimental"))
    data.add("payer_profile", "1")
    data.add("payer_version", values["payer_version"])

    save(biller, data)

    assert rows(app, "SELECT payer_profile_id FROM appeals WHERE id = 2")[0][0] is None


def test_deleted_profile_save_payer_message(biller, app):
    first = form_data(load_example("commercial-experimental"))
    first.add("save_payer", "y")
    save(biller, first)
    biller.post("/payers/1/delete")
    data = form_data(load_example("commercial-experimental"))
    data.add("payer_profile", "1")
    data.add("payer_version", "1")
    data.add("save_payer", "y")

    response = biller.post("/appeals/new", data=data)

    assert_rejected(
        response,
        data,
        "save_payer",
        "was deleted after you loaded it",
        gone=("payer_profile", "save_payer"),
    )


def test_save_payer_unloaded_profile_message(biller):
    first = form_data(load_example("commercial-experimental"))
    first.add("save_payer", "y")
    save(biller, first)
    data = form_data(load_example("commercial-experimental"))
    data.add("payer_profile", "1")
    data.add("save_payer", "y")

    response = biller.post("/appeals/new", data=data)

    assert_rejected(response, data, "save_payer", "Press Use this payer")


# Row limits


def test_too_many_lines_rejected(biller, app):
    data = form_data(load_example("medicare-medical-necessity"))
    for index in range(1, 21):
        data.add(f"lines-{index}-code", "99213")
        data.add(f"lines-{index}-billed", "10.00")
        data.add(f"lines-{index}-adjustments-0-group", "CO")
        data.add(f"lines-{index}-adjustments-0-reason", "97")

    response = biller.post("/appeals/new", data=data)
    errors = field_errors(response.get_data(as_text=True))

    assert response.status_code == 422
    assert list(errors) == ["lines-19-code"]
    assert (
        "The form had 21 claim lines, but the maximum is 20." in errors["lines-19-code"]
    )
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


def test_too_many_adjustments_rejected(biller, app):
    data = form_data(load_example("medicare-medical-necessity"))
    for index in range(1, 13):
        data.add(f"lines-0-adjustments-{index}-group", "PR")
        data.add(f"lines-0-adjustments-{index}-reason", "2")
        data.add(f"lines-0-adjustments-{index}-amount", "1.00")

    response = biller.post("/appeals/new", data=data)
    errors = field_errors(response.get_data(as_text=True))

    assert response.status_code == 422
    assert list(errors) == ["lines-0-adjustments-11-reason"]
    assert (
        "Line 1 had 13 adjustments, but the maximum is 12."
        in (errors["lines-0-adjustments-11-reason"])
    )


def test_too_many_readings_rejected(biller, app):
    data = form_data(load_example("medicare-medical-necessity"))
    for index in range(3, 31):
        data.add(f"measurements-{index}-date", "2026-09-15")
        data.add(f"measurements-{index}-ldex", "4.0")

    response = biller.post("/appeals/new", data=data)
    errors = field_errors(response.get_data(as_text=True))

    assert response.status_code == 422
    assert list(errors) == ["measurements-29-date"]
    assert (
        "The form had 31 L-Dex readings, but the maximum is 30."
        in (errors["measurements-29-date"])
    )


def test_add_line_at_limit_says_so(biller):
    data = form_data(load_example("medicare-medical-necessity"), action="add_line")
    for index in range(1, 20):
        data.add(f"lines-{index}-code", "99213")

    response = biller.post("/appeals/new", data=data)
    page = response.get_data(as_text=True)

    assert page.count('class="claim-line"') == 20
    assert "A claim can have at most 20 lines." in page
    assert form_values(page)["lines-19-code"] == "99213"


# 835 uploads


def test_remittance_too_large_413(biller, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    payload = (
        ROOT / "tests/data/835/LinuxForHealth_x12__managed-care.835"
    ).read_bytes()
    payload = payload * (2048 // len(payload) + 1)

    response = biller.post(
        "/remittance",
        data={"file": (io.BytesIO(payload), "big.835")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 413
    assert "File too large" in page_text(response)
    assert biller.get("/remittance").status_code == 200


@pytest.mark.parametrize(
    ("file_name", "payload", "message"),
    [
        (
            "letter.docx",
            (ROOT / "letter_templates" / "base.docx").read_bytes(),
            "The file is binary",
        ),
        (
            "claim.837",
            CLAIM_837.encode("ascii"),
            "Not an 835 remittance file: it contains no ST*835 transaction "
            "(transaction sets found: 837).",
        ),
        ("notes.txt", b"Claim 552026301145770 denied CO-50", "Not an X12 file"),
        ("empty.835", b"", "The file is empty."),
    ],
)
def test_remittance_not_835_message(biller, file_name, payload, message):
    response = biller.post(
        "/remittance",
        data={"file": (io.BytesIO(payload), file_name)},
        content_type="multipart/form-data",
    )
    errors = field_errors(response.get_data(as_text=True))

    assert response.status_code == 422
    assert list(errors) == ["file"]
    assert message in errors["file"]


def test_remittance_without_file_message(biller):
    response = biller.post("/remittance", data={}, content_type="multipart/form-data")

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True)) == {
        "file": "Choose an 835 file."
    }


# CSRF


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]


def _sign_in_with_csrf(app):
    client = app.test_client()
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"username": "biller", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    return client


def _assert_form_kept(response, sent, app):
    page = response.get_data(as_text=True)
    shown = form_values(page)
    assert response.status_code == 422
    assert "its security token expired. Your entries are kept below" in page
    assert "Form expired" in page
    for key in sent:
        if key not in ("action", "csrf_token"):
            assert shown.getlist(key) == sent.getlist(key), key
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


class _TwoHoursAgoSigner(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time()) - 7200


class _OldTokenSerializer(URLSafeTimedSerializer):
    """Signs CSRF tokens as if made two hours ago, past the one-hour limit."""

    default_signer = _TwoHoursAgoSigner


def test_csrf_garbage_token_keeps_values(csrf_app):
    csrf_app.config["TODAY"] = TODAY
    client = _sign_in_with_csrf(csrf_app)
    client.get("/appeals/new")
    sent = _changed("medicare-medical-necessity", patient_name="Zoë O'Brien-Núñez")
    sent["csrf_token"] = "garbage"

    response = client.post("/appeals/new", data=sent)

    _assert_form_kept(response, sent, csrf_app)
    retry = form_values(response.get_data(as_text=True))
    retry["action"] = "save"
    assert client.post("/appeals/new", data=retry).status_code == 302
    assert saved_case(csrf_app)["patient"]["name"] == "Zoë O'Brien-Núñez"


def test_csrf_expired_token_keeps_values(csrf_app, monkeypatch):
    csrf_app.config["TODAY"] = TODAY
    client = _sign_in_with_csrf(csrf_app)
    with monkeypatch.context() as patch:
        patch.setattr(flask_wtf.csrf, "URLSafeTimedSerializer", _OldTokenSerializer)
        token = _csrf_token(client.get("/appeals/new").get_data(as_text=True))
    sent = form_data(load_example("multi-line"))
    sent["csrf_token"] = token

    response = client.post("/appeals/new", data=sent)

    _assert_form_kept(response, sent, csrf_app)


def test_csrf_expired_on_row_action_keeps_values(csrf_app):
    client = _sign_in_with_csrf(csrf_app)
    sent = form_data(load_example("multi-line"), action="add_line")
    sent["csrf_token"] = "garbage"

    response = client.post("/appeals/new", data=sent)
    page = response.get_data(as_text=True)
    shown = form_values(page)

    assert "its security token expired. Your entries are kept below" in page
    assert shown["lines-1-code"] == "99214"
    assert shown["lines-2-code"] == ""
    assert rows(csrf_app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


def test_csrf_missing_on_letter_edit_not_saved(csrf_app):
    csrf_app.config["TODAY"] = TODAY
    client = _sign_in_with_csrf(csrf_app)
    data = form_data(load_example("medicare-medical-necessity"))
    data["csrf_token"] = _csrf_token(client.get("/appeals/new").get_data(as_text=True))
    appeal_id = save(client, data)

    response = client.post(
        f"/appeals/{appeal_id}/letter", data={"body-0": "Replaced text."}
    )

    # Without the form's letter version the text is shown back, never saved.
    assert response.status_code == 409
    assert "Replaced text." in response.get_data(as_text=True)
    assert (
        "Replaced text." not in rows(csrf_app, "SELECT letter_json FROM appeals")[0][0]
    )
    assert rows(csrf_app, "SELECT letter_edited FROM appeals")[0][0] == 0
