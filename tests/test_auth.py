"""Tests for sign-in, first-run setup, lockout, the idle timeout and headers."""

import html
import types
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import PASSWORD, AuthActions

from appeals import create_app
from appeals.db import connect

SIGNED_IN_PAGES = ["/", "/appeals/new", "/payers/", "/admin/users", "/admin/audit"]


@pytest.fixture
def empty_app(tmp_path):
    """Return an app whose database has no user accounts yet."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE": str(tmp_path / "appeals.sqlite"),
            "LOG_FILE": str(tmp_path / "appeals.log"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    return app


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


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def location_path(response) -> str:
    return urlsplit(response.headers["Location"]).path


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


SETUP_DATA = {
    "username": "owner",
    "password": "first admin passphrase",
    "confirm": "first admin passphrase",
}


@pytest.mark.parametrize("path", ["/", "/login", "/admin/users"])
def test_setup_redirect_without_users(empty_app, path):
    response = empty_app.test_client().get(path)
    assert response.status_code == 302
    assert location_path(response) == "/setup"


def test_setup_creates_admin(empty_app):
    client = empty_app.test_client()
    assert client.get("/setup").status_code == 200
    response = client.post("/setup", data=SETUP_DATA)
    assert response.status_code == 302
    assert location_path(response) == "/"

    users = query(empty_app, "SELECT username, is_admin, active FROM users")
    assert [tuple(user) for user in users] == [("owner", 1, 1)]
    assert signed_in(client)
    assert client.get("/admin/users").status_code == 200
    entries = query(empty_app, "SELECT action, object_type, detail FROM audit")
    assert ("create", "user", "first administrator") in [tuple(e) for e in entries]


def test_setup_closed_after_first_user(empty_app):
    empty_app.test_client().post("/setup", data=SETUP_DATA)
    client = empty_app.test_client()
    response = client.get("/setup")
    assert response.status_code == 302
    assert location_path(response) == "/login"

    second = dict(SETUP_DATA, username="intruder")
    client.post("/setup", data=second)
    assert len(query(empty_app, "SELECT id FROM users")) == 1
    assert not signed_in(client)


def test_setup_closed_with_fixture_users(client):
    response = client.get("/setup")
    assert response.status_code == 302
    assert location_path(response) == "/login"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "short", "confirm": "short"}, "Use at least 12 characters."),
        ({"confirm": "something else entirely"}, "The passwords differ."),
        ({"username": "   "}, "This field is required."),
    ],
)
def test_setup_invalid_input(empty_app, changes, message):
    client = empty_app.test_client()
    response = client.post("/setup", data=dict(SETUP_DATA, **changes))
    assert message in page_text(response)
    assert query(empty_app, "SELECT id FROM users") == []


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_out_redirects_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["next"][0].rstrip("?") == path


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_open(client, auth, path):
    auth.login("admin")
    assert client.get(path).status_code == 200


def test_login_success_redirects_home(client, auth):
    response = auth.login("biller")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)


def test_login_ignores_username_case(client, auth):
    assert auth.login("BILLER").status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("username", ["biller", "nobody"])
def test_login_wrong_password(client, auth, username):
    response = auth.login(username, "not the password")
    assert response.status_code == 401
    assert "Invalid username or password." in page_text(response)
    assert not signed_in(client)


def test_login_wrong_password_counted(app, auth):
    auth.login("biller", "not the password")
    row = query(app, "SELECT failed_logins FROM users WHERE username = 'biller'")[0]
    assert row["failed_logins"] == 1
    actions = [e["action"] for e in query(app, "SELECT action FROM audit")]
    assert actions == ["sign_in_failed"]


def test_lockout_after_max_failures(app, client, auth):
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert auth.login("biller", "not the password").status_code == 401
    row = query(app, "SELECT locked_until FROM users WHERE username = 'biller'")[0]
    locked_until = datetime.fromisoformat(row["locked_until"])
    assert locked_until > datetime.now(UTC) + timedelta(minutes=14)

    response = auth.login("biller", PASSWORD)
    assert response.status_code == 401
    assert "Too many failed sign-ins." in page_text(response)
    assert not signed_in(client)
    assert auth.login("admin").status_code == 302


def test_lockout_one_below_max(app, client, auth):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] - 1):
        auth.login("biller", "not the password")
    assert auth.login("biller", PASSWORD).status_code == 302
    row = query(app, "SELECT * FROM users WHERE username = 'biller'")[0]
    assert row["failed_logins"] == 0


def test_lockout_expires(app, client, auth):
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    execute(app, "UPDATE users SET locked_until = ? WHERE username = 'biller'", (past,))
    assert auth.login("biller", PASSWORD).status_code == 302
    assert signed_in(client)


@pytest.fixture
def clock(monkeypatch):
    """Replace the clock that appeals.web.auth reads with one a test sets."""
    fake = types.SimpleNamespace(now=1_900_000_000.0)
    fake.time = lambda: fake.now
    monkeypatch.setattr("appeals.web.auth.time", fake)
    return fake


def test_idle_timeout_signs_out(app, client, auth, clock):
    timeout = app.config["SESSION_TIMEOUT_MINUTES"] * 60
    auth.login("biller")
    clock.now += timeout - 1
    assert client.get("/").status_code == 200

    # The request above restarted the idle period.
    clock.now += timeout - 1
    assert client.get("/").status_code == 200

    clock.now += timeout + 1
    response = client.get("/")
    assert response.status_code == 302
    assert location_path(response) == "/login"
    login_page = client.get(response.headers["Location"])
    assert "signed out after 15 minutes without activity" in page_text(login_page)
    clock.now += 1
    assert client.get("/").status_code == 302


def test_idle_timeout_configurable(app, client, auth, clock):
    app.config["SESSION_TIMEOUT_MINUTES"] = 1
    auth.login("biller")
    clock.now += 61
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example",
        "/\\evil",
        "/\\/evil.example",
        "http:/evil.example",
        "evil.example",
        "",
    ],
)
def test_login_next_stays_on_site(client, target):
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "biller", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_local_path(client):
    response = client.post(
        "/login?next=/payers/",
        data={"username": "biller", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/payers/"


def session_cookie(response) -> str:
    cookies = response.headers.getlist("Set-Cookie")
    matches = [cookie for cookie in cookies if cookie.startswith("session=")]
    assert len(matches) == 1
    return matches[0]


def test_session_cookie_flags_http(client):
    response = client.post("/login", data={"username": "biller", "password": PASSWORD})
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_secure_over_https(client):
    response = client.post(
        "/login",
        data={"username": "biller", "password": PASSWORD},
        base_url="https://localhost",
    )
    cookie = session_cookie(response)
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("signed_in_first", [False, True])
def test_security_headers(client, auth, signed_in_first):
    if signed_in_first:
        auth.login("biller")
    response = client.get("/" if signed_in_first else "/login")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_security_headers_on_redirect(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["X-Frame-Options"] == "DENY"


def test_logout_requires_post(client, auth):
    auth.login("biller")
    assert client.get("/logout").status_code == 405
    assert signed_in(client)

    response = auth.logout()
    assert response.status_code == 302
    assert location_path(response) == "/login"
    assert not signed_in(client)


def test_logout_recorded(app, client, auth):
    auth.login("biller")
    auth.logout()
    actions = [e["action"] for e in query(app, "SELECT action FROM audit ORDER BY id")]
    assert actions == ["sign_in", "sign_out"]


def test_admin_forbidden_page(client, auth):
    auth.login("biller")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert response.headers["X-Frame-Options"] == "DENY"


def test_one_time_password_forces_change(app, client, auth):
    """Must a user with a one-time password choose a new one before anything else?"""
    from appeals.db import connect

    connection = connect(app.config["DATABASE"])
    connection.execute(
        "UPDATE users SET must_change_password = 1 WHERE username = 'biller'"
    )
    connection.close()
    auth.login()
    for path in ("/", "/appeals/new", "/payers/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == "/admin/password"
    assert client.get("/admin/password").status_code == 200


def test_password_change_ends_other_sessions(app, auth):
    """Does changing a password sign out the same user's other sessions?"""
    other = app.test_client()
    AuthActions(other).login()
    auth.login()
    changed = auth._client.post(
        "/admin/password",
        data={
            "current": PASSWORD,
            "new": "another long password",
            "confirm": "another long password",
        },
    )
    assert changed.status_code == 302
    assert auth._client.get("/").status_code == 200
    response = other.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_next_has_no_trailing_question_mark(client):
    """Does the sign-in redirect keep a plain path without a stray '?'?"""
    response = client.get("/appeals/new")
    assert response.headers["Location"] == "/login?next=/appeals/new"


def test_setup_rejects_bad_username(tmp_path):
    """Does first-run setup apply the same username rules as the user list?"""
    from appeals import create_app

    fresh = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE": str(tmp_path / "fresh.sqlite"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    response = fresh.test_client().post(
        "/setup",
        data={"username": "a b", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 200
    assert "Use only letters, digits" in response.get_data(as_text=True)


def test_copied_cookie_dies_at_sign_out(app, client, auth):
    """Does a copy of a session cookie stop working once the user signs out?"""
    auth.login()
    cookie = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    response = thief.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_parallel_failures_all_count(app):
    """Do sign-in failures sent at once all count toward the lockout?"""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        import urllib.parse
        import urllib.request

        url = f"http://127.0.0.1:{server.server_port}/login"
        body = urllib.parse.urlencode(
            {"username": "biller", "password": "wrong password"}
        ).encode()

        def attempt():
            try:
                urllib.request.urlopen(url, data=body, timeout=30).close()
            except urllib.error.HTTPError as error:
                error.close()

        app.config["WTF_CSRF_ENABLED"] = False
        workers = [threading.Thread(target=attempt) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    connection = connect(app.config["DATABASE"])
    row = connection.execute(
        "SELECT failed_logins, locked_until FROM users WHERE username = 'biller'"
    ).fetchone()
    connection.close()
    # Five of the six count to the lock; the sixth lands before or after it.
    assert row["locked_until"] is not None
    assert row["failed_logins"] in (0, 1)


def test_next_with_control_characters_stays_home(client):
    """Is a next target carrying CR or LF replaced by the home page?"""
    response = client.post(
        "/login?next=/appeals/1%0D%0ASet-Cookie:a=b",
        data={"username": "biller", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_huge_id_is_not_found(client, auth):
    """Is an id too large for SQLite a 404 rather than a server error?"""
    auth.login()
    assert client.get("/appeals/99999999999999999999").status_code == 404
    assert client.get("/payers/99999999999999999999.json").status_code == 404
