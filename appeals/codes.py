"""Catalog of the adjustment codes that appear on 93702, E/M and PT/OT lines.

Meanings are short paraphrases of the X12 Claim Adjustment Reason Code (CARC),
Group Code and Remittance Advice Remark Code (RARC) lists. X12 publishes the
official texts (https://x12.org/codes). ``letter_templates/rules.toml`` sets which
rule handles each code, and its [catalog] section lists the codes that go to the
general reconsideration letter on purpose.
"""

import re
from dataclasses import dataclass

GROUP_CODES = {
    "CO": "Contractual obligation: the provider's write-off, not billable to the "
    "patient",
    "PR": "Patient responsibility: deductible, coinsurance, copay or a denial the "
    "patient agreed to pay",
    "OA": "Other adjustment: no other group applies",
    "PI": "Payer-initiated reduction without a contract basis",
    "CR": "Correction or reversal of an earlier decision",
}


@dataclass(frozen=True)
class AdjustmentCode:
    """One CARC or RARC with its meaning in plain words and its usual groups."""

    code: str
    kind: str  # "CARC" or "RARC"
    meaning: str
    groups: tuple[str, ...] = ()


def _carc(code: str, meaning: str, *groups: str) -> AdjustmentCode:
    return AdjustmentCode(code, "CARC", meaning, groups)


def _rarc(code: str, meaning: str) -> AdjustmentCode:
    return AdjustmentCode(code, "RARC", meaning)


CARCS = {
    c.code: c
    for c in (
        _carc("1", "Deductible amount", "PR"),
        _carc("2", "Coinsurance amount", "PR"),
        _carc("3", "Copayment amount", "PR"),
        _carc(
            "4",
            "Modifier does not fit the procedure, or a required modifier is missing",
            "CO",
        ),
        _carc("11", "Diagnosis does not support the procedure", "CO"),
        _carc(
            "16",
            "Claim lacks information or has a billing error; a remark code says which",
            "CO",
        ),
        _carc("18", "Exact duplicate of a claim or service", "OA", "CO"),
        _carc(
            "22",
            "Care may be covered by another payer (coordination of benefits)",
            "CO",
            "OA",
        ),
        _carc("23", "Effect of a prior payer's payments or adjustments", "OA"),
        _carc("27", "Expenses incurred after coverage ended", "CO", "PR"),
        _carc("29", "Filing time limit has passed", "CO"),
        _carc(
            "45", "Charge is above the fee schedule or contracted amount", "CO", "PR"
        ),
        _carc(
            "50", "Payer does not consider the service medically necessary", "CO", "PR"
        ),
        _carc(
            "55",
            "Payer considers the procedure experimental or investigational",
            "CO",
            "PR",
        ),
        _carc(
            "56", "Payer does not consider the procedure proven effective", "CO", "PR"
        ),
        _carc("59", "Reduced under multiple or same-day procedure rules", "CO"),
        _carc("96", "Non-covered charge; a remark code says why", "CO", "PR"),
        _carc(
            "97", "Paid as part of another service already processed (bundled)", "CO"
        ),
        _carc(
            "109",
            "Not covered by this payer; send the claim to the correct payer",
            "CO",
        ),
        _carc("119", "Benefit maximum for the period has been reached", "PR", "CO"),
        _carc("150", "Information does not support this level of service", "CO"),
        _carc(
            "151",
            "Information does not support this many services or this frequency",
            "CO",
        ),
        _carc("167", "Diagnosis is not covered", "CO", "PR"),
        _carc("170", "Not paid when this type of provider performs or bills it", "CO"),
        _carc(
            "171",
            "Not paid when this type of provider bills it in this type of facility",
            "CO",
        ),
        _carc("172", "Adjusted when a provider of this specialty bills it", "CO"),
        _carc("185", "Rendering provider is not eligible to perform the service", "CO"),
        _carc("197", "Precertification or authorization was absent", "CO"),
        _carc("198", "Precertification or authorization was exceeded", "CO"),
        _carc(
            "204", "Service is not covered under the patient's current plan", "PR", "CO"
        ),
        _carc("234", "Procedure is not paid separately; a remark code says why", "CO"),
        _carc(
            "236",
            "Procedure or modifier combination conflicts with another "
            "same-day service under NCCI edits",
            "CO",
        ),
        _carc("272", "Coverage or program guidelines were not met", "CO"),
        _carc("273", "Coverage or program guidelines were exceeded", "CO"),
        _carc("284", "Authorization number does not apply to the billed service", "CO"),
        _carc("285", "Appeal procedures were not followed", "CO"),
        _carc("286", "Appeal time limits were not met", "CO"),
        _carc(
            "253",
            "Sequestration: the legislated reduction of the federal payment",
            "CO",
        ),
        _carc("A1", "Claim or service denied; a remark code says why", "CO"),
        _carc(
            "B7",
            "Provider was not certified or eligible for this service on this date",
            "CO",
        ),
        _carc(
            "B15", "A required qualifying service was not received or processed", "CO"
        ),
        _carc("B20", "Service was partly or fully furnished by another provider", "CO"),
    )
}

RARCS = {
    r.code: r
    for r in (
        _rarc(
            "M15", "Separately billed services were bundled as parts of one procedure"
        ),
        _rarc("M25", "Information does not support this level of service"),
        _rarc("M76", "Diagnosis or condition is missing, incomplete or invalid"),
        _rarc("M80", "Not covered on the same date as a service already processed"),
        _rarc("M81", "Diagnosis must be coded to the highest specificity"),
        _rarc("M51", "Procedure code is missing, incomplete or invalid"),
        _rarc("M86", "Same or similar service already paid within the time frame"),
        _rarc(
            "MA01", "Alert: appeal rights, write within 120 days of receipt (Medicare)"
        ),
        _rarc(
            "MA130",
            "Claim is unprocessable: no appeal rights; submit a new, corrected claim",
        ),
        _rarc(
            "N1",
            "Alert: this decision may be appealed in writing within the time limits",
        ),
        _rarc("N19", "Procedure is incidental to the primary procedure"),
        _rarc("N20", "Not payable with another service on the same date"),
        _rarc("N56", "Procedure code is not valid for the service or date"),
        _rarc("N95", "This provider type or specialty may not bill this service"),
        _rarc("N115", "Decision based on a Local Coverage Determination (LCD)"),
        _rarc("N130", "See plan benefit documents for limits on this service"),
        _rarc("N211", "Alert: this decision may not be appealed"),
        _rarc("N290", "Rendering provider identifier is missing or invalid"),
        _rarc("N362", "Days or units exceed the allowed maximum"),
        _rarc("N386", "Decision based on a National Coverage Determination (NCD)"),
        _rarc("N425", "Service is excluded by statute"),
        _rarc("N429", "Not covered when considered routine"),
        _rarc("N431", "Not covered with this procedure"),
        _rarc("N519", "Invalid combination of modifiers"),
        _rarc("N525", "Not covered within the global period of another service"),
        _rarc("N567", "Not covered when considered preventive"),
        _rarc("N569", "Not covered for the reported diagnosis"),
        _rarc("N623", "Not covered when considered unproven, experimental or outmoded"),
        _rarc("N640", "Exceeds the number or frequency allowed in the period"),
        _rarc("N657", "Should be billed with the appropriate code for the service"),
        _rarc("N661", "Documentation does not support medical necessity"),
        _rarc(
            "N704",
            "Alert: may not be appealed, but may be resubmitted with "
            "corrected information",
        ),
    )
}

_CODE_SHAPE = re.compile(r"^[A-Z0-9]{1,5}$")
_GROUP_PREFIX = re.compile(r"^(CO|PR|OA|PI|CR)[\s-]+(?=[A-Z0-9])")


def normalize_code(code: str) -> str:
    """Return a CARC or RARC in the form the catalog uses (upper case, no group)."""
    text = code.strip().upper()
    # "CO-50" or "CO 50" names a group and a reason, and the catalog is keyed by reason.
    # No CARC or RARC starts with a group code, so the prefix is unambiguous.
    text = _GROUP_PREFIX.sub("", text)
    return text.replace(" ", "").replace("-", "")


def is_code_shape(code: str) -> bool:
    """Return whether text looks like a CARC or RARC, known or not."""
    return bool(_CODE_SHAPE.match(normalize_code(code)))


def lookup(code: str) -> AdjustmentCode | None:
    """Return the catalog entry for a CARC or RARC, or None when it is unknown."""
    key = normalize_code(code)
    return CARCS.get(key) or RARCS.get(key)


def search(
    query: str, kind: str | None = None, limit: int = 20
) -> list[AdjustmentCode]:
    """Return codes whose code starts with the query or whose meaning contains it."""
    text = query.strip().upper()
    entries = [*CARCS.values(), *RARCS.values()]
    if kind:
        entries = [e for e in entries if e.kind == kind]
    starts = [e for e in entries if e.code.startswith(normalize_code(text))]
    within = [
        e for e in entries if e not in starts and text and text in e.meaning.upper()
    ]
    return (starts + within)[:limit]
