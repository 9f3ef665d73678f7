"""The connector home's panels for the person's own work (activities, insights, hours) take a
fixed number of queries however many activities and insights the person has, at most two each
for activities and insights."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core20.engagement.templatetags.engagement_tags import activities_summary
from core20.insights.templatetags.insights_tags import insights_summary
from core20.network.models import Connector
from tests.conftest import client_for
from tests.engagement.helpers import activity
from tests.insights import helpers

pytestmark = pytest.mark.django_db

HOME = reverse("network:me")


def _add(site, me, lead, body, n: int) -> None:
    """``n`` more activities and ``n`` more insights, each insight sent to ``body``."""
    today = timezone.localdate()
    for i in range(n):
        activity(site, me, date=today - timedelta(days=i * 20))
        helpers.route(helpers.insight(site, me, summary=f"Insight {i}"), [body], lead)


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(queries)


def test_the_connector_home_takes_a_fixed_number_of_queries(site, people):
    me, lead = people["connector"], people["lead"]
    Connector.objects.create(site=site, name="Con Nector", user=me, status="active")
    body = helpers.body(site, lead, name="Riverside PCN")
    _add(site, me, lead, body, 1)
    client = client_for(me)
    client.get(HOME)  # warm caches (sessions)
    few = _count(client)
    _add(site, me, lead, helpers.body(site, lead, name="Town Council"), 8)
    many = _count(client)
    page = client.get(HOME).content.decode()
    assert "You have raised 9 insights" in page
    assert "9 activities" in page
    assert many == few


def test_each_panel_takes_two_queries_at_most(site, people):
    me, lead = people["connector"], people["lead"]
    _add(site, me, lead, helpers.body(site, lead, name="Riverside PCN"), 7)
    assert me.cached_memberships  # loaded once per request, by the header before the panels
    for tag in (insights_summary, activities_summary):
        with CaptureQueriesContext(connection) as queries:
            assert tag(me)
        assert len(queries) <= 2, tag.__name__


def test_the_persons_own_work_comes_before_their_records(site, people):
    """On a phone the page is one long column: the training due and the connector's own work
    (activities, insights, hours) come first, the records that change less often after."""
    me, lead = people["connector"], people["lead"]
    Connector.objects.create(site=site, name="Con Nector", user=me, status="active")
    _add(site, me, lead, helpers.body(site, lead, name="Riverside PCN"), 1)
    page = client_for(me).get(HOME).content.decode()
    order = [
        "Training due next",
        "Your activities",
        "Insights you raised",
        "Your hours and expenses",
        "Your training</h2>",
        "Your details",
        "Your data",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions)
