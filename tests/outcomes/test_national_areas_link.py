"""The national "sites and their areas" page's link to each site's dashboard says what that
page gives: charts, and the ICS's area figures to download (the page itself shows only the
first rows of a long areas table, views.first_rows), not "every area in its ICS"."""

import pytest
from django.urls import reverse

from tests.conftest import sign_in
from tests.outcomes.test_dashboard import data  # noqa: F401 (fixture)
from tests.outcomes.test_drilldown import section, url

pytestmark = pytest.mark.django_db


def test_link_to_a_sites_dashboard_says_what_it_shows(client, site, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("national_admin"))
    home = section(client.get(url(ind)).content.decode(), site)
    dashboard = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    link = home[home.index(f'href="{dashboard}#areas"') :]
    link = link[: link.index("</a>")]
    assert "charts, and its ICS's area figures to download" in link
    assert "every area in its ICS" not in link
