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

No action takes the date something happened (each stamps "now"), so after the actions the
dates are moved back, with a plain update of those date fields only, to tell the story over
the last ten weeks: raised, routed (with the due date worked out again from the routed
day, as the action does), responded to and published. The audit events keep the real time
they were recorded.

Uses ``world.made["activities"]`` (engagement) where there are any, to say which activity
an insight was heard at. Leaves in ``world.made``:

- ``"decision_bodies"``: {"public_health": DecisionBody, "board": DecisionBody};
- ``"insights"``: {key: Insight} for the keys of ``INSIGHTS`` below.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core20.insights import actions, calendar
from core20.insights.models import Action as InsightAction
from core20.insights.models import (
    DecisionBody,
    Feedback,
    Insight,
    Response,
    Routing,
)
from core20.programme.models import ClinicalArea, PlusGroup

BASE_URL = "http://127.0.0.1:8000"  # where scripts/demo serves; for links in the emails

SITE_THEMES = ("Working hours and shift work", "Family hubs")

# Each insight: who raises it, what it says, and what happens to it.
#   state: "new" (not routed), "waiting" (routed, no response), "agreed", "declined"
#   days: how many days ago it was raised, routed and answered.
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
        "days": {"raised": 70, "routed": 66, "answered": 52},
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
        "days": {"raised": 45, "routed": 42, "answered": 30},
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
        "days": {"raised": 60, "routed": 58, "answered": 40},
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
        "days": {"raised": 40, "routed": 36},  # due before today: overdue
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
        "days": {"raised": 20, "routed": 15},
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
        "days": {"raised": 10, "routed": 6},
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
        "days": {"raised": 8},
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
        "days": {"raised": 3},
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


def _answer(world, key: str, routing: Routing) -> InsightAction | None:
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
    return actions.add_action(
        routing=routing,
        data={
            "description": plan["description"],
            "owner": plan["owner"],
            "due_on": world.today + timedelta(days=plan["due_in"]),
            "status": plan["status"],
        },
        by=decision_maker,
    )


def _backdate(world, insight: Insight, days: dict) -> None:
    """Move the stamps the actions set to ``now`` back to when this happened (see the module
    docstring): date fields only, with the due date worked out as the action does."""
    Insight.objects.filter(pk=insight.pk).update(raised_at=world.days_ago(days["raised"], 9))
    if "routed" not in days:
        return
    routed = world.days_ago(days["routed"], 11)
    due_on = calendar.add_working_days(
        timezone.localdate(routed), actions.settings_for(world.site).response_working_days
    )
    routings = Routing.objects.filter(insight=insight)
    routings.update(routed_at=routed, due_on=due_on)
    if "answered" in days:
        answered = world.days_ago(days["answered"], 15)
        routings.update(first_response_at=answered)
        Response.objects.filter(routing__insight=insight).update(responded_at=answered)


def load(world) -> None:
    bodies = _set_up_bridge(world)
    coordinator = world.users["host_coordinator"]
    made: dict[str, Insight] = {}
    agreed: dict[str, InsightAction] = {}
    for key, spec in INSIGHTS.items():
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
                action = _answer(world, key, routing)
                if action is not None:
                    agreed[key] = action
        _backdate(world, insight, spec["days"])
        insight.refresh_from_db()  # later actions save it: keep the moved dates

    # What happened next for the evening clinics: told, co-designed, published.
    evening = made["evening_checks"]
    actions.record_feedback(
        insight=evening,
        data={
            "given_on": world.today - timedelta(days=20),
            "channel": Feedback.Channel.COMMUNITY_MEETING,
            "summary": "Told the community centre's coffee morning and the warehouse workers' "
            "WhatsApp group about the new evening and Saturday clinics, with the dates.",
        },
        by=coordinator,
    )
    actions.create_session(
        site=world.site,
        data={
            "title": "Planning evening blood pressure clinics with shift workers",
            "held_on": world.today - timedelta(days=45),
            "participants": 14,
            "community_participants": 9,
            "decisions": "Clinics on Tuesday evenings from 6pm to 9pm and Saturday mornings; "
            "walk-ins welcome; connectors at each clinic to help with booking a follow-up.",
        },
        insights=[evening],
        actions=[agreed["evening_checks"]],
        by=coordinator,
    )
    actions.publish(
        insight=evening,
        public=True,
        public_title="Blood pressure checks are only offered when shift workers are at work "
        "or asleep",
        what_changed="The council's NHS Health Check provider now runs evening clinics on "
        "Tuesdays in two community centres, and a Saturday morning clinic at the family hub.",
        by=world.users["site_lead"],
    )
    Insight.objects.filter(pk=evening.pk).update(published_at=world.days_ago(14, 12))

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
