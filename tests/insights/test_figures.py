"""Accountability figures against values worked out by hand (see each assertion)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from core20.insights import actions, figures
from core20.insights.models import Action, Response, Routing
from tests.factories import OrganisationFactory
from tests.insights import helpers

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TODAY = date(2026, 6, 1)


def _sent(routing, response_after_days=None, kind=Response.Kind.ACKNOWLEDGED):
    Routing.objects.filter(pk=routing.pk).update(
        routed_at=SENT,
        first_response_at=None
        if response_after_days is None
        else SENT + timedelta(days=response_after_days),
    )
    if response_after_days is not None:
        Response.objects.create(
            routing=routing, kind=kind, responded_at=SENT + timedelta(days=response_after_days)
        )


def _action(routing, due_on, status):
    Action.objects.create(
        routing=routing, description="Do it", owner="Them", due_on=due_on, status=status
    )


@pytest.fixture
def scene(site, other_site, make_user):
    lead = make_user("site_lead")
    other_lead = make_user("site_lead", scope_site=other_site)
    org1 = OrganisationFactory(name="Org One")
    org2 = OrganisationFactory(name="Org Two")
    b1 = helpers.body(site, lead, organisation=org1)
    b2 = helpers.body(site, lead, organisation=org2)
    b3 = helpers.body(other_site, other_lead, organisation=org2)
    connector = make_user("connector")
    i1, i2, i3 = (helpers.insight(site, connector) for _ in range(3))
    i5 = helpers.insight(other_site, other_lead)
    (r1,) = helpers.route(i1, [b1], lead)
    (r2,) = helpers.route(i2, [b1], lead)
    (r3,) = helpers.route(i3, [b1], lead)
    (r4,) = helpers.route(i1, [b2], lead)
    (r5,) = helpers.route(i5, [b3], other_lead)
    _sent(r1, 2, Response.Kind.ACTION_AGREED)
    _sent(r2, 7)
    _sent(r3)
    _sent(r4, 4, Response.Kind.DECLINED)
    _sent(r5, 10, Response.Kind.ACTION_AGREED)
    for insight in (i1, i3):
        actions.record_feedback(
            insight=insight,
            data={"given_on": date(2026, 4, 1), "channel": "newsletter", "summary": "Told"},
            by=lead,
        )
    _action(r1, TODAY - timedelta(days=1), Action.Status.PLANNED)  # overdue
    _action(r5, TODAY - timedelta(days=1), Action.Status.DONE)  # done: not overdue
    _action(r5, TODAY, Action.Status.IN_PROGRESS)  # due today: not yet overdue
    return Routing.objects.all()


def _row(rows, label):
    return next(r for r in rows if r.label == label)


def test_national(scene, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        (row,) = figures.accountability(scene, by="national", on=TODAY)
    # Responses after 2, 7, 4 and 10 days: median of 2, 4, 7, 10 is (4 + 7) / 2.
    assert (row.routed, row.responded, row.awaiting, row.median_days) == (5, 4, 1, 5.5)
    assert row.agreed == 2 and row.agreed_pct == 40  # r1 and r5 of 5
    assert (row.insights, row.fed_back, row.fed_back_pct) == (4, 2, 50)  # i1, i3 of i1-3, i5
    assert row.overdue_actions == 1


def test_per_site(scene, site, other_site):
    rows = figures.accountability(scene, by="site", on=TODAY)
    home, away = _row(rows, site.name), _row(rows, other_site.name)
    assert (home.routed, home.median_days, home.agreed_pct) == (4, 4, 25)  # 2, 4, 7
    assert (home.insights, home.fed_back) == (3, 2)
    assert round(home.fed_back_pct, 1) == 66.7 and home.overdue_actions == 1
    assert (away.routed, away.median_days, away.agreed_pct, away.fed_back_pct) == (1, 10, 100, 0)
    assert away.overdue_actions == 0


def test_per_organisation(scene):
    rows = figures.accountability(scene, by="organisation", on=TODAY)
    one, two = _row(rows, "Org One"), _row(rows, "Org Two")
    assert (one.routed, one.responded, one.median_days) == (3, 2, 4.5)  # 2 and 7
    assert round(one.agreed_pct, 1) == 33.3 and one.overdue_actions == 1
    assert (one.insights, one.fed_back) == (3, 2)
    assert (two.routed, two.median_days, two.agreed_pct) == (2, 7, 50)  # 4 and 10
    assert (two.insights, two.fed_back, two.fed_back_pct) == (2, 1, 50)  # i1 yes, i5 no


def test_nothing_routed():
    assert figures.accountability(Routing.objects.all(), by="national") == []


def test_the_pages_show_the_figures(scene, client, make_user, site):
    from tests.conftest import sign_in

    sign_in(client, make_user("national_analyst"))
    page = client.get("/insights/figures/").content.decode()
    assert "Org One" in page and "5.5" in page and "40%" in page
    sign_in(client, make_user("site_lead"))
    page = client.get(f"/insights/sites/{site.slug}/figures/").content.decode()
    # i1 went to two bodies: three insights, four sendings.
    assert "3 insights sent to decision-makers, 4 sendings in all: 3 sendings answered" in page
    assert "in a median of 4 days" in page


def test_the_national_figures_lead_back_only_where_the_reader_may_go(client, make_user, db):
    from tests.conftest import sign_in

    # An analyst may see the figures, not the insights: no breadcrumb to the insights list.
    sign_in(client, make_user("national_analyst"))
    assert 'href="/insights/"' not in client.get("/insights/figures/").content.decode()
    sign_in(client, make_user("national_admin"))
    assert 'href="/insights/"' in client.get("/insights/figures/").content.decode()
