"""Where each role may record an insight from: national admins, who may record at every site,
choose any site on the insights list; site roles get a link for each of their own sites; a
national analyst records nowhere."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.insights import home
from core20.insights.models import Insight
from tests.conftest import client_for, page_html
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

LIST = reverse("insights:insight-list")


def _create_url(site) -> str:
    return reverse("insights:insight-create", args=[site.slug])


def _sites_offered(html: str) -> list[str]:
    """The sites in the "Record an insight" chooser, in order."""
    (chooser,) = re.findall(r'<select name="record".*?</select>', html, re.S)
    return re.findall(r'<option value="[^"]+">([^<]+)</option>', chooser)


def test_a_national_admin_chooses_any_site_and_records_there(make_user, site, other_site):
    admin = make_user("national_admin")
    third = SiteFactory(name="Third Site")
    html = page_html(admin, LIST)
    assert "Record an insight" in html
    assert _sites_offered(html) == ["Home Site", "Other Site", "Third Site"]

    client = client_for(admin)
    response = client.get(LIST, {"record": third.slug})
    assert response.status_code == 302 and response["Location"] == _create_url(third)
    response = client.post(
        _create_url(third),
        {"kind": "barrier", "summary": "No buses to the clinic", "people_count": "4"},
    )
    insight = Insight.objects.get()
    assert response.status_code == 302 and insight.site == third and insight.raised_by == admin


def test_a_national_admin_is_told_to_choose_a_site(make_user, site):
    client = client_for(make_user("national_admin"))
    for chosen in ("", "no-such-site"):
        response = client.get(LIST, {"record": chosen})
        html = response.content.decode()
        assert response.status_code == 200 and "<title>Error: Insights" in html
        assert "Choose the site to record an insight for" in html


def test_the_dashboard_points_a_national_admin_to_the_list_to_record(make_user, site):
    (see, _figures) = home.shortcuts(make_user("national_admin"))
    assert (see.label, see.url) == ("See insights", LIST)
    assert see.hint == "Record an insight for any site from here"


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator", "connector"])
def test_site_roles_record_at_their_own_site_only(role, make_user, site, other_site):
    user = make_user(role)
    html = page_html(user, LIST)
    assert f'href="{_create_url(site)}">Record an insight for {site.name}</a>' in html
    assert "Record an insight for Other Site" not in html and 'name="record"' not in html
    client = client_for(user)
    # The national chooser is not theirs: asking for another site gets the list, not its form.
    response = client.get(LIST, {"record": other_site.slug})
    assert response.status_code == 200 and "<title>Insights" in response.content.decode()
    assert client.get(_create_url(other_site)).status_code == 403
    (record, *_rest) = home.shortcuts(user)
    assert (record.label, record.url) == ("Record an insight", _create_url(site))


def test_a_national_analyst_records_nowhere(make_user, site):
    analyst = make_user("national_analyst")
    client = client_for(analyst)
    assert client.get(LIST, {"record": site.slug}).status_code == 403
    assert client.get(_create_url(site)).status_code == 403
    assert all("Record" not in s.label + s.hint for s in home.shortcuts(analyst))


def test_the_national_list_queries_do_not_grow_with_the_sites(make_user, site):
    client = client_for(make_user("national_admin"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for _ in range(10):
        SiteFactory()
    assert queries() == few
