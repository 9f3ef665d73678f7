"""A connector's *Community connector* role at a site (which lets them record activities and
insights there) is current only while their connector record is active. Inviting someone
still in checks or training used to grant it at once, so they could record before their
checks and training were done, while the hours app already refused them. Now the
invitation gives them an account (their training and checks) and the role comes when their
coordinator makes them active (``actions.sync_role``); moving them back to any earlier
stage ends it. The pages, the API and their connector home say why."""

import importlib
import json

import pytest
from django.apps import apps
from django.test import RequestFactory
from django.urls import reverse

from core20.accounts.authorization import has_permission
from core20.accounts.models import Membership, User
from core20.accounts.permissions import Permission
from core20.accounts.roles import Connector as ConnectorRole
from core20.audit.models import AuditEvent
from core20.engagement.models import Activity
from core20.insights.models import Insight
from core20.network import actions
from core20.network.models import Connector
from tests.conftest import client_for
from tests.engagement.helpers import api_activity
from tests.insights.helpers import api_insight
from tests.network.conftest import complete_requirements
from tests.network.home_panels import HOME, as_text

pytestmark = pytest.mark.django_db

NEW_ACTIVITY = reverse("engagement:activity-new")
ACTIVITY_REASON = (
    "You can record activities once you are an active connector at Home Site: your "
    "coordinator makes you active when your checks and training are done."
)
INSIGHT_REASON = (
    "You can record insights once you are an active connector at Home Site: your "
    "coordinator makes you active when your checks and training are done."
)


@pytest.fixture
def trainee(site, people):
    """Tia Trainee, in training at Home Site, checks and training done, no account yet."""
    connector = Connector.objects.create(
        site=site, name="Tia Trainee", email="tia@example.org", status=Connector.Status.TRAINING
    )
    complete_requirements(connector, people["host"])
    return connector


def _invite(connector, people) -> User:
    user = actions.invite_connector(connector=connector, by=people["host"])
    connector.refresh_from_db()
    return user


def _current_role(user, site) -> bool:
    return Membership.objects.filter(
        user=user, role=ConnectorRole.key, site=site, ended_at__isnull=True
    ).exists()


def _move(connector, to, people) -> None:
    actions.change_status(connector=connector, to=to, reason="Moved", by=people["host"])


def _post(user, url, body):
    return client_for(user).post(url, json.dumps(body), content_type="application/json")


def test_invited_in_training_they_sign_in_but_hold_no_role(trainee, people, site):
    user = _invite(trainee, people)

    assert trainee.user_id == user.pk
    assert not _current_role(user, site)
    assert not has_permission(user, Permission.ACTIVITY_RECORD, site=site)
    # They can sign in and see their own home, which says why they cannot record yet.
    response = client_for(user).get(HOME)
    assert response.status_code == 200
    text = as_text(response.content.decode())
    assert (
        "You can record activities and insights once you are an active connector at Home "
        "Site: your coordinator makes you active when your checks and training are done."
    ) in text
    assert "has ended" not in text and "is paused" not in text
    assert "Record an activity" not in text and "Record an insight" not in text
    assert "Your training" in text
    # The header leads them there (anyone with a connector record), not to recording.
    html = client_for(user).get(reverse("web:home")).content.decode()
    menu = html.split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{HOME}"' in menu
    assert f'href="{NEW_ACTIVITY}"' not in html
    assert f'href="{reverse("engagement:activity-list")}"' not in menu


def test_the_activity_form_sends_them_home_with_the_reason(trainee, people):
    user = _invite(trainee, people)

    response = client_for(user).get(NEW_ACTIVITY, follow=True)

    assert response.redirect_chain == [(HOME, 302)]
    assert ACTIVITY_REASON in as_text(response.content.decode())


def test_the_insight_form_sends_them_home_with_the_reason(trainee, people, site):
    user = _invite(trainee, people)
    form = reverse("insights:insight-create", args=[site.slug])

    response = client_for(user).get(form, follow=True)

    assert response.redirect_chain[-1] == (HOME, 302)
    assert INSIGHT_REASON in as_text(response.content.decode())


def test_the_api_refuses_them_and_says_why(trainee, people, site):
    user = _invite(trainee, people)

    activity = _post(user, "/api/v1/activities", api_activity(site))
    insight = _post(user, "/api/v1/insights", api_insight(site))

    assert activity.status_code == 403
    assert activity.json() == {"detail": ACTIVITY_REASON, "code": "not_active_connector"}
    assert insight.status_code == 403
    assert insight.json() == {"detail": INSIGHT_REASON, "code": "not_active_connector"}
    assert not Activity.objects.exists() and not Insight.objects.exists()


def test_made_active_they_can_record(trainee, people, site):
    user = _invite(trainee, people)

    _move(trainee, "active", people)

    assert _current_role(user, site)
    grant = AuditEvent.objects.get(verb=AuditEvent.Verb.GRANT, object_id=str(user.pk))
    assert grant.actor_id == people["host"].pk and grant.site_id == site.pk
    assert _post(user, "/api/v1/activities", api_activity(site)).status_code == 201
    assert _post(user, "/api/v1/insights", api_insight(site)).status_code == 201
    text = as_text(client_for(user).get(HOME).content.decode())
    assert "Record an activity" in text and "once you are an active connector" not in text


@pytest.mark.parametrize("stage", ["training", "checks", "conversation"])
def test_moved_back_from_active_to_an_earlier_stage_ends_the_role(trainee, people, site, stage):
    user = _invite(trainee, people)
    _move(trainee, "active", people)

    _move(trainee, stage, people)

    assert not _current_role(user, site)
    revoke = AuditEvent.objects.get(verb=AuditEvent.Verb.REVOKE, object_id=str(user.pk))
    assert revoke.actor_id == people["host"].pk and revoke.site_id == site.pk
    response = _post(user, "/api/v1/activities", api_activity(site))
    assert response.status_code == 403 and response.json()["code"] == "not_active_connector"


def test_an_active_connector_invited_gets_the_role_at_once(trainee, people, site):
    _move(trainee, "active", people)  # no account yet: nothing to grant

    user = _invite(trainee, people)

    assert _current_role(user, site)
    assert _post(user, "/api/v1/activities", api_activity(site)).status_code == 201


def test_linking_an_existing_account_in_training_gives_no_role(trainee, people, site, make_user):
    """An account that already exists (a community member, say) is linked, not given the
    connector role, while the record is in training."""
    existing = make_user("community_member", email="tia@example.org", full_name="Tia Trainee")

    user = _invite(trainee, people)

    assert user.pk == existing.pk
    assert not _current_role(user, site)


def test_the_invite_page_and_message_say_when_they_can_record(trainee, people):
    client = client_for(people["host"])
    invite = reverse("network:connector-invite", args=[trainee.site.slug, trainee.pk])

    page = as_text(client.get(invite).content.decode())
    response = client.post(invite, follow=True)

    expected = (
        "They can sign in now to see their training and checks. They can record activities "
        "and insights once you make them active."
    )
    assert expected in page
    text = as_text(response.content.decode())
    assert "to see their training and checks" in text
    assert "They can record activities and insights once you make them active." in text


def test_sending_the_invitation_again_works_before_they_are_active(trainee, people):
    _invite(trainee, people)
    request = RequestFactory().post("/")

    actions.reinvite_connector(connector=trainee, by=people["host"], request=request)

    event = AuditEvent.objects.filter(summary="Sent the invitation to sign in again").get()
    assert event.site_id == trainee.site_id


def test_the_migration_ends_roles_of_connectors_not_active_yet(trainee, people, site, make_user):
    """People invited in checks or training before this change hold the role; the data
    migration ends it, audited as the system. An active connector keeps theirs."""
    user = _invite(trainee, people)
    Membership.objects.create(user=user, role=ConnectorRole.key, site=site)  # as before
    active = people["connector"]
    Connector.objects.create(site=site, user=active, name="Con Nector", status="active")
    assert _current_role(user, site) and _current_role(active, site)
    migration = importlib.import_module(
        "core20.network.migrations.0005_end_roles_of_connectors_not_yet_active"
    )

    migration.end_roles(apps, None)

    assert not _current_role(user, site)
    assert _current_role(active, site)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.REVOKE, object_id=str(user.pk))
    assert event.actor_label == "System" and event.site_id == site.pk
    assert "training stage" in event.summary
