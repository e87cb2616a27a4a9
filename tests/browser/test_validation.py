"""Browser tests of invalid entries and an expired CSRF token on the denial form."""

import pytest
from playwright.sync_api import expect

from .steps import (
    APPEAL_URL,
    MEDICARE_DENIAL,
    expect_entries,
    fill_entries,
    replace,
    sign_in,
)

pytestmark = pytest.mark.browser

INVALID_ENTRIES = replace(
    MEDICARE_DENIAL,
    Billed="140.755",
    Date_of_service="02/30/2026",
    Provider_NPI="1558598790",
)
# Each invalid field's label and a phrase its error message must contain.
EXPECTED_ERRORS = {
    "Billed": "cents have at most two digits",
    "Date of service": "not a real date",
    "Provider NPI": "check-digit",
}


def described_by_text(control) -> str:
    """Return the text of the elements that aria-describedby names."""
    return control.evaluate(
        """(el) => (el.getAttribute("aria-describedby") || "").split(/\\s+/)
            .map((id) => document.getElementById(id))
            .filter(Boolean).map((node) => node.textContent).join(" ")"""
    )


def shares_field_box_with_error(control) -> bool:
    """Return whether the control and its error sit in the same field box."""
    return control.evaluate(
        """(el) => {
            const error = document.getElementById(el.id + "-error");
            return Boolean(error) && error.closest(".field") === el.closest(".field");
        }"""
    )


def test_invalid_fields_marked(page):
    sign_in(page)
    page.goto("/appeals/new")
    fill_entries(page, INVALID_ENTRIES)
    page.get_by_role("button", name="Choose the letter").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(len(EXPECTED_ERRORS))

    entries = {entry.label: entry for entry in INVALID_ENTRIES}
    for label, phrase in EXPECTED_ERRORS.items():
        control = entries[label].locate(page)
        expect(control, f"{label} is not marked invalid").to_have_attribute(
            "aria-invalid", "true"
        )
        error = page.locator(f"#{control.get_attribute('id')}-error")
        expect(error, f"{label} has no error next to it").to_be_visible()
        expect(error).to_contain_text(entries[label].value)
        expect(error).to_contain_text(phrase)
        assert error.inner_text() in described_by_text(control), label
        assert shares_field_box_with_error(control), label

    expect(page.get_by_label("Payer name")).not_to_have_attribute(
        "aria-invalid", "true"
    )
    expect_entries(page, INVALID_ENTRIES)

    summary.get_by_role("link", name="Provider NPI:").click()
    expect(entries["Provider NPI"].locate(page)).to_be_focused()


def test_expired_csrf_keeps_values(page):
    sign_in(page)
    page.goto("/appeals/new")
    fill_entries(page, MEDICARE_DENIAL)
    page.evaluate(
        """() => {
            document.querySelector("#denial-form input[name=csrf_token]").value =
                "expired-or-forged-token";
        }"""
    )
    page.get_by_role("button", name="Choose the letter").click()

    expect(page.locator(".flash.error")).to_have_text(
        "This page was open too long and its security token expired. Your "
        "entries are kept below; submit again."
    )
    expect(page.locator("#error-summary")).to_contain_text("Form expired")
    expect_entries(page, MEDICARE_DENIAL)

    page.get_by_role("button", name="Choose the letter").click()
    page.wait_for_url(APPEAL_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Appeal")
