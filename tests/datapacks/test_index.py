"""The data packs index: where published packs are, for everyone, and, for people who may
publish a site's packs, where generated versions wait to be published (the page the home
page's "data packs to publish" links to when they wait at more than one site)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.datapacks import home
from core20.datapacks.models import DataPack
from tests.conftest import client_for, opens, page_html
from tests.datapacks.helpers import make_pack
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

Status = DataPack.Status
INDEX = reverse("datapacks:index")


def listed(html: str, testid: str) -> dict[str, tuple[str, str]]:
    """{site name: (link, words after it)} for the list with that data-testid."""
    block = re.search(rf'<ul[^>]*data-testid="{testid}"[^>]*>(.*?)</ul>', html, re.S)
    if block is None:
        return {}
    items = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>([^<]*)</li>', block.group(1))
    return {name: (link, rest.strip(": ")) for link, name, rest in items}


def drafts(user) -> dict[str, tuple[str, str]]:
    return listed(page_html(user, INDEX), "sites-with-drafts")


def packs_page(site) -> str:
    return reverse("datapacks:site", args=[site.slug])


@pytest.fixture
def waiting_at_both(site, other_site):
    """Home Site: one version waiting (and one published). Other Site: two areas' versions
    waiting, nothing published."""
    make_pack(site, status=Status.PUBLISHED, version=1)
    make_pack(site, status=Status.READY, version=2)
    make_pack(other_site, status=Status.READY, version=1)
    make_pack(other_site, status=Status.READY, version=1, area_code="E05999991")


def test_a_national_admin_sees_where_packs_wait_at_two_sites(
    make_user, site, other_site, waiting_at_both
):
    admin = make_user("national_admin")
    html = page_html(admin, INDEX)
    assert "Waiting to be published" in html
    assert listed(html, "sites-with-drafts") == {
        "Home Site": (packs_page(site), "1 data pack to publish"),
        "Other Site": (packs_page(other_site), "2 data packs to publish"),
    }
    # The published list is as before: only the site with a published pack.
    assert list(listed(html, "sites-with-packs")) == ["Home Site"]
    # Each link opens the site's packs page, where the drafts are listed to publish.
    assert "Version 2" in page_html(admin, packs_page(site))
    assert "Version 1" in page_html(admin, packs_page(other_site))


def test_overtaken_and_unfinished_versions_do_not_wait(make_user, site):
    make_pack(site, status=Status.READY, version=1)
    make_pack(site, status=Status.PUBLISHED, version=2)  # overtakes version 1
    make_pack(site, status=Status.RUNNING, version=1, area_code="E05999991")
    assert drafts(make_user("national_admin")) == {}


def test_a_site_lead_sees_their_own_sites_waiting_packs_only(
    make_user, site, other_site, waiting_at_both
):
    lead = make_user("site_lead")
    assert drafts(lead) == {"Home Site": (packs_page(site), "1 data pack to publish")}
    assert opens(lead, packs_page(site))
    # A lead of the other site sees that site's and not this one's.
    other_lead = make_user("site_lead", scope_site=other_site)
    assert drafts(other_lead) == {"Other Site": (packs_page(other_site), "2 data packs to publish")}


@pytest.mark.parametrize("role", [None, "host_coordinator", "connector", "national_analyst"])
def test_people_who_may_not_publish_see_no_drafts(make_user, other_site, waiting_at_both, role):
    user = make_user(role) if role else None
    html = client_for(user).get(INDEX).content.decode()
    assert "Waiting to be published" not in html
    assert "to publish" not in html
    assert "sites-with-drafts" not in html
    assert list(listed(html, "sites-with-packs")) == ["Home Site"]
    # Other Site has drafts only: nothing on the page leads there.
    assert packs_page(other_site) not in html


def test_the_public_sees_the_same_page_whether_drafts_wait_or_not(site, other_site):
    def public_page() -> str:
        html = client_for(None).get(INDEX).content.decode()
        # The page's content: the head and body tags carry a new nonce and token each time.
        return re.search(r"<main.*</main>", html, re.S).group(0)

    make_pack(site, status=Status.PUBLISHED, version=1)
    before = public_page()
    make_pack(site, status=Status.READY, version=2)
    make_pack(other_site, status=Status.READY, version=1)
    assert public_page() == before


def test_the_home_pages_link_for_several_sites_lists_them(
    make_user, site, other_site, waiting_at_both
):
    admin = make_user("national_admin")
    (entry,) = home.waiting(admin)
    assert (entry.count, entry.url) == (3, INDEX)
    listed_sites = drafts(admin)
    assert {name: link for name, (link, _) in listed_sites.items()} == {
        "Home Site": packs_page(site),
        "Other Site": packs_page(other_site),
    }
    # The counts on the index add up to the count on the home page.
    assert sum(int(words.split()[0]) for _, words in listed_sites.values()) == entry.count


def _queries(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INDEX).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [None, "site_lead", "national_admin"])
def test_the_index_makes_the_same_number_of_queries_whatever_the_number_of_sites(
    make_user, site, role
):
    user = make_user(role) if role else None
    make_pack(site, status=Status.PUBLISHED, version=1)
    make_pack(site, status=Status.READY, version=2)
    few = _queries(user)
    for place in SiteFactory.create_batch(6):
        make_pack(place, status=Status.PUBLISHED, version=1)
        make_pack(place, status=Status.READY, version=2)
        make_pack(place, status=Status.READY, version=1, area_code="E05999991")
    assert _queries(user) == few
    if role == "national_admin":
        assert len(drafts(user)) == 7
