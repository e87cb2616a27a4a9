"""Browser tests of keyboard order, field names and reflow."""

import pytest
from playwright.sync_api import expect

from .steps import LAPTOP, TABLET, create_appeal, sign_in

pytestmark = pytest.mark.browser

# A short key for the focused element: its id, or its tag and text.
ELEMENT_KEY = """(el) => el.id ? "#" + el.id
    : el.tagName.toLowerCase() + ":" + el.textContent.trim().replace(/\\s+/g, " ")"""
FOCUSED_KEY = f"() => ({ELEMENT_KEY})(document.activeElement)"
# Controls the Tab key reaches in a container, in document order.
TABBABLE_KEYS = f"""(root) => Array.from(root.querySelectorAll(
        "a[href], button, input, select, textarea"))
    .filter((el) => el.tabIndex >= 0 && !el.disabled && el.type !== "hidden"
        && el.getClientRects().length > 0)
    .map({ELEMENT_KEY})"""
# Every form control with the accessible name that its label, aria-labelledby
# or aria-label gives it (the parts of the accessible name computation that
# this app uses).
CONTROL_NAMES = """() => Array.from(
        document.querySelectorAll("input, select, textarea"))
    .filter((el) => el.type !== "hidden")
    .map((el) => {
        const text = (nodes) => nodes.map((n) => n ? n.textContent : "").join(" ");
        const labelledBy = (el.getAttribute("aria-labelledby") || "").trim();
        let name = "";
        if (labelledBy) {
            const ids = labelledBy.split(/\\s+/);
            name = text(ids.map((id) => document.getElementById(id)));
        } else if (el.getAttribute("aria-label")) {
            name = el.getAttribute("aria-label");
        } else {
            name = text(Array.from(el.labels || []));
        }
        return {id: el.id, name: name.trim().replace(/\\s+/g, " ")};
    })"""
FIRST_FORM_FIELDS = [
    "#payer_profile",
    "#load-payer",
    "#payer_name",
    "#payer_kind",
    "#payer_id",
    "#payer_address",
    "#payer_fax",
    "#payer_phone",
    "#payer_window_days",
    "#payer_required_diagnoses",
    "#save_payer",
    "#practice_name",
    "#practice_npi",
    "#practice_phone",
    "#practice_fax",
    "#practice_address",
    "#provider_name",
]


def control_names(page) -> list[dict]:
    """Return each visible form control's id and accessible name."""
    return page.evaluate(CONTROL_NAMES)


def assert_labelled(page) -> list[str]:
    """Assert that get_by_label finds each control by name, and return the names."""
    names = []
    for control in control_names(page):
        assert control["name"], f"#{control['id']} has no accessible name"
        found = page.get_by_label(control["name"], exact=True)
        found_ids = found.evaluate_all("(els) => els.map((el) => el.id)")
        assert control["id"] in found_ids, (
            f"get_by_label({control['name']!r}) misses #{control['id']}"
        )
        names.append(control["name"])
    return names


def test_tab_order_form(page):
    sign_in(page)
    page.goto("/appeals/new")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0, box
    assert box["y"] >= 0, box

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Saved payer profile")).to_be_focused()

    expected = page.locator("#denial-form").evaluate(TABBABLE_KEYS)
    assert expected[: len(FIRST_FORM_FIELDS)] == FIRST_FORM_FIELDS
    reached = [page.evaluate(FOCUSED_KEY)]
    for _ in expected[1:]:
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED_KEY))
    assert reached == expected


def test_controls_have_names(page):
    sign_in(page)
    page.goto("/appeals/new")
    names = assert_labelled(page)
    assert len(names) > 60
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == []

    create_appeal(page)
    names = assert_labelled(page)
    assert "Paragraph 1 (Opening)" in names
    assert "Status" in names
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == []


@pytest.mark.parametrize("viewport", [TABLET, LAPTOP], ids=["tablet", "laptop"])
def test_no_horizontal_scroll(new_page, viewport):
    page = new_page(viewport=viewport)
    sign_in(page)
    appeal_id = create_appeal(page)
    for path in ("/appeals/new", f"/appeals/{appeal_id}", "/"):
        page.goto(path)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
