"""Browser tests of saving a payer profile and reusing it on a new appeal."""

import pytest
from playwright.sync_api import expect

from .steps import (
    MEDICARE_DENIAL,
    PAYER,
    PRACTICE,
    Entry,
    create_appeal,
    expect_entries,
    save_screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

PROFILE_OPTION = f"{PAYER} (medicare)"
PAYER_FIELDS = (
    Entry("Payer name", PAYER),
    Entry("Payer kind", "medicare", "select"),
    Entry("Payer ID", "03302"),
    Entry(
        "Appeals mailing address",
        "Attn: Redeterminations\nPO Box 6783\nFargo, ND 58108-6783",
    ),
    Entry("Appeals fax", "701-277-2424"),
    Entry("Provider services phone", "877-908-8431"),
)


def save_profile(page) -> None:
    """Create an appeal with "Save this payer" ticked."""
    save_payer = Entry("Save this payer for later appeals", "y", "check")
    create_appeal(page, (*MEDICARE_DENIAL, save_payer))


def test_profile_fills_by_script(page):
    sign_in(page)
    save_profile(page)

    page.get_by_role("link", name="Payer profiles").click()
    expect(page.get_by_role("rowheader", name=PAYER)).to_be_visible()
    save_screenshot(page, "payer-profiles")

    page.get_by_role("link", name="New appeal").first.click()
    expect(page.get_by_label("Practice name")).to_have_value(PRACTICE)
    expect(page.get_by_label("Payer name")).to_have_value("")

    page.get_by_label("Saved payer profile").select_option(label=PROFILE_OPTION)
    expect(page.get_by_label("Payer name")).to_have_value(PAYER)
    expect_entries(page, PAYER_FIELDS)
    expect(page.get_by_role("status")).to_have_text(
        f"Payer fields filled from the saved profile {PAYER}."
    )


def test_profile_fills_without_script(page, new_page):
    sign_in(page)
    save_profile(page)

    plain = new_page(java_script_enabled=False)
    sign_in(plain)
    plain.goto("/appeals/new")
    expect(plain.get_by_label("Practice name")).to_have_value(PRACTICE)
    plain.get_by_label("Saved payer profile").select_option(label=PROFILE_OPTION)
    expect(plain.get_by_label("Payer name")).to_have_value("")

    plain.get_by_role("button", name="Use this payer").click()
    expect_entries(plain, PAYER_FIELDS)
    expect(plain.get_by_label("Saved payer profile")).to_have_value("1")
    expect(plain.get_by_label("Practice name")).to_have_value(PRACTICE)
