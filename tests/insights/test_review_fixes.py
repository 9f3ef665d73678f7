"""Fixes from the demo review: responding from the insight page, labels, the communities on
offer, "sent" wording, overdue responses and agreed actions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.insights import actions
from core20.insights.models import Action, Insight, Response, Routing
from core20.programme.models import PlusGroup
from tests.conftest import client_for, page_html
from tests.factories import OrganisationFactory
from tests.insights import helpers

pytestmark = pytest.mark.django_db

OVERDUE = '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>'


@pytest.fixture
def people(make_user):
    return {
        "lead": make_user("site_lead"),
        "connector": make_user("connector"),
        "decider": make_user("decision_maker"),
    }


@pytest.fixture
def sent(site, organisation, people):
    """An insight raised by the connector and sent to a body of the decider's organisation."""
    body = helpers.body(
        site,
        people["lead"],
        organisation=organisation,
        name="Telford PCN",
        contacts=["pat.jones@example.org"],
    )
    insight = helpers.insight(site, people["connector"])
    (routing,) = helpers.route(insight, [body], people["lead"])
    return routing


def _due(routing: Routing, days_from_today: int) -> None:
    Routing.objects.filter(pk=routing.pk).update(
        due_on=timezone.localdate() + timedelta(days=days_from_today)
    )


# ---- 1. responding from the insight page ----


def test_decision_maker_responds_from_the_insight_page(sent, people):
    url = sent.insight.get_absolute_url()
    respond = reverse("insights:routing-respond", args=[sent.pk])
    add = reverse("insights:action-create", args=[sent.pk])
    page = page_html(people["decider"], url)
    assert "Respond to this insight" in page and f'href="{respond}"' in page

    actions.respond(routing=sent, kind="acknowledged", by=people["decider"])
    page = page_html(people["decider"], url)
    assert "Respond to this insight" not in page
    assert "Add an action" in page and f'href="{add}"' in page


def test_only_those_who_may_respond_get_the_button(sent, people, make_user):
    other_decider = make_user("decision_maker", scope_organisation=OrganisationFactory())
    url = sent.insight.get_absolute_url()
    for who in ("lead", "connector"):
        page = page_html(people[who], url)
        assert "Respond to this insight" not in page
    # Someone from another organisation does not even see the insight.
    assert client_for(other_decider).get(url).status_code == 404


def test_insight_page_queries_do_not_grow_with_routings(site, people, organisation):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lead = people["lead"]
    insight = helpers.insight(site, people["connector"])

    def count(user) -> int:
        client = client_for(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(insight.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    first = helpers.body(site, lead, organisation=organisation, contacts=["a@example.org"])
    helpers.route(insight, [first], lead)
    few = [count(people["lead"]), count(people["decider"])]
    more = [
        helpers.body(
            site, lead, organisation=organisation, name=f"Forum {n}", contacts=["b@example.org"]
        )
        for n in range(3)
    ]
    for routing in helpers.route(insight, more, lead):
        actions.respond(routing=routing, kind="acknowledged", by=people["decider"])
    Routing.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    assert [count(people["lead"]), count(people["decider"])] == few


# ---- 2. "(optional)" once ----


def test_optional_labels_say_optional_once(site, sent, people):
    lead = people["lead"]
    insight = helpers.insight(site, people["connector"], summary="Another one")
    for user, url in (
        (people["connector"], reverse("insights:insight-create", args=[site.slug])),
        (lead, reverse("insights:insight-route", args=[insight.pk])),
        (lead, reverse("insights:contact-create", args=[sent.body_id])),
    ):
        page = page_html(user, url)
        assert "(optional) (optional)" not in page
        assert "(optional)" in page


# ---- 3. communities ----


@pytest.fixture
def groups(site, other_site):
    top = PlusGroup.objects.create(code="inclusion", name="Inclusion health groups", position=1)
    return {
        "top": top,
        "child": PlusGroup.objects.create(
            code="grt", name="Gypsy, Roma and Traveller communities", parent=top, position=2
        ),
        "own": PlusGroup.objects.create(code="coastal-x", name="Coastal towns", site=site),
        "theirs": PlusGroup.objects.create(code="far-away", name="Far away", site=other_site),
    }


def test_the_insight_form_offers_every_community_the_activity_form_does(site, people, groups):
    from core20.engagement.forms import ActivityForm

    form_page = page_html(people["connector"], reverse("insights:insight-create", args=[site.slug]))
    for key in ("top", "child", "own"):
        assert groups[key].name in form_page
    assert "Far away" not in form_page
    # In the same order as the activity form.
    activity = ActivityForm(sites=type(site).objects.filter(pk=site.pk))
    offered = [g.code for g in activity.fields["communities"].queryset]
    assert [form_page.index(f'value="{code}"') for code in offered] == sorted(
        form_page.index(f'value="{code}"') for code in offered
    )


def test_a_sub_group_is_accepted_by_the_page_and_the_api(site, people, groups):
    client = client_for(people["connector"])
    response = client.post(
        reverse("insights:insight-create", args=[site.slug]),
        {"kind": "barrier", "summary": "Site closed", "people_count": "4", "communities": ["grt"]},
    )
    assert response.status_code == 302
    assert [g.code for g in Insight.objects.get().communities.all()] == ["grt"]
    made = client.post(
        "/api/v1/insights",
        {
            "site": site.slug,
            "kind": "barrier",
            "summary": "No address",
            "people_count": 3,
            "communities": ["grt"],
        },
        content_type="application/json",
    )
    assert made.status_code == 201
    assert [g.code for g in Insight.objects.get(summary="No address").communities.all()] == ["grt"]


def test_the_api_refuses_another_sites_own_group(site, people, groups):
    body = {"site": site.slug, "kind": "barrier", "summary": "Far", "people_count": 3}
    client = client_for(people["connector"])
    refused = client.post(
        "/api/v1/insights", {**body, "communities": ["far-away"]}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert "far-away" in refused.content.decode()
    own = client.post(
        "/api/v1/insights", {**body, "communities": ["coastal-x"]}, content_type="application/json"
    )
    assert own.status_code == 201
    assert not Insight.objects.filter(communities=groups["theirs"]).exists()


# ---- 4. "sent", not "routed" ----


def test_the_filter_says_not_sent_yet(people):
    page = page_html(people["lead"], reverse("insights:insight-list"))
    assert "Not sent yet" in page and "routed" not in page.lower()


# ---- 5. overdue responses ----


def test_an_overdue_response_is_marked_with_reminders_and_contacts_for_the_site(sent, people):
    _due(sent, -3)
    Routing.objects.filter(pk=sent.pk).update(
        reminder_sent_at=timezone.make_aware(timezone.datetime(2026, 3, 2, 9)),
        escalated_at=timezone.make_aware(timezone.datetime(2026, 3, 20, 9)),
    )
    insight_url = sent.insight.get_absolute_url()
    routing_url = sent.get_absolute_url()
    for url in (insight_url, routing_url):
        page = page_html(people["lead"], url)
        assert OVERDUE in page
        assert "Reminder emailed 2 March 2026" in page
        assert "Site lead told it is overdue 20 March 2026" in page
        assert "pat.jones" in page and "pat.jones@example.org" in page
    # The decision-maker sees that it is overdue; the contacts list is for the site's team.
    for who in ("decider", "connector"):
        page = page_html(people[who], insight_url)
        assert "pat.jones@example.org" not in page
    assert OVERDUE in page_html(people["decider"], routing_url)


def test_not_overdue_before_the_due_date_nor_once_answered(sent, people):
    _due(sent, 0)
    assert OVERDUE not in page_html(people["lead"], sent.insight.get_absolute_url())
    _due(sent, -1)
    actions.respond(routing=sent, kind="acknowledged", by=people["decider"])
    for url in (sent.insight.get_absolute_url(), sent.get_absolute_url()):
        assert OVERDUE not in page_html(people["lead"], url)


# ---- 6. agreed actions ----


def test_agreeing_an_action_leads_to_adding_it(sent, people):
    client = client_for(people["decider"])
    response = client.post(
        reverse("insights:routing-respond", args=[sent.pk]),
        {"kind": "action_agreed", "text": "We will add an evening phone line"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:action-create", args=[sent.pk])
    page = page_html(people["decider"], sent.get_absolute_url())
    assert "You said action was agreed: add it so the community can see it" in page
    assert "Add the action you agreed" in page
    # The site lead sees it is missing but is not asked to add it.
    lead_page = page_html(people["lead"], sent.get_absolute_url())
    assert "Add the action you agreed" not in lead_page

    actions.add_action(
        routing=sent,
        data={
            "description": "Evening phone line",
            "owner": "Practice manager",
            "due_on": date(2026, 12, 1),
            "status": "planned",
        },
        by=people["decider"],
    )
    page = page_html(people["decider"], sent.get_absolute_url())
    assert "You said action was agreed" not in page


def test_an_acknowledgement_goes_back_to_the_routing(sent, people):
    response = client_for(people["decider"]).post(
        reverse("insights:routing-respond", args=[sent.pk]), {"kind": "acknowledged"}
    )
    assert response["Location"] == sent.get_absolute_url()
    assert "You said action was agreed" not in page_html(people["decider"], sent.get_absolute_url())


def test_a_done_action_says_what_was_done_and_when(sent, people):
    actions.respond(
        routing=sent, kind=Response.Kind.ACTION_AGREED, text="Yes", by=people["decider"]
    )
    action = actions.add_action(
        routing=sent,
        data={
            "description": "Evening phone line",
            "owner": "Practice manager",
            "due_on": date(2026, 12, 1),
            "status": "planned",
        },
        by=people["decider"],
    )
    client = client_for(people["decider"])
    url = reverse("insights:action-edit", args=[action.pk])
    form = {
        "description": "Evening phone line",
        "owner": "Practice manager",
        "due_on": "2026-12-01",
        "status": "done",
        "outcome": "The line opens until 8pm on weekdays",
    }
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused = client.post(
        url,
        {**form, "completed_on": tomorrow.isoformat()},
    )
    assert refused.status_code == 200
    assert "The completion date must be today or in the past" in refused.content.decode()

    response = client.post(url, {**form, "completed_on": "2026-11-03"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.completed_on == date(2026, 11, 3)
    assert action.outcome == "The line opens until 8pm on weekdays"
    for who in ("decider", "lead"):
        page = page_html(people[who], sent.get_absolute_url())
        assert "The line opens until 8pm on weekdays" in page and "3 Nov 2026" in page


def test_done_without_a_date_is_done_today(sent, people):
    action = actions.add_action(
        routing=sent,
        data={
            "description": "Evening phone line",
            "owner": "Practice manager",
            "due_on": date(2026, 12, 1),
            "status": "done",
            "outcome": "The line opens until 8pm",
        },
        by=people["decider"],
    )
    assert action.completed_on == timezone.localdate()
