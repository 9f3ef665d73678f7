"""Changing one's password while signed in, and choosing one from an emailed link: both
audited, and the person told by email (except for an invitation's first password)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from tests.conftest import sign_in
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

URL = reverse("accounts:password-change")
NEW = "a-much-longer-new-passphrase-9"


def _change(client, current=TEST_PASSWORD, new1=NEW, new2=NEW):
    return client.post(
        URL, {"current_password": current, "new_password1": new1, "new_password2": new2}
    )


def test_the_account_page_links_to_changing_the_password(client, make_user):
    sign_in(client, make_user("connector"))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{URL}"' in html
    page = client.get(URL).content.decode()
    assert "<h1>Change your password</h1>" in page
    # current, new and confirm, in that order, with the browser's autocomplete hints
    names = re.findall(r'<input type="password" name="(\w+)"', page)
    assert names == ["current_password", "new_password1", "new_password2"]
    assert 'autocomplete="current-password"' in page


def test_changing_the_password_keeps_this_session_and_signs_out_the_others(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user("connector", email="connie@example.org", full_name="Connie Connector")
    sign_in(client, user)
    elsewhere = Client()
    sign_in(elsewhere, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.check_password(NEW)
    page = client.get(response["Location"]).content.decode()
    assert "Your password has been changed" in page
    # The other browser is signed out (sent to sign in), this one is not.
    assert elsewhere.get(reverse("accounts:profile"))["Location"].startswith(
        reverse("accounts:login")
    )
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.PASSWORD_CHANGE)
    assert (event.actor_id, event.object_id) == (user.pk, str(user.pk))
    assert event.summary == "Changed their password"
    [email] = mail.outbox
    assert email.to == ["connie@example.org"]
    assert email.subject == "Your Core20 Connect password has changed"
    assert "Hello Connie Connector" in email.body
    assert timezone.localdate().strftime("%-d %B %Y") in email.body
    assert "http://testserver/account/password-reset/" in email.body
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current": "not-my-password"}, "Your current password is not right"),
        ({"current": ""}, "Enter your current password"),
        ({"new1": ""}, "Enter a new password"),
        ({"new2": ""}, "Enter your new password again"),
        ({"new2": NEW + "x"}, "The two passwords are not the same"),
        ({"new1": "password1", "new2": "password1"}, "This password is too common"),
    ],
)
def test_mistakes_are_named_and_change_nothing(client, make_user, data, message):
    user = make_user("site_lead")
    sign_in(client, user)
    response = _change(client, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: Change your password" in html
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.PASSWORD_CHANGE).exists()
    assert mail.outbox == []


def test_guessing_the_current_password_locks_the_account_as_sign_in_does(client, make_user):
    user = make_user("site_lead")
    sign_in(client, user)
    for _ in range(5):
        _change(client, current="guess")
    assert AuditEvent.objects.filter(verb="sign_in_failed", object_label=user.username).count() == 5
    # Now even the right current password is refused, and so is signing in elsewhere.
    assert _change(client).status_code == 429
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)
    refused = Client().post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 429


def _reset_link(client, user) -> str:
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", mail.outbox[-1].body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


def test_a_reset_from_an_emailed_link_is_audited_and_confirmed_by_email(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user("connector", last_login=timezone.now())
    form_url = _reset_link(client, user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.PASSWORD_RESET)
    assert (event.actor_id, event.summary) == (user.pk, "Chose a new password from a reset link")
    [email] = mail.outbox
    assert email.subject == "Your Core20 Connect password has changed"


def test_an_invitations_first_password_is_audited_without_a_changed_email(
    client, make_user, django_capture_on_commit_callbacks
):
    user = make_user("connector", last_login=None)
    form_url = _reset_link(client, user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    user.refresh_from_db()
    assert user.check_password(NEW)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.PASSWORD_RESET)
    assert event.summary == "Chose their first password from an invitation"
    assert mail.outbox == []


def test_a_mail_server_failure_does_not_undo_the_change(
    client, make_user, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    user = make_user("connector")
    sign_in(client, user)

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert "Failed to send 'Your Core20 Connect password has changed'" in caplog.text


def test_a_national_admin_stays_past_two_factor_after_changing_their_password(client, make_user):
    admin = make_user("national_admin")
    sign_in(client, admin)  # password and security code
    assert _change(client).status_code == 302
    # Still verified: the session keeps its two-factor step through the new session key.
    assert client.get(reverse("web:home")).status_code == 200
