"""The connector home's card of their hours and expenses keeps the hours their coordinator
has approved apart from the hours still waiting for approval: a single "Hours volunteered"
total counted both without saying so (core20.network.home.own_hours)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core20.hours import actions as hours_actions
from core20.network.home import own_hours
from core20.network.models import Connector
from tests.hours import helpers as hours
from tests.network.home_panels import as_text, home_panel, shown_panel

pytestmark = pytest.mark.django_db

HEADING = "Your hours and expenses"


@pytest.fixture
def me(site, people):
    return hours.connector(site, user=people["connector"], name="Con Nector")


def test_approved_hours_and_hours_waiting_for_approval_are_shown_apart(me, people, other_site):
    host = people["host"]
    approved = hours.log(me, host, hours="3", day=5)
    hours_actions.approve_hours(entry=approved, by=host)
    hours.log(me, people["connector"], hours="1.5", day=1)
    # Their record at another site counts too, as on the rest of the page.
    elsewhere = hours.connector(other_site, user=people["connector"], name="Con Nector")
    hours.log(elsewhere, people["connector"], hours="2", day=2)

    text = as_text(shown_panel(people["connector"], HEADING))

    assert "Hours approved by your coordinator 3 " in text
    assert "Hours waiting for approval 3.5 " in text
    assert "Hours volunteered" not in text


def test_with_nothing_logged_both_totals_are_zero(me, people):
    text = as_text(shown_panel(people["connector"], HEADING))

    assert "Hours approved by your coordinator 0 " in text
    assert "Hours waiting for approval 0 " in text
    assert "Expense claims in progress 0" in text


def test_people_without_a_connector_record_get_no_hours_card(people):
    assert home_panel(people["lead"], HEADING) is None


def test_the_totals_take_two_queries_however_many_records(me, people, other_site):
    for day in range(1, 6):
        hours.log(me, people["host"], hours="1", day=day)
    Connector.objects.create(site=other_site, user=people["connector"], name="Con Nector")
    records = list(Connector.objects.for_user(people["connector"]))

    with CaptureQueriesContext(connection) as queries:
        totals = own_hours(records, user=people["connector"])

    assert len(queries) == 2
    assert (totals.approved, totals.waiting) == (0, 5)
