"""Sources that letter pieces, rules, deadlines and fee tables rest on.

Each letter piece names the source ids it relies on; ``docs/sources.md`` lists the
same ids for reviewers, and a test keeps the two in step.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A citable source: what it is, where to find it, and whether it is official."""

    id: str
    title: str
    where: str
    official: bool
    citation: str = ""  # text printed in a letter when the letter cites it


_GUIDE = (
    "ImpediMed, L-Dex 2020 Reimbursement Guide and L-Dex 2020 Physical and "
    "Occupational Therapy Reimbursement Guide"
)

SOURCES: dict[str, Source] = {
    source.id: source
    for source in (
        Source(
            "G1",
            f"{_GUIDE}: intended use (surveillance from a pre-surgical baseline)",
            "Vendor reimbursement guide, 2020 edition, introduction",
            official=False,
        ),
        Source(
            "G2",
            f"{_GUIDE}: FDA-cleared indications for use of SOZO with L-Dex",
            "Vendor reimbursement guide, 2020 edition, FAQ on indications for use",
            official=False,
        ),
        Source(
            "G3",
            f"{_GUIDE}: CPT 93702 effective 1 January 2015; coverage varies",
            "Vendor reimbursement guide, 2020 edition, FAQ on payers",
            official=False,
        ),
        Source(
            "G4",
            f"{_GUIDE}: no physician-work RVU; same-day E/M with modifier 25",
            "Vendor reimbursement guide, 2020 edition, FAQ on E/M billing",
            official=False,
        ),
        Source(
            "G5",
            f"{_GUIDE}: trained personnel (PA, MA, PT, RN) may perform 93702",
            "Vendor reimbursement guide, 2020 edition, FAQ on provider type",
            official=False,
        ),
        Source(
            "G6",
            f"{_GUIDE}: physical therapists billing 93702",
            "Vendor reimbursement guide, 2020 edition, FAQ on physical therapists",
            official=False,
        ),
        Source(
            "G7",
            f"{_GUIDE}: PT/OT evaluation on the same day as 93702",
            "PT/OT reimbursement guide, 2020 edition, FAQ on evaluations",
            official=False,
        ),
        Source(
            "G8",
            f"{_GUIDE}: 93702 is not a physical therapy code (therapy cap)",
            "PT/OT reimbursement guide, 2020 edition, FAQ on the therapy cap",
            official=False,
        ),
        Source(
            "G9",
            f"{_GUIDE}: diagnosis codes used with L-Dex",
            "Vendor reimbursement guide, 2020 edition, FAQ on diagnosis codes",
            official=False,
        ),
        Source(
            "G10",
            f"{_GUIDE}: 2020 Medicare national payment amounts",
            "Vendor reimbursement guide, 2020 edition, payment table; CMS CY2020 "
            "PFS final rule CMS-1715-F (conversion factor 36.0896); CMS CY2020 "
            "OPPS final rule CMS-1717-FC",
            official=False,
        ),
        Source(
            "G11",
            f"{_GUIDE}: find out why a claim was denied, then resubmit or appeal",
            "Vendor reimbursement guide, 2020 edition, FAQ on denials",
            official=False,
        ),
        Source(
            "CMS-REDETERMINATION",
            "CMS, Redetermination by a Medicare Administrative Contractor",
            "https://www.cms.gov/Medicare/Appeals-and-Grievances/OrgMedFFSAppeals/"
            "RedeterminationbyaMedicareContractor.html",
            official=True,
        ),
        Source(
            "CMS-RECONSIDERATION",
            "CMS, Reconsideration by a Qualified Independent Contractor; "
            "42 CFR 405.962",
            "https://www.cms.gov/Medicare/Appeals-and-Grievances/OrgMedFFSAppeals/"
            "ReconsiderationbyaQualifiedIndependentContractor.html",
            official=True,
        ),
        Source(
            "CFR-405.980",
            "42 CFR 405.980 (reopenings; clerical errors) and Medicare Claims "
            "Processing Manual chapter 34, section 10.6 (one-year limit)",
            "https://www.law.cornell.edu/cfr/text/42/405.980 ; MAC reopening pages "
            "(CGS, WPS, Novitas) stating that a reopening does not extend the "
            "appeal deadline",
            official=True,
        ),
        Source(
            "CMS-MA-RECONSIDERATION",
            "CMS Parts C and D enrollee grievances, organization determinations "
            "and appeals guidance, effective 1 January 2025 (65-day window; "
            "60 days before 2025)",
            "https://www.cms.gov/Medicare/Appeals-and-Grievances/MMCAG/"
            "PartCRecon.html ; https://www.nebraskablue.com/Providers/"
            "Policies-and-Procedures/Medicare-Advantage/Non-Contracted-Provider-"
            "Appeals",
            official=True,
        ),
        Source(
            "CFR-438.402",
            "42 CFR 438.402 (Medicaid managed care appeals; the state sets the "
            "filing window)",
            "http://laws9.com/cfr/text/42/438/402 (older text)",
            official=True,
        ),
        Source(
            "HEALTHCARE-GOV-APPEALS",
            "HealthCare.gov, Internal appeals and External review",
            "https://www.healthcare.gov/appeal-insurance-company-decision/"
            "internal-appeals/ ; https://www.healthcare.gov/"
            "appeal-insurance-company-decision/external-review/",
            official=True,
        ),
        Source(
            "WHCRA",
            "Women's Health and Cancer Rights Act of 1998 (29 U.S.C. 1185b; "
            "42 U.S.C. 300gg-27), as applied in BCBS Alabama and Florida medical "
            "policy MP-438",
            "https://fl-policies.exploremyplan.com/portal/web/medical-policies/-/"
            "mp-438",
            official=True,
        ),
        Source(
            "CMS-PFS",
            "CMS National Physician Fee Schedule Relative Value Files, CY2021 to "
            "CY2025, and the conversion factors of each year's final rule",
            "CMS PPRRVU files (2022 and 2023 read directly); conversion factors "
            "from ASCO, ISASS and DecisionHealth summaries of the final rules",
            official=True,
        ),
        Source(
            "X12-CODES",
            "X12 Claim Adjustment Reason Codes, Group Codes and Remittance Advice "
            "Remark Codes",
            "https://x12.org/codes ; code texts as copied in OpenEMR "
            "src/Billing/BillingUtilities.php",
            official=True,
        ),
        Source(
            "NCCI-MOD25",
            "Modifier 25 and NCCI procedure-to-procedure edits (Independence Blue "
            "Cross provider news; First Coast Service Options CO-236 guidance)",
            "https://medicare.fcso.com/faqs/answers/225076.asp",
            official=True,
        ),
        Source(
            "PREVENT-2022",
            "Ridner SH et al., PREVENT randomized trial, final results",
            "https://pmc.ncbi.nlm.nih.gov/articles/PMC9810346",
            official=True,
            citation=(
                "Ridner SH, Dietrich MS, Boyages J, et al. A Comparison of "
                "Bioimpedance Spectroscopy or Tape Measure Triggered Compression "
                "Intervention in Chronic Breast Cancer Lymphedema Prevention. "
                "Lymphatic Research and Biology. 2022;20(6):618-628. "
                "doi:10.1089/lrb.2021.0084"
            ),
        ),
        Source(
            "DISIPIO-2013",
            "DiSipio T et al., incidence of unilateral arm lymphoedema after "
            "breast cancer, systematic review and meta-analysis",
            "https://www.thelancet.com/journals/lanonc/article/"
            "PIIS1470-2045(13)70076-7/fulltext",
            official=True,
            citation=(
                "DiSipio T, Rye S, Newman B, Hayes S. Incidence of unilateral arm "
                "lymphoedema after breast cancer: a systematic review and "
                "meta-analysis. Lancet Oncology. 2013;14(6):500-515."
            ),
        ),
        Source(
            "NLN-2013",
            "National Lymphedema Network position paper, Screening and "
            "Measurement for Early Detection of Breast Cancer Related Lymphedema "
            "(updated December 2013)",
            "https://www.lymphnet.org/resources/position-paper-screening-and-"
            "measurement-for-early-detection-of-breast-cancer-related",
            official=True,
            citation=(
                "National Lymphedema Network Medical Advisory Committee. Position "
                "Statement: Screening and Measurement for Early Detection of "
                "Breast Cancer Related Lymphedema. Updated December 2013."
            ),
        ),
    )
}


def source_ids() -> list[str]:
    """Return every source id, in registry order."""
    return list(SOURCES)
