import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.accounts.models import ApiToken
from core20.accounts.tokens import hash_token, user_for_token
from core20.audit.models import AuditEvent
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_create_token_shows_it_once_and_stores_only_a_hash(client, make_user):
    lead = make_user("site_lead")
    sign_in(client, lead)
    response = client.post(reverse("accounts:tokens"), {"name": "Monthly report"})
    html = response.content.decode()
    token = ApiToken.objects.get(user=lead)
    raw = html.split('data-testid="new-token">')[1].split("<")[0]
    assert raw.startswith("c20_")
    assert token.token_hash == hash_token(raw)
    assert raw not in token.token_hash
    assert user_for_token(raw) == lead
    assert AuditEvent.objects.filter(verb="token_create", actor_id=lead.pk).exists()
    # The raw token is not shown again.
    assert raw not in client.get(reverse("accounts:tokens")).content.decode()


def test_duplicate_token_name_is_refused_with_a_message(client, make_user):
    lead = make_user("site_lead")
    sign_in(client, lead)
    client.post(reverse("accounts:tokens"), {"name": "Script"})
    response = client.post(reverse("accounts:tokens"), {"name": "Script"})
    assert "You already have a token with this name" in response.content.decode()
    assert ApiToken.objects.filter(user=lead).count() == 1


def test_revoked_token_no_longer_authenticates(client, make_user):
    lead = make_user("site_lead")
    sign_in(client, lead)
    html = client.post(reverse("accounts:tokens"), {"name": "Script"}).content.decode()
    raw = html.split('data-testid="new-token">')[1].split("<")[0]
    token = ApiToken.objects.get(user=lead)
    client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert user_for_token(raw) is None


def test_cannot_revoke_someone_elses_token(client, make_user):
    owner = make_user("site_lead")
    other = make_user("site_lead")
    from core20.accounts.actions import create_api_token

    token, raw = create_api_token(user=owner, name="Mine", by=owner)
    sign_in(client, other)
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    assert user_for_token(raw) == owner


def test_connector_cannot_manage_api_tokens(client, make_user):
    sign_in(client, make_user("connector"))
    assert client.get(reverse("accounts:tokens")).status_code == 403


def _create(client, **data) -> str:
    html = client.post(reverse("accounts:tokens"), {"name": "Script", **data}).content.decode()
    return html.split('data-testid="new-token">')[1].split("<")[0]


def test_a_token_works_for_the_lifetime_chosen_and_then_says_it_expired(client, make_user):
    lead = make_user("site_lead")
    sign_in(client, lead)
    form = client.get(reverse("accounts:tokens")).content.decode()
    assert "How long should it work?" in form
    assert re.search(r'value="90"[^>]*checked', form)  # the default
    raw = _create(client, lifetime="30")
    token = ApiToken.objects.get(user=lead)
    assert token.expires_at.date() == (timezone.now() + timedelta(days=30)).date()
    assert f"expires {timezone.localdate(token.expires_at):%-d %B %Y}" in (
        AuditEvent.objects.get(verb="token_create").summary
    )
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert api.get("/api/v1/hours/entries", **auth).status_code == 200
    # A day after it ran out (moved back rather than waiting):
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    token.refresh_from_db()
    refused = api.get("/api/v1/hours/entries", **auth)
    assert refused.status_code == 401
    day = f"{timezone.localdate(token.expires_at):%-d %B %Y}"
    assert refused.json()["detail"] == (
        f"This API token expired on {day}. Create a new one on your account's API tokens page."
    )
    page = client.get(reverse("accounts:tokens")).content.decode()
    assert re.search(r"<td class=\"nhsuk-table__cell\">\s*Expired\s*</td>", page)
    # Its name can be used again for the new one.
    assert _create(client).startswith("c20_")


def test_a_lifetime_not_offered_is_refused(client, make_user):
    sign_in(client, make_user("site_lead"))
    response = client.post(reverse("accounts:tokens"), {"name": "Script", "lifetime": "5000"})
    assert "Choose how long the token should work" in response.content.decode()
    assert not ApiToken.objects.exists()
