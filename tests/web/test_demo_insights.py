"""Demo part ``insights`` (core20/web/demo/insights.py): the council's forums, eight insights
at every stage of the bridge, and what waits on the coordinator's and decision-maker's home
pages."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.insights import calendar
from core20.insights.models import (
    Action,
    CoDesignSession,
    Contact,
    DecisionBody,
    Feedback,
    Insight,
    Quote,
    Response,
    Routing,
    Theme,
)
from core20.web.dashboard import dashboard_for
from core20.web.demo import engagement, insights
from tests.conftest import sign_in
from tests.web.test_demo_engagement import make_places, run_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_world):
    """The parts before insights (network, engagement at real postcodes), then insights."""
    make_places()
    run_network(demo_world)
    engagement.load(demo_world)
    insights.load(demo_world)
    return demo_world


def _waiting(user) -> list[str]:
    return [w.text for w in dashboard_for(user).waiting]


def test_the_council_is_set_up_with_the_decision_maker_as_contact(loaded):
    world = loaded
    bodies = DecisionBody.objects.filter(site=world.site)
    assert bodies.count() == 2
    assert set(bodies.values_list("organisation", flat=True)) == {world.organisation.pk}
    assert world.made["decision_bodies"]["public_health"].kind == "local_authority"
    contact = Contact.objects.get(email=world.users["decision_maker"].email)
    assert contact.body == world.made["decision_bodies"]["public_health"]
    assert set(Theme.objects.filter(site=world.site).values_list("name", flat=True)) == set(
        insights.SITE_THEMES
    )
    assert AuditEvent.objects.filter(object_type="insights.DecisionBody").count() == 2
    assert AuditEvent.objects.filter(object_type="insights.Contact").count() == 2


def test_eight_insights_at_every_stage(loaded):
    world = loaded
    found = Insight.objects.filter(site=world.site)
    assert found.count() == 8
    assert set(found.values_list("kind", flat=True)) == {
        "barrier",
        "enabler",
        "idea",
        "experience",
    }
    assert set(found.values_list("raised_by", flat=True)) == {
        world.users["connector"].pk,
        world.users["host_coordinator"].pk,
    }
    # Not yet sent: 2.
    assert found.filter(routings__isnull=True).count() == 2
    routings = Routing.objects.filter(insight__site=world.site)
    assert routings.count() == 6
    assert set(routings.values_list("body__organisation", flat=True)) == {world.organisation.pk}
    # Waiting for the council: 3, one of them past its due date.
    waiting = routings.filter(first_response_at__isnull=True)
    assert waiting.count() == 3
    today = timezone.localdate()
    assert waiting.filter(due_on__lt=today).count() == 1
    # Answered: two actions agreed (one action overdue), one declined with the reason.
    assert Response.objects.filter(kind=Response.Kind.ACTION_AGREED).count() == 2
    declined = Response.objects.get(kind=Response.Kind.DECLINED)
    assert "cannot fund" in declined.reason
    assert declined.responded_by == world.users["decision_maker"]
    assert Action.objects.count() == 2
    assert Action.objects.filter(due_on__lt=today, status__in=Action.OPEN).count() == 1
    # Told the community about one, and published it.
    evening = world.made["insights"]["evening_checks"]
    assert list(Feedback.objects.values_list("insight", flat=True)) == [evening.pk]
    assert list(found.filter(public=True)) == [evening]
    # Anonymised quotes, given with consent: two may be published.
    assert Quote.objects.count() == 3
    assert Quote.objects.filter(consent_public=True).count() == 2
    session = CoDesignSession.objects.get(site=world.site)
    assert list(session.insights.all()) == [evening]
    assert session.community_participants <= session.participants
    # Heard at the connector's own activities.
    heard = found.exclude(source_activity=None)
    assert heard.count() >= 3
    for insight in heard:
        assert insight.source_activity.recorded_by == insight.raised_by
        assert insight.source_activity.date <= timezone.localdate(insight.raised_at)
    # Over the last ten weeks, in order: raised, routed, answered.
    assert all(i.raised_at.date() < today for i in found)
    assert found.order_by("raised_at").first().raised_at.date() <= today - timedelta(days=60)
    for routing in routings.select_related("insight"):
        assert routing.insight.raised_at < routing.routed_at
        if routing.first_response_at:
            assert routing.routed_at < routing.first_response_at
    # All through the actions, so audited.
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.ROUTE).count() == 6
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.RESPOND).count() == 3
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.PUBLISH).count() == 1
    raised = AuditEvent.objects.filter(object_type="insights.Insight", verb="create")
    assert raised.count() == 8
    (line,) = [s for s in world.summary if s.startswith("Insights:")]
    assert "2 not yet sent" in line and "3 sent to Telford & Wrekin Council" in line


def test_work_waits_on_the_demo_users_home_pages(loaded):
    world = loaded
    assert _waiting(world.users["decision_maker"]) == [
        "3 insights to respond to",
        "1 insight with an action to update",
    ]
    # One of the three is past its due date; the action too.
    overdue = {w.text: w.overdue for w in dashboard_for(world.users["decision_maker"]).waiting}
    assert overdue == {"3 insights to respond to": 1, "1 insight with an action to update": 1}
    for role in ("host_coordinator", "site_lead"):
        waiting = _waiting(world.users[role])
        assert "2 new insights not yet sent to decision-makers" in waiting
        assert "1 insight to chase for a response" in waiting
        assert "1 insight with an agreed action to feed back to the community" in waiting


def test_the_pages_the_demo_users_visit(loaded, client):
    world = loaded
    made = world.made["insights"]
    waiting = Routing.objects.filter(first_response_at__isnull=True).first()

    sign_in(client, world.users["decision_maker"])
    page = client.get(reverse("insights:insight-list") + "?status=awaiting")
    assert page.status_code == 200
    assert made["online_booking"].get_absolute_url() in page.content.decode()
    assert made["traveller_registration"].get_absolute_url() not in page.content.decode()
    assert client.get(waiting.get_absolute_url()).status_code == 200
    assert client.get(made["faith_leaders"].get_absolute_url()).status_code == 404

    sign_in(client, world.users["host_coordinator"])
    page = client.get(reverse("insights:insight-list") + "?status=new")
    assert page.status_code == 200
    assert made["faith_leaders"].get_absolute_url() in page.content.decode()
    for name in ("bridge", "sessions", "site-figures", "themes"):
        assert client.get(reverse(f"insights:{name}", args=[world.site.slug])).status_code == 200

    sign_in(client, world.users["connector"])
    assert client.get(made["faith_leaders"].get_absolute_url()).status_code == 200

    client.logout()
    page = client.get(reverse("insights:public", args=[world.site.slug]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "shift workers" in text  # "you said"
    assert "evening clinics" in text  # "we did"
    assert "when I&#x27;m up" in text or "when I'm up" in text  # the quote they agreed to publish
    assert "not checked up on" not in text  # not agreed to publish


def _day(moment) -> date:
    return timezone.localdate(moment)


def test_the_dates_tell_the_story_in_order_and_none_is_in_the_future(loaded):
    world = loaded
    now, today = timezone.now(), timezone.localdate()
    found = Insight.objects.filter(site=world.site).prefetch_related(
        "quotes", "routings__responses", "routings__actions"
    )
    raised = sorted(_day(i.raised_at) for i in found)
    # Over the last few months, the newest this week.
    assert raised[0] <= today - timedelta(days=75)
    assert today - timedelta(days=7) <= raised[-1] < today
    late, escalated = [], []
    for insight in found:
        assert insight.raised_at <= insight.updated_at < now
        assert all(q.added_at == insight.raised_at for q in insight.quotes.all())
        for routing in insight.routings.all():
            sent = _day(routing.routed_at)
            # A day or two later, on a working day (after a weekend: the Monday).
            assert 1 <= (sent - _day(insight.raised_at)).days <= 5
            assert calendar.is_working_day(sent)
            assert insight.raised_at < routing.routed_at < now
            assert routing.due_on == calendar.add_working_days(sent, 20)
            responses = list(routing.responses.all())
            if responses:
                assert routing.first_response_at == min(r.responded_at for r in responses)
                assert all(routing.routed_at < r.responded_at < now for r in responses)
                assert calendar.is_working_day(_day(routing.first_response_at))
                if _day(routing.first_response_at) > routing.due_on:
                    late.append(insight)
            for action in routing.actions.all():
                assert routing.first_response_at < action.created_at < now
                assert action.updated_at == action.created_at
                assert action.due_on > _day(action.created_at)
            answered = routing.first_response_at or now
            if routing.reminder_sent_at:
                assert routing.routed_at < routing.reminder_sent_at < answered
                assert _day(routing.reminder_sent_at) <= routing.due_on
            if routing.escalated_at:
                assert _day(routing.escalated_at) > routing.due_on
                assert routing.reminder_sent_at < routing.escalated_at < answered
                escalated.append(insight)
    made = world.made["insights"]
    # Answered within the due date but for the board's, which was chased and then declined.
    assert late == [made["late_buses"]]
    assert sorted(i.pk for i in escalated) == sorted(
        [made["late_buses"].pk, made["online_booking"].pk]
    )
    # The evening clinics: agreed, co-designed, the community told, then published.
    evening = Insight.objects.get(pk=made["evening_checks"].pk)
    agreed = Action.objects.get(routing__insight=evening).created_at
    session = CoDesignSession.objects.get(site=world.site)
    feedback = Feedback.objects.get(insight=evening)
    assert _day(agreed) < session.held_on < _day(session.created_at) < feedback.given_on
    assert _day(feedback.recorded_at) == feedback.given_on
    assert feedback.given_on < _day(evening.published_at) < today
    assert evening.updated_at == evening.published_at
    # The audit log keeps when things were really recorded: today.
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.RESPOND).latest("pk").created_at > (
        now - timedelta(minutes=10)
    )


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_story_fits_every_day_of_the_year(demo_world, year):
    """Whatever day the demo is loaded (weekends, Easter, Christmas): every step before that
    day and in order, and the same insights waiting, overdue or answered late."""
    day = date(year, 1, 1)
    while day.year == year:
        world = replace(demo_world, today=day)
        for key, spec in insights.INSIGHTS.items():
            when = insights._timeline(world, key, spec["days"])
            assert _day(when.raised) < day
            if spec["state"] == "new":
                assert when.sent is None
                continue
            sent = _day(when.sent)
            assert _day(when.raised) < sent < day and calendar.is_working_day(sent)
            if spec["state"] == "waiting":
                assert when.answered is None
                assert (when.due_on < day) == (key == "online_booking"), (day, key)
            else:
                answered = _day(when.answered)
                assert sent < answered < day
                assert (answered > when.due_on) == (key == "late_buses"), (day, key)
                plan = insights.RESPONSES[key].get("action")
                if plan:
                    assert day + timedelta(days=plan["due_in"]) > answered
                if key == "evening_checks":
                    last = answered + timedelta(days=max(insights.FOLLOW_UP.values()))
                    assert last < day
            assert (when.escalated is not None) == (key in ("late_buses", "online_booking"))
        day += timedelta(days=1)
