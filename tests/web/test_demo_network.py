"""The demo's connectors (core20/web/demo/network.py): the demo connector active and linked
to her account, and a network at every stage of the pipeline, made through the actions."""

from itertools import pairwise

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.network import requirements
from core20.network.models import Connector, DevelopmentGoal, SupportNote
from core20.programme.models import PlusGroup
from core20.web.dashboard import dashboard_for
from core20.web.demo import _already_loaded, network
from core20.web.retention import apply_retention
from tests.conftest import client_for

Status = Connector.Status


@pytest.fixture
def loaded(demo_world):
    PlusGroup.objects.get_or_create(
        code="ethnic-minority-communities", defaults={"name": "Ethnic minority communities"}
    )
    network.load(demo_world)
    return demo_world


def test_the_demo_connector_is_active_and_linked_to_her_account(loaded):
    connie = loaded.made["connector"]
    assert connie.user == loaded.users["connector"]
    assert connie.site == loaded.site
    assert connie.status == Status.ACTIVE
    assert connie.name == "Connie Connector"
    assert requirements.readiness(connie).ready
    assert connie.started_on < loaded.today
    assert [g.code for g in connie.communities.all()] == ["ethnic-minority-communities"]
    # Through the pipeline, one step at a time.
    assert [c.to_status for c in connie.history.order_by("pk")] == [
        Status.INTERESTED,
        Status.CONVERSATION,
        Status.CHECKS,
        Status.TRAINING,
        Status.ACTIVE,
    ]
    assert _already_loaded(loaded)


def test_every_required_check_and_module_is_recorded_for_the_demo_connector(loaded):
    connie = loaded.made["connector"]
    required = requirements.required_checks(loaded.site)
    assert {c.code for c in required} == {"dbs", "references"}
    assert sorted(c.check_type.code for c in connie.checks.all()) == sorted(
        c.code for c in required
    )
    assert all(c.is_satisfied() and c.completed_on < loaded.today for c in connie.checks.all())
    modules = {m.pk for m in requirements.required_modules(loaded.site)}
    assert modules and set(requirements.latest_completions(connie)) == modules


def test_the_network_is_at_every_stage(loaded):
    connectors = loaded.made["connectors"]
    assert connectors[0] == loaded.made["connector"]
    assert len(connectors) == 8
    assert Connector.objects.filter(site=loaded.site).count() == 8
    stages = sorted(c.status for c in connectors)
    assert stages == sorted(
        [
            Status.ACTIVE,
            Status.ACTIVE,
            Status.INTERESTED,
            Status.INTERESTED,
            Status.CONVERSATION,
            Status.TRAINING,
            Status.PAUSED,
            Status.LEFT,
        ]
    )
    form = [c for c in connectors if c.source == Connector.Source.INTEREST_FORM]
    assert len(form) == 2 and all(c.status == Status.INTERESTED for c in form)
    paused = next(c for c in connectors if c.status == Status.PAUSED)
    assert paused.history.first().reason
    # Made-up people only.
    assert all(c.name.endswith(" Demo") for c in connectors[1:])
    assert len(loaded.summary) == 1 and loaded.summary[0].startswith("Connectors: 8 ")


def test_the_pipeline_has_a_history_not_a_single_day(loaded):
    today = loaded.today
    connectors = {c.name: c for c in loaded.made["connectors"]}
    assert all(c.created_at.date() < today for c in connectors.values())
    left = connectors["Sam Demo"]
    assert left.status == Status.LEFT and (today - left.status_changed_at.date()).days == 240
    changes = list(left.history.order_by("changed_at"))
    assert [c.to_status for c in changes] == [
        Status.INTERESTED,
        Status.CONVERSATION, Status.CHECKS, Status.TRAINING, Status.ACTIVE, Status.LEFT,
    ]  # fmt: skip
    assert all(a.changed_at < b.changed_at for a, b in pairwise(changes))
    # Nobody is due for erasure yet: the leaver left 8 months ago, interest is days old.
    run = apply_retention(erase=False)
    assert run.due["connectors_left"] == run.due["connectors_interest"] == []


def test_the_steps_were_audited(loaded):
    connie = loaded.made["connector"]
    host = loaded.users["host_coordinator"]
    events = AuditEvent.objects.filter(object_type="network.Connector", object_id=str(connie.pk))
    assert events.filter(verb=AuditEvent.Verb.CREATE, actor_id=host.pk).exists()
    assert events.filter(verb=AuditEvent.Verb.STATUS).count() == 4
    assert events.filter(summary="Linked to their existing account").exists()
    assert (
        AuditEvent.objects.filter(
            verb=AuditEvent.Verb.SUBMIT, summary="Expression of interest received"
        ).count()
        == 2
    )
    assert SupportNote.objects.filter(connector=connie).count() == 1
    assert DevelopmentGoal.objects.filter(connector=connie).count() == 2


def test_the_coordinator_sees_new_interest_and_a_check_to_renew(loaded):
    waiting = [w.text for w in dashboard_for(loaded.users["host_coordinator"]).waiting]
    assert "2 new expressions of interest" in waiting
    assert "1 connector with checks or training to renew" in waiting
    # The demo connector herself has nothing to renew.
    assert not [w for w in dashboard_for(loaded.users["connector"]).waiting if "renew" in w.text]


def test_the_pages_open(loaded):
    host = client_for(loaded.users["host_coordinator"])
    slug = loaded.site.slug
    response = host.get(reverse("network:site-connectors", args=[slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Asha Demo" in page and "Connie Connector" in page
    for connector in loaded.made["connectors"]:
        assert host.get(connector.get_absolute_url()).status_code == 200
    connie = client_for(loaded.users["connector"])
    response = connie.get(reverse("network:me"))
    assert response.status_code == 200
    assert "Run a health check stall" in response.content.decode()
