"""Browser tests that pages log no errors and that CSP reports are caught."""

import pytest
from playwright.sync_api import expect

from .steps import create_appeal, sign_in

pytestmark = pytest.mark.browser

INJECT_INLINE_SCRIPT = """() => {
    const script = document.createElement("script");
    script.textContent = "window.inlineScriptRan = true;";
    document.body.appendChild(script);
    return Boolean(window.inlineScriptRan);
}"""


def test_pages_console_clean(page, console_errors):
    sign_in(page)
    appeal_id = create_appeal(page)
    for path in (
        "/",
        "/appeals/new",
        f"/appeals/{appeal_id}",
        f"/appeals/{appeal_id}/edit",
        "/payers/",
        "/payers/new",
        "/remittance",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")

    # The page's own code list has no C50.81x code, so C50.812 can only come
    # from the fetch that app.js makes while the user types.
    page.goto("/appeals/new")
    page.get_by_label("Diagnosis codes (ICD-10-CM)").press_sequentially("C50.81")
    suggestion = page.locator("#diagnosis-codes option[value='C50.812']")
    expect(suggestion).to_be_attached()
    assert console_errors == []


def test_inline_script_blocked(page, console_errors):
    page.goto("/login")
    with page.expect_console_message() as message_info:
        ran = page.evaluate(INJECT_INLINE_SCRIPT)
    assert ran is False
    assert "Content Security Policy" in message_info.value.text
    assert len(console_errors) == 1
    assert "script-src 'self'" in console_errors[0]
    # The report was expected, so it must not fail the test at teardown.
    console_errors.clear()
