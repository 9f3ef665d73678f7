"""Inviting a connector to sign in says what happened: a new account is emailed a link to
choose a password; an existing account is linked and nobody is emailed. A connector whose
account has never been used can be sent the invitation again from their page."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.network.models import Connector
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _url(name: str, connector: Connector) -> str:
    return reverse(f"network:{name}", args=[connector.site.slug, connector.pk])


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _invite(client, connector, capture):
    with capture(execute=True):
        return client.post(_url("connector-invite", connector), follow=True)


def test_a_new_account_is_told_it_was_emailed_and_for_how_long(
    client_as, recruit, django_capture_on_commit_callbacks
):
    page = client_as("host").get(_url("connector-invite", recruit))
    assert "We email them a link to choose their password (it works for 3 days)" in _text(page)

    response = _invite(client_as("host"), recruit, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rita@example.org"]
    assert (
        "We have emailed Rita Recruit a link to choose a password (it works for 3 days)."
        in _text(response)
    )
    assert "already had an account" not in _text(response)


def test_an_existing_account_is_linked_and_the_message_says_no_email_was_sent(
    client_as, recruit, django_capture_on_commit_callbacks
):
    UserFactory(email="rita@example.org", full_name="Rita Recruit", last_login=timezone.now())
    page = _text(client_as("host").get(_url("connector-invite", recruit)))
    assert "There is already an account with the email address rita@example.org" in page
    assert "No email is sent: they sign in as usual" in page
    assert ">Link their account</button>" in page

    response = _invite(client_as("host"), recruit, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert (
        "Rita Recruit already had an account: it is now linked to this record. No email was "
        "sent: they sign in as usual." in _text(response)
    )
    assert "We have emailed" not in _text(response)
    assert "Send invitation again" not in _text(response)


def test_an_existing_account_never_used_is_offered_the_invitation_again(
    client_as, recruit, django_capture_on_commit_callbacks
):
    UserFactory(email="rita@example.org", full_name="Rita Recruit")  # never signed in
    page = _text(client_as("host").get(_url("connector-invite", recruit)))
    assert "They have not signed in to that account yet" in page

    response = _invite(client_as("host"), recruit, django_capture_on_commit_callbacks)

    assert mail.outbox == []
    text = _text(response)
    assert "No email was sent, and they have not signed in yet" in text
    assert "Send invitation again" in text
    assert ": has not signed in yet" in text


@pytest.mark.parametrize("who", ["host", "lead"])
def test_a_coordinator_sends_the_invitation_again_to_someone_who_never_signed_in(
    client_as, recruit, django_capture_on_commit_callbacks, who
):
    _invite(client_as("host"), recruit, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    page = _text(client_as(who).get(_url("connector-detail", recruit)))
    assert "Send invitation again" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(who).post(_url("connector-reinvite", recruit), follow=True)

    assert response.redirect_chain[-1][0] == _url("connector-detail", recruit)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rita@example.org"]
    assert "/password-reset/" in mail.outbox[0].body
    assert (
        "We have emailed Rita Recruit a new invitation to sign in. Its link works for 3 days."
        in _text(response)
    )
    event = AuditEvent.objects.get(summary="Sent the invitation to sign in again")
    assert event.site_id == recruit.site_id


def test_nothing_to_send_again_once_they_have_signed_in(
    client_as, recruit, django_capture_on_commit_callbacks
):
    _invite(client_as("host"), recruit, django_capture_on_commit_callbacks)
    recruit.refresh_from_db()
    recruit.user.last_login = timezone.now()
    recruit.user.save(update_fields=["last_login"])
    mail.outbox.clear()

    page = _text(client_as("host").get(_url("connector-detail", recruit)))
    assert "Send invitation again" not in page and "Can sign in" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("host").post(_url("connector-reinvite", recruit), follow=True)

    assert mail.outbox == []
    assert "has already signed in: there is nothing to resend" in _text(response)


def test_a_connector_who_left_is_not_sent_the_invitation_again(
    client_as, recruit, django_capture_on_commit_callbacks
):
    _invite(client_as("host"), recruit, django_capture_on_commit_callbacks)
    Connector.objects.filter(pk=recruit.pk).update(status=Connector.Status.LEFT)
    mail.outbox.clear()

    assert "Send invitation again" not in _text(
        client_as("host").get(_url("connector-detail", recruit))
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("host").post(_url("connector-reinvite", recruit), follow=True)

    assert mail.outbox == []
    assert "Rita Recruit has left: they cannot be invited" in _text(response)
