"""Who the API thinks is calling: a token, the browser session, or nobody — and a 401, never
a silent downgrade to anonymous, for a token that does not work."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.errors import HttpError

from core20.accounts.actions import create_api_token
from core20.accounts.models import ApiToken
from core20.api.auth import BrowserSession
from tests.api.conftest import API, slugs
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

INVALID = {"detail": "Invalid or revoked API token."}


def test_anonymous_callers_read_published_sites(api_world, api_get):
    found = slugs(api_get("/sites", limit=200))
    assert len(found) == 21
    assert "hidden-home" not in found


def test_a_valid_token_acts_as_its_user(api_world, api_get):
    found = slugs(api_get("/sites", token=api_world.tokens["site_lead"], limit=200))
    assert "hidden-home" in found
    assert "hidden-away" not in found


def test_a_token_records_when_it_was_last_used(api_world, api_get):
    token = ApiToken.objects.get(user=api_world.users["connector"], name="Script")
    assert token.last_used_at is None
    api_get("/programmes", token=api_world.tokens["connector"])
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert (timezone.now() - token.last_used_at).total_seconds() < 60


def test_a_revoked_token_is_401_not_anonymous(api_world, api_get):
    response = api_get("/sites", token=api_world.revoked_token)
    assert response.status_code == 401
    assert response.json() == INVALID
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")


MALFORMED = [
    "Bearer c20_not-a-real-token",
    "Bearer not-even-the-prefix",
    "Bearer",
    "Bearer    ",
    "Token c20_abc",
    "Basic dXNlcjpwYXNz",
    "c20_abc",
]


def test_a_malformed_or_unknown_token_is_401(api_world, client):
    for header in MALFORMED:
        response = client.get(f"{API}/sites", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json() == INVALID, header


def test_every_endpoint_refuses_a_revoked_or_malformed_token(api_world, api_get):
    for path in [
        "/programmes",
        "/programmes/core20plus-connectors",
        "/waves",
        f"/waves/{api_world.home.wave_id}",
        "/sites",
        "/sites/somerset",
        "/organisations",
        "/organisations/qube",
    ]:
        for token in [api_world.revoked_token, "c20_made-up"]:
            response = api_get(path, token=token)
            assert response.status_code == 401, (path, token)
            assert response.json() == INVALID


def test_a_deactivated_users_token_is_401(api_world, api_get):
    lead = api_world.users["site_lead"]
    lead.is_active = False
    lead.save()
    response = api_get("/sites", token=api_world.tokens["site_lead"])
    assert response.status_code == 401
    assert response.json() == INVALID


def test_a_bad_token_is_401_even_with_a_signed_in_session(api_world, client):
    sign_in(client, api_world.users["site_lead"])
    response = client.get(
        f"{API}/sites", headers={"Authorization": f"Bearer {api_world.revoked_token}"}
    )
    assert response.status_code == 401


def test_the_token_wins_over_the_session(api_world, client):
    """A script run from a signed-in browser acts as the token's user, not the session's."""
    sign_in(client, api_world.users["site_lead"])
    response = client.get(
        f"{API}/sites/hidden-home",
        headers={"Authorization": f"Bearer {api_world.tokens['connector']}"},
    )
    assert response.status_code == 404


def test_the_signed_in_session_works_without_a_token(api_world, client):
    sign_in(client, api_world.users["site_lead"])
    response = client.get(f"{API}/sites/hidden-home")
    assert response.status_code == 200
    assert response.json()["internal_notes"] == "Hidden Home: internal notes"


def test_a_national_session_must_finish_two_factor(api_world, client):
    admin = api_world.users["national_admin"]
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    client.force_login(admin)  # password only: the second step is not done
    response = client.get(f"{API}/sites")
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]

    sign_in(client, admin)  # now with the second step
    found = slugs(client.get(f"{API}/sites", {"limit": 200}))
    assert {"hidden-home", "hidden-away"} <= set(found)


def test_a_national_token_needs_no_two_factor(api_world, api_get):
    """Tokens are created after two-factor sign-in; they are the second factor's product."""
    found = slugs(api_get("/sites", token=api_world.tokens["national_admin"], limit=200))
    assert len(found) == 23


def test_session_auth_keeps_csrf_on_for_unsafe_methods(api_world):
    request = RequestFactory().post(f"{API}/sites")
    request.user = api_world.users["site_lead"]
    request.session = {}
    with pytest.raises(HttpError) as caught:
        BrowserSession()(request)
    assert caught.value.status_code == 403
    assert BrowserSession().csrf is True


def test_session_auth_allows_safe_methods_without_csrf(api_world):
    request = RequestFactory().get(f"{API}/sites")
    request.user = api_world.users["site_lead"]
    request.session = {}
    assert BrowserSession()(request) == api_world.users["site_lead"]
    request.user = AnonymousUser()
    assert BrowserSession()(request) is None


def test_tokens_of_other_users_do_not_leak_permissions(api_world, api_get):
    """A token made for a community member by someone else still acts as the member."""
    member = api_world.users["community_member"]
    _, raw = create_api_token(
        user=member, name="Made by admin", by=api_world.users["national_admin"]
    )
    assert "hidden-home" not in slugs(api_get("/sites", token=raw, limit=200))
