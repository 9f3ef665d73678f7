"""API tokens about to stop working appear on their owner's home page and in the email."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.accounts import home
from core20.accounts.actions import create_api_token, revoke_api_token
from core20.accounts.models import ApiToken
from core20.web.digest import body
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _expiring_in(user, days: float, name: str) -> ApiToken:
    token, _ = create_api_token(user=user, name=name, by=user)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=days))
    return token


def test_tokens_about_to_stop_working_are_waiting_on_the_home_page(client, make_user):
    lead = make_user("site_lead", full_name="Sita Lead")
    _expiring_in(lead, 3, "Monthly report")
    _expiring_in(lead, 13.5, "Dashboard feed")
    _expiring_in(lead, 20, "Not yet")  # beyond the 14 days
    _expiring_in(lead, -1, "Already expired")  # its page says so; nothing to do ahead
    revoke_api_token(token=_expiring_in(lead, 2, "Revoked"), by=lead)
    _expiring_in(make_user("site_lead"), 2, "Someone else's")
    sign_in(client, lead)
    html = client.get(reverse("web:home")).content.decode()
    assert (
        f'<a class="nhsuk-card__link" href="{reverse("accounts:tokens")}">'
        "2 API tokens stop working within 14 days</a>"
    ) in html
    [item] = home.waiting(lead)
    assert "- 2 API tokens stop working within 14 days" in body(lead, [item])


def test_nothing_is_said_when_no_token_is_about_to_expire(make_user):
    lead = make_user("site_lead")
    _expiring_in(lead, 60, "Fine")
    assert [w.count for w in home.waiting(lead)] == [0]


def test_one_query_whatever_the_tokens_and_none_for_people_without_tokens(
    make_user, django_assert_num_queries
):
    lead = make_user("site_lead")
    for n in range(5):
        _expiring_in(lead, 1 + n, f"Token {n}")
    lead.cached_memberships  # noqa: B018 (loaded by the page before the dashboard)
    with django_assert_num_queries(1):
        home.waiting(lead)
    connector = make_user("connector")
    connector.cached_memberships  # noqa: B018
    with django_assert_num_queries(0):
        assert home.waiting(connector) == []
