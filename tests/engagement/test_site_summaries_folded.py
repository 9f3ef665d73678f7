"""The activities list's links to each site's summary: a national user sees every site's,
folded in "Summaries by site (N)" so that on a phone the filters and the activities come
first, not a long list of links above them. Someone at one site sees their one link."""

import re

import pytest
from django.urls import reverse

from core20.programme.models import Site
from tests.conftest import sign_in
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    return client.get(reverse("engagement:activity-list")).content.decode()


def test_a_national_user_finds_every_sites_summary_folded_below_one_line(client, make_user):
    for n in range(55):
        SiteFactory(name=f"Site {n:02}")
    sign_in(client, make_user("national_admin"))
    html = _page(client)
    total = Site.objects.count()
    assert total > 50
    details = re.search(
        r'<details class="nhsuk-details" data-testid="site-summaries">.*?</details>', html, re.S
    )
    assert details, "the site summaries are not folded"
    assert f"Summaries by site ({total})" in details.group(0)
    assert " open" not in details.group(0).split(">")[0]  # folded until opened
    # Every site's summary is reachable, none left out.
    for site in Site.objects.all():
        assert reverse("engagement:site-dashboard", args=[site.slug]) in details.group(0)
    # Above the filters, the links are only in the folded details.
    assert "Site summaries" not in html
    outside = html[: html.index("Filter activities")].replace(details.group(0), "")
    prefix = reverse("engagement:site-dashboard", args=["x"])[:-2]
    assert f'href="{prefix}' not in outside


def test_someone_at_one_site_sees_its_one_summary_link(client, make_user, site):
    sign_in(client, make_user("site_lead"))
    html = _page(client)
    assert "Summaries by site" not in html
    link = reverse("engagement:site-dashboard", args=[site.slug])
    assert f'<a href="{link}">{site.name}: activities summary, import and export</a>' in html
