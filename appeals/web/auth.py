"""Sign-in, first-run setup, sign-out and the inactivity timeout."""

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from appeals.db import get_db, transaction
from appeals.web import audit

bp = Blueprint("auth", __name__)

OPEN_ENDPOINTS = {"auth.login", "auth.setup", "static"}
# Pages a user whose password is a one-time password may still open.
PASSWORD_CHANGE_ENDPOINTS = {"admin.change_password", "auth.logout", "static"}
MIN_PASSWORD_LENGTH = 12
USERNAME_PATTERN = r"[A-Za-z0-9._-]+\Z"
# Hash of a random password, checked for unknown users so that a wrong username
# takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0c5e1d")


class SignInForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


class SetupForm(FlaskForm):
    """The first administrator's account."""

    username = StringField(
        "Username",
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired(),
            Length(min=3, max=80, message="Use 3 to 80 characters."),
            Regexp(
                USERNAME_PATTERN,
                message="Use only letters, digits, dots, hyphens and underscores.",
            ),
        ],
    )
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Use at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )
    confirm = PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
    )


def hash_password(password: str) -> str:
    """Return a salted hash of a password (Werkzeug's scrypt by default)."""
    return generate_password_hash(password)


def password_fingerprint(password_hash: str) -> str:
    """Return the part of a password hash kept in the session to spot a change."""
    return password_hash[-16:]


def user_count() -> int:
    """Return how many user accounts exist."""
    return get_db().execute("SELECT COUNT(*) FROM users").fetchone()[0]


def safe_next(target: str | None) -> str:
    """Return a redirect target on this site, or the home page."""
    if not target:
        return url_for("views.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        return url_for("views.index")
    if target.startswith("//") or "\\" in target:
        return url_for("views.index")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return url_for("views.index")
    return target


def require_sign_in():
    """Load the signed-in user, end idle sessions and send others to sign in."""
    g.user = None
    user_id = session.get("user_id")
    if user_id is not None:
        timeout = current_app.config["SESSION_TIMEOUT_MINUTES"] * 60
        last_seen = session.get("last_seen", 0)
        if time.time() - last_seen > timeout:
            session.clear()
            flash(
                "You were signed out after "
                f"{current_app.config['SESSION_TIMEOUT_MINUTES']} minutes without "
                "activity. Sign in again.",
                "info",
            )
        else:
            user = (
                get_db()
                .execute(
                    "SELECT id, username, is_admin, active, password_hash, "
                    "must_change_password, sessions_revoked_at FROM users "
                    "WHERE id = ?",
                    (user_id,),
                )
                .fetchone()
            )
            changed = user is not None and (
                session.get("password") != password_fingerprint(user["password_hash"])
                or session.get("started", 0) < user["sessions_revoked_at"]
            )
            if user is None or not user["active"] or changed:
                # A disabled account, a changed password or a sign-out ends it.
                session.clear()
            else:
                g.user = user
                session["last_seen"] = int(time.time())
                session.permanent = True
    if g.user is None and request.endpoint not in OPEN_ENDPOINTS:
        if user_count() == 0:
            return redirect(url_for("auth.setup"))
        next_target = None
        if request.method == "GET":
            next_target = request.full_path if request.query_string else request.path
        return redirect(url_for("auth.login", next=next_target))
    if (
        g.user is not None
        and g.user["must_change_password"]
        and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS
    ):
        flash("Choose your own password before you go on.", "info")
        return redirect(url_for("admin.change_password"))
    return None


def _start_session(user) -> None:
    session.clear()
    session["user_id"] = user["id"]
    session["password"] = password_fingerprint(user["password_hash"])
    session["started"] = time.time()
    session["last_seen"] = int(time.time())
    session.permanent = True


@bp.route("/setup", methods=("GET", "POST"))
def setup():
    """Create the first administrator; open only while no user exists."""
    if user_count() > 0:
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if form.validate_on_submit():
        db = get_db()
        with transaction(db):
            if db.execute("SELECT COUNT(*) FROM users").fetchone()[0] > 0:
                return redirect(url_for("auth.login"))
            cursor = db.execute(
                "INSERT INTO users (username, password_hash, is_admin, created_at) "
                "VALUES (?, ?, 1, ?)",
                (
                    form.username.data.strip(),
                    hash_password(form.password.data),
                    audit.now_iso(),
                ),
            )
        user = db.execute(
            "SELECT id, username, password_hash FROM users WHERE id = ?",
            (cursor.lastrowid,),
        ).fetchone()
        audit.record("create", "user", user["id"], "first administrator", user=user)
        current_app.logger.info("first administrator created, user %s", user["id"])
        _start_session(user)
        flash("Administrator account created. You are signed in.", "success")
        return redirect(url_for("views.index"))
    return render_template("auth/setup.html", form=form)


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Sign in with username and password; lock after repeated failures."""
    if user_count() == 0:
        return redirect(url_for("auth.setup"))
    form = SignInForm()
    if form.validate_on_submit():
        error = _check_credentials(form.username.data.strip(), form.password.data)
        if error is None:
            return redirect(safe_next(request.args.get("next")))
        form.password.errors = [error]
    return render_template(
        "auth/login.html", form=form
    ), 200 if not form.errors else 401


def _check_credentials(username: str, password: str) -> str | None:
    """Sign the user in, or return the message to show."""
    db = get_db()
    config = current_app.config
    user = db.execute(
        "SELECT id, username, password_hash, active, failed_logins, locked_until "
        "FROM users WHERE username = ?",
        (username,),
    ).fetchone()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        current_app.logger.info("sign-in failed for an unknown username")
        return "Invalid username or password."
    now = datetime.now(UTC)
    if user["locked_until"] and datetime.fromisoformat(user["locked_until"]) > now:
        # The same hash work as any other attempt, so timing does not tell.
        check_password_hash(_DUMMY_HASH, password)
        audit.record("sign_in_failed", "user", user["id"], "locked", user=user)
        return (
            "Too many failed sign-ins. This account is locked for "
            f"{config['LOGIN_LOCK_MINUTES']} minutes; try again later or ask an "
            "administrator."
        )
    if not user["active"] or not check_password_hash(user["password_hash"], password):
        locked_until = (
            now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
        ).isoformat()
        # Count inside the write transaction, so parallel attempts all count.
        with transaction(db):
            db.execute(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?",
                (user["id"],),
            )
            db.execute(
                "UPDATE users SET failed_logins = 0, locked_until = ? "
                "WHERE id = ? AND failed_logins >= ?",
                (locked_until, user["id"], config["LOGIN_MAX_FAILURES"]),
            )
            audit.record("sign_in_failed", "user", user["id"], user=user)
        current_app.logger.info("sign-in failed, user %s", user["id"])
        return "Invalid username or password."
    with transaction(db):
        db.execute(
            "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?",
            (user["id"],),
        )
        audit.record("sign_in", "user", user["id"], user=user)
    current_app.logger.info("signed in, user %s", user["id"])
    _start_session(user)
    return None


@bp.route("/logout", methods=("POST",))
def logout():
    """Sign out and forget the session."""
    if g.user:
        db = get_db()
        with transaction(db):
            # A copy of this session's cookie must not outlive the sign-out.
            db.execute(
                "UPDATE users SET sessions_revoked_at = ? WHERE id = ?",
                (time.time(), g.user["id"]),
            )
            audit.record("sign_out", "user", g.user["id"])
        current_app.logger.info("signed out, user %s", g.user["id"])
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
