"""Administration: user accounts, the audit trail and password changes."""

import csv
import functools
import io
import math
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
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
from werkzeug.security import check_password_hash
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from appeals.db import get_db, transaction
from appeals.inputs import InputError, parse_date
from appeals.web import audit
from appeals.web.auth import (
    MIN_PASSWORD_LENGTH,
    USERNAME_PATTERN,
    hash_password,
    password_fingerprint,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE_SIZE = 100
AUDIT_COLUMNS = (
    "id",
    "at",
    "user_id",
    "username",
    "action",
    "object_type",
    "object_id",
    "detail",
)
# One fixed filter: each condition is skipped when its parameter is NULL, so the
# SQL text never changes with the filters chosen.
AUDIT_FILTER = (
    "FROM audit WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR action = ?2) "
    "AND (?3 IS NULL OR object_type = ?3) AND (?4 IS NULL OR at >= ?4) "
    "AND (?5 IS NULL OR at < ?5)"
)
AUDIT_COUNT_SQL = "SELECT COUNT(*) " + AUDIT_FILTER
AUDIT_ROWS_SQL = (
    "SELECT id, at, user_id, username, action, object_type, object_id, detail "
    + AUDIT_FILTER
    + " ORDER BY at DESC, id DESC"
)
# Spreadsheet programs read a cell that starts with = + - or @ as a formula
# (CWE-1236, https://cwe.mitre.org/data/definitions/1236.html). Some programs do
# so after a leading tab or carriage return too, so those cells are quoted as well.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class AddUserForm(FlaskForm):
    """A new account, whose one-time password the app generates."""

    username = StringField(
        "Username",
        filters=[_strip],
        validators=[
            DataRequired(message="Enter a username."),
            Length(min=3, max=80, message="Use 3 to 80 characters."),
            Regexp(
                USERNAME_PATTERN,
                message="Use only letters, digits, dots, underscores and hyphens.",
            ),
        ],
    )
    is_admin = BooleanField("Administrator")


class ChangePasswordForm(FlaskForm):
    """The signed-in user's current password and the new one, typed twice."""

    current = PasswordField(
        "Current password",
        validators=[DataRequired(message="Enter your current password.")],
    )
    new = PasswordField(
        "New password",
        validators=[
            DataRequired(message="Enter a new password."),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Use {MIN_PASSWORD_LENGTH} to 200 characters.",
            ),
        ],
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[
            DataRequired(message="Repeat the new password."),
            EqualTo("new", "The new passwords differ. Type the same password twice."),
        ],
    )


class AuditFilterForm(FlaskForm):
    """Filters for the audit trail, read from the query string."""

    class Meta:
        csrf = False

    user = SelectField("User", default="")
    action = SelectField("Action", default="")
    object_type = SelectField("Object type", default="")
    date_from = StringField("From (UTC date)", filters=[_strip])
    date_to = StringField("To (UTC date)", filters=[_strip])

    start = None
    end = None

    def validate_date_from(self, field):
        self.start = _parse_filter_date(field.data)

    def validate_date_to(self, field):
        self.end = _parse_filter_date(field.data)
        if self.start and self.end and self.start > self.end:
            raise ValidationError(
                "The end date is before the start date. Swap the two dates."
            )


def _parse_filter_date(text):
    try:
        return parse_date(text, required=False)
    except InputError as error:
        raise ValidationError(str(error)) from error


def admin_required(view):
    """Reject a signed-in user who is not an administrator with 403 Forbidden."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.user is None or not g.user["is_admin"]:
            abort(403)
        return view(**kwargs)

    return wrapped


def spreadsheet_safe(value) -> str:
    """Return a cell as text, quoted if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _format_time(text: str | None) -> str:
    if not text:
        return ""
    return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M:%S UTC")


def _list_users() -> list[dict]:
    now = datetime.now(UTC)
    rows = get_db().execute(
        "SELECT id, username, is_admin, active, locked_until, created_at "
        "FROM users ORDER BY username COLLATE NOCASE"
    )
    users = []
    for row in rows:
        locked_until = row["locked_until"]
        if locked_until and datetime.fromisoformat(locked_until) <= now:
            locked_until = None
        users.append(
            {
                "id": row["id"],
                "username": row["username"],
                "is_admin": bool(row["is_admin"]),
                "active": bool(row["active"]),
                "locked_until": _format_time(locked_until),
                "created": _format_time(row["created_at"]),
            }
        )
    return users


def _get_user(db: sqlite3.Connection, user_id: int) -> sqlite3.Row:
    user = db.execute(
        "SELECT id, username, is_admin, active FROM users WHERE id = ?", (user_id,)
    ).fetchone()
    if user is None:
        abort(404)
    return user


def _flash_password(message: str, password: str) -> None:
    # NOTE: flashed messages travel in the signed (not encrypted) session cookie
    # until the next page shows them, so the password sits in the administrator's
    # cookie for one request.
    flash(
        f"{message} One-time password: {password} (shown only this once). Give it "
        "to the user privately and ask them to change it under Change password "
        "after signing in.",
        "success",
    )


@bp.route("/users", methods=("GET", "POST"))
@admin_required
def users():
    """List the user accounts and add a new one with a one-time password."""
    form = AddUserForm()
    if form.validate_on_submit():
        username = form.username.data
        password = secrets.token_urlsafe(12)
        db = get_db()
        try:
            with transaction(db):
                existing = db.execute(
                    "SELECT username FROM users WHERE username = ?", (username,)
                ).fetchone()
                if existing is None:
                    cursor = db.execute(
                        "INSERT INTO users (username, password_hash, is_admin, "
                        "created_at, must_change_password) VALUES (?, ?, ?, ?, 1)",
                        (
                            username,
                            hash_password(password),
                            int(form.is_admin.data),
                            audit.now_iso(),
                        ),
                    )
                    role = "administrator" if form.is_admin.data else "user"
                    audit.record("create", "user", cursor.lastrowid, role)
        except sqlite3.IntegrityError:
            # Another request added the same username after the check above.
            existing = {"username": username}
        if existing is None:
            current_app.logger.info(
                "user %s added by user %s", cursor.lastrowid, g.user["id"]
            )
            _flash_password(f'User "{username}" added.', password)
            return redirect(url_for("admin.users"))
        form.username.errors.append(
            f'The username "{existing["username"]}" already exists. Usernames ignore '
            "letter case, so choose a different name."
        )
    status = 400 if form.errors else 200
    return render_template("admin/users.html", form=form, users=_list_users()), status


def _disable_problem(db: sqlite3.Connection, user: sqlite3.Row) -> str | None:
    if not user["active"]:
        return f'User "{user["username"]}" is already disabled.'
    if user["is_admin"]:
        other_admins = db.execute(
            "SELECT COUNT(*) FROM users WHERE is_admin = 1 AND active = 1 AND id != ?",
            (user["id"],),
        ).fetchone()[0]
        if other_admins == 0:
            return (
                f'User "{user["username"]}" is the last active administrator, so '
                "the account stays active. Add another administrator first."
            )
    if user["id"] == g.user["id"]:
        return (
            "You cannot disable your own account. Ask another administrator to do it."
        )
    return None


@bp.post("/users/<int:user_id>/disable")
@admin_required
def disable_user(user_id: int):
    """Disable an account, which ends its sessions on their next request."""
    db = get_db()
    with transaction(db):
        user = _get_user(db, user_id)
        problem = _disable_problem(db, user)
        if problem is None:
            db.execute("UPDATE users SET active = 0 WHERE id = ?", (user_id,))
            audit.record("disable", "user", user_id)
    if problem is not None:
        flash(problem, "error")
    else:
        current_app.logger.info("user %s disabled by user %s", user_id, g.user["id"])
        flash(f'User "{user["username"]}" is disabled.', "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/enable")
@admin_required
def enable_user(user_id: int):
    """Enable a disabled account."""
    db = get_db()
    with transaction(db):
        user = _get_user(db, user_id)
        if not user["active"]:
            db.execute("UPDATE users SET active = 1 WHERE id = ?", (user_id,))
            audit.record("enable", "user", user_id)
    if user["active"]:
        flash(f'User "{user["username"]}" is already active.', "info")
    else:
        current_app.logger.info("user %s enabled by user %s", user_id, g.user["id"])
        flash(f'User "{user["username"]}" is enabled.', "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset")
@admin_required
def reset_password(user_id: int):
    """Replace a user's password with a one-time password and end any lockout."""
    password = secrets.token_urlsafe(12)
    db = get_db()
    with transaction(db):
        user = _get_user(db, user_id)
        db.execute(
            "UPDATE users SET password_hash = ?, failed_logins = 0, "
            "locked_until = NULL, must_change_password = 1 WHERE id = ?",
            (hash_password(password), user_id),
        )
        audit.record("reset_password", "user", user_id)
    current_app.logger.info(
        "password of user %s reset by user %s", user_id, g.user["id"]
    )
    _flash_password(f'Password of "{user["username"]}" reset.', password)
    return redirect(url_for("admin.users"))


def _audit_filter_form() -> AuditFilterForm:
    db = get_db()
    form = AuditFilterForm(formdata=request.args)
    form.user.choices = [("", "Any user")] + [
        (str(row["id"]), row["username"])
        for row in db.execute(
            "SELECT id, username FROM users ORDER BY username COLLATE NOCASE"
        )
    ]
    form.action.choices = [("", "Any action")] + [
        (action, action.replace("_", " ")) for action in audit.ACTIONS
    ]
    form.object_type.choices = [("", "Any object type")] + [
        (row[0], row[0])
        for row in db.execute(
            "SELECT DISTINCT object_type FROM audit ORDER BY object_type"
        )
    ]
    return form


def _audit_params(form: AuditFilterForm) -> list:
    """Return the parameters of AUDIT_FILTER for a validated filter form."""
    # `at` is ISO 8601 UTC text, so string comparison orders it by time.
    return [
        int(form.user.data) if form.user.data else None,
        form.action.data or None,
        form.object_type.data or None,
        form.start.isoformat() if form.start else None,
        (form.end + timedelta(days=1)).isoformat() if form.end else None,
    ]


def _filter_args(form: AuditFilterForm) -> dict:
    names = ("user", "action", "object_type", "date_from", "date_to")
    return {name: form[name].data for name in names if form[name].data}


def _render_audit(form, rows=(), total=0, page=1, pages=1, status=200):
    return (
        render_template(
            "admin/audit.html",
            form=form,
            rows=rows,
            total=total,
            page=page,
            pages=pages,
            page_size=AUDIT_PAGE_SIZE,
            filter_args=_filter_args(form),
        ),
        status,
    )


@bp.get("/audit")
@admin_required
def audit_log():
    """List audit entries, newest first, a page at a time, with filters."""
    form = _audit_filter_form()
    if not form.validate():
        return _render_audit(form, status=400)
    db = get_db()
    params = _audit_params(form)
    total = db.execute(AUDIT_COUNT_SQL, params).fetchone()[0]
    pages = max(1, math.ceil(total / AUDIT_PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    rows = [
        dict(row, at=_format_time(row["at"]))
        for row in db.execute(
            AUDIT_ROWS_SQL + " LIMIT ?6 OFFSET ?7",
            [*params, AUDIT_PAGE_SIZE, (page - 1) * AUDIT_PAGE_SIZE],
        )
    ]
    return _render_audit(form, rows, total, page, pages)


def _audit_csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(AUDIT_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(row[name]) for name in AUDIT_COLUMNS])
    return buffer.getvalue()


@bp.get("/audit.csv")
@admin_required
def audit_export():
    """Download the filtered audit entries as CSV and record the export."""
    form = _audit_filter_form()
    if not form.validate():
        return _render_audit(form, status=400)
    db = get_db()
    params = _audit_params(form)
    rows = db.execute(AUDIT_ROWS_SQL, params).fetchall()
    filters = ", ".join(f"{k}={v}" for k, v in _filter_args(form).items())
    audit.record(
        "export", "audit", None, f"{len(rows)} rows; filters: {filters or 'none'}"
    )
    current_app.logger.info(
        "audit trail exported, %s rows, by user %s", len(rows), g.user["id"]
    )
    filename = f"audit-{datetime.now(UTC):%Y%m%d-%H%M%S}.csv"
    # The byte order mark makes Excel read the file as UTF-8.
    return Response(
        _audit_csv(rows).encode("utf-8-sig"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/password", methods=("GET", "POST"))
def change_password():
    """Change the signed-in user's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_db()
        user_id = g.user["id"]
        stored = db.execute(
            "SELECT password_hash FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        if not check_password_hash(stored["password_hash"], form.current.data):
            current_app.logger.info(
                "password change failed: wrong current password, user %s", user_id
            )
            form.current.errors.append(
                "The current password is wrong. Type the password you signed in with."
            )
        elif form.new.data == form.current.data:
            form.new.errors.append(
                "The new password is the same as the current one. Choose another."
            )
        else:
            new_hash = hash_password(form.new.data)
            with transaction(db):
                db.execute(
                    "UPDATE users SET password_hash = ?, failed_logins = 0, "
                    "locked_until = NULL, must_change_password = 0 WHERE id = ?",
                    (new_hash, user_id),
                )
                audit.record("change_password", "user", user_id)
            # Other sessions of this user end; this one continues.
            session["password"] = password_fingerprint(new_hash)
            current_app.logger.info("password changed, user %s", user_id)
            flash("Your password is changed.", "success")
            return redirect(url_for("views.index"))
    status = 400 if form.errors else 200
    return render_template("admin/password.html", form=form), status
