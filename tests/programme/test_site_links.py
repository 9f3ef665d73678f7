"""A site's page is the way in to what happens there: what the public can take part in, and
the pages of the site each signed-in person may work on."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.datapacks.models import DataPack
from core20.directory.models import Service
from core20.insights.models import Insight
from core20.programme.models import Site
from tests.conftest import client_for, opens, page_html
from tests.datapacks.helpers import make_pack
from tests.directory.factories import ServiceFactory
from tests.grants.helpers import fund
from tests.insights.helpers import insight

TEAM_ROUTES = (
    "network:site-connectors",
    "hours:site",
    "engagement:site-dashboard",
    "insights:bridge",
    "insights:site-figures",
    "grants:fund-create",
    "outcomes:site",
    "datapacks:site",
)
# Pages anyone may open (only published packs show there): the link is for publishers.
OPEN_TO_ALL = {"datapacks:site"}


def section(html: str, heading: str) -> str:
    """The part of the page from the <h2> ``heading`` to the next <h2> ("" when absent)."""
    match = re.search(rf"<h2>{heading}</h2>(.*?)(<h2|$)", html, re.S)
    return match.group(1) if match else ""


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def get_involved(site, user=None) -> str:
    return section(page_html(user, site.get_absolute_url()), "Get involved")


@pytest.mark.django_db
def test_anyone_can_find_how_to_become_a_connector_and_the_local_services(site):
    ServiceFactory(site=site)
    links = hrefs(get_involved(site))
    assert links == [
        reverse("network:interest", args=[site.slug]),
        f"{reverse('directory:search')}?site={site.slug}",
    ]
    for url in links:
        assert opens(None, url), url


@pytest.mark.django_db
def test_local_services_are_offered_only_when_the_directory_has_some_to_show(site, other_site):
    directory = f"{reverse('directory:search')}?site={site.slug}"
    # Nothing the public would find: another site's service, an unpublished one, and one
    # that has closed for good. The link would lead to "No services match your search".
    ServiceFactory(site=other_site)
    ServiceFactory(site=site, published=False)
    ServiceFactory(site=site, status=Service.Status.DEFUNCT)
    assert directory not in hrefs(get_involved(site))
    assert "Local services" not in get_involved(site)

    service = ServiceFactory(site=site)
    assert directory in hrefs(get_involved(site))
    assert service.name in page_html(None, directory)


@pytest.mark.django_db
def test_national_services_are_local_services_for_every_site(site):
    service = ServiceFactory(site=None)
    directory = f"{reverse('directory:search')}?site={site.slug}"
    assert directory in hrefs(get_involved(site))
    assert service.name in page_html(None, directory)


@pytest.mark.django_db
def test_a_closed_site_no_longer_asks_for_connectors(site):
    Site.objects.filter(pk=site.pk).update(status=Site.Status.CLOSED)
    assert reverse("network:interest", args=[site.slug]) not in hrefs(get_involved(site))


@pytest.mark.django_db
@pytest.mark.parametrize("status", [s.value for s in Site.Status])
def test_the_page_the_data_packs_and_the_form_agree_on_who_recruits(site, status):
    Site.objects.filter(pk=site.pk).update(status=status)
    site.refresh_from_db()
    pack = make_pack(site, status=DataPack.Status.PUBLISHED)
    form = reverse("network:interest", args=[site.slug])
    recruits = status not in (Site.Status.CLOSED, Site.Status.PROPOSED)
    assert site.takes_expressions_of_interest is recruits
    assert (form in hrefs(get_involved(site))) is recruits
    pack_page = page_html(None, reverse("datapacks:pack", args=[site.slug, pack.pk]))
    assert (f'href="{form}"' in pack_page) is recruits
    # A proposed site's form says "not yet" (200); a closed one's is gone (410).
    shown = client_for(None).get(form)
    assert shown.status_code == (410 if status == Site.Status.CLOSED else 200)
    assert (b'name="website"' in shown.content) is recruits


@pytest.mark.django_db
def test_the_page_the_data_packs_and_the_form_all_ask_the_one_property(site, monkeypatch):
    """An open site told it takes no expressions of interest: all three follow."""
    pack = make_pack(site, status=DataPack.Status.PUBLISHED)
    monkeypatch.setattr(Site, "takes_expressions_of_interest", property(lambda self: False))
    form = reverse("network:interest", args=[site.slug])
    assert form not in hrefs(get_involved(site))
    pack_page = page_html(None, reverse("datapacks:pack", args=[site.slug, pack.pk]))
    assert f'href="{form}"' not in pack_page
    assert client_for(None).get(form).status_code == 410


@pytest.mark.django_db
def test_only_funds_open_today_are_offered_with_their_closing_date(site, other_site):
    open_fund = fund(site, name="Healthy streets grants", opens=-3, closes=10)
    fund(site, name="Last year's grants", opens=-400, closes=-30)
    fund(site, name="Spring grants", opens=20, closes=60)
    fund(other_site, name="Another site's grants")
    html = get_involved(site)
    assert "Apply for a micro-grant: Healthy streets grants" in html
    assert f"Closes {open_fund.closes_on.day} " in html
    assert "Last year" not in html and "Spring" not in html and "Another site" not in html
    assert opens(None, open_fund.get_absolute_url())


@pytest.mark.django_db
def test_you_said_we_did_and_data_packs_appear_once_something_is_published(site, make_user):
    lead = make_user("site_lead")
    published_insight = insight(site, lead)
    make_pack(site, status=DataPack.Status.READY)
    html = get_involved(site)
    assert "You said, we did" not in html and "Community data packs" not in html

    Insight.objects.filter(pk=published_insight.pk).update(public=True)
    make_pack(site, status=DataPack.Status.PUBLISHED)
    links = hrefs(get_involved(site))
    assert reverse("insights:public", args=[site.slug]) in links
    assert reverse("datapacks:site", args=[site.slug]) in links
    for url in links:
        assert opens(None, url), url


@pytest.mark.django_db
def test_each_person_sees_exactly_the_site_pages_they_may_work_on(world):
    site = world.site
    candidates = [reverse(r, args=[site.slug]) for r in TEAM_ROUTES if r not in OPEN_TO_ALL]
    shown_to = {}
    for role, user in [*world.users.items(), ("anonymous", None)]:
        shown = hrefs(section(page_html(user, site.get_absolute_url()), "Work at this site"))
        shown_to[role] = shown
        for url in candidates:
            # Shown if and only if it opens for them: no link that refuses, none missing.
            assert (url in shown) == opens(user, url), (role, url)
        for url in shown:
            assert opens(user, url), (role, url)
    assert len(shown_to["national_admin"]) == len(TEAM_ROUTES)
    assert reverse("network:site-connectors", args=[site.slug]) in shown_to["host_coordinator"]
    assert reverse("hours:site", args=[site.slug]) in shown_to["host_coordinator"]
    for role in ("anonymous", "decision_maker", "community_member"):
        assert shown_to[role] == [], role


@pytest.mark.django_db
def test_another_sites_team_sees_no_work_links_here(world, make_user):
    outsider = make_user("site_lead", scope_site=world.other_site)
    html = page_html(outsider, world.site.get_absolute_url())
    assert section(html, "Work at this site") == ""


@pytest.mark.django_db
def test_the_page_runs_the_same_queries_however_many_funds_are_open(site):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client_for(None).get(site.get_absolute_url()).status_code == 200
        return len(queries)

    fund(site, name="First grants")
    one = count()
    fund(site, name="Second grants")
    fund(site, name="Third grants")
    assert count() == one
