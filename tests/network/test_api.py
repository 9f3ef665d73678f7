"""The connector network API: a connector's own record; a site's connectors and pipeline;
the same actions (and refusals) as the pages."""

import pytest
from django.test import Client
from django.utils import timezone

from core20.accounts.actions import create_api_token
from core20.network.models import Connector
from tests.network.conftest import complete_requirements

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def call(people):
    tokens = {}

    def make(name: str, method: str, path: str, body=None):
        if name not in tokens:
            _, tokens[name] = create_api_token(user=people[name], name="t", by=people[name])
        headers = {"Authorization": f"Bearer {tokens[name]}"}
        client = Client()
        if method == "get":
            return client.get(f"{API}{path}", body or {}, headers=headers)
        return client.post(
            f"{API}{path}", body or {}, content_type="application/json", headers=headers
        )

    return make


def test_connector_sees_only_their_own_record_and_training_due(site, people, call):
    Connector.objects.create(site=site, name="Con Nector", user=people["connector"])
    Connector.objects.create(site=site, name="Someone Else", email="e@example.org")
    body = call("connector", "get", "/network/me").json()
    assert [r["name"] for r in body] == ["Con Nector"]
    assert {d["module_code"] for d in body[0]["training_due"]} == {
        "induction",
        "safeguarding",
        "data-protection",
    }
    assert all(d["state"] == "not done" for d in body[0]["training_due"])
    assert call("connector", "get", "/network/me/training").json() == []
    assert call("connector", "get", f"/network/sites/{site.slug}/connectors").status_code == 403
    assert Client().get(f"{API}/network/me").status_code == 401


def test_coordinator_lists_and_moves_connectors(site, recruit, people, call):
    listed = call("host", "get", f"/network/sites/{site.slug}/connectors", {"stage": "interested"})
    assert [c["name"] for c in listed.json()["items"]] == ["Rita Recruit"]
    path = f"/network/sites/{site.slug}/connectors/{recruit.pk}"

    refused = call("host", "post", f"{path}/status", {"status": "active"})
    assert refused.status_code == 422
    message = refused.json()["errors"][0]["message"]
    assert "DBS check" in message and "Connector induction" in message

    today = timezone.localdate().isoformat()
    checked = call(
        "lead",
        "post",
        f"{path}/checks",
        {"check_type": "dbs", "status": "clear", "completed_on": today},
    )
    assert checked.status_code == 200 and "DBS check" not in checked.json()["missing_checks"]
    trained = call(
        "lead", "post", f"{path}/training", {"module": "induction", "completed_on": today}
    )
    assert trained.status_code == 200
    assert "Connector induction" not in trained.json()["missing_training"]
    unknown = call(
        "lead", "post", f"{path}/training", {"module": "juggling", "completed_on": today}
    )
    assert unknown.status_code == 422

    complete_requirements(recruit, people["host"])
    moved = call("host", "post", f"{path}/status", {"status": "active"})
    assert moved.status_code == 200 and moved.json()["status"] == "active"
    pipeline = call("admin", "get", f"/network/sites/{site.slug}/pipeline").json()
    assert {s["status"]: s["count"] for s in pipeline["stages"]}["active"] == 1


def test_other_sites_and_other_roles_are_refused(site, other_site, recruit, people, call):
    path = f"/network/sites/{site.slug}/connectors/{recruit.pk}"
    assert call("other_host", "get", path).status_code == 404
    assert call("analyst", "get", path).status_code == 403
    assert (
        call("connector", "post", f"{path}/status", {"status": "conversation"}).status_code == 403
    )
    assert (
        call("other_host", "post", f"{path}/status", {"status": "conversation"}).status_code == 404
    )
    recruit.refresh_from_db()
    assert recruit.status == "interested"
    # Lived experience is never in the API.
    assert "lived_experience" not in call("host", "get", path).json()


def test_an_erased_connector_shows_as_erased_and_refuses_changes(site, recruit, people, call):
    from core20.network.personal_data import erase_connector

    erase_connector(connector=recruit, by=people["host"], reason="Asked")
    path = f"/network/sites/{site.slug}/connectors/{recruit.pk}"

    shown = call("lead", "get", path).json()
    assert shown["name"] == f"Former connector {recruit.pk}" and shown["email"] == ""
    assert shown["erased_at"] is not None
    refused = call("lead", "post", f"{path}/status", {"status": "conversation"})
    assert refused.status_code == 422
    assert "erased" in refused.json()["errors"][0]["message"]
