"""Fixes from a connector recording activities on a phone and finding them again: every
mistake on the form shows at once (a postcode that is not one, and breakdowns bigger than the
number reached, beside a field's own mistake, not one round later); the blank number reached
asks for "the number", as the phone's own check and the API do; and the list says where each
activity was, leaving out the site when all of them are at one."""

from datetime import date

import pytest
from django.urls import reverse

from core20.engagement import places
from core20.engagement.models import Activity
from tests.conftest import sign_in
from tests.engagement.helpers import activity

pytestmark = pytest.mark.django_db

NEW = reverse("engagement:activity-new")


@pytest.fixture
def connector_client(client, make_user):
    sign_in(client, make_user("connector"))
    return client


def _summary(page: str) -> list[str]:
    start = page.index("nhsuk-error-summary__list")
    return [
        line.split('">', 1)[1].split("</a>")[0]
        for line in page[start : page.index("</ul>", start)].split("<li>")[1:]
    ]


def test_every_mistake_shows_in_the_first_round(connector_client, site, real_places):
    response = connector_client.post(
        NEW,
        {
            "site": site.slug,
            "date": "2026-03-02",
            "kind": "outreach",
            "people_reached": "-1",
            "place": "TF1",
            "age_0_17": "5",
            "age_18_24": "2",
            "mecc_conversations": "3",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Activity.objects.exists()
    assert _summary(page) == [
        "Number of people reached must be 0 or more",
        places.PLACE_INVALID,
    ]
    # With the number reached given, the breakdown beyond it shows with the place.
    response = connector_client.post(
        NEW,
        {
            "site": site.slug,
            "date": "2026-03-02",
            "kind": "",
            "people_reached": "3",
            "place": "hello",
            "age_0_17": "5",
        },
    )
    assert _summary(response.content.decode()) == [
        "Select the type of activity",
        places.PLACE_INVALID,
        "The numbers by age band add up to 5, more than the 3 people reached. Check the "
        "numbers, or change the number of people reached.",
    ]


def test_a_field_with_its_own_mistake_gets_it_once(connector_client, site):
    response = connector_client.post(NEW, {"site": site.slug, "date": "", "people_reached": ""})
    summary = _summary(response.content.decode())
    assert summary == [
        "Enter the date of the activity",
        "Select the type of activity",
        "Enter the number of people reached, or 0",
    ]


def test_the_form_still_records_once_everything_is_right(connector_client, site, real_places):
    data = {"site": site.slug, "date": "2026-03-02", "kind": "outreach", "people_reached": ""}
    connector_client.post(NEW, data)
    response = connector_client.post(NEW, {**data, "people_reached": "4", "place": "TF1 1AA"})
    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert activity.people_reached == 4 and activity.place == "TF1 1AA"


def _list_cells(client) -> list[str]:
    page = client.get(reverse("engagement:activity-list")).content.decode()
    return [
        cell.split("</span>", 1)[1].split("</td>")[0]
        for cell in page.split('<td role="cell" class="nhsuk-table__cell">')[1:]
    ]


def test_the_list_says_where_each_activity_was(client, make_user, site, other_site):
    connector = make_user("connector")
    activity(site, connector, date=date(2026, 10, 15), venue="Family hub", place="TF3 4AA")
    activity(site, connector, date=date(2026, 10, 14), place="TF1 1AA")
    activity(site, connector, date=date(2026, 10, 13))
    sign_in(client, connector)
    cells = _list_cells(client)
    # Date, type, place, people reached, recorded by: no site, as all are at the connector's.
    assert [cells[i] for i in (2, 7, 12)] == ["Family hub", "TF1 1AA", "Not given"]
    assert len(cells) == 15 and cells[:5][1:] == ["Outreach", "Family hub", "10", str(connector)]
    # Someone who sees activities at several sites still sees which site.
    admin = make_user("national_admin")
    activity(other_site, admin, date=date(2026, 10, 12), venue="Town hall")
    sign_in(client, admin)
    cells = _list_cells(client)
    assert len(cells) == 4 * 6 and cells[-4:-2] == ["Town hall", other_site.name]
