"""Connector network fixtures: people in each role (a host coordinator of another site too),
clients signed in as them, and a helper that completes a connector's checks and training."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from core20.network import actions, requirements
from core20.network.models import Check, Connector
from tests.conftest import sign_in


@pytest.fixture
def people(make_user, other_site):
    return {
        "admin": make_user("national_admin", full_name="Ada Admin"),
        "analyst": make_user("national_analyst", full_name="Ana Analyst"),
        "lead": make_user("site_lead", full_name="Lee Lead"),
        "host": make_user("host_coordinator", full_name="Hal Host"),
        "connector": make_user("connector", full_name="Con Nector"),
        "other_host": make_user("host_coordinator", scope_site=other_site, full_name="Olly Other"),
    }


@pytest.fixture
def client_as(people):
    def make(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            sign_in(client, people[name])
        return client

    return make


@pytest.fixture
def recruit(site, people):
    """A connector at `site` who has expressed interest."""
    return Connector.objects.create(site=site, name="Rita Recruit", email="rita@example.org")


def complete_requirements(connector: Connector, by, on: datetime.date | None = None) -> None:
    """Clear every check and complete every module the connector's site requires."""
    on = on or timezone.localdate()
    for check_type in requirements.required_checks(connector.site):
        actions.record_check(
            connector=connector,
            check_type=check_type,
            status=Check.Status.CLEAR,
            completed_on=on,
            by=by,
        )
    for module in requirements.required_modules(connector.site):
        actions.record_training(connector=connector, module=module, completed_on=on, by=by)


def own_record(site, people: dict) -> Connector:
    """An active connector record for ``people["connector"]`` at ``site``, with every check
    and module done (by ``people["host"]``) so that they may be made active again after a
    move."""
    record = Connector.objects.create(
        site=site, user=people["connector"], name="Con Nector", status=Connector.Status.ACTIVE
    )
    complete_requirements(record, people["host"])
    return record


def move(record: Connector, people: dict, to: str) -> None:
    """Move ``record`` to stage ``to`` as ``people["host"]`` (which ends or gives the
    connector role: network.actions.sync_role) and forget ``people["connector"]``'s roles
    cached for the request."""
    actions.change_status(connector=record, to=to, reason="Moved away", by=people["host"])
    people["connector"].forget_memberships()


def connector_and_host(make_user) -> dict:
    """A connector (Con Nector) and their host coordinator (Hal Host), for ``own_record``
    and ``move``."""
    return {
        "connector": make_user("connector", full_name="Con Nector"),
        "host": make_user("host_coordinator", full_name="Hal Host"),
    }
