"""The pages, per role: raising, routing, responding, feedback, publishing; what each person
may see (a decision-maker only what was routed to their organisation); the public page with
disclosure-controlled counts; bounded queries on the lists."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core20.insights import actions
from core20.insights.models import Insight, Quote, Response
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.insights import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, organisation):
    return {
        "lead": make_user("site_lead", email="lead@example.org"),
        "connector": make_user("connector"),
        "decider": make_user("decision_maker", email="decider@example.org"),
    }


def test_connector_records_an_insight_with_errors_first(client, site, people):
    sign_in(client, people["connector"])
    url = reverse("insights:insight-create", args=[site.slug])
    response = client.post(url, {"summary": "", "people_count": "lots", "quote": "Too busy"})
    page = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in page
    for message in (
        "Choose the kind of insight",
        "Enter what people said",
        "Enter the number of people as a whole number, like 12",
        "Confirm the person agreed to their words being recorded",
    ):
        assert message in page
    assert not Insight.objects.exists()

    response = client.post(
        url,
        {
            "kind": "barrier",
            "summary": "Letters only in English",
            "people_count": "9",
            "quote": "I could not read the letter",
            "quote_consent": "on",
        },
    )
    insight = Insight.objects.get()
    assert response.status_code == 302 and response["Location"] == insight.get_absolute_url()
    assert insight.raised_by == people["connector"] and insight.quotes.count() == 1


def test_decision_maker_sees_only_what_was_routed_to_their_organisation(
    client, site, organisation, people
):
    lead = people["lead"]
    ours = helpers.body(site, lead, organisation=organisation, name="Our PCN")
    theirs = helpers.body(site, lead, organisation=OrganisationFactory(), name="Their Trust")
    mine = helpers.insight(site, people["connector"], summary="Phones jammed at 8am")
    hidden = helpers.insight(site, people["connector"], summary="No interpreter at clinic")
    both = helpers.insight(site, people["connector"], summary="Car park full")
    (routing,) = helpers.route(mine, [ours], lead)
    (hidden_routing,) = helpers.route(hidden, [theirs], lead)
    helpers.route(both, [ours, theirs], lead)
    helpers.insight(site, people["connector"], summary="Not routed at all")

    sign_in(client, people["decider"])
    page = client.get(reverse("insights:insight-list")).content.decode()
    assert "2 insights" in page
    assert "Phones jammed" in page and "Car park full" in page
    assert "No interpreter" not in page and "Not routed at all" not in page
    assert "Their Trust" not in page  # not even where else a shared insight went
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(hidden_routing.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("insights:routing-respond", args=[hidden_routing.pk])).status_code == 404
    )
    detail = client.get(both.get_absolute_url()).content.decode()
    assert "Our PCN" in detail and "Their Trust" not in detail

    # They respond, and add an action.
    response = client.post(
        reverse("insights:routing-respond", args=[routing.pk]), {"kind": "declined", "reason": ""}
    )
    assert "Give the reason for declining" in response.content.decode()
    client.post(
        reverse("insights:routing-respond", args=[routing.pk]),
        {"kind": "action_agreed", "text": "A 10am phone line"},
    )
    assert Response.objects.get().kind == "action_agreed"
    client.post(
        reverse("insights:action-create", args=[routing.pk]),
        {
            "description": "Open a 10am line",
            "owner": "Practice manager",
            "due_on": "2027-02-01",
            "status": "planned",
        },
    )
    page = client.get(routing.get_absolute_url()).content.decode()
    assert "Open a 10am line" in page and "Action agreed" in page


def test_connector_sees_only_their_own_insights(client, site, make_user, people):
    mine = helpers.insight(site, people["connector"], summary="Mine")
    theirs = helpers.insight(site, make_user("connector"), summary="Someone else's")
    sign_in(client, people["connector"])
    page = client.get(reverse("insights:insight-list")).content.decode()
    assert "Mine" in page and "Someone else" not in page
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_site_lead_routes_from_the_page(client, site, organisation, people):
    body = helpers.body(
        site, people["lead"], organisation=organisation, name="Our PCN", contacts=["cd@example.org"]
    )
    insight = helpers.insight(site, people["connector"])
    sign_in(client, people["lead"])
    url = reverse("insights:insight-route", args=[insight.pk])
    assert "Choose at least one organisation or forum" in client.post(url, {}).content.decode()
    response = client.post(url, {"bodies": [body.pk], "message": "Please look at this"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["cd@example.org", "decider@example.org"]
    # Once sent, the body is no longer offered.
    client.get(insight.get_absolute_url())  # shows (and clears) the confirmation
    assert "Our PCN" not in client.get(url).content.decode()


def test_public_page_controls_disclosure_and_consent(client, site, people):
    lead = people["lead"]
    small = helpers.insight(
        site,
        people["connector"],
        people=3,
        quote="Private words",
        quote_consent=True,
        quote_public=False,
    )
    Quote.objects.create(insight=small, text="Publishable words", consent_public=True)
    large = helpers.insight(site, people["connector"], people=23)
    draft = helpers.insight(site, people["connector"], people=40)
    actions.publish(
        insight=small,
        public=True,
        public_title="Phones jammed",
        what_changed="A 10am line",
        by=lead,
    )
    actions.publish(
        insight=large,
        public=True,
        public_title="Letters in English only",
        what_changed="Letters in Polish and Urdu",
        by=lead,
    )
    assert not draft.public

    response = client.get(reverse("insights:public", args=[site.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Phones jammed" in page and "A 10am line" in page
    assert "raised by fewer than 8 people" in page  # 3 is not shown as 3
    assert not re.search(r"raised by 3\b", page)
    assert "raised by about 25 people" in page  # 23, rounded to the nearest 5
    assert "Publishable words" in page and "Private words" not in page
    assert "raised by about 40" not in page  # not published


def test_list_and_public_queries_do_not_grow(
    client, site, organisation, people, django_assert_max_num_queries
):
    lead = people["lead"]
    body = helpers.body(site, lead, organisation=organisation)

    def add(n):
        for _ in range(n):
            insight = helpers.insight(site, people["connector"])
            helpers.route(insight, [body], lead)
            actions.publish(
                insight=insight, public=True, public_title="Said", what_changed="Did", by=lead
            )

    def count(user, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.logout()
        if user:
            sign_in(client, user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [
        (lead, reverse("insights:insight-list")),
        (people["decider"], reverse("insights:insight-list")),
        (None, reverse("insights:public", args=[site.slug])),
    ]
    add(2)
    few = [count(u, url) for u, url in urls]
    add(8)
    assert [count(u, url) for u, url in urls] == few
    with django_assert_max_num_queries(12):
        client.get(reverse("insights:public", args=[site.slug]))


def test_feedback_publish_and_codesign_pages(client, site, people):
    insight = helpers.insight(site, people["connector"])
    sign_in(client, people["lead"])
    response = client.post(
        reverse("insights:feedback-create", args=[insight.pk]),
        {"given_on": "2026-03-02", "channel": "newsletter", "summary": "Told the group"},
    )
    assert response.status_code == 302 and insight.feedback.count() == 1
    response = client.post(reverse("insights:insight-publish", args=[insight.pk]), {"public": "on"})
    assert "Say what changed" in response.content.decode()
    client.post(
        reverse("insights:insight-publish", args=[insight.pk]),
        {"public": "on", "public_title": "Phones", "what_changed": "New line"},
    )
    insight.refresh_from_db()
    assert insight.public
    response = client.post(
        reverse("insights:session-create", args=[site.slug]),
        {
            "title": "Phones",
            "held_on": "2026-03-04",
            "participants": "12",
            "community_participants": "8",
            "decisions": "Trial",
            "insights": [insight.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("insights:sessions", args=[site.slug])).content.decode()
    assert "12 taking part, 8 from the community" in page
