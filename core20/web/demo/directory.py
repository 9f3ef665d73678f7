"""Demo part: local services in the site's directory, and the connector signposting to them.

Through ``core20.directory.actions.create_service``, the host coordinator and the site lead
add six local services (a blood pressure drop-in, a stop smoking service, cervical screening
evenings, a parents' group at the family hub, a food bank, and a Traveller health liaison
kept for the site's team only), each with its referral routes, clinical areas, communities,
the district it covers, an address at one of the activities' real postcodes (so the ward is
found from the postcode) and a made-up phone number from Ofcom's drama range.

Activities can only signpost to services that exist, and this part runs after engagement:
so here the demo connector records three more activities, in the last ten days, through
``core20.web.demo.engagement.record``, with people signposted to these services.

Uses ``world.made["places"]`` (engagement) for addresses. Leaves in ``world.made``:

- ``"services"``: {key: Service} for the keys of ``SERVICES`` below;
- ``"signposting_activities"``: the three activities with signposting.
"""

from __future__ import annotations

from datetime import timedelta

from core20.directory import actions
from core20.directory.models import Service
from core20.engagement.models import ActivityType
from core20.places.models import LocalAuthorityDistrict
from core20.programme.models import ClinicalArea, PlusGroup
from core20.web.demo import engagement

Route = Service.ReferralRoute
TELFORD_AND_WREKIN = "E06000020"

# Each service: who adds it, what it is, how to refer, and where.
SERVICES = {
    "blood_pressure": {
        "by": "host_coordinator",
        "organization_name": "Hadley Community Pharmacy (demo)",
        "name": "Blood pressure check drop-in",
        "description": "Free blood pressure checks for adults aged 40 and over, with no "
        "appointment. With the person's agreement the reading is sent to their GP, and "
        "anyone with a high reading is helped to book a follow-up.",
        "eligibility": "Adults aged 40 and over who have not had a check in the last year",
        "minimum_age": 40,
        "languages": ["English", "Urdu", "Punjabi"],
        "fees": "Free",
        "clinical_areas": ("hypertension",),
        "communities": ("multi-morbidities", "ethnic-minority-communities"),
        "referral_routes": [Route.SELF, Route.CONNECTOR],
        "referral_details": "Walk in on Tuesdays 6pm to 8pm or Saturdays 9am to 12pm, or a "
        "connector can phone ahead to book a time.",
        "venue": "Community room",
        "phone": "01632 960101",
        "published": True,
    },
    "stop_smoking": {
        "by": "host_coordinator",
        "organization_name": "Telford Stop Smoking Service (demo)",
        "name": "Stop smoking support",
        "description": "A 12-week programme with a stop smoking adviser: weekly support in "
        "person or by phone, and free nicotine replacement therapy or a vape starter kit.",
        "eligibility": "Anyone aged 12 or over who lives or works in Telford and Wrekin",
        "minimum_age": 12,
        "languages": ["English", "Polish"],
        "fees": "Free",
        "clinical_areas": ("smoking-cessation", "maternity"),
        "communities": ("other-socially-excluded", "people-experiencing-homelessness"),
        "referral_routes": [Route.SELF, Route.CONNECTOR, Route.GP, Route.FORM],
        "referral_details": "People can refer themselves by phone. Connectors and GP "
        "practices use the online form; pregnant smokers are seen within a week.",
        "referral_url": "https://stop-smoking.demo.example/refer",
        "venue": "Health centre",
        "phone": "01632 960102",
        "published": True,
    },
    "cervical_screening": {
        "by": "site_lead",
        "organization_name": "Primary care network women's health team (demo)",
        "name": "Cervical screening evening clinics",
        "description": "Evening cervical screening appointments with a female nurse, with "
        "longer appointments for anyone who is anxious or has a learning disability, and "
        "interpreters on request.",
        "eligibility": "Women and people with a cervix aged 25 to 64 registered with a "
        "practice in the network",
        "minimum_age": 25,
        "maximum_age": 64,
        "languages": ["English", "Polish", "Romanian", "Urdu"],
        "fees": "Free",
        "clinical_areas": ("early-cancer-diagnosis",),
        "communities": (
            "ethnic-minority-communities",
            "learning-disability-autism",
            "protected-characteristics",
        ),
        "referral_routes": [Route.SELF, Route.GP],
        "referral_details": "Book through the GP practice, or ask for an evening clinic "
        "when the invitation letter arrives.",
        "venue": "Surgery",
        "phone": "01632 960103",
        "published": True,
    },
    "bump_and_baby": {
        "by": "host_coordinator",
        "organization_name": "Family hub (demo)",
        "name": "Bump and baby group",
        "description": "A weekly group for expectant and new parents, with a midwife and a "
        "health visitor on hand, baby weighing and help with registering with a GP.",
        "eligibility": "Expectant parents and parents of babies up to one year old",
        "languages": ["English", "Arabic", "Kurdish"],
        "fees": "Free",
        "clinical_areas": ("maternity",),
        "communities": ("vulnerable-migrants", "ethnic-minority-communities"),
        "referral_routes": [Route.SELF, Route.CONNECTOR, Route.PROFESSIONAL],
        "referral_details": "Drop in on Thursdays 10am to 12pm. No need to book.",
        "venue": "Family hub",
        "phone": "01632 960104",
        "published": True,
    },
    "food_bank": {
        "by": "site_lead",
        "organization_name": "Community Food Bank (demo)",
        "name": "Food bank and advice café",
        "description": "Three days' emergency food, with a café where people can get advice "
        "on money, housing and registering with a GP.",
        "eligibility": "Anyone in food crisis, with a voucher",
        "languages": ["English"],
        "fees": "Free",
        "clinical_areas": (),
        "communities": ("people-experiencing-homelessness", "other-socially-excluded"),
        "referral_routes": [Route.CONNECTOR, Route.PROFESSIONAL],
        "referral_details": "Connectors, GP practices and advice workers give a food "
        "voucher; the person brings it on Monday, Wednesday or Friday afternoon.",
        "venue": "Church hall",
        "phone": "01632 960105",
        "published": True,
    },
    "traveller_liaison": {
        "by": "host_coordinator",
        "organization_name": "Council Traveller liaison team (demo)",
        "name": "Traveller health liaison",
        "description": "A liaison worker who visits Traveller sites with health partners and "
        "helps families register with a GP and book health checks.",
        "eligibility": "Gypsy, Roma and Traveller families in Telford and Wrekin",
        "languages": ["English"],
        "fees": "Free",
        "clinical_areas": ("hypertension",),
        "communities": ("gypsy-roma-traveller",),
        "referral_routes": [Route.PROFESSIONAL, Route.CONNECTOR],
        "referral_details": "For the site's team only: connectors phone the liaison worker "
        "before a visit.",
        "venue": "",
        "phone": "01632 960106",
        "published": False,  # a referral route kept for the site's team
    },
}

# The last few activities, now that there are services to signpost to:
# (days ago, the kind from engagement.KINDS with that activity type and clinical area,
# {service key: people signposted}).
SIGNPOSTING = (
    (9, ActivityType.HEALTH_CHECK, "hypertension", {"blood_pressure": 6, "stop_smoking": 2}),
    (6, ActivityType.GP_REGISTRATION, None, {"food_bank": 4, "stop_smoking": 3}),
    (3, ActivityType.CONVERSATION, "maternity", {"bump_and_baby": 5, "cervical_screening": 2}),
)


def _kind(activity_type: str, area: str | None) -> engagement.Kind:
    return next(
        k for k in engagement.KINDS if k.kind == activity_type and (area is None or area in k.areas)
    )


def _data(spec: dict, place) -> dict:
    data = {
        key: spec[key]
        for key in (
            "organization_name",
            "name",
            "description",
            "eligibility",
            "languages",
            "fees",
            "referral_routes",
            "referral_details",
            "phone",
            "published",
        )
    }
    data["status"] = Service.Status.ACTIVE
    for key in ("minimum_age", "maximum_age", "referral_url"):
        if key in spec:
            data[key] = spec[key]
    data["clinical_areas"] = list(ClinicalArea.objects.filter(code__in=spec["clinical_areas"]))
    data["communities"] = list(PlusGroup.objects.filter(code__in=spec["communities"]))
    data["lads"] = list(LocalAuthorityDistrict.objects.filter(code=TELFORD_AND_WREKIN))
    if spec["venue"] and place is not None and place.postcode:
        data["address_1"] = f"{spec['venue']}, {place.area}"
        data["city"] = "Telford" if place.lad_code == TELFORD_AND_WREKIN else "Shropshire"
        data["postal_code"] = place.postcode
    return data


def _places(world) -> list:
    """Core20 places in Telford and Wrekin first, then the others the activities used."""
    places = [p for p in world.made.get("places", []) if p.postcode]
    return sorted(places, key=lambda p: (not p.core20, p.lad_code != TELFORD_AND_WREKIN))


def load(world) -> None:
    places = _places(world)
    services = {}
    for i, (key, spec) in enumerate(SERVICES.items()):
        place = places[i % len(places)] if places else None
        services[key] = actions.create_service(
            site=world.site, data=_data(spec, place), by=world.users[spec["by"]]
        )

    core = [p for p in places if p.core20] or places or [engagement.Place("", "Telford")]
    recorded = []
    for days_ago, activity_type, area, counts in SIGNPOSTING:
        recorded.append(
            engagement.record(
                world,
                world.users["connector"],
                _kind(activity_type, area),
                world.random.choice(core),
                world.today - timedelta(days=days_ago),
                signposting={services[key].pk: n for key, n in counts.items()},
            )
        )
    world.made["services"] = services
    world.made["signposting_activities"] = recorded
    published = sum(1 for s in services.values() if s.published)
    people = sum(n for *_, counts in SIGNPOSTING for n in counts.values())
    world.summary.append(
        f"Directory: {len(services)} local services ({published} published, "
        f"{len(services) - published} for the site's team only) with referral routes; "
        f"{len(recorded)} more activities in the last 10 days signposted {people} people "
        "to them"
    )
