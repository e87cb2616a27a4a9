"""Tests of the source registry and the generated sources page."""

from pathlib import Path

from appeals import sourcedoc
from appeals.letter import all_piece_ids, piece_info
from appeals.sources import SOURCES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_sources_page_is_current():
    """Does docs/sources.md match what the code would generate now?"""
    committed = (DOCS / "sources.md").read_text(encoding="utf-8")
    assert committed == sourcedoc.render(), "run: python -m appeals.sourcedoc"


def test_every_source_listed_on_page():
    """Does the page have a section for every registered source?"""
    page = sourcedoc.render()
    for source_id in SOURCES:
        assert f"## {source_id}\n" in page


def test_piece_sources_registered():
    """Does every source a piece names exist in the registry?"""
    for piece_id in all_piece_ids():
        for source_id in piece_info(piece_id).sources:
            assert source_id in SOURCES, f"{piece_id} names {source_id}"


def test_cited_sources_have_citations():
    """Does every source a letter prints as a reference carry its citation text?"""
    for source_id in ("PREVENT-2022", "DISIPIO-2013", "NLN-2013"):
        assert SOURCES[source_id].citation
