"""The public information pages lead on to what they talk about: the open data licence page to
the open data itself, and a signed-in person's roles on the home page to the site or
organisation each is for (a community member's way to the site they follow)."""

import re

import pytest
from django.urls import reverse

from core20.datapacks.models import DataPack
from core20.programme.models import Site
from tests.conftest import opens, page_html
from tests.datapacks.helpers import make_pack
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


# ---- the open data licence page ----


def test_the_open_data_page_links_to_each_sites_published_figures(site, other_site):
    make_pack(site, status=DataPack.Status.PUBLISHED)
    make_pack(other_site, status=DataPack.Status.READY)  # generated, not published
    hidden = SiteFactory(name="Unannounced Site", published=False)
    make_pack(hidden, status=DataPack.Status.PUBLISHED)

    links = hrefs(page_html(None, reverse("web:open-data")))
    site_data = reverse("datapacks:open-data", args=[site.slug])
    assert site_data in links
    assert reverse("datapacks:open-data", args=[other_site.slug]) not in links
    assert reverse("datapacks:open-data", args=[hidden.slug]) not in links
    assert opens(None, site_data)


def test_the_open_data_page_offers_the_micro_grant_awards(client):
    html = page_html(None, reverse("web:open-data"))
    for url in (reverse("grants:export-json"), reverse("grants:export-csv")):
        assert url in hrefs(html)
        assert client.get(url).status_code == 200
    # Before any site publishes a pack, the page says so rather than showing an empty list.
    assert "No site has published a data pack yet." in html


# ---- the home page's roles ----


def test_a_community_members_role_links_to_the_site_they_follow(site, make_user):
    member = make_user("community_member")
    html = page_html(member, reverse("web:home"))
    roles = html[html.index("Your roles") :]
    assert f'<a href="{site.get_absolute_url()}">{site.name}</a>' in roles
    assert opens(member, site.get_absolute_url())


def test_an_organisation_role_links_to_the_organisation(organisation, make_user):
    decision_maker = make_user("decision_maker")
    html = page_html(decision_maker, reverse("web:home"))
    roles = html[html.index("Your roles") :]
    assert f'<a href="{organisation.get_absolute_url()}">{organisation.name}</a>' in roles


def test_an_unpublished_site_is_linked_only_for_those_who_may_open_it(site, make_user):
    Site.objects.filter(pk=site.pk).update(published=False)
    member = make_user("community_member")
    lead = make_user("site_lead")
    assert not opens(member, site.get_absolute_url())
    member_roles = page_html(member, reverse("web:home")).split("Your roles", 1)[1]
    assert site.get_absolute_url() not in member_roles
    assert site.name in member_roles
    assert opens(lead, site.get_absolute_url())
    lead_roles = page_html(lead, reverse("web:home")).split("Your roles", 1)[1]
    assert f'<a href="{site.get_absolute_url()}">' in lead_roles
