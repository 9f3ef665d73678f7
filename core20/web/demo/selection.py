"""Demo selection of sites: a national call for expressions of interest for a third wave,
now closed, with three applications from made-up organisations for the panel to score.

Through core20.selection.actions (and core20.programme.actions for the wave), acting as the
demo national admin: Wave 3 is added to the demo site's programme (unless there is one), then
the call "Wave 3: Core20PLUS Connectors" is created as a draft with three questions and four
scoring criteria and opened; the demo panel member is appointed to its panel (VCSE
experience). Three applicant accounts (made-up people at made-up organisations, on the demo
email domain) each start, fill in and submit an application for a made-up place in a real ICB
that is not yet a programme site.

The call ran from 8 weeks to 2 weeks before the demo's ``today``. Each action is run as of
the day it happened in the story, by passing it ``now`` (core20.selection.actions): the call
is drafted 9 weeks before ``today`` with those dates and opened then, the panel member is
appointed while it is open, and each application is started, saved and submitted while it is
open. So the actions' own rules (no opening a call whose closing date has passed, no applying
to a closed call, no scoring before it closes) hold against ``today``, and the times they
stamp are in step with it, whatever the real date; only the audit events keep the real time.
With the call closed, the panel member has scored one application, 4 days before ``today``
(so it is "under review" and the panel's page shows a scored row); the other two wait for
them ("applications to score" on their home page), and all three wait for the national
admin's decision. The pages judge the call by the real date, so they show it closed when the
demo is loaded with the real date (as the load_demo_content command does).

If no current ICBs, national clinical areas or national PLUS groups are loaded (a bare test
database), the call and panel are still made but no applications (they could not be
submitted); the summary says so.

Leaves in ``world.made``:

- ``selection_call``: the Call (closed);
- ``selection_applications``: {"riverside", "saltmarsh", "northgate"} -> Application (those
  made; empty without the reference data).
"""

import secrets
from datetime import timedelta

from core20.accounts.management.demo import DEMO_DOMAIN
from core20.places.icbs import current_icbs
from core20.places.models import ICB
from core20.programme import actions as programme_actions
from core20.programme.models import ClinicalArea, PlusGroup, Site, Wave
from core20.selection import actions
from core20.selection.models import (
    Application,
    Call,
    PanelAppointment,
)
from core20.web.demo import DemoWorld

TITLE = "Wave 3: Core20PLUS Connectors"
OPENED_DAYS_AGO = 56
CLOSED_DAYS_AGO = 14

QUESTIONS = (
    (
        "Which communities will your connectors work with, and why them?",
        "Use your local data: the most deprived 20% of neighbourhoods and your PLUS groups.",
        300,
    ),
    (
        "How will connectors help people get the health and care they need?",
        "Say which services people will be linked to, and how you will know it worked.",
        300,
    ),
    (
        "Who are your partners, and how will VCSE organisations share in leading the work?",
        "",
        250,
    ),
)

# (name, description, weight, max score)
CRITERIA = (
    (
        "Reach into Core20PLUS communities",
        "The application names the communities, shows why, and already has their trust.",
        "2.00",
        5,
    ),
    (
        "Partnership with VCSE organisations",
        "Voluntary and community organisations share in planning and leading the work.",
        "1.50",
        5,
    ),
    (
        "Clear route to health and care",
        "Connectors will link people to named services, with a way to see that they did.",
        "1.00",
        5,
    ),
    (
        "Deliverable plan",
        "Realistic hosting, recruitment, training and supervision of connectors.",
        "1.00",
        5,
    ),
)

# key -> application details. "icb": a real ICB (by code) that is not yet a programme site;
# the organisations, places and people are made up.
APPLICATIONS = {
    "riverside": {
        "icb": "E54000051",  # NHS Humber and North Yorkshire
        "person": ("Rowan Demo", "rowan.demo"),
        "submitted_days_ago": 38,
        "organisation_name": "Riverside Demo Health Partnership",
        "place": "Riverside (demo)",
        "summary": (
            "Eight connectors hosted by local community groups on the Riverside estates, "
            "helping people who rarely use the NHS to get blood pressure checks, cancer "
            "screening and support with long-term conditions, and feeding back what gets "
            "in their way."
        ),
        "focus_areas": ("hypertension", "early-cancer-diagnosis"),
        "communities": ("ethnic-minority-communities", "multi-morbidities"),
        "communities_note": "Eastern European families and older people living alone.",
        "phone": "01632 960101",
        "answers": (
            "Riverside's three estates are in the most deprived tenth of neighbourhoods in "
            "England. Many residents moved here from Poland and Romania and are not registered "
            "with a GP; older people living alone miss screening invitations.",
            "Connectors will run drop-ins at the food bank and the community café with the "
            "practice's health care assistant, help people register with a GP and book "
            "screening, and follow up a month later.",
            "Riverside Demo Community Trust hosts the connectors; two tenants' associations "
            "and a Polish Saturday school co-design the drop-ins and sit on the steering group "
            "with the primary care network.",
        ),
    },
    "saltmarsh": {
        "icb": "E54000013",  # NHS Lincolnshire
        "person": ("Morgan Demo", "morgan.demo"),
        "submitted_days_ago": 24,
        "organisation_name": "Saltmarsh Coast Demo Community Alliance",
        "place": "Saltmarsh Coast (demo)",
        "summary": (
            "Connectors in the coastal towns and caravan parks of the Saltmarsh Coast, where "
            "seasonal workers and older residents face long journeys to services, linking "
            "people to lung health checks, stop smoking support and mental health services."
        ),
        "focus_areas": ("chronic-respiratory-disease", "smoking-cessation"),
        "communities": ("coastal-communities", "inclusion-health-groups"),
        "communities_note": "Seasonal workers and people living in caravan parks all year.",
        "phone": "01632 960202",
        "answers": (
            "Our coastal wards have hidden deprivation: seasonal work, poor housing in caravan "
            "parks and few buses. Smoking rates and emergency admissions for COPD are among "
            "the highest in the county.",
            "Connectors will visit the parks and seasonal workplaces with the mobile lung "
            "health check, offer stop smoking support on the spot and help people sign up "
            "with a GP.",
            "A coastal residents' network and the district council's housing team host the "
            "connectors together; a group of park residents reviews the plan each quarter.",
        ),
    },
    "northgate": {
        "icb": "E54000055",  # NHS Birmingham and Solihull
        "person": ("Priya Demo", "priya.demo"),
        "submitted_days_ago": 16,
        "organisation_name": "Northgate Demo Communities Trust",
        "place": "Northgate (demo)",
        "summary": (
            "Connectors from Northgate's faith and community groups helping families get "
            "maternity care early, children's asthma reviewed and adults' mental health "
            "support, in the languages people speak at home."
        ),
        "focus_areas": ("maternity", "cyp-asthma", "severe-mental-illness"),
        "communities": ("ethnic-minority-communities", "young-carers"),
        "communities_note": "Families who speak Urdu, Bengali or Somali at home.",
        "phone": "01632 960303",
        "answers": (
            "Northgate is young and diverse: half of households speak a language other than "
            "English at home. Women here book maternity care late and children's asthma "
            "admissions are twice the city average.",
            "Connectors based in mosques, churches and the family hub will help parents book "
            "their first midwife appointment, take children to asthma reviews and find "
            "mental health support.",
            "Northgate Demo Communities Trust leads with four faith groups and a young carers' "
            "project; the family hub and two practices share the connectors' supervision.",
        ),
    },
}

# The one the panel member has already scored, and how.
SCORED = "riverside"
SCORED_COMMENT = (
    "Strong, trusted partners and a clear plan for the drop-ins. I would like to see how "
    "the follow-up a month later will be recorded."
)


def _wave(world: DemoWorld, admin) -> Wave:
    programme = world.site.wave.programme
    wave = Wave.objects.filter(programme=programme, number=3).first()
    if wave is not None:
        return wave
    start = world.today.year if world.today.month >= 4 else world.today.year - 1
    return programme_actions.create_wave(
        programme=programme,
        data={
            "number": 3,
            "name": "Wave 3",
            "period": f"{start % 100:02d}/{(start + 1) % 100:02d}",
            "status": Wave.Status.SELECTING,
            "summary": "A third wave of sites, chosen through a national call for expressions "
            "of interest.",
        },
        by=admin,
    )


def _icbs(world: DemoWorld) -> dict[str, ICB | None]:
    """Each application's ICB: its own if loaded, else another ICB current on the demo's
    ``today`` that no site uses (the same every time), else none."""
    current = current_icbs(world.today).select_related("region").order_by("code")
    codes = [details["icb"] for details in APPLICATIONS.values()]
    wanted = {icb.code: icb for icb in current.filter(code__in=codes)}
    in_use = Site.icbs.through.objects.values("icb_id")
    spare = list(current.exclude(code__in=codes).exclude(pk__in=in_use))
    chosen = {}
    for key, details in APPLICATIONS.items():
        chosen[key] = wanted.get(details["icb"]) or (spare.pop(0) if spare else None)
    return chosen


def _national(model, codes) -> list:
    """National records with these codes; if none of them is loaded, the first national one."""
    found = list(model.objects.filter(site__isnull=True, code__in=codes))
    if not found:
        found = list(model.objects.filter(site__isnull=True).order_by("position", "code")[:1])
    return found


def _apply(world: DemoWorld, call: Call, key: str, icb: ICB, questions) -> Application:
    details = APPLICATIONS[key]
    ago = details["submitted_days_ago"]
    name, local = details["person"]
    email = f"{local}@{DEMO_DOMAIN}"
    applicant = actions.create_applicant_account(
        full_name=name, email=email, password=secrets.token_urlsafe(24)
    )
    application = actions.start_application(
        call=call, by=applicant, now=world.days_ago(ago + 9, 9, 40)
    )
    actions.save_application(
        application=application,
        data={
            "organisation_name": details["organisation_name"],
            "kind": Site.Kind.PLACE,
            "ics_name": icb.short_name,
            "place": details["place"],
            "regions": [icb.region],
            "icbs": [icb],
            "summary": details["summary"],
            "focus_areas": _national(ClinicalArea, details["focus_areas"]),
            "communities": _national(PlusGroup, details["communities"]),
            "communities_note": details["communities_note"],
            "contact_name": name,
            "contact_email": email,
            "contact_phone": details["phone"],
        },
        answers={q.pk: text for q, text in zip(questions, details["answers"], strict=True)},
        by=applicant,
        now=world.days_ago(ago, 16),
    )
    return actions.submit_application(
        application=application, by=applicant, now=world.days_ago(ago, 16, 5)
    )


def load(world: DemoWorld) -> None:
    admin = world.users["national_admin"]
    member = world.users["panel_member"]
    opens_on = world.today - timedelta(days=OPENED_DAYS_AGO)
    closes_on = world.today - timedelta(days=CLOSED_DAYS_AGO)
    drafted = world.days_ago(OPENED_DAYS_AGO + 7, 11)

    call = actions.create_call(
        data={
            "wave": _wave(world, admin),
            "title": TITLE,
            "summary": (
                "Integrated care systems and places, with their voluntary and community "
                "partners, are invited to express interest in hosting Core20PLUS connectors: "
                "trusted local people who help their communities get the health and care they "
                "need and tell the NHS what gets in the way."
            ),
            "opens_on": opens_on,
            "closes_on": closes_on,
        },
        by=admin,
        now=drafted,
    )
    questions = [
        actions.create_question(
            call=call,
            data={"text": text, "guidance": guidance, "word_limit": limit},
            by=admin,
        )
        for text, guidance, limit in QUESTIONS
    ]
    criteria = [
        actions.create_criterion(
            call=call,
            data={"name": name, "description": text, "weight": weight, "max_score": top},
            by=admin,
        )
        for name, text, weight, top in CRITERIA
    ]
    call = actions.open_call(call=call, by=admin, now=drafted)
    actions.appoint_panel_member(
        call=call,
        user=member,
        member_type=PanelAppointment.MemberType.VCSE,
        by=admin,
        now=world.days_ago(CLOSED_DAYS_AGO + 5, 15, 30),
    )

    icbs = _icbs(world)
    ready = all(icbs.values()) and all(
        model.objects.filter(site__isnull=True).exists() for model in (ClinicalArea, PlusGroup)
    )
    made = (
        {key: _apply(world, call, key, icbs[key], questions) for key in APPLICATIONS}
        if ready
        else {}
    )

    # Scoring opened the day after the call closed: the panel member has scored one.
    if made:
        scored = made[SCORED]
        actions.declare_conflict(
            application=scored, has_conflict=False, by=member, now=world.days_ago(4, 14)
        )
        actions.submit_review(
            application=scored,
            scores={c.pk: world.random.randint(3, c.max_score) for c in criteria},
            comments=SCORED_COMMENT,
            by=member,
            now=world.days_ago(4, 14, 20),
        )
        made = {key: Application.objects.get(pk=a.pk) for key, a in made.items()}

    world.made["selection_call"] = call
    world.made["selection_applications"] = made
    if made:
        outcome = (
            f"{len(made)} applications submitted (1 scored by the panel member, "
            f"{len(made) - 1} waiting to be scored)"
        )
    else:
        outcome = "no applications (no ICBs, clinical areas or PLUS groups loaded)"
    world.summary.append(
        f"Selection: 1 call for expressions of interest ({call.wave.name}), open "
        f"{opens_on:%-d %B} to {closes_on:%-d %B}, now closed, with {len(questions)} questions, "
        f"{len(criteria)} scoring criteria and 1 panel member; {outcome}"
    )
