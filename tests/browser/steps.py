"""Shared browser steps: sign-in, the denial form's values and screenshots."""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

# Screenshots go to test-artifacts/ on every run; `make screenshots` points this
# at docs/screenshots to refresh the documentation's pictures.
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR")
    or Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
)
USERNAME = "biller"
PASSWORD = "correct horse battery staple"
LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
APPEAL_URL = re.compile(r"/appeals/(\d+)$")


@dataclass(frozen=True)
class Entry:
    """One value typed into the denial form, found by its label.

    ``kind`` is text, select or check. ``region`` names the claim-line section
    for fields whose labels repeat on every line.
    """

    label: str
    value: str
    kind: str = "text"
    region: str | None = None

    def locate(self, page: Page) -> Locator:
        """Return the form control this entry's label names."""
        scope = page.get_by_role("region", name=self.region) if self.region else page
        return scope.get_by_label(self.label, exact=True)


# A Medicare medical-necessity denial of 93702 for an invented patient, with
# the values of docs/examples/medicare-medical-necessity.json.
MEDICARE_DENIAL = (
    Entry("Payer name", "Noridian Healthcare Solutions, JF Part B"),
    Entry("Payer kind", "medicare", "select"),
    Entry("Payer ID", "03302"),
    Entry(
        "Appeals mailing address",
        "Attn: Redeterminations\nPO Box 6783\nFargo, ND 58108-6783",
    ),
    Entry("Appeals fax", "701-277-2424"),
    Entry("Provider services phone", "877-908-8431"),
    Entry("Practice name", "Lakeside Breast Surgery"),
    Entry("Practice NPI", "1234567893"),
    Entry("Practice phone", "208-555-0142"),
    Entry("Practice address", "400 Lake Street, Suite 200\nBoise, ID 83702"),
    Entry("Rendering provider name", "Maria Chen"),
    Entry("Provider NPI", "1558598797"),
    Entry("Credential", "PA", "select"),
    Entry("Setting", "office", "select"),
    Entry("Patient name", "Dana Whitfield"),
    Entry("Date of birth", "04/17/1961"),
    Entry("Member ID or Medicare number", "1EG4-TE5-MK72"),
    Entry("Claim number", "552026301145770"),
    Entry("Date of service", "09/15/2026"),
    Entry("Date of the denial notice", "10/20/2026"),
    Entry("Procedure code", "93702", region="Line 1"),
    Entry("Billed", "185.00", region="Line 1"),
    Entry("Paid", "0.00", region="Line 1"),
    Entry("Line 1, adjustment 1: Group code", "CO", "select"),
    Entry("Line 1, adjustment 1: Reason code (CARC)", "50"),
    Entry("Line 1, adjustment 1: Amount", "185.00"),
    Entry("Remark codes (RARC)", "N115", region="Line 1"),
    Entry("Diagnosis codes (ICD-10-CM)", "C50.912, Z90.12"),
    Entry("Axillary", "y", "check"),
    Entry("Lymph nodes removed", "y", "check"),
    Entry("Lymph nodes irradiated", "y", "check"),
    Entry("Surgery date", "03/02/2026"),
    Entry("Reading 1: Date", "02/20/2026"),
    Entry("Reading 1: L-Dex score", "1.2"),
    Entry("Reading 1 is the baseline", "y", "check"),
    Entry("Reading 2: Date", "06/10/2026"),
    Entry("Reading 2: L-Dex score", "3.0"),
    Entry("Reading 3: Date", "09/15/2026"),
    Entry("Reading 3: L-Dex score", "8.1"),
    Entry(
        "The payer's wording of the denial",
        "Service not reasonable and necessary per LCD.",
    ),
    Entry("Other enclosures, one per line", "Operative report dated 03/02/2026"),
)
PATIENT = "Dana Whitfield"
CLAIM_NUMBER = "552026301145770"
MEDICARE_NUMBER = "1EG4-TE5-MK72"
PRACTICE = "Lakeside Breast Surgery"
PAYER = "Noridian Healthcare Solutions, JF Part B"


def sign_in(page: Page) -> None:
    """Sign in as the test biller from the sign-in page."""
    page.goto("/login")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Appeals")).to_be_visible()


def replace(entries, **changes: str) -> tuple[Entry, ...]:
    """Return entries with the values of some labels changed.

    Keys are labels with spaces as underscores, e.g. ``Billed="140.755"``.
    """
    by_label = {key.replace("_", " "): value for key, value in changes.items()}
    missing = set(by_label) - {entry.label for entry in entries}
    if missing:
        raise KeyError(f"no entries labelled {sorted(missing)}")
    return tuple(
        Entry(
            entry.label,
            by_label.get(entry.label, entry.value),
            entry.kind,
            entry.region,
        )
        for entry in entries
    )


def fill_entries(page: Page, entries, *, by_keyboard: bool = False) -> None:
    """Fill the form by label, clicking and typing into text fields with by_keyboard."""
    for entry in entries:
        control = entry.locate(page)
        if entry.kind == "select":
            control.select_option(entry.value)
        elif entry.kind == "check":
            control.check()
        elif by_keyboard:
            control.click()
            page.keyboard.press("ControlOrMeta+a")
            page.keyboard.type(entry.value)
        else:
            control.fill(entry.value)


def expect_entries(page: Page, entries) -> None:
    """Assert that every entry's value is shown in its field."""
    for entry in entries:
        control = entry.locate(page)
        if entry.kind == "check":
            expect(control, f"{entry.label} is unticked").to_be_checked()
        else:
            expect(control, f"{entry.label} lost its value").to_have_value(entry.value)


def create_appeal(page: Page, entries=MEDICARE_DENIAL) -> int:
    """Submit a new denial form and return the saved appeal's id."""
    page.goto("/appeals/new")
    fill_entries(page, entries)
    page.get_by_role("button", name="Choose the letter").click()
    page.wait_for_url(APPEAL_URL)
    return int(APPEAL_URL.search(page.url)[1])


def save_screenshot(
    page: Page,
    name: str,
    *,
    part: Locator | None = None,
    stop_at: Locator | None = None,
) -> Path:
    """Save a PNG of the page into docs/screenshots.

    It shows the whole page, only ``part`` of it, or the page down to the top
    of ``stop_at``. The viewport is stretched to the page's height first, so
    that sticky elements such as the form's submit bar are drawn where they
    rest at the end of the page and not over the fields in the middle of it.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": viewport["width"], "height": height})
    try:
        if part is not None:
            part.screenshot(path=str(path), animations="disabled")
        else:
            clip = None
            if stop_at is not None:
                top = stop_at.bounding_box()["y"]
                clip = {"x": 0, "y": 0, "width": viewport["width"], "height": top}
            page.screenshot(path=str(path), clip=clip, animations="disabled")
    finally:
        page.set_viewport_size(viewport)
    return path
