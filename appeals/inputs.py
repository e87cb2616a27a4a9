"""Clean and parse the values a billing clerk types or pastes into the app."""

import calendar
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal


class InputError(ValueError):
    """Invalid input, with a message that states what is wrong and how to fix it.

    The message never names the field, because the caller adds the field name.
    """


MAX_AMOUNT = Decimal("999999.99")
MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_MODIFIERS = 4

_LINE_SEPARATORS = {"\u2028", "\u2029"}
# Zero-width and bidi formatting characters that PDF viewers put into copied text.
# They have no width, so they are removed instead of becoming a space. The zero-width
# space marks a word break, so it becomes a space. ZWJ and ZWNJ (U+200D, U+200C) are
# kept because Persian, Indic scripts and emoji use them as part of the spelling.
_INVISIBLE = {
    "\u00ad",  # soft hyphen
    "\u061c",  # Arabic letter mark
    "\u180e",  # Mongolian vowel separator
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\ufeff",  # byte order mark, zero-width no-break space
    *(chr(c) for c in range(0x202A, 0x202F)),  # bidi embeddings and overrides
    *(chr(c) for c in range(0x2060, 0x2065)),  # word joiner, invisible operators
    *(chr(c) for c in range(0x2066, 0x206A)),  # bidi isolates
}
_SHOWN_MAX = 40


def _show(value: str) -> str:
    """Return the value quoted for an error message, shortened if it is long."""
    if len(value) > _SHOWN_MAX:
        value = value[: _SHOWN_MAX - 1] + "\u2026"
    return f'"{value}"'


def _map_char(char: str, multiline: bool) -> str:
    if char == "\n":
        return "\n" if multiline else " "
    if char in _LINE_SEPARATORS:
        return "\n" if multiline else " "
    if char in _INVISIBLE:
        return ""
    if char == "\u200b":
        return " "
    code = ord(char)
    # Lone surrogates and noncharacters cannot be stored in a Word document's XML.
    if 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return ""
    # C0 controls (tab, vertical tab, form feed, ...), DEL and C1 controls.
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return " "
    # No-break, ideographic and other Unicode spaces.
    if unicodedata.category(char) == "Zs":
        return " "
    return char


def clean_text(
    value: str | None, *, multiline: bool = False, max_length: int | None = None
) -> str:
    """Normalize pasted text to NFC with plain spaces and, if multiline, `\\n` breaks.

    Control and invisible formatting characters become a space or are removed, runs
    of spaces collapse to one, and each line and the whole text are stripped.
    Letters of any script, accents and apostrophes are kept as they are. Braces and
    other markup characters are data and pass through unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raise InputError(
            f"Expected text but got the number {value}. Write it in quotes, "
            "so that leading zeros are kept."
        )
    if not isinstance(value, str):
        raise InputError(f"Expected text but got a {type(value).__name__}.")

    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(_map_char(char, multiline) for char in text)
    lines = [re.sub(" {2,}", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    # Normalize last, because removing an invisible character can leave a base
    # letter next to its combining mark.
    text = unicodedata.normalize("NFC", text)

    if max_length is not None and len(text) > max_length:
        raise InputError(
            f"This text has {len(text)} characters, but the maximum is {max_length}. "
            "Shorten it."
        )
    return text


def _clean_scalar(value: object) -> str:
    """Return a one-line cleaned string for a typed, pasted or JSON value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise InputError(f"Expected text or a number but got {value}.")
    if isinstance(value, int | float | Decimal):
        return str(value)
    return clean_text(value)


_NEGATIVE_AMOUNT = re.compile(r"^\(.*\)$|^-|^\$\s*-|-$")
_AMOUNT = re.compile(r"^(?P<whole>\d+|\d{1,3}(?:,\d{3})+)?(?:\.(?P<cents>\d*))?$")
_NOT_A_NUMBER = {"nan", "snan", "inf", "+inf", "-inf", "infinity", "-infinity"}


def parse_money(value: str | None, *, required: bool = True) -> Decimal | None:
    """Parse a US dollar amount such as 185, $1,234.56 or 0.00 to cents precision.

    Returns None for a blank optional value. Raises InputError for a blank required
    value, a negative amount, more than two decimal places, misplaced commas, text,
    NaN or infinity, and amounts above $999,999.99.
    """
    text = _clean_scalar(value)
    if not text:
        if required:
            raise InputError("Enter an amount in dollars, such as 185.00.")
        return None

    if text.lower() in _NOT_A_NUMBER:
        raise InputError(
            f"{_show(text)} is not an amount. Enter dollars and cents, such as 185.00."
        )
    if _NEGATIVE_AMOUNT.search(text):
        raise InputError(
            f"{_show(text)} is negative. Enter the amount without a minus sign "
            "or parentheses."
        )

    number = text.removeprefix("$").strip()
    match = _AMOUNT.match(number)
    if match is None or not (match["whole"] or match["cents"]):
        if re.fullmatch(r"[\d,]*(\.\d*)?", number) and "," in number:
            raise InputError(
                f"{_show(text)} has a comma in the wrong place. Commas separate "
                "groups of three digits, as in 1,234.56, or leave them out."
            )
        raise InputError(
            f"{_show(text)} is not an amount. Enter digits with an optional $ "
            "and commas, such as 185.00 or $1,234.56."
        )

    cents = match["cents"] or ""
    if len(cents) > 2:
        raise InputError(
            f"{_show(text)} has {len(cents)} digits after the decimal point, "
            "but cents have at most two digits. Round it to whole cents."
        )

    amount = Decimal((match["whole"] or "0").replace(",", "") + "." + (cents or "0"))
    if amount > MAX_AMOUNT:
        raise InputError(
            f"{_show(text)} is above the maximum of $999,999.99. "
            "Check the amount for a typing error."
        )
    return amount.quantize(Decimal("0.01"))


_ISO_DATE = re.compile(r"^(?P<year>\d+)-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
_US_DATE = re.compile(
    r"^(?P<month>\d{1,2})(?P<sep>[/-])(?P<day>\d{1,2})(?P=sep)(?P<year>\d+)$"
)
_DATE_FORMS = "Use MM/DD/YYYY or YYYY-MM-DD, such as 11/03/2026 or 2026-11-03."


def parse_date(value: str | None, *, required: bool = True) -> date | None:
    """Parse a date written as MM/DD/YYYY, M/D/YYYY, MM-DD-YYYY or YYYY-MM-DD.

    Returns None for a blank optional value. Raises InputError for a blank required
    value, another format, a two-digit year, a year outside 1900 to 2100, and a day
    that does not exist, such as 02/30/2026.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value

    text = _clean_scalar(value)
    if not text:
        if required:
            raise InputError(f"Enter a date. {_DATE_FORMS}")
        return None

    match = _ISO_DATE.match(text) or _US_DATE.match(text)
    if match is None:
        raise InputError(
            f"{_show(text)} is not a date in a known format. {_DATE_FORMS}"
        )

    year_digits = match["year"]
    if len(year_digits) == 2:
        raise InputError(f"{_show(text)} has a two-digit year. {_DATE_FORMS}")
    if len(year_digits) != 4:
        raise InputError(
            f"{_show(text)} does not have a four-digit year. {_DATE_FORMS}"
        )

    year, month, day = int(year_digits), int(match["month"]), int(match["day"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(
            f"{_show(text)} has the year {year}, which is outside "
            f"{MIN_YEAR} to {MAX_YEAR}. Check the year for a typing error."
        )
    if not 1 <= month <= 12:
        raise InputError(
            f"{_show(text)} has month {month}, which does not exist. {_DATE_FORMS}"
        )
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise InputError(
            f"{_show(text)} is not a real date, because {calendar.month_name[month]} "
            f"{year} has {days_in_month} days. {_DATE_FORMS}"
        )
    return date(year, month, day)


# The NPI check digit is the ISO 7812-1 Luhn check digit, computed as if the card
# issuer prefix 80840 (80 health, 840 United States) came first. Source: CMS,
# "Requirements for NPI Check Digit", under the NPI Final Rule of 23 January 2004.
_NPI_PREFIX = "80840"


def _luhn_check_digit(payload: str) -> str:
    """Return the Luhn check digit to append to a string of digits."""
    total = 0
    # Double every second digit counting leftward from the rightmost payload
    # digit, which sits next to the check digit.
    for index, char in enumerate(reversed(payload)):
        digit = int(char)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def parse_npi(value: str | None, *, required: bool = True) -> str | None:
    """Parse a 10-digit National Provider Identifier and verify its check digit.

    Spaces and dashes are removed. Returns None for a blank optional value.
    """
    text = _clean_scalar(value)
    digits = re.sub(r"[\s-]", "", text)
    if not digits:
        if required:
            raise InputError("Enter the 10-digit NPI.")
        return None

    if not digits.isascii() or not digits.isdigit():
        raise InputError(f"{_show(text)} is not an NPI. An NPI contains only digits.")
    if len(digits) != 10:
        raise InputError(
            f"{_show(text)} has {len(digits)} digits, but an NPI has exactly 10. "
            "Check for a missing or extra digit."
        )
    if _luhn_check_digit(_NPI_PREFIX + digits[:9]) != digits[9]:
        raise InputError(
            f"{_show(text)} fails the NPI check-digit test, so a digit is probably "
            "mistyped. Copy the NPI again from the claim or the NPPES registry."
        )
    return digits


_MODIFIER_SEPARATORS = re.compile(r"[,;\s]+")
_MODIFIER_WORD = re.compile(r"^(?:modifiers?|mods?)[.:]?", re.IGNORECASE)
_MODIFIER = re.compile(r"^[A-Z0-9]{2}$")


def _modifier_tokens(value: str | list | None) -> Iterable[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    tokens = []
    for item in items:
        text = _clean_scalar(item)
        tokens.extend(token for token in _MODIFIER_SEPARATORS.split(text) if token)
    return tokens


def parse_modifiers(value: str | list | None) -> list[str]:
    """Parse CPT/HCPCS modifiers such as "25", "-25", "mod 25" or "25,59 XS".

    Returns up to four upper-case two-character modifiers in the order given,
    without duplicates. Raises InputError for a token that is not two letters or
    digits, and for more than four modifiers.
    """
    modifiers: list[str] = []
    for token in _modifier_tokens(value):
        bare = _MODIFIER_WORD.sub("", token).lstrip("-").upper()
        if not bare:
            continue  # the word "mod" or "modifier" on its own
        if not _MODIFIER.match(bare):
            raise InputError(
                f"{_show(token)} is not a modifier. A modifier is two letters or "
                "digits, such as 25, 59 or XS."
            )
        if bare not in modifiers:
            modifiers.append(bare)

    if len(modifiers) > MAX_MODIFIERS:
        raise InputError(
            f"A claim line can have at most {MAX_MODIFIERS} modifiers, but "
            f"{len(modifiers)} were entered ({', '.join(modifiers)}). "
            "Remove the extra ones."
        )
    return modifiers


# CPT Category I (93702), HCPCS Level II (G0463), and CPT Category II, III and
# proprietary laboratory analyses codes (3008F, 0239T, 0001U).
_PROCEDURE_CODE = re.compile(r"^(?:\d{5}|[A-Z]\d{4}|\d{4}[FTU])$")


def parse_procedure_code(value: str | None) -> str:
    """Parse a five-character CPT or HCPCS code such as 93702, G0463 or 0239T."""
    text = _clean_scalar(value)
    code = re.sub(r"\s", "", text).upper()
    if not code:
        raise InputError("Enter a CPT or HCPCS code, such as 93702.")

    with_modifier = re.fullmatch(
        r"(?P<code>[0-9A-Z]{5})-(?P<modifier>[0-9A-Z]{2})", code
    )
    if with_modifier and _PROCEDURE_CODE.match(with_modifier["code"]):
        raise InputError(
            f"{_show(text)} includes a modifier. Enter {with_modifier['code']} here "
            f"and {with_modifier['modifier']} as a modifier."
        )
    if not _PROCEDURE_CODE.match(code):
        raise InputError(
            f"{_show(text)} is not a CPT or HCPCS code. Enter five characters: "
            "five digits (93702), a letter and four digits (G0463), or four "
            "digits and F, T or U (0239T)."
        )
    return code


# ICD-10-CM codes have 3 to 7 characters: a letter, a digit, a digit or letter
# (C4A, Z3A), then up to four letters or digits, with a dot after the third.
_DIAGNOSIS_CHARACTERS = re.compile(r"^[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}$")
# ICD-9-CM shapes that ICD-10-CM cannot have: 174.9 and E878.8.
_ICD9_CODE = re.compile(r"^(?:\d{3}(?:\.\d{1,2})?|E\d{3}(?:\.\d)?)$")


def _diagnosis_shape_problem(text: str, code: str) -> str:
    quoted = _show(text)
    if code.endswith("-"):
        return (
            f"{quoted} ends with a dash, which stands for characters still to be "
            "chosen. Enter the full code, such as C50.912."
        )
    if _ICD9_CODE.match(code):
        return (
            f"{quoted} looks like an ICD-9-CM code. Enter the ICD-10-CM code, "
            "which starts with a letter, such as C50.912."
        )
    if not code[:1].isalpha():
        return (
            f"{quoted} does not start with a letter. An ICD-10-CM code starts with "
            "a letter and a digit, such as C50.912."
        )
    if code.count(".") > 1 or ("." in code and code.index(".") != 3):
        return (
            f"{quoted} has the dot in the wrong place. The dot goes after the "
            "third character, as in C50.912."
        )
    bare = code.replace(".", "")
    if len(bare) < 3 or len(bare) > 7:
        return (
            f"{quoted} has {len(bare)} characters, but an ICD-10-CM code has 3 to 7, "
            "such as Z08 or C50.912."
        )
    return (
        f"{quoted} is not an ICD-10-CM code. A code is a letter, a digit, then one "
        "to five letters or digits with a dot after the third character, such as "
        "C50.912."
    )


def parse_diagnosis_code(value: str | None) -> str:
    """Normalize an ICD-10-CM code such as c50912 or "C50 .912" to C50.912.

    This checks only the shape of the code. The diagnoses module checks that the
    code exists in the code set.
    """
    text = _clean_scalar(value)
    code = re.sub(r"\s", "", text).upper()
    if not code:
        raise InputError("Enter a diagnosis code, such as C50.912.")

    bare = code.replace(".", "", 1) if code.find(".") == 3 else code
    if not _DIAGNOSIS_CHARACTERS.match(bare):
        raise InputError(_diagnosis_shape_problem(text, code))
    if len(bare) == 3:
        return bare
    return f"{bare[:3]}.{bare[3:]}"


_DIAGNOSIS_SEPARATORS = re.compile(r"[,;\s]+")
# A dot with spaces around it inside one code, as in "C50 .912" or "C50. 912".
_SPACED_DOT = re.compile(r"\b([A-Za-z][0-9][0-9A-Za-z])\s*\.\s*(?=[0-9A-Za-z])")


def parse_diagnosis_list(value: str | list | None) -> list[str]:
    """Parse diagnosis codes separated by commas, semicolons, spaces or lines.

    Returns normalized codes in the order given, without duplicates. A period
    that ends a pasted sentence is ignored.
    """
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    codes: list[str] = []
    for item in items:
        text = _clean_scalar(item)
        text = _SPACED_DOT.sub(r"\1.", text)
        for token in _DIAGNOSIS_SEPARATORS.split(text):
            token = token.rstrip(".")
            if not token:
                continue
            code = parse_diagnosis_code(token)
            if code not in codes:
                codes.append(code)
    return codes
