"""Every route, visited as every role and as an anonymous visitor.

Each named URL pattern (pages and API) must have an entry saying what each visitor gets: in
MATRIX below, or in a `matrix.py` module beside an app's tests (`tests/<app>/matrix.py`
defining `MATRIX = {...}` with the helpers from tests/access.py), which is merged in. The
completeness test fails when a route is added without one, so access rules are decided
deliberately, not by accident.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core20.accounts.roles import ROLES
from tests.access import (
    ANON,
    DENIED,
    GONE,
    LOGIN,
    METHOD,
    OK,
    REDIRECT,
    UNAUTHORISED,
    VISITORS,
    Case,
    only,
    public,
    signed_in,
)
from tests.conftest import sign_in

TOKEN_MANAGERS = [r for r, role in ROLES.items() if "api_token_manage" in role.permissions]

MATRIX: dict[str, list[Case]] = {
    # ---- public and information pages ----
    "web:home": [Case(public())],
    "web:accessibility": [Case(public())],
    "web:privacy": [Case(public())],
    # What the retention rules will erase next: national admins (the whole audit log).
    "web:retention": [Case(only("national_admin"))],
    # Is the service up? Load balancers and uptime monitors, signed in or not.
    "ops:health": [Case(public())],
    # Background tasks and daily jobs: national admins (as the retention page).
    "ops:status": [Case(only("national_admin"))],
    "web:open-data": [Case(public())],
    "web:cookies": [Case(public())],
    "web:robots": [Case(public())],
    "web:security-txt": [Case(public())],
    # ---- accounts ----
    # Signed-in users are sent on from the sign-in page.
    "accounts:login": [Case({ANON: OK, **dict.fromkeys(ROLES, REDIRECT)})],
    "accounts:logout": [
        Case(public(METHOD)),
        Case({ANON: REDIRECT, **dict.fromkeys(ROLES, REDIRECT)}, method="post"),
    ],
    "accounts:password-reset": [Case(public())],
    "accounts:password-reset-sent": [Case(public())],
    "accounts:password-reset-confirm": [
        # A bad link shows the "expired" page to anyone.
        Case(public(), kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"})
    ],
    "accounts:password-reset-complete": [Case(public())],
    "accounts:profile": [Case(signed_in())],
    "accounts:password-change": [Case(signed_in())],
    # Every test user already has a confirmed device when their role needs one.
    "accounts:two-factor-setup": [
        Case(
            signed_in(REDIRECT)
            | {r: OK for r, role in ROLES.items() if not role.requires_two_factor}
        )
    ],
    "accounts:two-factor-verify": [
        Case(
            signed_in(OK)
            | {r: REDIRECT for r, role in ROLES.items() if not role.requires_two_factor}
        )
    ],
    "accounts:tokens": [Case(only(*TOKEN_MANAGERS))],
    # Revoking: POST only, and only your own token (someone else's is a 404).
    "accounts:token-revoke": [
        Case(signed_in(METHOD), kwargs=lambda w: {"pk": w.token_pk}),
        Case(signed_in(GONE), kwargs=lambda w: {"pk": w.token_pk}, method="post"),
    ],
    "accounts:people": [Case(only("national_admin", "site_lead"))],
    "accounts:person-invite": [Case(only("national_admin", "site_lead"))],
    # Ending a role: POST only; national admins and the lead of the membership's site.
    "accounts:membership-revoke": [
        Case(signed_in(METHOD), kwargs=lambda w: {"pk": w.users["connector"].memberships.get().pk}),
    ],
    # Resetting someone's two-factor: POST only (national admins; tests/accounts).
    "accounts:two-factor-reset": [
        Case(signed_in(METHOD), kwargs=lambda w: {"pk": w.users["national_analyst"].pk}),
    ],
    # Sending an invitation again: POST only; the same people as ending the role.
    "accounts:person-reinvite": [
        Case(signed_in(METHOD), kwargs=lambda w: {"pk": w.users["connector"].memberships.get().pk}),
    ],
    # ---- audit ----
    "audit:log": [Case(only("national_admin", "site_lead"))],
    # ---- programme (published information is public) ----
    "programme:overview": [Case(public())],
    "programme:wave-list": [Case(public())],
    "programme:wave-detail": [Case(public(), kwargs=lambda w: {"pk": w.wave.pk})],
    "programme:wave-create": [Case(only("national_admin"))],
    "programme:wave-edit": [Case(only("national_admin"), kwargs=lambda w: {"pk": w.wave.pk})],
    "programme:site-list": [Case(public())],
    "programme:site-detail": [Case(public(), kwargs=lambda w: {"slug": w.site.slug})],
    "programme:site-create": [Case(only("national_admin"))],
    "programme:site-edit": [
        Case(only("national_admin", "site_lead"), kwargs=lambda w: {"slug": w.site.slug}),
        Case(only("national_admin"), kwargs=lambda w: {"slug": w.other_site.slug}),
    ],
    "programme:organisation-list": [Case(public())],
    "programme:organisation-detail": [
        Case(public(), kwargs=lambda w: {"slug": w.organisation.slug})
    ],
    "programme:organisation-create": [Case(only("national_admin"))],
    "programme:organisation-edit": [
        Case(only("national_admin"), kwargs=lambda w: {"slug": w.organisation.slug})
    ],
    # ---- JSON API: published programme information is public; tokens add permissions ----
    "api-1.0.0:api-root": [Case(public())],
    "api-1.0.0:openapi-json": [Case(public())],
    "api-1.0.0:openapi-view": [Case(public())],
    "api-1.0.0:list_programmes": [Case(public())],
    "api-1.0.0:get_programme": [Case(public(), kwargs=lambda w: {"slug": w.wave.programme.slug})],
    "api-1.0.0:list_waves": [Case(public())],
    "api-1.0.0:get_wave": [Case(public(), kwargs=lambda w: {"id": w.wave.pk})],
    "api-1.0.0:list_sites": [Case(public())],
    "api-1.0.0:get_site": [
        Case(public(), kwargs=lambda w: {"slug": w.site.slug}),
        # An unpublished site exists only for national staff and its own team.
        Case(
            {**public(GONE), **dict.fromkeys(["national_admin", "national_analyst"], OK)},
            kwargs=lambda w: {"slug": w.unpublished_site.slug},
        ),
    ],
    "api-1.0.0:list_organisations": [Case(public())],
    "api-1.0.0:get_organisation": [Case(public(), kwargs=lambda w: {"slug": w.organisation.slug})],
}


def _merge_app_matrices() -> None:
    """Add the entries from tests/<app>/matrix.py modules."""
    import importlib
    import pkgutil

    import tests

    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        try:
            app_matrix = importlib.import_module(f"tests.{module.name}.matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"tests.{module.name}.matrix":
                raise
            continue
        clash = set(MATRIX) & set(app_matrix.MATRIX)
        assert not clash, f"routes listed twice: {sorted(clash)}"
        MATRIX.update(app_matrix.MATRIX)


_merge_app_matrices()

# The Django admin is for technical staff (is_staff); no product role includes it.
ADMIN_NAMESPACE = "admin"
# The API's catch-all answers unknown paths with a JSON 404 (tested in tests/api).
API_FALLBACK = "api-1.0.0:<unnamed ^.*$>"


def _named_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _named_routes(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield (
                f"{namespace}{entry.name}"
                if entry.name
                else f"{namespace}<unnamed {entry.pattern}>"
            )


def classify(response) -> str:
    code = response.status_code
    if code in (301, 302):
        return LOGIN if "/account/sign-in/" in response["Location"] else REDIRECT
    return {200: OK, 401: UNAUTHORISED, 403: DENIED, 404: GONE, 405: METHOD}.get(code, str(code))


def test_every_route_has_an_entry():
    routes = [
        r for r in _named_routes() if not r.startswith(f"{ADMIN_NAMESPACE}:") and r != API_FALLBACK
    ]
    missing = sorted(set(routes) - set(MATRIX))
    assert not missing, f"add these routes to MATRIX in {__file__}: {missing}"
    stale = sorted(set(MATRIX) - set(routes))
    assert not stale, f"MATRIX lists routes that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route_allows_and_denies_as_expected(name, world):
    problems = []
    for case in MATRIX[name]:
        assert set(case.expect) == set(VISITORS), f"{name}: expectations must cover every visitor"
        url = reverse(name, kwargs=case.kwargs(world))
        for visitor in VISITORS:
            client = Client()
            if visitor != ANON:
                sign_in(client, world.users[visitor])
            response = getattr(client, case.method)(url, case.data)
            got = classify(response)
            wanted = case.expect[visitor]
            if got != wanted:
                problems.append(f"{case.method.upper()} {url} as {visitor}: {wanted}, got {got}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_django_admin_is_closed_to_every_product_role(make_user, client):
    for role in ROLES:
        sign_in(client, make_user(role))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and "/django-admin/login/" in response["Location"], role
