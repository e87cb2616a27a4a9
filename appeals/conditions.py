"""Named conditions that the rule table in ``letter_templates/rules.toml`` uses.

Each condition reads the case, the line being checked (None for claim-level
conditions) and the facts computed once per case, and returns a bool.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from appeals import diagnoses, fees
from appeals.case import Case, Line
from appeals.deadlines import Deadline

BREAST_CANCER_PREFIXES = ("C50", "D05", "Z85.3", "Z86.000", "Z90.1", "C77.3")
LYMPHEDEMA_CODES = ("I97.2", "I89.0")
ADULT_AGE = 18
# Adjustments that are no payer decision to dispute, as (group, CARC) pairs:
# the patient's deductible, coinsurance and copay, Medicare sequestration (set by
# law), and an earlier payer's adjudication reported on a secondary claim.
PATIENT_SHARE = {("PR", "1"), ("PR", "2"), ("PR", "3")}
LEGISLATED = {("CO", "253")}
PRIOR_PAYER = {("OA", "23")}
NOT_DISPUTED = PATIENT_SHARE | LEGISLATED | PRIOR_PAYER


@dataclass
class Facts:
    """Values computed once per case that conditions and letter pieces share."""

    today: date
    deadline: Deadline
    expected: dict[int, fees.ExpectedAmount] = field(default_factory=dict)
    invalid_diagnoses: list[str] = field(default_factory=list)
    diagnosis_warnings: list[str] = field(default_factory=list)
    missing_diagnoses: list[str] = field(default_factory=list)
    chosen: set[str] = field(default_factory=set)


Condition = Callable[[Case, Line | None, Facts], bool]


def age_on(birth: date, day: date) -> int:
    """Return a person's age in whole years on a day."""
    before_birthday = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - before_birthday


def is_adult_or_unknown(case: Case) -> bool:
    """Return whether the patient was 18 or older on the date of service, if known."""
    birth = case.patient.birth_date
    if birth is None:
        return True
    return age_on(birth, case.claim.service_date) >= ADULT_AGE


def has_breast_cancer_history(case: Case) -> bool:
    """Return whether a claim diagnosis is breast cancer or its history."""
    return any(code.startswith(BREAST_CANCER_PREFIXES) for code in case.diagnoses)


def _only_co45(line: Line) -> bool:
    """Return whether every payer adjustment on a line is CARC 45."""
    disputed = [a for a in line.adjustments if (a.group, a.reason) not in NOT_DISPUTED]
    return bool(disputed) and all(a.reason == "45" for a in disputed)


def is_underpaid(case: Case, line: Line | None, facts: Facts) -> bool:
    """Return whether a line was paid less than its expected amount.

    A line paid nothing counts only when its sole payer adjustment is CARC 45,
    because a denial with another reason goes to that reason's rule.
    """
    if line is None:
        return False
    expected = facts.expected.get(id(line))
    if not expected or line.paid >= expected.amount:
        return False
    return line.paid > 0 or _only_co45(line)


def is_contractual_only(case: Case, line: Line | None, facts: Facts) -> bool:
    """Return whether a line was only cut to its contracted amount (CO-45)."""
    if line is None:
        return False
    return _only_co45(line) and not is_underpaid(case, line, facts)


def _chosen_any(names: str) -> Condition:
    wanted = set(names.split("|"))
    return lambda case, line, facts: bool(wanted & facts.chosen)


CONDITIONS: dict[str, Condition] = {
    "payer_medicare": lambda c, line, f: c.payer.kind == "medicare",
    "payer_medicare_advantage": lambda c, line, f: c.payer.kind == "medicare_advantage",
    "payer_medicaid": lambda c, line, f: c.payer.kind == "medicaid",
    "payer_commercial": lambda c, line, f: c.payer.kind == "commercial",
    "ldex_on_claim": lambda c, line, f: any(x.kind == "ldex" for x in c.claim.lines),
    "modifier_25": lambda c, line, f: line is not None and "25" in line.modifiers,
    "fda_indication_met": lambda c, line, f: (
        c.clinical.fda_indication_met and is_adult_or_unknown(c)
    ),
    "has_baseline": lambda c, line, f: c.clinical.baseline is not None,
    "has_follow_ups": lambda c, line, f: bool(c.clinical.follow_ups),
    "provider_therapist": lambda c, line, f: c.provider.credential in ("PT", "OT"),
    "setting_independent_pt": lambda c, line, f: c.setting == "independent_pt",
    "provider_not_enrolled": lambda c, line, f: c.provider.enrolled is False,
    "provider_enrollment_known": lambda c, line, f: c.provider.enrolled is not None,
    "clerical_error": lambda c, line, f: bool(c.claim.clerical_error),
    "has_correction": lambda c, line, f: bool(c.claim.correction),
    "has_birth_date": lambda c, line, f: c.patient.birth_date is not None,
    "invalid_diagnoses": lambda c, line, f: bool(f.invalid_diagnoses),
    "required_diagnoses_missing": lambda c, line, f: bool(f.missing_diagnoses),
    "underpaid": is_underpaid,
    "contractual_only": is_contractual_only,
    "has_expected": lambda c, line, f: line is not None and id(line) in f.expected,
    "underpaid_against_national_amount": lambda c, line, f: (
        is_underpaid(c, line, f) and f.expected[id(line)].source != ""
    ),
    "has_authorization": lambda c, line, f: bool(c.claim.authorization),
    "has_submitted_date": lambda c, line, f: c.claim.submitted_date is not None,
    "breast_cancer": lambda c, line, f: has_breast_cancer_history(c),
    # The Women's Health and Cancer Rights Act covers complications of mastectomy,
    # lymphedema included, for a patient who elects breast reconstruction.
    "post_mastectomy_lymphedema": lambda c, line, f: (
        c.clinical.mastectomy
        and c.clinical.reconstruction
        and any(code.startswith(LYMPHEDEMA_CODES) for code in c.diagnoses)
    ),
    "notice_past_window": lambda c, line, f: f.deadline.is_past(f.today),
    "has_good_cause": lambda c, line, f: bool(c.good_cause),
}


def resolve(name: str) -> Condition:
    """Return the condition a rule names, or raise KeyError for an unknown name."""
    if name.startswith("chosen_any:"):
        return _chosen_any(name.split(":", 1)[1])
    if name.startswith("chosen:"):
        return _chosen_any(name.split(":", 1)[1])
    return CONDITIONS[name]


def diagnosis_findings(case: Case) -> tuple[list[str], list[str]]:
    """Return the claim's unknown or non-billable codes and warnings about them."""
    checks, warnings = diagnoses.check_codes(case.diagnoses, case.claim.service_date)
    invalid = [check.code for check in checks if not (check.valid and check.billable)]
    problems = [check.problem for check in checks if check.problem]
    return invalid, problems + warnings
