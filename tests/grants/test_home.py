"""Micro-grants on the home page: applications for panel members to assess, and for the site's
team applications to decide, awards to pay and outcome reports to chase."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core20.grants import home
from core20.grants.models import Application, Assessment, OutcomeReport, Payment
from tests.conftest import opens
from tests.factories import UserFactory
from tests.grants import helpers

pytestmark = pytest.mark.django_db


def shown(entries) -> dict[str, tuple[int, int, str]]:
    """What the home page shows: entries with something waiting, by their wording."""
    return {w.plural: (w.count, w.overdue, w.url) for w in entries if w.count}


def days(n: int):
    return helpers.today() + timedelta(days=n)


def awarded(fund, *, paid="0", ends_in=None, reported=False) -> Application:
    application = helpers.application(
        fund, amount="100.00", ends_on=days(ends_in) if ends_in is not None else None
    )
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.AWARDED, amount_awarded=Decimal("100.00"), decided_on=days(-30)
    )
    if Decimal(paid):
        Payment.objects.create(application=application, amount=Decimal(paid), paid_on=days(-20))
    if reported:
        OutcomeReport.objects.create(
            application=application, what_happened="Twelve walks.", people_reached=40
        )
    return application


def test_a_panel_member_sees_applications_they_have_not_assessed(make_user, site, other_site):
    member = make_user("community_member")
    fund = helpers.fund(site)
    me = helpers.appoint(fund, member)
    someone = helpers.appoint(fund, UserFactory())
    _to_assess, scored, conflicted, only_others = (
        helpers.application(fund, title=f"Application {n}") for n in range(4)
    )
    Assessment.objects.create(application=scored, member=me, has_conflict=False)
    Assessment.objects.create(application=conflicted, member=me, has_conflict=True)
    Assessment.objects.create(application=only_others, member=someone, has_conflict=False)
    awarded(fund)  # decided: nothing left to assess
    helpers.application(helpers.fund(site, name="Not my panel"))
    # A panel at a site where they no longer hold the community member role.
    elsewhere = helpers.fund(other_site)
    helpers.appoint(elsewhere, member)
    helpers.application(elsewhere)

    url = reverse("grants:panel-home")
    assert shown(home.waiting(member)) == {"grant applications to assess": (2, 0, url)}
    assert opens(member, url)


def test_the_site_team_sees_decisions_payments_and_late_outcome_reports(
    make_user, site, other_site
):
    lead = make_user("site_lead")
    fund = helpers.fund(site, budget="5000.00")
    helpers.application(fund)
    helpers.application(fund)
    awarded(fund)  # not paid
    awarded(fund, paid="40.00")  # part paid
    awarded(fund, paid="100.00", ends_in=-1)  # work over, no outcome report
    awarded(fund, paid="100.00", ends_in=-1, reported=True)
    awarded(fund, paid="100.00", ends_in=5)  # work still going on
    Application.objects.filter(pk=helpers.application(fund).pk).update(
        status=Application.Status.DECLINED
    )
    helpers.application(helpers.fund(other_site))  # another site's

    url = reverse("grants:fund-manage", args=[fund.pk])
    assert shown(home.waiting(lead)) == {
        "grant applications to decide": (2, 0, url),
        "awarded grants to pay": (2, 0, url),
        "grant outcome reports to chase": (1, 1, url),
    }
    assert opens(lead, url)
    # The host coordinator shares the work; a connector has none of it.
    assert shown(home.waiting(make_user("host_coordinator"))) == shown(home.waiting(lead))
    assert shown(home.waiting(make_user("connector"))) == {}


def test_a_national_admin_sees_every_sites_work_with_the_list_of_funds(make_user, site, other_site):
    admin = make_user("national_admin")
    helpers.application(helpers.fund(site))
    helpers.application(helpers.fund(other_site))
    url = reverse("grants:fund-list")
    assert shown(home.waiting(admin)) == {"grant applications to decide": (2, 0, url)}
    assert opens(admin, url)


def test_nothing_waiting_shows_nothing(make_user, site):
    fund = helpers.fund(site)
    awarded(fund, paid="100.00", ends_in=-1, reported=True)
    member = make_user("community_member")
    helpers.appoint(fund, member)
    for user in (make_user("site_lead"), member):
        assert shown(home.waiting(user)) == {}


def test_shortcuts_to_assess_for_appointed_members_and_to_start_a_fund_for_the_team(
    make_user, site
):
    member = make_user("community_member")
    assert home.shortcuts(member) == []  # not on a panel yet
    helpers.appoint(helpers.fund(site), member)
    lead = make_user("site_lead")
    expected = {
        member: [("Assess grant applications", reverse("grants:panel-home"))],
        lead: [("Start a micro-grant fund", reverse("grants:fund-create", args=[site.slug]))],
        make_user("national_admin"): [],  # every site: no one fund to start
        make_user("connector"): [],
    }
    for user, shortcuts in expected.items():
        assert [(s.label, s.url) for s in home.shortcuts(user)] == shortcuts
        for _, url in shortcuts:
            assert opens(user, url)


@pytest.mark.parametrize("funds", [1, 5])
def test_queries_do_not_grow_with_the_records(
    make_user, site, other_site, funds, django_assert_num_queries
):
    admin = make_user("national_admin")
    for n in range(funds):
        fund = helpers.fund(site if n % 2 else other_site, name=f"Fund {n}", budget="5000.00")
        helpers.appoint(fund, admin)
        helpers.application(fund)
        awarded(fund, paid="50.00", ends_in=-3)
    assert admin.cached_memberships  # loaded once per request, before the home page asks
    with django_assert_num_queries(2):  # to assess, the team's work
        entries = shown(home.waiting(admin))
    assert entries["grant applications to decide"][0] == funds
    assert entries["grant outcome reports to chase"][0] == funds
    with django_assert_num_queries(1):
        home.shortcuts(admin)


def test_an_anonymous_visitor_has_nothing_waiting_and_no_shortcuts():
    assert home.waiting(AnonymousUser()) == []
    assert home.shortcuts(AnonymousUser()) == []
