"""Appeal filing deadlines by payer kind and appeal level.

The windows come from CMS for Medicare and Medicare Advantage, from the state (set
in the payer profile) for Medicaid, and from the ACA internal-appeal rule for
commercial plans. ``appeals.sources`` names each source. A deadline printed on the
payer's notice wins over these defaults, so the app asks billers to check it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

# CMS presumes a Medicare notice is received five days after the date on it.
MEDICARE_MAIL_DAYS = 5
REDETERMINATION_DAYS = 120
RECONSIDERATION_DAYS = 180
MA_DAYS_FROM_2025 = 65
MA_DAYS_BEFORE_2025 = 60
MA_GUIDANCE_START = date(2025, 1, 1)
COMMERCIAL_DEFAULT_DAYS = 180


@dataclass(frozen=True)
class Deadline:
    """The last day to file, how it was counted, and the source of the rule."""

    due: date | None
    basis: str
    source: str

    def days_left(self, today: date) -> int | None:
        """Return days from today to the due date; negative once it has passed."""
        if self.due is None:
            return None
        return (self.due - today).days

    def is_past(self, today: date) -> bool:
        """Return whether the due date is before today."""
        left = self.days_left(today)
        return left is not None and left < 0


def _add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February has no twin in the next year
        return day.replace(year=day.year + 1, day=28)


def appeal_deadline(
    kind: str,
    notice_date: date | None,
    *,
    level: int = 1,
    window_days: int | None = None,
) -> Deadline:
    """Return the filing deadline of an appeal for a payer kind and appeal level."""
    if notice_date is None:
        return Deadline(None, "No notice date was entered, so no due date.", "")
    notice = notice_date.isoformat()

    if kind == "medicare":
        days = RECONSIDERATION_DAYS if level == 2 else REDETERMINATION_DAYS
        receipt = notice_date + timedelta(days=MEDICARE_MAIL_DAYS)
        name = "reconsideration" if level == 2 else "redetermination"
        source = "CMS-RECONSIDERATION" if level == 2 else "CMS-REDETERMINATION"
        return Deadline(
            receipt + timedelta(days=days),
            f"Medicare {name}: {days} days from receipt of the notice dated "
            f"{notice}, receipt presumed {MEDICARE_MAIL_DAYS} days after that date "
            f"({receipt.isoformat()}).",
            source,
        )

    if kind == "medicare_advantage":
        if notice_date >= MA_GUIDANCE_START:
            days = MA_DAYS_FROM_2025
        else:
            days = MA_DAYS_BEFORE_2025
        return Deadline(
            notice_date + timedelta(days=days),
            f"Medicare Advantage reconsideration: {days} calendar days from the "
            f"notice dated {notice}.",
            "CMS-MA-RECONSIDERATION",
        )

    if kind == "medicaid":
        if window_days is None:
            return Deadline(
                None,
                "Medicaid filing windows are set by each state; enter this plan's "
                "window in the payer profile to compute the due date.",
                "CFR-438.402",
            )
        return Deadline(
            notice_date + timedelta(days=window_days),
            f"Medicaid appeal: {window_days} days from the notice dated {notice}, "
            "as set in the payer profile.",
            "CFR-438.402",
        )

    if kind == "commercial":
        days = window_days if window_days is not None else COMMERCIAL_DEFAULT_DAYS
        origin = "the payer profile" if window_days is not None else "the ACA rule"
        # Counted from the notice date, not from receipt: the earlier, safer date.
        return Deadline(
            notice_date + timedelta(days=days),
            f"Commercial internal appeal: {days} days from the notice dated "
            f"{notice}, per {origin}.",
            "HEALTHCARE-GOV-APPEALS",
        )

    raise ValueError(f"unknown payer kind {kind!r}")


def reopening_deadline(notice_date: date | None) -> Deadline:
    """Return the one-year limit for a Medicare clerical-error reopening."""
    if notice_date is None:
        return Deadline(None, "No notice date was entered, so no due date.", "")
    return Deadline(
        _add_year(notice_date),
        "Medicare reopening: within one year of the initial determination dated "
        f"{notice_date.isoformat()}.",
        "CFR-405.980",
    )
