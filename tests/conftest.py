"""Shared fixtures: an app on a temporary instance folder, clients and sign-in."""

import json
from pathlib import Path

import pytest

from appeals import create_app
from appeals.db import connect
from appeals.web.auth import hash_password

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
PASSWORD = "correct horse battery staple"
# Examples whose route yields a letter, written by hand from each case's codes.
LETTER_EXAMPLES = [
    "medicare-medical-necessity",
    "commercial-experimental",
    "em-modifier-25",
    "em-missing-modifier-medicare",
    "pt-independent",
    "pt-eval-same-day",
    "therapy-cap",
    "diagnosis",
    "multi-line",
    "underpayment-2024",
]


@pytest.fixture
def app(tmp_path):
    """Return an app with its own SQLite file and log file in a temporary folder."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE": str(tmp_path / "appeals.sqlite"),
            "LOG_FILE": str(tmp_path / "appeals.log"),
        }
    )
    connection = connect(app.config["DATABASE"])
    connection.execute(
        "INSERT INTO users (username, password_hash, is_admin, created_at) "
        "VALUES ('admin', ?, 1, '2026-01-01T00:00:00+00:00'), "
        "('biller', ?, 0, '2026-01-01T00:00:00+00:00')",
        (hash_password(PASSWORD), hash_password(PASSWORD)),
    )
    connection.close()
    yield app
    for handler in list(app.logger.handlers):
        if handler.__class__.__name__ == "RotatingFileHandler":
            app.logger.removeHandler(handler)
            handler.close()


@pytest.fixture
def csrf_app(app):
    """Return the app with CSRF checks on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    """Return a test client; CSRF checks are off unless a test turns them on."""
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


class AuthActions:
    """Sign a test client in and out."""

    def __init__(self, client):
        self._client = client

    def login(self, username="biller", password=PASSWORD):
        return self._client.post(
            "/login", data={"username": username, "password": password}
        )

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    """Return sign-in helpers for the test client."""
    return AuthActions(client)


def load_example(name: str) -> dict:
    """Return one of the example JSON cases in docs/examples."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
