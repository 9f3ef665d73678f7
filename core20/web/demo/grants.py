"""Demo micro-grants: the site lead's community grant fund, open now, with its community panel
and applications from made-up community groups at each stage.

Through core20.grants.actions only: the site lead creates the fund and its three scoring
criteria and appoints the panel (the demo community member: on a community panel only people
holding GRANT_SCORE at the site may sit, which is the community member role; the "panel member"
role scores the national selection of sites, not micro-grants). Five applications arrive
through the public application action (no account):

- a walk and talk group: scored, awarded in full, paid, the walks done, its outcome report in;
- a family cook-and-eat club: scored, awarded a little less than it asked for, not yet paid
  (the site team's home shows "awarded grant to pay");
- a junior football club's kit: scored, declined with a reason the group sees;
- a men's shed's health MOT mornings and one individual's coffee mornings: waiting for the
  community member's assessment (their home shows "grant applications to assess") and then
  the team's decision.

Leaves in ``world.made``:

- ``grant_fund``: the Fund;
- ``grant_applications``: {"walk", "food", "football", "shed", "coffee"} -> Application.
"""

from datetime import timedelta
from decimal import Decimal

from core20.grants import actions
from core20.grants.models import Application, Assessment
from core20.programme.models import ClinicalArea, PlusGroup
from core20.web.demo import DemoWorld

CRITERIA = (
    (
        "Reaches Core20PLUS communities",
        "The people who will take part live in the most deprived neighbourhoods or belong to "
        "the site's PLUS groups, and the group already has their trust.",
    ),
    (
        "Helps people get the care they need",
        "A clear link to a health check, screening, a GP or another service, or to the "
        "site's clinical priorities.",
    ),
    (
        "Realistic plan and budget",
        "The group can do what it says with the money it asks for.",
    ),
)

# key -> (application data, budget lines, PLUS group names, clinical area names)
APPLICATIONS = {
    "walk": (
        {
            "recipient_type": Application.RecipientType.ORGANISATION,
            "group_name": "Woodside Walk and Talk Demo Group",
            "charity_number": "",
            "company_number": "",
            "contact_name": "Asha Demo",
            "contact_email": "woodside.walkers@example.org",
            "title": "Walk and talk for healthy hearts",
            "purpose": (
                "Seven weekly led walks round Woodside for people who do not usually come to "
                "health events, each ending with tea and a free blood pressure check run with "
                "the practice's health care assistant. The grant pays for a trained walk "
                "leader, hall hire for the tea and leaflets in the languages people speak "
                "on the estate."
            ),
            "places_note": "Woodside estate and Woodside community centre",
        },
        (("Walk leader, 7 sessions", "420.00"), ("Hall hire", "210.00"), ("Leaflets", "120.00")),
        ("Ethnic minority communities", "People with multi-morbidities"),
        ("Hypertension case-finding and lipid management",),
    ),
    "food": (
        {
            "recipient_type": Application.RecipientType.ORGANISATION,
            "group_name": "Brookside Family Food Club Demo",
            "charity_number": "1234567",
            "company_number": "",
            "contact_name": "Tomasz Demo",
            "contact_email": "brookside.food@example.org",
            "title": "Cook, eat and chat for families",
            "purpose": (
                "Ten after-school sessions where families cook a cheap healthy meal together, "
                "with a health visitor and the stop smoking service dropping in. Parents have "
                "told our connector they want help with money for food and somewhere to ask "
                "health questions without an appointment."
            ),
            "places_note": "Brookside central, the community kitchen",
        },
        (("Ingredients, 10 sessions", "500.00"), ("Kitchen hire", "250.00"), ("Creche", "150.00")),
        ("Young carers",),
        ("Smoking cessation", "Oral health (children and young people)"),
    ),
    "football": (
        {
            "recipient_type": Application.RecipientType.ORGANISATION,
            "group_name": "Hadley Juniors Demo Football Club",
            "charity_number": "",
            "company_number": "",
            "contact_name": "Lee Demo",
            "contact_email": "hadley.juniors@example.org",
            "title": "New kit for the under-12s",
            "purpose": (
                "A new kit and footballs for our under-12s team so that more children from "
                "the estate can play."
            ),
            "places_note": "Hadley",
        },
        (("Kit for 16 players", "640.00"), ("Footballs and bibs", "160.00")),
        (),
        (),
    ),
    "shed": (
        {
            "recipient_type": Application.RecipientType.ORGANISATION,
            "group_name": "Sutton Hill Men's Shed Demo",
            "charity_number": "",
            "company_number": "",
            "contact_name": "Marek Demo",
            "contact_email": "suttonhill.shed@example.org",
            "title": "Health MOT mornings at the shed",
            "purpose": (
                "Four Saturday mornings at the shed where men over 40 can have a free NHS "
                "health check and talk to a connector about registering with a GP, while "
                "working on a bench for the community garden. Many of our members have not "
                "seen a doctor for years."
            ),
            "places_note": "Sutton Hill, the men's shed on Maythorne Close",
        },
        (
            ("Timber and tools", "300.00"),
            ("Breakfasts, 4 mornings", "180.00"),
            ("Posters", "60.00"),
        ),
        ("People with multi-morbidities", "Other socially excluded groups"),
        ("Health checks for people over 50", "GP registration"),
    ),
    "coffee": (
        {
            "recipient_type": Application.RecipientType.INDIVIDUAL,
            "group_name": "Priya Demo",
            "charity_number": "",
            "company_number": "",
            "contact_name": "Priya Demo",
            "contact_email": "priya.demo@example.org",
            "title": "Coffee mornings in Urdu and Punjabi",
            "purpose": (
                "Monthly coffee mornings for older women who speak little English, with a "
                "nurse from the practice explaining cancer screening invitations and how to "
                "book. I will interpret and bring the refreshments."
            ),
            "places_note": "Malinslee, the community room at the mosque",
        },
        (("Room hire, 6 mornings", "180.00"), ("Refreshments", "120.00")),
        ("Ethnic minority communities",),
        ("Early cancer diagnosis",),
    ),
}


def _named(model, site, names):
    """The site's (or national) reference records with these names; those not loaded are
    left out."""
    return list(model.objects.national_or_site(site).filter(name__in=names))


def _apply(world: DemoWorld, fund, key: str, starts_on, ends_on) -> Application:
    data, lines, communities, areas = APPLICATIONS[key]
    amount = sum((Decimal(a) for _, a in lines), Decimal(0))
    return actions.submit_application(
        fund=fund,
        data={
            **data,
            "contact_phone": "",
            "amount_requested": amount,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
        budget_lines=[{"item": item, "amount": a} for item, a in lines],
        communities=_named(PlusGroup, world.site, communities),
        clinical_areas=_named(ClinicalArea, world.site, areas),
        by=None,
    )


def _score(world: DemoWorld, application, criteria, low: int, high: int, comments: str):
    return actions.assess(
        application=application,
        has_conflict=False,
        scores={c.pk: world.random.randint(low, high) for c in criteria},
        comments=comments,
        by=world.users["community_member"],
    )


def load(world: DemoWorld) -> None:
    lead = world.users["site_lead"]
    today = world.today

    def days(n: int):
        return today + timedelta(days=n)

    fund = actions.create_fund(
        site=world.site,
        data={
            "name": "Healthy communities micro-grants",
            "summary": (
                "Grants of up to £1,000 for community groups, and for local people, in "
                "Telford and Wrekin and Shropshire who help their neighbours get the health "
                "care they need: health checks, screening, registering with a GP, managing "
                "long-term conditions. We especially welcome groups working in the most "
                "deprived neighbourhoods and with the site's PLUS groups."
            ),
            "budget": "8000.00",
            "max_award": "1000.00",
            "opens_on": days(-70),
            "closes_on": days(28),
        },
        by=lead,
    )
    criteria = [
        actions.add_criterion(
            fund=fund, data={"name": name, "description": text, "max_score": 5}, by=lead
        )
        for name, text in CRITERIA
    ]
    actions.appoint_panel_member(fund=fund, user=world.users["community_member"], by=lead)

    made = {
        "walk": _apply(world, fund, "walk", days(-56), days(-7)),
        "food": _apply(world, fund, "food", days(7), days(90)),
        "football": _apply(world, fund, "football", None, None),
        "shed": _apply(world, fund, "shed", days(14), days(42)),
        "coffee": _apply(world, fund, "coffee", days(21), days(180)),
    }

    # The panel scores three; the shed and the coffee mornings wait for the community member.
    _score(
        world,
        made["walk"],
        criteria,
        4,
        5,
        "A group people on the estate already trust, and the blood pressure checks are "
        "exactly what the practice wants.",
    )
    _score(
        world,
        made["food"],
        criteria,
        3,
        5,
        "Good reach to young families. The creche looks like more than the sessions need.",
    )
    _score(
        world,
        made["football"],
        criteria,
        0,
        2,
        "A good club, but nothing here about health care: better suited to a sports fund.",
    )

    made["walk"] = actions.decide(
        application=made["walk"], awarded=True, amount="750.00", decided_on=days(-63), by=lead
    )
    actions.record_payment(
        application=made["walk"],
        amount="750.00",
        paid_on=days(-60),
        reference="MG-DEMO-001",
        by=lead,
    )
    actions.submit_outcome(
        application=made["walk"],
        data={
            "what_happened": (
                "We held seven walks. Most weeks a dozen or more people came, about half of "
                "them new to the group. The health care assistant checked blood pressure at "
                "every tea; several people were asked to book a follow-up at the practice and "
                "most of them did."
            ),
            "people_reached": 64,
            "sessions_held": 7,
            "learning": (
                "Walking first and checking blood pressure afterwards worked far better than a "
                "stall: people were relaxed by then. Leaflets in Polish and Urdu went fastest."
            ),
        },
        by=None,
    )
    made["food"] = actions.decide(
        application=made["food"], awarded=True, amount="800.00", decided_on=days(-12), by=lead
    )
    made["football"] = actions.decide(
        application=made["football"],
        awarded=False,
        reason=(
            "The panel liked your club, but this fund pays for work that helps people get "
            "health care, and the application does not say how the kit would do that. A sports "
            "fund would be a better fit. We would welcome a new application for, say, health "
            "checks for parents on match days."
        ),
        decided_on=days(-20),
        by=lead,
    )

    # The actions stamp "now": date the applications and the panel's scores back to before
    # their decisions (plain updates; the audit events keep the real time).
    sent = {"walk": 68, "food": 30, "football": 35, "shed": 10, "coffee": 4}
    for key, ago in sent.items():
        submitted = world.days_ago(ago, 20, 15)
        Application.objects.filter(pk=made[key].pk).update(submitted_at=submitted)
        Assessment.objects.filter(application=made[key]).update(
            submitted_at=submitted + timedelta(days=2)
        )
    made = {key: Application.objects.get(pk=a.pk) for key, a in made.items()}

    world.made["grant_fund"] = fund
    world.made["grant_applications"] = made
    spend = actions.spend(fund)
    world.summary.append(
        f"Micro-grants: 1 fund open ({actions.money(fund.budget)} budget), "
        f"{len(made)} applications (2 awarded, 1 declined, 2 waiting for the community panel); "
        f"{actions.money(spend.committed)} awarded, {actions.money(spend.paid)} paid, "
        "1 outcome report"
    )
