"""Browser tests that signed-out visitors reach only the sign-in page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .steps import PATIENT, create_appeal, sign_in

pytestmark = pytest.mark.browser

PROTECTED_PATHS = (
    "/",
    "/appeals/new",
    "/appeals/1",
    "/appeals/1/download",
    "/payers/",
    "/admin/audit",
)


def expect_sign_in_page(page, requested: str | None = None) -> None:
    """Assert that the page is the sign-in page and shows no patient data.

    With requested, also assert that the sign-in page would return to it.
    """
    url = urlsplit(page.url)
    assert url.path == "/login", page.url
    if requested is not None:
        next_targets = parse_qs(url.query)["next"]
        assert [urlsplit(target).path for target in next_targets] == [requested]
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text(PATIENT)).to_have_count(0)


def test_signed_out_pages_redirect(page):
    sign_in(page)
    assert create_appeal(page) == 1
    expect(page.get_by_text(PATIENT).first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect_sign_in_page(page)

    # The appeal page was sent with Cache-Control: no-store, so going back
    # requests it again instead of showing the copy in the history.
    page.go_back()
    expect_sign_in_page(page, requested="/appeals/1")

    for path in PROTECTED_PATHS:
        page.goto(path)
        expect_sign_in_page(page, requested=path)
