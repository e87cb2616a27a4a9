"""Tests of the adjustment code catalog and its coverage by the rule table."""

import tomllib

import pytest

from appeals import codes
from appeals.rules import RULES_PATH, default_table


def _catalog_section() -> dict:
    with RULES_PATH.open("rb") as handle:
        return tomllib.load(handle)["catalog"]


def test_every_code_has_an_answer():
    """Is every catalog code named by a rule or listed as handled on purpose?"""
    table = default_table()
    named = set()
    for rule in table.rules:
        named |= set(rule.carc) | set(rule.rarc)
    section = _catalog_section()
    on_purpose = (
        set(section["general"]) | set(section["not_disputed"]) | set(section["alerts"])
    )
    catalog = set(codes.CARCS) | set(codes.RARCS)
    missing = sorted(catalog - named - on_purpose)
    assert missing == []


def test_rules_name_only_catalog_codes():
    """Does every code a rule names exist in the catalog?"""
    catalog = set(codes.CARCS) | set(codes.RARCS)
    for rule in default_table().rules:
        for code in (*rule.carc, *rule.rarc):
            assert code in catalog, f"rule {rule.id} names {code}"


def test_on_purpose_lists_hold_catalog_codes():
    """Do the handled-on-purpose lists name only known codes?"""
    catalog = set(codes.CARCS) | set(codes.RARCS)
    for name, listed in _catalog_section().items():
        assert set(listed) <= catalog, name


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("CO-50", "50"), ("co 50", "50"), (" n115 ", "N115"), ("PR-204", "204")],
)
def test_normalize_code(typed, expected):
    """Are group prefixes, case and spaces removed from a typed code?"""
    assert codes.normalize_code(typed) == expected


def test_lookup_known_and_unknown():
    """Does lookup find a CARC and a RARC and return None for an unknown code?"""
    assert codes.lookup("50").kind == "CARC"
    assert codes.lookup("N115").kind == "RARC"
    assert codes.lookup("ZZ9") is None


def test_search_by_code_and_meaning():
    """Does search match a code prefix first and then words of the meaning?"""
    by_code = codes.search("N11")
    assert by_code[0].code == "N115"
    by_meaning = [entry.code for entry in codes.search("duplicate")]
    assert "18" in by_meaning


def test_search_by_kind():
    """Does a kind filter return only that kind?"""
    found = codes.search("1", kind="RARC")
    assert found
    assert {entry.kind for entry in found} == {"RARC"}
