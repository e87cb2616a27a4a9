"""The denial form and its conversion to and from the JSON case format.

Every field is text as typed, so a value that fails to parse is shown back
exactly. Parsing and checking happen once, in ``appeals.case.case_from_dict``;
its errors are mapped back onto the fields here.
"""

import re

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from appeals.case import (
    ADJUSTMENT_GROUPS,
    CLERICAL_ERRORS,
    CREDENTIALS,
    PAYER_KINDS,
    REGIONS,
    SETTINGS,
)

MAX_LINES = 20
# Two CAS segments of six adjustments each.
MAX_ADJUSTMENTS = 12
MAX_MEASUREMENTS = 30


def choices(pairs) -> list[SelectChoice]:
    """Return select options from (value, label) pairs or a value-to-label dict."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    return [SelectChoice(value, label) for value, label in items]


class MultiCheckboxField(SelectMultipleField):
    """A set of checkboxes for choosing several options."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AdjustmentForm(Form):
    """One adjustment on a claim line: group code, reason code and amount."""

    group = SelectField(
        "Group code",
        choices=choices([("", "(none)")] + [(g, g) for g in ADJUSTMENT_GROUPS]),
        default="",
        validate_choice=False,
    )
    reason = StringField("Reason code (CARC)", render_kw={"list": "carc-codes"})
    amount = StringField("Amount", render_kw={"inputmode": "decimal"})


class LineForm(Form):
    """One claim line as the remittance shows it."""

    code = StringField("Procedure code", render_kw={"list": "procedure-codes"})
    modifiers = StringField("Modifiers")
    billed = StringField("Billed", render_kw={"inputmode": "decimal"})
    paid = StringField("Paid", render_kw={"inputmode": "decimal"})
    units = StringField("Units", default="1", render_kw={"inputmode": "numeric"})
    adjustments = FieldList(
        FormField(AdjustmentForm), min_entries=2, max_entries=MAX_ADJUSTMENTS
    )
    remarks = StringField("Remark codes (RARC)", render_kw={"list": "rarc-codes"})


class MeasurementForm(Form):
    """One L-Dex reading."""

    date = StringField("Date")
    ldex = StringField("L-Dex score", render_kw={"inputmode": "decimal"})
    baseline = BooleanField("Baseline (before surgery)")


class DenialForm(FlaskForm):
    """Everything about a denied claim that the letter needs."""

    payer_profile = SelectField(
        "Saved payer profile",
        choices=choices([("", "New payer")]),
        validate_choice=False,
    )
    payer_version = HiddenField()
    payer_name = StringField("Payer name")
    payer_kind = SelectField(
        "Payer kind",
        choices=choices([("", "Choose one"), *PAYER_KINDS.items()]),
        validate_choice=False,
    )
    payer_id = StringField("Payer ID")
    payer_address = TextAreaField("Appeals mailing address", render_kw={"rows": 3})
    payer_fax = StringField("Appeals fax")
    payer_phone = StringField("Provider services phone")
    payer_window_days = StringField(
        "Filing window in days", render_kw={"inputmode": "numeric"}
    )
    payer_required_diagnoses = StringField("Diagnosis codes this payer requires")
    save_payer = BooleanField("Save this payer for later appeals")

    practice_name = StringField("Practice name")
    practice_npi = StringField("Practice NPI", render_kw={"inputmode": "numeric"})
    practice_address = TextAreaField("Practice address", render_kw={"rows": 2})
    practice_phone = StringField("Practice phone")
    practice_fax = StringField("Practice fax")

    provider_name = StringField("Rendering provider name")
    provider_npi = StringField("Provider NPI", render_kw={"inputmode": "numeric"})
    provider_credential = SelectField(
        "Credential",
        choices=choices([("", "Choose one")] + [(c, c) for c in CREDENTIALS]),
        validate_choice=False,
    )
    provider_enrolled = SelectField(
        "Enrolled with this payer on the date of service",
        choices=choices([("", "Not checked"), ("yes", "Yes"), ("no", "No")]),
        validate_choice=False,
    )
    setting = SelectField(
        "Setting",
        choices=choices([("", "Choose one"), *SETTINGS.items()]),
        validate_choice=False,
    )

    patient_name = StringField("Patient name")
    patient_birth_date = StringField("Date of birth")
    patient_member_id = StringField("Member ID or Medicare number")

    claim_number = StringField("Claim number")
    service_date = StringField("Date of service")
    notice_date = StringField("Date of the denial notice")
    claim_level = SelectField(
        "Appeal level",
        choices=choices(
            [
                ("1", "First appeal"),
                ("2", "Second level: Medicare reconsideration after a redetermination"),
            ]
        ),
        default="1",
        validate_choice=False,
    )
    prior_decision_by = StringField("Contractor that made the redetermination")
    clerical_error = SelectField(
        "Was the denial caused by an error on our claim?",
        choices=choices(CLERICAL_ERRORS),
        default="",
        validate_choice=False,
    )
    correction = TextAreaField("What the correction is", render_kw={"rows": 2})
    call_reference = StringField("Call reference number")
    authorization = StringField("Authorization number")
    submitted_date = StringField("Date the claim was first submitted")

    lines = FieldList(FormField(LineForm), min_entries=1, max_entries=MAX_LINES)
    diagnoses = StringField(
        "Diagnosis codes (ICD-10-CM)", render_kw={"list": "diagnosis-codes"}
    )

    node_regions = MultiCheckboxField(
        "Lymph node regions",
        choices=choices([(r, r.capitalize()) for r in REGIONS]),
        validate_choice=False,
    )
    nodes_removed = BooleanField("Lymph nodes removed")
    nodes_damaged = BooleanField("Lymph nodes damaged")
    nodes_irradiated = BooleanField("Lymph nodes irradiated")
    surgery_date = StringField("Surgery date")
    mastectomy = BooleanField("Mastectomy")
    reconstruction = BooleanField("Breast reconstruction elected after the mastectomy")
    measurements = FieldList(
        FormField(MeasurementForm), min_entries=3, max_entries=MAX_MEASUREMENTS
    )

    denial_text = TextAreaField(
        "The payer's wording of the denial", render_kw={"rows": 4}
    )
    good_cause = TextAreaField("Good cause for filing late", render_kw={"rows": 3})
    enclosures = TextAreaField("Other enclosures, one per line", render_kw={"rows": 3})


def _small_number(text: str) -> bool:
    """Return whether text is a whole number of at most six ASCII digits."""
    return text.isascii() and text.isdigit() and len(text) <= 6


def _blank(*values: str | None) -> bool:
    return not any((value or "").strip() for value in values)


def form_to_case(form: DenialForm, profile_payer: dict | None = None):
    """Return the JSON case dict for a form and the index maps of kept rows.

    Blank claim lines, adjustments and readings are skipped, so the maps turn an
    index in the case back into the row index on the form.
    """
    maps = {"lines": [], "adjustments": {}, "measurements": []}
    lines = []
    for form_index, entry in enumerate(form.lines.entries):
        line = entry.form
        adjustments = []
        adjustment_map = []
        for adj_index, adj_entry in enumerate(line.adjustments.entries):
            adj = adj_entry.form
            if _blank(adj.group.data, adj.reason.data, adj.amount.data):
                continue
            adjustments.append(
                {
                    "group": adj.group.data,
                    "reason": adj.reason.data,
                    "amount": adj.amount.data,
                }
            )
            adjustment_map.append(adj_index)
        typed = (line.code.data, line.modifiers.data, line.billed.data)
        if _blank(*typed, line.paid.data, line.remarks.data) and not adjustments:
            continue
        units_text = (line.units.data or "1").strip()
        units = int(units_text) if _small_number(units_text) else units_text
        lines.append(
            {
                "code": line.code.data,
                "modifiers": line.modifiers.data or "",
                "billed": line.billed.data,
                "paid": line.paid.data,
                "units": units,
                "adjustments": adjustments,
                "remarks": line.remarks.data or "",
            }
        )
        maps["adjustments"][len(lines) - 1] = adjustment_map
        maps["lines"].append(form_index)

    measurements = []
    for form_index, entry in enumerate(form.measurements.entries):
        reading = entry.form
        if _blank(reading.date.data, reading.ldex.data):
            continue
        measurements.append(
            {
                "date": reading.date.data,
                "ldex": reading.ldex.data,
                "baseline": bool(reading.baseline.data),
            }
        )
        maps["measurements"].append(form_index)

    window_text = (form.payer_window_days.data or "").strip()
    window = int(window_text) if _small_number(window_text) else (window_text or None)
    enrolled = {"yes": True, "no": False}.get(form.provider_enrolled.data)
    level_text = form.claim_level.data or "1"
    case = {
        "payer": {
            "name": form.payer_name.data,
            "kind": form.payer_kind.data,
            "payer_id": form.payer_id.data,
            "address": (form.payer_address.data or "").splitlines(),
            "fax": form.payer_fax.data,
            "phone": form.payer_phone.data,
            "window_days": window,
            "required_diagnoses": form.payer_required_diagnoses.data or "",
            "contracted_rates": (profile_payer or {}).get("contracted_rates", {}),
        },
        "practice": {
            "name": form.practice_name.data,
            "npi": form.practice_npi.data,
            "address": (form.practice_address.data or "").splitlines(),
            "phone": form.practice_phone.data,
            "fax": form.practice_fax.data,
        },
        "provider": {
            "name": form.provider_name.data,
            "npi": form.provider_npi.data,
            "credential": form.provider_credential.data,
            "enrolled": enrolled,
        },
        "setting": form.setting.data,
        "patient": {
            "name": form.patient_name.data,
            "birth_date": form.patient_birth_date.data,
            "member_id": form.patient_member_id.data,
        },
        "claim": {
            "number": form.claim_number.data,
            "service_date": form.service_date.data,
            "notice_date": form.notice_date.data,
            "level": int(level_text) if _small_number(level_text) else level_text,
            "prior_decision_by": form.prior_decision_by.data,
            "clerical_error": form.clerical_error.data or "",
            "correction": form.correction.data,
            "call_reference": form.call_reference.data,
            "authorization": form.authorization.data,
            "submitted_date": form.submitted_date.data,
            "lines": lines,
        },
        "diagnoses": form.diagnoses.data or "",
        "clinical": {
            "lymph_nodes": {
                "regions": list(form.node_regions.data or []),
                "removed": bool(form.nodes_removed.data),
                "damaged": bool(form.nodes_damaged.data),
                "irradiated": bool(form.nodes_irradiated.data),
            },
            "surgery_date": form.surgery_date.data,
            "mastectomy": bool(form.mastectomy.data),
            "reconstruction": bool(form.reconstruction.data),
            "measurements": measurements,
        },
        "denial_text": form.denial_text.data,
        "good_cause": form.good_cause.data,
        "enclosures": (form.enclosures.data or "").splitlines(),
    }
    return case, maps


_SIMPLE_FIELDS = {
    "payer.name": "payer_name",
    "payer.kind": "payer_kind",
    "payer.payer_id": "payer_id",
    "payer.address": "payer_address",
    "payer.fax": "payer_fax",
    "payer.phone": "payer_phone",
    "payer.window_days": "payer_window_days",
    "payer.required_diagnoses": "payer_required_diagnoses",
    "payer.contracted_rates": "payer_profile",
    "practice.name": "practice_name",
    "practice.npi": "practice_npi",
    "practice.address": "practice_address",
    "practice.phone": "practice_phone",
    "practice.fax": "practice_fax",
    "provider.name": "provider_name",
    "provider.npi": "provider_npi",
    "provider.credential": "provider_credential",
    "provider.enrolled": "provider_enrolled",
    "setting": "setting",
    "patient.name": "patient_name",
    "patient.birth_date": "patient_birth_date",
    "patient.member_id": "patient_member_id",
    "claim.number": "claim_number",
    "claim.service_date": "service_date",
    "claim.notice_date": "notice_date",
    "claim.level": "claim_level",
    "claim.prior_decision_by": "prior_decision_by",
    "claim.clerical_error": "clerical_error",
    "claim.correction": "correction",
    "claim.call_reference": "call_reference",
    "claim.authorization": "authorization",
    "claim.submitted_date": "submitted_date",
    "diagnoses": "diagnoses",
    "clinical.lymph_nodes": "node_regions",
    "clinical.lymph_nodes.regions": "node_regions",
    "clinical.lymph_nodes.removed": "nodes_removed",
    "clinical.lymph_nodes.damaged": "nodes_damaged",
    "clinical.lymph_nodes.irradiated": "nodes_irradiated",
    "clinical.surgery_date": "surgery_date",
    "clinical.mastectomy": "mastectomy",
    "clinical.reconstruction": "reconstruction",
    "denial_text": "denial_text",
    "good_cause": "good_cause",
    "enclosures": "enclosures",
}

_LINE_PATH = re.compile(r"^claim\.lines\[(\d+)\](?:\.(\w+))?(?:\[(\d+)\](?:\.(\w+))?)?")
_MEASUREMENT_PATH = re.compile(r"^clinical\.measurements\[(\d+)\](?:\.(\w+))?")


def _field_for(form: DenialForm, path: str, maps: dict):
    """Return the form field a case path names, or None."""
    simple = _SIMPLE_FIELDS.get(re.sub(r"\[\d+\]$", "", path))
    if simple is None and path.startswith("payer.contracted_rates"):
        simple = "payer_profile"
    if simple:
        return form[simple]
    if path == "claim.lines":
        return form.lines.entries[0].form.code
    if path == "clinical.measurements":
        first = maps["measurements"][0] if maps["measurements"] else 0
        return form.measurements.entries[first].form.date

    match = _LINE_PATH.match(path)
    if match:
        case_index = int(match[1])
        if case_index >= len(maps["lines"]):
            return form.lines.entries[0].form.code
        line = form.lines.entries[maps["lines"][case_index]].form
        name = match[2] or "code"
        if name == "adjustments" and match[3] is not None:
            adj_index = maps["adjustments"][case_index][int(match[3])]
            return line.adjustments.entries[adj_index].form[match[4] or "reason"]
        if name.startswith("remarks"):
            return line.remarks
        return line[name] if name in line._fields else line.code

    match = _MEASUREMENT_PATH.match(path)
    if match:
        reading = form.measurements.entries[maps["measurements"][int(match[1])]].form
        return reading[match[2]] if match[2] in reading._fields else reading.date
    return None


def attach_case_errors(form: DenialForm, problems, maps: dict) -> None:
    """Put each case error next to the form field it belongs to."""
    for path, message in problems:
        field = _field_for(form, path, maps)
        if field is None:
            field = form.claim_number
        if message[:1].islower():
            message = f"{field.label.text} {message}"
        field.errors = [*field.errors, message]


def _section(data: dict, key: str) -> dict:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _dicts(value) -> list[dict]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]


def _joined(value, separator: str) -> str:
    """Return a list as text joined by separator, and text as it is."""
    if isinstance(value, list | tuple):
        return separator.join(str(item) for item in value)
    return "" if value is None else str(value)


def case_to_formdata(case: dict) -> MultiDict:
    """Return form data that fills the denial form from a (partial) JSON case.

    Sections or lines of the wrong type are skipped, so an imported case that
    was changed in transit still opens the form.
    """
    data: list[tuple[str, str]] = []
    payer = _section(case, "payer")
    practice = _section(case, "practice")
    provider = _section(case, "provider")
    patient = _section(case, "patient")
    claim = _section(case, "claim")

    def put(name: str, value) -> None:
        if value not in (None, ""):
            data.append((name, str(value)))

    put("payer_name", payer.get("name"))
    put("payer_kind", payer.get("kind"))
    put("payer_id", payer.get("payer_id"))
    put("payer_address", _joined(payer.get("address"), "\n"))
    put("payer_fax", payer.get("fax"))
    put("payer_phone", payer.get("phone"))
    put("payer_window_days", payer.get("window_days"))
    put("payer_required_diagnoses", _joined(payer.get("required_diagnoses"), ", "))
    for key in ("name", "npi", "phone", "fax"):
        put(f"practice_{key}", practice.get(key))
    put("practice_address", _joined(practice.get("address"), "\n"))
    for key in ("name", "npi", "credential"):
        put(f"provider_{key}", provider.get(key))
    put("setting", case.get("setting"))
    put("patient_name", patient.get("name"))
    put("patient_birth_date", patient.get("birth_date"))
    put("patient_member_id", patient.get("member_id"))
    put("claim_number", claim.get("number"))
    put("service_date", claim.get("service_date"))
    put("notice_date", claim.get("notice_date"))
    for index, line in enumerate(_dicts(claim.get("lines"))[:MAX_LINES]):
        prefix = f"lines-{index}-"
        put(prefix + "code", line.get("code"))
        put(prefix + "modifiers", _joined(line.get("modifiers"), " "))
        put(prefix + "billed", line.get("billed"))
        put(prefix + "paid", line.get("paid"))
        put(prefix + "units", line.get("units", 1))
        put(prefix + "remarks", _joined(line.get("remarks"), " "))
        adjustments = _dicts(line.get("adjustments"))[:MAX_ADJUSTMENTS]
        for adj_index, adj in enumerate(adjustments):
            adj_prefix = f"{prefix}adjustments-{adj_index}-"
            put(adj_prefix + "group", adj.get("group"))
            put(adj_prefix + "reason", adj.get("reason"))
            put(adj_prefix + "amount", adj.get("amount"))
    put("diagnoses", _joined(case.get("diagnoses"), ", "))
    return MultiDict(data)
