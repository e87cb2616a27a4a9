"""Tests for payer profiles: pages, JSON, concurrent edits, CSRF and storage."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import PASSWORD
from markupsafe import escape

from appeals.db import connect, get_db, transaction
from appeals.web.payers import (
    ProfileInputError,
    StaleProfileError,
    get_profile,
    list_profiles,
    profile_to_case_payer,
    save_profile_from_case,
)

FORM = {
    "name": "Acme Health Plan",
    "kind": "commercial",
    "payer_id": "60054",
    "address": "Acme Health Plan Appeals\r\nPO Box 14079\r\nLexington KY 40512",
    "fax": "(859) 555-0199",
    "phone": "1-800-555-0100 ext. 4",
    "portal": "https://provider.acme.example/appeals",
    "window_days": "90",
    "required_diagnoses": "c50.912, I89.0",
    "contracted_rates": "93702 142.50\n99214 $1,105.00",
    "source_note": "Denial letter of 03/02/2026",
    "verified_on": "03/02/2026",
}

CASE_PAYER = {
    "name": "State Medicaid Plan",
    "kind": "medicaid",
    "payer_id": "SKMD0",
    "address": ["Appeals Unit", "PO Box 1", "Springfield IL 62701"],
    "fax": "217-555-0142",
    "phone": "",
    "window_days": 60,
    "required_diagnoses": ["C50.912"],
    "contracted_rates": {"93702": "120.00"},
}


def _rows(app, sql, params=()):
    connection = connect(app.config["DATABASE"])
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def _user_id(app, username):
    return _rows(app, "SELECT id FROM users WHERE username = ?", (username,))[0][0]


def _create(client, **changes):
    response = client.post("/payers/new", data={**FORM, **changes})
    assert response.status_code == 302
    return _rows(client.application, "SELECT max(id) FROM payers")[0][0]


def _error_text(html, field):
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match is not None, f"no error shown next to {field}"
    return match.group(1)


def _csrf_token(html):
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match is not None, "no CSRF token in the page"
    return match.group(1)


def _html(response):
    return response.get_data(as_text=True)


def test_pages_require_sign_in(client, app):
    for path in ("/payers/", "/payers/new", "/payers/1/edit", "/payers/1.json"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login"), path
    response = client.post("/payers/new", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert _rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0


def test_create_stores_parsed_values(client, auth, app):
    auth.login()
    payer_id = _create(client)

    row = _rows(app, "SELECT * FROM payers WHERE id = ?", (payer_id,))[0]
    assert row["name"] == "Acme Health Plan"
    assert row["kind"] == "commercial"
    assert (
        row["address"] == "Acme Health Plan Appeals\nPO Box 14079\nLexington KY 40512"
    )
    assert row["window_days"] == 90
    assert row["required_diagnoses"] == "C50.912,I89.0"
    assert json.loads(row["contracted_rates"]) == {
        "93702": "142.50",
        "99214": "1105.00",
    }
    assert row["verified_on"] == "2026-03-02"
    assert row["version"] == 1
    assert row["updated_by"] == _user_id(app, "biller")


def test_create_redirects_with_message(client, auth):
    auth.login()
    response = client.post("/payers/new", data=FORM, follow_redirects=True)
    assert response.request.path == "/payers/"
    assert "Payer profile Acme Health Plan saved." in _html(response)


def test_create_medicaid_without_window_warns(client, auth):
    auth.login()
    response = client.post(
        "/payers/new",
        data={**FORM, "kind": "medicaid", "window_days": ""},
        follow_redirects=True,
    )
    assert "This Medicaid profile has no filing window" in _html(response)


def test_index_sorted_by_name_with_flags(client, auth):
    auth.login()
    today = date.today()
    _create(client, name="Zeta Care", verified_on=f"{today:%m/%d/%Y}")
    stale = today - timedelta(days=400)
    _create(client, name="aetna", verified_on=f"{stale:%m/%d/%Y}")
    _create(client, name="Medicaid of Kansas", verified_on="")

    html = _html(client.get("/payers/"))
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", html, re.S)
    names = [name for name, _ in rows]
    flagged = {name: "Check this address" in cells for name, cells in rows}

    assert names == ["aetna", "Medicaid of Kansas", "Zeta Care"]
    assert flagged == {"aetna": True, "Medicaid of Kansas": True, "Zeta Care": False}
    assert "90 days" in html
    assert "60054" in html
    assert 'href="/payers/new"' in html
    assert "/payers/1/edit" in html


def test_list_profiles_sorted_by_name(client, auth, app):
    auth.login()
    _create(client, name="beta")
    _create(client, name="Alpha")
    with app.app_context():
        names = [row["name"] for row in list_profiles()]
    assert names == ["Alpha", "beta"]


def test_edit_page_shows_saved_values(client, auth):
    auth.login()
    payer_id = _create(client)
    html = _html(client.get(f"/payers/{payer_id}/edit"))
    assert 'value="Acme Health Plan"' in html
    assert "93702 142.50\n99214 1105.00" in html
    assert "C50.912, I89.0" in html
    assert 'value="03/02/2026"' in html
    assert re.search(r'name="version" type="hidden" value="1"', html)


def test_edit_saves_and_bumps_version(client, auth, app):
    auth.login()
    payer_id = _create(client)
    response = client.post(
        f"/payers/{payer_id}/edit",
        data={**FORM, "name": "Acme Renamed", "window_days": "120", "version": "1"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/payers/"

    row = _rows(app, "SELECT * FROM payers WHERE id = ?", (payer_id,))[0]
    assert row["name"] == "Acme Renamed"
    assert row["window_days"] == 120
    assert row["version"] == 2


def test_edit_missing_profile_404(client, auth):
    auth.login()
    assert client.get("/payers/999/edit").status_code == 404


def test_concurrent_edit_refused(client, auth, app):
    auth.login()
    payer_id = _create(client)
    admin = app.test_client()
    admin.post("/login", data={"username": "admin", "password": PASSWORD})

    first = admin.post(
        f"/payers/{payer_id}/edit", data={**FORM, "name": "First", "version": "1"}
    )
    second = client.post(
        f"/payers/{payer_id}/edit", data={**FORM, "name": "Second", "version": "1"}
    )

    assert first.status_code == 302
    assert second.status_code == 409
    html = _html(second)
    row = _rows(app, "SELECT * FROM payers WHERE id = ?", (payer_id,))[0]
    saved_at = row["updated_at"].replace("T", " ").removesuffix("+00:00")
    assert "Someone else saved this profile since you opened it" in html
    assert f"admin at {saved_at} UTC" in html
    assert 'value="Second"' in html
    assert '<dd class="saved-value">First</dd>' in html
    assert re.search(r'name="version" type="hidden" value="2"', html)
    assert row["name"] == "First"
    assert row["version"] == 2


def test_concurrent_edit_resubmit_replaces(client, auth, app):
    auth.login()
    payer_id = _create(client)
    client.post(f"/payers/{payer_id}/edit", data={**FORM, "name": "A", "version": "1"})
    stale = client.post(
        f"/payers/{payer_id}/edit", data={**FORM, "name": "B", "version": "1"}
    )
    assert stale.status_code == 409

    again = client.post(
        f"/payers/{payer_id}/edit", data={**FORM, "name": "B", "version": "2"}
    )
    assert again.status_code == 302
    row = _rows(app, "SELECT name, version FROM payers WHERE id = ?", (payer_id,))[0]
    assert row["name"] == "B"
    assert row["version"] == 3


def test_edit_after_delete_keeps_entries(client, auth, app):
    auth.login()
    payer_id = _create(client)
    client.post(f"/payers/{payer_id}/delete")

    response = client.post(
        f"/payers/{payer_id}/edit", data={**FORM, "name": "Kept", "version": "1"}
    )
    html = _html(response)
    assert response.status_code == 409
    assert "Someone else deleted this profile since you opened it" in html
    assert 'value="Kept"' in html
    assert 'action="/payers/new"' in html
    assert _rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0


def test_profile_json_for_reuse(client, auth):
    auth.login()
    payer_id = _create(client)
    response = client.get(f"/payers/{payer_id}.json")
    assert response.status_code == 200
    assert response.get_json() == {
        "id": payer_id,
        "name": "Acme Health Plan",
        "kind": "commercial",
        "payer_id": "60054",
        "address": ["Acme Health Plan Appeals", "PO Box 14079", "Lexington KY 40512"],
        "fax": "(859) 555-0199",
        "phone": "1-800-555-0100 ext. 4",
        "window_days": 90,
        "required_diagnoses": ["C50.912", "I89.0"],
        "contracted_rates": {"93702": "142.50", "99214": "1105.00"},
        "version": 1,
    }


def test_profile_json_missing_404(client, auth):
    auth.login()
    response = client.get("/payers/999.json")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Payer profile 999 does not exist."}


def test_delete_keeps_appeal_copy(client, auth, app):
    auth.login()
    payer_id = _create(client)
    connection = connect(app.config["DATABASE"])
    connection.execute(
        "INSERT INTO appeals (created_by, payer_profile_id, claim_number, "
        "service_date, payer_name, route, form_json, case_json, decision_json, "
        "created_at, updated_at) VALUES (?, ?, 'C1', '2026-01-05', "
        "'Acme Health Plan', 'commercial', '{}', '{}', '{}', 'now', 'now')",
        (_user_id(app, "biller"), payer_id),
    )
    connection.close()

    response = client.post(f"/payers/{payer_id}/delete", follow_redirects=True)

    assert response.request.path == "/payers/"
    assert "Payer profile Acme Health Plan deleted." in _html(response)
    assert _rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0
    appeal = _rows(app, "SELECT payer_profile_id, payer_name FROM appeals")[0]
    assert appeal["payer_profile_id"] is None
    assert appeal["payer_name"] == "Acme Health Plan"


def test_delete_missing_404(client, auth):
    auth.login()
    assert client.post("/payers/999/delete").status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the payer&#39;s name"),
        ("kind", "tricare", "Choose one of: Medicare, Medicare Advantage"),
        ("address", "\n".join(f"Line {n}" for n in range(9)), "has 9 lines"),
        ("fax", "555-01", "is not a phone number"),
        ("phone", "call the office", "is not a phone number"),
        ("portal", "ftp://files.acme.example", "starting with https://"),
        ("portal", "javascript:alert(1)", "is not a web address"),
        ("window_days", "ninety", "is not a whole number of days"),
        ("window_days", "0", "outside 1 to 730"),
        ("window_days", "731", "outside 1 to 730"),
        ("required_diagnoses", "C50", "is a header code and is not billable"),
        ("required_diagnoses", "C50.999", "is not a code in ICD-10-CM"),
        ("required_diagnoses", "174.9", "looks like an ICD-9-CM code"),
        ("contracted_rates", "93702 142.50\n9370 12.00", "Line 2:"),
        ("contracted_rates", "93702 -142.50", "Line 1:"),
        ("contracted_rates", "93702", "Line 1 (&#34;93702&#34;) needs a code"),
        ("contracted_rates", "93702 1\n93702 2", "93702 is already on line 1"),
        ("verified_on", "02/30/2026", "is not a real date"),
        ("verified_on", "3/2/26", "has a two-digit year"),
        ("verified_on", "01/01/2099", "is after today"),
    ],
)
def test_invalid_field_kept_with_error(client, auth, app, field, value, message):
    auth.login()
    response = client.post("/payers/new", data={**FORM, field: value})
    html = _html(response)

    assert response.status_code == 422
    assert message in _error_text(html, field)
    if field != "kind":  # a select shows only its options
        assert str(escape(value)) in html
    assert 'value="(859) 555-0199"' in html or field == "fax"
    assert "Lexington KY 40512" in html or field == "address"
    assert _rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0


def test_invalid_edit_keeps_values(client, auth, app):
    auth.login()
    payer_id = _create(client)
    response = client.post(
        f"/payers/{payer_id}/edit",
        data={**FORM, "name": "Edited", "window_days": "9999", "version": "1"},
    )
    html = _html(response)
    assert response.status_code == 422
    assert "outside 1 to 730" in _error_text(html, "window_days")
    assert 'value="Edited"' in html
    assert 'value="9999"' in html
    row = _rows(app, "SELECT name, version FROM payers WHERE id = ?", (payer_id,))[0]
    assert row["name"] == "Acme Health Plan"
    assert row["version"] == 1


def test_audit_rows_written(client, auth, app):
    auth.login()
    payer_id = _create(client)
    client.get(f"/payers/{payer_id}/edit")
    client.post(f"/payers/{payer_id}/edit", data={**FORM, "version": "1"})
    client.post(f"/payers/{payer_id}/delete")

    rows = _rows(
        app,
        "SELECT action, user_id, username FROM audit "
        "WHERE object_type = 'payer' AND object_id = ? ORDER BY id",
        (payer_id,),
    )
    assert [row["action"] for row in rows] == ["create", "view", "edit", "delete"]
    assert {row["username"] for row in rows} == {"biller"}
    assert {row["user_id"] for row in rows} == {_user_id(app, "biller")}


def test_log_has_ids_not_names(client, auth, app):
    auth.login()
    payer_id = _create(client, name="Distinctive Payer Name")
    log = Path(app.config["LOG_FILE"]).read_text(encoding="utf-8")
    assert f"payer profile {payer_id} created" in log
    assert "Distinctive Payer Name" not in log


def test_profile_to_case_payer_shape(client, auth, app):
    auth.login()
    payer_id = _create(client, window_days="")
    with app.app_context():
        payer = profile_to_case_payer(get_profile(payer_id))
    assert payer["window_days"] is None
    assert payer["address"][1] == "PO Box 14079"
    assert payer["contracted_rates"] == {"93702": "142.50", "99214": "1105.00"}
    assert set(payer) == {
        "name",
        "kind",
        "payer_id",
        "address",
        "fax",
        "phone",
        "window_days",
        "required_diagnoses",
        "contracted_rates",
    }


def test_save_from_case_inserts(app):
    user_id = _user_id(app, "biller")
    with app.app_context():
        payer_id = save_profile_from_case(CASE_PAYER, user_id)
        row = get_profile(payer_id)
        payer = profile_to_case_payer(row)

    assert payer == CASE_PAYER
    assert row["version"] == 1
    assert row["updated_by_name"] == "biller"
    audit = _rows(
        app, "SELECT action, user_id FROM audit WHERE object_id = ?", (payer_id,)
    )
    assert [tuple(entry) for entry in audit] == [("create", user_id)]


def test_save_from_case_updates_keeps_portal(client, auth, app):
    auth.login()
    payer_id = _create(client)
    user_id = _user_id(app, "admin")
    with app.app_context():
        saved_id = save_profile_from_case(CASE_PAYER, user_id, payer_id, version=1)
        row = get_profile(payer_id)

    assert saved_id == payer_id
    assert row["name"] == "State Medicaid Plan"
    assert row["version"] == 2
    assert row["updated_by"] == user_id
    assert row["portal"] == "https://provider.acme.example/appeals"
    assert row["verified_on"] == "2026-03-02"


def test_save_from_case_stale_raises(app):
    user_id = _user_id(app, "biller")
    with app.app_context():
        payer_id = save_profile_from_case(CASE_PAYER, user_id)
        save_profile_from_case({**CASE_PAYER, "name": "First"}, user_id, payer_id, 1)
        with pytest.raises(StaleProfileError) as raised:
            save_profile_from_case(
                {**CASE_PAYER, "name": "Second"}, user_id, payer_id, 1
            )
        row = get_profile(payer_id)

    assert raised.value.current["version"] == 2
    assert row["name"] == "First"
    assert row["version"] == 2


def test_save_from_case_no_version_raises(app):
    user_id = _user_id(app, "biller")
    with app.app_context():
        payer_id = save_profile_from_case(CASE_PAYER, user_id)
        with pytest.raises(StaleProfileError):
            save_profile_from_case({**CASE_PAYER, "name": "X"}, user_id, payer_id)
        row = get_profile(payer_id)
    assert row["name"] == "State Medicaid Plan"
    assert row["version"] == 1


def test_save_from_case_deleted_raises(app):
    user_id = _user_id(app, "biller")
    with app.app_context():
        with pytest.raises(StaleProfileError) as raised:
            save_profile_from_case(CASE_PAYER, user_id, 999, 1)
    assert raised.value.current is None


def test_save_from_case_joins_transaction(app):
    user_id = _user_id(app, "biller")
    with app.app_context():
        db = get_db()
        with pytest.raises(RuntimeError):
            with transaction(db):
                save_profile_from_case(CASE_PAYER, user_id)
                assert db.in_transaction
                raise RuntimeError("caller fails after the save")
    assert _rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0
    assert _rows(app, "SELECT COUNT(*) FROM audit")[0][0] == 0


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", ""),
        ("kind", "tricare"),
        ("window_days", 0),
        ("required_diagnoses", ["C50"]),
        ("contracted_rates", {"93702": "-1"}),
    ],
)
def test_save_from_case_invalid_raises(app, key, value):
    with app.app_context():
        with pytest.raises(ProfileInputError) as raised:
            save_profile_from_case({**CASE_PAYER, key: value}, 1)
    assert raised.value.field == key
    assert _rows(app, "SELECT COUNT(*) FROM payers")[0][0] == 0


def _sign_in_with_csrf(app):
    client = app.test_client()
    token = _csrf_token(_html(client.get("/login")))
    response = client.post(
        "/login",
        data={"username": "biller", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    return client


def test_csrf_missing_token_keeps_values(csrf_app):
    client = _sign_in_with_csrf(csrf_app)
    client.get("/payers/new")

    response = client.post("/payers/new", data=FORM)
    html = _html(response)

    assert response.status_code == 400
    assert "Form expired" in html
    assert 'value="Acme Health Plan"' in html
    assert "93702 142.50" in html
    assert _rows(csrf_app, "SELECT COUNT(*) FROM payers")[0][0] == 0

    retry = client.post("/payers/new", data={**FORM, "csrf_token": _csrf_token(html)})
    assert retry.status_code == 302
    assert _rows(csrf_app, "SELECT COUNT(*) FROM payers")[0][0] == 1


def test_csrf_token_from_page_accepted(csrf_app):
    client = _sign_in_with_csrf(csrf_app)
    token = _csrf_token(_html(client.get("/payers/new")))
    response = client.post("/payers/new", data={**FORM, "csrf_token": token})
    assert response.status_code == 302
    assert _rows(csrf_app, "SELECT name FROM payers")[0][0] == "Acme Health Plan"


def test_csrf_missing_on_edit_and_delete(csrf_app):
    client = _sign_in_with_csrf(csrf_app)
    token = _csrf_token(_html(client.get("/payers/new")))
    client.post("/payers/new", data={**FORM, "csrf_token": token})

    edit = client.post("/payers/1/edit", data={**FORM, "name": "New", "version": "1"})
    delete = client.post("/payers/1/delete")

    assert edit.status_code == 400
    assert 'value="New"' in _html(edit)
    assert delete.status_code == 302
    assert delete.headers["Location"] == "/payers/1/edit"
    row = _rows(csrf_app, "SELECT name FROM payers WHERE id = 1")[0]
    assert row["name"] == "Acme Health Plan"


def test_csrf_missing_signed_out_redirects(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/payers/new", data=FORM)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
