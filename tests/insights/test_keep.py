"""Keeping an insight without sending it to decision-makers: it stops waiting to be sent
(list filter, dashboard), says why on its page, and can be put back or sent after all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.insights import actions
from core20.web.dashboard import dashboard_for
from tests.conftest import client_for
from tests.insights import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user):
    return {role: make_user(role) for role in ("host_coordinator", "connector", "site_lead")}


@pytest.fixture
def raised(site, people):
    return helpers.insight(site, people["connector"], summary="The bus stops before the clinic.")


def _new_count(user) -> int:
    found = [w for w in dashboard_for(user).waiting if "not yet sent" in w.text]
    return found[0].count if found else 0


def test_a_kept_insight_stops_waiting_to_be_sent_and_says_why(raised, people, client):
    host = people["host_coordinator"]
    assert _new_count(host) == 1
    actions.keep_insight(insight=raised, reason="Kept as evidence for transport", by=host)
    raised.refresh_from_db()
    assert raised.kept_by == host and raised.kept_reason == "Kept as evidence for transport"
    assert _new_count(host) == 0
    event = AuditEvent.objects.filter(summary="Kept without sending to decision-makers").get()
    assert event.actor_id == host.pk
    # The list: not among the new ones; found under "kept".
    client = client_for(host)
    listed = client.get(reverse("insights:insight-list"), {"status": "new"}).content.decode()
    assert "The bus stops before the clinic." not in listed
    kept = client.get(reverse("insights:insight-list"), {"status": "kept"}).content.decode()
    assert "The bus stops before the clinic." in kept
    page = client.get(raised.get_absolute_url()).content.decode()
    assert "Kept without sending on" in page and "Kept as evidence for transport" in page


def test_putting_it_back_makes_it_wait_again(raised, people):
    host = people["host_coordinator"]
    actions.keep_insight(insight=raised, reason="Sorted out locally", by=host)
    actions.reopen_insight(insight=raised, by=host)
    raised.refresh_from_db()
    assert raised.kept_at is None and raised.kept_reason == ""
    assert _new_count(host) == 1
    with pytest.raises(ValidationError, match="not kept back"):
        actions.reopen_insight(insight=raised, by=host)


def test_sending_a_kept_insight_after_all_undoes_keeping_it(raised, people, site):
    lead = people["site_lead"]
    actions.keep_insight(insight=raised, reason="Waiting for more evidence", by=lead)
    helpers.route(raised, [helpers.body(site, lead)], lead)
    raised.refresh_from_db()
    assert raised.kept_at is None
    assert AuditEvent.objects.filter(
        summary="No longer kept back: sent to decision-makers"
    ).exists()


def test_what_cannot_be_kept(raised, people, site):
    host, connector = people["host_coordinator"], people["connector"]
    with pytest.raises(ValidationError, match="Say why"):
        actions.keep_insight(insight=raised, reason="  ", by=host)
    with pytest.raises(PermissionDenied):
        actions.keep_insight(insight=raised, reason="Not for them", by=connector)
    helpers.route(raised, [helpers.body(site, host)], host)
    with pytest.raises(ValidationError, match="sent to decision-makers already"):
        actions.keep_insight(insight=raised, reason="Too late", by=host)
    raised.refresh_from_db()
    assert raised.kept_at is None


def test_the_pages_keep_and_put_back(raised, people):
    client = client_for(people["host_coordinator"])
    url = reverse("insights:insight-keep", args=[raised.pk])
    detail = client.get(raised.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Say why it is not being sent" in refused.content.decode()
    assert client.post(url, {"reason": "Kept for the theme"}).status_code == 302
    detail = client.get(raised.get_absolute_url()).content.decode()
    assert f'href="{url}"' not in detail  # already kept: the button is now "put back"
    reopen = reverse("insights:insight-reopen", args=[raised.pk])
    assert f'action="{reopen}"' in detail
    assert client.post(reopen).status_code == 302
    raised.refresh_from_db()
    assert raised.kept_at is None


def test_the_api_says_whether_and_why_it_was_kept(raised, people):
    host = people["host_coordinator"]
    client = client_for(host)
    shown = client.get(f"/api/v1/insights/{raised.pk}").json()
    assert shown["kept_at"] is None and shown["kept_reason"] == ""
    actions.keep_insight(insight=raised, reason="Kept for the transport theme", by=host)
    shown = client.get(f"/api/v1/insights/{raised.pk}").json()
    assert shown["kept_at"] and shown["kept_reason"] == "Kept for the transport theme"
