"""A connector paused for longer than ACCOUNT_RETENTION_MONTHS, who did not sign in
meanwhile, has their account anonymised by the unused-accounts rule (docs/privacy.md) while
their connector record stays linked to it. Moving them back then gave them no usable role,
and they could not be invited again because the record already had an account. A record
whose account was anonymised now counts as having none: the page says the old account was
closed for not being used, and the coordinator can invite them again, which links the new
account in place of the closed one (audited). Renewal reminders go to the email on the
record, not to the closed account's anonymised address."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import has_permission
from core20.accounts.models import Membership, User
from core20.accounts.permissions import Permission
from core20.accounts.roles import Connector as ConnectorRole
from core20.audit.models import AuditEvent
from core20.network import actions
from core20.network.models import Connector, TrainingCompletion
from core20.web.retention import apply_retention
from tests.network.conftest import complete_requirements

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=800)


def _url(name: str, connector: Connector) -> str:
    return reverse(f"network:{name}", args=[connector.site.slug, connector.pk])


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def closed(recruit, people, rf):
    """Rita: invited, made active, paused long ago, never signed in since: the retention run
    anonymised her account; her connector record still links to it."""
    host = people["host"]
    actions.invite_connector(connector=recruit, by=host, request=rf.get("/"))
    complete_requirements(recruit, host)
    actions.change_status(connector=recruit, to=Connector.Status.ACTIVE, by=host)
    actions.change_status(
        connector=recruit, to=Connector.Status.PAUSED, reason="Caring for family", by=host
    )
    recruit.refresh_from_db()
    old = recruit.user
    Membership.objects.filter(user=old).update(ended_at=LONG_AGO)
    User.objects.filter(pk=old.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)

    apply_retention(erase=True)

    recruit.refresh_from_db()
    assert recruit.user_id == old.pk and recruit.user.erased_at is not None
    return recruit


def test_the_page_says_the_account_was_closed_and_they_can_be_invited_once_back(
    closed, client_as, people
):
    page = _text(client_as("host").get(_url("connector-detail", closed)))
    assert "Their account was closed on" in page
    assert "because it had not been used for 24 months" in page
    assert "Once they are back (moved out of paused), you can invite them to sign in again" in page
    assert "Can sign in" not in page

    actions.change_status(connector=closed, to=Connector.Status.ACTIVE, by=people["host"])

    page = _text(client_as("host").get(_url("connector-detail", closed)))
    assert "You can invite them to sign in again." in page
    assert ">Invite to sign in</a>" in page


def test_a_coordinator_invites_them_again_and_the_new_account_replaces_the_closed_one(
    closed, client_as, people, django_capture_on_commit_callbacks
):
    old = closed.user
    actions.change_status(connector=closed, to=Connector.Status.ACTIVE, by=people["host"])
    mail.outbox.clear()
    page = _text(client_as("host").get(_url("connector-invite", closed)))
    assert "Their old account was closed because it was not used" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("host").post(_url("connector-invite", closed), follow=True)

    assert "We have emailed Rita Recruit a link to choose a password" in _text(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rita@example.org"]
    closed.refresh_from_db()
    new = closed.user
    assert new.pk != old.pk and new.email == "rita@example.org" and new.erased_at is None
    assert has_permission(new, Permission.ACTIVITY_RECORD, site=closed.site)
    assert Membership.objects.filter(
        user=new, role=ConnectorRole.key, site=closed.site, ended_at__isnull=True
    ).exists()
    event = AuditEvent.objects.filter(object_id=str(closed.pk)).latest("pk")
    assert event.summary == (
        "Invited to sign in, in place of their account closed for not being used"
    )
    assert event.changes == {"account": [f"Former user {old.pk}", "Rita Recruit"]}
    assert "Their account was closed" not in _text(response)


def test_the_closed_account_is_not_sent_the_invitation_again(closed, people, rf):
    actions.change_status(connector=closed, to=Connector.Status.ACTIVE, by=people["host"])
    closed.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        actions.reinvite_connector(connector=closed, by=people["host"], request=rf.get("/"))
    assert "account was closed because it was not used: invite them to sign in again" in str(
        exc.value
    )


def test_a_renewal_reminder_goes_to_the_email_on_the_record_not_the_closed_account(closed, people):
    # Their data protection training runs out in 20 days.
    TrainingCompletion.objects.filter(connector=closed).update(expires_on=None)
    TrainingCompletion.objects.filter(connector=closed, module__code="data-protection").update(
        expires_on=timezone.localdate() + datetime.timedelta(days=20)
    )
    mail.outbox.clear()

    call_command("send_training_reminders", stdout=io.StringIO())

    to_connector = [m.to for m in mail.outbox if m.subject.startswith("Your ")]
    assert to_connector == [["rita@example.org"]]


def test_erasing_their_details_leaves_the_closed_account_as_it_was(closed, people):
    from core20.network.personal_data import erase_connector

    account = closed.user
    closed_on = account.erased_at
    events = AuditEvent.objects.filter(object_type="accounts.User", object_id=str(account.pk))
    before = events.count()
    actions.change_status(
        connector=closed, to=Connector.Status.LEFT, reason="Moved away", by=people["host"]
    )

    erase_connector(connector=closed, by=people["host"], reason="They asked us to")

    account.refresh_from_db()
    assert account.erased_at == closed_on  # not anonymised a second time
    assert events.count() == before
    closed.refresh_from_db()
    assert closed.erased_at is not None
