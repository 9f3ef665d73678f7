"""Shared fixtures: a user per role, sites, the real reference data, and browser settings."""

import os
import random
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core20.accounts.actions import create_api_token
from core20.accounts.management.demo import (
    DEMO_ORGANISATION,
    DEMO_SITE,
    PEOPLE,
    create_demo_users,
)
from core20.accounts.models import User
from core20.accounts.roles import ROLES
from core20.web.demo import DemoWorld, demo_email
from tests.factories import MembershipFactory, OrganisationFactory, SiteFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def reference_data(db):
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def site(db):
    return SiteFactory(name="Home Site")


@pytest.fixture
def other_site(db):
    return SiteFactory(name="Other Site")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Home Trust")


@pytest.fixture
def make_user(db, site, organisation):
    """make_user("site_lead") gives a user with that role, scoped to `site` (or `organisation`
    for organisation roles). National users get a confirmed TOTP device."""

    def make(role: str | None, *, scope_site=None, scope_organisation=None, **kwargs):
        user = UserFactory(**kwargs)
        if role is None:
            return user
        scope = ROLES[role].scope
        MembershipFactory(
            user=user,
            role=role,
            site=(scope_site or site) if scope == "site" else None,
            organisation=(scope_organisation or organisation) if scope == "organisation" else None,
        )
        if ROLES[role].requires_two_factor:
            TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        return user

    return make


def sign_in(client, user) -> None:
    """Sign in through the session, completing two-factor where the user has a device."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


def client_for(user) -> Client:
    """A test client signed in as ``user`` (two-factor done where they have a device), or
    anonymous for None."""
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


def opens(user, url: str) -> bool:
    """Whether ``url`` opens (200) for ``user``, signed in."""
    return client_for(user).get(url).status_code == 200


def page_html(user, url: str) -> str:
    """The page at ``url`` as ``user`` sees it, which must open (200)."""
    response = client_for(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def one_element(cell: str) -> bool:
    """Whether the cell's value (after its heading) is a single element, with no loose text
    or second element beside it: what the responsive table needs to lay it out as one value."""
    depth, tops = 0, 0
    for match in re.finditer(r"<(/?)(\w+)[^>]*>|([^<]+)", cell.strip()):
        closing, name, text = match.groups()
        if text is not None:
            if depth == 0 and text.strip():
                return False
        elif name in ("br", "img", "input", "wbr"):
            if depth == 0:
                return False
        elif closing:
            depth -= 1
        else:
            tops += depth == 0
            depth += 1
    return tops == 1 and depth == 0


def queries_of(function, user) -> int:
    """How many queries ``function(user)`` runs once the user's memberships are loaded (as
    every page has them by then)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert user.cached_memberships
    with CaptureQueriesContext(connection) as queries:
        function(user)
    return len(queries)


@pytest.fixture
def signed_in_client(client, make_user):
    def make(role: str | None, **kwargs):
        user = make_user(role, **kwargs)
        sign_in(client, user)
        return client, user

    return make


@dataclass
class World:
    """A home site (where site-scoped test users work), another site, an organisation
    (where organisation-scoped users work), and one user per role."""

    site: object
    other_site: object
    organisation: object
    wave: object
    users: dict
    token_pk: int
    unpublished_site: object


@pytest.fixture
def world(db, make_user, site, other_site, organisation):
    users = {role: make_user(role) for role in ROLES}
    owner = UserFactory()
    token, _ = create_api_token(user=owner, name="someone else's", by=owner)
    hidden = SiteFactory(name="Unannounced Site", published=False)
    return World(site, other_site, organisation, site.wave, users, token.pk, hidden)


# ---- Browser tests (Playwright with Debian's Chromium) ----

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


# ---- Data that migrations seed ----

# Browser tests run against a live server in a transactional database, which is emptied
# afterwards: data the migrations seeded (deprivation editions, national connector checks and
# training, national insight themes) would be gone for every later test on that worker.
SEEDERS = (
    ("core20.places.migrations.0002_geography_deprivation_imports", "create_editions"),
    ("core20.network.migrations.0002_national_defaults", "add"),
    ("core20.insights.migrations.0002_national_themes", "add_themes"),
)


def reseed() -> None:
    import importlib

    from django.apps import apps

    for module, function in SEEDERS:
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has been torn down (its database emptied), seed again, outside
    any test's transaction, so that the next test on this worker sees the seeded data."""
    yield
    if nextitem is None:
        return  # the last test: the test database has just been destroyed with the session
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed()


# ---- The demo's database in small (for core20/web/demo) ----


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files (receipts, resources) go to a folder of the test's own,
    so that a test can see exactly what was written and nothing is left behind."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo_world(db) -> DemoWorld:
    """The demo site and organisation (by their real slugs) and the demo users, one per
    role. Place data (postcodes, LSOAs) is not here: a part that needs it makes its own."""
    site = SiteFactory(slug=DEMO_SITE, name="Shropshire, Telford and Wrekin")
    organisation = OrganisationFactory(slug=DEMO_ORGANISATION, name="Telford & Wrekin Council")
    create_demo_users()
    return DemoWorld(
        site=site,
        organisation=organisation,
        users={role: User.objects.get(email=demo_email(role)) for role in PEOPLE},
        today=timezone.localdate(),
        random=random.Random(2019),
    )


@pytest.fixture
def check(page):
    """For browser tests: ``check(page)`` runs axe (WCAG 2.2 AA) on the page as it is; the
    test fails if a page was loaded and not checked (tests/browser/conftest.py)."""
    from tests.browser.conftest import A11yChecker

    checker = A11yChecker(page)
    yield checker
    missing = checker.unchecked()
    assert not missing, f"pages visited without an axe check: {missing}"
