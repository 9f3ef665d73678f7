"""Demo funding and quarterly returns: the national team's allocation to the demo site, the
site lead's spend reports, and the site's quarterly returns at each stage of their workflow.

Through core20.oversight.actions only:

- the national admin sets up the demo site's wave's quarterly return template from the
  standard return (``create_template``, as the templates page does; skipped when the wave
  already has one) and allocates this financial year's funding (two lines: connector
  delivery and community micro-grants), and the year before's when the reported quarters
  fall in it;
- the site lead reports spend (``report_spend``) for the last quarter whose return is due
  and the quarter before it, so those returns' spend figures are prefilled;
- returns (``periods.last_due_quarter``): the quarter before the last due one is written,
  submitted and accepted by the national admin with a comment; the last due quarter's is
  written and submitted and waits for national review (the national admin's home shows
  "quarterly return to review"); the quarter after it is started as a draft with its summary
  begun (the site lead's home shows "quarterly return to submit", not yet overdue).

Runs last; the returns' prefilled figures count what the earlier parts made. Leaves in
``world.made``:

- ``return_template``: the wave's ReturnTemplate;
- ``funding_allocations``: the FundingAllocations made;
- ``quarterly_returns``: {"accepted", "submitted", "draft"} -> QuarterlyReturn.
"""

from decimal import Decimal

from core20.oversight import actions, periods
from core20.oversight.models import ReturnTemplate
from core20.web.demo import DemoWorld

TEMPLATE_INTRO = (
    "Tell us how the quarter went: what happened, what communities told you and what changed. "
    "Figures Core20 Connect already holds are filled in for you; check them before you submit."
)

ALLOCATIONS = (
    (
        Decimal("60000.00"),
        "Connector programme delivery",
        "Host organisation contract, connector payments and training.",
    ),
    (
        Decimal("8000.00"),
        "Community micro-grants",
        "For the site's micro-grant fund, decided by its community panel.",
    ),
)

SPEND_NOTES = (
    "Host organisation contract and connector payments for the quarter.",
    "Contract and connector payments, plus two training days for new connectors.",
)


def _answers(label: str, *, full: bool) -> dict[str, str]:
    """The site lead's written answers for a quarter (figures keep their prefilled values)."""
    summary = (
        f"In {label} our connectors ran community activities across Telford and Wrekin, "
        "mostly in the Core20 neighbourhoods of Woodside, Brookside, Sutton Hill and Malinslee. "
        "We passed what people told us about booking GP appointments and about health checks "
        "to Telford & Wrekin Council and to the practices, and the first micro-grants are "
        "paying for community-led sessions."
    )
    if not full:
        return {"summary": summary}
    return {
        "summary": summary,
        "what_went_well": (
            "Pairing connectors with the practices' health care assistants: blood pressure "
            "checks at community sessions reached people who had not had one for years."
        ),
        "challenges": (
            "Two connectors stepped back for personal reasons, and evening venues in Hadley "
            "are hard to find. The host organisation is recruiting and we are trying the "
            "library on Saturdays."
        ),
        "community_voice": (
            "People said the practice phone line was engaged every morning. The council and "
            "the primary care network now promote online booking at community sessions, and "
            "one practice has a call-back option."
        ),
        "next_quarter": (
            "Train the new connectors, hold the men's shed health MOT mornings and report back "
            "to communities on what changed (“you said, we did”)."
        ),
        "funding_note": "Spend is on plan. Micro-grant payments follow each award.",
    }


def _spend(world: DemoWorld) -> Decimal:
    pounds = 14000 + world.random.randrange(0, 3000)
    return Decimal(pounds) + Decimal(world.random.randrange(0, 100)) / 100


def load(world: DemoWorld) -> None:
    admin = world.users["national_admin"]
    lead = world.users["site_lead"]
    site = world.site
    this_year = periods.financial_year_of(world.today)
    last_due = periods.last_due_quarter(world.today)
    before = periods.previous_quarter(*last_due)
    after = (last_due[0], last_due[1] + 1) if last_due[1] < 4 else (last_due[0] + 1, 1)

    template = ReturnTemplate.objects.filter(wave_id=site.wave_id).first()
    if template is None:
        template = actions.create_template(wave=site.wave, intro=TEMPLATE_INTRO, by=admin)

    allocations = []
    for year in sorted({before[0], last_due[0], this_year}):
        for amount, purpose, notes in ALLOCATIONS:
            allocations.append(
                actions.create_allocation(
                    site=site,
                    data={
                        "financial_year": year,
                        "amount": amount,
                        "purpose": purpose,
                        "notes": notes,
                    },
                    by=admin,
                )
            )

    spent = Decimal(0)
    for (year, quarter), notes in zip((before, last_due), SPEND_NOTES, strict=True):
        report = actions.report_spend(
            site=site,
            financial_year=year,
            quarter=quarter,
            amount=_spend(world),
            notes=notes,
            by=lead,
        )
        spent += report.amount

    accepted = actions.start_return(site=site, financial_year=before[0], quarter=before[1], by=lead)
    actions.save_answers(
        qreturn=accepted, answers=_answers(accepted.period_label, full=True), by=lead
    )
    actions.submit_return(qreturn=accepted, by=lead)
    accepted = actions.review_return(
        qreturn=accepted,
        decision=actions.ACCEPT,
        comment=(
            "Thank you: a clear return. The change to booking at the practice is a good "
            "“you said, we did” story; we would like to use it in the programme update."
        ),
        by=admin,
    )

    submitted = actions.start_return(
        site=site, financial_year=last_due[0], quarter=last_due[1], by=lead
    )
    actions.save_answers(
        qreturn=submitted, answers=_answers(submitted.period_label, full=True), by=lead
    )
    submitted = actions.submit_return(qreturn=submitted, by=lead)

    draft = actions.start_return(site=site, financial_year=after[0], quarter=after[1], by=lead)
    draft = actions.save_answers(
        qreturn=draft, answers=_answers(draft.period_label, full=False), by=lead
    )

    world.made["return_template"] = template
    world.made["funding_allocations"] = allocations
    world.made["quarterly_returns"] = {
        "accepted": accepted,
        "submitted": submitted,
        "draft": draft,
    }
    allocated = sum((a.amount for a in allocations if a.financial_year == this_year), Decimal(0))
    world.summary.append(
        f"Funding and returns: £{allocated:,.2f} allocated for "
        f"{periods.year_label(this_year)}, £{spent:,.2f} spend reported over 2 quarters; "
        f"quarterly returns: {accepted.period_label} accepted, {submitted.period_label} "
        f"waiting for national review, {draft.period_label} in draft"
    )
