"""Flask app for writing appeal letters for denied CPT 93702 claims."""

import logging
import secrets
import traceback
from datetime import timedelta
from logging.handlers import RotatingFileHandler
from pathlib import Path

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

ROOT = Path(__file__).resolve().parent.parent
csrf = CSRFProtect()


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


class AppealsFlask(Flask):
    """Flask, with unhandled errors logged without their messages.

    An exception's message can quote user input, which may be patient data, so
    the log gets the exception type and the code locations only.
    """

    def log_exception(self, exc_info) -> None:
        error_type, _, trace = exc_info
        frames = traceback.extract_tb(trace)[-5:]
        where = " <- ".join(
            f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"
            for frame in reversed(frames)
        )
        self.logger.error(
            "unhandled %s on %s %s at %s",
            error_type.__name__ if error_type else "error",
            request.method,
            request.endpoint,
            where,
        )


class BoundedIntegerConverter(IntegerConverter):
    """Route integers that fit SQLite's 64-bit INTEGER; larger ones are a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def _secret_key(instance: Path) -> str:
    """Return the instance's secret key, generating it on first start."""
    path = instance / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="ascii")
    return path.read_text(encoding="ascii").strip()


def _configure_logging(app: Flask) -> None:
    """Log events and ids to the instance folder; never patient data."""
    if app.testing and not app.config.get("LOG_FILE"):
        return
    path = Path(app.config.get("LOG_FILE") or Path(app.instance_path) / "appeals.log")
    handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    handler.setLevel(logging.INFO)
    app.logger.addHandler(handler)
    app.logger.setLevel(logging.INFO)


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app."""
    app = AppealsFlask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    instance = Path(app.instance_path)
    if test_config and "INSTANCE_PATH" in test_config:
        instance = Path(test_config["INSTANCE_PATH"])
        app.instance_path = str(instance)
    instance.mkdir(parents=True, exist_ok=True)

    app.config.from_mapping(
        DATABASE=str(instance / "appeals.sqlite"),
        SESSION_TIMEOUT_MINUTES=15,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=3600,
        LOGIN_MAX_FAILURES=5,
        LOGIN_LOCK_MINUTES=15,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    app.permanent_session_lifetime = timedelta(
        minutes=app.config["SESSION_TIMEOUT_MINUTES"]
    )
    app.session_interface = SessionInterface()
    _configure_logging(app)

    app.url_map.converters["int"] = BoundedIntegerConverter

    from appeals import db

    db.init_app(app)
    csrf.init_app(app)

    from appeals.web import register

    register(app)
    app.logger.info("app started, schema version %s", db.SCHEMA_VERSION)
    return app
