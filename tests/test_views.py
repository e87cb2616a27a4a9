"""Tests of the whole web job through the test client: form, preview, letter, list."""

import html
import io
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from conftest import load_example
from werkzeug.datastructures import MultiDict

from appeals.db import connect
from appeals.web.forms import case_to_formdata

# The date every test app treats as today, so due dates and letter dates are fixed.
TODAY = date(2026, 11, 1)
REMITTANCES = Path(__file__).resolve().parent / "data" / "835"
TEMPLATE_SYNTAX = ("{{", "{%", "{#")


# Helpers shared with test_bad_input.py.


def form_data(case: dict, action: str = "save") -> MultiDict:
    """Return the denial form data a biller would type for a JSON case."""
    data = case_to_formdata(case)
    provider = case.get("provider", {})
    if provider.get("enrolled") is not None:
        data.add("provider_enrolled", "yes" if provider["enrolled"] else "no")
    claim = case.get("claim", {})
    for key in (
        "correction",
        "call_reference",
        "authorization",
        "submitted_date",
        "prior_decision_by",
        "clerical_error",
    ):
        if claim.get(key):
            data.add(key, claim[key])
    if claim.get("level"):
        data.add("claim_level", str(claim["level"]))

    clinical = case.get("clinical", {})
    nodes = clinical.get("lymph_nodes", {})
    for region in nodes.get("regions", []):
        data.add("node_regions", region)
    for key in ("removed", "damaged", "irradiated"):
        if nodes.get(key):
            data.add(f"nodes_{key}", "y")
    if clinical.get("surgery_date"):
        data.add("surgery_date", clinical["surgery_date"])
    if clinical.get("mastectomy"):
        data.add("mastectomy", "y")
    if clinical.get("reconstruction"):
        data.add("reconstruction", "y")
    for index, reading in enumerate(clinical.get("measurements", [])):
        data.add(f"measurements-{index}-date", reading["date"])
        data.add(f"measurements-{index}-ldex", str(reading["ldex"]))
        if reading.get("baseline"):
            data.add(f"measurements-{index}-baseline", "y")

    for key in ("denial_text", "good_cause"):
        if case.get(key):
            data.add(key, case[key])
    if case.get("enclosures"):
        data.add("enclosures", "\n".join(case["enclosures"]))
    data.add("action", action)
    return data


class _FormReader(HTMLParser):
    """Collects the values a browser would submit from every form on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = MultiDict()
        self._textarea = None
        self._select = None
        self._select_first = None
        self._select_chosen = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.add(name, attrs.get("value") or "on")
            elif kind not in ("submit", "button", "file"):
                self.values.add(name, attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
            self._select_first = None
            self._select_chosen = False
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self.values.add(self._select, value)
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # HTML drops the one line break that follows the opening tag.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.values.add(name, text)
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.values.add(self._select, self._select_first)
            self._select = None


def form_values(page: str) -> MultiDict:
    """Return the field values a browser would submit from the forms on a page."""
    reader = _FormReader()
    reader.feed(page)
    return reader.values


def page_values(client, url: str) -> MultiDict:
    """Return the form values on the page at url."""
    return form_values(client.get(url).get_data(as_text=True))


def field_errors(page: str) -> dict[str, str]:
    """Return each field's error text shown next to it, keyed by the field id."""
    found = re.findall(r'<p class="error" id="([^"]+)-error">(.*?)</p>', page, re.S)
    return {field: html.unescape(text).strip() for field, text in found}


def page_text(response) -> str:
    """Return a response's HTML with character references decoded."""
    return html.unescape(response.get_data(as_text=True))


def docx_paragraphs(data: bytes) -> list[str]:
    """Return the paragraph texts of .docx bytes, opened with python-docx."""
    document = docx.Document(io.BytesIO(data))
    return [paragraph.text for paragraph in document.paragraphs]


def reference_rows(paragraphs: list[str]) -> dict[str, str]:
    """Return the letter's reference block ("Claim number:<tab>...") as a dict."""
    rows = {}
    for text in paragraphs:
        label, tab, value = text.partition(":\t")
        if tab:
            rows[label] = value
    return rows


def rows(app, sql: str, params=()) -> list:
    """Return the rows of a query on the app's database."""
    connection = connect(app.config["DATABASE"])
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def save_case(client, case: dict) -> int:
    """Post a case through the denial form and return the new appeal's id."""
    response = client.post("/appeals/new", data=form_data(case))
    assert response.status_code == 302, field_errors(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def biller(app, client, auth):
    """Return a client signed in as the biller, on an app whose today is TODAY."""
    app.config["TODAY"] = TODAY
    auth.login()
    return client


# Every example in docs/examples: the route, due date and pieces the detail page
# shows, and what the downloaded letter must contain.
EXAMPLES = {
    "commercial-experimental": {
        "route": "Appeal",
        "due": "2027-03-28",
        "pieces": [
            "opening",
            "clinical_history",
            "experimental",
            "whcra",
            "evidence",
            "policy_request",
            "external_review",
            "closing",
        ],
        "service": "August 18, 2026",
        "codes": "93702 (CO-55, N623)",
        "sentences": [
            "Your notice treats bioimpedance spectroscopy as experimental, "
            "investigational or unproven."
        ],
        "warnings": [],
        "clean": True,
    },
    "diagnosis": {
        "route": "Appeal",
        "due": "2027-03-31",
        "pieces": [
            "opening",
            "clinical_history",
            "medical_necessity",
            "evidence",
            "diagnosis",
            "policy_request",
            "external_review",
            "closing",
        ],
        "service": "September 1, 2026",
        "codes": "93702 (CO-167, N569)",
        "sentences": ["No ICD-10-CM code is specific to the L-Dex measurement."],
        "warnings": [],
        "clean": True,
    },
    "em-missing-modifier-medicare": {
        "route": "Reopening request",
        "due": "2027-10-14",
        "pieces": ["reopening_request", "closing"],
        "service": "September 22, 2026",
        "codes": "99213 (CO-97, M15)",
        "sentences": ["The correction: Add modifier 25 to CPT 99213 on line 2."],
        "warnings": ["A reopening must be requested by 2027-10-14"],
    },
    "em-modifier-25": {
        "route": "Appeal",
        "due": "2026-12-12",
        "pieces": ["opening", "em_separate", "closing"],
        "service": "September 3, 2026",
        "codes": "99213-25 (CO-97, M15)",
        "sentences": [
            "modifier 25 marks the E/M as a significant, separately identifiable "
            "service"
        ],
        "warnings": [],
        "clean": True,
    },
    "medicare-medical-necessity": {
        "route": "Appeal",
        "due": "2027-02-22",
        "pieces": [
            "opening",
            "clinical_history",
            "medical_necessity",
            "evidence",
            "policy_request",
            "closing",
        ],
        "service": "September 15, 2026",
        "codes": "93702 (CO-50, N115)",
        "sentences": [
            "Bioimpedance spectroscopy (CPT 93702) measures the difference in "
            "extracellular fluid between the limbs",
            "Dana Whitfield meets that indication",
        ],
        "warnings": [],
        "clean": True,
    },
    "multi-line": {
        "route": "Appeal",
        "due": "2027-02-09",
        "pieces": [
            "opening",
            "clinical_history",
            "medical_necessity",
            "evidence",
            "em_separate",
            "policy_request",
            "closing",
        ],
        "service": "September 10, 2026",
        "codes": "93702 (CO-50, N115); 99214-25 (CO-97, M15)",
        "sentences": [
            "Beatriz Alvarado meets that indication",
            "modifier 25 marks the E/M as a significant, separately identifiable "
            "service",
        ],
        "warnings": [],
        "clean": True,
    },
    "no-indication": {
        "route": "No appeal",
        "due": None,
        "pieces": [],
        "warnings": [
            "No removal, damage or irradiation of axillary or pelvic lymph "
            "nodes is recorded"
        ],
    },
    "pt-eval-same-day": {
        "route": "Appeal",
        "due": "2026-12-08",
        "pieces": ["opening", "therapy_eval_same_day", "closing"],
        "service": "September 17, 2026",
        "codes": "97162 (CO-97, N20)",
        "sentences": [
            "A medically necessary physical or occupational therapy evaluation "
            "performed on the same day as the bioimpedance measurement may be "
            "billed along with CPT 93702."
        ],
        "warnings": [],
        "clean": True,
    },
    "pt-independent": {
        "route": "Appeal",
        "due": "2027-04-03",
        "pieces": ["opening", "provider_type", "pt_contract_amendment", "closing"],
        "service": "September 9, 2026",
        "codes": "93702 (CO-170, N95)",
        "sentences": ["No CPT coding rule prevents a physical therapist from billing"],
        "warnings": [],
        "clean": True,
    },
    "resubmit-ma130": {
        "route": "Corrected claim, not an appeal",
        "due": None,
        "pieces": [],
        "warnings": [],
        "detail": "Correct the claim line and submit it as a new claim.",
    },
    "therapy-cap": {
        "route": "Appeal",
        "due": "2027-02-18",
        "pieces": ["opening", "therapy_cap", "closing"],
        "service": "September 29, 2026",
        "codes": "93702 (PR-119, N130)",
        "sentences": [
            "93702 is not a physical therapy code, so it does not count toward the "
            "patient's annual physical and occupational therapy limit."
        ],
        "warnings": [],
        "clean": True,
    },
    "underpayment-2024": {
        "route": "Appeal",
        "due": "2024-11-04",
        "pieces": ["opening", "underpayment", "closing"],
        "service": "June 10, 2024",
        "codes": "93702 (CO-45, PR-2)",
        "sentences": ["CPT 93702: you paid $95.00."],
        "warnings": ["The filing window ended on 2024-11-04."],
    },
}
LETTER_EXAMPLES = [name for name, expected in EXAMPLES.items() if expected["pieces"]]
NO_LETTER_EXAMPLES = [name for name in EXAMPLES if name not in LETTER_EXAMPLES]


def _warnings(page: str) -> list[str]:
    section = re.search(r'<section class="warnings".*?</section>', page, re.S)
    if section is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", section.group(0), re.S)
    return [html.unescape(item) for item in items]


def _piece_ids(page: str) -> list[str]:
    return re.findall(r'<li id="piece-([a-z0-9_]+)">', page)


def test_examples_cover_docs_folder():
    folder = Path(__file__).resolve().parent.parent / "docs" / "examples"
    assert sorted(path.stem for path in folder.glob("*.json")) == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_detail_page(biller, name):
    expected = EXAMPLES[name]
    case = load_example(name)
    appeal_id = save_case(biller, case)

    response = biller.get(f"/appeals/{appeal_id}")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    heading = f"<h1>Claim {case['claim']['number']}: {expected['route']}</h1>"
    assert heading in page
    assert _piece_ids(page) == expected["pieces"]
    due = re.search(r'<dd id="due-date">(.*?)</dd>', page, re.S).group(1)
    assert (expected["due"] or "no due date") in due
    warnings = _warnings(page)
    for fragment in expected["warnings"]:
        assert any(fragment in warning for warning in warnings), warnings
    if expected.get("clean"):
        assert warnings == []
    if "detail" in expected:
        assert expected["detail"] in html.unescape(page)


@pytest.mark.parametrize("name", NO_LETTER_EXAMPLES)
def test_example_without_letter_no_download(biller, name):
    appeal_id = save_case(biller, load_example(name))
    page = biller.get(f"/appeals/{appeal_id}").get_data(as_text=True)

    assert 'id="download"' not in page
    assert "No appeal letter for this claim" in page
    assert biller.get(f"/appeals/{appeal_id}/download").status_code == 404


@pytest.mark.parametrize("name", LETTER_EXAMPLES)
def test_example_letter_download(biller, name):
    expected = EXAMPLES[name]
    case = load_example(name)
    appeal_id = save_case(biller, case)

    response = biller.get(f"/appeals/{appeal_id}/download")
    paragraphs = docx_paragraphs(response.data)
    text = "\n".join(paragraphs)
    reference = reference_rows(paragraphs)

    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    disposition = response.headers["Content-Disposition"]
    assert case["claim"]["number"] in disposition
    assert reference["Claim number"] == case["claim"]["number"]
    assert reference["Date of service"] == expected["service"]
    assert reference["Services and codes"] == expected["codes"]
    assert "November 1, 2026" in paragraphs
    for sentence in expected["sentences"]:
        assert sentence in text
    for syntax in TEMPLATE_SYNTAX:
        assert syntax not in text


def test_preview_matches_download(biller):
    appeal_id = save_case(biller, load_example("multi-line"))
    values = page_values(biller, f"/appeals/{appeal_id}")
    paragraphs = docx_paragraphs(biller.get(f"/appeals/{appeal_id}/download").data)

    body = values.getlist("body-0")
    assert body
    assert body[0] in paragraphs
    assert values["date_line"] in paragraphs
    assert values["salutation"] in paragraphs


# The list page


def _list_claims(page: str) -> list[str]:
    """Return the claim numbers in the list table, top to bottom."""
    table = re.search(r'<table class="appeals">.*?</table>', page, re.S)
    if table is None:
        return []
    claims = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S):
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        if cells:
            claims.append(html.unescape(cells[2]))
    return claims


def test_list_sorted_by_due_date(biller):
    # Due dates: 2027-02-22, 2026-12-12, none (corrected claim), 2024-11-04.
    for name in (
        "medicare-medical-necessity",
        "em-modifier-25",
        "resubmit-ma130",
        "underpayment-2024",
    ):
        save_case(biller, load_example(name))

    page = biller.get("/").get_data(as_text=True)

    assert _list_claims(page) == [
        "552024172009864",
        "CSA2609120551",
        "552026301145770",
        "552026296514027",
    ]
    assert "days past" in page


def test_list_filtered_by_status(biller):
    first = save_case(biller, load_example("medicare-medical-necessity"))
    save_case(biller, load_example("em-modifier-25"))
    biller.post(f"/appeals/{first}/status", data={"status": "sent"})

    sent = biller.get("/?status=sent").get_data(as_text=True)
    drafts = biller.get("/?status=draft").get_data(as_text=True)
    won = biller.get("/?status=won").get_data(as_text=True)

    assert _list_claims(sent) == ["552026301145770"]
    assert _list_claims(drafts) == ["CSA2609120551"]
    assert _list_claims(won) == []
    assert "No appeals yet match this filter." in won


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("whitfield", ["552026301145770"]),
        ("GLORIA", ["CSA2609120551"]),
        ("csa26", ["CSA2609120551"]),
        ("5520263", ["552026301145770"]),
        ("nobody", []),
    ],
)
def test_list_search(biller, query, expected):
    save_case(biller, load_example("medicare-medical-necessity"))
    save_case(biller, load_example("em-modifier-25"))

    page = biller.get("/", query_string={"q": query}).get_data(as_text=True)

    assert _list_claims(page) == expected


# Letter edits, status and delete


def test_letter_edits_in_download(biller, app):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))
    values = page_values(biller, f"/appeals/{appeal_id}")
    removed = values["body-2"]
    values["body-1"] = "Dana Whitfield has a new paragraph written by the biller."
    values["body-2"] = "   "
    values["date_line"] = "November 3, 2026"
    values["enclosures"] = "Copy of the remittance advice\nOperative report"

    response = biller.post(f"/appeals/{appeal_id}/letter", data=values)
    paragraphs = docx_paragraphs(biller.get(f"/appeals/{appeal_id}/download").data)

    assert response.status_code == 302
    assert "Dana Whitfield has a new paragraph written by the biller." in paragraphs
    assert removed not in paragraphs
    assert "November 3, 2026" in paragraphs
    assert "November 1, 2026" not in paragraphs
    assert "Operative report" in paragraphs
    assert rows(app, "SELECT letter_edited FROM appeals")[0][0] == 1
    page = biller.get(f"/appeals/{appeal_id}").get_data(as_text=True)
    assert "Letter text saved. The download carries your edits." in page


def test_letter_edit_too_long_not_saved(biller):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))
    values = page_values(biller, f"/appeals/{appeal_id}")
    original = values["body-1"]
    values["body-1"] = "x" * 5001

    response = biller.post(
        f"/appeals/{appeal_id}/letter", data=values, follow_redirects=True
    )
    paragraphs = docx_paragraphs(biller.get(f"/appeals/{appeal_id}/download").data)

    assert "The letter was not saved" in page_text(response)
    assert original in paragraphs


def test_status_change_shown(biller, app):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))

    response = biller.post(
        f"/appeals/{appeal_id}/status",
        data={"status": "partly_won"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)

    assert "Status set to partly won." in page
    assert "<dt>Status</dt><dd>Partly won</dd>" in page
    assert rows(app, "SELECT status FROM appeals")[0][0] == "partly_won"


def test_status_unknown_rejected(biller, app):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))

    response = biller.post(
        f"/appeals/{appeal_id}/status", data={"status": "paid"}, follow_redirects=True
    )

    assert "Choose a status from the list." in page_text(response)
    assert rows(app, "SELECT status FROM appeals")[0][0] == "draft"


def test_delete_hides_appeal_keeps_audit(biller, app):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))

    response = biller.post(f"/appeals/{appeal_id}/delete", follow_redirects=True)

    assert "Appeal deleted." in page_text(response)
    assert _list_claims(response.get_data(as_text=True)) == []
    assert biller.get(f"/appeals/{appeal_id}").status_code == 404
    assert biller.get(f"/appeals/{appeal_id}/download").status_code == 404
    assert biller.get(f"/appeals/{appeal_id}/edit").status_code == 404
    stored = rows(app, "SELECT case_json, letter_json, deleted_at FROM appeals")[0]
    assert "Dana Whitfield" not in stored["case_json"]
    assert stored["letter_json"] is None
    assert stored["deleted_at"]
    actions = rows(
        app,
        "SELECT action FROM audit WHERE object_type = 'appeal' AND object_id = ?",
        (appeal_id,),
    )
    assert {"create", "delete"} <= {row["action"] for row in actions}


# Editing the claim


def test_edit_form_shows_saved_values(biller):
    case = load_example("multi-line")
    sent = form_data(case)
    appeal_id = save_case(biller, case)

    values = form_values(
        biller.get(f"/appeals/{appeal_id}/edit").get_data(as_text=True)
    )

    for key in sent:
        if key == "action":
            continue
        assert values.getlist(key) == sent.getlist(key), key


def test_edit_claim_rebuilds_letter(biller, app):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))
    letter = page_values(biller, f"/appeals/{appeal_id}")
    letter["body-1"] = "A paragraph the rebuild replaces."
    biller.post(f"/appeals/{appeal_id}/letter", data=letter)
    values = form_values(
        biller.get(f"/appeals/{appeal_id}/edit").get_data(as_text=True)
    )
    values["claim_number"] = "552026301199999"
    values["lines-0-billed"] = "195.00"
    values["lines-0-adjustments-0-amount"] = "195.00"
    values["action"] = "save"

    response = biller.post(f"/appeals/{appeal_id}/edit", data=values)
    detail = biller.get(response.headers["Location"]).get_data(as_text=True)
    paragraphs = docx_paragraphs(biller.get(f"/appeals/{appeal_id}/download").data)

    assert response.headers["Location"] == f"/appeals/{appeal_id}"
    assert "Claim 552026301199999: Appeal" in detail
    assert "earlier edits to its text were replaced" in detail
    assert reference_rows(paragraphs)["Claim number"] == "552026301199999"
    assert "A paragraph the rebuild replaces." not in paragraphs
    saved = rows(app, "SELECT claim_number, letter_edited FROM appeals")
    assert [tuple(row) for row in saved] == [("552026301199999", 0)]


def test_edit_invalid_keeps_saved_appeal(biller, app):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))
    values = form_values(
        biller.get(f"/appeals/{appeal_id}/edit").get_data(as_text=True)
    )
    values["lines-0-billed"] = "abc"
    values["action"] = "save"

    response = biller.post(f"/appeals/{appeal_id}/edit", data=values)

    assert response.status_code == 422
    assert (
        "is not an amount"
        in field_errors(response.get_data(as_text=True))["lines-0-billed"]
    )
    stored = json.loads(rows(app, "SELECT case_json FROM appeals")[0][0])
    assert stored["claim"]["lines"][0]["billed"] == "185.00"


# Remembered practice and payer profiles


def test_practice_remembered_on_next_form(biller):
    case = load_example("pt-independent")
    save_case(biller, case)

    values = form_values(biller.get("/appeals/new").get_data(as_text=True))

    assert values["practice_name"] == "Riverbend Physical Therapy"
    assert values["practice_npi"] == "1234567893"
    assert values["practice_address"] == "1190 Riverbend Drive\nMeridian, ID 83642"
    assert values["practice_phone"] == "208-555-0166"
    assert values["provider_name"] == "Tomas Lindqvist"
    assert values["provider_npi"] == "1558598797"
    assert values["provider_credential"] == "PT"
    assert values["setting"] == "independent_pt"
    assert values["patient_name"] == ""
    assert values["claim_number"] == ""


def test_save_payer_offered_next_time(biller, app):
    data = form_data(load_example("commercial-experimental"))
    data.add("save_payer", "y")
    biller.post("/appeals/new", data=data)

    page = biller.get("/appeals/new").get_data(as_text=True)
    options = re.search(r'<select[^>]*name="payer_profile".*?</select>', page, re.S)

    assert '<option value="1">Summit Peak Health Plan (commercial)</option>' in (
        options.group(0)
    )
    profile = rows(app, "SELECT name, kind, payer_id, address, fax FROM payers")
    assert [tuple(row) for row in profile] == [
        (
            "Summit Peak Health Plan",
            "commercial",
            "SPH01",
            "Attn: Provider Appeals\nPO Box 30417\nSalt Lake City, UT 84130-0417",
            "801-555-0190",
        )
    ]
    assert rows(app, "SELECT payer_profile_id FROM appeals")[0][0] == 1


def test_appeal_without_save_payer_no_profile(biller, app):
    save_case(biller, load_example("commercial-experimental"))

    assert rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0


def test_load_payer_fills_payer_fields(biller):
    data = form_data(load_example("pt-eval-same-day"))
    data.add("save_payer", "y")
    biller.post("/appeals/new", data=data)

    response = biller.post(
        "/appeals/new",
        data={
            "action": "load_payer",
            "payer_profile": "1",
            "patient_name": "Keisha Dunmore",
            "lines-0-code": "97162",
        },
    )
    values = form_values(response.get_data(as_text=True))

    assert response.status_code == 200
    assert values["payer_profile"] == "1"
    assert values["payer_name"] == "Snake River Community Health Plan (Medicaid)"
    assert values["payer_kind"] == "medicaid"
    assert values["payer_id"] == "SRC42"
    assert values["payer_address"] == (
        "Attn: Provider Appeals\nPO Box 70012\nBoise, ID 83707-0012"
    )
    assert values["payer_phone"] == "888-555-0124"
    assert values["payer_window_days"] == "60"
    assert values["payer_version"] == "1"
    assert values["patient_name"] == "Keisha Dunmore"
    assert values["lines-0-code"] == "97162"


def test_load_payer_without_choice_message(biller):
    response = biller.post(
        "/appeals/new", data={"action": "load_payer", "payer_name": "Typed Payer"}
    )
    page = response.get_data(as_text=True)

    assert field_errors(page)["payer_profile"] == "Choose a saved payer profile first."
    assert form_values(page)["payer_name"] == "Typed Payer"


# Row buttons: adding and removing rows keeps every typed value


def _typed_values(data: MultiDict) -> dict[str, list[str]]:
    return {key: sorted(data.getlist(key)) for key in data if key != "action"}


@pytest.mark.parametrize("action", ["add_line", "add_adjustment_1", "add_measurement"])
def test_add_row_keeps_values(biller, app, action):
    sent = form_data(load_example("multi-line"), action=action)

    response = biller.post("/appeals/new", data=sent)
    shown = form_values(response.get_data(as_text=True))

    assert response.status_code == 200
    for key, values in _typed_values(sent).items():
        assert sorted(shown.getlist(key)) == values, key
    assert rows(app, "SELECT COUNT(*) FROM appeals")[0][0] == 0


def test_add_line_adds_empty_line(biller):
    sent = form_data(load_example("multi-line"), action="add_line")

    shown = form_values(biller.post("/appeals/new", data=sent).get_data(as_text=True))

    assert shown["lines-2-code"] == ""
    assert shown["lines-2-units"] == "1"
    assert "lines-3-code" not in shown


def test_add_adjustment_adds_row_to_line(biller):
    sent = form_data(load_example("multi-line"), action="add_adjustment_1")

    shown = form_values(biller.post("/appeals/new", data=sent).get_data(as_text=True))

    assert shown["lines-1-adjustments-2-reason"] == ""
    assert "lines-0-adjustments-2-reason" not in shown


def test_add_measurement_adds_reading(biller):
    sent = form_data(load_example("multi-line"), action="add_measurement")

    shown = form_values(biller.post("/appeals/new", data=sent).get_data(as_text=True))

    assert shown["measurements-4-date"] == ""
    assert "measurements-5-date" not in shown


def test_remove_line_shifts_next_line(biller):
    sent = form_data(load_example("multi-line"), action="remove_line_0")

    shown = form_values(biller.post("/appeals/new", data=sent).get_data(as_text=True))

    assert shown["lines-0-code"] == "99214"
    assert shown["lines-0-modifiers"] == "25"
    assert shown["lines-0-billed"] == "210.00"
    assert shown["lines-0-adjustments-0-group"] == "CO"
    assert shown["lines-0-adjustments-0-reason"] == "97"
    assert shown["lines-0-remarks"] == "M15"
    assert "lines-1-code" not in shown
    assert shown["patient_name"] == "Beatriz Alvarado"
    assert shown.getlist("node_regions") == ["axillary"]
    assert shown["measurements-3-ldex"] == "10.3"


def test_saved_after_row_actions(biller, app):
    sent = form_data(load_example("multi-line"), action="add_line")
    shown = form_values(biller.post("/appeals/new", data=sent).get_data(as_text=True))
    shown["action"] = "save"

    response = biller.post("/appeals/new", data=shown)

    assert response.status_code == 302
    stored = json.loads(rows(app, "SELECT case_json FROM appeals")[0][0])
    assert [line["code"] for line in stored["claim"]["lines"]] == ["93702", "99214"]


# 835 import


@pytest.mark.parametrize(
    ("file_name", "claims"),
    [
        # Claim-level adjustments count too, so both claims are listed.
        ("LinuxForHealth_x12__managed-care.835", ["94060555410000", "94077799230000"]),
        ("keironstoddart_edi-835-parser__emedny_sample.txt", 2),
        ("keironstoddart_edi-835-parser__united_healthcare_legacy_sample.txt", 2),
        # Both claims carry a claim-level CO-45 only, listed for review.
        ("LinuxForHealth_x12__medicare-part-a.835", ["1999999444444", "1999999444445"]),
    ],
)
def test_remittance_lists_denied_claims(biller, file_name, claims):
    payload = (REMITTANCES / file_name).read_bytes()

    response = biller.post(
        "/remittance",
        data={"file": (io.BytesIO(payload), file_name)},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    imported = [json.loads(html.unescape(value)) for value in _imported(page)]

    assert response.status_code == 200
    if isinstance(claims, int):
        assert len(imported) == claims
    else:
        assert [case["claim"]["number"] for case in imported] == claims
    if not imported:
        assert "No claim in this file has a denied or reduced line." in page


def _imported(page: str) -> list[str]:
    return re.findall(r'name="imported" value="([^"]*)"', page)


def test_start_appeal_prefills_form(biller):
    save_case(biller, load_example("medicare-medical-necessity"))
    file_name = "keironstoddart_edi-835-parser__emedny_sample.txt"
    upload = biller.post(
        "/remittance",
        data={"file": (io.BytesIO((REMITTANCES / file_name).read_bytes()), file_name)},
        content_type="multipart/form-data",
    )
    imported = html.unescape(_imported(upload.get_data(as_text=True))[1])

    response = biller.post(
        "/appeals/new", data={"action": "import", "imported": imported}
    )
    values = form_values(response.get_data(as_text=True))

    assert response.status_code == 200
    assert values["claim_number"] == "1000230000000020"
    assert values["service_date"] == "2010-01-01"
    assert values["patient_name"] == "SUBMITTED LAST, SUBMITTED FIRST"
    assert values["patient_member_id"] == "LL77777L"
    assert values["payer_name"] == "NYSDOH"
    assert values["payer_address"].splitlines()[-1] == "ALBANY, NY 12237-0080"
    assert [values[f"lines-{i}-code"] for i in range(4)] == [
        "V2020",
        "V2103",
        "V2700",
        "S0580",
    ]
    assert values["lines-2-modifiers"] == "RB"
    assert values["lines-2-billed"] == "2.75"
    assert values["lines-2-paid"] == "0.00"
    assert values["lines-2-adjustments-0-group"] == "CO"
    assert values["lines-2-adjustments-0-reason"] == "251"
    assert values["lines-2-adjustments-0-amount"] == "2.75"
    assert values["lines-2-remarks"] == "N206"
    assert values["practice_name"] == "Lakeside Breast Surgery"
    assert field_errors(response.get_data(as_text=True)) == {}


def test_import_garbage_json_rejected(biller):
    response = biller.post("/appeals/new", data={"action": "import", "imported": "{"})

    assert response.status_code == 400


# Code suggestions


def test_api_codes_adjustment_suggestions(biller):
    found = biller.get("/api/codes", query_string={"q": "N1"}).get_json()
    by_code = {item["code"]: item["meaning"] for item in found}

    assert found
    assert all(item["code"].startswith("N1") for item in found)
    assert by_code["N115"] == "Decision based on a Local Coverage Determination (LCD)"


def test_api_codes_diagnosis_suggestions(biller):
    found = biller.get(
        "/api/codes", query_string={"kind": "diagnosis", "q": "C50.91"}
    ).get_json()
    by_code = {item["code"]: item["meaning"] for item in found}

    assert set(by_code) == {"C50.911", "C50.912", "C50.919"}
    assert by_code["C50.912"] == (
        "Malignant neoplasm of unspecified site of left female breast"
    )


def test_api_codes_short_diagnosis_query_empty(biller):
    found = biller.get(
        "/api/codes", query_string={"kind": "diagnosis", "q": "C"}
    ).get_json()

    assert found == []


# Audit trail and sign-in


def test_audit_rows_for_appeal(biller, app):
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))
    biller.get(f"/appeals/{appeal_id}")
    values = form_values(
        biller.get(f"/appeals/{appeal_id}/edit").get_data(as_text=True)
    )
    values["action"] = "save"
    biller.post(f"/appeals/{appeal_id}/edit", data=values)
    biller.get(f"/appeals/{appeal_id}/download")
    biller.post(f"/appeals/{appeal_id}/delete")
    biller_id = rows(app, "SELECT id FROM users WHERE username = 'biller'")[0][0]

    audit = rows(
        app,
        "SELECT action, user_id, username, detail FROM audit "
        "WHERE object_type = 'appeal' AND object_id = ? ORDER BY id",
        (appeal_id,),
    )

    actions = [row["action"] for row in audit]
    assert actions[0] == "create"
    assert actions[-1] == "delete"
    assert {"create", "view", "edit", "download", "delete"} <= set(actions)
    assert {row["user_id"] for row in audit} == {biller_id}
    assert {row["username"] for row in audit} == {"biller"}
    assert all("Whitfield" not in row["detail"] for row in audit)


SIGNED_IN_REQUESTS = [
    ("get", "/"),
    ("get", "/?status=draft"),
    ("get", "/appeals/new"),
    ("post", "/appeals/new"),
    ("get", "/appeals/1"),
    ("get", "/appeals/1/edit"),
    ("post", "/appeals/1/edit"),
    ("get", "/appeals/1/download"),
    ("post", "/appeals/1/letter"),
    ("post", "/appeals/1/status"),
    ("post", "/appeals/1/delete"),
    ("get", "/remittance"),
    ("post", "/remittance"),
    ("get", "/api/codes?q=N1"),
]


@pytest.mark.parametrize(("method", "url"), SIGNED_IN_REQUESTS)
def test_signed_out_redirects_to_login(app, client, auth, method, url):
    auth.login()
    save_case(client, load_example("medicare-medical-necessity"))
    auth.logout()

    response = getattr(client, method)(url, data={"status": "won"})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    stored = rows(app, "SELECT status, deleted_at FROM appeals")
    assert [tuple(row) for row in stored] == [("draft", None)]


def test_import_carries_notice_date_and_claim_remarks(biller):
    """Does an imported claim bring its remittance date and claim-level codes?"""
    from appeals.remittance import parse_835
    from appeals.web.views import _claims_with_dates, _imported_case_dict

    path = (
        Path(__file__).parent / "data" / "835" / "LinuxForHealth_x12__managed-care.835"
    )
    parsed = parse_835(path.read_bytes())
    notice, claim = _claims_with_dates(parsed)[0]
    case = _imported_case_dict(claim, notice)
    assert case["claim"]["notice_date"] == notice.isoformat()
    first_line = case["claim"]["lines"][0]
    for adjustment in claim.adjustments:
        assert adjustment.reason in {a["reason"] for a in first_line["adjustments"]}


def test_stale_letter_form_not_applied(biller, app):
    """Is a letter form loaded before the claim was rebuilt refused, text kept?"""
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))
    page = biller.get(f"/appeals/{appeal_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="([0-9a-f]+)"', page)
    assert version is not None
    rows_before = rows(app, "SELECT letter_json FROM appeals")[0][0]

    response = biller.post(
        f"/appeals/{appeal_id}/letter",
        data={"version": "0000000000000000", "body-0": "Stale paragraph."},
    )
    assert response.status_code == 409
    assert "Stale paragraph." in response.get_data(as_text=True)
    assert rows(app, "SELECT letter_json FROM appeals")[0][0] == rows_before


LETTER_KEYS = {
    "version",
    "date_line",
    "recipient",
    "salutation",
    "enclosures",
    "signature",
}


def test_save_and_download_carries_edit(biller):
    """Does Save and download save the edit and send the edited letter?"""
    appeal_id = save_case(biller, load_example("medicare-medical-necessity"))
    page = biller.get(f"/appeals/{appeal_id}").get_data(as_text=True)
    values = form_values(page)
    data = {
        k: v for k, v in values.items() if k in LETTER_KEYS or k.startswith("body-")
    }
    data["body-0"] = "A new opening paragraph."
    data["action"] = "download"
    response = biller.post(f"/appeals/{appeal_id}/letter", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/appeals/{appeal_id}/download")
    letter = biller.get(response.headers["Location"])
    assert "A new opening paragraph." in docx_paragraphs(letter.data)
