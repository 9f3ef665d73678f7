"""A connector moved to *Left* (or *Paused*) used to keep their *Community connector* role at
the site: their home still offered "Record an activity" and "Record an insight", and the
pages and the API still let them record there, while the hours app already refused them.
Moving them to paused or left now ends that role (``actions.sync_role``, audited with the
move), so the one authorisation check refuses them everywhere; moving them back gives it
again. Their connector home says why."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from core20.accounts import actions as account_actions
from core20.accounts.authorization import has_permission
from core20.accounts.models import Membership
from core20.accounts.permissions import Permission
from core20.accounts.roles import Connector as ConnectorRole
from core20.audit.models import AuditEvent
from core20.network import actions
from core20.network.importing import import_connectors
from core20.network.models import Connector
from tests.conftest import client_for
from tests.network.conftest import complete_requirements
from tests.network.home_panels import HOME, as_text

pytestmark = pytest.mark.django_db

ACTIVE = Connector.Status.ACTIVE


@pytest.fixture
def me(site, people):
    """Con Nector: an active connector at Home Site who signs in (the connector role there)."""
    connector = Connector.objects.create(
        site=site,
        user=people["connector"],
        name="Con Nector",
        email=people["connector"].email,
        status=ACTIVE,
    )
    complete_requirements(connector, people["host"])
    return connector


def _current_role(user, site) -> bool:
    return Membership.objects.filter(
        user=user, role=ConnectorRole.key, site=site, ended_at__isnull=True
    ).exists()


def _move(connector, to, people, reason="Moved away") -> None:
    actions.change_status(connector=connector, to=to, reason=reason, by=people["host"])


def _fresh(user):
    user.forget_memberships()
    return user


def _dashboard(user) -> str:
    response = client_for(user).get(reverse("web:home"))
    assert response.status_code == 200
    return as_text(response.content.decode())


@pytest.mark.parametrize("stage", ["left", "paused"])
def test_leaving_or_pausing_ends_the_connector_role_at_the_site(me, people, site, stage):
    user = people["connector"]
    assert "Record an activity" in _dashboard(user)

    _move(me, stage, people)

    assert not _current_role(user, site)
    assert not has_permission(_fresh(user), Permission.ACTIVITY_RECORD, site=site)
    # Audited with the move, by the coordinator who made it.
    revoke = AuditEvent.objects.get(verb=AuditEvent.Verb.REVOKE, object_id=str(user.pk))
    assert revoke.actor_id == people["host"].pk and revoke.site_id == site.pk
    assert revoke.summary == "Community connector for Home Site"
    # Their home no longer offers recording.
    text = _dashboard(user)
    assert "Record an activity" not in text and "Record an insight" not in text


def test_coming_back_from_paused_gives_the_role_again(me, people, site):
    user = people["connector"]
    _move(me, "paused", people, reason="A break")
    _move(me, "active", people)

    assert _current_role(user, site)
    assert has_permission(_fresh(user), Permission.ACTIVITY_RECORD, site=site)
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.GRANT, object_id=str(user.pk)).exists()
    assert "Record an activity" in _dashboard(user)


def test_coming_back_after_leaving_gives_the_role_again(me, people, site):
    user = people["connector"]
    _move(me, "left", people)
    _move(me, "training", people)  # back on the pipeline: the role waits until active

    assert not _current_role(user, site)
    _move(me, "active", people)
    assert _current_role(user, site)
    # Moving between other stages never grants it twice.
    _move(me, "paused", people)
    _move(me, "active", people)
    assert (
        Membership.objects.filter(
            user=user, role=ConnectorRole.key, site=site, ended_at__isnull=True
        ).count()
        == 1
    )


def test_another_role_at_the_site_is_kept(me, people, site, make_user):
    """A host coordinator who was also a connector there keeps coordinating."""
    staff = people["host"]
    actions_by = people["lead"]
    account_actions.grant_role(user=staff, role=ConnectorRole.key, site=site, by=actions_by)
    record = Connector.objects.create(site=site, user=staff, name="Hal Host", status=ACTIVE)
    actions.change_status(connector=record, to="left", reason="Stepped back", by=actions_by)

    assert not _current_role(staff, site)
    assert Membership.objects.filter(
        user=staff, role="host_coordinator", site=site, ended_at__isnull=True
    ).exists()
    # Host coordinators record activities anyway.
    assert has_permission(_fresh(staff), Permission.ACTIVITY_RECORD, site=site)


def test_the_connector_home_says_a_paused_role_is_paused(me, people):
    _move(me, "paused", people, reason="A break")

    text = as_text(client_for(people["connector"]).get(HOME).content.decode())

    assert "Your community connector role at Home Site is paused" in text
    assert (
        "You can record activities and insights only while you are an active connector at "
        "Home Site" in text
    )
    assert "has ended" not in text
    host = people["host"]
    assert f"Hal Host: {host.email}" in text


def test_the_connector_home_says_a_left_role_has_ended(me, people):
    _move(me, "left", people)

    text = as_text(client_for(people["connector"]).get(HOME).content.decode())

    assert "Your community connector role at Home Site has ended" in text


def test_the_header_still_leads_to_their_connector_home(me, people):
    """Without the connector role the header still links to their connector home (anyone
    with a connector record has one: core20.web.navigation), so the dashboard does not
    offer it a second time."""
    _move(me, "left", people)
    user = people["connector"]

    html = client_for(user).get(reverse("web:home")).content.decode()
    menu = html.split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]

    assert f'href="{HOME}"' in menu and "Your connector home" in menu
    assert "Go to your connector home" not in as_text(html)
    page = as_text(client_for(user).get(HOME).content.decode())
    assert "Your community connector role at Home Site has ended" in page


def test_an_import_that_moves_someone_to_left_ends_their_role(me, people, site):
    content = f"name,email,status\nCon Nector,{me.email},left\n".encode()

    import_connectors(site=site, name="list.csv", content=content, by=people["host"])

    me.refresh_from_db()
    assert me.status == Connector.Status.LEFT
    assert not _current_role(people["connector"], site)


def test_a_paused_connector_is_not_invited(site, people):
    paused = Connector.objects.create(
        site=site, name="Pat Paused", email="pat@example.org", status=Connector.Status.PAUSED
    )
    with pytest.raises(ValidationError, match="Pat Paused is paused: invite them once"):
        actions.invite_connector(connector=paused, by=people["host"])
    page = client_for(people["host"]).get(paused.get_absolute_url()).content.decode()
    assert "Invite to sign in" not in page


def test_the_migration_ends_the_roles_of_those_already_paused_or_left(me, people, site):
    """Records moved before this change kept the role; the data migration ends it."""
    Connector.objects.filter(pk=me.pk).update(status=Connector.Status.LEFT)
    assert _current_role(people["connector"], site)
    migration = importlib.import_module(
        "core20.network.migrations.0004_end_roles_of_paused_and_left"
    )

    migration.end_roles(apps, None)

    assert not _current_role(people["connector"], site)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.REVOKE, object_id=str(me.user_id))
    assert event.actor_label == "System" and event.site_id == site.pk
