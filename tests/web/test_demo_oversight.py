"""The demo's funding and quarterly returns (core20/web/demo/oversight.py): the national
allocation, the site lead's spend reports, and returns accepted, waiting for review and in
draft, with what the national admin and the site lead then find waiting."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.insights.calendar import is_working_day
from core20.oversight import periods
from core20.oversight.models import (
    FundingAllocation,
    QuarterlyReturn,
    ReturnComment,
    ReturnTemplate,
    SpendReport,
)
from core20.web.dashboard import dashboard_for
from core20.web.demo import oversight
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

Status = QuarterlyReturn.Status


@pytest.fixture
def loaded(demo_world):
    oversight.load(demo_world)
    return demo_world


def page(user, url: str) -> int:
    client = Client()
    sign_in(client, user)
    return client.get(url).status_code


def the_quarters(today):
    last_due = periods.last_due_quarter(today)
    before = periods.previous_quarter(*last_due)
    after = (last_due[0], last_due[1] + 1) if last_due[1] < 4 else (last_due[0] + 1, 1)
    return before, last_due, after


def test_the_national_admin_sets_up_the_template_and_this_years_funding(loaded):
    admin = loaded.users["national_admin"]
    template = ReturnTemplate.objects.get()
    assert template == loaded.made["return_template"]
    assert template.wave == loaded.site.wave and template.created_by == admin
    assert template.questions.filter(key="summary", required=True).exists()
    this_year = periods.financial_year_of(loaded.today)
    allocated = FundingAllocation.objects.filter(site=loaded.site, financial_year=this_year)
    assert sorted(a.amount for a in allocated) == [Decimal("8000.00"), Decimal("60000.00")]
    assert {a.created_by for a in FundingAllocation.objects.all()} == {admin}
    assert loaded.made["funding_allocations"] == list(FundingAllocation.objects.order_by("pk"))


def test_an_existing_template_is_used_not_replaced(demo_world):
    from core20.oversight import actions

    template = actions.create_template(
        wave=demo_world.site.wave, intro="Ours", by=demo_world.users["national_admin"]
    )
    oversight.load(demo_world)
    assert list(ReturnTemplate.objects.all()) == [template]
    assert QuarterlyReturn.objects.filter(template=template).count() == 3


def test_the_site_lead_reports_spend_and_writes_returns(loaded):
    lead = loaded.users["site_lead"]
    before, last_due, after = the_quarters(loaded.today)
    reports = SpendReport.objects.filter(site=loaded.site)
    assert {(r.financial_year, r.quarter) for r in reports} == {before, last_due}
    assert all(Decimal("14000") <= r.amount < Decimal("17000") for r in reports)
    assert {r.reported_by for r in reports} == {lead}
    # Every financial year with spend has its allocation: no false overspend.
    for year in {r.financial_year for r in reports}:
        assert FundingAllocation.objects.filter(site=loaded.site, financial_year=year).exists()

    returns = {
        (r.financial_year, r.quarter): r for r in QuarterlyReturn.objects.filter(site=loaded.site)
    }
    assert {k: r.status for k, r in returns.items()} == {
        before: Status.ACCEPTED,
        last_due: Status.SUBMITTED,
        after: Status.DRAFT,
    }
    made = loaded.made["quarterly_returns"]
    assert {k: (r.pk, r.status, r.answers) for k, r in made.items()} == {
        "accepted": (returns[before].pk, Status.ACCEPTED, returns[before].answers),
        "submitted": (returns[last_due].pk, Status.SUBMITTED, returns[last_due].answers),
        "draft": (returns[after].pk, Status.DRAFT, returns[after].answers),
    }
    for qreturn in returns.values():
        assert qreturn.created_by == lead
        assert "Core20 neighbourhoods" in qreturn.answers["summary"]
    # The spend reported was prefilled into the return for its quarter.
    spent = SpendReport.objects.get(financial_year=last_due[0], quarter=last_due[1])
    assert returns[last_due].answers["spend_this_quarter"] == str(spent.amount)
    assert returns[last_due].answers["challenges"]
    assert returns[after].answers["challenges"] is None  # the draft is only begun
    assert not returns[after].is_overdue(loaded.today)
    accepted = returns[before]
    assert [str(t) for t in accepted.transitions.all()] == [
        "Started as draft",
        "Draft → Submitted",
        "Submitted → Accepted",
    ]
    comment = ReturnComment.objects.get()
    assert comment.qreturn == accepted and comment.by_national_team
    assert comment.created_by == loaded.users["national_admin"]


def test_every_step_is_audited(loaded):
    admin, lead = loaded.users["national_admin"], loaded.users["site_lead"]

    def summaries(user, object_type):
        return list(
            AuditEvent.objects.filter(actor_id=user.pk, object_type=object_type)
            .order_by("pk")
            .values_list("summary", flat=True)
        )

    assert len(summaries(admin, "oversight.ReturnTemplate")) == 1
    assert len(summaries(admin, "oversight.FundingAllocation")) == len(
        loaded.made["funding_allocations"]
    )
    assert len(summaries(lead, "oversight.SpendReport")) == 2
    before, last_due, after = (periods.quarter_label(*q) for q in the_quarters(loaded.today))
    assert summaries(lead, "oversight.QuarterlyReturn") == [
        f"Started the return for {before}",
        f"Saved version 2 of the return for {before}",
        f"Submitted the return for {before}",
        f"Started the return for {last_due}",
        f"Saved version 2 of the return for {last_due}",
        f"Submitted the return for {last_due}",
        f"Started the return for {after}",
        f"Saved version 2 of the return for {after}",
    ]
    assert summaries(admin, "oversight.QuarterlyReturn") == [f"Accepted the return for {before}"]


def test_the_national_admin_and_the_site_lead_find_work_waiting(loaded):
    def waiting(role):
        return [w.text for w in dashboard_for(loaded.users[role]).waiting]

    assert "1 quarterly return to review" in waiting("national_admin")
    _, last_due, after = the_quarters(loaded.today)
    # The draft waits for the site lead once its quarter has ended (until then it is only
    # begun: returns report on a finished quarter).
    draft_ready = after <= periods.last_submittable_quarter(loaded.today)
    assert ("1 quarterly return to submit" in waiting("site_lead")) == draft_ready
    (line,) = loaded.summary
    assert line.startswith("Funding and returns: £68,000.00 allocated for ")
    assert f"{periods.quarter_label(*last_due)} waiting for national review" in line


def test_the_pages_open(loaded):
    admin, lead = loaded.users["national_admin"], loaded.users["site_lead"]
    slug = loaded.site.slug
    made = loaded.made["quarterly_returns"]
    for url in (
        reverse("oversight:dashboard"),
        reverse("oversight:return-list") + "?status=submitted",
        reverse("oversight:return-review", args=[made["submitted"].pk]),
        reverse("oversight:funding-summary"),
        reverse("oversight:template-detail", args=[loaded.site.wave_id]),
    ):
        assert page(admin, url) == 200, url
    for url in (
        reverse("oversight:site-returns", args=[slug]),
        reverse("oversight:site-funding", args=[slug]),
        reverse("oversight:spend-report", args=[slug]),
        reverse("oversight:return-edit", args=[made["draft"].pk]),
        *(reverse("oversight:return-detail", args=[r.pk]) for r in made.values()),
    ):
        assert page(lead, url) == 200, url


def _day(moment) -> date:
    return timezone.localdate(moment)


def test_the_dates_follow_the_quarters_and_none_is_in_the_future(loaded):
    now, today = timezone.now(), timezone.localdate()
    before, last_due, after = the_quarters(loaded.today)
    made = loaded.made["quarterly_returns"]
    for key, quarter in (("accepted", before), ("submitted", last_due)):
        qreturn = QuarterlyReturn.objects.get(pk=made[key].pk)
        _, end = periods.quarter_bounds(*quarter)
        spend = SpendReport.objects.get(financial_year=quarter[0], quarter=quarter[1])
        first, second = qreturn.versions.order_by("number")
        transitions = list(qreturn.transitions.order_by("pk"))
        # Spend reported after the quarter ended, then the return started, saved, submitted
        # in the weeks after (before it was due), and accepted a week or two after that.
        steps = [spend.reported_at, qreturn.created_at, second.created_at, qreturn.submitted_at]
        assert end < _day(spend.reported_at)
        assert steps == sorted(steps) and len(set(steps)) == len(steps)
        assert spend.updated_at == spend.reported_at
        assert first.created_at == transitions[0].created_at == qreturn.created_at
        assert transitions[1].created_at == qreturn.submitted_at
        assert _day(qreturn.submitted_at) <= qreturn.due_on < today
        assert all(is_working_day(_day(moment)) for moment in steps)
        if key == "accepted":
            assert 7 <= (qreturn.reviewed_at - qreturn.submitted_at).days <= 14
            assert transitions[2].created_at == qreturn.reviewed_at == qreturn.updated_at
            assert qreturn.comments.get().created_at == qreturn.reviewed_at
            assert is_working_day(_day(qreturn.reviewed_at))
            assert qreturn.reviewed_at < now
        else:
            assert qreturn.reviewed_at is None
            assert qreturn.updated_at == qreturn.submitted_at < now
    # The draft: started lately (or just after its quarter ended), saved, not yet submitted.
    draft = QuarterlyReturn.objects.get(pk=made["draft"].pk)
    start, _ = periods.quarter_bounds(*after)
    first, second = draft.versions.order_by("number")
    assert start <= _day(draft.created_at) == _day(first.created_at)
    assert today - timedelta(days=14) <= _day(draft.created_at)
    assert draft.created_at < second.created_at == draft.updated_at < now
    assert draft.submitted_at is None and not draft.is_overdue(today)
    # Funding allocated in the March before each financial year; the template before any
    # return was started.
    for allocation in FundingAllocation.objects.all():
        allocated = _day(allocation.created_at)
        assert allocated.month == 3 and allocated.year == allocation.financial_year
        assert allocation.updated_at == allocation.created_at < now
    started = min(r.created_at for r in QuarterlyReturn.objects.all())
    assert ReturnTemplate.objects.get().created_at < started
    # The audit log keeps when things were really recorded: today.
    assert (
        _day(AuditEvent.objects.filter(object_type="oversight.QuarterlyReturn").first().created_at)
        == today
    )


def test_the_waiting_returns_stay_waiting(loaded):
    """What the dates leave waiting: the submitted return for national review, not yet
    overdue; the draft for the site lead once its quarter has ended, not yet overdue."""
    admin, lead = loaded.users["national_admin"], loaded.users["site_lead"]
    review = {w.text: w.overdue for w in dashboard_for(admin).waiting}
    submit = {w.text: w.overdue for w in dashboard_for(lead).waiting}
    assert review.get("1 quarterly return to review") == 0
    _, _, after = the_quarters(loaded.today)
    if after <= periods.last_submittable_quarter(loaded.today):
        assert submit.get("1 quarterly return to submit") == 0
    else:
        assert "1 quarterly return to submit" not in submit


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_steps_fit_every_day_of_the_year(demo_world, year):
    """Whatever day the demo is loaded: each step on a working day, in order, after its
    quarter ended (the draft's: after it began) and before that day; submitted before due."""
    day = date(year, 1, 1)
    while day.year == year:
        before, last_due, after = the_quarters(day)
        for quarter, days in (
            (before, oversight.ACCEPTED_DAYS),
            (last_due, oversight.SUBMITTED_DAYS),
        ):
            steps = oversight._steps_after(quarter, days)
            _, end = periods.quarter_bounds(*quarter)
            moments = [getattr(steps, name) for name in days]
            assert moments == sorted(moments) and len(set(moments)) == len(moments)
            assert end < _day(moments[0]) and _day(moments[-1]) < day, (day, quarter)
            assert _day(steps.submitted) <= periods.default_due_date(*quarter)
            assert all(is_working_day(_day(m)) for m in moments), (day, quarter)
        draft = oversight._draft_steps(replace(demo_world, today=day), after)
        start, _ = periods.quarter_bounds(*after)
        assert start <= _day(draft.started) < _day(draft.saved) < day, day
        assert is_working_day(_day(draft.started)) and is_working_day(_day(draft.saved)), day
        assert periods.default_due_date(*after) >= day
        day += timedelta(days=1)


def test_the_demo_returns_are_prefilled_with_the_target_areas_the_outcomes_part_chose(
    demo_world,
):
    """The whole demo: the outcomes part chooses the site's target areas before the returns
    are started, so the return waiting for review says how many people live there (not
    "Not yet recorded in Core20 Connect")."""
    import re

    from core20.outcomes import reference
    from core20.places.target_areas import site_profile
    from core20.web.demo import load_demo_content
    from tests.web.test_demo_outcomes import make_icb

    reference.load_all()
    make_icb(demo_world.site)
    load_demo_content()
    population = int(site_profile(demo_world.site).figures.population)
    assert population > 0
    submitted = QuarterlyReturn.objects.get(site=demo_world.site, status=Status.SUBMITTED)
    assert submitted.prefilled["target_population"] == str(population)
    assert submitted.answers["target_population"] == str(population)

    client = Client()
    sign_in(client, demo_world.users["national_admin"])
    html = client.get(reverse("oversight:return-review", args=[submitted.pk])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert (
        f"How many people live in the areas you target? {population:,} "
        f"Prefilled from Core20 Connect: {population:,}"
    ) in text
