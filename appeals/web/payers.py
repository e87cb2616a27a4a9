"""Payer profiles: saved payer details that billers reuse on each new appeal.

A profile is stored with its address as newline-joined lines, its required
diagnoses as comma-joined codes and its contracted rates as JSON text mapping a
procedure code to an amount string. Each save increments ``version``, and an
update names the version it was read at, so a stale form cannot overwrite a
newer save.
"""

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from appeals import inputs
from appeals.case import PAYER_KINDS
from appeals.db import get_db, transaction
from appeals.deadlines import COMMERCIAL_DEFAULT_DAYS
from appeals.diagnoses import check_code
from appeals.web import audit, auth

bp = Blueprint("payers", __name__, url_prefix="/payers")

# An address checked longer ago than this is flagged on the list for a re-check.
RECHECK_AFTER_DAYS = 365
# The bounds case.py accepts for a payer's window_days.
MIN_WINDOW_DAYS = 1
MAX_WINDOW_DAYS = 730
MAX_NAME_LENGTH = 200
MAX_SHORT_TEXT = 40  # payer ID, fax and phone, as case.py limits them
MAX_ADDRESS_LINES = 8
MAX_ADDRESS_LINE = 120  # case.py's limit for one address line
MAX_PORTAL_LENGTH = 500
MAX_NOTE_LENGTH = 1000

COLUMNS = (
    "name",
    "kind",
    "payer_id",
    "address",
    "fax",
    "phone",
    "portal",
    "window_days",
    "required_diagnoses",
    "contracted_rates",
    "source_note",
    "verified_on",
)
# Columns that the JSON case shape has no place for, so a save from a case
# leaves them as they are.
PROFILE_ONLY_COLUMNS = ("portal", "source_note", "verified_on")

_SELECT_ONE = (
    "SELECT payers.*, users.username AS updated_by_name FROM payers "
    "LEFT JOIN users ON users.id = payers.updated_by WHERE payers.id = ?"
)
_SELECT_ALL = (
    "SELECT payers.*, users.username AS updated_by_name FROM payers "
    "LEFT JOIN users ON users.id = payers.updated_by "
    "ORDER BY payers.name COLLATE NOCASE, payers.id"
)
_INSERT = (
    "INSERT INTO payers (name, kind, payer_id, address, fax, phone, portal, "
    "window_days, required_diagnoses, contracted_rates, source_note, verified_on, "
    "version, created_at, updated_at, updated_by) VALUES (:name, :kind, :payer_id, "
    ":address, :fax, :phone, :portal, :window_days, :required_diagnoses, "
    ":contracted_rates, :source_note, :verified_on, 1, :now, :now, :user_id)"
)
_UPDATE = (
    "UPDATE payers SET name = :name, kind = :kind, payer_id = :payer_id, "
    "address = :address, fax = :fax, phone = :phone, portal = :portal, "
    "window_days = :window_days, required_diagnoses = :required_diagnoses, "
    "contracted_rates = :contracted_rates, source_note = :source_note, "
    "verified_on = :verified_on, version = version + 1, updated_at = :now, "
    "updated_by = :user_id WHERE id = :id AND version = :version"
)


class StaleProfileError(Exception):
    """A profile update named a version that is no longer the saved one."""

    def __init__(self, profile_id: int, current: sqlite3.Row | None):
        self.profile_id = profile_id
        self.current = current  # the profile as saved now, None once deleted
        if current is None:
            message = f"payer profile {profile_id} was deleted"
        else:
            message = (
                f"payer profile {profile_id} is at version {current['version']}, "
                f"saved by user {current['updated_by']} at {current['updated_at']}"
            )
        super().__init__(message)


class ProfileInputError(inputs.InputError):
    """An invalid value in a payer passed to save_profile_from_case."""

    def __init__(self, field: str, message: str):
        self.field = field  # the key of the payer dict, such as "window_days"
        super().__init__(message)


# Parsers for the typed values. Each returns the clean value or raises InputError
# with a message that states how to fix the value.


def _parse_name(value) -> str:
    name = inputs.clean_text(value, max_length=MAX_NAME_LENGTH)
    if not name:
        raise inputs.InputError("Enter the payer's name, such as Aetna or Medicaid.")
    return name


def _parse_kind(value) -> str:
    if value not in PAYER_KINDS:
        allowed = ", ".join(PAYER_KINDS.values())
        raise inputs.InputError(f"Choose one of: {allowed}.")
    return value


def _parse_short_text(value) -> str:
    return inputs.clean_text(value, max_length=MAX_SHORT_TEXT)


def _parse_address(value) -> list[str]:
    if isinstance(value, list | tuple):
        value = "\n".join(str(line) for line in value)
    text = inputs.clean_text(value, multiline=True)
    lines = [line for line in text.split("\n") if line]
    if len(lines) > MAX_ADDRESS_LINES:
        raise inputs.InputError(
            f"The address has {len(lines)} lines, but the maximum is "
            f"{MAX_ADDRESS_LINES}. Join or remove lines."
        )
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_ADDRESS_LINE:
            raise inputs.InputError(
                f"Line {number} has {len(line)} characters, but the maximum is "
                f"{MAX_ADDRESS_LINE}. Split it into two lines."
            )
    return lines


# Digits with the usual punctuation, then an optional extension: "ext. 12", "x12".
_PHONE = re.compile(r"^\+?[\d\s().-]+?(?:\s*(?:ext\.?|x)\s*\d{1,6})?$", re.IGNORECASE)
_EXTENSION = re.compile(r"(?:ext\.?|x)\s*\d+$", re.IGNORECASE)


def _parse_phone(value) -> str:
    text = _parse_short_text(value)
    if not text:
        return ""
    digits = re.sub(r"\D", "", _EXTENSION.sub("", text))
    if not _PHONE.match(text) or not 10 <= len(digits) <= 15:
        raise inputs.InputError(
            f'"{text}" is not a phone number. Enter 10 digits with the area code, '
            "such as (555) 123-4567, and an extension as ext. 123."
        )
    return text


def _parse_portal(value) -> str:
    text = inputs.clean_text(value, max_length=MAX_PORTAL_LENGTH)
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise inputs.InputError(
            f'"{text}" is not a web address. Enter the full address starting with '
            "https://, such as https://provider.example.com/appeals."
        )
    if " " in text:
        raise inputs.InputError(
            f'"{text}" contains a space. Copy the address again from the browser.'
        )
    return text


_DAYS_WORD = re.compile(r"\s*days?$", re.IGNORECASE)


def _parse_window(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = _DAYS_WORD.sub("", inputs.clean_text(value))
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise inputs.InputError(
            f'"{text}" is not a whole number of days. Enter digits only, such as 90.'
        )
    days = int(text)
    if not MIN_WINDOW_DAYS <= days <= MAX_WINDOW_DAYS:
        raise inputs.InputError(
            f"{days} days is outside {MIN_WINDOW_DAYS} to {MAX_WINDOW_DAYS}. "
            "Enter the number of days the payer allows, such as 90."
        )
    return days


def _parse_required_diagnoses(value) -> list[str]:
    codes = inputs.parse_diagnosis_list(value)
    problems = []
    for code in codes:
        check = check_code(code)
        if not (check.valid and check.billable):
            problems.append(check.problem)
    if problems:
        raise inputs.InputError(" ".join(problems))
    return codes


# The code, then an amount: "93702 142.50", "93702: $142.50" or "93702 = 142.50".
_RATE_LINE = re.compile(r"^(?P<code>\S+?)\s*[:=]?\s+(?P<amount>\S.*)$")


def _parse_rates(value) -> dict[str, Decimal]:
    text = inputs.clean_text(value, multiline=True)
    rates: dict[str, Decimal] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            continue
        match = _RATE_LINE.match(line)
        if match is None:
            raise inputs.InputError(
                f'Line {number} ("{line}") needs a code, a space and an amount, '
                "such as 93702 142.50."
            )
        try:
            code = inputs.parse_procedure_code(match["code"])
            amount = inputs.parse_money(match["amount"])
        except inputs.InputError as error:
            raise inputs.InputError(f"Line {number}: {error}") from error
        if code in rates:
            raise inputs.InputError(
                f"Line {number}: {code} is already on line {first_line[code]}. "
                "Keep one rate per code."
            )
        rates[code] = amount
        first_line[code] = number
    return rates


def _parse_rates_map(value) -> dict[str, Decimal]:
    """Parse the code -> amount mapping of a JSON case payer."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise inputs.InputError("Give the rates as a mapping of code to amount.")
    rates = {}
    for code, amount in value.items():
        try:
            rates[inputs.parse_procedure_code(code)] = inputs.parse_money(str(amount))
        except inputs.InputError as error:
            raise inputs.InputError(f"{code}: {error}") from error
    return rates


def _parse_verified_on(value) -> date | None:
    day = inputs.parse_date(value, required=False)
    if day is not None and day > date.today():
        raise inputs.InputError(
            f"{day:%m/%d/%Y} is after today. Enter the date the address was checked."
        )
    return day


def _parse_note(value) -> str:
    return inputs.clean_text(value, multiline=True, max_length=MAX_NOTE_LENGTH)


def _parse_version(value) -> int:
    text = inputs.clean_text(value)
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise inputs.InputError(
            "The form lost track of which saved version it edits. Open the profile "
            "again from the list and re-enter the changes."
        )
    return int(text)


# Storage: the row text of each value.


def _rates_json(rates: dict[str, Decimal]) -> str:
    return json.dumps({code: str(rates[code]) for code in sorted(rates)})


def _columns(
    *,
    name: str,
    kind: str,
    payer_id: str,
    address: list[str],
    fax: str,
    phone: str,
    portal: str,
    window_days: int | None,
    required_diagnoses: list[str],
    contracted_rates: dict[str, Decimal],
    source_note: str,
    verified_on: date | None,
) -> dict:
    """Return the column values of a profile from parsed values."""
    return {
        "name": name,
        "kind": kind,
        "payer_id": payer_id,
        "address": "\n".join(address),
        "fax": fax,
        "phone": phone,
        "portal": portal,
        "window_days": window_days,
        "required_diagnoses": ",".join(required_diagnoses),
        "contracted_rates": _rates_json(contracted_rates),
        "source_note": source_note,
        "verified_on": verified_on.isoformat() if verified_on else None,
    }


def list_profiles() -> list[sqlite3.Row]:
    """Return every payer profile sorted by name, with updated_by_name."""
    return get_db().execute(_SELECT_ALL).fetchall()


def get_profile(payer_id: int) -> sqlite3.Row | None:
    """Return one payer profile with updated_by_name, or None if it does not exist."""
    return get_db().execute(_SELECT_ONE, (payer_id,)).fetchone()


def profile_to_case_payer(row) -> dict:
    """Return a profile in the payer shape of the JSON case format."""
    return {
        "name": row["name"],
        "kind": row["kind"],
        "payer_id": row["payer_id"],
        "address": [line for line in row["address"].split("\n") if line],
        "fax": row["fax"],
        "phone": row["phone"],
        "window_days": row["window_days"],
        "required_diagnoses": [
            code for code in row["required_diagnoses"].split(",") if code
        ],
        "contracted_rates": json.loads(row["contracted_rates"] or "{}"),
    }


@contextmanager
def _write_transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Join the caller's open transaction, or run a transaction of our own."""
    if db.in_transaction:
        yield db
        return
    with transaction(db):
        yield db


def _insert(db: sqlite3.Connection, columns: dict, user_id: int) -> int:
    cursor = db.execute(
        _INSERT, {**columns, "now": audit.now_iso(), "user_id": user_id}
    )
    return cursor.lastrowid


def _update(
    db: sqlite3.Connection, profile_id: int, version: int, columns: dict, user_id: int
) -> bool:
    """Update a profile if it is still at version, and return whether it was."""
    cursor = db.execute(
        _UPDATE,
        {
            **columns,
            "now": audit.now_iso(),
            "user_id": user_id,
            "id": profile_id,
            "version": version,
        },
    )
    return cursor.rowcount == 1


def _case_value(payer: dict, key: str, parse: Callable):
    try:
        return parse(payer.get(key))
    except inputs.InputError as error:
        raise ProfileInputError(key, str(error)) from error


def _columns_from_case(payer: dict) -> dict:
    return _columns(
        name=_case_value(payer, "name", _parse_name),
        kind=_case_value(payer, "kind", _parse_kind),
        payer_id=_case_value(payer, "payer_id", _parse_short_text),
        address=_case_value(payer, "address", _parse_address),
        fax=_case_value(payer, "fax", _parse_short_text),
        phone=_case_value(payer, "phone", _parse_short_text),
        portal="",
        window_days=_case_value(payer, "window_days", _parse_window),
        required_diagnoses=_case_value(
            payer, "required_diagnoses", _parse_required_diagnoses
        ),
        contracted_rates=_case_value(payer, "contracted_rates", _parse_rates_map),
        # Typed from the payer's notice at hand, so checked on the day it is saved.
        source_note="Entered from a denial notice with an appeal",
        verified_on=date.today(),
    )


def save_profile_from_case(
    payer: dict,
    user_id: int,
    profile_id: int | None = None,
    version: int | None = None,
) -> int:
    """Insert a profile from a case payer, or update profile_id at version.

    Portal, source note and verified-on date are not in the case shape, so an
    update keeps them. Joins the caller's transaction when one is open. Raises
    ProfileInputError for an invalid value, StaleProfileError when the profile
    is not at version (or version is None) or was deleted, and ValueError for an
    unknown user.
    """
    columns = _columns_from_case(payer)
    db = get_db()
    user = db.execute(
        "SELECT id, username FROM users WHERE id = ?", (user_id,)
    ).fetchone()
    if user is None:
        raise ValueError(f"user {user_id} does not exist")

    with _write_transaction(db):
        if profile_id is None:
            profile_id = _insert(db, columns, user_id)
            audit.record("create", "payer", profile_id, user=user)
            event = "created"
        else:
            current = get_profile(profile_id)
            # Without a version the caller cannot show that it read the saved
            # profile, so the update is treated as stale instead of unchecked.
            if current is None or version is None:
                raise StaleProfileError(profile_id, current)
            for column in PROFILE_ONLY_COLUMNS:
                columns[column] = current[column]
            if not _update(db, profile_id, version, columns, user_id):
                raise StaleProfileError(profile_id, current)
            audit.record("edit", "payer", profile_id, user=user)
            event = "updated"
    current_app.logger.info(
        "payer profile %s %s from a case, user %s", profile_id, event, user_id
    )
    return profile_id


# Forms


def _parsed_by(parse: Callable) -> Callable:
    """Return a WTForms validator that reports a parser's InputError."""

    def validate(form, field):
        try:
            parse(field.data)
        except inputs.InputError as error:
            raise ValidationError(str(error)) from error

    return validate


class PayerForm(FlaskForm):
    """A payer profile as typed, with each field checked by its parser."""

    name = StringField(
        "Payer name",
        validators=[_parsed_by(_parse_name)],
        render_kw={"autocomplete": "off"},
    )
    kind = SelectField(
        "Payer kind",
        # WTForms 3.3 reads a dict of value -> label as flat options. Older
        # releases read a dict as option groups.
        choices=dict(PAYER_KINDS),
        validate_choice=False,
        validators=[_parsed_by(_parse_kind)],
        description="Sets the appeal route and the filing deadline rules.",
    )
    payer_id = StringField(
        "Payer ID",
        validators=[_parsed_by(_parse_short_text)],
        description="The payer ID printed on the remittance or used on claims.",
    )
    address = TextAreaField(
        "Appeals mailing address",
        validators=[_parsed_by(_parse_address)],
        description="One line per row, as it goes on the envelope.",
        render_kw={"rows": 5},
    )
    fax = StringField("Appeals fax", validators=[_parsed_by(_parse_phone)])
    phone = StringField("Phone", validators=[_parsed_by(_parse_phone)])
    portal = StringField(
        "Appeals portal URL",
        validators=[_parsed_by(_parse_portal)],
        description="Optional. The full address, starting with https://.",
        render_kw={"inputmode": "url"},
    )
    window_days = StringField(
        "Filing window (days)",
        validators=[_parsed_by(_parse_window)],
        description=(
            f"Days from the denial notice to file an appeal, {MIN_WINDOW_DAYS} to "
            f"{MAX_WINDOW_DAYS}. Medicaid needs it, because each state sets its own "
            f"window. Commercial plans use {COMMERCIAL_DEFAULT_DAYS} days when it is "
            "blank. Medicare and Medicare Advantage use the CMS windows instead."
        ),
        render_kw={"inputmode": "numeric"},
    )
    required_diagnoses = TextAreaField(
        "Required diagnosis codes",
        validators=[_parsed_by(_parse_required_diagnoses)],
        description=(
            "ICD-10-CM codes this payer requires on a 93702 claim, separated by "
            "commas or spaces, such as C50.912, I89.0."
        ),
        render_kw={"rows": 2},
    )
    contracted_rates = TextAreaField(
        "Contracted rates",
        validators=[_parsed_by(_parse_rates)],
        description="One code and amount per line, such as 93702 142.50.",
        render_kw={"rows": 4},
    )
    source_note = TextAreaField(
        "Where this address came from",
        validators=[_parsed_by(_parse_note)],
        description="Such as: denial letter of 03/02/2026, or the payer's website.",
        render_kw={"rows": 2},
    )
    verified_on = StringField(
        "Address verified on",
        validators=[_parsed_by(_parse_verified_on)],
        description=(
            "MM/DD/YYYY. The list flags an address checked more than "
            f"{RECHECK_AFTER_DAYS} days ago."
        ),
    )

    def to_columns(self) -> dict:
        """Return the column values of a validated form."""
        return _columns(
            name=_parse_name(self.name.data),
            kind=_parse_kind(self.kind.data),
            payer_id=_parse_short_text(self.payer_id.data),
            address=_parse_address(self.address.data),
            fax=_parse_phone(self.fax.data),
            phone=_parse_phone(self.phone.data),
            portal=_parse_portal(self.portal.data),
            window_days=_parse_window(self.window_days.data),
            required_diagnoses=_parse_required_diagnoses(self.required_diagnoses.data),
            contracted_rates=_parse_rates(self.contracted_rates.data),
            source_note=_parse_note(self.source_note.data),
            verified_on=_parse_verified_on(self.verified_on.data),
        )


class EditPayerForm(PayerForm):
    """A payer profile form that carries the version it was loaded at."""

    version = HiddenField("Saved version", validators=[_parsed_by(_parse_version)])


def _form_data(row) -> dict:
    """Return a profile's values as the edit form shows them."""
    rates = json.loads(row["contracted_rates"] or "{}")
    verified_on = row["verified_on"]
    return {
        "name": row["name"],
        "kind": row["kind"],
        "payer_id": row["payer_id"],
        "address": row["address"],
        "fax": row["fax"],
        "phone": row["phone"],
        "portal": row["portal"],
        "window_days": "" if row["window_days"] is None else str(row["window_days"]),
        "required_diagnoses": ", ".join(
            code for code in row["required_diagnoses"].split(",") if code
        ),
        "contracted_rates": "\n".join(f"{code} {rates[code]}" for code in rates),
        "source_note": row["source_note"],
        "verified_on": (
            f"{date.fromisoformat(verified_on):%m/%d/%Y}" if verified_on else ""
        ),
        "version": str(row["version"]),
    }


# Views


def needs_recheck(row, today: date) -> bool:
    """Return whether a profile's address was never verified or is due a re-check."""
    if not row["verified_on"]:
        return True
    return (today - date.fromisoformat(row["verified_on"])).days > RECHECK_AFTER_DAYS


def _saved_at(row) -> str:
    """Return who saved a profile last and when, for a message."""
    who = row["updated_by_name"] or "a deleted user"
    when = row["updated_at"].replace("T", " ").removesuffix("+00:00")
    return f"{who} at {when} UTC"


def _render_form(form, profile=None, status=200, **context):
    return (
        render_template(
            "payers/form.html",
            form=form,
            profile=profile,
            saved_at=_saved_at(profile) if profile else None,
            **context,
        ),
        status,
    )


def _flash_saved(columns: dict) -> None:
    flash(f"Payer profile {columns['name']} saved.", "success")
    if columns["kind"] == "medicaid" and columns["window_days"] is None:
        flash(
            "This Medicaid profile has no filing window, so appeals for it get no "
            "due date. Add the state's window to the profile.",
            "warning",
        )


def _differences(form: EditPayerForm, current) -> list[dict]:
    """Return the fields whose saved value differs from the submitted one."""
    submitted = form.to_columns()
    saved = _form_data(current)
    saved["kind"] = PAYER_KINDS.get(current["kind"], current["kind"])
    return [
        {"label": form[column].label.text, "saved": saved[column] or "(blank)"}
        for column in COLUMNS
        if submitted[column] != current[column]
    ]


@bp.route("/")
def index():
    """List payer profiles by name, flagging addresses due for a re-check."""
    today = date.today()
    profiles = [
        {
            "row": row,
            "kind": PAYER_KINDS.get(row["kind"], row["kind"]),
            "verified_on": (
                f"{date.fromisoformat(row['verified_on']):%m/%d/%Y}"
                if row["verified_on"]
                else ""
            ),
            "needs_recheck": needs_recheck(row, today),
        }
        for row in list_profiles()
    ]
    return render_template("payers/index.html", profiles=profiles)


@bp.route("/new", methods=("GET", "POST"))
def new():
    """Create a payer profile."""
    form = PayerForm()
    if not form.validate_on_submit():
        return _render_form(form, status=422 if form.errors else 200)

    columns = form.to_columns()
    db = get_db()
    with transaction(db):
        payer_id = _insert(db, columns, g.user["id"])
        audit.record("create", "payer", payer_id)
    current_app.logger.info("payer profile %s created, user %s", payer_id, g.user["id"])
    _flash_saved(columns)
    return redirect(url_for("payers.index"))


@bp.route("/<int:payer_id>/edit", methods=("GET", "POST"))
def edit(payer_id: int):
    """Edit a payer profile, unless someone else saved it since the form opened."""
    profile = get_profile(payer_id)
    if request.method == "GET":
        if profile is None:
            abort(404)
        audit.record("view", "payer", payer_id)
        return _render_form(EditPayerForm(data=_form_data(profile)), profile)

    # A profile deleted since the form was opened still gets its entries shown.
    form = EditPayerForm()
    if not form.validate_on_submit():
        return _render_form(form, profile, status=422, deleted=profile is None)

    columns = form.to_columns()
    db = get_db()
    with transaction(db):
        version = _parse_version(form.version.data)
        saved = _update(db, payer_id, version, columns, g.user["id"])
        if saved:
            audit.record("edit", "payer", payer_id)
    if not saved:
        return _reject_stale_edit(form, payer_id)

    current_app.logger.info("payer profile %s edited, user %s", payer_id, g.user["id"])
    _flash_saved(columns)
    return redirect(url_for("payers.index"))


def _reject_stale_edit(form: EditPayerForm, payer_id: int):
    """Show the form again with the user's values and who saved in between."""
    current = get_profile(payer_id)
    current_app.logger.info(
        "payer profile %s edit rejected, stale version, user %s",
        payer_id,
        g.user["id"],
    )
    if current is None:
        # The form posts to payers.new from here, so submitting saves a new profile.
        return _render_form(form, None, status=409, deleted=True)
    # The form now carries the newer version, so submitting again replaces it.
    form.version.data = str(current["version"])
    return _render_form(
        form,
        current,
        status=409,
        conflict=_saved_at(current),
        differences=_differences(form, current),
    )


@bp.route("/<int:payer_id>/delete", methods=("POST",))
def delete(payer_id: int):
    """Delete a payer profile, leaving appeals their own copy of its details."""
    profile = get_profile(payer_id)
    if profile is None:
        abort(404)
    db = get_db()
    with transaction(db):
        db.execute("DELETE FROM payers WHERE id = ?", (payer_id,))
        audit.record("delete", "payer", payer_id)
    current_app.logger.info("payer profile %s deleted, user %s", payer_id, g.user["id"])
    flash(
        f"Payer profile {profile['name']} deleted. Appeals written with it keep "
        "their copy of the payer details.",
        "success",
    )
    return redirect(url_for("payers.index"))


@bp.route("/<int:payer_id>.json")
def profile_json(payer_id: int):
    """Return a profile as JSON for the denial form's script."""
    profile = get_profile(payer_id)
    if profile is None:
        return jsonify(error=f"Payer profile {payer_id} does not exist."), 404
    return jsonify(
        {
            "id": profile["id"],
            **profile_to_case_payer(profile),
            "version": profile["version"],
        }
    )


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError):
    """Show a payer form again after a failed CSRF check, keeping the entries."""
    # CSRFProtect runs before the sign-in check, so sign-in is checked here.
    redirect_to_sign_in = auth.require_sign_in()
    if redirect_to_sign_in is not None:
        return redirect_to_sign_in
    current_app.logger.info(
        "CSRF check failed on %s, user %s", request.endpoint, g.user["id"]
    )
    payer_id = (request.view_args or {}).get("payer_id")
    profile = get_profile(payer_id) if payer_id is not None else None

    if request.endpoint == "payers.new":
        form = PayerForm()
    elif request.endpoint == "payers.edit":
        form = EditPayerForm()
    elif request.endpoint == "payers.delete" and profile is not None:
        flash("The form expired, so the profile was not deleted. Try again.", "error")
        return redirect(url_for("payers.edit", payer_id=payer_id))
    else:
        return render_template(
            "error.html",
            status=400,
            title="Form expired",
            message="The form was open too long. Go back, reload the page and "
            "submit again.",
        ), 400
    # validate() puts the CSRF error on the csrf_token field, and rendering the
    # form issues a fresh token, so the next submit can succeed.
    form.validate()
    deleted = request.endpoint == "payers.edit" and profile is None
    return _render_form(form, profile, status=400, deleted=deleted)
