"""Demo part ``insights`` (core20/web/demo/insights.py): the council's forums, eight insights
at every stage of the bridge, and what waits on the coordinator's and decision-maker's home
pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
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
