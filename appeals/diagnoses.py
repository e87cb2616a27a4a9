"""Check ICD-10-CM diagnosis codes against the code set in simple-icd-10-cm."""

import bisect
import functools
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from appeals.inputs import InputError, clean_text, parse_diagnosis_code

with warnings.catch_warnings():
    # simple-icd-10-cm 1.5.0 loads its data at import with importlib.resources
    # read_text and open_text, which Python 3.11 deprecates. The warning comes from
    # the package, and pytest runs with warnings as errors.
    warnings.filterwarnings(
        "ignore",
        message=r"(read|open)_text is deprecated",
        category=DeprecationWarning,
    )
    import simple_icd_10_cm as icd

# simple-icd-10-cm 1.5.0 ships the CDC's April 1, 2026 update of ICD-10-CM, the
# mid-year update of fiscal year 2026 (data file icd10c-tabular-April-1-2026.xml).
# NOTE: every code is checked against this one release whatever the date of service.
# A date of service outside its fiscal year gets a warning from check_codes. Codes
# added on 1 April 2026 are also accepted for October 2025 to March 2026.
CODE_SET = "ICD-10-CM April 2026"
# CMS: each year's ICD-10-CM codes apply to encounters from 1 October to
# 30 September (https://cms.gov/ICD10/03_ICD-10andVersion5010ComplianceTimelines.asp).
FISCAL_YEAR = 2026
FISCAL_YEAR_START = date(2025, 10, 1)
FISCAL_YEAR_END = date(2026, 9, 30)

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class DiagnosisCheck:
    """The result of checking one diagnosis code against the code set."""

    code: str  # dotted upper-case code, or the cleaned input if its shape is invalid
    valid: bool  # the code exists in CODE_SET
    billable: bool  # the code has no codes beneath it
    description: str | None
    problem: str | None  # a sentence saying what is wrong and what to use instead


def _normalize(code: str) -> str | None:
    """Return the dotted form of a code that exists in the code set, else None."""
    try:
        normalized = parse_diagnosis_code(code)
    except InputError:
        return None
    if not icd.is_category_or_subcategory(normalized):
        return None
    return normalized


def describe(code: str) -> str | None:
    """Return the ICD-10-CM description of a code, or None if it does not exist."""
    normalized = _normalize(code)
    if normalized is None:
        return None
    return icd.get_description(normalized)


def _undotted(code: str) -> str:
    return code.replace(".", "")


def _seventh_character_meaning(code: str) -> str | None:
    """Return what the seventh character of a seven-character code means, if any."""
    if len(_undotted(code)) != 7:
        return None
    definitions = icd.get_seven_chr_def(code, search_in_ancestors=True)
    return definitions.get(code[-1]) if definitions else None


def _billable_beneath(code: str) -> Iterator[str]:
    """Yield the billable codes beneath a code in tabular order."""
    for child in icd.get_children(code):
        if icd.is_leaf(child):
            yield child
        else:
            yield from _billable_beneath(child)


def _join(codes: list[str]) -> str:
    if len(codes) == 1:
        return codes[0]
    return ", ".join(codes[:-1]) + " or " + codes[-1]


def _seventh_character_problem(code: str, children: list[str]) -> str:
    examples = children[:MAX_EXAMPLES]
    first = examples[0]
    problem = (
        f"{code} needs a seventh character and is not billable without it. "
        f"Use a code such as {_join(examples)}."
    )
    if len(_undotted(code)) < 6:
        problem += " The letter X fills the empty places before the seventh character."
    meaning = _seventh_character_meaning(first)
    if meaning:
        problem += f" The seventh character {first[-1]} means {meaning}."
    return problem


def _header_problem(code: str) -> str:
    children = icd.get_children(code)
    if children and all(_seventh_character_meaning(c) for c in children):
        return _seventh_character_problem(code, children)

    # Show one example per code stem, so that S52.5 lists S52.501A and S52.502A
    # rather than S52.501A to S52.501E.
    examples: list[str] = []
    stems: set[str] = set()
    seventh_example = None
    for billable in _billable_beneath(code):
        is_seventh = _seventh_character_meaning(billable) is not None
        stem = billable[:-1] if is_seventh else billable
        if stem in stems:
            continue
        stems.add(stem)
        examples.append(billable)
        if is_seventh and seventh_example is None:
            seventh_example = billable
        if len(examples) == MAX_EXAMPLES:
            break

    problem = (
        f"{code} is a header code and is not billable. Use a more specific code "
        f"beneath it, such as {_join(examples)}."
    )
    if seventh_example is not None:
        meaning = _seventh_character_meaning(seventh_example)
        problem += (
            " Codes beneath it also need a seventh character, such as "
            f"{seventh_example[-1]} for {meaning}."
        )
    return problem


def _unknown_problem(code: str) -> str:
    problem = f"{code} is not a code in {CODE_SET}."
    bare = _undotted(code)
    for length in range(len(bare) - 1, 2, -1):
        prefix = bare[:3] if length == 3 else f"{bare[:3]}.{bare[3:length]}"
        if icd.is_category_or_subcategory(prefix):
            description = icd.get_description(prefix)
            return (
                f"{problem} The longest existing code it starts with is {prefix} "
                f"({description}). Check the full code in the chart."
            )
    return f"{problem} Check it for a typing error against the chart or the claim."


def check_code(code: str) -> DiagnosisCheck:
    """Check that a diagnosis code exists in the code set and is billable."""
    try:
        normalized = parse_diagnosis_code(code)
    except InputError as error:
        cleaned = clean_text(code) if isinstance(code, str) else str(code)
        return DiagnosisCheck(cleaned, False, False, None, str(error))

    if not icd.is_category_or_subcategory(normalized):
        return DiagnosisCheck(
            normalized, False, False, None, _unknown_problem(normalized)
        )

    description = icd.get_description(normalized)
    if icd.is_leaf(normalized):
        return DiagnosisCheck(normalized, True, True, description, None)
    return DiagnosisCheck(
        normalized, True, False, description, _header_problem(normalized)
    )


# One code or a range in an Excludes1 note: (I97.2), (S58.-), (I82.4Z-), (C00-D49).
_CODE_REFERENCE = re.compile(
    r"^(?P<start>[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{0,4})?)-?"
    r"(?:-(?P<end>[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)-?)?$"
)


def _excludes1_references(code: str) -> Iterator[tuple[str, str, str, str | None]]:
    """Yield (note owner, note, start, end) for Excludes1 notes over a code.

    An Excludes1 note on a category or block applies to every code beneath it.
    Notes whose code reference carries extra words, such as "E08-E13 with .3",
    are skipped.
    """
    for owner in [code, *icd.get_ancestors(code)]:
        for note in icd.get_excludes1(owner):
            for group in re.findall(r"\(([^()]*)\)", note):
                for part in group.split(","):
                    match = _CODE_REFERENCE.match(part.strip())
                    if match is None:
                        continue
                    end = _undotted(match["end"]) if match["end"] else None
                    yield owner, note, _undotted(match["start"]), end


def _is_referenced(code: str, start: str, end: str | None) -> bool:
    bare = _undotted(code)
    if end is None:
        return bare.startswith(start)
    return start <= bare[: len(start)] and bare[: len(end)] <= end


def _excludes1_warnings(codes: list[str]) -> list[str]:
    found: list[str] = []
    reported: set[frozenset[str]] = set()
    for code in codes:
        for owner, note, start, end in _excludes1_references(code):
            for other in codes:
                pair = frozenset((code, other))
                if other == code or pair in reported:
                    continue
                if not _is_referenced(other, start, end):
                    continue
                reported.add(pair)
                found.append(
                    f"{code} and {other} are not normally reported together, "
                    f'because ICD-10-CM lists "{note}" under Excludes1 for {owner}. '
                    "Keep the code that fits the patient's condition, unless the "
                    "two conditions are unrelated."
                )
    return found


def check_codes(
    codes: list[str], service_date: date | None = None
) -> tuple[list[DiagnosisCheck], list[str]]:
    """Check diagnosis codes for one claim and return the checks and warnings.

    Warnings cover a date of service outside the code set's fiscal year, a code
    listed twice, and pairs of valid codes that an Excludes1 note keeps apart.
    """
    checks = [check_code(code) for code in codes]
    found: list[str] = []

    if service_date is not None and not (
        FISCAL_YEAR_START <= service_date <= FISCAL_YEAR_END
    ):
        found.append(
            f"The date of service {service_date:%m/%d/%Y} is outside fiscal year "
            f"{FISCAL_YEAR} ({FISCAL_YEAR_START:%m/%d/%Y} to "
            f"{FISCAL_YEAR_END:%m/%d/%Y}), but the codes were checked against "
            f"{CODE_SET} only. Confirm that each code was valid on the date of "
            "service."
        )

    seen: set[str] = set()
    for check in checks:
        if check.code in seen:
            found.append(f"{check.code} is listed more than once.")
        seen.add(check.code)

    valid_codes = list(dict.fromkeys(check.code for check in checks if check.valid))
    found.extend(_excludes1_warnings(valid_codes))
    return checks, found


@functools.cache
def _billable_index() -> tuple[list[str], list[tuple[str, str]]]:
    """Return undotted billable codes in sorted order with (code, description)."""
    entries = sorted(
        (_undotted(code), code, icd.get_description(code))
        for code in icd.get_all_codes(with_dots=True)
        if icd.is_category_or_subcategory(code) and icd.is_leaf(code)
    )
    keys = [key for key, _, _ in entries]
    values = [(code, description) for _, code, description in entries]
    return keys, values


def suggest(prefix: str, limit: int = 20) -> list[tuple[str, str]]:
    """Return up to limit billable (code, description) pairs starting with prefix.

    The dot is optional in the prefix. The first call builds the sorted index
    (0.2 to 0.4 s measured on a 2-core machine), and later calls bisect it.
    """
    if limit <= 0 or not isinstance(prefix, str):
        return []
    key = re.sub(r"[\s.]", "", clean_text(prefix)).upper()
    if not key or not key.isascii() or not key.isalnum():
        return []

    keys, values = _billable_index()
    start = bisect.bisect_left(keys, key)
    found: list[tuple[str, str]] = []
    for index in range(start, len(keys)):
        if not keys[index].startswith(key) or len(found) == limit:
            break
        found.append(values[index])
    return found
