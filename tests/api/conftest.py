"""API fixtures: the real reference data (21 published sites), two unpublished sites with
internal details, and one user and token per role, made through core20.accounts.actions."""

from dataclasses import dataclass, field

import pytest
from django.core.management import call_command

from core20.accounts.actions import create_api_token, create_user, grant_role, revoke_api_token
from core20.places.models import ICB, Region
from core20.programme.models import Site, Wave

API = "/api/v1"

SITE_ROLES = ["site_lead", "host_coordinator", "connector", "community_member"]
NATIONAL_ROLES = ["national_admin", "national_analyst"]


@dataclass
class ApiWorld:
    home: Site  # unpublished; the site-scoped users work here
    away: Site  # unpublished; nobody here works there
    published: Site  # a published reference site with internal details
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)  # role -> raw token
    revoked_token: str = ""


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)


def _unpublished_site(name: str, slug: str) -> Site:
    site = Site.objects.create(
        wave=Wave.objects.get(number=2),
        name=name,
        slug=slug,
        kind=Site.Kind.PLACE,
        status=Site.Status.PROPOSED,
        summary=f"{name} is not announced yet.",
        internal_notes=f"{name}: internal notes",
        contact_email=f"{slug}@example.org",
        published=False,
    )
    site.regions.set([Region.objects.get(code="E40000011")])
    site.icbs.set([ICB.objects.filter(region__code="E40000011").first()])
    return site


@pytest.fixture
def api_world(reference) -> ApiWorld:
    home = _unpublished_site("Hidden Home", "hidden-home")
    away = _unpublished_site("Hidden Away", "hidden-away")
    published = Site.objects.get(slug="somerset")
    published.internal_notes = "Somerset: internal notes"
    published.contact_email = "somerset@example.org"
    published.save()
    world = ApiWorld(home=home, away=away, published=published)
    for role in NATIONAL_ROLES + SITE_ROLES:
        user = create_user(
            email=f"{role}@example.org",
            full_name=role.replace("_", " ").title(),
            password=None,
            by=None,
        )
        grant_role(user=user, role=role, site=home if role in SITE_ROLES else None, by=None)
        _, raw = create_api_token(user=user, name="Script", by=user)
        world.users[role] = user
        world.tokens[role] = raw
    revoked, raw = create_api_token(
        user=world.users["site_lead"], name="Old script", by=world.users["site_lead"]
    )
    revoke_api_token(token=revoked, by=world.users["site_lead"])
    world.revoked_token = raw
    return world


@pytest.fixture
def api_get(client):
    """api_get("/sites", token=raw, wave=1) -> the response (JSON helpers on it)."""

    def get(path: str, token: str | None = None, **params):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.get(f"{API}{path}", params, headers=headers)

    return get


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]
