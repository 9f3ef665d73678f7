"""The header for a connector whose role has ended (paused or left:
core20.network.actions.sync_role). Their connector home still opens for them, so the header
keeps "Your connector home"; while paused they still see the activities and insights they
recorded, so it keeps those links too. Once they have left it does not."""

import pytest
from django.urls import reverse

from core20.network import actions as network_actions
from core20.network.models import Connector
from core20.web.navigation import navigation_for
from tests.conftest import opens

pytestmark = pytest.mark.django_db

OWN_WORK = {"Your connector home", "Activities", "Insights"}


@pytest.fixture
def host(make_user):
    """Moves connectors at either site."""
    return make_user("national_admin", full_name="Ada Admin")


def _stepped_back(user, site, host, to: str) -> Connector:
    record = Connector.objects.create(site=site, user=user, name="Con Nector", status="active")
    network_actions.change_status(connector=record, to=to, reason="Taking a break", by=host)
    user.forget_memberships()
    return record


def _links(user) -> dict[str, str]:
    return {item.label: item.url for item in navigation_for(user).primary}


def test_a_paused_connector_keeps_their_home_activities_and_insights(make_user, site, host):
    user = make_user("connector")
    _stepped_back(user, site, host, "paused")
    assert not user.cached_memberships  # their only role has ended

    links = _links(user)

    assert set(links) >= OWN_WORK
    assert links["Your connector home"] == reverse("network:me")
    for label in OWN_WORK:
        assert opens(user, links[label]), label


def test_someone_who_has_left_keeps_only_their_home(make_user, site, host):
    user = make_user("connector")
    _stepped_back(user, site, host, "left")

    links = _links(user)

    assert set(links) & OWN_WORK == {"Your connector home"}
    assert opens(user, links["Your connector home"])


def test_an_account_with_no_connector_record_gets_no_connector_home(make_user):
    assert "Your connector home" not in _links(make_user(None))


def test_staff_paused_as_a_connector_elsewhere_keep_their_home_at_no_extra_cost(
    make_user, site, other_site, host, django_assert_num_queries
):
    """A site lead who is also a (paused) connector at another site: their header asks
    nothing more than any site lead's does (whether they applied to a call)."""
    lead = make_user("site_lead")
    _stepped_back(lead, other_site, host, "paused")
    assert lead.cached_memberships

    with django_assert_num_queries(1):
        links = _links(lead)

    assert "Your connector home" in links
    plain = make_user("site_lead")
    assert plain.cached_memberships
    with django_assert_num_queries(1):
        assert "Your connector home" not in _links(plain)


def test_a_paused_connector_with_no_role_costs_two_queries_once_per_request(
    make_user, site, host, django_assert_num_queries
):
    """Their connector records, and whether they applied to a call (an account with no role
    and no connector record is taken to be an applicant without asking)."""
    user = make_user("connector")
    _stepped_back(user, site, host, "paused")
    assert not user.cached_memberships

    with django_assert_num_queries(2):
        first = navigation_for(user)
    with django_assert_num_queries(0):
        assert navigation_for(user) == first


@pytest.mark.parametrize("to", ["paused", "left"])
def test_a_connector_without_a_role_is_not_offered_applications_they_never_made(
    make_user, site, host, to
):
    user = make_user("connector")
    _stepped_back(user, site, host, to)

    assert "Your applications" not in _links(user)
    # An account made to apply (no role, no connector record) is offered them.
    assert "Your applications" in _links(make_user(None))
