"""Raising insights with evidence, routing with emails and due dates, responses, actions,
reminders and escalation, feedback, publication and co-design, through the actions."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.insights import actions, calendar
from core20.insights.models import Insight, Quote, Response, Routing
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.insights import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user):
    return make_user("site_lead", email="lead@example.org")


@pytest.fixture
def connector(make_user):
    return make_user("connector")


@pytest.fixture
def decider(make_user, organisation):
    return make_user("decision_maker", email="decider@example.org")


def test_a_quote_is_stored_only_with_consent(site, connector):
    with pytest.raises(ValidationError) as caught:
        helpers.insight(site, connector, quote="I gave up ringing.", quote_consent=False)
    assert "quote_consent" in caught.value.error_dict
    assert not Insight.objects.exists() and not Quote.objects.exists()

    insight = helpers.insight(site, connector, quote="I gave up ringing.", quote_consent=True)
    quote = insight.quotes.get()
    assert quote.text == "I gave up ringing." and not quote.consent_public


def test_who_may_raise_an_insight(site, other_site, make_user, connector):
    helpers.insight(site, connector)
    with pytest.raises(PermissionDenied):
        helpers.insight(other_site, connector)
    with pytest.raises(PermissionDenied):
        helpers.insight(site, make_user("decision_maker"))
    helpers.insight(site, make_user("host_coordinator"))
    assert AuditEvent.objects.filter(verb="create", object_type="insights.Insight").count() == 2


def test_people_count_and_kind_are_validated(site, connector):
    with pytest.raises(ValidationError) as caught:
        actions.raise_insight(
            site=site, data={"kind": "rumour", "summary": "", "people_count": 0}, by=connector
        )
    assert set(caught.value.error_dict) == {"kind", "summary", "people_count"}


def test_themes_come_from_the_national_list_or_the_sites_own(site, other_site, lead, make_user):
    national = actions.themes_for(site).get(name="Transport and travel")
    own = actions.create_theme(site=site, name="Parking at the hospital", by=lead)
    theirs = actions.create_theme(
        site=other_site, name="Ferry times", by=make_user("site_lead", scope_site=other_site)
    )
    insight = actions.raise_insight(
        site=site,
        data={"kind": "barrier", "summary": "Buses", "people_count": 4, "themes": [national, own]},
        by=lead,
    )
    assert set(insight.themes.all()) == {national, own}
    with pytest.raises(ValidationError) as caught:
        actions.raise_insight(
            site=site,
            data={"kind": "barrier", "summary": "Ferries", "people_count": 4, "themes": [theirs]},
            by=lead,
        )
    assert "themes" in caught.value.error_dict
    with pytest.raises(ValidationError):
        actions.create_theme(site=site, name="transport and TRAVEL", by=lead)


def test_routing_emails_contacts_and_decision_makers_with_a_due_date(
    site, organisation, lead, connector, decider
):
    MembershipFactory(
        role="decision_maker",
        organisation=organisation,
        user=UserFactory(email="gone@example.org"),
        ended_at=timezone.now(),
    )
    body = helpers.body(
        site,
        lead,
        organisation=organisation,
        name="Telford PCN",
        contacts=["cd@example.org", "Decider@example.org"],
    )
    insight = helpers.insight(site, connector)
    (routing,) = helpers.route(insight, [body], lead)
    assert routing.due_on == calendar.add_working_days(timezone.localdate(), 20)
    (message,) = mail.outbox
    assert message.to == ["cd@example.org", "decider@example.org"]  # once each, no ended role
    assert "Telford PCN" in message.subject and f"/insights/routings/{routing.pk}/" in message.body
    assert AuditEvent.objects.get(verb="route").summary == "Sent to Telford PCN"
    # Sending it to the same body twice is refused; nothing more is sent.
    with pytest.raises(ValidationError):
        helpers.route(insight, [body], lead)
    assert len(mail.outbox) == 1 and Routing.objects.count() == 1


def test_the_sites_default_sets_the_due_date(site, organisation, lead, connector):
    actions.update_settings(
        site=site, data={"response_working_days": 3, "reminder_working_days": 1}, by=lead
    )
    body = helpers.body(site, lead, organisation=organisation)
    (routing,) = helpers.route(helpers.insight(site, connector), [body], lead)
    assert routing.due_on == calendar.add_working_days(timezone.localdate(), 3)
    with pytest.raises(ValidationError) as caught:
        actions.update_settings(
            site=site, data={"response_working_days": 3, "reminder_working_days": 3}, by=lead
        )
    assert "reminder_working_days" in caught.value.error_dict


def test_only_the_sites_own_bodies_and_only_managers_route(
    site, other_site, organisation, lead, connector, make_user
):
    away = helpers.body(other_site, make_user("site_lead", scope_site=other_site))
    insight = helpers.insight(site, connector)
    with pytest.raises(ValidationError):
        helpers.route(insight, [away], lead)
    with pytest.raises(PermissionDenied):
        helpers.route(insight, [helpers.body(site, lead)], connector)


def test_responses_and_actions(site, organisation, lead, connector, decider, make_user):
    body = helpers.body(site, lead, organisation=organisation)
    (routing,) = helpers.route(helpers.insight(site, connector), [body], lead)
    # Only the routed organisation's decision-makers respond.
    outsider = make_user("decision_maker", scope_organisation=OrganisationFactory())
    with pytest.raises(PermissionDenied):
        actions.respond(routing=routing, kind="acknowledged", by=outsider)
    with pytest.raises(PermissionDenied):
        actions.respond(routing=routing, kind="acknowledged", by=lead)
    with pytest.raises(ValidationError) as caught:
        actions.respond(routing=routing, kind="declined", reason="  ", by=decider)
    assert "reason" in caught.value.error_dict
    assert not Response.objects.exists()

    actions.respond(routing=routing, kind="acknowledged", by=decider)
    routing.refresh_from_db()
    first = routing.first_response_at
    assert first is not None
    actions.respond(routing=routing, kind="action_agreed", text="A 10am line", by=decider)
    routing.refresh_from_db()
    assert routing.first_response_at == first  # the first response stays the first
    action = actions.add_action(
        routing=routing,
        data={
            "description": "Open a 10am line",
            "owner": "Practice manager",
            "due_on": date(2027, 1, 29),
            "status": "planned",
        },
        by=decider,
    )
    with pytest.raises(ValidationError) as refused:
        actions.update_action(action=action, data={"status": "done"}, by=decider)
    assert refused.value.message_dict["outcome"] == [actions.ACTION_OUTCOME_NEEDED]
    actions.update_action(
        action=action, data={"status": "done", "outcome": "A 10am line opened"}, by=decider
    )
    assert action.completed_on == timezone.localdate()
    actions.update_action(action=action, data={"status": "in_progress"}, by=decider)
    assert action.completed_on is None
    assert AuditEvent.objects.filter(verb="respond").count() == 2


def _due(routing, due_on):
    Routing.objects.filter(pk=routing.pk).update(due_on=due_on)


def test_reminders_before_and_escalation_after_each_sent_once(
    site, organisation, lead, connector, decider
):
    body = helpers.body(site, lead, organisation=organisation, contacts=["cd@example.org"])
    waiting, answered = helpers.route(
        helpers.insight(site, connector), [body], lead
    ) + helpers.route(helpers.insight(site, connector), [body], lead)
    actions.respond(routing=answered, kind="acknowledged", by=decider)
    # Due Friday 10 April 2026; five working days before, across Easter, is Wednesday 1 April.
    for routing in (waiting, answered):
        _due(routing, date(2026, 4, 10))
    mail.outbox.clear()

    assert actions.send_reminders(on=date(2026, 3, 31)) == {"reminders": 0, "escalations": 0}
    assert actions.send_reminders(on=date(2026, 4, 1)) == {"reminders": 1, "escalations": 0}
    (reminder,) = mail.outbox
    assert reminder.to == ["cd@example.org", "decider@example.org"]
    assert "10 April 2026" in reminder.subject
    assert actions.send_reminders(on=date(2026, 4, 2)) == {"reminders": 0, "escalations": 0}
    # Due today is not overdue; the day after is, and the site lead hears once.
    assert actions.send_reminders(on=date(2026, 4, 10))["escalations"] == 0
    assert actions.send_reminders(on=date(2026, 4, 11)) == {"reminders": 0, "escalations": 1}
    assert actions.send_reminders(on=date(2026, 4, 20)) == {"reminders": 0, "escalations": 0}
    assert [m.to for m in mail.outbox] == [
        ["cd@example.org", "decider@example.org"],
        ["lead@example.org"],
    ]
    assert "has not responded" in mail.outbox[1].subject


def test_reminder_command_runs_the_same(site, organisation, lead, connector):
    from django.core.management import call_command

    body = helpers.body(site, lead, organisation=organisation, contacts=["cd@example.org"])
    (routing,) = helpers.route(helpers.insight(site, connector), [body], lead)
    _due(routing, date(2026, 4, 10))
    mail.outbox.clear()
    call_command("insight_reminders", "--date", "2026-04-13", verbosity=0)
    call_command("insight_reminders", "--date", "2026-04-14", verbosity=0)
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]


def test_feedback_and_publication(site, lead, connector):
    insight = helpers.insight(site, connector)
    with pytest.raises(ValidationError) as caught:
        actions.record_feedback(
            insight=insight,
            data={
                "given_on": timezone.localdate() + timedelta(days=1),
                "channel": "newsletter",
                "summary": "Told them",
            },
            by=lead,
        )
    assert "given_on" in caught.value.error_dict
    actions.record_feedback(
        insight=insight,
        data={"given_on": timezone.localdate(), "channel": "newsletter", "summary": "Told them"},
        by=lead,
    )
    with pytest.raises(PermissionDenied):
        actions.publish(
            insight=insight, public=True, public_title="x", what_changed="y", by=connector
        )
    with pytest.raises(ValidationError) as caught:
        actions.publish(insight=insight, public=True, by=lead)
    assert set(caught.value.error_dict) == {"public_title", "what_changed"}
    actions.publish(
        insight=insight,
        public=True,
        public_title="Phones jammed at 8am",
        what_changed="A 10am phone line",
        by=lead,
    )
    insight.refresh_from_db()
    assert insight.public and insight.published_at is not None
    assert AuditEvent.objects.filter(verb="publish").count() == 1
    actions.publish(insight=insight, public=False, by=lead)
    insight.refresh_from_db()
    assert not insight.public and insight.published_at is None


def test_codesign_sessions_count_people_and_link_this_sites_work(
    site, other_site, lead, connector, make_user
):
    insight = helpers.insight(site, connector)
    theirs = helpers.insight(other_site, make_user("connector", scope_site=other_site))
    data = {
        "title": "Phone access",
        "held_on": date(2026, 5, 1),
        "participants": 14,
        "community_participants": 9,
        "decisions": "Trial a 10am line",
    }
    session = actions.create_session(site=site, data=data, insights=[insight], by=lead)
    assert list(session.insights.all()) == [insight]
    with pytest.raises(ValidationError) as caught:
        actions.create_session(
            site=site, data={**data, "community_participants": 15}, insights=[theirs], by=lead
        )
    assert set(caught.value.error_dict) == {"insights", "community_participants"}
