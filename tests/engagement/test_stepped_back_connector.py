"""A connector whose record at a site is paused or left may not record activities there
(their connector role ends with the move: core20.network.actions.sync_role). The form sends
them back to their connector home with the reason, and the API (the offline form's sync)
refuses with a 403 that says why and carries a code, so a queued save is not retried in
silence."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core20.engagement import actions
from core20.engagement.models import Activity
from tests.conftest import client_for
from tests.engagement.helpers import api_activity
from tests.network.conftest import connector_and_host, own_record
from tests.network.conftest import move as _move

pytestmark = pytest.mark.django_db

URL = "/api/v1/activities"
NEW = reverse("engagement:activity-new")
REASON = (
    "You can record activities only while you are an active connector at Home Site. "
    "Ask your coordinator."
)


@pytest.fixture
def people(make_user):
    return connector_and_host(make_user)


@pytest.fixture
def me(site, people):
    return own_record(site, people)


def test_an_active_connector_records_through_the_api(me, people, site):
    client = client_for(people["connector"])
    response = client.post(URL, json.dumps(api_activity(site)), content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("stage", ["left", "paused"])
def test_the_api_refuses_them_and_says_why(me, people, site, stage):
    _move(me, people, stage)
    client = client_for(people["connector"])

    response = client.post(URL, json.dumps(api_activity(site)), content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {"detail": REASON, "code": "not_active_connector"}
    assert not Activity.objects.exists()


def test_someone_with_no_record_there_gets_the_usual_refusal(make_user, other_site):
    client = client_for(make_user("connector"))
    body = {**api_activity(other_site), "site": other_site.slug}
    response = client.post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do that."}


@pytest.mark.parametrize("stage", ["left", "paused"])
def test_the_form_sends_them_home_with_the_reason(me, people, stage):
    _move(me, people, stage)

    response = client_for(people["connector"]).get(NEW, follow=True)

    assert response.redirect_chain == [(reverse("network:me"), 302)]
    assert REASON in response.content.decode()


def test_the_action_refuses_them_too(me, people, site):
    _move(me, people, "left")
    with pytest.raises(PermissionDenied, match="only while you are an active connector"):
        actions.record_activity(by=people["connector"], site=site, data={})


def test_home_offers_recording_again_once_they_are_back(me, people, site):
    _move(me, people, "paused")
    home = client_for(people["connector"]).get(reverse("web:home")).content.decode()
    assert f'href="{NEW}"' not in home

    _move(me, people, "active")

    home = client_for(people["connector"]).get(reverse("web:home")).content.decode()
    assert f'href="{NEW}"' in home
    client = client_for(people["connector"])
    response = client.post(URL, json.dumps(api_activity(site)), content_type="application/json")
    assert response.status_code == 201
