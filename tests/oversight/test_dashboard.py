"""National oversight: the figures in the table, overdue and stale flags, grouping and
filters, columns for later capabilities, and a bounded number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.oversight import actions, dashboard, periods, prefill
from core20.oversight.models import QuarterlyReturn
from core20.programme.models import Site
from tests.factories import RegionFactory, SiteFactory
from tests.oversight import helpers

pytestmark = pytest.mark.django_db

THIS_YEAR = periods.financial_year_of(periods.today())


def _row(overview, site):
    return next(r for r in overview.rows if r.site.pk == site.pk)


def test_figures_status_and_flags_per_site(site, other_site, people, template):
    admin, lead = people["admin"], people["lead"]
    helpers.allocate(site, admin, "20000.00")
    helpers.allocate(site, admin, "5000.00")
    year, quarter = helpers.last_quarter()
    if year == THIS_YEAR:
        actions.report_spend(
            site=site, financial_year=year, quarter=quarter, amount=Decimal("6250"), by=lead
        )
    else:  # in quarter 1 the last quarter belongs to last year: report this year's instead
        actions.report_spend(
            site=site, financial_year=THIS_YEAR, quarter=1, amount=Decimal("6250"), by=lead
        )
    earlier = helpers.quarter_before(year, quarter)
    accepted = helpers.submitted(site, lead, earlier)
    accepted = actions.review_return(qreturn=accepted, decision=actions.ACCEPT, by=admin)
    draft = helpers.start(site, lead, (year, quarter))
    actions.save_answers(qreturn=draft, answers={"connectors_active": "7"}, by=lead)

    # A day after the draft's due date, whatever the date the tests run on.
    after_due = draft.due_on + timedelta(days=1)
    overview = dashboard.build(Site.objects.all(), today=after_due, financial_year=THIS_YEAR)
    row = _row(overview, site)
    assert row.allocated == Decimal("25000.00")
    assert row.spent == Decimal("6250.00")
    assert row.percent_spent == Decimal("25.0")  # 6,250 / 25,000
    assert row.latest_return.pk == draft.pk
    assert row.latest_reported.pk == accepted.pk
    # The draft's figure is not reported yet: the column shows the accepted return's (its
    # prefilled 0: no connector records).
    assert row.figures["connectors_active"] == "0"
    assert not row.stale  # it changed today
    assert row.overdue and "is draft" in row.overdue_reason
    on_time = dashboard.build(Site.objects.filter(pk=site.pk), today=draft.due_on)
    assert not _row(on_time, site).overdue

    other = _row(overview, other_site)
    assert other.latest_return is None
    assert other.stale and other.last_update is None
    assert other.percent_spent is None and other.allocated == 0
    assert not other.overdue  # its wave has no return template


def test_figures_come_from_the_latest_reported_return(site, people, template):
    lead = people["lead"]
    qreturn = helpers.start(site, lead)
    actions.save_answers(
        qreturn=qreturn,
        answers={"summary": "Fine", "connectors_active": "12", "spend_this_quarter": "99.5"},
        by=lead,
    )
    actions.submit_return(qreturn=qreturn, by=lead)
    row = _row(dashboard.build(Site.objects.filter(pk=site.pk)), site)
    assert row.figures["connectors_active"] == "12"
    assert row.figures["spend_this_quarter"] == "£99.50"
    assert not row.overdue  # submitted: with the national team


def test_a_missing_return_is_overdue_once_it_was_due(site, people, template):
    site.status = Site.Status.ACTIVE
    site.save()
    row = _row(dashboard.build(Site.objects.filter(pk=site.pk)), site)
    # The template was made today, after the last due date: nothing was expected yet.
    assert not row.overdue
    template.created_at = timezone.now() - timedelta(days=400)
    template.save()
    row = _row(dashboard.build(Site.objects.filter(pk=site.pk)), site)
    assert row.overdue and row.overdue_reason.startswith("No return for")
    # A closed site is not chased.
    site.status = Site.Status.CLOSED
    site.save()
    assert not _row(dashboard.build(Site.objects.filter(pk=site.pk)), site).overdue


def test_staleness_follows_the_number_of_days(site, people):
    helpers.allocate(site, people["admin"], "10.00")  # audited today
    sites = Site.objects.filter(pk=site.pk)
    assert not _row(dashboard.build(sites, stale_days=1), site).stale
    later = periods.today() + timedelta(days=10)
    # Ten days on, with a 5-day threshold, it is stale; with 30 days it is not.
    then = timezone.now() + timedelta(days=10)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: then)
        assert _row(dashboard.build(sites, stale_days=5, today=later), site).stale
        assert not _row(dashboard.build(sites, stale_days=30, today=later), site).stale


def test_grouping_by_region_and_wave(site, other_site):
    shared = RegionFactory(name="Shared region")
    site.regions.add(shared)
    other_site.regions.add(shared)
    overview = dashboard.build(Site.objects.filter(pk__in=[site.pk, other_site.pk]))
    groups = {g.label: [r.site.name for r in g.rows] for g in overview.groups}
    assert sorted(groups["Shared region"]) == ["Home Site", "Other Site"]
    by_wave = dashboard.build(Site.objects.filter(pk__in=[site.pk, other_site.pk]), group="wave")
    assert [g.label for g in by_wave.groups] == [site.wave.name, other_site.wave.name]
    assert "2 sites." in overview.summary


def test_the_page_filters_by_region_and_wave_and_summarises(client_as, site, other_site, people):
    helpers.allocate(site, people["admin"], "1000.00")
    region = site.regions.first()
    client = client_as("analyst")
    html = client.get(reverse("oversight:dashboard"), {"region": region.code}).content.decode()
    assert "Home Site" in html and "Other Site" not in html
    assert "£1,000.00 allocated for" in html
    html = client.get(reverse("oversight:dashboard"), {"wave": other_site.wave_id}).content
    assert "Other Site" in html.decode() and "Home Site" not in html.decode()
    bad = client.get(reverse("oversight:dashboard"), {"stale_days": "0"})
    assert "The number of days must be 1 or more" in bad.content.decode()


def test_later_capabilities_appear_as_columns_when_present(site, monkeypatch):
    figure = prefill.Figure(
        "connectors_active",
        "Connectors active",
        "number",
        "Connector records",
        lambda *a: None,
        available=True,
        bulk=lambda ids, year, cache: dict.fromkeys(ids, 42),
        column_label="Active connectors (records)",
    )
    labels = [c.label for c in dashboard.build(Site.objects.all()).columns]
    assert labels == [
        "Connectors recruited",
        "Connectors active",
        "Activities",
        "People reached",
        "Insights sent",
        "Micro-grants",
    ]
    monkeypatch.setitem(prefill.FIGURES, "connectors_active", figure)
    overview = dashboard.build(Site.objects.all())
    (column,) = [c for c in overview.columns if c.key == "platform:connectors_active"]
    assert column.label == "Active connectors (records)" and column.source == "platform"
    assert _row(overview, site).figures["platform:connectors_active"] == "42"


def _many_sites(n, people):
    region = RegionFactory()
    sites = []
    for i in range(n):
        s = SiteFactory(name=f"Busy Site {n}-{i}", status=Site.Status.ACTIVE, regions=[region])
        helpers.template_for(s.wave, people["admin"])
        helpers.allocate(s, people["admin"], "100.00")
        qreturn = helpers.start(s, people["admin"])
        actions.save_answers(
            qreturn=qreturn, answers={"summary": "x", "connectors_active": "3"}, by=people["admin"]
        )
        actions.submit_return(qreturn=qreturn, by=people["admin"])
        actions.report_spend(
            site=s,
            financial_year=qreturn.financial_year,
            quarter=qreturn.quarter,
            amount="10",
            by=people["admin"],
        )
        sites.append(s)
    return sites


def test_the_page_uses_a_fixed_number_of_queries(client_as, people, django_assert_max_num_queries):
    client = client_as("analyst")
    _many_sites(3, people)
    with django_assert_max_num_queries(26) as few:
        assert client.get(reverse("oversight:dashboard")).status_code == 200
    _many_sites(12, people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("oversight:dashboard"))
    assert response.content.decode().count("Busy Site") >= 15
    assert QuarterlyReturn.objects.filter(status="submitted").count() == 15
