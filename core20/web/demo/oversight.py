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
  begun (once its quarter has ended, the site lead's home shows "quarterly return to
  submit", not yet overdue; while it runs, the draft is only begun).

The actions stamp "now"; ``_date_funding`` and ``_date_return`` then move those stamps back,
with plain updates of the date fields only (the audit events keep the real time), to when
this would have happened: the funding allocated in March before each financial year, the
template set up in the March before the first reported quarter, and for each reported
quarter the spend reported a few days after it ends, the return started a week after, its
answers saved, submitted about three weeks after the quarter ends (before it is due) and,
for the older one, accepted one to two weeks after that. The draft was started about ten
days ago, or three days after its quarter ended when that is earlier. Working days only: a
date at a weekend or on a bank holiday moves to the working day before (or after the step
before it, when it must).

Runs after the parts whose work the returns' prefilled figures count (connectors,
activities, insights, micro-grants) and after the outcomes part, so that the figures for the
site's target areas (how many, and the people living in them) are prefilled too rather than
"Not yet recorded in Core20 Connect". Leaves in ``world.made``:

- ``return_template``: the wave's ReturnTemplate;
- ``funding_allocations``: the FundingAllocations made;
- ``quarterly_returns``: {"accepted", "submitted", "draft"} -> QuarterlyReturn.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from core20.insights import calendar
from core20.oversight import actions, periods
from core20.oversight.models import (
    FundingAllocation,
    QuarterlyReturn,
    ReturnComment,
    ReturnTemplate,
    ReturnTransition,
    ReturnVersion,
    SpendReport,
)
from core20.web.demo import DemoWorld, at

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


# Days after a reported quarter ends when each step happened. Returns are due by the end of
# the month after the quarter (30 days or more), so both are submitted in time.
ACCEPTED_DAYS = {"spend": 3, "started": 8, "saved": 13, "submitted": 22, "reviewed": 31}
SUBMITTED_DAYS = {"spend": 4, "started": 7, "saved": 15, "submitted": 21}
# The time of day of each step (hour, minute).
TIMES = {
    "spend": (14, 5),
    "started": (9, 30),
    "saved": (15, 45),
    "submitted": (16, 20),
    "reviewed": (11, 10),
}


def _workday(day: date, *, after: date) -> date:
    """``day``, or the working day before it when it is a weekend or a bank holiday; when
    that is not after ``after`` (the step before), the first working day after that."""
    found = day
    while not calendar.is_working_day(found):
        found -= timedelta(days=1)
    return found if found > after else calendar.add_working_days(after, 1)


@dataclass(frozen=True)
class Steps:
    """When a return (and its quarter's spend report) went through each step."""

    started: datetime
    saved: datetime
    spend: datetime | None = None
    submitted: datetime | None = None
    reviewed: datetime | None = None


def _steps_after(quarter: tuple[int, int], days: dict[str, int]) -> Steps:
    """The steps for a reported quarter, ``days`` (as ``ACCEPTED_DAYS``) after it ended, each
    on a working day after the one before."""
    _, end = periods.quarter_bounds(*quarter)
    found: dict[str, datetime] = {}
    last = end
    for step, offset in days.items():
        last = _workday(end + timedelta(days=offset), after=last)
        found[step] = at(last, *TIMES[step])
    return Steps(**found)


def _draft_steps(world: DemoWorld, quarter: tuple[int, int]) -> Steps:
    """The draft: started ten days ago (a quarter still running is always over a month in,
    as the return before it was due at the end of its first month), or three days after its
    quarter ended when that is earlier; its summary begun two working days later."""
    start, end = periods.quarter_bounds(*quarter)
    started = min(max(start, world.today - timedelta(days=10)), end + timedelta(days=3))
    started = _workday(started, after=start - timedelta(days=1))
    saved = calendar.add_working_days(started, 2)  # a week at most: before today
    return Steps(started=at(started, *TIMES["started"]), saved=at(saved, *TIMES["saved"]))


def _date_return(qreturn: QuarterlyReturn, steps: Steps) -> QuarterlyReturn:
    """Move the return's stamps (its versions, transitions and the review's comment) to
    ``steps``: version 1 when started, version 2 when saved; the transitions started,
    submitted, reviewed."""
    versions = list(qreturn.versions.order_by("number").values_list("pk", flat=True))
    for pk, moment in zip(versions, (steps.started, steps.saved), strict=True):
        ReturnVersion.objects.filter(pk=pk).update(created_at=moment)
    moments = [m for m in (steps.started, steps.submitted, steps.reviewed) if m is not None]
    transitions = list(qreturn.transitions.order_by("pk").values_list("pk", flat=True))
    for pk, moment in zip(transitions, moments, strict=True):
        ReturnTransition.objects.filter(pk=pk).update(created_at=moment)
    if steps.reviewed is not None:
        ReturnComment.objects.filter(qreturn=qreturn).update(created_at=steps.reviewed)
    QuarterlyReturn.objects.filter(pk=qreturn.pk).update(
        created_at=steps.started,
        updated_at=moments[-1] if len(moments) > 1 else steps.saved,
        submitted_at=steps.submitted,
        reviewed_at=steps.reviewed,
    )
    return QuarterlyReturn.objects.get(pk=qreturn.pk)


def _date_funding(allocations, reports, template, *, made_template: bool) -> None:
    """Allocations in March before their financial year; the template (when made here) the
    March before the first reported quarter's year; spend reports at their quarter's step."""
    for allocation in allocations:
        march = date(allocation.financial_year, 3, 14)
        when = at(_workday(march, after=date(allocation.financial_year, 3, 1)), 11)
        FundingAllocation.objects.filter(pk=allocation.pk).update(created_at=when, updated_at=when)
    for report, steps in reports:
        SpendReport.objects.filter(pk=report.pk).update(
            reported_at=steps.spend, updated_at=steps.spend
        )
    if made_template:
        first_year = min(a.financial_year for a in allocations)
        march = date(first_year, 3, 24)
        when = at(_workday(march, after=date(first_year, 3, 1)), 14)
        ReturnTemplate.objects.filter(pk=template.pk).update(created_at=when)


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
    made_template = template is None
    if made_template:
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

    accepted_steps = _steps_after(before, ACCEPTED_DAYS)
    submitted_steps = _steps_after(last_due, SUBMITTED_DAYS)
    spent = Decimal(0)
    reports = []
    for (year, quarter), notes, steps in zip(
        (before, last_due), SPEND_NOTES, (accepted_steps, submitted_steps), strict=True
    ):
        report = actions.report_spend(
            site=site,
            financial_year=year,
            quarter=quarter,
            amount=_spend(world),
            notes=notes,
            by=lead,
        )
        spent += report.amount
        reports.append((report, steps))

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

    _date_funding(allocations, reports, template, made_template=made_template)
    accepted = _date_return(accepted, accepted_steps)
    submitted = _date_return(submitted, submitted_steps)
    draft = _date_return(draft, _draft_steps(world, after))

    world.made["return_template"] = ReturnTemplate.objects.get(pk=template.pk)
    world.made["funding_allocations"] = list(
        FundingAllocation.objects.filter(pk__in=[a.pk for a in allocations]).order_by("pk")
    )
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
