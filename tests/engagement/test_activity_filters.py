"""The activity list's filters: a connector with many activities narrows the list by date
and type (and, seeing more than one site, by site); the count says how many match; the
pages keep the filters; a mistake is said beside its field; queries stay fixed."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import sign_in
from tests.engagement import helpers

pytestmark = pytest.mark.django_db

LIST = reverse("engagement:activity-list")
REACHED = 'aria-hidden="true">People reached </span>{}</td>'


def _rows(page: str) -> list[int]:
    """The people reached of each row shown (each test gives its activities their own)."""
    return [int(n) for n in re.findall(r"People reached </span>(\d+)</td>", page)]


def test_date_and_type_filters_narrow_the_list_and_the_count_says_how_many(client, make_user, site):
    me = make_user("connector")
    helpers.activity(site, me, date=date(2026, 1, 10), kind="outreach", people_reached=1)
    helpers.activity(site, me, date=date(2026, 2, 10), kind="outreach", people_reached=2)
    helpers.activity(site, me, date=date(2026, 2, 20), kind="event", people_reached=3)
    helpers.activity(site, me, date=date(2026, 3, 10), kind="outreach", people_reached=4)
    sign_in(client, me)

    page = client.get(LIST).content.decode()
    assert ">4 activities</h2>" in page
    assert "Filter activities" in page and 'name="date_from"' in page
    # A connector sees one site: no site filter.
    assert 'name="site"' not in page

    page = client.get(
        LIST, {"date_from": "2026-02-01", "date_to": "2026-02-28", "kind": "outreach"}
    ).content.decode()
    assert ">1 activity matches your filters</h2>" in page
    assert _rows(page) == [2]
    assert "Clear filters" in page
    # The chosen filters stay filled in.
    assert 'name="date_from" value="2026-02-01"' in page
    assert '<option value="outreach" selected>' in page

    page = client.get(LIST, {"date_from": "2026-02-01"}).content.decode()
    assert ">3 activities match your filters</h2>" in page
    assert _rows(page) == [4, 3, 2]

    page = client.get(LIST, {"kind": "training"}).content.decode()
    assert ">0 activities match your filters</h2>" in page
    assert "No activities match your filters" in page


def test_the_pages_keep_the_filters(client, make_user, site):
    me = make_user("connector")
    for day in range(1, 31):
        helpers.activity(site, me, date=date(2026, 3, day), kind="event", people_reached=7)
    for day in range(1, 6):
        helpers.activity(site, me, date=date(2026, 4, day), kind="outreach", people_reached=9)
    sign_in(client, me)
    page = client.get(LIST, {"kind": "event"}).content.decode()
    assert ">30 activities match your filters</h2>" in page
    assert page.count(REACHED.format(7)) == 25 and REACHED.format(9) not in page
    assert 'href="?kind=event&amp;page=2#results-count"' in page
    page = client.get(LIST, {"kind": "event", "page": "2"}).content.decode()
    assert page.count(REACHED.format(7)) == 5 and REACHED.format(9) not in page
    assert 'href="?kind=event&amp;page=1#results-count"' in page


def test_someone_who_sees_several_sites_can_filter_by_site(client, make_user, site, other_site):
    helpers.activity(site, people_reached=11)
    helpers.activity(other_site, people_reached=22)
    sign_in(client, make_user("national_analyst"))
    page = client.get(LIST).content.decode()
    assert '<option value="" selected>Any site</option>' in page
    assert f'<option value="{other_site.slug}">{other_site.name}</option>' in page
    page = client.get(LIST, {"site": other_site.slug}).content.decode()
    assert ">1 activity matches your filters</h2>" in page
    assert _rows(page) == [22]


def test_mistakes_in_the_filters_are_said_beside_the_field(client, make_user, site):
    me = make_user("connector")
    helpers.activity(site, me, people_reached=5)
    sign_in(client, me)
    page = client.get(
        LIST, {"date_from": "2026-02-30", "kind": "picnic", "site": "anywhere"}
    ).content.decode()
    assert "<title>Error: Activities" in page
    assert '<a href="#id_date_from">Date from must be a real date, like 21/3/2026</a>' in page
    assert '<a href="#id_kind">Choose a type of activity from the list</a>' in page
    assert (
        '<span class="nhsuk-error-message" id="id_date_from_error">'
        '<span class="nhsuk-u-visually-hidden">Error: </span>'
        "Date from must be a real date, like 21/3/2026</span>"
    ) in page
    # The list is shown unfiltered meanwhile.
    assert ">1 activity</h2>" in page

    page = client.get(LIST, {"date_from": "2026-03-10", "date_to": "2026-03-01"}).content.decode()
    assert '<a href="#id_date_to">Date to must be the same as or after date from</a>' in page


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(queries)


def test_the_filtered_list_runs_the_same_queries_however_many_activities(
    client, make_user, site, other_site, django_assert_max_num_queries
):
    sign_in(client, make_user("national_analyst"))
    params = {"date_from": "2026-01-01", "kind": "outreach", "site": site.slug, "page": "2"}
    for _ in range(30):
        helpers.activity(site, make_user("connector"))
    helpers.activity(other_site)
    with django_assert_max_num_queries(12):
        client.get(LIST, params)
    few = _queries(client, params)
    for _ in range(30):
        helpers.activity(site, make_user("connector"))
    assert _queries(client, params) == few
