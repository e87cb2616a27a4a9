"""Appeals: the denial form, the preview, the letter download and the list."""

import json
import re
from datetime import date

from flask import (
    Blueprint,
    Response,
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
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict

from appeals import codes, diagnoses, remittance
from appeals.case import CaseError, case_from_dict
from appeals.db import get_db, transaction
from appeals.docx_writer import letter_to_docx
from appeals.letter import Letter, build_letter, piece_info
from appeals.rules import decide, default_table
from appeals.sources import SOURCES
from appeals.web import audit, payers
from appeals.web.forms import (
    MAX_ADJUSTMENTS,
    MAX_LINES,
    MAX_MEASUREMENTS,
    DenialForm,
    attach_case_errors,
    case_to_formdata,
    choices,
    form_to_case,
)
from appeals.web.letter_edit import LetterEditForm, apply_letter_edits, letter_version

bp = Blueprint("views", __name__)

STATUSES = {
    "draft": "Draft",
    "sent": "Sent",
    "won": "Won",
    "partly_won": "Partly won",
    "lost": "Lost",
    "closed": "Closed without appeal",
}
PROCEDURE_CODES = [
    ("93702", "Bioimpedance spectroscopy (BIS), L-Dex"),
    ("99212", "Office visit, established patient, straightforward"),
    ("99213", "Office visit, established patient, low complexity"),
    ("99214", "Office visit, established patient, moderate complexity"),
    ("99215", "Office visit, established patient, high complexity"),
    ("97161", "PT evaluation, low complexity"),
    ("97162", "PT evaluation, moderate complexity"),
    ("97163", "PT evaluation, high complexity"),
    ("97164", "PT re-evaluation"),
    ("97165", "OT evaluation, low complexity"),
    ("97166", "OT evaluation, moderate complexity"),
    ("97167", "OT evaluation, high complexity"),
    ("97168", "OT re-evaluation"),
]
COMMON_DIAGNOSES = (
    "C50.911",
    "C50.912",
    "C50.919",
    "Z85.3",
    "Z90.11",
    "Z90.12",
    "Z90.13",
    "I89.0",
    "I97.2",
    "Z92.3",
    "Z08",
)


class RemittanceUploadForm(FlaskForm):
    """An 835 remittance file to read denied claims from."""

    file = FileField(
        "835 remittance file", validators=[FileRequired("Choose an 835 file.")]
    )


class StatusForm(FlaskForm):
    """The appeal's status, for tracking outcomes."""


def _today() -> date:
    return current_app.config.get("TODAY") or date.today()


def _practice_defaults() -> dict:
    row = get_db().execute("SELECT data FROM practice WHERE id = 1").fetchone()
    return json.loads(row["data"]) if row else {}


def _form_context(form: DenialForm) -> dict:
    return {
        "form": form,
        "carcs": list(codes.CARCS.values()),
        "rarcs": list(codes.RARCS.values()),
        "procedure_codes": PROCEDURE_CODES,
        "common_diagnoses": [
            (c, diagnoses.describe(c) or "") for c in COMMON_DIAGNOSES
        ],
        "limits": {
            "lines": MAX_LINES,
            "adjustments": MAX_ADJUSTMENTS,
            "measurements": MAX_MEASUREMENTS,
        },
    }


def _load_form(formdata: MultiDict | None = None) -> DenialForm:
    form = DenialForm(formdata=formdata) if formdata is not None else DenialForm()
    form.payer_profile.choices = choices(
        [("", "New payer")]
        + [
            (str(row["id"]), f"{row['name']} ({row['kind'].replace('_', ' ')})")
            for row in payers.list_profiles()
        ]
    )
    return form


def _row_index(action: str, prefix: str) -> int | None:
    """Return the row number at the end of an action such as remove_line_2."""
    number = action.removeprefix(prefix)
    if number.isascii() and number.isdigit() and len(number) <= 3:
        return int(number)
    return None


def _apply_row_action(form: DenialForm, action: str) -> bool:
    """Add or remove a row the user asked for; return whether one was handled."""
    if action == "add_line":
        if len(form.lines) < MAX_LINES:
            form.lines.append_entry()
        else:
            flash(f"A claim can have at most {MAX_LINES} lines.", "error")
        return True
    if action.startswith("remove_line_"):
        index = _row_index(action, "remove_line_")
        if index is not None and index < len(form.lines) and len(form.lines) > 1:
            form.lines.entries.pop(index)
            _renumber(form.lines)
        return True
    if action.startswith("add_adjustment_"):
        index = _row_index(action, "add_adjustment_")
        if index is not None and index < len(form.lines):
            adjustments = form.lines.entries[index].form.adjustments
            if len(adjustments) < MAX_ADJUSTMENTS:
                adjustments.append_entry()
            else:
                flash(
                    f"A claim line can have at most {MAX_ADJUSTMENTS} adjustments.",
                    "error",
                )
        return True
    if action == "add_measurement":
        if len(form.measurements) < MAX_MEASUREMENTS:
            form.measurements.append_entry()
        else:
            flash(f"The form holds at most {MAX_MEASUREMENTS} readings.", "error")
        return True
    return False


def _posted_rows(pattern: str) -> set[str]:
    """Return the distinct row numbers among the posted names that match pattern."""
    rows = set()
    for name in request.form:
        match = re.match(pattern, name)
        if match:
            rows.add(match[1])
    return rows


def _attach_row_limit_errors(form: DenialForm) -> bool:
    """Attach an error to each list posted with more rows than the form keeps.

    FieldList drops rows past its max_entries without a word, so the posted names
    are counted here. Returns whether any list was over its limit.
    """
    over = False
    lines = _posted_rows(r"^lines-(\d+)-")
    if len(lines) > MAX_LINES:
        field = form.lines.entries[-1].form.code
        field.errors = [
            *field.errors,
            f"The form had {len(lines)} claim lines, but the maximum is {MAX_LINES}. "
            "Keep the denied lines and write a second appeal for the rest.",
        ]
        over = True
    for index, entry in enumerate(form.lines.entries):
        rows = _posted_rows(rf"^lines-{index}-adjustments-(\d+)-")
        if len(rows) > MAX_ADJUSTMENTS:
            field = entry.form.adjustments.entries[-1].form.reason
            field.errors = [
                *field.errors,
                f"Line {index + 1} had {len(rows)} adjustments, but the maximum is "
                f"{MAX_ADJUSTMENTS}. Combine the adjustments that share a group "
                "and reason code.",
            ]
            over = True
    readings = _posted_rows(r"^measurements-(\d+)-")
    if len(readings) > MAX_MEASUREMENTS:
        field = form.measurements.entries[-1].form.date
        field.errors = [
            *field.errors,
            f"The form had {len(readings)} L-Dex readings, but the maximum is "
            f"{MAX_MEASUREMENTS}. Keep the baseline and the most recent readings.",
        ]
        over = True
    return over


def _renumber(field_list) -> None:
    """Give a FieldList's rows consecutive names after one was removed."""
    from werkzeug.datastructures import MultiDict as Data

    values = []
    for entry in field_list.entries:
        values.append(_flatten(entry))
    prefix = field_list.name
    data = []
    for index, row in enumerate(values):
        for key, value in row:
            data.append((f"{prefix}-{index}-{key}", value))
    field_list.entries = []
    field_list.last_index = -1
    field_list.process(Data(data))


def _flatten(entry) -> list[tuple[str, str]]:
    """Return a FormField row's values as (name without row prefix, value) pairs."""
    pairs = []
    prefix = entry.name + "-"
    for field in entry.form:
        if hasattr(field, "entries"):
            for sub in field.entries:
                for inner in sub.form:
                    if inner.data not in (None, "", False):
                        pairs.append((inner.name.removeprefix(prefix), inner.data))
        elif field.data not in (None, "", False):
            value = "y" if field.data is True else field.data
            pairs.append((field.name.removeprefix(prefix), value))
    return pairs


def _row_id(text: str | None) -> int | None:
    """Return a posted row id or version number, or None if it is not one."""
    text = (text or "").strip()
    # Nine digits keep the number inside SQLite's 64-bit INTEGER.
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return int(text)
    return None


def _chosen_profile(form: DenialForm):
    """Return the saved payer profile picked on the form, or None."""
    profile_id = _row_id(form.payer_profile.data)
    return payers.get_profile(profile_id) if profile_id is not None else None


def _fill_from_profile(form: DenialForm) -> bool:
    row = _chosen_profile(form)
    if row is None:
        return False
    payer = payers.profile_to_case_payer(row)
    form.payer_name.data = payer["name"]
    form.payer_kind.data = payer["kind"]
    form.payer_id.data = payer["payer_id"]
    form.payer_address.data = "\n".join(payer["address"])
    form.payer_fax.data = payer["fax"]
    form.payer_phone.data = payer["phone"]
    form.payer_window_days.data = (
        str(payer["window_days"]) if payer["window_days"] else ""
    )
    form.payer_required_diagnoses.data = ", ".join(payer["required_diagnoses"])
    form.payer_version.data = str(row["version"])
    return True


def _profile_payer(form: DenialForm) -> dict | None:
    row = _chosen_profile(form)
    return payers.profile_to_case_payer(row) if row else None


def _stored_formdata() -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, value in request.form.items(multi=True)
        if key not in ("csrf_token", "action", "save_payer")
    ]


def _handle_denial_form(form: DenialForm, appeal_id: int | None):
    """Validate a submitted denial form; save and redirect, or re-render it."""
    action = request.form.get("action", "save")
    if action == "load_payer":
        if not _fill_from_profile(form):
            form.payer_profile.errors = ["Choose a saved payer profile first."]
        return None
    if _apply_row_action(form, action):
        return None

    form_ok = form.validate_on_submit()
    form_ok = not _attach_row_limit_errors(form) and form_ok
    case_dict, maps = form_to_case(form, _profile_payer(form))
    try:
        case = case_from_dict(case_dict)
    except CaseError as error:
        attach_case_errors(form, error.problems, maps)
        return None
    if not form_ok:
        return None

    today = _today()
    decision = decide(case, today)
    letter = None
    if decision.letter_ready:
        letter = build_letter(case, decision, today)
    saved_id = _save_appeal(appeal_id, form, case, case_dict, decision, letter)
    if saved_id is None:
        return None
    return redirect(url_for("views.appeal", appeal_id=saved_id))


# The form field of each key of a case payer, for errors from saving its profile.
_PROFILE_FIELDS = {
    "name": "payer_name",
    "kind": "payer_kind",
    "payer_id": "payer_id",
    "address": "payer_address",
    "fax": "payer_fax",
    "phone": "payer_phone",
    "window_days": "payer_window_days",
    "required_diagnoses": "payer_required_diagnoses",
    "contracted_rates": "payer_profile",
}


_LIST_APPEALS = (
    "SELECT id, claim_number, service_date, payer_name, route, due_date, status, "
    "case_json, updated_at FROM appeals WHERE deleted_at IS NULL "
    "AND (? = '' OR status = ?) ORDER BY due_date IS NULL, due_date, updated_at DESC"
)
_INSERT_APPEAL = (
    "INSERT INTO appeals (created_by, payer_profile_id, claim_number, service_date, "
    "payer_name, route, due_date, form_json, case_json, decision_json, letter_json, "
    "created_at, updated_at) VALUES (:user_id, :profile_id, :claim_number, "
    ":service_date, :payer_name, :route, :due_date, :form_json, :case_json, "
    ":decision_json, :letter_json, :now, :now)"
)
# A rebuilt letter replaces any edits, so the edited flag is cleared.
_UPDATE_APPEAL = (
    "UPDATE appeals SET payer_profile_id = :profile_id, claim_number = :claim_number, "
    "service_date = :service_date, payer_name = :payer_name, route = :route, "
    "due_date = :due_date, form_json = :form_json, case_json = :case_json, "
    "decision_json = :decision_json, letter_json = :letter_json, "
    "letter_edited = 0, updated_at = :now WHERE id = :id"
)


def _save_appeal(appeal_id, form, case, case_dict, decision, letter) -> int | None:
    """Store the appeal, the practice defaults and, if asked, the payer profile."""
    db = get_db()
    now = audit.now_iso()
    chosen_id = _row_id(form.payer_profile.data)
    version = _row_id(form.payer_version.data)
    if form.save_payer.data and chosen_id is not None and version is None:
        form.save_payer.errors = [
            "Press Use this payer to load the chosen profile before saving changes "
            "to it, or choose New payer to save these details as a new profile."
        ]
        return None
    # A profile deleted after the form was loaded is no longer linked.
    profile_id = chosen_id if _chosen_profile(form) else None
    values = {
        "form_json": json.dumps(_stored_formdata()),
        "case_json": json.dumps(case_dict),
        "decision_json": json.dumps(decision.to_dict()),
        "letter_json": json.dumps(letter.to_dict()) if letter else None,
        "route": decision.route,
        "due_date": decision.deadline.due.isoformat()
        if decision.deadline.due
        else None,
        "claim_number": case.claim.number,
        "service_date": case.claim.service_date.isoformat(),
        "payer_name": case.payer.name,
    }
    try:
        with transaction(db):
            if form.save_payer.data:
                profile_id = payers.save_profile_from_case(
                    case_dict["payer"], g.user["id"], chosen_id, version
                )
            db.execute(
                "INSERT INTO practice (id, data, updated_at) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                (json.dumps(_practice_memory(case_dict)), now),
            )
            values.update(profile_id=profile_id, now=now, user_id=g.user["id"])
            if appeal_id is None:
                cursor = db.execute(_INSERT_APPEAL, values)
                appeal_id = cursor.lastrowid
                audit.record("create", "appeal", appeal_id, f"route {decision.route}")
            else:
                db.execute(_UPDATE_APPEAL, {**values, "id": appeal_id})
                audit.record("edit", "appeal", appeal_id, f"route {decision.route}")
    except (payers.ProfileInputError, payers.StaleProfileError) as error:
        _attach_profile_error(form, error)
        return None
    current_app.logger.info("appeal %s saved, route %s", appeal_id, decision.route)
    return appeal_id


def _attach_profile_error(
    form: DenialForm, error: payers.ProfileInputError | payers.StaleProfileError
) -> None:
    """Show why the payer profile, and so the appeal, could not be saved."""
    if isinstance(error, payers.ProfileInputError):
        field = form[_PROFILE_FIELDS.get(error.field, "payer_name")]
        field.errors = [
            *field.errors,
            f"{error} A payer profile cannot store this value, so nothing was "
            "saved. Fix it, or untick Save this payer to use it for this appeal only.",
        ]
        current_app.logger.info(
            "appeal not saved: invalid payer profile field %s, user %s",
            error.field,
            g.user["id"],
        )
        return
    if error.current is None:
        message = (
            "This payer profile was deleted after you loaded it. Choose New payer "
            "to save these details as a new profile, or untick this box."
        )
    else:
        message = (
            "Someone else changed this payer profile after you loaded it. Load the "
            "profile again, or untick this box to keep your values for this appeal "
            "only."
        )
    form.save_payer.errors = [message]
    current_app.logger.info(
        "appeal not saved: payer profile %s is stale, user %s",
        error.profile_id,
        g.user["id"],
    )


def _practice_memory(case_dict: dict) -> dict:
    """Return the practice and provider details remembered for the next appeal."""
    return {
        "practice": case_dict["practice"],
        "provider": {k: v for k, v in case_dict["provider"].items() if k != "enrolled"},
        "setting": case_dict["setting"],
    }


def _prefill_practice(form: DenialForm) -> None:
    remembered = _practice_defaults()
    if not remembered:
        return
    practice = remembered.get("practice", {})
    provider = remembered.get("provider", {})
    form.practice_name.data = practice.get("name", "")
    form.practice_npi.data = practice.get("npi", "")
    form.practice_address.data = "\n".join(practice.get("address", []))
    form.practice_phone.data = practice.get("phone", "")
    form.practice_fax.data = practice.get("fax", "")
    form.provider_name.data = provider.get("name", "")
    form.provider_npi.data = provider.get("npi", "")
    form.provider_credential.data = provider.get("credential", "")
    form.setting.data = remembered.get("setting", "")


@bp.route("/")
def index():
    """List appeals, the nearest due date first."""
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    query = (request.args.get("q") or "").strip().lower()

    # NOTE: the patient name lives in case_json, so the search decodes every
    # appeal's JSON; that is linear in the number of appeals.
    rows = []
    today = _today()
    for row in get_db().execute(_LIST_APPEALS, (status, status)):
        patient = json.loads(row["case_json"])["patient"]["name"].strip()
        matches = query in patient.lower() or query in row["claim_number"].lower()
        if query and not matches:
            continue
        days_left = None
        if row["due_date"]:
            days_left = (date.fromisoformat(row["due_date"]) - today).days
        rows.append({**dict(row), "patient": patient, "days_left": days_left})

    # The list shows patient names, so viewing it is audited. The search text is
    # not recorded, since it may be a name.
    audit.record("view", "appeal_list", None, f"{len(rows)} appeals listed")
    return render_template(
        "appeals/index.html",
        appeals=rows,
        statuses=STATUSES,
        status=status,
        query=request.args.get("q", ""),
    )


@bp.route("/appeals/new", methods=("GET", "POST"))
def new_appeal():
    """Show the denial form; on submit, choose the letter and save the appeal."""
    if request.method == "POST" and request.form.get("action") == "import":
        form = _load_form(case_to_formdata(_imported_case()))
        _prefill_missing_practice(form)
        return render_template(
            "appeals/form.html", appeal_id=None, **_form_context(form)
        )
    form = _load_form()
    if request.method == "GET":
        _prefill_practice(form)
    else:
        response = _handle_denial_form(form, None)
        if response is not None:
            return response
    status = 422 if request.method == "POST" and _has_errors(form) else 200
    return render_template(
        "appeals/form.html", appeal_id=None, **_form_context(form)
    ), status


def _has_errors(form) -> bool:
    from appeals.web import form_messages

    return bool(form_messages(form))


def _imported_case() -> dict:
    try:
        data = json.loads(request.form.get("imported", ""))
    except (ValueError, RecursionError):
        abort(400)
    if not isinstance(data, dict):
        abort(400)
    return data


def _prefill_missing_practice(form: DenialForm) -> None:
    imported = {name: form[name].data for name in ("payer_name",)}
    _prefill_practice(form)
    form.payer_name.data = imported["payer_name"]


def _get_appeal(appeal_id: int):
    row = (
        get_db()
        .execute(
            "SELECT * FROM appeals WHERE id = ? AND deleted_at IS NULL", (appeal_id,)
        )
        .fetchone()
    )
    if row is None:
        abort(404)
    return row


@bp.route("/appeals/<int:appeal_id>/edit", methods=("GET", "POST"))
def edit_appeal(appeal_id: int):
    """Change the claim details of a saved appeal and rebuild its letter."""
    row = _get_appeal(appeal_id)
    if request.method == "GET":
        form = _load_form(MultiDict(json.loads(row["form_json"])))
        audit.record("view", "appeal", appeal_id, "edit form")
    else:
        form = _load_form()
        response = _handle_denial_form(form, appeal_id)
        if response is not None:
            if row["letter_edited"]:
                flash(
                    "The letter was rebuilt from the updated claim; earlier edits to "
                    "its text were replaced.",
                    "info",
                )
            return response
    status = 422 if request.method == "POST" and _has_errors(form) else 200
    return render_template(
        "appeals/form.html",
        appeal_id=appeal_id,
        letter_edited=bool(row["letter_edited"]),
        **_form_context(form),
    ), status


def _rule_titles() -> dict[str, str]:
    titles = {}
    for rule in default_table().rules:
        titles[rule.id] = rule.title
        titles[f"{rule.id} (blocked)"] = f"{rule.title} (not applied)"
    return titles


@bp.route("/appeals/<int:appeal_id>")
def appeal(appeal_id: int):
    """Show why the rules chose this letter, the warnings and the letter itself."""
    row = _get_appeal(appeal_id)
    audit.record("view", "appeal", appeal_id)
    return _render_appeal(row)


def _render_appeal(row, edit_form=None, unsaved: list[str] | None = None, status=200):
    """Render the appeal page, with a submitted letter form if one came back."""
    decision = json.loads(row["decision_json"])
    letter = (
        Letter.from_dict(json.loads(row["letter_json"])) if row["letter_json"] else None
    )
    case = json.loads(row["case_json"])
    titles = {p["id"]: piece_info(p["id"]).title for p in decision["pieces"]}
    if letter and edit_form is None:
        edit_form = LetterEditForm.for_letter(letter, row["letter_json"])
    days_left = None
    if row["due_date"]:
        days_left = (date.fromisoformat(row["due_date"]) - _today()).days
    used = sorted(
        {
            source.strip()
            for piece in decision["pieces"]
            for source in (piece["basis"] or "").split(",")
            if source.strip() in SOURCES
        }
    )
    return render_template(
        "appeals/detail.html",
        appeal=row,
        case=case,
        decision=decision,
        letter=letter,
        titles=titles,
        edit_form=edit_form,
        unsaved=unsaved or [],
        status_form=StatusForm(),
        rule_titles=_rule_titles(),
        statuses=STATUSES,
        days_left=days_left,
        sources=[SOURCES[source_id] for source_id in used],
    ), status


@bp.route("/appeals/<int:appeal_id>/letter", methods=("POST",))
def edit_letter(appeal_id: int):
    """Save the biller's edits to the letter text."""
    row = _get_appeal(appeal_id)
    if not row["letter_json"]:
        abort(404)
    letter = Letter.from_dict(json.loads(row["letter_json"]))
    form = LetterEditForm()

    if form.version.data != letter_version(row["letter_json"]):
        # The claim was edited and the letter rebuilt since this form was loaded,
        # so matching paragraphs by position would scramble it.
        current_app.logger.info("appeal %s: stale letter form rejected", appeal_id)
        flash(
            "The letter was rebuilt after you opened this page, so your text was "
            "not saved. It is listed under the letter; copy what you need.",
            "error",
        )
        submitted = [entry.data for entry in form.body.entries if entry.data]
        return _render_appeal(row, unsaved=submitted, status=409)
    if not form.validate_on_submit():
        current_app.logger.info("appeal %s: letter edit invalid", appeal_id)
        flash("The letter was not saved: " + form.first_error(), "error")
        return _render_appeal(row, edit_form=form, status=422)

    apply_letter_edits(letter, form)
    db = get_db()
    with transaction(db):
        db.execute(
            "UPDATE appeals SET letter_json = ?, letter_edited = 1, updated_at = ? "
            "WHERE id = ?",
            (json.dumps(letter.to_dict()), audit.now_iso(), appeal_id),
        )
        audit.record("edit", "appeal", appeal_id, "letter text")

    if request.form.get("action") == "download":
        return redirect(url_for("views.download", appeal_id=appeal_id))
    flash("Letter text saved. The download carries your edits.", "success")
    return redirect(url_for("views.appeal", appeal_id=appeal_id))


@bp.route("/appeals/<int:appeal_id>/download")
def download(appeal_id: int):
    """Send the letter as an editable Word document."""
    row = _get_appeal(appeal_id)
    if not row["letter_json"]:
        abort(404)
    letter = Letter.from_dict(json.loads(row["letter_json"]))
    data = letter_to_docx(letter)
    audit.record("download", "appeal", appeal_id)
    current_app.logger.info("appeal %s downloaded", appeal_id)
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument."
        "wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="{letter.file_name}"'},
    )


@bp.route("/appeals/<int:appeal_id>/status", methods=("POST",))
def set_status(appeal_id: int):
    """Record whether the appeal was sent, won or lost."""
    _get_appeal(appeal_id)
    form = StatusForm()
    status = request.form.get("status", "")
    if not form.validate_on_submit() or status not in STATUSES:
        flash("Choose a status from the list.", "error")
        return redirect(url_for("views.appeal", appeal_id=appeal_id))
    db = get_db()
    with transaction(db):
        db.execute(
            "UPDATE appeals SET status = ?, updated_at = ? WHERE id = ?",
            (status, audit.now_iso(), appeal_id),
        )
        audit.record("edit", "appeal", appeal_id, f"status {status}")
    flash(f"Status set to {STATUSES[status].lower()}.", "success")
    return redirect(url_for("views.appeal", appeal_id=appeal_id))


@bp.route("/appeals/<int:appeal_id>/delete", methods=("POST",))
def delete_appeal(appeal_id: int):
    """Remove an appeal from the lists; the audit trail keeps the record of it."""
    _get_appeal(appeal_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_db()
    with transaction(db):
        db.execute(
            "UPDATE appeals SET deleted_at = ?, form_json = '[]', case_json = "
            '\'{"patient": {"name": ""}}\', letter_json = NULL WHERE id = ?',
            (audit.now_iso(), appeal_id),
        )
        audit.record("delete", "appeal", appeal_id)
    flash("Appeal deleted.", "success")
    return redirect(url_for("views.index"))


@bp.route("/remittance", methods=("GET", "POST"))
def upload_remittance():
    """Read an 835 file and list its claims with denied or reduced lines."""
    form = RemittanceUploadForm()
    claims = None
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            parsed = remittance.parse_835(data)
        except remittance.RemittanceError as error:
            form.file.errors = [str(error)]
        else:
            claims = [
                {
                    "number": c.payer_claim_number or c.patient_control_number,
                    "patient": c.patient_name,
                    "service_date": c.service_date,
                    "payer": c.payer.name if c.payer else "",
                    "lines": c.denied_lines(),
                    "case": json.dumps(_imported_case_dict(c, notice)),
                }
                for notice, c in _claims_with_dates(parsed)
                if c.is_denied()
            ]
            audit.record("view", "remittance", None, f"{len(parsed.claims)} claims")
            current_app.logger.info(
                "835 read: %s claims, %s with denials", len(parsed.claims), len(claims)
            )
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template("appeals/remittance.html", form=form, claims=claims), status


def _claims_with_dates(parsed) -> list:
    """Return (remittance date, claim) pairs; the remittance date is the notice's."""
    return [
        (transaction.production_date or transaction.check_date, claim)
        for transaction in parsed.transactions
        for claim in transaction.claims
    ]


def _imported_case_dict(claim, notice_date) -> dict:
    case = claim.to_case_dict()
    if notice_date:
        case["claim"]["notice_date"] = notice_date.isoformat()
    return case


@bp.route("/api/codes")
def code_suggestions():
    """Suggest adjustment codes and diagnosis codes for type-ahead fields."""
    query = (request.args.get("q") or "")[:20]
    kind = request.args.get("kind", "")
    if kind == "diagnosis":
        found = diagnoses.suggest(query, limit=20) if len(query) >= 2 else []
        return jsonify([{"code": c, "meaning": m} for c, m in found])
    found = codes.search(query, kind=kind or None)
    return jsonify([{"code": c.code, "meaning": c.meaning} for c in found])
