"""Tests that LibreOffice opens a generated letter and prints it as a normal letter."""

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from appeals.case import case_from_dict
from appeals.docx_writer import letter_to_docx
from appeals.letter import build_letter
from appeals.rules import decide

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TODAY = date(2026, 11, 2)
LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(
        LIBREOFFICE is None,
        reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)",
    ),
    pytest.mark.skipif(
        PDFTOTEXT is None, reason="pdftotext is not installed (Debian: poppler-utils)"
    ),
]


def _letter_file(name: str, folder: Path) -> Path:
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    case = case_from_dict(data)
    letter = build_letter(case, decide(case, TODAY), TODAY)
    path = folder / letter.file_name
    path.write_bytes(letter_to_docx(letter))
    return path


def _to_pdf(docx_path: Path, folder: Path) -> Path:
    """Convert a .docx to PDF with a LibreOffice profile of its own."""
    outdir = folder / "pdf"
    completed = subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    pdf = outdir / f"{docx_path.stem}.pdf"
    assert completed.returncode == 0, completed.stderr
    assert pdf.exists(), completed.stdout + completed.stderr
    return pdf


def _page_text(pdf: Path, page: int) -> str:
    completed = subprocess.run(
        [PDFTOTEXT, "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout


def test_first_page_names_practice_and_claim(tmp_path):
    pdf = _to_pdf(_letter_file("medicare-medical-necessity", tmp_path), tmp_path)
    first_page = _page_text(pdf, 1)
    assert "Lakeside Breast Surgery" in first_page
    assert "552026301145770" in first_page
    assert "Request for Redetermination" in first_page
    assert "Dear Appeals Reviewer:" in first_page


def test_reference_lines_keep_tab(tmp_path):
    pdf = _to_pdf(_letter_file("commercial-experimental", tmp_path), tmp_path)
    first_page = _page_text(pdf, 1)
    claim_line = next(
        line for line in first_page.splitlines() if "Claim number:" in line
    )
    assert claim_line.split() == ["Claim", "number:", "SPH26A0734419"]
