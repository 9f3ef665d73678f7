"""Demo knowledge hub: resources by clinical area, and the stakeholder mailing list with a few
sign-ups and the notice sent to them when Wave 3 opened.

Through core20.knowledge.actions only, so each step is checked and audited. Adding and
publishing resources, and sending notices, need KNOWLEDGE_MANAGE and MAILING_LIST_SEND, which
only the national admin holds: the demo national admin does both.

Seven resources, six published and one draft (so the national admin sees a draft that others
do not):

- three plain-English summaries of real public pages (the Core20PLUS Connectors programme
  page and Shropshire, Telford and Wrekin's wave one Cancer Champions page), which say where
  they come from. The only link among them is the one address the project itself cites
  (NHS England's Core20PLUS5 page, in the README); the others have their text instead;
- four made-up demo items, marked "(demo)" in their titles: a learning report from the
  micro-grants part's walking group, with a small generated PDF (noted with ``world.wrote``,
  so a failed load removes it); two webinars, one held three weeks ago and one coming up;
  and a draft guide. The webinar coming up runs from 14:00 to 15:00 UK time (its page offers
  an "Add to calendar" file) and has no link yet (its page says joining details will follow,
  as organisers' listings often do); the one that has taken place must have one, to its
  recording, which is at the reserved ``.example`` domain and says it is a demo link.

The mailing list: three made-up people sign up with the consent wording through
``sign_up``; two confirm through the link they were sent (``confirm``); the third has not
confirmed yet. The national admin's notice that Wave 3 is open (the selection part's call)
is queued and delivered (``deliver``) here, so it reaches the two confirmed subscribers while
mail is kept in memory (load_demo_content); the background task queued with it then finds it
already sent and does nothing.

The actions stamp "now"; plain updates then move the resources, sign-ups and the notice back
to their days in the story (the audit events keep the real time), as the other parts do.

Leaves in ``world.made``:

- ``"resources"``: {key: Resource} for the keys of ``RESOURCES`` below;
- ``"subscribers"``: {key: Subscriber} for the keys of ``SUBSCRIBERS`` below;
- ``"mailing"``: the Mailing sent.
"""

from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from core20.knowledge import actions, tokens
from core20.knowledge.models import Mailing, Resource, Subscriber
from core20.programme.models import ClinicalArea
from core20.web.demo import DemoWorld, at
from core20.web.demo.hours import receipt_pdf
from core20.web.demo.insights import BASE_URL
from core20.web.demo.selection import CLOSED_DAYS_AGO, OPENED_DAYS_AGO

Kind = Resource.Kind

# The one address about the programme that the project cites (README.md).
CORE20PLUS5_PAGE = (
    "https://www.england.nhs.uk/about/equality/equality-hub/"
    "national-healthcare-inequalities-improvement-programme/core20plus5/"
)
# A webinar that has taken place needs a link (its recording): for a made-up one, a reserved
# example domain (RFC 2606), never a real address.
DEMO_WEBINARS = "https://webinars.demo.core20.example"

FIVE_AREAS = (
    "maternity",
    "severe-mental-illness",
    "chronic-respiratory-disease",
    "early-cancer-diagnosis",
    "hypertension",
)

# Each resource: its data for create_resource, with "clinical_areas" as catalogue codes and
# "published_on" and "event_on" in days from today (negative: in the past).
RESOURCES = {
    "programme": {
        "kind": Kind.RESOURCE,
        "title": "The Core20PLUS Connectors programme: an introduction",
        "summary": (
            "What the programme is for, who community connectors are and how sites are "
            "asked to work with them, summarised from the programme's own description."
        ),
        "body": (
            "Core20PLUS5 is NHS England's approach to reducing healthcare inequalities. "
            "Core20 is the most deprived 20% of the population. PLUS is the groups each "
            "local system chooses because they get poorer care, such as ethnic minority "
            "communities and inclusion health groups. The 5 is five clinical areas: "
            "maternity, severe mental illness, chronic respiratory disease, early cancer "
            "diagnosis and hypertension case-finding.\n\n"
            "The Core20PLUS Connectors programme is part of the support for Core20PLUS5. It "
            "funds integrated care systems and places to recruit, support and mobilise "
            "community connectors: people from communities that existing services do not "
            "support well, with recent lived experience of inequality and good connections "
            "in their community. Connectors are a bridge. They help people in their "
            "community get care, and they take what their community says to the people who "
            "plan and run services.\n\n"
            "The programme builds on earlier community roles, such as community champions, "
            "vaccine champions, peer advocates and social prescribing link workers, and "
            "connectors are expected to work alongside them. Each site's connectors are "
            "hosted by voluntary and community sector partners or a local Healthwatch. "
            "Connectors may be volunteers, paid, or a mix, and the programme recommends "
            "routes from voluntary to paid roles.\n\n"
            "Wave 1 had 11 sites, chosen from 26 expressions of interest by a panel that "
            "included people with lived experience of healthcare inequalities. Wave 2 "
            "added 8 more.\n\n"
            "This is a summary of the public Core20PLUS Connectors programme page. NHS "
            "England's own page explains Core20PLUS5."
        ),
        "link": CORE20PLUS5_PAGE,
        "link_text": "Core20PLUS5 on NHS England's website",
        "clinical_areas": FIVE_AREAS,
        "published_on": -150,
    },
    "co_design": {
        "kind": Kind.CO_DESIGN_REPORT,
        "title": "What the co-design workshops said: a community-centred approach",
        "summary": (
            "The principles from the programme's co-design workshops with people and "
            "organisations who have direct experience of health inequalities."
        ),
        "body": (
            "The programme was designed in a series of workshops with people and "
            "organisations who have direct experience of health inequalities and of "
            "community roles. They said a connectors programme should be driven by the "
            "community and build on what it already has, in three steps.\n\n"
            "1. Co-design your local connector programme. Work with organisations that "
            "people already trust. Learn from what already exists, and invest in it. Ask "
            "communities what will work. Define success in the community's terms, not by "
            "targets.\n\n"
            "2. Recruit connectors. They must be local people with recent lived experience "
            "of inequality and good connections in their community. Train and support "
            "them, both to prevent harm and to help them progress.\n\n"
            "3. Share power with communities. Give them equal seats and build a long-term "
            "relationship. Listen to the solutions they put forward, get behind them and "
            "fund them. Share anonymised data with them, and work on the issues together.\n\n"
            "The programme's partners wrote a set of reports from the workshops. This is a "
            "summary of the principles as the Core20PLUS Connectors programme page "
            "describes them, not the reports themselves."
        ),
        "clinical_areas": (),
        "published_on": -140,
    },
    "cancer_champions": {
        "kind": Kind.LEARNING_REPORT,
        "title": "Wave one in Shropshire, Telford and Wrekin: Cancer Champions",
        "summary": (
            "Why the wave one site in Shropshire, Telford and Wrekin chose to focus on "
            "cancer, recruiting local Cancer Champions to raise screening uptake and "
            "awareness of symptoms."
        ),
        "body": (
            "Shropshire, Telford and Wrekin was one of the 11 sites chosen for wave one of "
            "the programme, bidding in partnership with its two local authorities, "
            "Shropshire Council and Telford & Wrekin Council. Its community partners are "
            "the cancer charity Lingen Davies and Qube.\n\n"
            "The site chose cancer. It set out to increase cancer screening uptake and "
            "awareness of symptoms by recruiting and supporting local, influential Cancer "
            "Champions (its community connectors), from the areas with poorer access and "
            "outcomes and the groups with the highest cancer burden. The aim is to help "
            "health services and decision-makers understand how people see their services "
            "and health messages, and how to improve them.\n\n"
            "In August 2022 the team held a webinar to introduce Core20PLUS5, their local "
            "plans and why they chose to focus on cancer inequalities. A year later a second "
            "webinar shared the progress made, and insights, feedback and learning from the "
            "Cancer Champions.\n\n"
            "This is a summary of the site's public page about the programme, last updated "
            "in August 2023."
        ),
        "clinical_areas": ("early-cancer-diagnosis",),
        "published_on": -130,
    },
    "walks": {
        "kind": Kind.LEARNING_REPORT,
        "title": "Blood pressure checks after a walk: learning from Woodside (demo)",
        "summary": (
            "A community group's seven led walks, each ending with tea and a blood pressure "
            "check: what worked, and what they would change."
        ),
        "body": (
            "The Woodside Walk and Talk Demo Group used a micro-grant to run seven weekly "
            "walks for people who do not usually come to health events. Each walk ended "
            "with tea and a free blood pressure check by the practice's health care "
            "assistant.\n\n"
            "What worked: checking blood pressure after the walk, when people were relaxed, "
            "rather than at a stall. About half of those who came were new to the group. "
            "Leaflets in Polish and Urdu went fastest.\n\n"
            "What they would change: book the follow-up appointment at the tea table, "
            "rather than asking people to phone the practice later.\n\n"
            "The full report is attached."
        ),
        "clinical_areas": ("hypertension",),
        "published_on": -25,
        "file": (
            "woodside-walks-learning-report.pdf",
            [
                "Blood pressure checks after a walk",
                "Learning report (demo)",
                "Woodside Walk and Talk Demo Group",
                "",
                "7 weekly led walks, each ending with tea",
                "and a blood pressure check.",
                "",
                "What worked",
                "- Checking after the walk, not at a stall",
                "- Leaflets in Polish and Urdu",
                "",
                "What we would change",
                "- Book follow-ups at the tea table",
            ],
        ),
    },
    "screening_webinar": {
        "kind": Kind.WEBINAR,
        "title": "Talking about cancer screening invitations: peer learning webinar (demo)",
        "summary": (
            "Connectors shared how they talk with neighbours about bowel, breast and "
            "cervical screening invitations, and what helps people book."
        ),
        "body": (
            "An hour online for connectors and host coordinators. Three connectors "
            "described the conversations that helped people book their screening, and a "
            "screening nurse answered questions about what happens at each test."
        ),
        "link": f"{DEMO_WEBINARS}/cancer-screening-peer-learning",
        "link_text": "Watch the recording (demo link)",
        "clinical_areas": ("early-cancer-diagnosis",),
        "published_on": -35,
        "event_on": -21,
    },
    "blood_pressure_webinar": {
        "kind": Kind.WEBINAR,
        "title": "Finding high blood pressure in community settings: webinar (demo)",
        "summary": (
            "How sites have set up blood pressure checks at community events with "
            "pharmacies and practices, and how people with a high reading get follow-up care."
        ),
        "body": (
            "An hour online for host coordinators, connectors and their partners in primary "
            "care, with time for questions."
        ),
        # No link yet: the page says joining details will follow.
        "clinical_areas": ("hypertension",),
        "published_on": -10,
        "event_on": 16,
        "starts_at": time(14, 0),  # UK time
        "ends_at": time(15, 0),
    },
    "gp_registration_guide": {
        "kind": Kind.RESOURCE,
        "title": "Helping new families register with a GP: a guide for connectors (demo)",
        "summary": (
            "A short guide for connectors on helping new parents, including families who "
            "have recently arrived, register themselves and their baby with a GP practice."
        ),
        "body": (
            "Anyone in England can register with a GP practice. People do not need proof "
            "of address, proof of immigration status, ID or an NHS number to register.\n\n"
            "Before you go: find the practices that cover the family's address and check "
            "whether they need an interpreter.\n\n"
            "At the practice: help the family fill in the registration form, and ask about "
            "the baby's six to eight week check and vaccinations."
        ),
        "clinical_areas": ("maternity",),
        "published": False,  # a draft the national team is still checking
        "created": -3,
    },
}

# Made-up people on the mailing list: (data for sign_up, days ago they signed up,
# days ago they confirmed or None if they have not).
SUBSCRIBERS = {
    "ruth": (
        {
            "email": "ruth.demo@example.org",
            "name": "Ruth Demo",
            "organisation": "Oakengates Community Forum (demo)",
        },
        95,
        95,
    ),
    "daniel": (
        {
            "email": "daniel.demo@example.org",
            "name": "Daniel Demo",
            "organisation": "Wellington Primary Care Network (demo)",
        },
        70,
        69,
    ),
    "farah": (
        {"email": "farah.demo@example.org", "name": "Farah Demo", "organisation": ""},
        2,
        None,
    ),
}


def _resource_data(spec: dict, world: DemoWorld) -> dict:
    data = {
        key: spec[key]
        for key in ("kind", "title", "summary", "body", "link", "link_text", "starts_at", "ends_at")
        if key in spec
    }
    data["clinical_areas"] = list(
        ClinicalArea.objects.filter(site__isnull=True, code__in=spec["clinical_areas"])
    )
    data["published"] = spec.get("published", True)
    if data["published"]:
        data["published_on"] = world.today + timedelta(days=spec["published_on"])
    if "event_on" in spec:
        data["event_on"] = world.today + timedelta(days=spec["event_on"])
    if "file" in spec:
        name, lines = spec["file"]
        data["file"] = SimpleUploadedFile(name, receipt_pdf(lines), content_type="application/pdf")
    return data


def _add_resources(world: DemoWorld) -> dict[str, Resource]:
    admin = world.users["national_admin"]
    made = {}
    for key, spec in RESOURCES.items():
        resource = actions.create_resource(data=_resource_data(spec, world), by=admin)
        if resource.file:
            world.wrote(resource.file)
        # Added the day it was published (a draft: the day it was started).
        added = world.today + timedelta(days=spec.get("published_on", spec.get("created", 0)))
        Resource.objects.filter(pk=resource.pk).update(
            created_at=at(added, 9, 30), updated_at=at(added, 9, 30)
        )
        made[key] = Resource.objects.get(pk=resource.pk)
    return made


def _add_subscribers(world: DemoWorld) -> dict[str, Subscriber]:
    made = {}
    for key, (data, _, confirmed) in SUBSCRIBERS.items():
        subscriber = actions.sign_up(**data, consent=True, base_url=BASE_URL, by=None)
        if confirmed is not None:
            # What the link in their confirmation email does.
            subscriber = actions.confirm(token=tokens.confirm_token(subscriber), by=None)
        made[key] = subscriber
    for key, (_, signed_up, confirmed) in SUBSCRIBERS.items():
        consented = world.days_ago(signed_up, 20, 5)
        Subscriber.objects.filter(pk=made[key].pk).update(
            consented_at=consented,
            confirmation_sent_at=consented,
            confirmed_at=None if confirmed is None else world.days_ago(confirmed, 20, 40),
        )
    return {key: Subscriber.objects.get(pk=s.pk) for key, s in made.items()}


def _send_wave_three_notice(world: DemoWorld) -> Mailing:
    admin = world.users["national_admin"]
    closes_on = world.today - timedelta(days=CLOSED_DAYS_AGO)
    mailing = actions.create_mailing(
        data={
            "subject": "Wave 3 of the Core20PLUS Connectors programme is open",
            "body": (
                "Wave 3 of the Core20PLUS Connectors programme is now open for expressions "
                "of interest from integrated care systems and places.\n\n"
                "You can read the questions and apply on Core20 Connect. The call closes on "
                f"{closes_on:%-d %B %Y}.\n\n"
                "The knowledge hub has what earlier sites have learned, including a summary "
                "of the principles from the programme's co-design workshops.\n\n"
                "The Core20PLUS Connectors national team"
            ),
        },
        by=admin,
    )
    actions.queue_mailing(mailing=mailing, base_url=BASE_URL, by=admin)
    # Delivered now, while mail is kept in memory; the task queued with it finds it sent.
    mailing = actions.deliver(mailing.pk)
    sent = world.days_ago(OPENED_DAYS_AGO, 10, 30)
    Mailing.objects.filter(pk=mailing.pk).update(
        created_at=sent - timedelta(minutes=25),
        queued_at=sent,
        sent_at=sent + timedelta(minutes=1),
    )
    return Mailing.objects.get(pk=mailing.pk)


def load(world: DemoWorld) -> None:
    resources = _add_resources(world)
    subscribers = _add_subscribers(world)
    mailing = _send_wave_three_notice(world)

    world.made["resources"] = resources
    world.made["subscribers"] = subscribers
    world.made["mailing"] = mailing
    published = sum(1 for r in resources.values() if r.published)
    upcoming = sum(1 for r in resources.values() if r.event_on and r.event_on > world.today)
    confirmed = sum(1 for s in subscribers.values() if s.is_confirmed)
    webinars = sum(1 for r in resources.values() if r.kind == Kind.WEBINAR)
    world.summary.append(
        f"Knowledge hub: {len(resources)} resources by clinical area ({published} published, "
        f"{len(resources) - published} draft), including {webinars} webinars "
        f"({upcoming} coming up); {len(subscribers)} mailing-list sign-ups with consent "
        f"({confirmed} confirmed) and 1 notice sent to {mailing.recipient_count} subscribers"
    )
