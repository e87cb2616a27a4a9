"""Tests for the 835 remittance reader on public sample files and inline 835s."""

import logging
import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from appeals.remittance import Adjustment, RemittanceError, parse_835

DATA = Path(__file__).parent / "data" / "835"

ISA = (
    "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    "*240105*1200*^*00501*000000001*0*P*:~"
)


def load(name):
    return parse_835((DATA / name).read_bytes())


def interchange(body, group="HP", version="005010X221A1"):
    """Wrap ST...SE segments in ISA/GS and GE/IEA."""
    return (
        f"{ISA}GS*{group}*SENDER*RECEIVER*20240105*1200*1*X*{version}~"
        f"{body}GE*1*1~IEA*1*000000001~"
    )


# Six reason/amount/quantity triples in one CAS: 100 + 200 + 50 + 40 + 60 + 40
# is the 490.00 that the payer did not pay on a 500.00 line.
SIX_TRIPLE_835 = interchange(
    "ST*835*0001~"
    "BPR*I*10*C*CHK************20240105~"
    "TRN*1*CHK100*1999999999~"
    "DTM*405*20240104~"
    "N1*PR*TEST PAYER*XV*55555~"
    "N3*PO BOX 1~"
    "N4*AUSTIN*TX*787010001~"
    "N1*PE*TEST CLINIC*XX*1234567893~"
    "LX*1~"
    "CLP*PCN1*1*500*10**12*ICN1~"
    "NM1*QC*1*DOE*JANE****MI*M123~"
    "NM1*82*1*SMITH*ANN****XX*1112223333~"
    "DTM*232*20240102~"
    "SVC*HC:93702:GP*500*10**1~"
    "DTM*472*20240102~"
    "CAS*CO*50*100**97*200*1*16*50**4*40**11*60**96*40*1~"
    "LQ*HE*N115~"
    "LQ*HE*M51~"
    "SE*19*0001~"
)


def test_managed_care_payer_and_claims():
    remittance = load("LinuxForHealth_x12__managed-care.835")
    assert remittance.payer.name == "RUSHMORE LIFE"
    # No N104 and no REF*2U, so TRN03 identifies the payer.
    assert remittance.payer.payer_id == "1935665544"
    assert remittance.payer.address == ("10 SOUTH AVENUE", "RAPID CITY, SD 55111")
    assert remittance.payee.name == "ACME MEDICAL CENTER"
    assert remittance.payee.npi == "5544667733"
    assert len(remittance.claims) == 2


def test_managed_care_invalid_bpr16_date():
    remittance = load("LinuxForHealth_x12__managed-care.835")
    # BPR16 is 20002316, month 23.
    assert remittance.check_date is None
    assert remittance.production_date == date(2002, 3, 14)


def test_managed_care_second_claim():
    claim = load("LinuxForHealth_x12__managed-care.835").claims[1]
    assert claim.patient_control_number == "8765432112"
    assert claim.payer_claim_number == "94077799230000"
    assert claim.status_code == "1"
    assert claim.status == "Processed as Primary"
    assert claim.billed == Decimal("1200.00")
    assert claim.paid == Decimal("495.00")
    assert claim.patient_name == "SETTLE, SUSAN"
    assert claim.member_id == "44455666610"
    assert claim.adjustments == [Adjustment("CO", "A2", Decimal("55.00"))]
    line = claim.lines[0]
    assert line.qualifier == "HC"
    assert line.code == "93555"
    assert line.service_date == date(2002, 3, 10)
    assert line.service_end_date == date(2002, 3, 12)
    assert line.adjustments == [
        Adjustment("PR", "1", Decimal("600.00")),
        Adjustment("CO", "45", Decimal("50.00")),
    ]


def test_managed_care_deductible_only_line():
    claims = load("LinuxForHealth_x12__managed-care.835").claims
    # The first claim's only line has PR-1 (deductible) and nothing else.
    assert claims[0].lines[0].adjustments == [Adjustment("PR", "1", Decimal("300.00"))]
    assert claims[0].denied_lines() == []
    assert claims[1].denied_lines() == [claims[1].lines[0]]


def test_medicare_part_a_claim_level():
    remittance = load("LinuxForHealth_x12__medicare-part-a.835")
    assert remittance.payer.name == "INSURANCE COMPANY OF TIMBUCKTU"
    assert remittance.payer.payer_id == "999"
    assert remittance.payee.npi == "6543210903"
    assert remittance.check_date == date(2002, 9, 13)
    assert remittance.production_date == date(2002, 9, 16)
    first, second = remittance.claims
    assert first.patient_control_number == "666123"
    assert first.billed == Decimal("211366.97")
    assert first.paid == Decimal("138018.40")
    assert first.adjustments == [Adjustment("CO", "45", Decimal("73348.57"))]
    assert first.service_start == date(2002, 8, 16)
    assert first.service_end == date(2002, 8, 24)
    assert first.member_id == "666666666A"
    assert first.lines == []
    assert second.remarks == ["MA02"]
    assert second.patient_name == "BORDER, LIZ"


def test_secondary_payment_component_mismatch():
    remittance = load("LinuxForHealth_x12__secondary-payment.835")
    assert remittance.payer.name == "YOUR TAX DOLLARS AT WORK"
    # N1*PE carries an FI tax id, not an XX NPI.
    assert remittance.payee.npi is None
    claim = remittance.claims[1]
    assert claim.patient_control_number == "0001000053"
    assert claim.payer_claim_number == "05630626430"
    assert claim.status == "Processed as Secondary"
    # NM1*82 carries a BS id, not an XX NPI.
    assert claim.rendering_npi is None
    first, second = claim.lines
    # SVC01 is HC>12345>26 while ISA16 is ":".
    assert first.code == "12345"
    assert first.modifiers == ["26"]
    assert first.units == Decimal("1.00")
    assert first.adjustments == [Adjustment("OA", "23", Decimal("136.50"))]
    assert second.code == "66543"
    assert second.billed == Decimal("585.00")
    assert second.paid == Decimal("280.00")
    assert second.service_date == date(2005, 1, 6)
    assert second.adjustments == [
        Adjustment("PR", "1", Decimal("150.00")),
        Adjustment("PR", "2", Decimal("70.00")),
        Adjustment("CO", "42", Decimal("85.00")),
    ]


def test_nevada_unpadded_isa_three_transactions():
    remittance = load("affect-therapeutics_edi-835-parser__nevada_medicaid.txt")
    assert [item.control_number for item in remittance.transactions] == [
        "0001",
        "0002",
        "0003",
    ]
    assert remittance.payer.name == "DIVISON OF HEALTH CARE FINANCING AND POLICY"
    assert [item.payee.name for item in remittance.transactions] == [
        "SUMMER",
        "VALLEY",
        "SILVER",
    ]
    assert remittance.transactions[2].claims == []
    assert remittance.transactions[2].check_date == date(2018, 7, 27)
    assert len(remittance.claims) == 3


def test_nevada_denied_claim():
    remittance = load("affect-therapeutics_edi-835-parser__nevada_medicaid.txt")
    claim = remittance.claims[0]
    assert claim.patient_control_number == "77777777"
    assert claim.payer_claim_number == "6666666666666"
    assert claim.status_code == "4"
    assert claim.status == "Denied"
    assert claim.billed == Decimal("72232")
    assert claim.paid == Decimal("0")
    assert claim.adjustments == [
        Adjustment("OA", "147", Decimal("50016")),
        Adjustment("CO", "26", Decimal("22216")),
    ]
    assert claim.member_id == "77777777777"
    assert claim.payee.name == "SUMMER"
    assert claim.is_denied()
    assert remittance.claims[2].payee.name == "VALLEY"


def test_mult_loops_remarks():
    remittance = load("azoner_pyx12__835_mult_loops.txt")
    assert remittance.payer.name == "PAYER"
    assert remittance.payer.address == ("P.O. BOX 30479", "LANSING, MI 48909")
    claim = remittance.claims[0]
    assert claim.patient_control_number == "2005555A"
    assert claim.status == "Denied"
    assert claim.billed == Decimal("915.39")
    line = claim.lines[0]
    assert line.code == "T1005"
    assert line.billed == Decimal("500.04")
    assert line.units == Decimal("68")
    assert line.service_date == date(2003, 11, 29)
    assert line.adjustments == [Adjustment("CO", "16", Decimal("500.04"))]
    assert [item.remarks for item in claim.lines] == [["N14"], ["N14"], ["N14"]]
    assert claim.lines[2].adjustments == [Adjustment("OA", "A7", Decimal("287.55"))]
    # No DTM*232, so the claim's date is its earliest line date.
    assert claim.service_date == date(2003, 10, 30)


def test_4010_reversal_negative_amounts():
    remittance = load("azoner_pyx12__x12testdata.py-835id.txt")
    assert remittance.payer.name == "Payer 1"
    assert remittance.payee.name == "Provider 1"
    reversal = remittance.claims[0]
    assert reversal.patient_control_number == "123839-24635"
    assert reversal.payer_claim_number == "6363451"
    assert reversal.status == "Reversal of Previous Payment"
    assert reversal.billed == Decimal("-310")
    assert reversal.paid == Decimal("-210")
    assert reversal.patient_name == "Flintstone, Fred"
    assert reversal.lines[0].adjustments == [Adjustment("CR", "45", Decimal("-100"))]
    assert remittance.claims[2].lines[0].modifiers == ["TG"]


def test_united_two_triple_cas():
    remittance = load(
        "keironstoddart_edi-835-parser__united_healthcare_legacy_sample.txt"
    )
    assert remittance.payer.name == "UNITED HEALTHCARE INSURANCE COMPANY"
    assert remittance.payer.payer_id == "87726"
    assert remittance.payer.address == ("9900 BREN ROAD", "MINNETONKA, MN 55343-9664")
    assert remittance.payee.npi == "1922164458"
    claim = remittance.claims[1]
    assert claim.patient_control_number == "001-18604-358"
    assert claim.payer_claim_number == "ATL2819897800"
    assert claim.member_id == "234567890"
    assert claim.service_start == date(2020, 12, 18)
    assert claim.service_end == date(2021, 1, 10)
    line = claim.lines[2]
    # ISA16 is ">" in this file.
    assert line.code == "B4154"
    assert line.billed == Decimal("328.5")
    assert line.paid == Decimal("29.05")
    assert line.units == Decimal("178")
    assert line.adjustments == [
        Adjustment("PR", "2", Decimal("5.13")),
        Adjustment("PR", "1", Decimal("110")),
        Adjustment("CO", "45", Decimal("184.32")),
    ]
    # The B4034 line has no CAS at all.
    assert claim.denied_lines() == [claim.lines[0], claim.lines[2]]


def check_emedny(remittance):
    assert remittance.payer.name == "NYSDOH"
    assert remittance.payer.address == (
        "OFFICE OF HEALTH INSURANCE PROGRAMS",
        "CORNING TOWER, EMPIRE STATE PLAZA",
        "ALBANY, NY 12237-0080",
    )
    assert remittance.payee.npi == "9999999995"
    first, second, third = remittance.claims
    assert first.lines[0].code == "V2020"
    assert first.lines[0].modifiers == ["RB"]
    assert not first.is_denied()
    assert second.payer_claim_number == "1000220000000020"
    assert second.member_id == "LL88888L"
    assert second.paid == Decimal("0")
    assert second.lines[0].adjustments == [Adjustment("CO", "29", Decimal("12"))]
    assert third.payer_claim_number == "1000230000000020"
    assert third.lines[1].service_date == date(2013, 9, 17)
    line = third.lines[2]
    assert line.code == "V2700"
    assert line.adjustments == [Adjustment("CO", "251", Decimal("2.75"))]
    assert line.remarks == ["N206"]
    assert third.denied_lines() == [third.lines[2], third.lines[3]]


def test_emedny_timely_filing():
    check_emedny(load("keironstoddart_edi-835-parser__emedny_sample.txt"))


def test_newline_terminated_segments():
    remittance = load("tastypackets_x12-parser__multi-line-not-delimited.edi")
    check_emedny(remittance)
    assert len(remittance.claims[2].lines) == 4


def test_bare_transaction_rejected():
    data = (
        DATA / "keironstoddart_edi-835-parser__blue_cross_nc_sample.txt"
    ).read_text()
    with pytest.raises(RemittanceError, match="ISA"):
        parse_835(data)


def test_blue_cross_in_envelope():
    body = (
        DATA / "keironstoddart_edi-835-parser__blue_cross_nc_sample.txt"
    ).read_text()
    remittance = parse_835(interchange(body))
    assert remittance.payer.name == "BLUE CROSS AND BLUE SHIELD OF NORTH CAROLINA"
    assert remittance.payee.npi == "0987654321"
    claim = remittance.claims[0]
    assert claim.patient_control_number == "200200964A52"
    assert claim.payer_claim_number == "94151100100"
    assert claim.billed == Decimal("2100")
    assert claim.paid == Decimal("1922.86")
    assert claim.member_id == "YPB123456789001"
    first, second, third = claim.lines
    assert first.code == "59430"
    assert first.original_code == "59410"
    assert first.adjustments == [
        Adjustment("CO", "42", Decimal("34.6")),
        Adjustment("PR", "2", Decimal("117.54")),
    ]
    assert second.adjustments == [Adjustment("PR", "3", Decimal("25"))]
    # SVC*HC:59426******742*742**1 has empty SVC02 to SVC06.
    assert third.code == "59426"
    assert third.billed is None
    assert third.paid is None
    assert third.service_date == date(2010, 12, 31)
    assert claim.denied_lines() == [first]


def test_six_triple_cas():
    line = parse_835(SIX_TRIPLE_835).claims[0].lines[0]
    assert line.adjustments == [
        Adjustment("CO", "50", Decimal("100")),
        Adjustment("CO", "97", Decimal("200")),
        Adjustment("CO", "16", Decimal("50")),
        Adjustment("CO", "4", Decimal("40")),
        Adjustment("CO", "11", Decimal("60")),
        Adjustment("CO", "96", Decimal("40")),
    ]


def test_patient_responsibility_denial():
    # PR with a CARC other than 1, 2 or 3 (204: not covered under the benefit
    # plan) is a denial that the patient owes, so the line is still worth a look.
    text = SIX_TRIPLE_835.replace(
        "CAS*CO*50*100**97*200*1*16*50**4*40**11*60**96*40*1~",
        "CAS*PR*3*15~CAS*PR*204*475~",
    )
    claim = parse_835(text).claims[0]
    assert claim.lines[0].adjustments == [
        Adjustment("PR", "3", Decimal("15")),
        Adjustment("PR", "204", Decimal("475")),
    ]
    assert claim.denied_lines() == [claim.lines[0]]


def test_copay_only_not_denied():
    text = SIX_TRIPLE_835.replace(
        "CAS*CO*50*100**97*200*1*16*50**4*40**11*60**96*40*1~",
        "CAS*PR*3*490~",
    )
    claim = parse_835(text).claims[0]
    assert claim.denied_lines() == []
    assert not claim.is_denied()


def test_inline_claim_fields():
    claim = parse_835(SIX_TRIPLE_835).claims[0]
    assert claim.payer.payer_id == "55555"
    assert claim.rendering_npi == "1112223333"
    assert claim.lines[0].remarks == ["N115", "M51"]
    assert claim.lines[0].modifiers == ["GP"]


def test_case_dict_shape():
    case = parse_835(SIX_TRIPLE_835).claims[0].to_case_dict()
    assert case == {
        "payer": {
            "name": "TEST PAYER",
            "payer_id": "55555",
            "address": ["PO BOX 1", "AUSTIN, TX 78701-0001"],
        },
        "patient": {"name": "DOE, JANE", "member_id": "M123"},
        "claim": {
            "number": "ICN1",
            "service_date": "2024-01-02",
            "lines": [
                {
                    "code": "93702",
                    "modifiers": ["GP"],
                    "units": 1,
                    "billed": "500.00",
                    "paid": "10.00",
                    "adjustments": [
                        {"group": "CO", "reason": "50", "amount": "100.00"},
                        {"group": "CO", "reason": "97", "amount": "200.00"},
                        {"group": "CO", "reason": "16", "amount": "50.00"},
                        {"group": "CO", "reason": "4", "amount": "40.00"},
                        {"group": "CO", "reason": "11", "amount": "60.00"},
                        {"group": "CO", "reason": "96", "amount": "40.00"},
                    ],
                    "remarks": ["N115", "M51"],
                }
            ],
        },
    }


def test_case_dict_omits_unknown():
    text = interchange(
        "ST*835*0002~"
        "BPR*H*0*C*NON************20240105~"
        "TRN*1*0*1999999999~"
        "N1*PR*TEST PAYER~"
        "N1*PE*TEST CLINIC*FI*999999999~"
        "LX*1~"
        "CLP*PCN2*1*100*0**12~"
        "SVC*HC:97161******100*100**1~"
        "SE*9*0002~"
    )
    case = parse_835(text).claims[0].to_case_dict()
    assert case["payer"] == {"name": "TEST PAYER", "payer_id": "1999999999"}
    assert case["patient"] == {}
    assert case["claim"] == {
        "lines": [{"code": "97161", "modifiers": [], "adjustments": [], "remarks": []}]
    }


def test_str_input_accepted():
    text = (DATA / "azoner_pyx12__835_mult_loops.txt").read_text()
    assert parse_835(text).claims[0].patient_control_number == "2005555A"


def test_two_interchanges():
    text = (DATA / "azoner_pyx12__835_mult_loops.txt").read_text()
    remittance = parse_835(text + text)
    assert len(remittance.transactions) == 2
    assert len(remittance.claims) == 2


def test_reject_empty():
    with pytest.raises(RemittanceError, match="empty"):
        parse_835(b"")


def test_reject_whitespace_only():
    with pytest.raises(RemittanceError, match="empty"):
        parse_835(b" \r\n\n")


def test_reject_837():
    claim_file = interchange(
        "ST*837*0001*005010X222A1~BHT*0019*00*1*20240105*1200*CH~SE*3*0001~",
        group="HC",
        version="005010X222A1",
    )
    with pytest.raises(RemittanceError, match="Not an 835 remittance file") as error:
        parse_835(claim_file.encode("ascii"))
    assert "837" in str(error.value)


def test_reject_random_bytes():
    data = random.Random(835).randbytes(4096)
    with pytest.raises(RemittanceError, match="binary"):
        parse_835(data)


def test_reject_control_character():
    data = (DATA / "azoner_pyx12__835_mult_loops.txt").read_bytes()
    data = data.replace(b"BACH", b"BA\x07CH")
    with pytest.raises(RemittanceError, match="binary"):
        parse_835(data)


def test_reject_too_large():
    data = (DATA / "azoner_pyx12__835_mult_loops.txt").read_bytes()
    assert parse_835(data, max_bytes=len(data)).claims
    with pytest.raises(RemittanceError, match="larger than"):
        parse_835(data, max_bytes=len(data) - 1)


def test_reject_too_large_str():
    text = SIX_TRIPLE_835.replace("JANE", "JANÉ")
    # "É" is two bytes in UTF-8, so the text is one byte over its length.
    with pytest.raises(RemittanceError, match="larger than"):
        parse_835(text, max_bytes=len(text))


def test_reject_missing_isa():
    text = SIX_TRIPLE_835[len(ISA) :]
    assert text.startswith("GS*HP")
    with pytest.raises(RemittanceError, match="ISA"):
        parse_835(text)


def test_reject_truncated():
    data = (DATA / "LinuxForHealth_x12__managed-care.835").read_bytes()
    with pytest.raises(RemittanceError, match="truncated"):
        parse_835(data[:500])


def test_reject_truncated_isa():
    with pytest.raises(RemittanceError, match="ISA header"):
        parse_835(ISA[:60])


def test_reject_invalid_amount():
    text = SIX_TRIPLE_835.replace("CLP*PCN1*1*500*", "CLP*PCN1*1*5E2*")
    with pytest.raises(RemittanceError, match="Invalid amount '5E2' in CLP03"):
        parse_835(text)


def test_se_count_mismatch_logged(caplog):
    body = (
        DATA / "keironstoddart_edi-835-parser__blue_cross_nc_sample.txt"
    ).read_text()
    parse_835(interchange(body))
    # SE01 is 33, but ST through SE is 32 segments.
    assert "SE01 is 33 but it has 32 segments" in caplog.text


def test_log_has_no_patient_data(caplog):
    caplog.set_level(logging.DEBUG, logger="appeals.remittance")
    load("LinuxForHealth_x12__managed-care.835")
    load("LinuxForHealth_x12__secondary-payment.835")
    assert "112233" in caplog.text
    for value in ("BUDD", "WILLIAM", "33344555510", "BAKI", "456789123"):
        assert value not in caplog.text
