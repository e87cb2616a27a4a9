"""Write a letter as an editable Word document.

The document starts from ``letter_templates/base.docx``, which defines every
paragraph style used here, so a practice can restyle its letters in Word without
touching code. Every part of the letter is a real paragraph in a named style.
"""

import io
from functools import cache
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from appeals.letter import STYLE_BODY, STYLE_BULLET, STYLE_HEADING, Letter

BASE_PATH = Path(__file__).resolve().parent.parent / "letter_templates" / "base.docx"

STYLE_LETTERHEAD = "Letterhead"
STYLE_LETTERHEAD_DETAIL = "Letterhead Detail"
STYLE_DATE = "Letter Date"
STYLE_ADDRESS = "Inside Address"
STYLE_REFERENCE = "Reference Line"
STYLE_SUBJECT = "Letter Subject"
STYLE_SALUTATION = "Salutation"
STYLE_ENCLOSURE_HEADING = "Enclosures Heading"
STYLE_ENCLOSURE = "Enclosure"
STYLE_SIGNATURE = "Signature"
STYLE_CITATION = "Citation"

LETTER_STYLES = (
    STYLE_LETTERHEAD,
    STYLE_LETTERHEAD_DETAIL,
    STYLE_DATE,
    STYLE_ADDRESS,
    STYLE_REFERENCE,
    STYLE_SUBJECT,
    STYLE_SALUTATION,
    STYLE_BODY,
    STYLE_HEADING,
    STYLE_BULLET,
    STYLE_ENCLOSURE_HEADING,
    STYLE_ENCLOSURE,
    STYLE_SIGNATURE,
    STYLE_CITATION,
)


def _paragraph_style(
    document, name, *, size=11, bold=False, before=0, after=0, base="Normal"
):
    styles = document.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.paragraph_format.space_before = Pt(before)
    style.paragraph_format.space_after = Pt(after)
    return style


def build_base_document():
    """Return a new base document that defines every style a letter uses."""
    document = Document()
    normal = document.styles["Normal"]
    # Times New Roman is on every Word installation; LibreOffice substitutes its
    # metric twin Liberation Serif, so lines break the same way.
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    section = document.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))

    _paragraph_style(document, STYLE_LETTERHEAD, size=15, bold=True)
    _paragraph_style(document, STYLE_LETTERHEAD_DETAIL, size=9)
    _paragraph_style(document, STYLE_DATE, before=18, after=12)
    _paragraph_style(document, STYLE_ADDRESS)
    reference = _paragraph_style(document, STYLE_REFERENCE)
    reference.paragraph_format.tab_stops.add_tab_stop(
        Inches(1.8), WD_TAB_ALIGNMENT.LEFT
    )
    reference.paragraph_format.left_indent = Inches(1.8)
    reference.paragraph_format.first_line_indent = Inches(-1.8)
    _paragraph_style(document, STYLE_SUBJECT, bold=True, before=12, after=12)
    _paragraph_style(document, STYLE_SALUTATION, after=8)
    _paragraph_style(document, STYLE_BODY, after=8)
    heading = _paragraph_style(document, STYLE_HEADING, bold=True, before=6, after=4)
    heading.paragraph_format.keep_with_next = True
    _paragraph_style(document, STYLE_BULLET, after=2, base="Normal")
    _paragraph_style(document, STYLE_ENCLOSURE_HEADING, bold=True, before=12, after=2)
    _paragraph_style(document, STYLE_ENCLOSURE, after=0, base="List Bullet")
    signature = _paragraph_style(document, STYLE_SIGNATURE, before=0, after=0)
    # The closing, the signature line and the name stay on one page.
    signature.paragraph_format.keep_with_next = True
    signature.paragraph_format.keep_together = True
    _paragraph_style(document, STYLE_CITATION, size=9, after=2)
    for paragraph in list(document.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    document.core_properties.title = "Appeal letter"
    document.core_properties.author = ""
    return document


def write_base_document(path: Path = BASE_PATH) -> None:
    """Write the base document to a file."""
    build_base_document().save(str(path))


def _add_footer(document, letter: Letter) -> None:
    """Put the letter's title, claim number and page number in the footer."""
    claim = next(
        (value for label, value in letter.reference if label == "Claim number"), ""
    )
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.text = f"{letter.title}, claim {claim}, page " if claim else "Page "
    # A PAGE field, which Word and LibreOffice fill in with the page number.
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


@cache
def _base_bytes(base_path: Path) -> bytes:
    """Return the base document's bytes, read once per process."""
    return base_path.read_bytes()


def letter_to_docx(letter: Letter, base_path: Path = BASE_PATH) -> bytes:
    """Return the .docx bytes of a letter."""
    document = Document(io.BytesIO(_base_bytes(base_path)))
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}p") or child.tag.endswith("}tbl"):
            body.remove(child)

    def add(text: str, style: str):
        return document.add_paragraph(text, style=style)

    add(letter.letterhead[0], STYLE_LETTERHEAD)
    for line in letter.letterhead[1:]:
        add(line, STYLE_LETTERHEAD_DETAIL)
    add(letter.date_line, STYLE_DATE)
    for line in letter.recipient:
        add(line, STYLE_ADDRESS)
    add(letter.title, STYLE_SUBJECT)
    for label, value in letter.reference:
        paragraph = document.add_paragraph(style=STYLE_REFERENCE)
        paragraph.add_run(f"{label}:").bold = True
        paragraph.add_run(f"\t{value}")
    add(letter.salutation, STYLE_SALUTATION).paragraph_format.space_before = Pt(12)
    for block in letter.body:
        last = add(block.text, block.style)
    if letter.body:
        # The closing paragraph goes with the signature, so it is never alone.
        last.paragraph_format.keep_with_next = True
    add("", STYLE_SIGNATURE)
    for line in letter.signature:
        add(line, STYLE_SIGNATURE)
    # The last signature line must not hold the enclosures on its page.
    document.paragraphs[-1].paragraph_format.keep_with_next = False
    add("Enclosures", STYLE_ENCLOSURE_HEADING)
    for enclosure in letter.enclosures:
        add(enclosure, STYLE_ENCLOSURE)
    if letter.citations:
        add("References", STYLE_ENCLOSURE_HEADING)
        for number, citation in enumerate(letter.citations, start=1):
            add(f"[{number}] {citation}", STYLE_CITATION)

    _add_footer(document, letter)
    document.core_properties.title = letter.title
    document.core_properties.author = letter.letterhead[0]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
