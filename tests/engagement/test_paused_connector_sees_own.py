"""A connector whose record at a site is paused may no longer record there (their role ends:
core20.network.actions.sync_role) but still sees, read-only, the activities they recorded
there: on the list, on each activity's page and through the API. The list and the activity
say once why they cannot add or change them. Someone who has left sees none of them."""

import pytest
from django.urls import reverse

from core20.engagement import access
from core20.network import actions as network_actions
from core20.network.models import Connector
from tests.conftest import client_for, page_html
from tests.engagement.helpers import activity
from tests.network.conftest import connector_and_host, own_record
from tests.network.conftest import move as _move

pytestmark = pytest.mark.django_db

LIST = reverse("engagement:activity-list")
API = "/api/v1/activities"
NOTICE = (
    "You are paused as a connector at Home Site, so you can see the activities you recorded "
    "there but you cannot add or change them."
)


@pytest.fixture
def people(make_user):
    return connector_and_host(make_user)


@pytest.fixture
def me(site, people):
    return own_record(site, people)


@pytest.fixture
def records(site, people, me):
    """Two of theirs (one by them, one for their connector record), one of their host's."""
    mine = activity(site, people["connector"], people_reached=71)
    for_me = activity(site, people["host"], people_reached=72, connector=me)
    theirs = activity(site, people["host"], people_reached=73)
    return mine, for_me, theirs


def _reached(page: str) -> set[int]:
    cell = 'aria-hidden="true">People reached </span>{}</td>'
    return {n for n in (71, 72, 73) if cell.format(n) in page}


def test_a_paused_connector_sees_their_own_activities_and_is_told_why_they_cannot_add(
    people, me, records
):
    _move(me, people, "paused")

    page = page_html(people["connector"], LIST)

    assert _reached(page) == {71, 72}  # theirs, not the host's
    assert page.count(NOTICE) == 1
    assert reverse("engagement:activity-new") not in page


def test_a_paused_connector_opens_their_activity_read_only(people, me, records):
    mine, _, theirs = records
    _move(me, people, "paused")
    client = client_for(people["connector"])

    page = client.get(mine.get_absolute_url()).content.decode()

    assert NOTICE in page
    assert reverse("engagement:activity-edit", args=[mine.pk]) not in page
    assert reverse("engagement:activity-delete", args=[mine.pk]) not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    # Changing it is refused, and nothing changes.
    for name in ("engagement:activity-edit", "engagement:activity-delete"):
        url = reverse(name, args=[mine.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"people_reached": "1"}).status_code == 403
    mine.refresh_from_db()
    assert mine.people_reached == 71
    assert not access.can_edit(people["connector"], mine)


def test_the_api_lists_their_own_while_paused(people, me, records):
    mine, for_me, _ = records
    _move(me, people, "paused")
    client = client_for(people["connector"])

    listed = {a["uuid"] for a in client.get(API).json()["items"]}

    assert listed == {str(mine.uuid), str(for_me.uuid)}
    assert client.get(f"{API}/{mine.uuid}").status_code == 200


def test_someone_who_has_left_sees_none_of_them(people, me, records):
    mine, _, _ = records
    _move(me, people, "left")
    client = client_for(people["connector"])

    assert client.get(LIST).status_code == 403
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(API).json()["items"] == []
    assert not access.visible_activities(people["connector"]).exists()


def test_they_can_change_them_again_once_active(people, me, records):
    mine, _, _ = records
    _move(me, people, "paused")
    _move(me, people, "active")

    page = page_html(people["connector"], mine.get_absolute_url())

    assert NOTICE not in page
    assert reverse("engagement:activity-edit", args=[mine.pk]) in page


def test_paused_at_one_site_active_at_another(people, me, records, site, other_site):
    """The notice names only the site where they are paused; they record at the other."""
    elsewhere = Connector.objects.create(
        site=other_site, user=people["connector"], name="Con Nector", status="active"
    )
    network_actions.sync_role(connector=elsewhere, before="paused", by=people["host"])
    at_other = activity(other_site, people["connector"], people_reached=73)
    _move(me, people, "paused")

    page = page_html(people["connector"], LIST)

    assert _reached(page) == {71, 72, 73}
    assert page.count(NOTICE) == 1
    assert reverse("engagement:activity-new") in page
    assert access.can_edit(people["connector"], at_other)
    assert not access.can_edit(people["connector"], records[0])


def test_the_paused_list_takes_a_fixed_number_of_queries(
    people, me, site, django_assert_max_num_queries
):
    """As a current connector's list (tests/engagement/test_pages.py): no query per row."""
    for _ in range(30):
        activity(site, people["connector"], people_reached=71)
    _move(me, people, "paused")
    client = client_for(people["connector"])
    client.get(LIST)
    with django_assert_max_num_queries(12):
        page = client.get(LIST).content.decode()
    assert page.count('aria-hidden="true">People reached </span>71</td>') == 25


def test_their_connector_home_leads_to_what_they_may_still_see(people, me, records):
    _move(me, people, "paused")
    client = client_for(people["connector"])

    home = client.get(reverse("network:me")).content.decode()

    assert "You can still see the" in home
    for url in (LIST, reverse("insights:insight-list")):
        assert f'href="{url}"' in home
        assert client.get(url).status_code == 200
