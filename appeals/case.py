"""The denied claim that an appeal is about, read from the JSON case format.

The web form and the command line both build a ``Case`` through ``case_from_dict``,
so a value is checked the same way wherever it was typed. Every problem is
collected with the dotted path of its field (``claim.lines[0].billed``).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from appeals import inputs
from appeals.codes import normalize_code

PAYER_KINDS = {
    "medicare": "Medicare",
    "medicare_advantage": "Medicare Advantage",
    "medicaid": "Medicaid",
    "commercial": "Commercial",
}
SETTINGS = {
    "office": "Physician office",
    "hospital_outpatient": "Hospital outpatient department",
    "independent_pt": "Independent physical therapy practice",
}
CREDENTIALS = ("MD", "DO", "NP", "PA", "PT", "OT", "RN", "MA")
REGIONS = ("axillary", "pelvic", "other")
ADJUSTMENT_GROUPS = ("CO", "PR", "OA", "PI", "CR")
CLERICAL_ERRORS = {
    "": "No: the claim was billed correctly",
    "modifier": "A modifier was missing or wrong",
    "diagnosis": "A diagnosis code was wrong or missing",
    "service_date": "The date of service was wrong",
    "procedure_code": "The procedure code was wrong",
}

MAX_LINES = 20
MAX_DIAGNOSES = 12
MAX_MEASUREMENTS = 30


class CaseError(ValueError):
    """Raised with every invalid or missing field of a case, each with its path."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


@dataclass
class Payer:
    """The payer that denied the claim, with the routing data of its profile."""

    name: str
    kind: str
    payer_id: str = ""
    address: list[str] = field(default_factory=list)
    fax: str = ""
    phone: str = ""
    window_days: int | None = None
    required_diagnoses: list[str] = field(default_factory=list)
    contracted_rates: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Practice:
    """The billing practice whose letterhead the letter carries."""

    name: str
    address: list[str]
    npi: str = ""
    phone: str = ""
    fax: str = ""


@dataclass
class Provider:
    """The rendering provider of the denied services."""

    name: str
    credential: str
    npi: str = ""
    enrolled: bool | None = None  # eligible with the payer on the date of service


@dataclass
class Patient:
    """The patient; a Medicare patient's member id is the Medicare number."""

    name: str
    member_id: str
    birth_date: date | None = None


@dataclass
class Adjustment:
    """One CAS adjustment on a line: group code, reason code (CARC) and amount."""

    group: str
    reason: str
    amount: Decimal


@dataclass
class Line:
    """One service line of the claim as the remittance reported it."""

    code: str
    billed: Decimal
    paid: Decimal = Decimal("0.00")
    modifiers: list[str] = field(default_factory=list)
    units: int = 1
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> set[str]:
        """Return the CARCs on this line."""
        return {adjustment.reason for adjustment in self.adjustments}

    @property
    def kind(self) -> str:
        """Return the line's family: ldex, em, therapy_eval or other."""
        return line_kind(self.code)


def line_kind(code: str) -> str:
    """Return the family of a procedure code: ldex, em, therapy_eval or other."""
    if code == "93702":
        return "ldex"
    if code.isdigit() and 99202 <= int(code) <= 99215:
        return "em"
    if code.isdigit() and 97161 <= int(code) <= 97168:
        return "therapy_eval"
    return "other"


@dataclass
class Claim:
    """The claim and its lines, with the dates the deadlines count from."""

    number: str
    service_date: date
    notice_date: date | None
    lines: list[Line]
    level: int = 1  # 2 = Medicare reconsideration after an upheld redetermination
    prior_decision_by: str = ""  # contractor that upheld the denial at level 1
    clerical_error: str = ""
    correction: str = ""  # what the corrected claim or reopening changes
    call_reference: str = ""
    authorization: str = ""
    submitted_date: date | None = None  # first submission, for timely filing


@dataclass
class Measurement:
    """One L-Dex reading; the baseline is the pre-surgical reading."""

    date: date
    ldex: Decimal
    baseline: bool = False


@dataclass
class Clinical:
    """The clinical facts the medical-necessity arguments are built from."""

    regions: list[str] = field(default_factory=list)
    removed: bool = False
    damaged: bool = False
    irradiated: bool = False
    surgery_date: date | None = None
    mastectomy: bool = False
    reconstruction: bool = False  # breast reconstruction elected after mastectomy
    measurements: list[Measurement] = field(default_factory=list)

    @property
    def fda_indication_met(self) -> bool:
        """Return whether axillary or pelvic nodes were removed, damaged, irradiated."""
        treated = self.removed or self.damaged or self.irradiated
        return treated and bool({"axillary", "pelvic"} & set(self.regions))

    @property
    def baseline(self) -> Measurement | None:
        """Return the baseline reading, if one was entered."""
        return next((m for m in self.measurements if m.baseline), None)

    @property
    def follow_ups(self) -> list[Measurement]:
        """Return the readings after the baseline (all others if none), oldest first."""
        baseline = self.baseline
        later = [
            m
            for m in self.measurements
            if not m.baseline and (baseline is None or m.date > baseline.date)
        ]
        return sorted(later, key=lambda m: m.date)


@dataclass
class Case:
    """Everything a letter needs about one denied claim."""

    payer: Payer
    practice: Practice
    provider: Provider
    setting: str
    patient: Patient
    claim: Claim
    diagnoses: list[str]
    clinical: Clinical
    denial_text: str = ""
    good_cause: str = ""  # why a late appeal should still be heard
    extra_enclosures: list[str] = field(default_factory=list)


class _Reader:
    """Collects problems while reading nested dicts, so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def section(self, data: Any, path: str) -> dict:
        value = data.get(path.rsplit(".", 1)[-1]) if isinstance(data, dict) else None
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, "must be an object with named fields.")
            return {}
        return value

    def text(
        self,
        data: dict,
        key: str,
        path: str,
        *,
        required: bool = False,
        max_length: int = 200,
        multiline: bool = False,
    ) -> str:
        raw = data.get(key)
        if raw is not None and not isinstance(raw, str | int | float):
            self.fail(path, "must be text.")
            return ""
        try:
            value = inputs.clean_text(
                None if raw is None else str(raw),
                multiline=multiline,
                max_length=max_length,
            )
        except inputs.InputError as error:
            self.fail(path, str(error))
            return ""
        if required and not value:
            self.fail(path, "is required.")
        return value

    def lines_of_text(self, data: dict, key: str, path: str, *, required=False):
        raw = data.get(key)
        if raw is None:
            raw = []
        if isinstance(raw, str):
            raw = raw.splitlines()
        if not isinstance(raw, list):
            self.fail(path, "must be a list of address lines.")
            return []
        result = []
        for index, item in enumerate(raw):
            try:
                line = inputs.clean_text(str(item), max_length=120)
            except inputs.InputError as error:
                self.fail(f"{path}[{index}]", str(error))
                continue
            if line:
                result.append(line)
        if required and not result:
            self.fail(path, "is required: enter at least one address line.")
        return result

    def parsed(self, parser, data: dict, key: str, path: str, **options):
        raw = data.get(key)
        if raw is not None and not isinstance(raw, str | int | float):
            self.fail(path, "must be text.")
            return None
        try:
            return parser(None if raw is None else str(raw), **options)
        except inputs.InputError as error:
            message = str(error)
            if not str(raw or "").strip():
                # A parser rejects a blank value only when the value is required.
                message = f"is required: {message[:1].lower()}{message[1:]}"
            self.fail(path, message)
            return None

    def choice(self, data: dict, key: str, path: str, choices, *, required=True):
        value = data.get(key)
        if value in (None, "") and not required:
            return ""
        if value in (None, ""):
            self.fail(path, "is required: choose one.")
            return ""
        if not isinstance(value, str) or value not in choices:
            allowed = ", ".join(c for c in choices if c)
            self.fail(path, f"must be one of: {allowed}.")
            return ""
        return value

    def flag(self, data: dict, key: str, path: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(path, "must be true or false.")
            return False
        return value


def _payer(reader: _Reader, data: dict) -> Payer:
    section = reader.section(data, "payer")
    window = section.get("window_days")
    if window not in (None, ""):
        if (
            not isinstance(window, int)
            or isinstance(window, bool)
            or not (1 <= window <= 730)
        ):
            reader.fail(
                "payer.window_days", "must be a whole number of days, 1 to 730."
            )
            window = None
    else:
        window = None
    required_dx = section.get("required_diagnoses") or []
    try:
        required_dx = inputs.parse_diagnosis_list(required_dx)
    except inputs.InputError as error:
        reader.fail("payer.required_diagnoses", str(error))
        required_dx = []
    rates = {}
    raw_rates = section.get("contracted_rates") or {}
    if not isinstance(raw_rates, dict):
        reader.fail("payer.contracted_rates", "must map procedure codes to amounts.")
        raw_rates = {}
    for code, amount in raw_rates.items():
        path = f"payer.contracted_rates.{code}"
        try:
            rates[inputs.parse_procedure_code(code)] = inputs.parse_money(str(amount))
        except inputs.InputError as error:
            reader.fail(path, str(error))
    return Payer(
        name=reader.text(section, "name", "payer.name", required=True),
        kind=reader.choice(section, "kind", "payer.kind", PAYER_KINDS),
        payer_id=reader.text(section, "payer_id", "payer.payer_id", max_length=40),
        address=reader.lines_of_text(section, "address", "payer.address"),
        fax=reader.text(section, "fax", "payer.fax", max_length=40),
        phone=reader.text(section, "phone", "payer.phone", max_length=40),
        window_days=window,
        required_diagnoses=required_dx,
        contracted_rates=rates,
    )


def _practice(reader: _Reader, data: dict) -> Practice:
    section = reader.section(data, "practice")
    return Practice(
        name=reader.text(section, "name", "practice.name", required=True),
        address=reader.lines_of_text(
            section, "address", "practice.address", required=True
        ),
        npi=reader.parsed(
            inputs.parse_npi, section, "npi", "practice.npi", required=False
        )
        or "",
        phone=reader.text(section, "phone", "practice.phone", max_length=40),
        fax=reader.text(section, "fax", "practice.fax", max_length=40),
    )


def _provider(reader: _Reader, data: dict) -> Provider:
    section = reader.section(data, "provider")
    enrolled = section.get("enrolled")
    if enrolled is not None and not isinstance(enrolled, bool):
        reader.fail("provider.enrolled", "must be true, false or left out.")
        enrolled = None
    credential = section.get("credential")
    if isinstance(credential, str):
        section = {**section, "credential": credential.strip().upper()}
    return Provider(
        name=reader.text(section, "name", "provider.name", required=True),
        credential=reader.choice(
            section, "credential", "provider.credential", CREDENTIALS
        ),
        npi=reader.parsed(
            inputs.parse_npi, section, "npi", "provider.npi", required=False
        )
        or "",
        enrolled=enrolled,
    )


def _patient(reader: _Reader, data: dict) -> Patient:
    section = reader.section(data, "patient")
    return Patient(
        name=reader.text(section, "name", "patient.name", required=True),
        member_id=reader.text(
            section, "member_id", "patient.member_id", required=True, max_length=40
        ),
        birth_date=reader.parsed(
            inputs.parse_date,
            section,
            "birth_date",
            "patient.birth_date",
            required=False,
        ),
    )


def _line(reader: _Reader, raw: Any, path: str) -> Line | None:
    if not isinstance(raw, dict):
        reader.fail(path, "must be an object with code, billed and paid.")
        return None
    code = reader.parsed(inputs.parse_procedure_code, raw, "code", f"{path}.code")
    billed = reader.parsed(inputs.parse_money, raw, "billed", f"{path}.billed")
    paid = reader.parsed(
        inputs.parse_money, raw, "paid", f"{path}.paid", required=False
    )
    try:
        modifiers = inputs.parse_modifiers(raw.get("modifiers"))
    except inputs.InputError as error:
        reader.fail(f"{path}.modifiers", str(error))
        modifiers = []
    units = raw.get("units", 1)
    if not isinstance(units, int) or isinstance(units, bool) or not 1 <= units <= 99:
        reader.fail(f"{path}.units", "must be a whole number from 1 to 99.")
        units = 1

    adjustments = []
    raw_adjustments = raw.get("adjustments") or []
    if not isinstance(raw_adjustments, list):
        reader.fail(f"{path}.adjustments", "must be a list of adjustments.")
        raw_adjustments = []
    for index, item in enumerate(raw_adjustments):
        adjustment = _adjustment(reader, item, f"{path}.adjustments[{index}]")
        if adjustment:
            adjustments.append(adjustment)

    remarks = []
    raw_remarks = raw.get("remarks") or []
    if isinstance(raw_remarks, str):
        raw_remarks = raw_remarks.replace(",", " ").split()
    if not isinstance(raw_remarks, list):
        reader.fail(f"{path}.remarks", "must be a list of remark codes.")
        raw_remarks = []
    for index, item in enumerate(raw_remarks):
        remark = normalize_code(str(item))
        if not remark.isalnum() or len(remark) > 5:
            reader.fail(
                f"{path}.remarks[{index}]",
                f"{item!r} is not a remark code; remark codes look like N115 or M15.",
            )
        elif remark not in remarks:
            remarks.append(remark)

    if code is None or billed is None:
        return None
    if paid is not None and paid > billed:
        reader.fail(f"{path}.paid", "is more than the billed amount; check both.")
    return Line(
        code=code,
        billed=billed,
        paid=paid if paid is not None else Decimal("0.00"),
        modifiers=modifiers,
        units=units,
        adjustments=adjustments,
        remarks=remarks,
    )


def _adjustment(reader: _Reader, raw: Any, path: str) -> Adjustment | None:
    if not isinstance(raw, dict):
        reader.fail(path, "must be an object with group, reason and amount.")
        return None
    group = str(raw.get("group") or "").strip().upper()
    if group not in ADJUSTMENT_GROUPS:
        reader.fail(f"{path}.group", f"must be one of {', '.join(ADJUSTMENT_GROUPS)}.")
    reason = normalize_code(str(raw.get("reason") or ""))
    if not reason or not reason.isalnum() or len(reason) > 5:
        reader.fail(
            f"{path}.reason",
            "is required: enter the claim adjustment reason code, such as 50.",
        )
    amount = reader.parsed(
        inputs.parse_money, raw, "amount", f"{path}.amount", required=False
    )
    if group not in ADJUSTMENT_GROUPS or not reason:
        return None
    return Adjustment(group, reason, amount if amount is not None else Decimal("0.00"))


def _claim(reader: _Reader, data: dict) -> Claim | None:
    section = reader.section(data, "claim")
    number = reader.text(
        section, "number", "claim.number", required=True, max_length=50
    )
    service_date = reader.parsed(
        inputs.parse_date, section, "service_date", "claim.service_date"
    )
    notice_date = reader.parsed(
        inputs.parse_date, section, "notice_date", "claim.notice_date"
    )
    if service_date and notice_date and notice_date < service_date:
        reader.fail(
            "claim.notice_date", "is before the date of service; check both dates."
        )

    raw_lines = section.get("lines")
    lines = []
    if not isinstance(raw_lines, list) or not raw_lines:
        reader.fail("claim.lines", "is required: enter at least one claim line.")
        raw_lines = []
    if len(raw_lines) > MAX_LINES:
        reader.fail("claim.lines", f"has more than {MAX_LINES} lines.")
        raw_lines = raw_lines[:MAX_LINES]
    for index, raw in enumerate(raw_lines):
        line = _line(reader, raw, f"claim.lines[{index}]")
        if line:
            lines.append(line)

    level = section.get("level", 1)
    if isinstance(level, bool) or not isinstance(level, int) or level not in (1, 2):
        reader.fail("claim.level", "must be 1 (first appeal) or 2 (second level).")
        level = 1
    return Claim(
        number=number,
        service_date=service_date,
        notice_date=notice_date,
        lines=lines,
        level=level,
        prior_decision_by=reader.text(
            section, "prior_decision_by", "claim.prior_decision_by"
        ),
        clerical_error=reader.choice(
            section,
            "clerical_error",
            "claim.clerical_error",
            CLERICAL_ERRORS,
            required=False,
        ),
        correction=reader.text(
            section, "correction", "claim.correction", max_length=500
        ),
        call_reference=reader.text(
            section, "call_reference", "claim.call_reference", max_length=80
        ),
        authorization=reader.text(
            section, "authorization", "claim.authorization", max_length=50
        ),
        submitted_date=reader.parsed(
            inputs.parse_date,
            section,
            "submitted_date",
            "claim.submitted_date",
            required=False,
        ),
    )


def _clinical(reader: _Reader, data: dict) -> Clinical:
    section = reader.section(data, "clinical")
    nodes = section.get("lymph_nodes") or {}
    if not isinstance(nodes, dict):
        reader.fail("clinical.lymph_nodes", "must be an object.")
        nodes = {}
    regions = nodes.get("regions") or []
    if not isinstance(regions, list) or any(r not in REGIONS for r in regions):
        reader.fail(
            "clinical.lymph_nodes.regions",
            f"must be a list drawn from: {', '.join(REGIONS)}.",
        )
        regions = []

    measurements = []
    raw_measurements = section.get("measurements") or []
    if not isinstance(raw_measurements, list):
        reader.fail("clinical.measurements", "must be a list of readings.")
        raw_measurements = []
    for index, raw in enumerate(raw_measurements[:MAX_MEASUREMENTS]):
        path = f"clinical.measurements[{index}]"
        if not isinstance(raw, dict):
            reader.fail(path, "must be an object with date and ldex.")
            continue
        when = reader.parsed(inputs.parse_date, raw, "date", f"{path}.date")
        value = _ldex(reader, raw.get("ldex"), f"{path}.ldex")
        baseline = reader.flag(raw, "baseline", f"{path}.baseline")
        if when and value is not None:
            measurements.append(Measurement(when, value, baseline))
    if sum(m.baseline for m in measurements) > 1:
        reader.fail(
            "clinical.measurements",
            "More than one reading is marked as the baseline. The baseline is the "
            "one reading taken before surgery; untick the others.",
        )

    return Clinical(
        regions=regions,
        removed=reader.flag(nodes, "removed", "clinical.lymph_nodes.removed"),
        damaged=reader.flag(nodes, "damaged", "clinical.lymph_nodes.damaged"),
        irradiated=reader.flag(nodes, "irradiated", "clinical.lymph_nodes.irradiated"),
        surgery_date=reader.parsed(
            inputs.parse_date,
            section,
            "surgery_date",
            "clinical.surgery_date",
            required=False,
        ),
        mastectomy=reader.flag(section, "mastectomy", "clinical.mastectomy"),
        reconstruction=reader.flag(
            section, "reconstruction", "clinical.reconstruction"
        ),
        measurements=measurements,
    )


def _ldex(reader: _Reader, raw: Any, path: str) -> Decimal | None:
    """Read an L-Dex score as a signed decimal with one digit after the point."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        reader.fail(path, "is required: enter the L-Dex score, such as 1.2 or -3.5.")
        return None
    try:
        value = Decimal(str(raw).strip())
    except ArithmeticError:
        value = None
    if value is None or not value.is_finite() or not Decimal(-100) <= value <= 200:
        reader.fail(path, f"{raw!r} is not an L-Dex score; enter a number such as 4.8.")
        return None
    return value.quantize(Decimal("0.1"))


def case_from_dict(data: Any) -> Case:
    """Build a Case from the JSON case format, or raise CaseError naming each field."""
    reader = _Reader()
    if not isinstance(data, dict):
        raise CaseError([("case", "must be a JSON object.")])

    payer = _payer(reader, data)
    practice = _practice(reader, data)
    provider = _provider(reader, data)
    setting = reader.choice(data, "setting", "setting", SETTINGS)
    patient = _patient(reader, data)
    claim = _claim(reader, data)
    try:
        diagnoses = inputs.parse_diagnosis_list(data.get("diagnoses") or [])
    except inputs.InputError as error:
        reader.fail("diagnoses", str(error))
        diagnoses = []
    else:
        if not diagnoses:
            reader.fail("diagnoses", "is required: enter the claim's diagnosis codes.")
    if len(diagnoses) > MAX_DIAGNOSES:
        reader.fail("diagnoses", f"has more than {MAX_DIAGNOSES} codes.")
    clinical = _clinical(reader, data)
    denial_text = reader.text(
        data, "denial_text", "denial_text", max_length=5000, multiline=True
    )
    good_cause = reader.text(
        data, "good_cause", "good_cause", max_length=2000, multiline=True
    )
    enclosures = reader.lines_of_text(data, "enclosures", "enclosures")

    birth = patient.birth_date
    if birth and claim and claim.service_date and birth > claim.service_date:
        reader.fail("patient.birth_date", "is after the date of service; check both.")
    for index, reading in enumerate(clinical.measurements):
        if birth and reading.date < birth:
            reader.fail(
                f"clinical.measurements[{index}].date",
                "is before the patient's date of birth; check the year.",
            )
    if reader.problems:
        raise CaseError(reader.problems)
    return Case(
        payer=payer,
        practice=practice,
        provider=provider,
        setting=setting,
        patient=patient,
        claim=claim,
        diagnoses=diagnoses,
        clinical=clinical,
        denial_text=denial_text,
        good_cause=good_cause,
        extra_enclosures=enclosures,
    )
