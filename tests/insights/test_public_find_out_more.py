"""The public "you said, we did" page leads on to the site's own page (how to get involved)
and, once the site has published one, its data packs: not only back through the breadcrumb."""

import pytest
from django.urls import reverse

from core20.datapacks.models import DataPack
from tests.datapacks.helpers import make_pack

pytestmark = pytest.mark.django_db


def _find_out_more(client, site) -> str:
    response = client.get(reverse("insights:public", args=[site.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Find out more" in page
    return page.split("Find out more", 1)[1]


def test_links_to_the_site_page_and_not_to_data_packs_before_one_is_published(client, site):
    make_pack(site, status=DataPack.Status.READY)  # generated, not yet published
    section = _find_out_more(client, site)
    site_page = reverse("programme:site-detail", args=[site.slug])
    assert f'<a href="{site_page}">About {site.name} and how to get involved</a>' in section
    assert reverse("datapacks:site", args=[site.slug]) not in section


def test_links_to_the_data_packs_once_one_is_published(client, site, other_site):
    make_pack(other_site, status=DataPack.Status.PUBLISHED)  # another site's does not count
    assert reverse("datapacks:site", args=[site.slug]) not in _find_out_more(client, site)
    make_pack(site, status=DataPack.Status.PUBLISHED)
    section = _find_out_more(client, site)
    packs = reverse("datapacks:site", args=[site.slug])
    assert (
        f'<a href="{packs}">Data packs: figures about the communities {site.name} works with</a>'
        in section
    )
