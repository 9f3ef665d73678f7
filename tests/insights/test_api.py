"""The insights API: the pages' visibility and actions, as JSON."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core20.insights import actions
from core20.insights.models import Insight
from tests.conftest import sign_in
from tests.factories import OrganisationFactory
from tests.insights import helpers

pytestmark = pytest.mark.django_db


def test_decision_maker_lists_and_answers_only_their_routings(
    client, site, organisation, make_user
):
    lead, decider = make_user("site_lead"), make_user("decision_maker")
    ours = helpers.body(site, lead, organisation=organisation, name="Our PCN")
    theirs = helpers.body(site, lead, organisation=OrganisationFactory(), name="Their Trust")
    mine = helpers.insight(site, lead, summary="Phones")
    hidden = helpers.insight(site, lead, summary="Interpreters")
    (routing,) = helpers.route(mine, [ours], lead)
    (hidden_routing,) = helpers.route(hidden, [theirs], lead)
    sign_in(client, decider)

    body = client.get("/api/v1/insights").json()
    assert body["count"] == 1 and body["items"][0]["summary"] == "Phones"
    assert [r["body"] for r in body["items"][0]["routings"]] == ["Our PCN"]
    assert client.get(f"/api/v1/insights/{hidden.pk}").status_code == 404
    assert [r["id"] for r in client.get("/api/v1/routings").json()["items"]] == [routing.pk]

    url = f"/api/v1/routings/{routing.pk}/responses"
    refused = client.post(url, {"kind": "declined"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    made = client.post(url, {"kind": "acknowledged"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["kind"] == "acknowledged"
    other = client.post(
        f"/api/v1/routings/{hidden_routing.pk}/responses",
        {"kind": "acknowledged"},
        content_type="application/json",
    )
    assert other.status_code == 404


def test_connector_records_an_insight_and_consent_is_required(client, site, make_user):
    sign_in(client, make_user("connector"))
    payload = {
        "site": site.slug,
        "kind": "barrier",
        "summary": "Buses stop at 6pm",
        "people_count": 5,
        "themes": ["Transport and travel"],
        "quote": "No bus home",
    }
    refused = client.post("/api/v1/insights", payload, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "quote_consent"
    assert not Insight.objects.exists()
    made = client.post(
        "/api/v1/insights", {**payload, "quote_consent": True}, content_type="application/json"
    )
    assert made.status_code == 201 and made.json()["people_count"] == 5
    insight = Insight.objects.get()
    assert [t.name for t in insight.themes.all()] == ["Transport and travel"]
    assert insight.quotes.count() == 1


def test_public_api_protects_counts(client, site, make_user):
    lead = make_user("site_lead")
    for people in (3, 23):
        insight = helpers.insight(site, lead, people=people)
        actions.publish(
            insight=insight, public=True, public_title=f"Said {people}", what_changed="Did", by=lead
        )
    items = client.get(f"/api/v1/sites/{site.slug}/you-said-we-did").json()["items"]
    assert {i["you_said"]: i["people"] for i in items} == {
        "Said 3": "fewer than 8",
        "Said 23": "about 25",
    }


def test_decision_makers_find_what_still_waits_and_what_is_overdue(
    client, site, organisation, make_user
):
    lead, decider = make_user("site_lead"), make_user("decision_maker")
    ours = helpers.body(site, lead, organisation=organisation, name="Our PCN")
    late, waiting, answered = (
        helpers.route(helpers.insight(site, lead, summary=s), [ours], lead)[0]
        for s in ("Late", "Waiting", "Answered")
    )
    late.due_on = timezone.localdate() - timedelta(days=1)
    late.save(update_fields=["due_on"])
    actions.respond(routing=answered, kind="acknowledged", text="", reason="", by=decider)
    sign_in(client, decider)

    def ids(query: str) -> list[int]:
        body = client.get(f"/api/v1/routings{query}").json()
        return [r["id"] for r in body["items"]]

    # Due soonest first; each says whether it is overdue.
    items = client.get("/api/v1/routings").json()["items"]
    overdue = {r["id"]: r["overdue"] for r in items}
    assert items[0]["id"] == late.pk
    assert overdue == {late.pk: True, waiting.pk: False, answered.pk: False}
    assert ids("?responded=false") == [late.pk, waiting.pk]
    assert ids("?responded=true") == [answered.pk]
    assert ids("?overdue=true") == [late.pk]
    assert set(ids("?overdue=false")) == {waiting.pk, answered.pk}
    assert client.get("/api/v1/routings?overdue=perhaps").status_code == 422
