import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core20.audit.models import AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_sign_in_with_correct_details_is_audited(client, make_user):
    user = make_user("site_lead")
    response = client.post(
        reverse("accounts:login"), {"username": user.email.upper(), "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb="sign_in", actor_id=user.pk).exists()


def test_wrong_password_shows_the_error_summary(client, make_user):
    user = make_user("site_lead")
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a correct email address and password" in html
    assert AuditEvent.objects.filter(verb="sign_in_failed", object_label=user.email).exists()


def test_repeated_failures_lock_sign_in(client, make_user):
    user = make_user("site_lead")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    # Even the right password is refused while locked.
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_national_admin_must_set_up_two_factor_first(client, make_user):
    admin = make_user("national_admin")
    TOTPDevice.objects.filter(user=admin).delete()
    client.post(reverse("accounts:login"), {"username": admin.email, "password": TEST_PASSWORD})
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:two-factor-setup")

    page = client.get(reverse("accounts:two-factor-setup"))
    assert "<svg" in page.content.decode()  # the QR code, inline
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    bad = client.post(
        reverse("accounts:two-factor-setup"),
        {"token": "000000" if _code(device) != "000000" else "111111"},
    )
    assert "That code is not right" in bad.content.decode()
    # django-otp throttles after a failure (1 s, doubling); a person would wait, the test resets it.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    good = client.post(reverse("accounts:two-factor-setup"), {"token": _code(device)})
    assert good.status_code == 302
    assert client.get(reverse("audit:log")).status_code == 200
    assert AuditEvent.objects.filter(verb="two_factor_enrol", actor_id=admin.pk).exists()


def test_enrolled_user_must_enter_a_code_after_password(client, make_user):
    admin = make_user("national_admin")
    device = TOTPDevice.objects.get(user=admin)
    client.post(reverse("accounts:login"), {"username": admin.email, "password": TEST_PASSWORD})
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor-verify"))
    wrong = client.post(reverse("accounts:two-factor-verify"), {"token": "12ab"})
    assert "Enter the 6-digit code" in wrong.content.decode()
    ok = client.post(
        reverse("accounts:two-factor-verify") + "?next=/audit/",
        {"token": _code(device), "next": "/audit/"},
    )
    assert ok.status_code == 302 and ok.url == "/audit/"
    assert client.get(reverse("audit:log")).status_code == 200


def test_two_factor_next_cannot_redirect_off_site(client, make_user):
    admin = make_user("national_admin")
    device = TOTPDevice.objects.get(user=admin)
    client.post(reverse("accounts:login"), {"username": admin.email, "password": TEST_PASSWORD})
    response = client.post(
        reverse("accounts:two-factor-verify"),
        {"token": _code(device), "next": "https://evil.example/"},
    )
    assert response.url == "/"


def test_site_lead_does_not_need_two_factor(client, make_user):
    lead = make_user("site_lead")
    client.post(reverse("accounts:login"), {"username": lead.email, "password": TEST_PASSWORD})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_reset_by_email(client, make_user):
    user = make_user("connector", last_login=timezone.now())
    response = client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = "a-much-longer-new-passphrase-9"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_sign_out_is_post_only(client, make_user):
    user = make_user("connector")
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session
