"""The demo's sample work as a whole (core20/web/demo): every part runs, in one transaction,
once; each demo user then finds something on their dashboard."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from core20.audit.models import AuditEvent
from core20.network.models import Connector
from core20.web.dashboard import dashboard_for
from core20.web.demo import ALREADY_LOADED, STEPS, load_demo_content

pytestmark = pytest.mark.django_db


def test_every_part_runs_once_and_a_second_run_adds_nothing(demo_world):
    before = AuditEvent.objects.count()  # the demo users' roles
    summary = load_demo_content()
    assert len(summary) == len(STEPS)
    events = AuditEvent.objects.count()
    assert events > before + 50  # every record made through an action, so audited
    assert load_demo_content() == [ALREADY_LOADED]
    # Someone whose demo database predates a new part is told how to get it.
    assert "delete var/core20.sqlite3 and run ./scripts/demo again" in ALREADY_LOADED
    assert AuditEvent.objects.count() == events


def test_the_demo_users_find_work_waiting(demo_world):
    load_demo_content()
    for role in ("host_coordinator", "decision_maker", "national_admin"):
        assert dashboard_for(demo_world.users[role]).waiting, f"nothing waits for the {role}"


def test_a_failing_part_leaves_nothing_behind(demo_world, monkeypatch):
    from core20.web.demo import hours

    def broken(world):
        raise RuntimeError("the hours part broke")

    monkeypatch.setattr(hours, "load", broken)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        load_demo_content()
    # The network part ran before hours broke: its connectors went with the rollback.
    assert AuditEvent.objects.count() == before
    assert not Connector.objects.exists()


@override_settings(DEBUG=False)
def test_the_command_refuses_without_debug(demo_world):
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_content")
    assert AuditEvent.objects.count() == before
