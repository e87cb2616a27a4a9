"""Expected payment amounts for 93702 and the E/M codes billed with it.

Amounts are exact decimals. The 2020 figures are the vendor guide's Medicare
national amounts (conversion factor 36.0896, not geographically adjusted). Later
years multiply CMS total RVUs by that year's conversion factor. All are national
amounts before geographic adjustment and sequestration, so a payer profile's
contracted rate, when set, takes precedence.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeeYear:
    """One calendar year's conversion factor and total RVUs per code and setting."""

    year: int
    conversion_factor: Decimal
    rvus: dict[tuple[str, str], Decimal]  # (code, "office" | "facility") -> RVUs
    source: str
    starts: date | None = None  # set when a year has two factors


def _d(text: str) -> Decimal:
    return Decimal(text)


_2020_RVUS = {
    ("93702", "office"): _d("3.90"),
    ("99212", "office"): _d("1.28"),
    ("99213", "office"): _d("2.11"),
    ("99214", "office"): _d("3.06"),
    ("99215", "office"): _d("4.11"),
    ("99212", "facility"): _d("0.73"),
    ("99213", "facility"): _d("1.45"),
    ("99214", "facility"): _d("2.23"),
    ("99215", "facility"): _d("3.15"),
}

FEE_YEARS = (
    FeeYear(2020, _d("36.0896"), _2020_RVUS, "G10"),
    FeeYear(2021, _d("34.8931"), {("93702", "office"): _d("4.30")}, "CMS-PFS"),
    FeeYear(2022, _d("34.6062"), {("93702", "office"): _d("4.17")}, "CMS-PFS"),
    FeeYear(2023, _d("33.8872"), {("93702", "office"): _d("3.84")}, "CMS-PFS"),
    FeeYear(2024, _d("32.7442"), {("93702", "office"): _d("3.67")}, "CMS-PFS"),
    FeeYear(
        2024,
        _d("33.2875"),
        {("93702", "office"): _d("3.67")},
        "CMS-PFS",
        starts=date(2024, 3, 9),
    ),
    FeeYear(2025, _d("32.3465"), {("93702", "office"): _d("3.55")}, "CMS-PFS"),
)

# Hospital outpatient (OPPS) payment for 93702 under APC 5721, 2020 only.
OPPS_2020_93702 = _d("138.35")


@dataclass(frozen=True)
class ExpectedAmount:
    """An expected payment with the arithmetic and source behind it."""

    amount: Decimal
    basis: str
    source: str


def medicare_national(
    code: str, setting: str, service_date: date
) -> ExpectedAmount | None:
    """Return the Medicare national amount for a code, setting and date of service.

    In a hospital outpatient department 93702 is paid to the hospital under OPPS,
    and an E/M is paid to the physician at the facility rate.
    """
    if setting == "hospital_outpatient" and code == "93702":
        if service_date.year == 2020:
            return ExpectedAmount(
                OPPS_2020_93702,
                "2020 Medicare hospital outpatient payment, APC 5721",
                "G10",
            )
        return None
    column = "facility" if setting == "hospital_outpatient" else "office"
    candidates = [
        y
        for y in FEE_YEARS
        if y.year == service_date.year
        and (y.starts is None or y.starts <= service_date)
    ]
    if not candidates:
        return None
    year = candidates[-1]
    rvu = year.rvus.get((code, column))
    if rvu is None:
        return None
    amount = (rvu * year.conversion_factor).quantize(CENT, rounding=ROUND_HALF_UP)
    return ExpectedAmount(
        amount,
        f"{year.year} Medicare national amount: {rvu} total RVUs x conversion "
        f"factor {year.conversion_factor} = ${amount}, before geographic "
        "adjustment",
        year.source,
    )


def capped_at_charge(expected: ExpectedAmount, billed: Decimal) -> ExpectedAmount:
    """Return the expected amount, no more than the billed charge.

    Payers allow the lower of the charge and the fee schedule or contracted amount.
    """
    if expected.amount <= billed:
        return expected
    return ExpectedAmount(
        billed,
        f"{expected.basis}, limited to the billed charge of ${billed}",
        expected.source,
    )


def times_units(expected: ExpectedAmount, units: int) -> ExpectedAmount:
    """Return the expected amount for a line billed with several units."""
    if units <= 1:
        return expected
    return ExpectedAmount(
        expected.amount * units,
        f"{expected.basis}, times {units} units",
        expected.source,
    )


def less_legislated(expected: ExpectedAmount, reduction: Decimal) -> ExpectedAmount:
    """Return the expected amount less a reduction set by law (sequestration)."""
    if reduction <= 0:
        return expected
    amount = max(expected.amount - reduction, Decimal("0.00"))
    return ExpectedAmount(
        amount,
        f"{expected.basis}, less the ${reduction} sequestration reduction",
        expected.source,
    )


def less_patient_share(expected: ExpectedAmount, share: Decimal) -> ExpectedAmount:
    """Return the payer's part of an expected amount once the patient's share is off.

    A fee schedule or contracted amount is the allowed amount, which the payer and
    the patient split: PR deductible, coinsurance and copay are billed to the patient.
    """
    if share <= 0:
        return expected
    amount = max(expected.amount - share, Decimal("0.00"))
    return ExpectedAmount(
        amount,
        f"{expected.basis}, less the patient's share of ${share} (deductible, "
        "coinsurance and copay)",
        expected.source,
    )


def expected_amount(
    code: str,
    setting: str,
    service_date: date,
    *,
    payer_kind: str,
    contracted_rates: dict[str, Decimal] | None = None,
) -> ExpectedAmount | None:
    """Return the amount a line should have paid, or None when no basis is known."""
    if contracted_rates and code in contracted_rates:
        rate = contracted_rates[code].quantize(CENT, rounding=ROUND_HALF_UP)
        return ExpectedAmount(
            rate, f"contracted rate for {code} in the payer profile: ${rate}", ""
        )
    if payer_kind != "medicare":
        # NOTE: Medicare rates are no basis for other payers' payments unless their
        # contract adopts them, so the biller sets a contracted rate in the profile.
        return None
    return medicare_national(code, setting, service_date)
