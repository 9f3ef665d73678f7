"""Oversight fixtures: people in each role (a site lead of another site too), clients signed
in as them, and a site with a return template."""

import pytest
from django.test import Client

from tests.conftest import sign_in
from tests.oversight import helpers


@pytest.fixture
def people(make_user, other_site):
    return {
        "admin": make_user("national_admin", full_name="Ada Admin"),
        "analyst": make_user("national_analyst", full_name="Ana Analyst"),
        "lead": make_user("site_lead", full_name="Lee Lead"),
        "host": make_user("host_coordinator", full_name="Hal Host"),
        "connector": make_user("connector", full_name="Con Nector"),
        "other_lead": make_user("site_lead", scope_site=other_site, full_name="Olly Other"),
    }


@pytest.fixture
def client_as(people):
    def make(name: str) -> Client:
        client = Client()
        if name != "anonymous":
            sign_in(client, people[name])
        return client

    return make


@pytest.fixture
def template(site, people):
    return helpers.template_for(site.wave, people["admin"])
