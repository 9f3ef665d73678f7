"""Programme test fixtures: a visitor per role (including a site lead of another site), and
helpers to read pages."""

import html as htmllib
import re

import pytest
from django.test import Client

from core20.places.lookup.files import read_frames
from core20.places.lookup.table import build_lookup_table
from core20.places.models import ICB, Region
from core20.programme import forms as programme_forms
from tests.conftest import sign_in

# Everyone the brief names: anonymous, each role, and a site lead of a different site.
VISITORS = [
    "anonymous",
    "national_admin",
    "national_analyst",
    "site_lead",
    "other_site_lead",
    "host_coordinator",
    "connector",
    "decision_maker",
    "panel_member",
    "community_member",
]


@pytest.fixture
def visitors(make_user, other_site):
    """visitor name -> user (None for anonymous). Site roles work at the `site` fixture;
    "other_site_lead" leads `other_site`."""
    users = {"anonymous": None}
    for name in VISITORS[1:]:
        if name == "other_site_lead":
            users[name] = make_user("site_lead", scope_site=other_site)
        else:
            users[name] = make_user(name)
    return users


@pytest.fixture
def client_as(visitors):
    """client_as("site_lead") gives a Client signed in as that visitor."""

    def make(name: str) -> Client:
        client = Client()
        if visitors[name] is not None:
            sign_in(client, visitors[name])
        return client

    return make


@pytest.fixture
def admin_client_signed_in(client, make_user):
    admin = make_user("national_admin", full_name="Ada Admin")
    sign_in(client, admin)
    client.user = admin
    return client


@pytest.fixture
def geography(db):
    """Two regions, each with two ICBs."""
    north = Region.objects.create(code="E40000990", name="Northshire")
    south = Region.objects.create(code="E40000991", name="Southshire")
    icbs = {
        "north_a": ICB.objects.create(
            code="E54000990", name="NHS North A Integrated Care Board", region=north
        ),
        "north_b": ICB.objects.create(
            code="E54000991", name="NHS North B Integrated Care Board", region=north
        ),
        "south_a": ICB.objects.create(
            code="E54000992", name="NHS South A Integrated Care Board", region=south
        ),
    }
    return {"north": north, "south": south, **icbs}


def h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def text(response) -> str:
    return response.content.decode()


def error_summary(response) -> str:
    """The error summary's HTML, or "" when the page has none."""
    html = text(response)
    start = html.find('<ul class="nhsuk-list nhsuk-error-summary__list">')
    if start < 0:
        return ""
    return htmllib.unescape(html[start : html.find("</ul>", start)])


def field_error(response, name: str) -> str:
    """The message(s) shown next to a field (in its id="id_<name>_error" element), as text,
    or "" when the field has no error."""
    html = text(response)
    start = html.find(f'id="id_{name}_error">')
    if start < 0:
        return ""
    line = html[start : html.find("\n", start)]
    message = re.sub(r"<[^>]+>", " ", line.split(">", 1)[1]).replace("Error: ", "")
    return htmllib.unescape(message).strip()


@pytest.fixture(scope="session")
def _shipped_lookup():
    return build_lookup_table(read_frames())


@pytest.fixture
def shipped_postcodes(monkeypatch, _shipped_lookup):
    """Postcodes resolve against the shipped reference files (Telford's postcodes)."""
    monkeypatch.setattr(programme_forms, "get_lookup_table", lambda: _shipped_lookup)
