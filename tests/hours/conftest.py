"""Hours fixtures: people in each role, connector records (the signed-in connector's own
at the home site, another connector there, one at another site), clients signed in as
them, and receipts written under the test's own MEDIA_ROOT."""

import pytest
from django.test import Client

from tests.conftest import sign_in
from tests.hours import helpers


@pytest.fixture(autouse=True)
def _own_media(media):
    """Receipts are saved: each test has its own folder (the ``media`` fixture)."""


@pytest.fixture
def people(make_user, other_site):
    return {
        "admin": make_user("national_admin", full_name="Ada Admin"),
        "analyst": make_user("national_analyst", full_name="Ana Analyst"),
        "lead": make_user("site_lead", full_name="Lee Lead"),
        "host": make_user("host_coordinator", full_name="Hal Host"),
        "connector": make_user("connector", full_name="Con Nector"),
        "bea_user": make_user("connector", full_name="Bea Connector"),
        "other_lead": make_user("site_lead", scope_site=other_site, full_name="Olly Other"),
    }


@pytest.fixture
def me(site, people):
    """The signed-in connector's own record."""
    return helpers.connector(site, user=people["connector"], name="Con Nector")


@pytest.fixture
def bea(site, people):
    """Another connector at the same site, with her own account."""
    return helpers.connector(site, user=people["bea_user"], name="Bea Connector")


@pytest.fixture
def far(other_site):
    """A connector at another site."""
    return helpers.connector(other_site, name="Far Away")


@pytest.fixture
def client_as(people):
    def make(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            sign_in(client, people[name])
        return client

    return make
