"""A national admin resets someone's two-factor sign-in (a lost phone): audited, the person
told by email, and made to set it up again at their next step."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core20.audit.models import AuditEvent
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _reset_url(person) -> str:
    return reverse("accounts:two-factor-reset", args=[person.pk])


def test_a_national_admin_resets_a_lost_authenticator(
    client, make_user, django_capture_on_commit_callbacks
):
    admin = make_user("national_admin", full_name="Nadia Admin")
    analyst = make_user("national_analyst", full_name="Nathan Analyst", email="nathan@example.org")
    # Nathan is signed in elsewhere, verified with the authenticator he is about to lose.
    elsewhere = Client()
    sign_in(elsewhere, analyst)
    sign_in(client, admin)
    people = client.get(reverse("accounts:people")).content.decode()
    assert f'action="{_reset_url(analyst)}"' in people
    assert f'action="{_reset_url(admin)}"' not in people  # not for oneself
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_reset_url(analyst), follow=True)
    assert "Nathan Analyst&#x27;s two-factor sign-in has been reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.TWO_FACTOR_RESET)
    assert (event.actor_id, event.object_id) == (admin.pk, str(analyst.pk))
    [email] = mail.outbox
    assert email.to == ["nathan@example.org"]
    assert "Nadia Admin has reset the two-factor sign-in" in email.body
    assert "http://testserver/account/sign-in/" in email.body
    # His other session must now set up two-factor again before anything else.
    assert elsewhere.get(reverse("web:home"))["Location"] == reverse("accounts:two-factor-setup")


def test_no_one_resets_their_own_two_factor(client, make_user):
    admin = make_user("national_admin")
    sign_in(client, admin)
    response = client.post(_reset_url(admin), follow=True)
    assert "Ask another national administrator" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.TWO_FACTOR_RESET).exists()


def test_someone_without_two_factor_gets_a_plain_message(client, make_user):
    sign_in(client, make_user("national_admin"))
    lead = make_user("site_lead", full_name="Sita Lead")
    response = client.post(_reset_url(lead), follow=True)
    assert "Sita Lead has no two-factor sign-in to reset" in response.content.decode()


@pytest.mark.parametrize("role", ["site_lead", "national_analyst", "host_coordinator"])
def test_only_national_admins_may_reset(client, make_user, role):
    analyst = make_user("national_analyst")
    sign_in(client, make_user(role))
    assert client.post(_reset_url(analyst)).status_code == 403
    assert TOTPDevice.objects.filter(user=analyst).exists()
    if role == "site_lead":
        people = client.get(reverse("accounts:people")).content.decode()
        assert "Reset two-factor" not in people


def test_the_security_code_page_says_what_to_do_without_the_app(client, make_user):
    user = make_user("national_admin")
    client.force_login(user)
    page = client.get(reverse("accounts:two-factor-verify")).content.decode()
    assert "If you cannot use your authenticator app" in page
    assert "ask another national administrator" in page
