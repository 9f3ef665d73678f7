"""/oversight/ and /oversight/returns/ are national pages; a site's own team, at one site,
is taken to that site's returns instead of being refused."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.factories import MembershipFactory

NATIONAL_PAGES = ("oversight:dashboard", "oversight:return-list")


@pytest.mark.django_db
@pytest.mark.parametrize("route", NATIONAL_PAGES)
@pytest.mark.parametrize("role", ["site_lead", "host_coordinator"])
def test_a_sites_own_team_goes_to_their_sites_returns(route, role, make_user, site):
    response = client_for(make_user(role)).get(reverse(route))
    target = reverse("oversight:site-returns", args=[site.slug])
    assert response.status_code == 302 and response["Location"] == target
    assert client_for(make_user(role)).get(target).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("route", NATIONAL_PAGES)
def test_someone_on_two_sites_teams_is_not_guessed_for(route, make_user, other_site):
    lead = make_user("site_lead")
    MembershipFactory(user=lead, role="site_lead", site=other_site)
    assert client_for(lead).get(reverse(route)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("route", NATIONAL_PAGES)
@pytest.mark.parametrize(
    "role", ["connector", "decision_maker", "panel_member", "community_member"]
)
def test_people_outside_a_sites_team_are_refused(route, role, make_user):
    assert client_for(make_user(role)).get(reverse(route)).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("route", NATIONAL_PAGES)
@pytest.mark.parametrize("role", ["national_admin", "national_analyst"])
def test_national_staff_see_the_national_pages(route, role, make_user):
    assert client_for(make_user(role)).get(reverse(route)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("route", NATIONAL_PAGES)
def test_signed_out_people_are_asked_to_sign_in(route):
    response = client_for(None).get(reverse(route))
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
