"""Assemble an appeal letter from the pieces the rules chose.

Pieces are Jinja2 text files in ``letter_templates/pieces``. They are rendered in a
sandbox with undefined values raising, so a missing fact stops the letter instead
of printing a blank, and whatever a user typed is inserted as data, never run as
template code. A rendered piece is split into blocks: a blank line separates
paragraphs, a line starting with "## " is a heading and lines starting with "- "
are list items.
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from appeals import diagnoses
from appeals.case import CLERICAL_ERRORS, Case, Line
from appeals.rules import Decision
from appeals.sources import SOURCES

PIECES_DIR = Path(__file__).resolve().parent.parent / "letter_templates" / "pieces"
_HEADER = re.compile(
    r"^\{#-?\s*title:\s*(?P<title>[^|]+)\|\s*sources:\s*(?P<src>.*?)-?#\}"
)

CREDENTIAL_NAMES = {
    "MD": "MD",
    "DO": "DO",
    "NP": "nurse practitioner",
    "PA": "physician assistant",
    "PT": "physical therapist",
    "OT": "occupational therapist",
    "RN": "registered nurse",
    "MA": "medical assistant",
}

# Block styles; each exists in letter_templates/base.docx.
STYLE_BODY = "Body Text"
STYLE_HEADING = "Appeal Heading"
STYLE_BULLET = "List Bullet"


class LetterError(RuntimeError):
    """Raised when a piece cannot be rendered for a case."""


@dataclass(frozen=True)
class PieceInfo:
    """A letter piece file's title and the source ids it names."""

    id: str
    title: str
    sources: tuple[str, ...]


@dataclass
class Block:
    """One paragraph of the letter body in a named style."""

    style: str
    text: str
    piece: str = ""


@dataclass
class Letter:
    """A complete letter, ready to preview, edit and write as .docx."""

    title: str
    file_name: str
    letterhead: list[str]
    date_line: str
    recipient: list[str]
    reference: list[tuple[str, str]]
    salutation: str
    body: list[Block]
    enclosures: list[str]
    signature: list[str]
    citations: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Return the letter as JSON-ready data."""
        data = asdict(self)
        data["reference"] = [list(pair) for pair in self.reference]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Letter":
        """Rebuild a letter stored with ``to_dict``."""
        return cls(
            title=data["title"],
            file_name=data["file_name"],
            letterhead=list(data["letterhead"]),
            date_line=data["date_line"],
            recipient=list(data["recipient"]),
            reference=[(label, value) for label, value in data["reference"]],
            salutation=data["salutation"],
            body=[Block(**block) for block in data["body"]],
            enclosures=list(data["enclosures"]),
            signature=list(data["signature"]),
            citations=list(data.get("citations", [])),
        )

    def plain_text(self) -> str:
        """Return the letter as plain text, for search and tests."""
        parts = [*self.letterhead, self.date_line, *self.recipient]
        parts += [f"{label}: {value}" for label, value in self.reference]
        parts += [self.title, self.salutation, *(b.text for b in self.body)]
        parts += ["Enclosures", *self.enclosures, *self.signature, *self.citations]
        return "\n".join(parts)


def long_date(day: date | None) -> str:
    """Format a date as a US business letter writes it: November 3, 2026."""
    if day is None:
        return ""
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def money(amount: Decimal) -> str:
    """Format an amount in dollars with thousands separators: $1,234.56."""
    return f"${amount:,.2f}"


def join_and(items: list[str]) -> str:
    """Join words as a sentence lists them: a, b and c."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@cache
def piece_info(piece_id: str) -> PieceInfo:
    """Read a piece file's header: its title and source ids."""
    path = PIECES_DIR / f"{piece_id}.txt"
    if not path.is_file():
        raise LetterError(f"letter piece {piece_id!r} has no file {path.name}")
    match = _HEADER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise LetterError(f"letter piece {path.name} has no title/sources header")
    raw_sources = match["src"].strip()
    sources = (
        ()
        if raw_sources == "none"
        else tuple(s.strip() for s in raw_sources.split(",") if s.strip())
    )
    return PieceInfo(piece_id, match["title"].strip(), sources)


def all_piece_ids() -> list[str]:
    """Return the id of every piece file."""
    return sorted(path.stem for path in PIECES_DIR.glob("*.txt"))


@cache
def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(PIECES_DIR),
        undefined=StrictUndefined,
        autoescape=False,  # plain text for a Word document, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["longdate"] = long_date
    env.filters["money"] = money
    return env


def letter_title(case: Case, route: str) -> str:
    """Return the letter's title, which names the request the payer's kind expects."""
    if route == "reopening":
        if case.payer.kind == "medicare":
            return "Request for Reopening"
        return "Request for Claim Correction"
    if case.payer.kind == "medicare":
        if case.claim.level == 2:
            return "Request for Reconsideration"
        return "Request for Redetermination"
    if case.payer.kind == "medicare_advantage":
        return "Request for Reconsideration"
    if case.payer.kind == "medicaid":
        return "Request for Appeal"
    return "Request for Internal Appeal"


def request_name(case: Case) -> str:
    """Return the request as the opening sentence names it."""
    if case.payer.kind == "medicare":
        if case.claim.level == 2:
            return "a reconsideration"
        return "a redetermination"
    if case.payer.kind == "medicare_advantage":
        return "a reconsideration"
    if case.payer.kind == "medicaid":
        return "an appeal"
    return "an internal appeal"


def node_history(case: Case) -> str:
    """Describe the recorded lymph node history as a verb phrase."""
    clinical = case.clinical
    actions = join_and(
        [
            "removed" if clinical.removed else "",
            "damaged" if clinical.damaged else "",
            "irradiated" if clinical.irradiated else "",
        ]
    )
    regions = [r for r in clinical.regions if r != "other"]
    if "other" in clinical.regions:
        regions.append("other")
    if not actions or not regions:
        return "has no lymph node removal, damage or irradiation on record"
    plural = "regions" if len(regions) > 1 else "region"
    return f"had lymph nodes of the {join_and(regions)} {plural} {actions}"


def line_label(line: Line) -> str:
    """Name a claim line as a letter does: code with its modifiers."""
    if line.modifiers:
        return f"{line.code}-{'-'.join(line.modifiers)}"
    return line.code


def _lines_text(lines: list[Line]) -> str:
    labels = [f"CPT {line_label(line)}" for line in lines]
    return join_and(labels)


def _measurement_rows(case: Case) -> list[dict]:
    baseline = case.clinical.baseline
    rows = []
    ordered = sorted(case.clinical.measurements, key=lambda m: (not m.baseline, m.date))
    for m in ordered:
        change = ""
        if baseline and not m.baseline:
            delta = m.ldex - baseline.ldex
            change = f"{delta:+}"
        rows.append(
            {
                "date": m.date,
                "ldex": m.ldex,
                "baseline": m.baseline,
                "change_text": change,
            }
        )
    return rows


def _underpaid_rows(case: Case, decision: Decision, indexes: list[int]) -> list[dict]:
    rows = []
    for index in indexes:
        line = case.claim.lines[index]
        expected = decision.facts.expected.get(id(line))
        if expected is None:
            continue
        rows.append(
            {
                "code": f"CPT {line_label(line)}",
                "paid": line.paid,
                "expected": expected.amount,
                "basis": expected.basis,
                "difference": expected.amount - line.paid,
            }
        )
    return rows


def _diagnosis_titles(codes: list[str]) -> str:
    titled = []
    for code in codes:
        description = diagnoses.describe(code)
        titled.append(f"{code} ({description})" if description else code)
    return join_and(titled)


def _context(case: Case, decision: Decision, citations: list[str]) -> dict:
    answered = [
        case.claim.lines[line.index]
        for line in decision.lines
        if line.route == decision.route
    ]

    def cite(source_id: str) -> str:
        citation = SOURCES[source_id].citation
        if citation not in citations:
            citations.append(citation)
        return f"[{citations.index(citation) + 1}]"

    contact = case.practice.phone
    contact_text = f"our office at {contact}" if contact else "our office"
    rows = _measurement_rows(case)
    follow_ups = case.clinical.follow_ups
    return {
        "case": case,
        "payer": case.payer,
        "patient": case.patient,
        "practice": case.practice,
        "provider": case.provider,
        "claim": case.claim,
        "clinical": case.clinical,
        "setting": case.setting,
        "route": decision.route,
        "request_name": request_name(case),
        "answered_lines_text": _lines_text(answered) or "the claim",
        "node_history": node_history(case),
        "credential_name": CREDENTIAL_NAMES[case.provider.credential],
        "diagnosis_titles": _diagnosis_titles(case.diagnoses),
        "missing_diagnoses": decision.facts.missing_diagnoses,
        "measurements": rows,
        "baseline": case.clinical.baseline,
        "follow_ups": follow_ups,
        "follow_up_dates": join_and([long_date(m.date) for m in follow_ups]),
        "clerical_text": (
            CLERICAL_ERRORS[case.claim.clerical_error].lower()
            if case.claim.clerical_error
            else ""
        ),
        "contact_text": contact_text,
        "denial_quote": _quote(case.denial_text),
        "cite": cite,
    }


def _quote(text: str, limit: int = 600) -> str:
    """Return the payer's wording on one line, cut at a word with "..." if long."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " ..."


def _blocks(text: str, piece: str) -> list[Block]:
    """Split a rendered piece into paragraphs, headings and list items."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            blocks.append(Block(STYLE_HEADING, lines[0][3:].strip(), piece))
            lines = lines[1:]
        items = [line for line in lines if line.startswith("- ")]
        if items and len(items) == len(lines):
            blocks += [Block(STYLE_BULLET, item[2:].strip(), piece) for item in items]
            continue
        paragraph_lines = []
        for line in lines:
            if line.startswith("- "):
                if paragraph_lines:
                    blocks.append(Block(STYLE_BODY, " ".join(paragraph_lines), piece))
                    paragraph_lines = []
                blocks.append(Block(STYLE_BULLET, line[2:].strip(), piece))
            else:
                paragraph_lines.append(line.strip())
        if paragraph_lines:
            blocks.append(Block(STYLE_BODY, " ".join(paragraph_lines), piece))
    return blocks


def render_piece(piece_id: str, context: dict) -> list[Block]:
    """Render one piece for a case and return its blocks."""
    piece_info(piece_id)
    template = _environment().get_template(f"{piece_id}.txt")
    try:
        text = template.render(context)
    except Exception as error:  # any template failure means no letter, not half a one
        raise LetterError(f"letter piece {piece_id!r} failed: {error}") from error
    return _blocks(text, piece_id)


def _reference_block(case: Case, decision: Decision) -> list[tuple[str, str]]:
    medicare = case.payer.kind in ("medicare", "medicare_advantage")
    rows = [
        ("Beneficiary" if medicare else "Patient", case.patient.name),
    ]
    if case.patient.birth_date:
        rows.append(("Date of birth", long_date(case.patient.birth_date)))
    rows.append(
        (
            "Medicare number" if case.payer.kind == "medicare" else "Member ID",
            case.patient.member_id,
        )
    )
    rows.append(("Claim number", case.claim.number))
    rows.append(("Date of service", long_date(case.claim.service_date)))
    denied = []
    for line_decision in decision.lines:
        if line_decision.route != decision.route:
            continue
        line = case.claim.lines[line_decision.index]
        codes = ", ".join(line_decision.codes)
        denied.append(f"{line_label(line)} ({codes})" if codes else line_label(line))
    rows.append(("Services and codes", "; ".join(denied) or "none"))
    if case.claim.notice_date:
        rows.append(("Notice date", long_date(case.claim.notice_date)))
    if case.payer.kind == "medicare" and case.claim.level == 2:
        rows.append(("Redetermination by", case.claim.prior_decision_by or ""))
    provider = f"{case.provider.name}, {case.provider.credential}"
    if case.provider.npi:
        provider += f", NPI {case.provider.npi}"
    rows.append(("Rendering provider", provider))
    if case.claim.call_reference:
        rows.append(("Call reference", case.claim.call_reference))
    return rows


def _file_name(case: Case, title: str) -> str:
    kind = title.removeprefix("Request for ").lower().replace(" ", "-")
    claim = re.sub(r"[^A-Za-z0-9-]+", "-", case.claim.number).strip("-")[:40]
    return f"{kind}-claim-{claim or 'unnumbered'}-{case.claim.service_date}.docx"


def build_letter(case: Case, decision: Decision, today: date) -> Letter:
    """Render the chosen pieces into a complete letter."""
    if decision.route not in ("appeal", "reopening"):
        raise LetterError(
            f"no letter is written on the {decision.route} route; see the next steps"
        )
    if not decision.letter_ready:
        raise LetterError("no letter yet: see the warnings for what is missing")
    citations: list[str] = []
    context = _context(case, decision, citations)
    body = []
    for piece in decision.pieces:
        indexes = piece.lines
        context["piece_lines_text"] = _lines_text(
            [case.claim.lines[i] for i in indexes]
        )
        context["piece_codes_text"] = join_and(
            [f"CPT {case.claim.lines[i].code}" for i in indexes]
        )
        general_codes = []
        for index in indexes:
            general_codes += [f"{c}" for c in decision.lines_by_index(index).codes]
        context["general_codes_text"] = join_and(general_codes) or "no codes"
        context["underpaid_rows"] = _underpaid_rows(case, decision, indexes)
        context["underpaid_total"] = sum(
            (row["difference"] for row in context["underpaid_rows"]), Decimal("0.00")
        )
        body += render_piece(piece.id, context)

    title = letter_title(case, decision.route)
    practice = case.practice
    letterhead = [practice.name, *practice.address]
    contact = [
        f"Phone {practice.phone}" if practice.phone else "",
        f"Fax {practice.fax}" if practice.fax else "",
        f"NPI {practice.npi}" if practice.npi else "",
    ]
    if any(contact):
        letterhead.append(" | ".join(part for part in contact if part))
    recipient = [*case.payer.address]
    if not recipient or not recipient[0].lower().startswith(case.payer.name.lower()):
        recipient.insert(0, case.payer.name)
    if case.payer.fax:
        recipient.append(f"By fax: {case.payer.fax}")
    signature = [
        "Sincerely,",
        "",
        "",
        "______________________________",
        f"{case.provider.name}, {case.provider.credential}",
        practice.name,
    ]
    if practice.phone:
        signature.append(practice.phone)
    return Letter(
        title=title,
        file_name=_file_name(case, title),
        letterhead=letterhead,
        date_line=long_date(today),
        recipient=recipient,
        reference=_reference_block(case, decision),
        salutation="Dear Appeals Reviewer:",
        body=body,
        enclosures=list(decision.enclosures),
        signature=signature,
        citations=citations,
    )
