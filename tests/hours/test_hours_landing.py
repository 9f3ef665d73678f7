"""Where /hours/ and /hours/sites/ take each role: a connector to their own hours; someone
with no connector record who manages hours at sites to their sites' hours, and straight to
the site's page when they manage one site only; everyone else is refused."""

import pytest
from django.urls import reverse

from core20.accounts.models import Membership
from tests.conftest import page_html
from tests.hours import helpers

pytestmark = pytest.mark.django_db

MINE = reverse("hours:mine")
SITES = reverse("hours:sites")


def _site_page(site) -> str:
    return reverse("hours:site", args=[site.slug])


def _breadcrumbs(html: str) -> str:
    return html.split('<nav class="nhsuk-breadcrumb"')[1].split("</nav>")[0]


# ---- /hours/ ----


def test_a_connector_sees_their_own_hours(client_as, me, people):
    helpers.log(me, people["connector"], "2", activity="Coffee morning")
    response = client_as("connector").get(MINE)
    assert response.status_code == 200
    assert "Coffee morning" in response.content.decode()


@pytest.mark.parametrize("who", ["host", "lead", "admin"])
def test_those_who_manage_hours_at_sites_are_sent_to_the_sites_hours(client_as, who):
    response = client_as(who).get(MINE)
    assert response.status_code == 302 and response["Location"] == SITES


@pytest.mark.parametrize("who", ["analyst", "connector"])
def test_others_without_a_connector_record_are_refused(client_as, who):
    assert client_as(who).get(MINE).status_code == 403


def test_a_coordinator_with_a_connector_record_sees_their_own_hours(client_as, site, people):
    own = helpers.connector(site, user=people["host"], name="Hal Host")
    helpers.log(own, people["host"], "1", activity="Reading group at the library")
    response = client_as("host").get(MINE)
    assert response.status_code == 200
    assert "Reading group at the library" in response.content.decode()


def test_signing_in_comes_first(client_as):
    response = client_as("anonymous").get(MINE)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# ---- /hours/sites/ ----


@pytest.mark.parametrize("who", ["host", "lead"])
def test_someone_who_manages_one_site_goes_straight_to_its_page(client_as, site, who):
    client = client_as(who)
    response = client.get(SITES)
    assert response.status_code == 302 and response["Location"] == _site_page(site)
    assert client.get(response["Location"]).status_code == 200


def test_the_lead_of_another_site_goes_to_that_sites_page(client_as, other_site):
    response = client_as("other_lead").get(SITES)
    assert response.status_code == 302 and response["Location"] == _site_page(other_site)


def test_a_national_admin_keeps_the_list_of_sites(people, site, other_site):
    html = page_html(people["admin"], SITES)
    assert _site_page(site) in html and _site_page(other_site) in html


def test_someone_who_manages_several_sites_keeps_the_list(people, site, other_site):
    lead = people["lead"]
    Membership.objects.create(user=lead, role="site_lead", site=other_site)
    html = page_html(lead, SITES)
    assert _site_page(site) in html and _site_page(other_site) in html


@pytest.mark.parametrize("who", ["analyst", "connector", "bea_user"])
def test_people_who_do_not_manage_hours_are_refused_the_sites(client_as, me, who):
    assert client_as(who).get(SITES).status_code == 403


# ---- breadcrumbs: no "Hours and expenses" step that leads back to the same page ----


def test_a_one_site_manager_has_no_list_of_sites_in_the_breadcrumbs(people, site):
    for url in (_site_page(site), reverse("hours:export", args=[site.slug])):
        crumbs = _breadcrumbs(page_html(people["host"], url))
        assert f'href="{SITES}"' not in crumbs, url
    crumbs = _breadcrumbs(page_html(people["host"], reverse("hours:export", args=[site.slug])))
    assert f'href="{_site_page(site)}"' in crumbs


def test_a_national_admin_has_the_list_of_sites_in_the_breadcrumbs(people, site):
    for url in (_site_page(site), reverse("hours:export", args=[site.slug])):
        crumbs = _breadcrumbs(page_html(people["admin"], url))
        assert f'href="{SITES}"' in crumbs, url
