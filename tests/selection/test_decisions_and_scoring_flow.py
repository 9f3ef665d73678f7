"""Fixes from walking the demo as a national admin and a panel member: the decision pages
show the panel's scores, and a member who submits their scores is taken on to the next
application they have to score, with a link back to the scores of the one just scored."""

import html as htmllib
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.selection import actions
from core20.selection.models import Application, Review, Score
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def flashed(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def flashed_text(response) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", flashed(response)))


def submitted(call, name: str) -> Application:
    application = helpers.make_application(call, UserFactory(), status=Application.Status.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(ics_name=name, place="")
    application.refresh_from_db()
    return application


def score(appointment, application, values, comments=""):
    helpers.declare(appointment, application)
    review = Review.objects.create(
        appointment=appointment, application=application, comments=comments
    )
    for criterion, value in zip(application.call.criteria.all(), values, strict=True):
        Score.objects.create(review=review, criterion=criterion, score=value)
    return review


@pytest.fixture
def call(site):
    """Criteria: Communities (weight 2, out of 5) and Plan (weight 1, out of 10); closed, so
    the panel scores."""
    call = helpers.make_call(site.wave, title="Wave 9 call")
    helpers.add_criteria(call, ("Communities", Decimal(2), 5), ("Plan", Decimal(1), 10))
    return helpers.close(call)


@pytest.fixture
def members(call):
    return {
        name: helpers.appoint(call, UserFactory(full_name=name))
        for name in ("Ann", "Bob", "Cat", "Dan")
    }


@pytest.fixture
def admin(make_user):
    return make_user("national_admin", full_name="Ada Admin")


# ---- 1. the decision is made with the panel's scores in view ----


def test_both_decision_steps_show_each_members_scores_and_the_means(call, members, admin):
    application = submitted(call, "Eastshire")
    score(members["Ann"], application, [4, 7], comments="Strong community partners")
    score(members["Bob"], application, [2, 8])
    helpers.declare(members["Cat"], application, conflict=True, details="Works for the ICB")
    client = client_for(admin)
    url = reverse("selection:decision", args=[application.pk])

    for page in (
        text(client.get(url)),  # choose the decision
        text(client.get(url, {"decision": "selected"})),  # check the letter
        text(client.post(url, {"decision": "not_selected", "letter": ""})),  # with an error
    ):
        assert "The panel's scores" in page
        assert (
            "Scored by 2 of 4 panel members; 1 declared a conflict of interest. "
            "Mean weighted total 13.50 out of 20."
        ) in page
        # Each member's scores and weighted total (2×4 + 7 = 15; 2×2 + 8 = 12).
        assert "Ann VCSE organisation 4 7 15" in page
        assert "Bob VCSE organisation 2 8 12" in page
        assert "Conflict of interest: Works for the ICB" in page
        assert "Dan VCSE organisation Not started" in page
        # The mean per criterion and of the totals, and where the panel disagrees.
        assert "Mean 3.00 7.50 13.50" in page
        assert "Differs by 2" in page and "The panel disagrees" in page
        assert "Strong community partners" in page
    assert "What has the panel decided?" in text(client.get(url))


def test_the_decision_page_says_when_nobody_has_scored_yet(call, members, admin):
    application = submitted(call, "Eastshire")
    page = text(client_for(admin).get(reverse("selection:decision", args=[application.pk])))
    assert "Scored by 0 of 4 panel members." in page
    assert "Mean weighted total" not in page


def test_the_decision_pages_use_the_same_number_of_queries_for_any_panel(call, admin):
    application = submitted(call, "Eastshire")
    client = client_for(admin)
    url = reverse("selection:decision", args=[application.pk])

    def queries(**params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured)

    score(helpers.appoint(call, UserFactory(full_name="First")), application, [1, 1])
    few = (queries(), queries(decision="selected"))
    for n in range(5):
        member = helpers.appoint(call, UserFactory(full_name=f"Member {n}"))
        if n % 2:
            score(member, application, [n % 6, n], comments=f"Comment {n}")
        else:
            helpers.declare(member, application, conflict=True, details=f"Conflict {n}")
    many = (queries(), queries(decision="selected"))
    assert many == few


# ---- 2. after scoring, on to the next application to score ----


def _score_through_the_pages(client, application, scores):
    review_url = reverse("selection:review", args=[application.pk])
    client.post(review_url, {"has_conflict": "no"})
    criteria = list(application.call.criteria.all())
    data = {actions.score_field(c): s for c, s in zip(criteria, scores, strict=True)}
    return client.post(reverse("selection:review-score", args=[application.pk]), data)


def test_after_scoring_the_member_goes_to_the_next_application_then_back_to_their_list(
    call, members
):
    first, second, third, fourth = (
        submitted(call, name) for name in ("Ashby", "Barton", "Carlton", "Denby")
    )
    ann = members["Ann"]
    client = client_for(ann.user)
    # Ann has a conflict with Denby, so never scores it.
    helpers.declare(ann, fourth, conflict=True, details="I work there")

    # From the second: on to the third (the next in her list)...
    response = _score_through_the_pages(client, second, [3, 5])
    assert response["Location"] == reverse("selection:review", args=[third.pk])
    assert flashed_text(response) == (
        "Your scores for Barton have been submitted. See the other members' scores for "
        "Barton. This is the next application for you to score."
    )
    page = text(client.get(response["Location"]))
    assert "Carlton" in page and "This is the next application for you to score." in page
    # ...then, past Denby (a conflict), back to the first she has not scored...
    response = _score_through_the_pages(client, third, [2, 6])
    assert response["Location"] == reverse("selection:review", args=[first.pk])
    assert "Ashby" in text(client.get(response["Location"]))
    # ...and once none is left, back to her list, which says so.
    response = _score_through_the_pages(client, first, [4, 4])
    assert response["Location"] == reverse("selection:panel-call", args=[call.pk])
    assert flashed_text(response) == (
        "Your scores for Ashby have been submitted. See the other members' scores for Ashby. "
        "You have no more applications to score in this call."
    )
    listing = text(client.get(response["Location"]))
    assert "You have no more applications to score in this call." in listing
    assert Review.objects.filter(appointment=ann).count() == 3


def test_after_scoring_the_message_links_to_the_other_members_scores(call, members):
    first, second = submitted(call, "Ashby"), submitted(call, "Barton")
    score(members["Bob"], first, [2, 8], comments="Bob thinks the plan is strong")
    client = client_for(members["Ann"].user)
    scores_url = reverse("selection:review", args=[first.pk])
    link = (
        f'<a class="nhsuk-notification-banner__link" href="{scores_url}">'
        "See the other members' scores for Ashby</a>"
    )

    # On to the next application, whose banner links back to the scores just unlocked...
    response = _score_through_the_pages(client, first, [4, 7])
    assert response["Location"] == reverse("selection:review", args=[second.pk])
    page = client.get(response["Location"]).content.decode()
    assert link in page
    scores = text(client.get(scores_url))
    assert "The panel's scores" in scores
    assert "Scored by 2 of 4 panel members." in scores
    assert "Ann VCSE organisation 4 7 15" in scores and "Bob VCSE organisation 2 8 12" in scores

    # ...and from the last one, back to the list, with the same kind of link.
    response = _score_through_the_pages(client, second, [1, 1])
    assert response["Location"] == reverse("selection:panel-call", args=[call.pk])
    page = client.get(response["Location"]).content.decode()
    assert (
        link.replace(scores_url, reverse("selection:review", args=[second.pk])).replace(
            "Ashby", "Barton"
        )
        in page
    )


def test_the_next_application_is_one_the_member_has_not_scored_even_if_others_have(call, members):
    first, second = submitted(call, "Ashby"), submitted(call, "Barton")
    score(members["Bob"], second, [1, 1])  # another member's review does not count
    response = _score_through_the_pages(client_for(members["Ann"].user), first, [3, 3])
    assert response["Location"] == reverse("selection:review", args=[second.pk])
