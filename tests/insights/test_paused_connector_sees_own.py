"""A connector whose record at a site is paused may no longer record insights there (their
role ends: core20.network.actions.sync_role) but still sees, read-only, the insights they
raised there and where each was sent: on the list, on the insight's page and through the
API. The list and the insight say once why they cannot add to them. Someone who has left
sees none of them."""

import pytest
from django.urls import reverse

from core20.insights.access import visible_insights, visible_routings
from tests.conftest import client_for, page_html
from tests.insights import helpers
from tests.network.conftest import move as _move
from tests.network.conftest import own_record

pytestmark = pytest.mark.django_db

LIST = reverse("insights:insight-list")
API = "/api/v1/insights"
NOTICE = (
    "You are paused as a connector at Home Site, so you can see the insights you recorded "
    "there but you cannot add or change them."
)


@pytest.fixture
def people(make_user):
    return {
        "connector": make_user("connector", full_name="Con Nector"),
        "other": make_user("connector", full_name="Bea Connector"),
        "lead": make_user("site_lead", full_name="Lee Lead"),
        "host": make_user("host_coordinator", full_name="Hal Host"),
    }


@pytest.fixture
def me(site, people):
    return own_record(site, people)


@pytest.fixture
def raised(site, people, me):
    """One of theirs, sent to a decision body; one of another connector's."""
    mine = helpers.insight(site, people["connector"], summary="The bus to the clinic stopped.")
    body = helpers.body(site, people["lead"], name="Riverside PCN")
    helpers.route(mine, [body], people["lead"])
    theirs = helpers.insight(site, people["other"], summary="Nobody answers at 8am.")
    return mine, theirs


def test_a_paused_connector_sees_their_own_insights_and_is_told_why(people, me, raised):
    mine, theirs = raised
    _move(me, people, "paused")

    page = page_html(people["connector"], LIST)

    assert mine.get_absolute_url() in page
    assert theirs.get_absolute_url() not in page
    assert page.count(NOTICE) == 1
    assert reverse("insights:insight-create", args=[mine.site.slug]) not in page


def test_a_paused_connector_opens_their_insight_read_only(people, me, raised):
    mine, theirs = raised
    _move(me, people, "paused")
    client = client_for(people["connector"])

    page = client.get(mine.get_absolute_url()).content.decode()

    assert NOTICE in page
    assert "Riverside PCN" in page  # where it was sent
    quote = reverse("insights:quote-add", args=[mine.pk])
    assert quote not in page
    assert client.get(quote).status_code == 403
    response = client.post(quote, {"text": "It stops at six.", "consent": "on"})
    assert response.status_code == 403
    assert not mine.quotes.exists()
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_api_lists_their_own_with_where_it_went(people, me, raised):
    mine, _ = raised
    _move(me, people, "paused")
    client = client_for(people["connector"])

    items = client.get(API).json()["items"]

    assert [item["uuid"] for item in items] == [str(mine.uuid)]
    assert len(items[0]["routings"]) == 1
    assert client.get(f"{API}/{mine.pk}").status_code == 200


def test_someone_who_has_left_sees_none_of_them(people, me, raised):
    mine, _ = raised
    _move(me, people, "left")
    client = client_for(people["connector"])

    assert client.get(LIST).status_code == 403
    assert client.get(mine.get_absolute_url()).status_code == 404
    assert client.get(API).json()["items"] == []
    assert not visible_insights(people["connector"]).exists()
    assert not visible_routings(people["connector"]).exists()


def test_they_can_add_to_them_again_once_active(people, me, raised):
    mine, _ = raised
    _move(me, people, "paused")
    _move(me, people, "active")

    page = page_html(people["connector"], mine.get_absolute_url())

    assert NOTICE not in page
    assert reverse("insights:quote-add", args=[mine.pk]) in page
