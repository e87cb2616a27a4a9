"""Tests for user administration, the audit trail and password changes."""

import csv
import html
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import PASSWORD

from appeals.db import connect
from appeals.web.admin import spreadsheet_safe
from appeals.web.auth import password_fingerprint

ADMIN_REQUESTS = [
    ("get", "/admin/users"),
    ("post", "/admin/users"),
    ("post", "/admin/users/1/disable"),
    ("post", "/admin/users/1/enable"),
    ("post", "/admin/users/1/reset"),
    ("get", "/admin/audit"),
    ("get", "/admin/audit.csv"),
]
ONE_TIME_PASSWORD = re.compile(r"One-time password: ([A-Za-z0-9_-]+) ")


def query(app, sql, params=()):
    connection = connect(app.config["DATABASE"])
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def execute(app, sql, params=()):
    connection = connect(app.config["DATABASE"])
    try:
        connection.execute(sql, params)
    finally:
        connection.close()


def user_row(app, username):
    rows = query(app, "SELECT * FROM users WHERE username = ?", (username,))
    return rows[0] if rows else None


def add_audit(app, at, action, object_type, detail, user_id=None, username=""):
    execute(
        app,
        "INSERT INTO audit (at, user_id, username, action, object_type, "
        "object_id, detail) VALUES (?, ?, ?, ?, ?, 7, ?)",
        (at, user_id, username, action, object_type, detail),
    )


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def flashed_password(response) -> str:
    match = ONE_TIME_PASSWORD.search(page_text(response))
    assert match is not None, "no one-time password on the page"
    return match.group(1)


@pytest.mark.parametrize(("method", "url"), ADMIN_REQUESTS)
def test_admin_urls_forbidden_for_biller(app, client, auth, method, url):
    auth.login("biller")
    response = getattr(client, method)(url, data={"username": "intruder"})
    assert response.status_code == 403
    assert "Only an administrator can open this page." in page_text(response)
    assert user_row(app, "intruder") is None
    assert user_row(app, "admin")["active"] == 1


def test_reset_by_biller_keeps_password(app, client, auth):
    auth.login("biller")
    before = user_row(app, "admin")["password_hash"]
    client.post("/admin/users/1/reset")
    assert user_row(app, "admin")["password_hash"] == before


@pytest.mark.parametrize("url", ["/admin/users", "/admin/audit", "/admin/password"])
def test_admin_pages_open_for_admin(client, auth, url):
    auth.login("admin")
    assert client.get(url).status_code == 200


def test_users_list_columns(app, client, auth):
    locked_until = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    execute(
        app,
        "UPDATE users SET active = 0, locked_until = ? WHERE username = 'biller'",
        (locked_until,),
    )
    auth.login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    biller_row = page[page.index(">biller<") :]
    biller_row = biller_row[: biller_row.index("</tr>")]
    assert "<td>No</td>" in biller_row
    assert "No, disabled" in biller_row
    assert "2026-01-01 00:00:00 UTC" in biller_row
    assert "Not locked" not in biller_row
    assert ">Enable<" in biller_row


def test_add_user_password_signs_in(app, client, auth):
    auth.login("admin")
    response = client.post(
        "/admin/users", data={"username": "  new.clerk_2-b "}, follow_redirects=True
    )
    assert response.request.path == "/admin/users"
    assert 'User "new.clerk_2-b" added.' in page_text(response)
    password = flashed_password(response)
    assert len(password) == 16
    row = user_row(app, "new.clerk_2-b")
    assert row["is_admin"] == 0
    assert row["active"] == 1
    assert password not in row["password_hash"]

    again = client.get("/admin/users").get_data(as_text=True)
    assert password not in again

    auth.logout()
    response = auth.login("new.clerk_2-b", password)
    assert response.status_code == 302
    forced = client.get("/")
    assert forced.status_code == 302
    assert forced.headers["Location"] == "/admin/password"
    changed = client.post(
        "/admin/password",
        data={
            "current": password,
            "new": "a new long password",
            "confirm": "a new long password",
        },
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200


def test_add_user_administrator(app, client, auth):
    auth.login("admin")
    client.post("/admin/users", data={"username": "boss", "is_admin": "y"})
    assert user_row(app, "boss")["is_admin"] == 1
    entry = query(app, "SELECT * FROM audit WHERE action = 'create'")[-1]
    assert entry["object_id"] == user_row(app, "boss")["id"]
    assert entry["username"] == "admin"
    assert entry["detail"] == "administrator"


def test_add_user_logs_ids_only(app, client, auth):
    auth.login("admin")
    client.post("/admin/users", data={"username": "clerk"})
    user_id = user_row(app, "clerk")["id"]
    with open(app.config["LOG_FILE"], encoding="utf-8") as log_file:
        log = log_file.read()
    assert f"user {user_id} added by user 1" in log
    assert "clerk" not in log


def test_add_user_duplicate_keeps_input(app, client, auth):
    auth.login("admin")
    response = client.post("/admin/users", data={"username": "BILLER", "is_admin": "y"})
    assert response.status_code == 400
    page = page_text(response)
    assert 'The username "biller" already exists.' in page
    assert 'value="BILLER"' in page
    assert re.search(r'<input[^>]*checked[^>]*id="is_admin"', page)
    assert len(query(app, "SELECT * FROM users")) == 2


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Enter a username."),
        ("ab", "Use 3 to 80 characters."),
        ("x" * 81, "Use 3 to 80 characters."),
        ("jane doe", "Use only letters, digits, dots, underscores and hyphens."),
        ("jane@clinic", "Use only letters, digits, dots, underscores and hyphens."),
        ("zoë", "Use only letters, digits, dots, underscores and hyphens."),
    ],
)
def test_add_user_invalid_username(app, client, auth, username, message):
    auth.login("admin")
    response = client.post("/admin/users", data={"username": username})
    assert response.status_code == 400
    assert message in page_text(response)
    assert len(query(app, "SELECT * FROM users")) == 2


def signed_in_client(app, user_id):
    stored = query(app, "SELECT password_hash FROM users WHERE id = ?", (user_id,))
    client = app.test_client()
    with client.session_transaction() as session:
        session["user_id"] = user_id
        session["password"] = password_fingerprint(stored[0]["password_hash"])
        session["last_seen"] = int(datetime.now(UTC).timestamp())
    return client


def test_add_user_expired_token_keeps_input(csrf_app):
    client = signed_in_client(csrf_app, 1)
    response = client.post("/admin/users", data={"username": "clerk"})
    assert response.status_code == 400
    page = page_text(response)
    assert 'value="clerk"' in page
    assert "security token expired" in page
    assert user_row(csrf_app, "clerk") is None


def test_add_user_signed_out_without_token(csrf_app):
    response = csrf_app.test_client().post("/admin/users", data={"username": "x1"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("action", ["disable", "enable", "reset"])
def test_user_actions_require_token(csrf_app, action):
    if action == "enable":
        execute(csrf_app, "UPDATE users SET active = 0 WHERE username = 'biller'")
    client = signed_in_client(csrf_app, 1)
    before = user_row(csrf_app, "biller")
    response = client.post(f"/admin/users/{before['id']}/{action}")
    assert response.status_code == 302
    after = user_row(csrf_app, "biller")
    assert after["active"] == before["active"]
    assert after["password_hash"] == before["password_hash"]


def test_disable_and_enable(app, client, auth):
    auth.login("admin")
    biller_id = user_row(app, "biller")["id"]
    response = client.post(f"/admin/users/{biller_id}/disable", follow_redirects=True)
    assert 'User "biller" is disabled.' in page_text(response)
    assert user_row(app, "biller")["active"] == 0

    response = client.post(f"/admin/users/{biller_id}/enable", follow_redirects=True)
    assert 'User "biller" is enabled.' in page_text(response)
    assert user_row(app, "biller")["active"] == 1

    actions = [
        row["action"]
        for row in query(
            app,
            "SELECT action FROM audit WHERE object_id = ? ORDER BY id",
            (biller_id,),
        )
    ]
    assert actions == ["disable", "enable"]


def test_disabled_user_cannot_sign_in(app, client, auth):
    execute(app, "UPDATE users SET active = 0 WHERE username = 'biller'")
    response = auth.login("biller")
    assert response.status_code == 401
    assert client.get("/").status_code == 302


def test_disable_unknown_user(client, auth):
    auth.login("admin")
    assert client.post("/admin/users/999/disable").status_code == 404


def test_disable_self_rejected(app, client, auth):
    execute(
        app,
        "INSERT INTO users (username, password_hash, is_admin, created_at) "
        "VALUES ('second', 'x', 1, '2026-01-01T00:00:00+00:00')",
    )
    auth.login("admin")
    response = client.post("/admin/users/1/disable", follow_redirects=True)
    assert "You cannot disable your own account." in page_text(response)
    assert user_row(app, "admin")["active"] == 1


def test_disable_last_admin_rejected(app, client, auth):
    # The other administrator is disabled, so "admin" is the last active one.
    execute(
        app,
        "INSERT INTO users (username, password_hash, is_admin, active, created_at) "
        "VALUES ('second', 'x', 1, 0, '2026-01-01T00:00:00+00:00')",
    )
    auth.login("admin")
    response = client.post("/admin/users/1/disable", follow_redirects=True)
    page = page_text(response)
    assert "is the last active administrator" in page
    assert user_row(app, "admin")["active"] == 1
    assert query(app, "SELECT * FROM audit WHERE action = 'disable'") == []


def test_disabled_user_session_ends(app, client, auth):
    auth.login("admin")
    biller = app.test_client()
    biller.post("/login", data={"username": "biller", "password": PASSWORD})
    assert biller.get("/").status_code == 200

    client.post(f"/admin/users/{user_row(app, 'biller')['id']}/disable")

    response = biller.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    with biller.session_transaction() as session:
        assert "user_id" not in session


def test_reset_password(app, client, auth):
    locked_until = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    execute(
        app,
        "UPDATE users SET failed_logins = 3, locked_until = ? "
        "WHERE username = 'biller'",
        (locked_until,),
    )
    auth.login("admin")
    biller_id = user_row(app, "biller")["id"]
    response = client.post(f"/admin/users/{biller_id}/reset", follow_redirects=True)
    assert 'Password of "biller" reset.' in page_text(response)
    password = flashed_password(response)
    row = user_row(app, "biller")
    assert row["failed_logins"] == 0
    assert row["locked_until"] is None
    entry = query(app, "SELECT * FROM audit WHERE action = 'reset_password'")
    assert [e["object_id"] for e in entry] == [biller_id]

    auth.logout()
    assert auth.login("biller", PASSWORD).status_code == 401
    assert auth.login("biller", password).status_code == 302


def add_audit_rows(app):
    add_audit(app, "2026-03-01T09:00:00+00:00", "create", "appeal", "r-a", 1, "admin")
    add_audit(app, "2026-03-02T23:59:59+00:00", "view", "appeal", "r-b", 2, "biller")
    add_audit(app, "2026-03-03T00:00:00+00:00", "edit", "payer", "r-c", 2, "biller")
    add_audit(app, "2026-03-04T12:00:00+00:00", "delete", "appeal", "r-d", 1, "admin")


def shown_details(response) -> list[str]:
    return re.findall(r"<td>(r-\w)</td>", page_text(response))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["r-d", "r-c", "r-b", "r-a"]),
        ({"user": "2"}, ["r-c", "r-b"]),
        ({"action": "view"}, ["r-b"]),
        ({"object_type": "payer"}, ["r-c"]),
        ({"date_from": "2026-03-02"}, ["r-d", "r-c", "r-b"]),
        ({"date_to": "03/02/2026"}, ["r-b", "r-a"]),
        ({"date_from": "3/2/2026", "date_to": "2026-03-03"}, ["r-c", "r-b"]),
        ({"user": "1", "object_type": "appeal"}, ["r-d", "r-a"]),
        ({"action": "download"}, []),
    ],
)
def test_audit_filters(app, client, auth, filters, expected):
    add_audit_rows(app)
    auth.login("admin")
    response = client.get("/admin/audit", query_string=filters)
    assert response.status_code == 200
    assert shown_details(response) == expected


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"date_from": "2026-02-30"}, "February 2026 has 28 days"),
        ({"date_to": "yesterday"}, "is not a date in a known format"),
        ({"date_from": "03/02/26"}, "has a two-digit year"),
        (
            {"date_from": "2026-03-04", "date_to": "2026-03-01"},
            "The end date is before the start date.",
        ),
        ({"user": "999"}, "Not a valid choice"),
        ({"action": "hack"}, "Not a valid choice"),
    ],
)
def test_audit_invalid_filter(app, client, auth, filters, message):
    add_audit_rows(app)
    auth.login("admin")
    for url in ("/admin/audit", "/admin/audit.csv"):
        response = client.get(url, query_string=filters)
        assert response.status_code == 400
        assert message in page_text(response)
        assert shown_details(response) == []


def test_audit_paging(app, client, auth):
    connection = connect(app.config["DATABASE"])
    connection.executemany(
        "INSERT INTO audit (at, action, object_type, detail) "
        "VALUES (?, 'view', 'appeal', ?)",
        [
            (f"2026-03-01T00:{n // 60:02d}:{n % 60:02d}+00:00", f"n{n:03d}")
            for n in range(250)
        ],
    )
    connection.close()
    auth.login("admin")

    first = client.get("/admin/audit", query_string={"action": "view"})
    page = first.get_data(as_text=True)
    assert re.search(r"Entries 1 to 100\s+of 250,", page)
    assert "Page 1 of 3" in page
    details = re.findall(r"<td>(n\d{3})</td>", page)
    assert details == [f"n{n:03d}" for n in range(249, 149, -1)]
    assert "/admin/audit?page=2&amp;action=view" in page

    last = client.get("/admin/audit?page=3&action=view").get_data(as_text=True)
    details = re.findall(r"<td>(n\d{3})</td>", last)
    assert details == [f"n{n:03d}" for n in range(49, -1, -1)]
    assert "Older entries" not in last

    beyond = client.get("/admin/audit?page=99&action=view").get_data(as_text=True)
    assert "Page 3 of 3" in beyond
    garbage = client.get("/admin/audit?page=abc&action=view").get_data(as_text=True)
    assert "Page 1 of 3" in garbage


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_audit_export_content(app, client, auth):
    add_audit_rows(app)
    auth.login("admin")
    response = client.get("/admin/audit.csv", query_string={"user": "2"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="audit-'
    )
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(response)
    assert rows[0] == [
        "id",
        "at",
        "user_id",
        "username",
        "action",
        "object_type",
        "object_id",
        "detail",
    ]
    assert [row[7] for row in rows[1:]] == ["r-c", "r-b"]
    assert rows[1][1:] == [
        "2026-03-03T00:00:00+00:00",
        "2",
        "biller",
        "edit",
        "payer",
        "7",
        "r-c",
    ]


def test_audit_export_recorded(app, client, auth):
    add_audit_rows(app)
    auth.login("admin")
    client.get("/admin/audit.csv", query_string={"action": "view"})
    entries = query(app, "SELECT * FROM audit WHERE action = 'export'")
    assert len(entries) == 1
    assert entries[0]["user_id"] == 1
    assert entries[0]["object_type"] == "audit"
    assert entries[0]["detail"] == "1 rows; filters: action=view"


def test_audit_export_formula_guard(app, client, auth):
    details = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "a=b"]
    for detail in details:
        add_audit(app, "2026-03-01T00:00:00+00:00", "edit", "appeal", detail)
    add_audit(app, "2026-03-01T00:00:00+00:00", "edit", "=cmd", "x", None, "@evil")
    auth.login("admin")
    rows = read_csv(client.get("/admin/audit.csv", query_string={"action": "edit"}))
    exported = sorted(row[7] for row in rows[1:] if row[5] == "appeal")
    assert exported == sorted(
        ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "'\tx", "a=b"]
    )
    injected = [row for row in rows[1:] if row[7] == "x"][0]
    assert injected[3] == "'@evil"
    assert injected[5] == "'=cmd"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\r=1", "'\r=1"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_safe(value) == expected


def change_password(client, current, new, confirm=None):
    return client.post(
        "/admin/password",
        data={
            "current": current,
            "new": new,
            "confirm": new if confirm is None else confirm,
        },
    )


def test_change_password(app, client, auth):
    auth.login("biller")
    response = change_password(client, PASSWORD, "a new passphrase here")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    entries = query(app, "SELECT * FROM audit WHERE action = 'change_password'")
    assert [(e["user_id"], e["object_id"]) for e in entries] == [(2, 2)]

    auth.logout()
    assert auth.login("biller", PASSWORD).status_code == 401
    assert auth.login("biller", "a new passphrase here").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password!", "a new passphrase here", None, "current password is wrong"),
        (PASSWORD, "too short", None, "Use 12 to 200 characters."),
        (PASSWORD, "a new passphrase here", "a different one", "passwords differ"),
        (PASSWORD, PASSWORD, None, "the same as the current one"),
        ("", "a new passphrase here", None, "Enter your current password."),
    ],
)
def test_change_password_rejected(app, client, auth, current, new, confirm, message):
    auth.login("biller")
    before = user_row(app, "biller")["password_hash"]
    response = change_password(client, current, new, confirm)
    assert response.status_code == 400
    assert message in page_text(response)
    assert user_row(app, "biller")["password_hash"] == before


def test_change_password_requires_sign_in(client):
    response = client.get("/admin/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
