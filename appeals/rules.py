"""Choose the route, letter pieces, enclosures and warnings for a denied claim.

The choices come from the rule table in ``letter_templates/rules.toml``; this
module only reads the table and applies it, line by line and then claim-wide.
"""

import tomllib
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from appeals import codes, conditions, deadlines, fees
from appeals.case import CLERICAL_ERRORS, Case, Line
from appeals.conditions import LEGISLATED, NOT_DISPUTED, PATIENT_SHARE

RULES_PATH = Path(__file__).resolve().parent.parent / "letter_templates" / "rules.toml"
ROUTES = ("appeal", "reopening", "corrected_claim", "no_appeal")
LINE_FAMILIES = ("ldex", "em", "therapy_eval", "other", "any")
# Pieces that back up another piece of the same rule rather than argue alone.
SUPPORTING_PIECES = {"clinical_history", "policy_request"}
ALWAYS_ENCLOSED = ["Copy of the remittance advice or denial notice for this claim"]


class RuleTableError(ValueError):
    """Raised when the rule table names an unknown field, condition or route."""


@dataclass(frozen=True)
class Rule:
    """One row of the rule table."""

    id: str
    title: str
    reason: str
    point: str = ""
    sources: tuple[str, ...] = ()
    lines: tuple[str, ...] = ("any",)
    carc: tuple[str, ...] = ()
    rarc: tuple[str, ...] = ()
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    requires_warning: str = ""
    checks: tuple[dict, ...] = ()
    route: str | dict = "appeal"
    pieces: tuple[str, ...] = ()
    enclosures: tuple[str, ...] = ()
    next_step: str = ""
    final: bool = False
    fallback: bool = False

    def route_for(self, payer_kind: str) -> str:
        """Return this rule's route for a payer kind."""
        if isinstance(self.route, str):
            return self.route
        return self.route.get(payer_kind, self.route["default"])

    @property
    def basis(self) -> str:
        """Return the guide point and sources this rule rests on, for display."""
        parts = [self.point] if self.point else []
        parts += list(self.sources)
        return ", ".join(parts)


@dataclass(frozen=True)
class Addon:
    """A claim-level addition to the letter, checked after the line rules."""

    id: str
    reason: str
    when: tuple[str, ...]
    pieces: tuple[str, ...]
    point: str = ""
    sources: tuple[str, ...] = ()

    @property
    def basis(self) -> str:
        """Return the guide point and sources this addition rests on."""
        return ", ".join(([self.point] if self.point else []) + list(self.sources))


@dataclass(frozen=True)
class RuleTable:
    """The whole table: line rules, claim-level additions and the piece order."""

    rules: tuple[Rule, ...]
    addons: tuple[Addon, ...]
    order: tuple[str, ...]
    purpose: dict[str, str]


_RULE_FIELDS = set(Rule.__dataclass_fields__)
_ADDON_FIELDS = set(Addon.__dataclass_fields__)


def _tupled(entry: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}


def _check_names(owner: str, names) -> None:
    for name in names:
        try:
            conditions.resolve(name)
        except KeyError:
            raise RuleTableError(f"{owner} names unknown condition {name!r}") from None


def load_table(path: Path = RULES_PATH) -> RuleTable:
    """Read and check a rule table file."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    rules = []
    for entry in raw.get("rule", []):
        unknown = set(entry) - _RULE_FIELDS
        if unknown:
            raise RuleTableError(f"rule {entry.get('id')!r} has unknown {unknown}")
        rule = Rule(**_tupled(entry))
        _check_names(f"rule {rule.id}", rule.when + rule.unless + rule.requires)
        for check in rule.checks:
            _check_names(f"rule {rule.id}", [check.get("when") or check["unless"]])
        routes = [rule.route] if isinstance(rule.route, str) else rule.route.values()
        if any(route not in ROUTES for route in routes):
            raise RuleTableError(f"rule {rule.id} has an unknown route {rule.route}")
        if any(family not in LINE_FAMILIES for family in rule.lines):
            raise RuleTableError(f"rule {rule.id} has an unknown line family")
        rules.append(rule)
    addons = []
    for entry in raw.get("addon", []):
        unknown = set(entry) - _ADDON_FIELDS
        if unknown:
            raise RuleTableError(f"addon {entry.get('id')!r} has unknown {unknown}")
        addon = Addon(**_tupled(entry))
        _check_names(f"addon {addon.id}", addon.when)
        addons.append(addon)
    purpose = dict(raw.get("purpose", {}))
    missing = set(raw["order"]) - set(purpose)
    if missing:
        raise RuleTableError(f"pieces without a purpose: {sorted(missing)}")
    return RuleTable(tuple(rules), tuple(addons), tuple(raw["order"]), purpose)


@cache
def default_table() -> RuleTable:
    """Return the rule table shipped with the app, read once."""
    return load_table()


@dataclass
class ChosenPiece:
    """A letter piece the rules chose, why, and which claim lines it responds to."""

    id: str
    reason: str
    basis: str
    rule: str
    lines: list[int] = field(default_factory=list)
    purpose: str = ""


@dataclass
class LineDecision:
    """The route and reasons for one contested claim line."""

    index: int
    code: str
    route: str
    rules: list[str]
    reason: str
    next_step: str = ""
    codes: list[str] = field(default_factory=list)
    unknown_codes: list[str] = field(default_factory=list)
    expected: str = ""  # expected amount, when one is known


@dataclass
class Decision:
    """The rules' choice for a claim: route, pieces, enclosures, warnings, dates."""

    route: str
    pieces: list[ChosenPiece]
    warnings: list[str]
    enclosures: list[str]
    lines: list[LineDecision]
    deadline: deadlines.Deadline
    facts: conditions.Facts
    letter_ready: bool = False  # a letter can be written on this route now

    @property
    def piece_ids(self) -> list[str]:
        """Return the ids of the chosen pieces, in letter order."""
        return [piece.id for piece in self.pieces]

    def lines_by_index(self, index: int) -> LineDecision:
        """Return the decision for the claim line at an index."""
        return next(line for line in self.lines if line.index == index)

    def to_dict(self) -> dict:
        """Return the decision as plain JSON-ready data."""
        return {
            "route": self.route,
            "pieces": [asdict(piece) for piece in self.pieces],
            "warnings": list(self.warnings),
            "enclosures": list(self.enclosures),
            "lines": [asdict(line) for line in self.lines],
            "due_date": _iso(self.deadline.due),
            "due_basis": self.deadline.basis,
            "due_source": self.deadline.source,
            "letter_ready": self.letter_ready,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def is_contested(line: Line, facts: conditions.Facts) -> bool:
    """Return whether a line carries a denial or reduction that may need a response."""
    if any((a.group, a.reason) not in NOT_DISPUTED for a in line.adjustments):
        return True
    if line.paid == Decimal("0") and line.billed > 0 and not line.adjustments:
        return True
    return conditions.is_underpaid(None, line, facts)


def _line_codes(line: Line) -> list[str]:
    found = [f"{a.group}-{a.reason}" for a in line.adjustments]
    return found + list(line.remarks)


def _matches(rule: Rule, case: Case, line: Line, facts: conditions.Facts) -> bool:
    if "any" not in rule.lines and line.kind not in rule.lines:
        return False
    if rule.carc or rule.rarc:
        reasons = {
            a.reason
            for a in line.adjustments
            if (a.group, a.reason) not in NOT_DISPUTED
        }
        if not (set(rule.carc) & reasons or set(rule.rarc) & set(line.remarks)):
            return False
    if not all(conditions.resolve(name)(case, line, facts) for name in rule.when):
        return False
    return not any(conditions.resolve(name)(case, line, facts) for name in rule.unless)


def _format(text: str, rule_codes: str, case: Case, facts: conditions.Facts) -> str:
    return text.format(
        codes=rule_codes,
        clerical_error=CLERICAL_ERRORS.get(case.claim.clerical_error, "").lower(),
        missing_diagnoses=", ".join(facts.missing_diagnoses),
    )


def _compute_facts(case: Case, today: date) -> conditions.Facts:
    deadline = deadlines.appeal_deadline(
        case.payer.kind,
        case.claim.notice_date,
        level=case.claim.level,
        window_days=case.payer.window_days,
    )
    facts = conditions.Facts(today=today, deadline=deadline)
    for line in case.claim.lines:
        expected = fees.expected_amount(
            line.code,
            case.setting,
            case.claim.service_date,
            payer_kind=case.payer.kind,
            contracted_rates=case.payer.contracted_rates,
        )
        if expected:
            expected = fees.times_units(expected, line.units)
            expected = fees.capped_at_charge(expected, line.billed)
            share = sum(
                (
                    a.amount
                    for a in line.adjustments
                    if (a.group, a.reason) in PATIENT_SHARE
                ),
                Decimal("0.00"),
            )
            expected = fees.less_patient_share(expected, share)
            legislated = sum(
                (
                    a.amount
                    for a in line.adjustments
                    if (a.group, a.reason) in LEGISLATED
                ),
                Decimal("0.00"),
            )
            facts.expected[id(line)] = fees.less_legislated(expected, legislated)
    facts.invalid_diagnoses, facts.diagnosis_warnings = conditions.diagnosis_findings(
        case
    )
    facts.missing_diagnoses = [
        code for code in case.payer.required_diagnoses if code not in case.diagnoses
    ]
    return facts


def decide(case: Case, today: date, table: RuleTable | None = None) -> Decision:
    """Apply the rule table to a case and return what the letter should contain."""
    table = table or default_table()
    facts = _compute_facts(case, today)
    warnings: list[str] = []
    enclosures: list[str] = []
    chosen: dict[str, ChosenPiece] = {}
    line_decisions: list[LineDecision] = []

    applied_by_line: dict[int, list[Rule]] = {}
    for index, line in enumerate(case.claim.lines):
        if not is_contested(line, facts):
            continue
        decision, applied = _decide_line(table, case, line, index, facts, warnings)
        line_decisions.append(decision)
        applied_by_line[index] = applied

    route = _claim_route(line_decisions)
    for decision in line_decisions:
        if decision.route != route:
            continue
        code_text = ", ".join(decision.codes) or "no adjustment codes"
        for rule in applied_by_line[decision.index]:
            if rule.route_for(case.payer.kind) != route:
                continue
            _extend_unique(enclosures, rule.enclosures)
            for piece in rule.pieces:
                reason = _format(rule.reason, code_text, case, facts)
                if piece in SUPPORTING_PIECES and len(rule.pieces) > 1:
                    reason = f"Supports the {rule.title.lower()} argument."
                entry = chosen.setdefault(
                    piece, ChosenPiece(piece, reason, rule.basis, rule.id)
                )
                if decision.index not in entry.lines:
                    entry.lines.append(decision.index)

    if not line_decisions:
        warnings.append(
            "No line on this claim is denied or underpaid: every adjustment is the "
            "patient's deductible, coinsurance or copay. There is nothing to appeal."
        )

    facts.chosen = set(chosen)
    if route in ("appeal", "reopening"):
        for addon in table.addons:
            if all(conditions.resolve(n)(case, None, facts) for n in addon.when):
                for piece in addon.pieces:
                    chosen.setdefault(
                        piece, ChosenPiece(piece, addon.reason, addon.basis, addon.id)
                    )
                facts.chosen = set(chosen)

    warnings += _claim_warnings(case, route, line_decisions, facts)
    pieces = _ordered_pieces(table, route, chosen, case)
    if route in ("appeal", "reopening"):
        enclosures = ALWAYS_ENCLOSED + enclosures + case.extra_enclosures
    deadline = facts.deadline
    if route == "reopening":
        deadline = deadlines.reopening_deadline(case.claim.notice_date)
    elif route in ("corrected_claim", "no_appeal"):
        deadline = deadlines.Deadline(None, "No appeal is due on this route.", "")
    letter_ready = route == "appeal" or (
        route == "reopening" and bool(case.claim.correction)
    )
    if route == "reopening" and not letter_ready:
        warnings.insert(
            0,
            "No letter yet: enter what the correction is (for example: add "
            "modifier 25 to 99213), so that the reopening request says what to "
            "change.",
        )
    return Decision(
        route=route,
        pieces=pieces,
        warnings=warnings,
        enclosures=enclosures,
        lines=line_decisions,
        deadline=deadline,
        facts=facts,
        letter_ready=letter_ready,
    )


def _decide_line(table, case, line, index, facts, warnings):
    """Apply the line rules to one contested line."""
    applied: list[Rule] = []
    blocked: list[Rule] = []
    known = [r for r in line.reasons if codes.lookup(r)]
    unknown = sorted(
        {r for r in line.reasons if r not in known}
        | {r for r in line.remarks if not codes.lookup(r)}
    )
    code_text = ", ".join(_line_codes(line)) or "no adjustment codes"

    for rule in table.rules:
        if rule.fallback:
            continue
        if not _matches(rule, case, line, facts):
            continue
        failing = [
            n for n in rule.requires if not conditions.resolve(n)(case, line, facts)
        ]
        if failing:
            blocked.append(rule)
            _add_unique(
                warnings, f"Line {index + 1} ({line.code}): {rule.requires_warning}"
            )
            continue
        applied.append(rule)
        if rule.final:
            break

    if not applied and not blocked:
        applied = [rule for rule in table.rules if rule.fallback]

    for rule in applied:
        for check in rule.checks:
            name = check.get("when") or check["unless"]
            holds = conditions.resolve(name)(case, line, facts)
            if holds == ("when" in check):
                message = _format(check["warning"], code_text, case, facts)
                _add_unique(warnings, f"Line {index + 1} ({line.code}): {message}")

    if unknown:
        _add_unique(
            warnings,
            f"Line {index + 1} ({line.code}): code {', '.join(unknown)} is not in the "
            "catalog of known adjustment codes; it is treated as a general denial. "
            "Check the code on the remittance.",
        )

    routes = [rule.route_for(case.payer.kind) for rule in applied]
    if not applied:
        route = "no_appeal"
        reason = "The facts entered do not support an appeal on the ground given."
    else:
        route = "appeal" if "appeal" in routes else routes[0]
        # Only the rules on the line's own route explain it.
        applied = [r for r in applied if r.route_for(case.payer.kind) == route]
        reason = " ".join(_format(r.reason, code_text, case, facts) for r in applied)

    next_steps = [r.next_step for r in applied if r.next_step]
    if blocked and not applied:
        next_steps.append(
            "Record the patient's lymph node history if there is one; without it, "
            "do not appeal this line."
        )
    expected = facts.expected.get(id(line))
    decision = LineDecision(
        index=index,
        code=line.code,
        route=route,
        rules=[r.id for r in applied] + [f"{r.id} (blocked)" for r in blocked],
        reason=reason,
        next_step=" ".join(next_steps),
        codes=_line_codes(line),
        unknown_codes=unknown,
        expected=f"{expected.amount}" if expected else "",
    )
    return decision, applied


def _claim_route(lines: list[LineDecision]) -> str:
    """Return the claim's route: an appeal if any line is appealed, else the next."""
    for route in ROUTES:
        if any(line.route == route for line in lines):
            return route
    return "no_appeal"


def _claim_warnings(case, route, lines, facts) -> list[str]:
    """Return warnings about the claim as a whole: dates, other routes, profile."""
    found = []
    today = facts.today
    birth = case.patient.birth_date
    if birth and conditions.age_on(birth, case.claim.service_date) < 18:
        found.append(
            "The patient was under 18 on the date of service. The FDA-cleared "
            "indication for the L-Dex measurement is for adults, so the letter "
            "makes no clinical argument for it."
        )
    clinical = case.clinical
    future = [m.date.isoformat() for m in clinical.measurements if m.date > today]
    if future:
        found.append(
            f"L-Dex readings dated after today ({', '.join(future)}); check the years."
        )
    baseline = clinical.baseline
    if baseline and clinical.surgery_date and baseline.date > clinical.surgery_date:
        found.append(
            f"The baseline reading ({baseline.date.isoformat()}) is after the surgery "
            f"({clinical.surgery_date.isoformat()}); the letter calls it the baseline, "
            "not a pre-surgical one. Check the dates."
        )
    notice = case.claim.notice_date
    if notice and notice > today:
        found.append(
            f"The notice date {notice.isoformat()} is after today; check it, "
            "because the due date is counted from it."
        )
    if route == "appeal":
        deadline = facts.deadline
        if deadline.due and deadline.is_past(today):
            found.append(
                f"The filing window ended on {deadline.due.isoformat()}. Explain "
                "good cause for the late filing in the good-cause field; the letter "
                "then asks the payer to accept it."
            )
        elif deadline.due is None:
            found.append(deadline.basis)
        for line in lines:
            if line.route != "appeal":
                found.append(
                    f"Line {line.index + 1} ({line.code}) is not part of this "
                    f"appeal ({line.route.replace('_', ' ')}): {line.next_step}"
                )
    if route == "reopening":
        limit = deadlines.reopening_deadline(case.claim.notice_date)
        if limit.due:
            found.append(
                f"A reopening must be requested by {limit.due.isoformat()} (one "
                "year from the initial determination). Requesting a reopening does "
                "not extend the appeal deadline"
                + (
                    f" of {facts.deadline.due.isoformat()}."
                    if facts.deadline.due
                    else "."
                )
            )
    if route in ("appeal", "reopening") and not case.payer.address:
        found.append(
            "The payer has no appeals mailing address; add it so the letter can be "
            "addressed."
        )
    if facts.invalid_diagnoses:
        found.append(
            "Diagnosis codes that are not valid, billable ICD-10-CM codes: "
            + ", ".join(facts.invalid_diagnoses)
            + "."
        )
    found.extend(facts.diagnosis_warnings)
    if (
        case.payer.kind == "medicare"
        and case.claim.level == 2
        and not (case.claim.prior_decision_by)
    ):
        found.append(
            "A Medicare reconsideration must name the contractor that made the "
            "redetermination; enter it."
        )
    return found


# The rule behind each kind of request's name and content, by payer kind.
OPENING_SOURCES = {
    "medicare": "CMS-REDETERMINATION",
    "medicare_advantage": "CMS-MA-RECONSIDERATION",
    "medicaid": "CFR-438.402",
    "commercial": "HEALTHCARE-GOV-APPEALS",
}


def _ordered_pieces(table, route, chosen, case) -> list[ChosenPiece]:
    """Return the chosen pieces with the fixed opening and closing, in letter order."""
    if route not in ("appeal", "reopening"):
        return []
    pieces = dict(chosen)
    if route == "appeal":
        pieces.setdefault(
            "opening",
            ChosenPiece(
                "opening",
                "Every appeal opens by naming the request the payer's kind requires.",
                (
                    "CMS-RECONSIDERATION"
                    if case.payer.kind == "medicare" and case.claim.level == 2
                    else OPENING_SOURCES[case.payer.kind]
                ),
                "letter",
            ),
        )
    pieces.setdefault(
        "closing",
        ChosenPiece(
            "closing",
            "Every letter closes with the action requested and a contact.",
            "",
            "letter",
        ),
    )
    if route == "reopening":
        pieces = {
            k: v for k, v in pieces.items() if k in ("reopening_request", "closing")
        }
    ordered = [pieces[piece] for piece in table.order if piece in pieces]
    for piece in ordered:
        piece.purpose = table.purpose[piece.id]
    missing = set(pieces) - set(table.order)
    if missing:
        raise RuleTableError(f"pieces missing from the order list: {sorted(missing)}")
    return ordered


def _add_unique(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _extend_unique(items: list[str], new) -> None:
    for item in new:
        _add_unique(items, item)
