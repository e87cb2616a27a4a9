"""Read X12 835 remittance advice files into the claim data that an appeal needs."""

# No PyPI library is used because none of the three candidates read all the sample
# files in tests/data/835 (tried on Python 3.11):
# - pyx12 4.0.0 assumes a fixed-width ISA and rejects the unpadded Nevada Medicaid
#   header ("ISA Interchange Control Version Number is unknown"). It also drops the
#   SVC lines whose composite uses ">" while ISA16 is ":".
# - linuxforhealth-x12 0.57.0 (last release 2022) fails on import with pydantic 2
#   because it needs pydantic<2 without saying so. With pydantic 1 it rejects five
#   of the samples (SE count, 4010, NM1*74 without a name) and returns nothing for
#   the newline-terminated file.
# - edi-835-parser 1.8.0 raises on two samples, returns no rows for three, uses
#   floats for money and pulls in pandas.
# The tokenizer below reads the separators from the ISA segment instead: the
# element separator is the character after "ISA", the component separator is
# ISA16 and the segment terminator is the character after ISA16.

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000

# CLP02 codes allowed in 005010X221A1, with the ASC X12 element 1029 texts. The
# valid-code list is the one in pyx12's map pyx12/map/835.5010.X221.A1.xml
# (github.com/azoner/pyx12). In 5010, "4" means the payer could not identify the
# patient (X12 RFI 1423, x12.org). Denials of claims the payer did process come
# with status 1, 2 or 3 and the reasons in CAS segments.
CLAIM_STATUS_MEANINGS = {
    "1": "Processed as Primary",
    "2": "Processed as Secondary",
    "3": "Processed as Tertiary",
    "4": "Denied",
    "19": "Processed as Primary, Forwarded to Additional Payer(s)",
    "20": "Processed as Secondary, Forwarded to Additional Payer(s)",
    "21": "Processed as Tertiary, Forwarded to Additional Payer(s)",
    "22": "Reversal of Previous Payment",
    "23": "Not Our Claim, Forwarded to Additional Payer(s)",
    "25": "Predetermination Pricing Only - No Payment",
}

# CARC 1, 2 and 3 are the deductible, coinsurance and co-payment amounts, per the
# X12 code table copied by ResDAC:
# https://resdac.org/sites/datadocumentation.resdac.org/files/Revenue%20Center%201st%20ANSI%20Code%20Code%20Table%20FFS.txt
PATIENT_SHARE_REASONS = frozenset({"1", "2", "3"})

# C0 and C1 control characters other than tab, CR and LF. A text 835 has none,
# except where the ISA declares one as a separator.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_AMOUNT = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
# The padded ISA segment is 106 characters including its terminator. Its elements
# have fixed maximum widths, so an unpadded ISA is shorter, never longer.
_ISA_LENGTH = 106
# A composite that starts with a two-character qualifier followed by a separator,
# such as "HC>12345>26".
_QUALIFIED_COMPOSITE = re.compile(r"[A-Z0-9]{2}([^\w\s.\-])")
_CENT = Decimal("0.01")


class RemittanceError(ValueError):
    """Error raised when data is not a readable 835 remittance file."""


class Adjustment(NamedTuple):
    """One CAS reason: group code (CO, PR...), CARC and amount."""

    group: str
    reason: str
    amount: Decimal | None


@dataclass(frozen=True)
class Payer:
    """Payer named in loop 1000A."""

    name: str | None = None
    payer_id: str | None = None
    address: tuple[str, ...] = ()


@dataclass(frozen=True)
class Payee:
    """Payee named in loop 1000B."""

    name: str | None = None
    npi: str | None = None


@dataclass
class RemittanceLine:
    """Service line (loop 2110) with its adjustments and remark codes."""

    qualifier: str | None
    code: str | None
    modifiers: list[str]
    billed: Decimal | None
    paid: Decimal | None
    units: Decimal | None = None
    original_code: str | None = None
    service_date: date | None = None
    service_end_date: date | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    def is_denied(self) -> bool:
        """Return whether any adjustment is more than patient cost sharing."""
        return any(not _is_patient_share(item) for item in self.adjustments)


@dataclass
class RemittanceClaim:
    """Claim payment (loop 2100) with the payer and payee of its transaction."""

    patient_control_number: str
    payer_claim_number: str | None
    status_code: str
    billed: Decimal | None
    paid: Decimal | None
    payer: Payer
    payee: Payee
    patient_last_name: str | None = field(default=None, repr=False)
    patient_first_name: str | None = field(default=None, repr=False)
    member_id: str | None = field(default=None, repr=False)
    rendering_npi: str | None = None
    service_start: date | None = None
    service_end: date | None = None
    adjustments: list[Adjustment] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    lines: list[RemittanceLine] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        """Meaning of the CLP02 status code, or None for a code not in 5010."""
        return CLAIM_STATUS_MEANINGS.get(self.status_code)

    @property
    def patient_name(self) -> str | None:
        """Patient name as "LAST, FIRST" from NM1*QC."""
        if not self.patient_last_name:
            return None
        if not self.patient_first_name:
            return self.patient_last_name
        return f"{self.patient_last_name}, {self.patient_first_name}"

    @property
    def service_date(self) -> date | None:
        """First date of service: DTM*232, else the earliest line date."""
        if self.service_start:
            return self.service_start
        line_dates = [line.service_date for line in self.lines if line.service_date]
        return min(line_dates, default=None)

    def denied_lines(self) -> list[RemittanceLine]:
        """Return the lines adjusted for more than deductible, coinsurance or copay.

        Contractual reductions such as CO-45 count too, so callers may filter further.
        """
        return [line for line in self.lines if line.is_denied()]

    def is_denied(self) -> bool:
        """Return whether CLP02 is 4 or any claim or line adjustment is a denial.

        Patient cost sharing (PR with CARC 1, 2 or 3) alone does not count, but
        contractual reductions such as CO-45 do.
        """
        if self.status_code == "4":
            return True
        if any(not _is_patient_share(item) for item in self.adjustments):
            return True
        return bool(self.denied_lines())

    def to_case_dict(self) -> dict:
        """Return the payer, patient and claim fields that prefill a denial form.

        Money is a string with two decimals and dates are ISO strings. Keys whose
        value the 835 does not give are left out.
        """
        payer = _without_empty(
            {
                "name": self.payer.name,
                "payer_id": self.payer.payer_id,
                "address": list(self.payer.address),
            }
        )
        patient = _without_empty(
            {"name": self.patient_name, "member_id": self.member_id}
        )
        claim = _without_empty(
            {
                "number": self.payer_claim_number,
                "service_date": _iso(self.service_date),
            }
        )
        claim["lines"] = [_line_case_dict(line) for line in self.lines]
        # Claim-level remarks apply to every line, and claim-level adjustments are
        # put on the first line so that the rules see their reason codes.
        for line in claim["lines"]:
            line["remarks"] += [r for r in self.remarks if r not in line["remarks"]]
        if claim["lines"] and self.adjustments:
            claim["lines"][0]["adjustments"] += [
                _without_empty(
                    {
                        "group": item.group,
                        "reason": item.reason,
                        "amount": _money(item.amount),
                    }
                )
                for item in self.adjustments
            ]
        return {"payer": payer, "patient": patient, "claim": claim}


@dataclass
class RemittanceTransaction:
    """One ST*835 transaction: a single payment from one payer to one payee."""

    control_number: str
    payer: Payer
    payee: Payee
    payment_amount: Decimal | None = None
    check_date: date | None = None
    production_date: date | None = None
    trace_number: str | None = None
    claims: list[RemittanceClaim] = field(default_factory=list)


@dataclass
class Remittance:
    """Contents of an 835 file: its transactions and their claims.

    A file may hold several transactions with different payees, checks or even
    payers. The payer, payee and date properties give the first transaction's
    values, and each claim carries the payer and payee of its own transaction.
    """

    transactions: list[RemittanceTransaction]

    @property
    def payer(self) -> Payer:
        """Payer of the first transaction."""
        return self.transactions[0].payer

    @property
    def payee(self) -> Payee:
        """Payee of the first transaction."""
        return self.transactions[0].payee

    @property
    def check_date(self) -> date | None:
        """Check issue or EFT effective date (BPR16) of the first transaction."""
        return self.transactions[0].check_date

    @property
    def production_date(self) -> date | None:
        """Production date (DTM*405), else the check date, of the first transaction."""
        first = self.transactions[0]
        return first.production_date or first.check_date

    @property
    def claims(self) -> list[RemittanceClaim]:
        """Claims of all transactions in file order."""
        return [claim for item in self.transactions for claim in item.claims]


def parse_835(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Remittance:
    """Parse an X12 835 file into a Remittance.

    Raise RemittanceError when the data is larger than max_bytes (for str input,
    its UTF-8 size), binary, has no ISA header, is truncated or contains no 835
    transaction.
    """
    text = _decode(data, max_bytes)
    transactions: list[RemittanceTransaction] = []
    other_sets: list[str] = []
    for component_separator, segments in _read_interchanges(text):
        for set_id, control_number, body in _split_transactions(segments):
            if set_id != "835":
                other_sets.append(set_id)
                continue
            reader = _TransactionReader(control_number, component_separator)
            transactions.append(reader.read(body))
    if not transactions:
        found = ", ".join(sorted(set(other_sets))) or "none"
        raise RemittanceError(
            "Not an 835 remittance file: it contains no ST*835 transaction "
            f"(transaction sets found: {found}). Upload the payer's 835 electronic "
            "remittance advice."
        )
    remittance = Remittance(transactions)
    logger.info(
        "parsed 835: %d transaction(s) %s, %d claim(s)",
        len(transactions),
        ",".join(item.control_number for item in transactions),
        len(remittance.claims),
    )
    return remittance


def _decode(data: bytes | str, max_bytes: int) -> str:
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, got {max_bytes}")
    if isinstance(data, str):
        # A character is at least one UTF-8 byte, so the length check comes first
        # and avoids encoding an oversized string.
        too_large = (
            len(data) > max_bytes
            or len(data.encode("utf-8", "surrogatepass")) > max_bytes
        )
        text = data
    else:
        too_large = len(data) > max_bytes
        text = None
    if too_large:
        raise RemittanceError(
            f"The file is larger than the {max_bytes:,}-byte limit for 835 files."
        )
    if text is None:
        if b"\x00" in data:
            raise RemittanceError(
                "The file is binary (it contains NUL bytes), so it is not an 835. "
                "Upload the 835 text file from your clearinghouse or payer portal."
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    text = text.lstrip("\ufeff \t\r\n")
    if not text:
        raise RemittanceError("The file is empty.")
    if not text.startswith("ISA"):
        if _CONTROL_CHARACTERS.search(text):
            raise RemittanceError(
                "The file is binary, not an X12 text file. Upload the 835 text "
                "file from your clearinghouse or payer portal."
            )
        raise RemittanceError(
            "Not an X12 file: it does not start with an ISA interchange header."
        )
    return text


class _Separators(NamedTuple):
    element: str
    component: str
    segment: str
    isa_end: int


def _read_isa(text: str, start: int) -> _Separators:
    """Read the separators from the ISA segment that begins at start."""
    header = text[start : start + _ISA_LENGTH]
    element = header[3:4]
    if not element or element.isalnum() or element.isspace():
        raise RemittanceError("The ISA header is invalid or truncated.")
    position = 3
    # ISA16 follows the sixteenth element separator.
    for _ in range(15):
        position = header.find(element, position + 1)
        if position == -1:
            raise RemittanceError("The ISA header is invalid or truncated.")
    component = header[position + 1 : position + 2]
    segment = header[position + 2 : position + 3]
    if not component or not segment:
        raise RemittanceError("The ISA header is invalid or truncated.")
    if segment.isalnum() or len({element, component, segment}) < 3:
        raise RemittanceError(
            "The ISA header declares invalid separators: element "
            f"{element!r}, component {component!r}, segment {segment!r}."
        )
    return _Separators(element, component, segment, start + position + 3)


def _read_interchanges(text: str) -> list[tuple[str, list[list[str]]]]:
    """Split the text into interchanges of segments, each a list of elements."""
    interchanges = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return interchanges
        if not text.startswith("ISA", position):
            raise RemittanceError(
                "Unexpected data after the IEA trailer: expected another ISA header."
            )
        interchange_start = position
        separators = _read_isa(text, position)
        isa = text[position : separators.isa_end - 1].split(separators.element)
        segments = [[value.strip() for value in isa]]
        position = separators.isa_end
        while segments[-1][0] != "IEA":
            end = text.find(separators.segment, position)
            if end == -1:
                raw, position = text[position:], len(text)
            else:
                raw, position = text[position:end], end + 1
            raw = raw.strip()
            if raw:
                values = raw.split(separators.element)
                segments.append([value.strip() for value in values])
            if end == -1:
                break
        if segments[-1][0] != "IEA":
            raise RemittanceError("The file is truncated: the IEA trailer is missing.")
        _reject_control_characters(text[interchange_start:position], separators)
        interchanges.append((separators.component, segments))


def _reject_control_characters(text: str, separators: _Separators) -> None:
    declared = {separators.element, separators.component, separators.segment}
    for match in _CONTROL_CHARACTERS.finditer(text):
        if match.group() not in declared:
            raise RemittanceError("The file is binary, not an X12 text file.")


def _split_transactions(
    segments: list[list[str]],
) -> list[tuple[str, str, list[list[str]]]]:
    """Return (ST01, ST02, segments between ST and SE) for each transaction."""
    transactions = []
    current: tuple[str, str, list[list[str]]] | None = None
    for segment in segments:
        segment_id = segment[0]
        if segment_id == "ST":
            if current is not None:
                raise RemittanceError(
                    f"Transaction {current[1]} has no SE trailer before the next ST."
                )
            current = (_element(segment, 1) or "", _element(segment, 2) or "", [])
        elif segment_id == "SE":
            if current is None:
                raise RemittanceError("The file has an SE trailer without an ST.")
            counted = len(current[2]) + 2
            if _element(segment, 1) != str(counted):
                logger.warning(
                    "835 transaction %s: SE01 is %s but it has %d segments",
                    current[1],
                    _element(segment, 1),
                    counted,
                )
            transactions.append(current)
            current = None
        elif current is not None:
            current[2].append(segment)
    if current is not None:
        raise RemittanceError(
            f"The file is truncated: transaction {current[1]} has no SE trailer."
        )
    return transactions


class _TransactionReader:
    """State machine over the segments of one ST*835 transaction."""

    def __init__(self, control_number: str, component_separator: str) -> None:
        self.control_number = control_number
        self.component_separator = component_separator
        self.transaction = RemittanceTransaction(control_number, Payer(), Payee())
        self.loop = "header"
        self.payer_fields: dict = {"address": []}
        self.payee_fields: dict = {}
        self.claims: list[RemittanceClaim] = []
        self.claim: RemittanceClaim | None = None
        self.line: RemittanceLine | None = None
        self.subscriber_id: str | None = None
        self.trace_origin: str | None = None

    def read(self, segments: list[list[str]]) -> RemittanceTransaction:
        for segment in segments:
            self._read_segment(segment[0], segment)
        self._finish_claim()
        # N1*PR N104 is the payer id. REF*2U is there when N104 is not, and TRN03
        # identifies the payer that originated the payment.
        payer_id = (
            self.payer_fields.get("payer_id")
            or self.payer_fields.get("ref_2u")
            or self.trace_origin
        )
        payer = Payer(
            name=self.payer_fields.get("name"),
            payer_id=payer_id,
            address=tuple(self.payer_fields["address"]),
        )
        transaction = self.transaction
        payee = Payee(**self.payee_fields)
        for claim in self.claims:
            claim.payer = payer
            claim.payee = payee
        transaction.payer = payer
        transaction.payee = payee
        transaction.claims = self.claims
        return transaction

    def _read_segment(self, segment_id: str, segment: list[str]) -> None:
        if segment_id == "BPR":
            self.transaction.payment_amount = self._amount(segment, 2)
            self.transaction.check_date = self._date(segment, 16)
        elif segment_id == "TRN":
            self.transaction.trace_number = _element(segment, 2)
            self.trace_origin = _element(segment, 3)
        elif segment_id == "N1":
            self._read_party(segment)
        elif segment_id in ("LX", "TS3", "TS2"):
            self._finish_claim()
            self.loop = "header_number"
        elif segment_id == "CLP":
            self._start_claim(segment)
        elif segment_id == "SVC":
            self._start_line(segment)
        elif segment_id == "PLB":
            self._finish_claim()
            self.loop = "provider_adjustment"
        elif self.loop == "header":
            self._read_header_detail(segment_id, segment)
        elif self.loop == "payer":
            self._read_payer_detail(segment_id, segment)
        elif self.loop == "claim":
            self._read_claim_detail(segment_id, segment)
        elif self.loop == "line":
            self._read_line_detail(segment_id, segment)

    def _read_header_detail(self, segment_id: str, segment: list[str]) -> None:
        if segment_id == "DTM" and _element(segment, 1) == "405":
            self.transaction.production_date = self._date(segment, 2)

    def _read_party(self, segment: list[str]) -> None:
        self._finish_claim()
        entity = _element(segment, 1)
        if entity == "PR":
            self.loop = "payer"
            self.payer_fields["name"] = _element(segment, 2)
            self.payer_fields["payer_id"] = _element(segment, 4)
        elif entity == "PE":
            self.loop = "payee"
            self.payee_fields["name"] = _element(segment, 2)
            if _element(segment, 3) == "XX":
                self.payee_fields["npi"] = _element(segment, 4)
        else:
            self.loop = "other_party"

    def _read_payer_detail(self, segment_id: str, segment: list[str]) -> None:
        address = self.payer_fields["address"]
        if segment_id == "N3":
            address.extend(value for value in segment[1:3] if value)
        elif segment_id == "N4":
            city_line = _city_line(segment)
            if city_line:
                address.append(city_line)
        elif segment_id == "REF" and _element(segment, 1) == "2U":
            self.payer_fields["ref_2u"] = _element(segment, 2)

    def _start_claim(self, segment: list[str]) -> None:
        self._finish_claim()
        self.loop = "claim"
        self.subscriber_id = None
        self.claim = RemittanceClaim(
            patient_control_number=_element(segment, 1) or "",
            payer_claim_number=_element(segment, 7),
            status_code=_element(segment, 2) or "",
            billed=self._amount(segment, 3),
            paid=self._amount(segment, 4),
            payer=Payer(),
            payee=Payee(),
        )

    def _read_claim_detail(self, segment_id: str, segment: list[str]) -> None:
        claim = self.claim
        if segment_id == "CAS":
            claim.adjustments.extend(self._adjustments(segment))
        elif segment_id == "NM1":
            self._read_claim_name(claim, segment)
        elif segment_id == "MOA":
            # MOA03 to MOA07 are remark codes.
            claim.remarks.extend(value for value in segment[3:8] if value)
        elif segment_id == "MIA":
            # MIA05 and MIA20 to MIA23 are remark codes.
            positions = (5, 20, 21, 22, 23)
            claim.remarks.extend(
                _element(segment, index)
                for index in positions
                if _element(segment, index)
            )
        elif segment_id == "DTM":
            qualifier = _element(segment, 1)
            if qualifier == "232":
                claim.service_start = self._date(segment, 2)
            elif qualifier == "233":
                claim.service_end = self._date(segment, 2)

    def _read_claim_name(self, claim: RemittanceClaim, segment: list[str]) -> None:
        entity = _element(segment, 1)
        if entity == "QC":
            claim.patient_last_name = _element(segment, 3)
            claim.patient_first_name = _element(segment, 4)
            claim.member_id = _element(segment, 9)
        elif entity == "IL":
            self.subscriber_id = _element(segment, 9)
        elif entity == "82" and _element(segment, 8) == "XX":
            claim.rendering_npi = _element(segment, 9)

    def _start_line(self, segment: list[str]) -> None:
        if self.claim is None:
            raise RemittanceError(
                f"Transaction {self.control_number} has an SVC line outside a claim."
            )
        self.loop = "line"
        qualifier, code, modifiers = self._procedure(_element(segment, 1) or "")
        original_code = None
        if _element(segment, 6):
            original_code = self._procedure(_element(segment, 6))[1]
        self.line = RemittanceLine(
            qualifier=qualifier,
            code=code,
            modifiers=modifiers,
            billed=self._amount(segment, 2),
            paid=self._amount(segment, 3),
            units=self._amount(segment, 5),
            original_code=original_code,
        )
        self.claim.lines.append(self.line)

    def _read_line_detail(self, segment_id: str, segment: list[str]) -> None:
        line = self.line
        if segment_id == "CAS":
            line.adjustments.extend(self._adjustments(segment))
        elif segment_id == "LQ" and _element(segment, 1) == "HE":
            if _element(segment, 2):
                line.remarks.append(_element(segment, 2))
        elif segment_id == "DTM":
            qualifier = _element(segment, 1)
            if qualifier in ("472", "150"):
                line.service_date = self._date(segment, 2)
            elif qualifier == "151":
                line.service_end_date = self._date(segment, 2)

    def _finish_claim(self) -> None:
        claim = self.claim
        if claim is None:
            return
        if not claim.member_id:
            claim.member_id = self.subscriber_id
        for line in claim.lines:
            if line.service_date is None:
                line.service_date = claim.service_start
                line.service_end_date = line.service_end_date or claim.service_end
        self.claims.append(claim)
        self.claim = None
        self.line = None

    def _procedure(self, composite: str) -> tuple[str | None, str | None, list[str]]:
        """Split an SVC01 or SVC06 composite into qualifier, code and modifiers."""
        separator = self.component_separator
        if separator not in composite:
            match = _QUALIFIED_COMPOSITE.match(composite)
            if match:
                # Some payers use a component separator other than ISA16 here.
                separator = match.group(1)
                logger.warning(
                    "835 transaction %s: SVC composite uses %r, not ISA16 %r",
                    self.control_number,
                    separator,
                    self.component_separator,
                )
            else:
                return None, composite or None, []
        parts = [part.strip() for part in composite.split(separator)]
        modifiers = [part for part in parts[2:6] if part]
        code = parts[1] if len(parts) > 1 and parts[1] else None
        return parts[0] or None, code, modifiers

    def _adjustments(self, segment: list[str]) -> list[Adjustment]:
        """Return the up to six reason, amount and quantity triples of a CAS."""
        group = _element(segment, 1) or ""
        adjustments = []
        for reason_index in range(2, 20, 3):
            reason = _element(segment, reason_index)
            if reason:
                amount = self._amount(segment, reason_index + 1)
                adjustments.append(Adjustment(group, reason, amount))
        return adjustments

    def _amount(self, segment: list[str], index: int) -> Decimal | None:
        value = _element(segment, index)
        if value is None:
            return None
        # An X12 decimal (type R) has at most 15 digits plus a sign and a decimal
        # point, and never an exponent.
        if len(value) > 17 or not _AMOUNT.fullmatch(value):
            raise RemittanceError(
                f"Invalid amount {value!r} in {segment[0]}{index:02d} of "
                f"transaction {self.control_number}."
            )
        return Decimal(value)

    def _date(self, segment: list[str], index: int) -> date | None:
        value = _element(segment, index)
        if value is None:
            return None
        try:
            if len(value) != 8 or not value.isdigit():
                raise ValueError(value)
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            logger.warning(
                "835 transaction %s: invalid date in %s%02d ignored",
                self.control_number,
                segment[0],
                index,
            )
            return None


def _element(segment: list[str], index: int) -> str | None:
    """Return the element at index, or None when it is absent or empty."""
    if index < len(segment) and segment[index]:
        return segment[index]
    return None


def _city_line(segment: list[str]) -> str | None:
    city, state, postal_code = (_element(segment, index) for index in (1, 2, 3))
    if postal_code and len(postal_code) == 9 and postal_code.isdigit():
        postal_code = f"{postal_code[:5]}-{postal_code[5:]}"
    state_zip = " ".join(value for value in (state, postal_code) if value)
    parts = [value for value in (city, state_zip) if value]
    return ", ".join(parts) or None


def _is_patient_share(adjustment: Adjustment) -> bool:
    return adjustment.group == "PR" and adjustment.reason in PATIENT_SHARE_REASONS


def _money(amount: Decimal | None) -> str | None:
    if amount is None:
        return None
    return str(amount.quantize(_CENT, rounding=ROUND_HALF_UP))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _without_empty(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, [])}


def _line_case_dict(line: RemittanceLine) -> dict:
    values = _without_empty(
        {
            "code": line.code,
            "billed": _money(line.billed),
            "paid": _money(line.paid),
        }
    )
    values["modifiers"] = list(line.modifiers)
    if line.units and line.units == int(line.units) and 1 <= line.units <= 99:
        values["units"] = int(line.units)
    values["adjustments"] = [
        _without_empty(
            {
                "group": item.group,
                "reason": item.reason,
                "amount": _money(item.amount),
            }
        )
        for item in line.adjustments
    ]
    values["remarks"] = list(line.remarks)
    return values
