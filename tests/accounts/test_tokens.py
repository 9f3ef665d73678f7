import pytest
from django.urls import reverse

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
