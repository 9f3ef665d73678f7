"""Output figures from the delivery apps, for returns and the oversight table: connectors
active and recruited (from their pipeline history) and activities (held, people reached),
checked against timelines worked out by hand."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from core20.engagement.models import Activity
from core20.network.models import Connector, StatusChange
from core20.oversight import outputs, prefill

pytestmark = pytest.mark.django_db

# Financial year 2025/26: Q1 April-June 2025, Q2 July-September, Q3 October-December.
YEAR = 2025


def at(y, m, d) -> datetime:
    return timezone.make_aware(datetime(y, m, d, 12))


def connector(site, name, *moves):
    """A connector with its pipeline moves [(when, status), ...]."""
    record = Connector.objects.create(site=site, name=name, status=moves[-1][1])
    previous = ""
    for when, status in moves:
        StatusChange.objects.create(
            connector=record, from_status=previous, to_status=status, changed_at=when
        )
        previous = status
    return record


@pytest.fixture
def pipeline(site, other_site):
    # Active since March 2025 (before Q1), still active.
    connector(site, "Asha", (at(2025, 1, 5), "interested"), (at(2025, 3, 1), "active"))
    # Made active in Q2 (August), paused in Q3 (November).
    connector(
        site,
        "Ben",
        (at(2025, 6, 1), "training"),
        (at(2025, 8, 10), "active"),
        (at(2025, 11, 2), "paused"),
    )
    # Active in Q1, left in May, came back active in Q3: recruited in Q1, not again.
    connector(
        site,
        "Cara",
        (at(2025, 4, 20), "active"),
        (at(2025, 5, 30), "left"),
        (at(2025, 10, 1), "active"),
    )
    # Never active.
    connector(site, "Dev", (at(2025, 7, 1), "interested"), (at(2025, 7, 8), "checks"))
    # Imported as active with no recorded moves: counts from when its status was set.
    Connector.objects.create(
        site=site, name="Eli", status="active", status_changed_at=at(2025, 9, 15)
    )
    # Someone else's site.
    connector(other_site, "Fay", (at(2025, 5, 1), "active"))


@pytest.mark.parametrize(
    ("quarter", "active", "recruited"),
    [
        (1, 2, 1),  # Asha (since March) and Cara (20 April to 30 May); Cara recruited
        (2, 3, 2),  # Asha, Ben (from August), Eli (from 15 September); Ben and Eli recruited
        (3, 4, 0),  # Asha, Ben (until 2 November), Cara (back in October), Eli
        (4, 3, 0),  # Asha, Cara, Eli: Ben is paused
    ],
)
def test_connectors_active_and_recruited_per_quarter(site, pipeline, quarter, active, recruited):
    assert outputs.connectors_active(site, YEAR, quarter, {}) == active
    assert outputs.connectors_recruited(site, YEAR, quarter, {}) == recruited


def test_the_year_columns_count_each_site_in_a_fixed_number_of_queries(
    site, other_site, pipeline, django_assert_num_queries
):
    with django_assert_num_queries(2):
        active = outputs.connectors_active_bulk([site.pk, other_site.pk], YEAR)
    assert active == {site.pk: 4, other_site.pk: 1}
    recruited = outputs.connectors_recruited_bulk([site.pk, other_site.pk], YEAR)
    # Asha was first made active in March 2025, the year before.
    assert recruited == {site.pk: 3, other_site.pk: 1}
    # With a shared cache (the oversight table's), the second column reads no history again.
    shared: dict = {}
    outputs.connectors_active_bulk([site.pk, other_site.pk], YEAR, shared)
    with django_assert_num_queries(0):
        again = outputs.connectors_recruited_bulk([site.pk, other_site.pk], YEAR, shared)
    assert again == recruited


def test_activities_held_and_people_reached(site, other_site, django_assert_num_queries):
    for day, reached, where in (
        (date(2025, 4, 1), 12, site),  # first day of Q1
        (date(2025, 6, 30), 30, site),  # last day of Q1
        (date(2025, 7, 1), 7, site),  # Q2
        (date(2025, 3, 31), 99, site),  # the year before
        (date(2025, 5, 5), 40, other_site),
    ):
        Activity.objects.create(site=where, date=day, kind="event", people_reached=reached)
    assert outputs.activities_held(site, YEAR, 1, {}) == 2
    assert outputs.people_reached(site, YEAR, 1, {}) == 42
    assert outputs.people_reached(site, YEAR, 3, {}) == 0
    assert outputs.activities_held_bulk([site.pk, other_site.pk], YEAR) == {
        site.pk: 3,
        other_site.pk: 1,
    }
    assert outputs.people_reached_bulk([site.pk, other_site.pk], YEAR) == {
        site.pk: 49,
        other_site.pk: 40,
    }
    with django_assert_num_queries(1):  # one aggregate serves both figures
        values = prefill.prefill_values(site, YEAR, 1, ["activities_held", "people_reached"])
    assert values == {"activities_held": "2", "people_reached": "42"}
    shared: dict = {}
    with django_assert_num_queries(1):
        held = outputs.activities_held_bulk([site.pk, other_site.pk], YEAR, shared)
        reached = outputs.people_reached_bulk([site.pk, other_site.pk], YEAR, shared)
    assert (held, reached) == ({site.pk: 3, other_site.pk: 1}, {site.pk: 49, other_site.pk: 40})


def test_insights_sent_per_quarter_and_year(site, other_site):
    """Insight counts in the quarter it was sent to decision-makers (each raised a week
    earlier); tests/oversight/test_review_fixes.py has the insight that is not sent."""
    from datetime import timedelta

    from core20.insights.models import DecisionBody, Insight, Routing
    from tests.factories import OrganisationFactory

    bodies = {
        where: DecisionBody.objects.create(
            site=where, organisation=OrganisationFactory(), name="Board", kind="pcn"
        )
        for where in (site, other_site)
    }
    for when, where in (
        (at(2025, 4, 1), site),
        (at(2025, 6, 30), site),
        (at(2025, 7, 1), site),
        (at(2026, 3, 31), site),  # last day of the financial year
        (at(2026, 4, 1), site),  # the next year
        (at(2025, 5, 5), other_site),
    ):
        insight = Insight.objects.create(
            site=where,
            kind="barrier",
            summary="Appointments",
            people_count=3,
            raised_at=when - timedelta(days=7),
        )
        Routing.objects.create(
            insight=insight, body=bodies[where], routed_at=when, due_on=when.date()
        )
    assert outputs.insights_recorded(site, YEAR, 1, {}) == 2
    assert outputs.insights_recorded(site, YEAR, 4, {}) == 1
    assert outputs.insights_recorded_bulk([site.pk, other_site.pk], YEAR) == {
        site.pk: 4,
        other_site.pk: 1,
    }


def test_micro_grants_awarded_by_decision_date_to_the_penny(site, other_site):
    from decimal import Decimal

    from core20.grants.models import Application, Fund

    def fund(where):
        return Fund.objects.create(
            site=where,
            name="Fund",
            summary="Community health",
            budget=Decimal("5000"),
            max_award=Decimal("500"),
            opens_on=date(2025, 4, 1),
            closes_on=date(2026, 3, 1),
        )

    home, away = fund(site), fund(other_site)
    for f, status, amount, decided in (
        (home, "awarded", "250.10", date(2025, 5, 1)),
        (home, "awarded", "99.95", date(2025, 6, 30)),
        (home, "declined", None, date(2025, 6, 1)),
        (home, "awarded", "300.00", date(2025, 10, 1)),
        (home, "submitted", None, None),
        (away, "awarded", "120.00", date(2025, 8, 1)),
    ):
        Application.objects.create(
            fund=f,
            status=status,
            recipient_type="organisation",
            group_name="Group",
            contact_name="Pat",
            contact_email="pat@example.org",
            title="Walks",
            purpose="Walks",
            amount_requested=Decimal("300"),
            amount_awarded=amount and Decimal(amount),
            decided_on=decided,
        )
    assert outputs.micro_grants_awarded(site, YEAR, 1, {}) == Decimal("350.05")
    assert outputs.micro_grants_awarded(site, YEAR, 2, {}) == Decimal("0.00")
    assert outputs.micro_grants_awarded_bulk([site.pk, other_site.pk], YEAR) == {
        site.pk: Decimal("650.05"),
        other_site.pk: Decimal("120.00"),
    }
    values = prefill.prefill_values(site, YEAR, 1, ["micro_grants_awarded"])
    assert values == {"micro_grants_awarded": "350.05"}
