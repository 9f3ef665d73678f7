"""On their account page, anyone signed in chooses how often they get the "waiting for you"
email (core20.web.digest): every working day (the default), weekly, or never."""

import re

import pytest
from django.urls import reverse

from core20.accounts.models import User
from core20.accounts.roles import ROLES
from core20.audit.models import AuditEvent
from tests.conftest import client_for, page_html

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
Frequency = User.DigestFrequency


def test_the_account_page_offers_the_three_choices_with_the_current_one_ticked(make_user):
    html = page_html(make_user("connector"), PROFILE)

    assert "How often should we email you what is waiting?" in html
    assert 'class="nhsuk-radios' in html
    for label in (
        "Every working day",
        "Weekly (Mondays, or Tuesday after a bank holiday)",
        "Never",
    ):
        assert label in html
    assert re.search(r'<input type="radio" name="digest_frequency" value="daily"[^>]*checked', html)
    assert not re.search(r'value="(weekly|never)"[^>]*checked', html)


def test_the_page_ticks_the_choice_saved(make_user):
    html = page_html(make_user("connector", digest_frequency=Frequency.NEVER), PROFILE)
    assert re.search(r'value="never"[^>]*checked', html)
    assert not re.search(r'value="(daily|weekly)"[^>]*checked', html)


@pytest.mark.parametrize("role", [*ROLES, None])
def test_anyone_signed_in_can_change_it(make_user, role):
    user = make_user(role)

    response = client_for(user).post(PROFILE, {"digest_frequency": "weekly"}, follow=True)

    user.refresh_from_db()
    assert user.digest_frequency == Frequency.WEEKLY
    assert response.redirect_chain == [(PROFILE, 302)]
    html = response.content.decode()
    assert "nhsuk-notification-banner--success" in html
    assert "on Mondays, or on Tuesday when Monday is a bank holiday." in html


def test_choosing_never_says_so_and_is_audited(make_user):
    user = make_user("site_lead")

    response = client_for(user).post(PROFILE, {"digest_frequency": "never"}, follow=True)

    assert "We will not email you what is waiting for you." in response.content.decode()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, object_id=str(user.pk))
    assert event.actor_id == user.pk
    assert event.object_type == "accounts.User"
    assert event.changes == {"waiting for you emails": ["Every working day", "Never"]}


@pytest.mark.parametrize("data", [{}, {"digest_frequency": "hourly"}], ids=["none", "unknown"])
def test_a_missing_or_unknown_choice_shows_an_error_and_changes_nothing(make_user, data):
    user = make_user("connector")

    response = client_for(user).post(PROFILE, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Your account" in html
    assert "nhsuk-error-summary" in html
    assert 'href="#id_digest_frequency_0">Choose how often we should email you what' in html
    assert 'class="nhsuk-error-message" id="id_digest_frequency_error"' in html
    user.refresh_from_db()
    assert user.digest_frequency == Frequency.DAILY
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE).exists()


def test_someone_signed_out_is_sent_to_sign_in(make_user):
    user = make_user("connector")

    response = client_for(None).post(PROFILE, {"digest_frequency": "never"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    user.refresh_from_db()
    assert user.digest_frequency == Frequency.DAILY


def test_the_link_in_the_email_opens_the_choice(make_user):
    """The email links to the account page's #digest section."""
    html = page_html(make_user("connector"), PROFILE)
    assert '<h2 id="digest">' in html
