"""What the header costs in database queries.

For a connector the header needs one thing the request has not loaded: whether they have a
connector record (their "Hours and expenses" link needs one). That is one query, once per
request, and none on their connector home, which loads their records anyway. Everyone with
a role also needs to know whether they have applied to a call ("Your applications"): one
query, once per request; for someone without the connector role the same query also says
whether they have a connector record, paused or left ("Your connector home"). An account with
no role at all asks only that, once per request (tests/web/test_nav_stepped_back_connector.py)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.network.models import Connector
from core20.web import context_processors
from core20.web.navigation import navigation_for
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SIMPLE_PAGE = "web:accessibility"


def _queries(user, url: str) -> list[str]:
    """The SQL of one visit to ``url`` (after a first, which may write the last login)."""
    client = client_for(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _menu(user, url: str) -> list[str]:
    page = client_for(user).get(url).content.decode()
    menu = page.split('aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    return [" ".join(label.split()) for label in re.findall(r"<a [^>]*>(.*?)</a>", menu, re.S)]


@pytest.fixture
def connector(make_user, site):
    user = make_user("connector")
    Connector.objects.create(site=site, name="Con Nector", user=user, status="active")
    return user


def test_a_simple_page_costs_a_connector_one_query_more_than_anyone_else(make_user, connector):
    url = reverse(SIMPLE_PAGE)
    others = {
        role: len(_queries(make_user(role), url))
        for role in ("site_lead", "host_coordinator", "decision_maker")
    }
    assert len(set(others.values())) == 1, others
    baseline = others["site_lead"]

    with_record = _queries(connector, url)
    assert len(with_record) == baseline + 1
    [extra] = [sql for sql in with_record if "network_connector" in sql]
    assert "LIMIT 1" in extra  # whether they have a record, not the records themselves

    # A connector account with no record makes the same check, and is shown no hours link.
    without_record = make_user("connector")
    assert len(_queries(without_record, url)) == baseline + 1
    assert "Hours and expenses" in _menu(connector, url)
    assert "Hours and expenses" not in _menu(without_record, url)


def test_the_header_asks_once_per_request(connector, django_assert_num_queries):
    assert connector.cached_memberships  # as every page has them before the header is built
    with django_assert_num_queries(2):  # a connector record; an application to a call
        first = navigation_for(connector)
    with django_assert_num_queries(0):
        again = navigation_for(connector)
    assert first == again
    assert "Hours and expenses" in [item.label for item in first.primary]


def test_the_connector_home_header_asks_only_about_applications(connector, monkeypatch):
    url = reverse("network:me")
    assert "Hours and expenses" in _menu(connector, url)
    with_header = len(_queries(connector, url))
    # The same page with the header of someone signed out, which needs no query.
    monkeypatch.setattr(
        context_processors, "navigation_for", lambda user, path: navigation_for(None, path)
    )
    assert "Hours and expenses" not in _menu(connector, url)
    # Only whether they have applied to a call, which no page loads.
    assert len(_queries(connector, url)) == with_header - 1
