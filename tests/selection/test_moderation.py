"""Moderation figures against values worked out by hand, and their query counts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.selection.models import Application, Review, Score
from core20.selection.moderation import Spread, moderate
from tests.conftest import sign_in
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db


def score(appointment, application, values, comments=""):
    """Record a review directly: values are in the call's criteria order."""
    review = Review.objects.create(
        appointment=appointment, application=application, comments=comments
    )
    for criterion, value in zip(application.call.criteria.all(), values, strict=True):
        Score.objects.create(review=review, criterion=criterion, score=value)
    return review


@pytest.fixture
def panel(site):
    """Criteria: Communities (weight 2, out of 5) and Plan (weight 1, out of 10).
    Members: Ann and Bob score; Cat declared a conflict; Dan has not started."""
    call = helpers.make_call(site.wave)
    helpers.add_criteria(call, ("Communities", Decimal(2), 5), ("Plan", Decimal(1), 10))
    members = {
        name: helpers.appoint(call, UserFactory(full_name=name))
        for name in ("Ann", "Bob", "Cat", "Dan")
    }
    return call, members


def submitted(call, name):
    application = helpers.make_application(call, UserFactory(), status=Application.Status.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(ics_name=name, place="")
    application.refresh_from_db()
    return application


def test_spread_of_nothing_and_of_one_value():
    assert Spread.of([]).mean is None and Spread.of([]).count == 0
    one = Spread.of([4])
    assert (one.mean, one.minimum, one.maximum, one.range, one.sd) == (4.0, 4, 4, 0, 0.0)


def test_figures_match_hand_computed_values(panel):
    call, m = panel
    application = submitted(call, "Eastshire")
    helpers.declare(m["Ann"], application)
    helpers.declare(m["Bob"], application)
    helpers.declare(m["Cat"], application, conflict=True, details="Works for the ICB")
    score(m["Ann"], application, [4, 7], comments="Strong")
    score(m["Bob"], application, [2, 8])

    (f,) = moderate(call)
    rows = {row.appointment.user.full_name: row for row in f.members}
    # Weighted totals: Ann 2×4 + 1×7 = 15; Bob 2×2 + 1×8 = 12. Out of 2×5 + 1×10 = 20.
    assert rows["Ann"].total == Decimal(15) and rows["Bob"].total == Decimal(12)
    assert f.max_total == Decimal(20)
    assert rows["Cat"].conflicted and rows["Cat"].total is None
    assert rows["Cat"].declaration.details == "Works for the ICB"
    assert rows["Dan"].state == "Not started"
    assert [r.appointment.user.full_name for r in f.conflicts] == ["Cat"]
    communities, plan = f.criteria
    # Communities: 4 and 2 → mean 3, range 2, population SD √((1² + 1²)/2) = 1.
    assert communities.spread.mean == pytest.approx(3.0)
    assert (communities.spread.minimum, communities.spread.maximum) == (2, 4)
    assert communities.spread.range == 2
    assert communities.spread.sd == pytest.approx(1.0)
    assert communities.flagged  # a spread of 2 reaches the default threshold of 2
    # Plan: 7 and 8 → mean 7.5, range 1, SD 0.5: not flagged.
    assert plan.spread.mean == pytest.approx(7.5)
    assert plan.spread.sd == pytest.approx(0.5)
    assert not plan.flagged
    # Totals 15 and 12 → mean 13.5, 12 to 15, SD 1.5.
    assert f.total.mean == pytest.approx(13.5)
    assert (f.total.minimum, f.total.maximum) == (Decimal(12), Decimal(15))
    assert f.total.sd == pytest.approx(1.5)
    assert f.flagged and [c.name for c in f.flagged_criteria] == ["Communities"]


def test_three_scorers(panel):
    call, m = panel
    application = submitted(call, "Eastshire")
    score(m["Ann"], application, [4, 7])
    score(m["Bob"], application, [2, 8])
    score(m["Cat"], application, [5, 10])
    (f,) = moderate(call)
    communities, plan = f.criteria
    # Communities 4, 2, 5: mean 11/3; deviations 1/3, −5/3, 4/3; SD √((1 + 25 + 16)/27).
    assert communities.spread.mean == pytest.approx(11 / 3)
    assert communities.spread.sd == pytest.approx((42 / 27) ** 0.5)
    assert communities.spread.range == 3
    # Plan 7, 8, 10: mean 25/3, range 3 → flagged too.
    assert plan.spread.mean == pytest.approx(25 / 3) and plan.flagged
    # Totals 15, 12, 20: mean 47/3; SD √(((−2/3)² + (−11/3)² + (13/3)²)/3) = √(294/27).
    assert f.total.mean == pytest.approx(47 / 3)
    assert f.total.sd == pytest.approx((294 / 27) ** 0.5)


def test_the_threshold_is_the_calls(panel):
    call, m = panel
    application = submitted(call, "Eastshire")
    score(m["Ann"], application, [4, 7])
    score(m["Bob"], application, [2, 8])
    call.disagreement_threshold = Decimal("2.5")
    call.save()
    (f,) = moderate(call)
    assert not f.flagged
    call.disagreement_threshold = Decimal(1)
    call.save()
    (f,) = moderate(call)
    assert [c.name for c in f.flagged_criteria] == ["Communities", "Plan"]


def test_one_score_is_never_a_disagreement_and_order_is_by_mean_total(panel):
    call, m = panel
    low = submitted(call, "Low")
    high = submitted(call, "High")
    unscored = submitted(call, "Unscored")
    score(m["Ann"], low, [1, 1])
    score(m["Bob"], low, [1, 2])
    score(m["Ann"], high, [5, 0])
    figures = moderate(call)
    assert [f.application.ics_name for f in figures] == ["High", "Low", "Unscored"]
    high_f = figures[0]
    assert high_f.total.count == 1 and not high_f.flagged
    assert figures[2].total.mean is None
    assert unscored.pk == figures[2].application.pk


def test_drafts_are_left_out(panel):
    call, _ = panel
    helpers.make_application(call, UserFactory())
    assert moderate(call) == []


def _populate(call, members, how_many, start=0):
    for n in range(start, start + how_many):
        application = submitted(call, f"Area {n}")
        for name in ("Ann", "Bob"):
            helpers.declare(members[name], application)
            score(members[name], application, [n % 6, n % 11])
        helpers.declare(members["Cat"], application, conflict=True, details="Related")


def test_moderate_uses_the_same_number_of_queries_for_any_number_of_applications(panel):
    call, members = panel
    _populate(call, members, 2)
    with CaptureQueriesContext(connection) as few:
        figures = moderate(call)
        [f.flagged for f in figures]
    _populate(call, members, 6, start=2)
    with CaptureQueriesContext(connection) as many:
        figures = moderate(call)
        [f.flagged for f in figures]
    assert len(figures) == 8
    assert len(many) == len(few) <= 6


def test_the_moderation_page_has_no_n_plus_one_and_shows_the_figures(panel, client, make_user):
    call, members = panel
    sign_in(client, make_user("national_admin"))
    url = reverse("selection:moderation", args=[call.pk])
    _populate(call, members, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _populate(call, members, 5, start=2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(many) == len(few)
    html = response.content.decode()
    assert "7 submitted applications" in html
    assert "Conflict of interest: Related" in html  # shown to national admins


def test_the_page_shows_the_hand_computed_figures(panel, client, make_user):
    call, m = panel
    application = submitted(call, "Eastshire")
    helpers.declare(m["Cat"], application, conflict=True, details="Works for the ICB")
    score(m["Ann"], application, [4, 7])
    score(m["Bob"], application, [2, 8])
    sign_in(client, make_user("national_admin"))
    html = client.get(reverse("selection:moderation", args=[call.pk])).content.decode()
    for text in (
        "Mean weighted total 13.50 out of 20",
        "Differs by 2",
        "Panel disagrees",
        "12 to 15",
        "1.50",  # SD of the totals
        "Conflict of interest: Works for the ICB",
        "Scored by 2 of 4 panel members; 1 declared a conflict of interest.",
    ):
        assert text in html, text
