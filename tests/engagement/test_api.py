"""The activities API: the offline sync's endpoint stores a UUID once; the same rules and
visibility as the pages."""

import json
import uuid

import pytest
from django.urls import reverse

from core20.engagement.models import Activity
from tests.conftest import sign_in
from tests.engagement import helpers
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/activities"


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_posting_the_same_uuid_twice_stores_one(client, make_user, site):
    sign_in(client, make_user("connector"))
    body = {
        "uuid": str(uuid.uuid4()),
        "site": site.slug,
        "date": "2026-03-02",
        "kind": "vaccination",
        "people_reached": 8,
        "breakdown": {"sex": {"female": 5}},
    }
    first = _post(client, body)
    second = _post(client, body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Activity.objects.count() == 1


def test_invalid_input_names_the_field(client, make_user, site):
    sign_in(client, make_user("connector"))
    response = _post(
        client,
        {
            "site": site.slug,
            "date": "2026-03-02",
            "kind": "event",
            "people_reached": 2,
            "breakdown": {"age": {"0_17": 3}},
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "age"
    assert "add up to 3, more than the 2 people reached" in response.json()["errors"][0]["message"]


def test_recording_elsewhere_is_refused_and_lists_are_scoped(client, make_user, site, other_site):
    me = make_user("connector")
    sign_in(client, me)
    refused = _post(
        client,
        {"site": other_site.slug, "date": "2026-03-02", "kind": "event", "people_reached": 1},
    )
    assert refused.status_code == 403
    mine = helpers.activity(site, me)
    theirs = helpers.activity(site, UserFactory())
    listed = client.get(URL).json()
    assert [a["id"] for a in listed["items"]] == [mine.pk]
    assert client.get(reverse("api-1.0.0:get_activity", args=[theirs.uuid])).status_code == 404
