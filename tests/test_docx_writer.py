"""Tests for the Word letter: real .docx bytes reopened with python-docx."""

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from conftest import LETTER_EXAMPLES, load_example
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Inches

from appeals.case import case_from_dict
from appeals.docx_writer import (
    BASE_PATH,
    LETTER_STYLES,
    build_base_document,
    letter_to_docx,
)
from appeals.letter import Letter, build_letter
from appeals.rules import decide

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TODAY = date(2026, 11, 2)
BODY_STYLES = {"Body Text", "Appeal Heading", "List Bullet"}
# Characters that XML 1.0 does not allow in a document.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _example(name: str) -> dict:
    return load_example(name)


def _letter(data: dict) -> Letter:
    case = case_from_dict(data)
    return build_letter(case, decide(case, TODAY), TODAY)


def _open(data: bytes):
    return docx.Document(io.BytesIO(data))


def _written(data: dict):
    """Return the letter and its .docx reopened from the bytes."""
    letter = _letter(data)
    return letter, _open(letter_to_docx(letter))


def _paragraphs(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _index(document, style: str) -> int:
    return next(i for i, p in enumerate(document.paragraphs) if p.style.name == style)


def _base_style_names() -> set[str]:
    return {style.name for style in docx.Document(str(BASE_PATH)).styles}


def test_letterhead_first():
    letter, document = _written(_example("medicare-medical-necessity"))
    first = document.paragraphs[0]
    assert first.style.name == "Letterhead"
    assert first.text == "Lakeside Breast Surgery"
    assert _paragraphs(document, "Letterhead Detail") == [
        "400 Lake Street, Suite 200",
        "Boise, ID 83702",
        "Phone 208-555-0142 | NPI 1234567893",
    ]


def test_date_and_address():
    letter, document = _written(_example("medicare-medical-necessity"))
    assert _paragraphs(document, "Letter Date") == ["November 2, 2026"]
    assert _paragraphs(document, "Inside Address") == [
        "Noridian Healthcare Solutions, JF Part B",
        "Attn: Redeterminations",
        "PO Box 6783",
        "Fargo, ND 58108-6783",
        "By fax: 701-277-2424",
    ]
    assert _index(document, "Letterhead") < _index(document, "Letter Date")
    assert _index(document, "Letter Date") < _index(document, "Inside Address")


def test_reference_block_medicare():
    _, document = _written(_example("medicare-medical-necessity"))
    lines = _paragraphs(document, "Reference Line")
    assert lines[:7] == [
        "Beneficiary:\tDana Whitfield",
        "Date of birth:\tApril 17, 1961",
        "Medicare number:\t1EG4-TE5-MK72",
        "Claim number:\t552026301145770",
        "Date of service:\tSeptember 15, 2026",
        "Services and codes:\t93702 (CO-50, N115)",
        "Notice date:\tOctober 20, 2026",
    ]
    first = next(p for p in document.paragraphs if p.style.name == "Reference Line")
    assert first.runs[0].text == "Beneficiary:"
    assert first.runs[0].bold is True
    assert first.runs[1].bold is not True


def test_reference_block_commercial():
    _, document = _written(_example("commercial-experimental"))
    lines = _paragraphs(document, "Reference Line")
    assert "Patient:\tRosalind Okafor" in lines
    assert "Member ID:\tSPH448120937" in lines
    assert "Claim number:\tSPH26A0734419" in lines
    assert "Services and codes:\t93702 (CO-55, N623)" in lines
    assert not any(line.startswith("Medicare number:") for line in lines)


def test_title_and_salutation():
    _, document = _written(_example("commercial-experimental"))
    assert _paragraphs(document, "Letter Subject") == ["Request for Internal Appeal"]
    assert _paragraphs(document, "Salutation") == ["Dear Appeals Reviewer:"]
    salutation = _index(document, "Salutation")
    assert _index(document, "Inside Address") < _index(document, "Letter Subject")
    assert _index(document, "Letter Subject") < salutation
    assert _index(document, "Reference Line") < salutation


@pytest.mark.parametrize("name", LETTER_EXAMPLES)
def test_body_between_salutation_and_enclosures(name):
    letter, document = _written(_example(name))
    paragraphs = document.paragraphs
    start = _index(document, "Salutation") + 1
    end = _index(document, "Signature")
    body = paragraphs[start:end]
    assert {p.style.name for p in body} <= BODY_STYLES
    assert [(p.style.name, p.text) for p in body] == [
        (block.style, block.text) for block in letter.body
    ]


def test_enclosures_list():
    letter, document = _written(_example("commercial-experimental"))
    heading = _index(document, "Enclosures Heading")
    assert document.paragraphs[heading].text == "Enclosures"
    assert _paragraphs(document, "Enclosure") == letter.enclosures
    assert len(letter.enclosures) == 4


def test_signature_block():
    letter, document = _written(_example("commercial-experimental"))
    signature = _paragraphs(document, "Signature")
    assert signature == ["", *letter.signature]
    assert "Maria Chen, PA" in signature
    # Enclosures follow the signature, as in a business letter.
    assert _index(document, "Signature") < _index(document, "Enclosures Heading")


def test_citations_when_evidence():
    letter, document = _written(_example("commercial-experimental"))
    assert document.paragraphs[-3].text == "References"
    assert document.paragraphs[-3].style.name == "Enclosures Heading"
    citations = _paragraphs(document, "Citation")
    assert citations == [f"[{n}] {c}" for n, c in enumerate(letter.citations, 1)]
    assert citations[0].startswith("[1] DiSipio T")


def test_no_citations_without_evidence():
    _, document = _written(_example("em-modifier-25"))
    assert _paragraphs(document, "Citation") == []
    assert "References" not in [p.text for p in document.paragraphs]
    assert document.paragraphs[-1].style.name == "Enclosure"


@pytest.mark.parametrize("name", LETTER_EXAMPLES)
def test_styles_defined_in_base(name):
    _, document = _written(_example(name))
    defined = _base_style_names()
    for paragraph in document.paragraphs:
        assert paragraph.style.name in defined


@pytest.mark.parametrize("name", LETTER_EXAMPLES)
def test_no_template_syntax(name):
    _, document = _written(_example(name))
    for paragraph in document.paragraphs:
        for marker in ("{{", "{%", "{#"):
            assert marker not in paragraph.text


def test_letter_styles_in_base():
    styles = docx.Document(str(BASE_PATH)).styles
    names = {style.name: style for style in styles}
    for name in LETTER_STYLES:
        assert name in names
        assert names[name].type == WD_STYLE_TYPE.PARAGRAPH


def test_base_regenerates_same_styles():
    regenerated = build_base_document()
    buffer = io.BytesIO()
    regenerated.save(buffer)
    reopened = _open(buffer.getvalue())
    assert {style.name for style in reopened.styles} == _base_style_names()


def test_base_has_no_paragraphs():
    base = docx.Document(str(BASE_PATH))
    assert base.paragraphs == []
    assert base.tables == []


def test_base_styles_not_circular():
    for style in docx.Document(str(BASE_PATH)).styles:
        seen = set()
        current = style
        while current is not None:
            assert current.style_id not in seen, f"{style.name} is based on itself"
            seen.add(current.style_id)
            current = getattr(current, "base_style", None)


def test_page_is_us_letter():
    _, document = _written(_example("medicare-medical-necessity"))
    section = document.sections[0]
    assert section.page_width == Inches(8.5)
    assert section.page_height == Inches(11)
    assert section.left_margin == Inches(1)
    assert section.right_margin == Inches(1)


def test_core_properties():
    letter, document = _written(_example("medicare-medical-necessity"))
    assert document.core_properties.title == "Request for Redetermination"
    assert document.core_properties.author == "Lakeside Breast Surgery"


@pytest.mark.parametrize(
    "name",
    [
        "Zoë Núñez-Ørsted",
        "王小明",
        "فاطمة الزهراء",
        "{{7*7}}",
        "O'Brien & <Sons>",
    ],
)
def test_patient_name_round_trip(name):
    data = _example("medicare-medical-necessity")
    data["patient"]["name"] = name
    _, document = _written(data)
    lines = _paragraphs(document, "Reference Line")
    assert f"Beneficiary:\t{name}" in lines
    body = [p.text for p in document.paragraphs if p.style.name == "Body Text"]
    assert any(text.startswith(f"{name} had lymph nodes") for text in body)
    assert not any(text.startswith("49 had") for text in body)


def test_practice_name_round_trip():
    data = _example("medicare-medical-necessity")
    data["practice"]["name"] = "Clínica São José — 乳腺外科"
    _, document = _written(data)
    assert document.paragraphs[0].text == "Clínica São José — 乳腺外科"
    assert document.core_properties.author == "Clínica São José — 乳腺外科"


def test_control_characters_stripped():
    data = _example("medicare-medical-necessity")
    # CARC A1 goes to the general letter, which quotes the denial text.
    data["claim"]["lines"][0]["adjustments"][0]["reason"] = "A1"
    data["claim"]["lines"][0]["remarks"] = []
    data["denial_text"] = "Denied\x0bper\x0cpolicy\x00 LCD\x1fL35074.\x7f"
    data["patient"]["name"] = "Dana\x0bWhitfield"
    letter, document = _written(data)
    assert [b.piece for b in letter.body][:2] == ["opening", "general"]
    texts = [p.text for p in document.paragraphs]
    assert any('"Denied per policy LCD L35074."' in text for text in texts)
    assert "Beneficiary:\tDana Whitfield" in texts
    with zipfile.ZipFile(io.BytesIO(letter_to_docx(letter))) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert not NOT_XML.search(xml)


def test_docx_is_zip_with_parts():
    letter = _letter(_example("medicare-medical-necessity"))
    data = letter_to_docx(letter)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
    assert {"word/document.xml", "word/styles.xml", "[Content_Types].xml"} <= names


def test_edited_letter_written():
    letter = _letter(_example("medicare-medical-necessity"))
    letter.body[0].text = "Edited opening paragraph."
    letter.enclosures.append("Signed statement from the ordering physician")
    document = _open(letter_to_docx(letter))
    assert "Edited opening paragraph." in [p.text for p in document.paragraphs]
    assert _paragraphs(document, "Enclosure")[-1] == (
        "Signed statement from the ordering physician"
    )
