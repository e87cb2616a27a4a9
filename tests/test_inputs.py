"""Tests for cleaning and parsing typed or pasted values."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from appeals.inputs import (
    InputError,
    clean_text,
    parse_date,
    parse_diagnosis_code,
    parse_diagnosis_list,
    parse_modifiers,
    parse_money,
    parse_npi,
    parse_procedure_code,
)


def npi_from(first_nine: str) -> str:
    """Append the NPI check digit using the CMS shortcut of adding 24.

    The constant 24 stands for the digits of the 80840 prefix, so this is a
    different route to the same digit than the module's own helper.
    """
    total = 24
    for index, char in enumerate(reversed(first_nine)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit // 10 + digit % 10
    return first_nine + str((10 - total % 10) % 10)


VALID_NPIS = [npi_from(nine) for nine in ("155859879", "100000000", "299999999")]


# clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Zoë O'Brien-Núñez", "Zoë O'Brien-Núñez"),
        ("Zoë O\u2019Brien", "Zoë O\u2019Brien"),
        ("王小明", "王小明"),
        ("فاطمة الزهراء", "فاطمة الزهراء"),
        ("שרה כהן", "שרה כהן"),
        ("{{7*7}}", "{{7*7}}"),
        ("{% if x %}<b>&amp;</b>", "{% if x %}<b>&amp;</b>"),
        ("Claim\x0b123", "Claim 123"),
        ("Page\x0cbreak", "Page break"),
        ("line one\r\nline two", "line one line two"),
        ("old\rmac", "old mac"),
        ("tab\there", "tab here"),
        ("  many    spaces   ", "many spaces"),
        ("nul\x00char", "nul char"),
        ("del\x7fchar", "del char"),
        ("c1\x85control", "c1 control"),
        ("zero\u200bwidth", "zero width"),
        ("no\u00a0break", "no break"),
        ("soft\u00adhyphen", "softhyphen"),
        ("\u202bفاطمة\u202c", "فاطمة"),
        ("\u200fשרה\u200e", "שרה"),
        ("\ufeffBOM", "BOM"),
        ("Zoe\u0308", "Zoë"),
        ("می\u200cخواهم", "می\u200cخواهم"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_text_single_line(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("line one\r\nline two", "line one\nline two"),
        ("old\rmac\rlines", "old\nmac\nlines"),
        ("  a   b  \n\n   c  \n", "a b\n\nc"),
        ("para\u2028next", "para\nnext"),
        ("page\x0cbreak\nnext", "page break\nnext"),
        ("vertical\x0btab", "vertical tab"),
        ("\n\n  body  \n\n", "body"),
    ],
)
def test_clean_text_multiline(raw, expected):
    assert clean_text(raw, multiline=True) == expected


def test_clean_text_max_length_counts_cleaned_text():
    assert clean_text("  abc   ", max_length=3) == "abc"


def test_clean_text_over_max_length():
    with pytest.raises(InputError, match="has 6 characters, but the maximum is 5"):
        clean_text("abcdef", max_length=5)


@pytest.mark.parametrize(("raw", "message"), [(12345, "quotes"), (["a"], "list")])
def test_clean_text_rejects_non_text(raw, message):
    with pytest.raises(InputError, match=message):
        clean_text(raw)


# parse_money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("185", Decimal("185.00")),
        ("185.5", Decimal("185.50")),
        ("185.00", Decimal("185.00")),
        ("$1,234.56", Decimal("1234.56")),
        ("$ 1,234.56", Decimal("1234.56")),
        (" 0.00 ", Decimal("0.00")),
        ("0", Decimal("0.00")),
        (".5", Decimal("0.50")),
        ("185.", Decimal("185.00")),
        ("999,999.99", Decimal("999999.99")),
        ("1,000", Decimal("1000.00")),
        (185, Decimal("185.00")),
        (Decimal("140.75"), Decimal("140.75")),
    ],
)
def test_parse_money_accepts(raw, expected):
    amount = parse_money(raw)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("NaN", "not an amount"),
        ("nan", "not an amount"),
        ("inf", "not an amount"),
        ("Infinity", "not an amount"),
        ("-5", "negative"),
        ("(5.00)", "negative"),
        ("$-5", "negative"),
        ("5.00-", "negative"),
        ("140.755", "cents have at most two digits"),
        ("12,34", "comma in the wrong place"),
        ("1,2345.00", "comma in the wrong place"),
        ("1.234,56", "not an amount"),
        ("abc", "not an amount"),
        ("12abc", "not an amount"),
        ("1e5", "not an amount"),
        ("$", "not an amount"),
        ("1,000,000.00", "maximum of $999,999.99"),
        ("1000000", "maximum of $999,999.99"),
        ("", "Enter an amount"),
        (None, "Enter an amount"),
    ],
)
def test_parse_money_rejects(raw, message):
    with pytest.raises(InputError, match=message.replace("$", r"\$")):
        parse_money(raw)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_parse_money_blank_optional(raw):
    assert parse_money(raw, required=False) is None


# parse_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-03", date(2026, 11, 3)),
        ("11/03/2026", date(2026, 11, 3)),
        ("11/3/2026", date(2026, 11, 3)),
        ("11-03-2026", date(2026, 11, 3)),
        (" 1/2/2026 ", date(2026, 1, 2)),
        ("02/29/2028", date(2028, 2, 29)),
        ("1900-01-01", date(1900, 1, 1)),
        ("12/31/2100", date(2100, 12, 31)),
        (date(2026, 11, 3), date(2026, 11, 3)),
        (datetime(2026, 11, 3, 9, 30), date(2026, 11, 3)),
    ],
)
def test_parse_date_accepts(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("02/30/2026", "because February 2026 has 28 days"),
        ("02/29/2026", "not a real date"),
        ("04/31/2026", "April 2026 has 30 days"),
        ("13/01/2026", "month 13, which does not exist"),
        ("11/03/26", "two-digit year"),
        ("26-11-03", "two-digit year"),
        ("11/03/202", "four-digit year"),
        ("12/31/1899", "outside 1900 to 2100"),
        ("2101-01-01", "outside 1900 to 2100"),
        ("2026/11/03", "MM/DD/YYYY or YYYY-MM-DD"),
        ("11/03-2026", "MM/DD/YYYY or YYYY-MM-DD"),
        ("Nov 3 2026", "MM/DD/YYYY or YYYY-MM-DD"),
        ("", "Enter a date"),
    ],
)
def test_parse_date_rejects(raw, message):
    with pytest.raises(InputError, match=message):
        parse_date(raw)


def test_parse_date_error_shows_accepted_forms():
    with pytest.raises(InputError) as caught:
        parse_date("02/30/2026")
    assert "MM/DD/YYYY" in str(caught.value)
    assert "YYYY-MM-DD" in str(caught.value)


@pytest.mark.parametrize("raw", ["", "  ", None])
def test_parse_date_blank_optional(raw):
    assert parse_date(raw, required=False) is None


# parse_npi


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234567893", "1234567893"),
        ("123 456 7893", "1234567893"),
        ("123-456-7893", "1234567893"),
        (" 1234567893 ", "1234567893"),
        (VALID_NPIS[0], VALID_NPIS[0]),
        (VALID_NPIS[1], VALID_NPIS[1]),
        (VALID_NPIS[2], VALID_NPIS[2]),
    ],
)
def test_parse_npi_accepts(raw, expected):
    assert parse_npi(raw) == expected


def test_npi_helper_matches_known_npi():
    assert npi_from("123456789") == "1234567893"
    assert VALID_NPIS[0] == "1558598797"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1234567890", "check-digit"),
        ("1234567894", "check-digit"),
        ("1558598790", "check-digit"),
        ("2134567893", "check-digit"),
        ("123456789", "has 9 digits"),
        ("12345678931", "has 11 digits"),
        ("12345abcde", "only digits"),
        ("", "Enter the 10-digit NPI"),
    ],
)
def test_parse_npi_rejects(raw, message):
    with pytest.raises(InputError, match=message):
        parse_npi(raw)


def test_parse_npi_blank_optional():
    assert parse_npi(" ", required=False) is None


# parse_modifiers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("25", ["25"]),
        ("-25", ["25"]),
        ("mod 25", ["25"]),
        ("Mod. 25", ["25"]),
        ("Modifier 25", ["25"]),
        ("modifiers: 25, 59", ["25", "59"]),
        ("25,59", ["25", "59"]),
        ("25 59", ["25", "59"]),
        ("25;59", ["25", "59"]),
        ("xs", ["XS"]),
        ("gp, 59, xs, kx", ["GP", "59", "XS", "KX"]),
        ("25 25 -25", ["25"]),
        (["25", "-59", "mod xs"], ["25", "59", "XS"]),
        ("", []),
        (None, []),
        ([], []),
    ],
)
def test_parse_modifiers_accepts(raw, expected):
    assert parse_modifiers(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("255", '"255" is not a modifier'),
        ("2", '"2" is not a modifier'),
        ("25,X$", '"X\\$" is not a modifier'),
        ("25 59 XS XU 76", "at most 4 modifiers, but 5 were entered"),
    ],
)
def test_parse_modifiers_rejects(raw, message):
    with pytest.raises(InputError, match=message):
        parse_modifiers(raw)


# parse_procedure_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("93702", "93702"),
        (" 93702 ", "93702"),
        ("937 02", "93702"),
        ("99213", "99213"),
        ("g0463", "G0463"),
        ("0239t", "0239T"),
        ("3008F", "3008F"),
        ("0001U", "0001U"),
    ],
)
def test_parse_procedure_code_accepts(raw, expected):
    assert parse_procedure_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("93702-25", "includes a modifier. Enter 93702 here and 25"),
        ("9370", "not a CPT or HCPCS code"),
        ("937021", "not a CPT or HCPCS code"),
        ("ABCDE", "not a CPT or HCPCS code"),
        ("0239X", "not a CPT or HCPCS code"),
        ("", "Enter a CPT or HCPCS code"),
    ],
)
def test_parse_procedure_code_rejects(raw, message):
    with pytest.raises(InputError, match=message):
        parse_procedure_code(raw)


# parse_diagnosis_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("c50912", "C50.912"),
        ("C50.912", "C50.912"),
        (" c50.912 ", "C50.912"),
        ("C50 .912", "C50.912"),
        ("Z9012", "Z90.12"),
        ("z85.3", "Z85.3"),
        ("Z08", "Z08"),
        ("c4a.0", "C4A.0"),
        ("s52501a", "S52.501A"),
        ("T78.40XA", "T78.40XA"),
    ],
)
def test_parse_diagnosis_code_accepts(raw, expected):
    assert parse_diagnosis_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("174.9", "looks like an ICD-9-CM code"),
        ("E878.8", "looks like an ICD-9-CM code"),
        ("50.912", "does not start with a letter"),
        ("C5.0912", "dot in the wrong place"),
        ("C50..9", "dot in the wrong place"),
        ("C50.-", "ends with a dash"),
        ("C5", "has 2 characters"),
        ("C50.91234", "has 8 characters"),
        ("CC0.1", "not an ICD-10-CM code"),
        ("C50.9$", "not an ICD-10-CM code"),
        ("", "Enter a diagnosis code"),
    ],
)
def test_parse_diagnosis_code_rejects(raw, message):
    with pytest.raises(InputError, match=message):
        parse_diagnosis_code(raw)


# parse_diagnosis_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C50.912", ["C50.912"]),
        ("c50912, z853; Z90.12", ["C50.912", "Z85.3", "Z90.12"]),
        ("I89.0\nI97.2\r\nZ92.3", ["I89.0", "I97.2", "Z92.3"]),
        ("C50.912 c50912 C50 .912", ["C50.912"]),
        ("C50.912, Z85.3.", ["C50.912", "Z85.3"]),
        (["C50.912", "z90.12 I89.0"], ["C50.912", "Z90.12", "I89.0"]),
        ("", []),
        (None, []),
    ],
)
def test_parse_diagnosis_list(raw, expected):
    assert parse_diagnosis_list(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("C50.912, 174.9", '"174.9" looks like an ICD-9-CM code'),
        ("Diagnoses: C50.912", '"Diagnoses:" has 10 characters'),
        ("C50.912; C5", '"C5" has 2 characters'),
    ],
)
def test_parse_diagnosis_list_names_bad_code(raw, message):
    with pytest.raises(InputError, match=message):
        parse_diagnosis_list(raw)
