"""A connector whose record at a site is paused or left may not record insights there (their
connector role ends with the move: core20.network.actions.sync_role). Their home no longer
offers "Record an insight"; the form sends them back to their connector home with the
reason; the API (the offline form's sync) refuses with a 403 that says why and carries a
code, so a queued save is not retried in silence."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core20.insights import actions
from core20.insights.models import Insight
from tests.conftest import client_for
from tests.insights.helpers import api_insight
from tests.network.conftest import connector_and_host, own_record
from tests.network.conftest import move as _move

pytestmark = pytest.mark.django_db

URL = "/api/v1/insights"
REASON = (
    "You can record insights only while you are an active connector at Home Site. "
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
    response = client.post(URL, api_insight(site), content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize("stage", ["left", "paused"])
def test_the_api_refuses_them_and_says_why(me, people, site, stage):
    _move(me, people, stage)
    client = client_for(people["connector"])

    response = client.post(URL, api_insight(site), content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {"detail": REASON, "code": "not_active_connector"}
    assert not Insight.objects.exists()


@pytest.mark.parametrize("stage", ["left", "paused"])
def test_the_form_sends_them_home_with_the_reason(me, people, site, stage):
    form = reverse("insights:insight-create", args=[site.slug])
    home = client_for(people["connector"]).get(reverse("network:me")).content.decode()
    assert f'href="{form}"' in home

    _move(me, people, stage)
    client = client_for(people["connector"])

    assert f'href="{form}"' not in client.get(reverse("network:me")).content.decode()
    response = client.get(form, follow=True)
    assert response.redirect_chain == [(reverse("network:me"), 302)]
    assert REASON in response.content.decode()


def test_the_action_refuses_them_too(me, people, site):
    _move(me, people, "left")
    with pytest.raises(PermissionDenied, match="only while you are an active connector"):
        actions.raise_insight(site=site, by=people["connector"], data={})
