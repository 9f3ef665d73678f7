"""The funds list: people who may manage a fund (GRANT_MANAGE at its site, as its manage page
checks) get a link from the list straight to the fund's manage page; nobody else does."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.accounts.roles import ROLES
from tests.conftest import client_for, opens, page_html
from tests.factories import SiteFactory
from tests.grants import helpers

pytestmark = pytest.mark.django_db

LIST = reverse("grants:fund-list")
MANAGERS = ("national_admin", "site_lead", "host_coordinator")


def manage_url(fund) -> str:
    return reverse("grants:fund-manage", args=[fund.pk])


def manage_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" data-testid="manage-fund">Manage<span', html)


@pytest.fixture
def funds(site, other_site):
    """An open and a closed fund at the home site, and an open fund at another site."""
    return {
        "open": helpers.fund(site, name="Open fund"),
        "closed": helpers.fund(site, name="Closed fund", opens=-30, closes=-1),
        "elsewhere": helpers.fund(other_site, name="Elsewhere fund"),
    }


def expected(role: str | None, funds) -> set[str]:
    if role == "national_admin":
        return {manage_url(f) for f in funds.values()}
    if role in MANAGERS:
        return {manage_url(funds["open"]), manage_url(funds["closed"])}
    return set()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_only_people_who_may_manage_a_fund_get_a_link_to_manage_it(make_user, funds, role):
    user = make_user(role) if role else None
    html = page_html(user, LIST)
    links = manage_links(html)
    assert set(links) == expected(role, funds)
    assert len(links) == len(set(links))  # one link per fund
    for fund in funds.values():
        assert fund.name in html  # every published fund is still listed for everyone
    if not links:
        assert "/manage/" not in html
    for link in links:
        assert opens(user, link)


def test_a_manager_at_another_site_gets_links_to_their_own_funds_only(make_user, funds, other_site):
    for role in ("site_lead", "host_coordinator"):
        user = make_user(role, scope_site=other_site)
        assert manage_links(page_html(user, LIST)) == [manage_url(funds["elsewhere"])]
        assert opens(user, manage_url(funds["elsewhere"]))
        # The home site's fund is not theirs to manage: no link, and the page is refused.
        assert client_for(user).get(manage_url(funds["open"])).status_code == 403


def test_the_manage_link_names_the_fund_for_screen_readers(make_user, funds):
    html = page_html(make_user("site_lead"), LIST)
    assert (
        f'<a href="{manage_url(funds["open"])}" data-testid="manage-fund">Manage'
        '<span class="nhsuk-u-visually-hidden"> Open fund</span></a>'
    ) in html


def _queries(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [None, "site_lead", "national_admin"])
def test_the_list_makes_the_same_number_of_queries_whatever_the_number_of_funds(
    make_user, site, role
):
    user = make_user(role) if role else None
    helpers.fund(site, name="First fund")
    few = _queries(user)
    for place in [site, *SiteFactory.create_batch(3)]:
        helpers.fund(place, name=f"{place} open fund")
        helpers.fund(place, name=f"{place} closed fund", opens=-30, closes=-1)
    assert _queries(user) == few
