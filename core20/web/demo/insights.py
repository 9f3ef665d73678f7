"""Demo part: insights, and the bridge to Telford & Wrekin Council.

Through ``core20.insights.actions``: the site lead sets up two of the council's forums (its
public health team, with the demo decision-maker as contact, and its Health and Wellbeing
Board) and two site themes; the demo connector and the host coordinator raise eight
insights (barriers, enablers, ideas, experiences), three with an anonymised quote given with
consent; the host coordinator routes six of them to the council; the decision-maker answers
three (two actions agreed, one of them now overdue; one declined with the reason), leaving
three waiting (one past its due date); the host coordinator records what the community was
told about one agreed action, and a co-design session about it; the site lead publishes it
on the public "you said, we did" page.

So each demo home page has something: the coordinator and site lead see two new insights to
send, one to chase and one agreed action to feed back; the decision-maker sees three
insights to respond to (one overdue) and one with an action to update.

No action takes the moment something happened (each stamps "now"), so after the actions the
stamps are moved back, with plain updates of those date fields only, to tell the story over
the last three months: each insight raised (its quote with it), sent to the council a day or
two later on a working day (with the response due date worked out again from that day, as
the action does, in the site's working days), answered within the due date, or for the
Health and Wellbeing Board's one some days after it; the agreed actions recorded with their
answers. What the daily reminders job (``send_reminders``) would have stamped by then is
stamped too: the reminder before the due date and, once it passed without an answer, the
escalation to the site lead (no emails or audit events for those: no job ran). For the
evening clinics: the co-design session two weeks after the council agreed, the community
told some weeks later and then the insight published. The audit events keep the real time
they were recorded. Nothing is dated today or later, except due dates still to come.

Uses ``world.made["activities"]`` (engagement) where there are any, to say which activity
an insight was heard at. Leaves in ``world.made``:

- ``"decision_bodies"``: {"public_health": DecisionBody, "board": DecisionBody};
- ``"insights"``: {key: Insight} for the keys of ``INSIGHTS`` below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core20.insights import actions, calendar
from core20.insights.models import Action as InsightAction
from core20.insights.models import (
    CoDesignSession,
    DecisionBody,
    Feedback,
    Insight,
    Quote,
    Response,
    Routing,
)
from core20.programme.models import ClinicalArea, PlusGroup
from core20.web.demo import at

BASE_URL = "http://127.0.0.1:8000"  # where scripts/demo serves; for links in the emails

SITE_THEMES = ("Working hours and shift work", "Family hubs")

# Each insight: who raises it, what it says, and what happens to it.
#   state: "new" (not routed), "waiting" (routed, no response), "agreed", "declined"
#   days: "raised", days ago; "sent", days after it was raised (then the next working day);
#   "answered", working days after it was sent (the response is due after the site's
#   response_working_days, 20 unless the site changed it).
INSIGHTS = {
    "evening_checks": {
        "by": "connector",
        "kind": Insight.Kind.BARRIER,
        "summary": "People who work shifts at the warehouses and distribution centres cannot "
        "get a blood pressure check or an NHS Health Check: appointments are only offered "
        "on weekday mornings and afternoons, when they are at work or asleep.",
        "people_count": 14,
        "areas": ("hypertension",),
        "communities": ("multi-morbidities",),
        "themes": ("Access and appointments", "Working hours and shift work"),
        "services": "NHS Health Checks, GP practices",
        "places": "Donnington, Hadley and Leegomery, TF2",
        "heard_at": "health_check",
        "quote": "I work nights. By the time the surgery opens I'm asleep, and when I'm up "
        "it's shut.",
        "quote_public": True,
        "state": "agreed",
        "body": "public_health",
        "days": {"raised": 82, "sent": 2, "answered": 9},
    },
    "food_bank_stop_smoking": {
        "by": "host_coordinator",
        "kind": Insight.Kind.IDEA,
        "summary": "Connectors at the food bank are often asked about quitting smoking. A stop "
        "smoking adviser there once a fortnight would reach people who would not go to a "
        "clinic.",
        "people_count": 22,
        "areas": ("smoking-cessation",),
        "communities": ("other-socially-excluded", "people-experiencing-homelessness"),
        "themes": ("Cost of living", "Access and appointments"),
        "services": "Stop smoking service",
        "places": "Woodside, Madeley",
        "heard_at": "gp_registration",
        "state": "agreed",
        "body": "public_health",
        "days": {"raised": 60, "sent": 1, "answered": 13},
    },
    "late_buses": {
        "by": "connector",
        "kind": Insight.Kind.BARRIER,
        "summary": "Pregnant women in Brookside and Woodside miss late-afternoon antenatal "
        "appointments at the hospital because the last convenient bus back leaves before "
        "6pm, and taxis cost too much.",
        "people_count": 9,
        "areas": ("maternity",),
        "communities": ("ethnic-minority-communities",),
        "themes": ("Transport and travel", "Cost of living"),
        "services": "Antenatal clinics, local buses",
        "places": "Brookside, Woodside, TF3 and TF7",
        "heard_at": "conversation",
        "state": "declined",
        "body": "board",
        "days": {"raised": 74, "sent": 1, "answered": 24},  # after the due date
    },
    "online_booking": {
        "by": "connector",
        "kind": Insight.Kind.BARRIER,
        "summary": "Older people without a smartphone cannot book an NHS Health Check: the "
        "invitation letter only gives a web address, and the phone line is for other "
        "appointments.",
        "people_count": 11,
        "areas": ("hypertension",),
        "communities": ("multi-morbidities",),
        "themes": ("Digital exclusion", "Communication and information"),
        "services": "NHS Health Checks",
        "places": "Malinslee and Dawley Bank",
        "heard_at": "vaccination",
        "state": "waiting",
        "body": "public_health",
        "days": {"raised": 47, "sent": 2},  # due before today: overdue
    },
    "family_hub_welcome": {
        "by": "connector",
        "kind": Insight.Kind.EXPERIENCE,
        "summary": "Parents new to the area, several with little English, said the family "
        "hub's baby weighing sessions felt welcoming, but nobody had told them that health "
        "visitors and midwives run drop-ins there too.",
        "people_count": 8,
        "areas": ("maternity",),
        "communities": ("vulnerable-migrants", "ethnic-minority-communities"),
        "themes": ("Family hubs", "Language and interpreting"),
        "services": "Family hub, health visiting",
        "places": "Hadley and Leegomery",
        "heard_at": "conversation",
        "quote": "It felt like somewhere I was welcome, not checked up on.",
        "quote_public": False,
        "state": "waiting",
        "body": "public_health",
        "days": {"raised": 18, "sent": 1},
    },
    "young_people_vaping": {
        "by": "host_coordinator",
        "kind": Insight.Kind.IDEA,
        "summary": "Young people at the youth club asked for help to stop vaping. They would "
        "use a drop-in at the youth club rather than the stop smoking service.",
        "people_count": 16,
        "areas": ("smoking-cessation",),
        "communities": ("young-carers",),
        "themes": ("Access and appointments",),
        "services": "Stop smoking service, youth services",
        "places": "Oakengates",
        "state": "waiting",
        "body": "board",
        "days": {"raised": 9, "sent": 2},
    },
    "traveller_registration": {
        "by": "connector",
        "kind": Insight.Kind.BARRIER,
        "summary": "Families on a Traveller site were told they needed proof of address to "
        "register with a GP, although none is needed, and gave up.",
        "people_count": 6,
        "areas": ("hypertension",),
        "communities": ("gypsy-roma-traveller",),
        "themes": ("Access and appointments", "Discrimination and racism"),
        "services": "GP practices",
        "places": "Telford",
        "heard_at": "outreach",
        "state": "new",
        "days": {"raised": 6},
    },
    "faith_leaders": {
        "by": "connector",
        "kind": Insight.Kind.ENABLER,
        "summary": "Blood pressure checks after Friday prayers, announced by the imam, reached "
        "many men who had never had one. People trusted the setting.",
        "people_count": 35,
        "areas": ("hypertension",),
        "communities": ("ethnic-minority-communities",),
        "themes": ("Culture and faith", "Fear and mistrust"),
        "services": "Primary care network",
        "places": "Malinslee and Dawley Bank",
        "heard_at": "outreach",
        "quote": "When the imam says it is important, people listen.",
        "quote_public": True,
        "state": "new",
        "days": {"raised": 2},
    },
}

RESPONSES = {
    "evening_checks": {
        "text": "Agreed. Our NHS Health Check provider will run evening clinics on Tuesdays "
        "in two community centres, and a Saturday morning clinic at the family hub.",
        "action": {
            "description": "Evening and Saturday NHS Health Check and blood pressure clinics "
            "in community venues in Donnington and Hadley",
            "owner": "NHS Health Checks lead, public health team",
            "due_in": 21,
            "status": InsightAction.Status.IN_PROGRESS,
        },
    },
    "food_bank_stop_smoking": {
        "text": "Agreed. The stop smoking service will send an adviser to the food bank once "
        "a fortnight for a three-month trial.",
        "action": {
            "description": "Fortnightly stop smoking adviser at the Woodside food bank, "
            "three-month trial",
            "owner": "Stop smoking service manager",
            "due_in": -7,  # past its due date and not started: the decision-maker's to update
            "status": InsightAction.Status.PLANNED,
        },
    },
    "late_buses": {
        "reason": "We cannot fund a new evening bus service this financial year. Bus routes "
        "are being reviewed next spring and we have passed this on to that review. Until "
        "then, the community transport scheme can take people to hospital appointments if "
        "booked two days ahead.",
    },
}


# What happened next for the evening clinics, in days after the council agreed the action:
# the co-design session, telling the community, publishing on "you said, we did".
FOLLOW_UP = {"session": 14, "feedback": 45, "published": 52}


@dataclass(frozen=True)
class Timeline:
    """When one insight was raised, sent and answered, and when the daily reminders job
    reminded the contacts and told the site lead it was overdue (None: not done)."""

    raised: datetime
    sent: datetime | None = None
    due_on: date | None = None
    answered: datetime | None = None
    reminded: datetime | None = None
    escalated: datetime | None = None


def _in_the_past(world, what: str, day: date) -> date:
    """``day``, checked to be before today (a change to the days above could move it)."""
    if day >= world.today:
        raise ValueError(f"the demo's {what} falls on {day}, not before today")
    return day


def _next_working_day(day: date) -> date:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def _timeline(world, key: str, days: dict) -> Timeline:
    raised_on = _in_the_past(world, f"{key} raised", world.today - timedelta(days=days["raised"]))
    raised = at(raised_on, 9)
    if "sent" not in days:
        return Timeline(raised)
    settings = actions.settings_for(world.site)
    sent_on = _next_working_day(raised_on + timedelta(days=days["sent"]))
    _in_the_past(world, f"{key} sent", sent_on)
    # Worked out as route_insight does, from the day it was sent.
    due_on = calendar.add_working_days(sent_on, settings.response_working_days)
    answered_on = None
    if "answered" in days:
        answered_on = calendar.add_working_days(sent_on, days["answered"])
        _in_the_past(world, f"{key} answered", answered_on)
    # The job (say at 7am) finds the routing unanswered up to the day the answer came.
    last_run = min(answered_on or world.today, world.today - timedelta(days=1))
    remind_on = max(
        calendar.subtract_working_days(due_on, settings.reminder_working_days),
        sent_on + timedelta(days=1),
    )
    escalate_on = due_on + timedelta(days=1)
    return Timeline(
        raised=raised,
        sent=at(sent_on, 11),
        due_on=due_on,
        answered=at(answered_on, 15) if answered_on else None,
        reminded=at(remind_on, 7) if remind_on <= min(due_on, last_run) else None,
        escalated=at(escalate_on, 7) if escalate_on <= last_run else None,
    )


def _heard_at(world, kind: str | None, by, raised_days_ago: int):
    """The raiser's latest activity of that kind before the insight was raised (None
    without one)."""
    if kind is None:
        return None
    raised = world.today - timedelta(days=raised_days_ago)
    found = [
        a
        for a in world.made.get("activities", [])
        if a.kind == kind and a.recorded_by_id == by.pk and a.date <= raised
    ]
    return found[-1] if found else None


def _set_up_bridge(world) -> dict[str, DecisionBody]:
    lead = world.users["site_lead"]
    public_health = actions.create_body(
        site=world.site,
        data={
            "organisation": world.organisation,
            "name": f"{world.organisation.name} public health team",
            "kind": DecisionBody.Kind.LOCAL_AUTHORITY,
        },
        by=lead,
    )
    decision_maker = world.users["decision_maker"]
    actions.add_contact(
        body=public_health,
        data={
            "name": decision_maker.full_name,
            "job_title": "Consultant in public health",
            "email": decision_maker.email,
        },
        by=lead,
    )
    board = actions.create_body(
        site=world.site,
        data={
            "organisation": world.organisation,
            "name": "Telford and Wrekin Health and Wellbeing Board",
            "kind": DecisionBody.Kind.OTHER,
        },
        by=lead,
    )
    actions.add_contact(
        body=board,
        data={
            "name": "Rhiannon Demo",
            "job_title": "Health and Wellbeing Board manager",
            "email": f"rhiannon.demo@{decision_maker.email.split('@')[1]}",
        },
        by=lead,
    )
    for name in SITE_THEMES:
        actions.create_theme(site=world.site, name=name, by=lead)
    return {"public_health": public_health, "board": board}


def _raise(world, spec: dict):
    by = world.users[spec["by"]]
    themes = {t.name: t for t in actions.themes_for(world.site)}
    data = {
        "kind": spec["kind"],
        "summary": spec["summary"],
        "people_count": spec["people_count"],
        "services": spec["services"],
        "places": spec["places"],
        "clinical_areas": list(ClinicalArea.objects.filter(code__in=spec["areas"])),
        "communities": list(PlusGroup.objects.filter(code__in=spec["communities"])),
        "themes": [themes[n] for n in spec["themes"] if n in themes],
    }
    if spec["state"] != "new":
        data["organisations"] = [world.organisation]
    quote = spec.get("quote", "")
    return actions.raise_insight(
        site=world.site,
        data=data,
        by=by,
        quote=quote,
        quote_consent=bool(quote),
        quote_public=spec.get("quote_public", False),
        source_activity=_heard_at(world, spec.get("heard_at"), by, spec["days"]["raised"]),
    )


def _answer(world, key: str, routing: Routing, answered: datetime) -> InsightAction | None:
    decision_maker = world.users["decision_maker"]
    answer = RESPONSES[key]
    if "reason" in answer:
        actions.respond(
            routing=routing, kind=Response.Kind.DECLINED, reason=answer["reason"], by=decision_maker
        )
        return None
    actions.respond(
        routing=routing, kind=Response.Kind.ACTION_AGREED, text=answer["text"], by=decision_maker
    )
    plan = answer["action"]
    due_on = world.today + timedelta(days=plan["due_in"])
    if due_on <= answered.date():
        raise ValueError(f"the demo's action for {key} is due before it was agreed")
    return actions.add_action(
        routing=routing,
        data={
            "description": plan["description"],
            "owner": plan["owner"],
            "due_on": due_on,
            "status": plan["status"],
        },
        by=decision_maker,
    )


def _backdate(insight: Insight, when: Timeline) -> None:
    """Move the stamps the actions set to ``now`` back to ``when`` (see the module
    docstring): date fields only."""
    Insight.objects.filter(pk=insight.pk).update(raised_at=when.raised, updated_at=when.raised)
    Quote.objects.filter(insight=insight).update(added_at=when.raised)
    if when.sent is None:
        return
    Routing.objects.filter(insight=insight).update(
        routed_at=when.sent,
        due_on=when.due_on,
        first_response_at=when.answered,
        reminder_sent_at=when.reminded,
        escalated_at=when.escalated,
    )
    if when.answered is not None:
        Response.objects.filter(routing__insight=insight).update(responded_at=when.answered)
        agreed_at = when.answered + timedelta(minutes=10)
        InsightAction.objects.filter(routing__insight=insight).update(
            created_at=agreed_at, updated_at=agreed_at
        )


def load(world) -> None:
    bodies = _set_up_bridge(world)
    coordinator = world.users["host_coordinator"]
    made: dict[str, Insight] = {}
    agreed: dict[str, InsightAction] = {}
    timelines: dict[str, Timeline] = {}
    for key, spec in INSIGHTS.items():
        when = timelines[key] = _timeline(world, key, spec["days"])
        insight = _raise(world, spec)
        made[key] = insight
        if spec["state"] != "new":
            (routing,) = actions.route_insight(
                insight=insight,
                bodies=[bodies[spec["body"]]],
                message="Heard by our connectors: we would welcome your response.",
                base_url=BASE_URL,
                by=coordinator,
            )
            if spec["state"] in ("agreed", "declined"):
                action = _answer(world, key, routing, when.answered)
                if action is not None:
                    agreed[key] = action
        _backdate(insight, when)
        insight.refresh_from_db()  # later actions save it: keep the moved dates

    # What happened next for the evening clinics: co-designed, told, published.
    evening = made["evening_checks"]
    agreed_on = timelines["evening_checks"].answered.date()
    held_on, told_on, published_on = (
        _in_the_past(world, f"evening clinics' {step}", agreed_on + timedelta(days=days))
        for step, days in FOLLOW_UP.items()
    )
    session = actions.create_session(
        site=world.site,
        data={
            "title": "Planning evening blood pressure clinics with shift workers",
            "held_on": held_on,
            "participants": 14,
            "community_participants": 9,
            "decisions": "Clinics on Tuesday evenings from 6pm to 9pm and Saturday mornings; "
            "walk-ins welcome; connectors at each clinic to help with booking a follow-up.",
        },
        insights=[evening],
        actions=[agreed["evening_checks"]],
        by=coordinator,
    )
    # Written up the morning after.
    CoDesignSession.objects.filter(pk=session.pk).update(
        created_at=at(held_on + timedelta(days=1), 10)
    )
    feedback = actions.record_feedback(
        insight=evening,
        data={
            "given_on": told_on,
            "channel": Feedback.Channel.COMMUNITY_MEETING,
            "summary": "Told the community centre's coffee morning and the warehouse workers' "
            "WhatsApp group about the new evening and Saturday clinics, with the dates.",
        },
        by=coordinator,
    )
    Feedback.objects.filter(pk=feedback.pk).update(recorded_at=at(told_on, 16, 30))
    actions.publish(
        insight=evening,
        public=True,
        public_title="Blood pressure checks are only offered when shift workers are at work "
        "or asleep",
        what_changed="The council's NHS Health Check provider now runs evening clinics on "
        "Tuesdays in two community centres, and a Saturday morning clinic at the family hub.",
        by=world.users["site_lead"],
    )
    published = at(published_on, 12)
    Insight.objects.filter(pk=evening.pk).update(published_at=published, updated_at=published)

    evening.refresh_from_db()
    world.made["decision_bodies"] = bodies
    world.made["insights"] = made
    states = [spec["state"] for spec in INSIGHTS.values()]
    world.summary.append(
        f"Insights: {len(made)} ({states.count('new')} not yet sent, "
        f"{states.count('waiting')} sent to {world.organisation.name} and waiting for a "
        f"response, {states.count('agreed')} with an agreed action, "
        f"{states.count('declined')} declined with a reason; 1 fed back to the community and "
        f"published on “you said, we did”), {len(bodies)} of the council's forums, "
        f"{len(SITE_THEMES)} site themes and 1 co-design session"
    )
