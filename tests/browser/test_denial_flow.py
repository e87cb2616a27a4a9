"""Browser test of the main flow: denial form, preview, letter edit and download."""

import pytest
from docx import Document
from playwright.sync_api import expect

from .steps import (
    CLAIM_NUMBER,
    MEDICARE_DENIAL,
    MEDICARE_NUMBER,
    PRACTICE,
    Entry,
    expect_entries,
    fill_entries,
    save_screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

EDITED_OPENING = (
    "Lakeside Breast Surgery asks you to reverse the denial of CPT 93702 on "
    "this claim and pay the amount due; the records below show why."
)
SECOND_LINE = (
    Entry("Procedure code", "99213", region="Line 2"),
    Entry("Billed", "120.00", region="Line 2"),
)


def test_denial_form_to_download(page, tmp_path):
    page.goto("/")
    expect(page).to_have_title("Sign in · Appeal letters")
    save_screenshot(page, "sign-in")
    sign_in(page)

    page.get_by_role("link", name="New appeal").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "New appeal: the denied claim"
    )
    fill_entries(page, MEDICARE_DENIAL, by_keyboard=True)

    # Adding a line posts the form back, so every typed value must come back.
    page.get_by_role("button", name="Add a claim line").click()
    expect(page.get_by_role("region", name="Line 2")).to_be_visible()
    expect_entries(page, MEDICARE_DENIAL)
    fill_entries(page, SECOND_LINE, by_keyboard=True)
    expect_entries(page, SECOND_LINE)

    page.get_by_role("button", name="Remove line 2").click()
    expect(page.get_by_role("region", name="Line 2")).to_have_count(0)
    expect(page.get_by_role("button", name="Remove line 1")).to_have_count(0)
    expect_entries(page, MEDICARE_DENIAL)
    save_screenshot(page, "denial-form")

    page.get_by_role("button", name="Choose the letter").click()
    page.wait_for_url("**/appeals/1")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Claim {CLAIM_NUMBER}: Appeal"
    )
    route_cell = page.get_by_role("row", name="1: 93702").get_by_role("cell").nth(2)
    expect(route_cell).to_have_text("Appeal")

    reasons = page.get_by_role("region", name="Why this letter")
    expect(reasons.locator("#piece-medical_necessity")).to_contain_text(
        "Rests on: G1, G2"
    )
    expect(reasons.locator("#piece-clinical_history")).to_contain_text(
        "Rests on: G1, G2"
    )
    # 120 days from receipt, presumed 5 days after the notice of 10/20/2026.
    expect(page.locator("#due-date")).to_contain_text("2027-02-22")
    expect(page.locator("#due-date")).to_contain_text("112 days left")
    enclosures = page.get_by_label("Enclosures, one per line").input_value()
    assert "Operative report dated 03/02/2026" in enclosures.splitlines()

    opening = page.get_by_label("Paragraph 1 (Opening)")
    opening.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(EDITED_OPENING)
    page.get_by_role("button", name="Save the letter text").click()
    expect(page.get_by_text("Letter text saved.")).to_be_visible()
    expect(page.get_by_label("Paragraph 1 (Opening)")).to_have_value(EDITED_OPENING)
    # The page is saved in two PNGs, the decision and the letter, so that each
    # stays near 400 KB.
    letter = page.locator("#letter")
    save_screenshot(page, "appeal-detail", stop_at=letter)
    save_screenshot(page, "appeal-letter", part=letter.locator(".letter"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the letter (.docx)").click()
    download = download_info.value
    assert download.suggested_filename == (
        f"redetermination-claim-{CLAIM_NUMBER}-2026-09-15.docx"
    )
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    document = Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Letterhead", PRACTICE)
    assert ("Letterhead Detail", "400 Lake Street, Suite 200") in paragraphs
    assert ("Body Text", EDITED_OPENING) in paragraphs
    assert not any(text.startswith(f"{PRACTICE} requests") for _, text in paragraphs)
    references = [text for style, text in paragraphs if style == "Reference Line"]
    assert f"Claim number:\t{CLAIM_NUMBER}" in references
    assert f"Medicare number:\t{MEDICARE_NUMBER}" in references
    assert ("Enclosure", "Operative report dated 03/02/2026") in paragraphs
