"""The stakeholder mailing list: consent, double opt-in, unsubscribing without signing in
(by link and by one-click POST, with no CSRF token), hash-only suppression, and notices that
reach only confirmed subscribers, each with its own unsubscribe header."""

import email
import email.policy
import html
import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.knowledge import actions, tokens
from core20.knowledge.models import Mailing, Subscriber, Suppression, email_hash
from core20.knowledge.views import mailing_list
from tests.knowledge import helpers

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _sign_up(client, capture, **data):
    form = {"email": "Sam@Example.org", "name": "Sam", "organisation": "Healthwatch", **data}
    with capture(execute=True):
        return client.post(reverse("knowledge:mailing-list-signup"), form)


def _link(message, name) -> str:
    for word in message.body.split():
        if f"/knowledge/mailing-list/{name}/" in word:
            return word.removeprefix("http://testserver")
    raise AssertionError(f"no {name} link in {message.body}")


def test_sign_up_without_consent_is_refused(client, django_capture_on_commit_callbacks):
    response = _sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert "Tick the box to agree to receive emails from Core20 Connect" in page
    assert 'href="#id_consent"' in page
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_the_consent_box_starts_unticked_and_the_page_explains_what_is_kept(client):
    page = client.get(reverse("knowledge:mailing-list-signup")).content.decode()
    assert 'type="checkbox" name="consent"' in page
    assert "checked" not in page.split('name="consent"')[1].split(">")[0]
    assert "What we keep, and for how long" in page
    assert "keyed hash" in page


def test_sign_up_stores_consent_and_needs_confirmation(client, django_capture_on_commit_callbacks):
    response = _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledge:mailing-list-check-email")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "sam@example.org"
    assert subscriber.consent_text == actions.CONSENT_TEXT
    assert subscriber.consented_at is not None
    assert subscriber.confirmed_at is None  # not on the list until confirmed
    assert list(actions.recipients()) == []

    (message,) = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/knowledge/")

    confirm = _link(message, "confirm")
    # Opening the link shows a button; only pressing it confirms (mail scanners open links).
    assert "Confirm your sign-up" in client.get(confirm).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None
    assert "You are signed up" in client.post(confirm).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert list(actions.recipients()) == [subscriber]
    # Audit events about subscribers never hold the address.
    for event in AuditEvent.objects.filter(object_type="knowledge.Subscriber"):
        assert "example.org" not in f"{event.object_label}{event.summary}{event.changes}"


def test_check_your_email_says_which_address_the_email_went_to(
    client, django_capture_on_commit_callbacks
):
    response = _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    assert "example" not in response["Location"].lower()  # never in the address bar
    shown = client.get(response["Location"])
    page = re.sub(r"<[^>]+>", "", _text(shown))
    assert "We have sent an email to sam@example.org." in page
    assert "Sign up again with the right one" in page
    assert "no-store" in shown["Cache-Control"]
    # Shown once: the session keeps no copy of the address afterwards.
    assert mailing_list.SENT_TO not in client.session
    # Someone else, with no sign-up in their session, sees no address.
    other = _text(Client().get(reverse("knowledge:mailing-list-check-email")))
    assert "We have sent you an email." in other and "sam@example.org" not in other


def test_bad_old_and_superseded_confirmation_links_do_not_work(client):
    subscriber = helpers.subscriber(confirmed=False)
    assert client.get("/knowledge/mailing-list/confirm/nonsense/").status_code == 400

    real_time = time.time
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(signing.time, "time", lambda: real_time() - 8 * 24 * 60 * 60)
        old = tokens.confirm_token(subscriber)
    response = client.post(reverse("knowledge:mailing-list-confirm", args=[old]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()

    token = tokens.confirm_token(subscriber)
    subscriber.consented_at = timezone.now() + timedelta(seconds=5)  # signed up again since
    subscriber.save()
    assert client.post(reverse("knowledge:mailing-list-confirm", args=[token])).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_a_second_sign_up_soon_after_sends_no_second_email(
    client, django_capture_on_commit_callbacks
):
    _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    assert len(mail.outbox) == 1


def test_signing_up_again_when_confirmed_changes_nothing_and_says_so(
    client, django_capture_on_commit_callbacks
):
    subscriber = helpers.subscriber("sam@example.org")
    response = _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    assert response.status_code == 302  # the same page: the form does not reveal who is on it
    (message,) = mail.outbox
    assert "You already get them" in message.body
    assert "List-Unsubscribe" in message.extra_headers
    assert Subscriber.objects.get().consented_at == subscriber.consented_at


def test_unconfirmed_sign_ups_are_deleted_after_the_link_expires(
    client, django_capture_on_commit_callbacks
):
    stale = helpers.subscriber("old@example.org", confirmed=False)
    Subscriber.objects.filter(pk=stale.pk).update(
        consented_at=timezone.now() - timedelta(days=tokens.CONFIRM_DAYS + 1)
    )
    _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["sam@example.org"]


def test_unsubscribe_link_works_without_signing_in(client):
    subscriber = helpers.subscriber()
    url = reverse(
        "knowledge:mailing-list-unsubscribe", args=[tokens.unsubscribe_token(subscriber.email_hash)]
    )
    page = client.get(url)
    assert page.status_code == 200 and "Unsubscribe from programme updates" in _text(page)
    assert Subscriber.objects.exists()  # opening the link alone changes nothing
    response = client.post(url)
    assert response.status_code == 200
    assert "You have unsubscribed" in response.content.decode()
    assert not Subscriber.objects.exists()
    (suppression,) = Suppression.objects.all()
    assert suppression.email_hash == email_hash("pat@example.org")
    assert "pat@example.org" not in str(
        list(Suppression.objects.values()) + list(AuditEvent.objects.values())
    )


def test_one_click_unsubscribe_post_needs_no_csrf_token_or_session():
    subscriber = helpers.subscriber()
    client = Client(enforce_csrf_checks=True)
    url = reverse(
        "knowledge:mailing-list-unsubscribe", args=[tokens.unsubscribe_token(subscriber.email_hash)]
    )
    response = client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    # Doing it again is harmless.
    assert (
        client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert Suppression.objects.count() == 1


def test_a_forged_unsubscribe_token_does_nothing():
    helpers.subscriber()
    client = Client(enforce_csrf_checks=True)
    forged = signing.dumps(email_hash("pat@example.org"), salt="something else")
    for token in ("nonsense", forged, tokens.confirm_token(Subscriber.objects.get())):
        response = client.post(reverse("knowledge:mailing-list-unsubscribe", args=[token]))
        assert response.status_code == 400
    assert Subscriber.objects.count() == 1
    assert not Suppression.objects.exists()


def test_other_mailing_list_forms_still_need_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("knowledge:mailing-list-signup"), {"email": "a@example.org", "consent": "on"}
    )
    assert response.status_code == 403
    subscriber = helpers.subscriber(confirmed=False)
    url = reverse("knowledge:mailing-list-confirm", args=[tokens.confirm_token(subscriber)])
    assert client.post(url).status_code == 403


def test_signing_up_again_after_unsubscribing_lifts_the_suppression(
    client, django_capture_on_commit_callbacks
):
    Suppression.objects.create(email_hash=email_hash("sam@example.org"))
    _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    assert Suppression.objects.exists()  # until the new sign-up is confirmed
    client.post(_link(mail.outbox[0], "confirm"))
    assert not Suppression.objects.exists()
    assert actions.recipients().count() == 1


# ---- notices ----


def test_a_notice_reaches_only_confirmed_subscribers_each_with_its_unsubscribe_header(
    admin_client, admin, django_capture_on_commit_callbacks
):
    helpers.subscriber("one@example.org", name="One")
    helpers.subscriber("two@example.org")
    helpers.subscriber("pending@example.org", confirmed=False)
    helpers.subscriber("suppressed@example.org")
    Suppression.objects.create(email_hash=email_hash("suppressed@example.org"))

    response = admin_client.post(
        reverse("knowledge:mailing-create"),
        {"subject": "Wave 3 is open", "body": "Expressions of interest are open until May."},
    )
    mailing = Mailing.objects.get()
    assert response["Location"] == mailing.get_absolute_url()
    preview = admin_client.get(mailing.get_absolute_url()).content.decode()
    assert "Send to 2 subscribers" in preview
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("knowledge:mailing-send", args=[mailing.pk]))
    assert response.status_code == 302

    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    for message in mail.outbox:
        assert message.subject == "Wave 3 is open"
        assert "Expressions of interest are open until May." in message.body
        header = message.extra_headers["List-Unsubscribe"]
        # The header is this person's own unsubscribe link (the token is signed with a
        # timestamp, so it is read back rather than made again).
        prefix = "<http://testserver" + reverse(
            "knowledge:mailing-list-unsubscribe", args=["TOKEN"]
        ).removesuffix("TOKEN/")
        assert header.startswith(prefix) and header.endswith("/>")
        token = header.removeprefix(prefix).removesuffix("/>")
        assert tokens.read_unsubscribe_token(token) == email_hash(message.to[0])
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert header.strip("<>") in message.body
        # The header's address really unsubscribes that person, with a one-click POST.
        path = header.strip("<>").removeprefix("http://testserver")
        assert Client(enforce_csrf_checks=True).post(path).status_code == 200
    # Each message unsubscribes only its own address.
    assert actions.recipients().count() == 0

    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert mailing.recipient_count == 2 and mailing.failed_count == 0
    assert mailing.sent_at and mailing.queued_by == admin and mailing.task_id
    summaries = list(
        AuditEvent.objects.filter(object_type="knowledge.Mailing").values_list("summary", flat=True)
    )
    assert "Notice emailed to 2 subscribers" in summaries
    page = admin_client.get(reverse("knowledge:mailing-list")).content.decode()
    assert "Wave 3 is open" in page


def test_a_notice_is_sent_once(admin, django_capture_on_commit_callbacks):
    helpers.subscriber()
    mailing = actions.create_mailing(data={"subject": "Hello", "body": "News"}, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        actions.queue_mailing(mailing=mailing, base_url="https://example.org", by=admin)
    with pytest.raises(ValidationError, match="can only be sent once"):
        actions.queue_mailing(mailing=mailing, base_url="https://example.org", by=admin)
    actions.deliver(mailing.pk)  # a second run of the task finds nothing to do
    assert len(mail.outbox) == 1
    with pytest.raises(ValidationError):
        actions.update_mailing(mailing=mailing, data={"subject": "Changed"}, by=admin)


def test_notice_validation(admin_client):
    response = admin_client.post(reverse("knowledge:mailing-create"), {"subject": "", "body": ""})
    page = response.content.decode()
    assert "Enter a subject" in page and "Enter the message" in page
    assert not Mailing.objects.exists()


def test_only_mailing_list_senders_send(make_user, admin):
    mailing = actions.create_mailing(data={"subject": "Hi", "body": "News"}, by=admin)
    for role in ("national_analyst", "site_lead"):
        with pytest.raises(PermissionDenied):
            actions.queue_mailing(mailing=mailing, base_url="https://x", by=make_user(role))
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT


def test_a_mail_server_failure_is_recorded(admin, monkeypatch, django_capture_on_commit_callbacks):
    from core20.knowledge import emails

    helpers.subscriber()

    def broken(messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(emails, "send", broken)
    mailing = actions.create_mailing(data={"subject": "Hi", "body": "News"}, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        actions.queue_mailing(mailing=mailing, base_url="https://example.org", by=admin)
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.FAILED
    assert mailing.recipient_count == 0 and mailing.failed_count == 1
    assert "mail server down" in mailing.error


def test_subscriber_audit_events_do_not_say_who_even_when_signed_in(
    admin_client, admin, django_capture_on_commit_callbacks
):
    _sign_up(admin_client, django_capture_on_commit_callbacks, consent="on")
    admin_client.post(_link(mail.outbox[0], "confirm"))
    admin_client.post(_link(mail.outbox[0], "unsubscribe"))
    events = AuditEvent.objects.filter(object_type="knowledge.Subscriber")
    assert events.count() == 3
    assert set(events.values_list("actor_id", "actor_label")) == {(None, "System")}


def test_the_unsubscribe_header_is_sent_as_a_plain_address_mail_programs_can_read(
    client, django_capture_on_commit_callbacks
):
    """The address is longer than a folded header line and has no spaces: it must not be
    written as RFC 2047 encoded words (=?utf-8?q?=3Chttp...), which mail programs do not read
    in List-Unsubscribe, so they would offer no unsubscribe button."""
    _sign_up(client, django_capture_on_commit_callbacks, consent="on")
    (message,) = mail.outbox
    sent = message.message(policy=email.policy.SMTP).as_bytes()  # as the SMTP mailer sends it
    header = message.extra_headers["List-Unsubscribe"]
    assert len(header) > 78
    assert f"List-Unsubscribe: {header}\r\n".encode() in sent
    assert b"=?utf-8?" not in sent
    # What a mail program reads back is the address itself.
    received = email.message_from_bytes(sent, policy=email.policy.compat32)
    assert received["List-Unsubscribe"] == header
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
