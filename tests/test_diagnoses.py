"""Tests for checking ICD-10-CM codes against the shipped code set."""

import time
from datetime import date
from importlib import resources

import pytest

from appeals import diagnoses
from appeals.diagnoses import (
    CODE_SET,
    DiagnosisCheck,
    check_code,
    check_codes,
    describe,
    suggest,
)


def test_code_set_matches_package_data():
    names = {item.name for item in resources.files("simple_icd_10_cm.data").iterdir()}
    assert "icd10c-tabular-April-1-2026.xml" in names
    assert CODE_SET == "ICD-10-CM April 2026"
    assert diagnoses.FISCAL_YEAR_START == date(2025, 10, 1)
    assert diagnoses.FISCAL_YEAR_END == date(2026, 9, 30)


# describe


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("C50.912", "Malignant neoplasm of unspecified site of left female breast"),
        ("c50912", "Malignant neoplasm of unspecified site of left female breast"),
        ("Z90.12", "Acquired absence of left breast and nipple"),
        ("I89.0", "Lymphedema, not elsewhere classified"),
        ("I97.2", "Postmastectomy lymphedema syndrome"),
        ("Z85.3", "Personal history of malignant neoplasm of breast"),
        ("Z92.3", "Personal history of irradiation"),
        ("C50.9", "Malignant neoplasm of breast of unspecified site"),
        ("Q99.999", None),
        ("174.9", None),
        ("", None),
    ],
)
def test_describe(code, expected):
    assert describe(code) == expected


# check_code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("C50.912", "C50.912"),
        (" c50912 ", "C50.912"),
        ("Z9012", "Z90.12"),
        ("I89.0", "I89.0"),
        ("I97.2", "I97.2"),
        ("Z85.3", "Z85.3"),
        ("Z92.3", "Z92.3"),
        ("Z08", "Z08"),
        ("S52.501A", "S52.501A"),
        ("T78.40XA", "T78.40XA"),
    ],
)
def test_check_code_billable(code, expected):
    check = check_code(code)
    assert check.code == expected
    assert check.valid is True
    assert check.billable is True
    assert check.description == describe(expected)
    assert check.description is not None
    assert check.problem is None


def test_check_code_header_lists_examples():
    check = check_code("C50.9")
    assert check == DiagnosisCheck(
        code="C50.9",
        valid=True,
        billable=False,
        description="Malignant neoplasm of breast of unspecified site",
        problem=(
            "C50.9 is a header code and is not billable. Use a more specific code "
            "beneath it, such as C50.911, C50.912, C50.919, C50.921 or C50.922."
        ),
    )


def test_check_code_category_examples_are_billable():
    problem = check_code("C50").problem
    assert problem.startswith("C50 is a header code and is not billable.")
    examples = ["C50.011", "C50.012", "C50.019", "C50.021", "C50.022"]
    for example in examples:
        assert example in problem
        assert check_code(example).billable is True


def test_check_code_needs_seventh_character():
    check = check_code("S52.501")
    assert check.valid is True
    assert check.billable is False
    assert check.problem == (
        "S52.501 needs a seventh character and is not billable without it. "
        "Use a code such as S52.501A, S52.501B, S52.501C, S52.501D or S52.501E. "
        "The seventh character A means initial encounter for closed fracture."
    )


def test_check_code_seventh_character_placeholder():
    problem = check_code("T78.40").problem
    assert "T78.40 needs a seventh character" in problem
    assert "T78.40XA, T78.40XD or T78.40XS" in problem
    assert "X fills the empty places" in problem
    assert "A means initial encounter" in problem


def test_check_code_header_above_seventh_character():
    problem = check_code("S52.5").problem
    assert problem.startswith("S52.5 is a header code and is not billable.")
    assert "S52.501A, S52.502A, S52.509A, S52.511A or S52.512A" in problem
    assert "also need a seventh character, such as A for initial encounter" in problem


def test_check_code_header_t_code():
    problem = check_code("T81.4").problem
    assert "T81.40XA" in problem
    assert "seventh character" in problem


def test_check_code_unknown():
    check = check_code("Q99.999")
    assert check.code == "Q99.999"
    assert check.valid is False
    assert check.billable is False
    assert check.description is None
    assert check.problem == (
        "Q99.999 is not a code in ICD-10-CM April 2026. The longest existing code "
        "it starts with is Q99.9 (Chromosomal abnormality, unspecified). "
        "Check the full code in the chart."
    )


def test_check_code_unknown_category():
    problem = check_code("U99.9").problem
    assert problem.startswith("U99.9 is not a code in ICD-10-CM April 2026.")
    assert "typing error" in problem


def test_check_code_seventh_character_not_defined():
    problem = check_code("S52.501Z").problem
    assert problem.startswith("S52.501Z is not a code in ICD-10-CM April 2026.")
    assert "S52.501 (Unspecified fracture of the lower end of right radius)" in problem


@pytest.mark.parametrize(
    ("code", "message"),
    [("174.9", "ICD-9-CM"), ("C5", "3 to 7"), ("", "Enter a diagnosis code")],
)
def test_check_code_bad_shape(code, message):
    check = check_code(code)
    assert check.valid is False
    assert check.billable is False
    assert check.description is None
    assert message in check.problem


# check_codes


@pytest.mark.parametrize(
    "service_date",
    [None, date(2025, 10, 1), date(2026, 3, 15), date(2026, 9, 30)],
)
def test_check_codes_inside_fiscal_year(service_date):
    checks, found = check_codes(["C50.912", "Z90.12"], service_date)
    assert [check.code for check in checks] == ["C50.912", "Z90.12"]
    assert found == []


@pytest.mark.parametrize(
    "service_date",
    [date(2025, 9, 30), date(2026, 10, 1), date(2024, 5, 1)],
)
def test_check_codes_outside_fiscal_year(service_date):
    _, found = check_codes(["C50.912"], service_date)
    assert len(found) == 1
    assert f"{service_date:%m/%d/%Y} is outside fiscal year 2026" in found[0]
    assert "checked against ICD-10-CM April 2026 only" in found[0]


def test_check_codes_keeps_order_and_problems():
    checks, _ = check_codes(["Z85.3", "C50.9", "Q99.999"])
    assert [check.code for check in checks] == ["Z85.3", "C50.9", "Q99.999"]
    assert [check.billable for check in checks] == [True, False, False]
    assert [check.valid for check in checks] == [True, True, False]


def test_check_codes_duplicate():
    _, found = check_codes(["C50.912", "c50912"])
    assert found == ["C50.912 is listed more than once."]


def test_check_codes_excludes1_on_code():
    _, found = check_codes(["I89.0", "I97.2"])
    assert found == [
        "I89.0 and I97.2 are not normally reported together, because ICD-10-CM "
        'lists "postmastectomy lymphedema (I97.2)" under Excludes1 for I89.0. '
        "Keep the code that fits the patient's condition, unless the two "
        "conditions are unrelated."
    ]


def test_check_codes_excludes1_on_category():
    _, found = check_codes(["E10.9", "E11.9"])
    assert len(found) == 1
    assert found[0].startswith("E10.9 and E11.9 are not normally reported together")
    assert '"type 2 diabetes mellitus (E11.-)" under Excludes1 for E10.' in found[0]


def test_check_codes_excludes1_range():
    _, found = check_codes(["E03.9", "E01.8"])
    assert len(found) == 1
    assert "(E00-E02)" in found[0]


def test_check_codes_outside_excludes1_range():
    _, found = check_codes(["E03.9", "E05.90"])
    assert found == []


def test_check_codes_breast_cancer_set():
    codes = ["C50.912", "Z17.0", "Z90.12", "Z92.3", "Z92.21", "I97.2", "C77.3"]
    checks, found = check_codes(codes, date(2026, 1, 15))
    assert all(check.billable for check in checks)
    assert found == []


# suggest


def test_suggest_prefix_with_dot():
    assert suggest("C50.91") == [
        ("C50.911", "Malignant neoplasm of unspecified site of right female breast"),
        ("C50.912", "Malignant neoplasm of unspecified site of left female breast"),
        (
            "C50.919",
            "Malignant neoplasm of unspecified site of unspecified female breast",
        ),
    ]


@pytest.mark.parametrize("prefix", ["c5091", "C50.91", " c50 .91 ", "C5091"])
def test_suggest_dot_optional(prefix):
    assert [code for code, _ in suggest(prefix)] == ["C50.911", "C50.912", "C50.919"]


def test_suggest_category():
    assert [code for code, _ in suggest("Z90.1")] == [
        "Z90.10",
        "Z90.11",
        "Z90.12",
        "Z90.13",
    ]


def test_suggest_limit_and_order():
    found = suggest("S52.50", limit=7)
    codes = [code for code, _ in found]
    assert len(codes) == 7
    assert codes == sorted(codes)
    assert all(code.startswith("S52.50") for code in codes)
    assert all(check_code(code).billable for code in codes)


def test_suggest_exact_billable_code():
    assert suggest("I97.2") == [("I97.2", "Postmastectomy lymphedema syndrome")]


@pytest.mark.parametrize(
    ("prefix", "limit"),
    [("", 20), ("Q99.99", 20), ("!!", 20), ("C50.9", 0), ("C50-9", 20)],
)
def test_suggest_nothing(prefix, limit):
    assert suggest(prefix, limit) == []


def test_suggest_skips_headers():
    codes = [code for code, _ in suggest("C50.9")]
    assert "C50.9" not in codes
    assert "C50.91" not in codes
    assert codes == ["C50.911", "C50.912", "C50.919", "C50.921", "C50.922", "C50.929"]


def test_suggest_fast_after_first_call():
    suggest("C")
    started = time.perf_counter()
    for prefix in ["C", "C5", "C50", "C50.", "C50.9", "C50.91", "S", "S5", "T8"] * 50:
        suggest(prefix)
    # The 450 calls took about 3 ms on a 2-core machine, so the bound is generous.
    assert time.perf_counter() - started < 2.0
