"""Demo part: community activities over the last three months, at real postcodes.

The demo connector records most of them, the host coordinator a meeting with decision-makers
and a training session, all through ``core20.engagement.actions.record_activity`` (so each
place is resolved to its LSOA, deprivation decile and Core20 status by the places lookup, and
each activity is audited). The places are real postcodes in Telford and Wrekin and in
Shropshire, most of them in Core20 neighbourhoods (national IMD 2019 deciles 1 and 2), picked
from the loaded postcode directory. Where that directory has none of them (reference data not
loaded), any loaded postcode is used, and failing that activities are recorded without a
place, as the form allows; the summary says which.

Signposting to directory services comes later: the directory part runs after this one and
records the latest few activities, with signposting, through ``record`` below.

Leaves in ``world.made``:

- ``"activities"``: the activities recorded here, oldest first;
- ``"places"``: the ``Place`` list the activities were recorded at (the directory part puts
  its services at some of them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from core20.engagement import actions
from core20.engagement.models import Activity, ActivityType
from core20.engagement.places import EDITION
from core20.places.models import CORE20_DECILES, Deprivation, Postcode, Ward
from core20.programme.models import ClinicalArea, PlusGroup

#: Telford and Wrekin, Shropshire: the demo site's local authority districts.
LADS = {"E06000020": "Telford and Wrekin", "E06000051": "Shropshire"}
ACTIVITIES = 30  # by the connector; the host coordinator adds two
OLDEST_DAYS, NEWEST_DAYS = 90, 12  # the directory part adds activities in the last days


@dataclass(frozen=True)
class Place:
    postcode: str  # as displayed ("TF3 4AA"); "" when recorded without a place
    area: str  # the ward (or district) name, for venue text
    lad_code: str = ""
    core20: bool | None = None


@dataclass(frozen=True)
class Kind:
    """One kind of activity a connector repeats: what, where, with whom, which counts."""

    kind: str
    venue: str  # "{area}" is replaced by the place's ward
    areas: tuple[str, ...]
    communities: tuple[str, ...]
    reached: tuple[int, int]
    counts: tuple[str, ...] = ()  # case-finding tallies (core20.engagement.models)
    notes: str = ""
    partners: str = ""
    languages: str = ""
    weight: int = 1
    breakdown: bool = True
    mecc: bool = True
    extra: dict = field(default_factory=dict)


KINDS = (
    Kind(
        ActivityType.HEALTH_CHECK,
        "Community centre, {area}",
        ("hypertension",),
        ("multi-morbidities",),
        (12, 35),
        ("bp_checks_offered", "health_checks_promoted"),
        "Blood pressure pop-up with the PCN health and wellbeing coach. People with high "
        "readings were asked to book with their practice.",
        "Primary care network",
        weight=4,
    ),
    Kind(
        ActivityType.OUTREACH,
        "Mosque community room, {area}",
        ("hypertension", "early-cancer-diagnosis"),
        ("ethnic-minority-communities",),
        (20, 60),
        ("bp_checks_offered", "cancer_screening_promoted"),
        "Health talk after Friday prayers, with the imam's support. Questions were mostly "
        "about bowel screening kits and blood pressure.",
        "Mosque committee",
        "Urdu, Punjabi",
        weight=3,
    ),
    Kind(
        ActivityType.SCREENING,
        "Supermarket foyer, {area}",
        ("early-cancer-diagnosis",),
        ("ethnic-minority-communities", "protected-characteristics"),
        (15, 45),
        ("cancer_screening_promoted",),
        "Cervical and bowel screening stall. Several women did not know they could ask for "
        "a female nurse.",
        "Cancer charity volunteers",
        "Polish, Romanian",
        weight=3,
    ),
    Kind(
        ActivityType.CONVERSATION,
        "Family hub, {area}",
        ("maternity", "smoking-cessation"),
        ("ethnic-minority-communities", "vulnerable-migrants"),
        (8, 20),
        (),
        "Coffee morning for expectant and new parents. Talked about antenatal appointments, "
        "smoke-free homes and registering babies with a GP.",
        "Family hub, health visiting team",
        "Arabic, Kurdish",
        weight=3,
    ),
    Kind(
        ActivityType.OUTREACH,
        "Outside the job centre, {area}",
        ("smoking-cessation",),
        ("other-socially-excluded",),
        (10, 30),
        (),
        "Stop smoking conversations; handed out the local stop smoking service's cards.",
        "Stop smoking service",
        weight=2,
    ),
    Kind(
        ActivityType.GP_REGISTRATION,
        "Food bank, {area}",
        (),
        ("people-experiencing-homelessness", "inclusion-health-groups"),
        (6, 18),
        ("gp_registrations_supported",),
        "Helped people register with a GP without proof of address, using the practice's "
        "registration card.",
        "Food bank volunteers",
        weight=2,
    ),
    Kind(
        ActivityType.VACCINATION,
        "Library, {area}",
        ("chronic-respiratory-disease",),
        ("multi-morbidities",),
        (10, 30),
        ("vaccinations_promoted",),
        "Winter flu and COVID-19 vaccine promotion, with the pharmacy's walk-in times.",
        "Community pharmacy",
        weight=2,
    ),
    Kind(
        ActivityType.EVENT,
        "Community health fair, {area}",
        ("hypertension", "early-cancer-diagnosis", "smoking-cessation", "severe-mental-illness"),
        ("ethnic-minority-communities", "multi-morbidities", "protected-characteristics"),
        (60, 140),
        ("bp_checks_offered", "cancer_screening_promoted", "smi_checks_promoted"),
        "Health fair with stalls from the PCN, the stop smoking service and local charities.",
        "Primary care network, voluntary sector partners",
        "Urdu, Polish, Punjabi",
    ),
    Kind(
        ActivityType.CO_DELIVERY,
        "GP surgery community room, {area}",
        ("hypertension",),
        ("multi-morbidities",),
        (10, 25),
        ("health_checks_promoted", "bp_checks_offered"),
        "Evening NHS Health Check clinic co-delivered with the PCN for people who work days.",
        "Primary care network",
        weight=2,
    ),
    Kind(
        ActivityType.OUTREACH,
        "Community café, {area}",
        ("severe-mental-illness",),
        ("drug-and-alcohol-dependence", "other-socially-excluded"),
        (6, 15),
        ("smi_checks_promoted",),
        "Peer support café: talked about annual physical health checks for people with "
        "severe mental illness.",
        "Mental health charity",
    ),
    Kind(
        ActivityType.CONVERSATION,
        "Family hub, {area}",
        ("cyp-asthma", "cyp-oral-health"),
        ("young-carers",),
        (8, 22),
        (),
        "Parents' session on children's asthma plans and supervised tooth brushing.",
        "Family hub, school nursing team",
    ),
    Kind(
        ActivityType.OUTREACH,
        "Traveller site",
        ("hypertension",),
        ("gypsy-roma-traveller",),
        (5, 14),
        ("gp_registrations_supported", "bp_checks_offered"),
        "Visit with the Traveller liaison officer; offered blood pressure checks and help "
        "with GP registration.",
        "Council Traveller liaison",
        breakdown=False,
    ),
)

# The host coordinator's two (no place needed for a meeting at the council offices).
MEETING = Kind(
    ActivityType.DECISION_MAKERS,
    "Council offices",
    ("hypertension", "maternity"),
    (),
    (0, 0),
    notes="Shared what connectors heard about blood pressure checks in working hours and "
    "late buses to antenatal appointments with the public health team.",
    partners="Telford & Wrekin Council public health team",
    breakdown=False,
    mecc=False,
)
TRAINING = Kind(
    ActivityType.TRAINING,
    "Community centre, {area}",
    (),
    (),
    (8, 12),
    notes="Making Every Contact Count training for new volunteer connectors.",
    partners="Public health team",
    breakdown=False,
    mecc=False,
)

AGE_WEIGHTS = {"18_24": 2, "25_44": 4, "45_64": 4, "65_plus": 3}
SEX_WEIGHTS = {"female": 6, "male": 4}


def find_places(world) -> tuple[list[Place], str]:
    """Real postcodes for the activities, and how they were found (for the summary).

    Prefers live postcodes in the site's districts whose LSOA has an IMD 2019 national
    decile: about two thirds Core20 neighbourhoods, the rest less deprived ones."""
    rows = list(
        Postcode.objects.filter(
            lad_code__in=list(LADS), terminated__isnull=True, lsoa11__isnull=False
        )
        .order_by("code")
        .values_list("display", "lad_code", "ward_code", "lsoa11_id")
    )
    deciles = dict(
        Deprivation.objects.national()
        .filter(edition__code=EDITION, lsoa__postcodes_2011__lad_code__in=list(LADS))
        .order_by()
        .distinct()
        .values_list("lsoa_id", "imd_decile")
    )
    by_lsoa: dict[int, list[tuple]] = {}
    for row in rows:
        if deciles.get(row[3]) is not None:
            by_lsoa.setdefault(row[3], []).append(row)
    if by_lsoa:
        core = sorted(k for k in by_lsoa if deciles[k] in CORE20_DECILES)
        rest = sorted(k for k in by_lsoa if deciles[k] not in CORE20_DECILES)
        chosen = _sample(world, core, 10) + _sample(world, rest, 5)
        places = []
        wards = _ward_names({by_lsoa[k][0][2] for k in chosen})
        for lsoa in chosen:
            display, lad, ward, _ = world.random.choice(by_lsoa[lsoa])
            places.append(
                Place(display, wards.get(ward) or LADS[lad], lad, deciles[lsoa] in CORE20_DECILES)
            )
        return places, "at real postcodes in Telford and Wrekin and Shropshire"
    # No postcodes in the site's districts: any loaded postcode will do.
    anywhere = list(
        Postcode.objects.filter(terminated__isnull=True)
        .order_by("code")
        .values_list("display", "lad_code", "ward_code")[:500]
    )
    if anywhere:
        picked = _sample(world, anywhere, 8)
        wards = _ward_names({row[2] for row in picked})
        places = [
            Place(display, wards.get(ward) or display.split()[0], lad)
            for display, lad, ward in picked
        ]
        return places, "at loaded postcodes outside the site's districts (none loaded there)"
    return [Place("", "Telford")], "without a place (no postcodes are loaded)"


def _sample(world, items: list, n: int) -> list:
    return world.random.sample(items, min(n, len(items)))


def _ward_names(codes: set[str]) -> dict[str, str]:
    return dict(Ward.objects.filter(code__in=codes).values_list("code", "name"))


def _split(world, total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` shared out roughly by ``weights`` (never more than ``total``)."""
    jitter = {k: w * world.random.uniform(0.6, 1.4) for k, w in weights.items()}
    whole = sum(jitter.values())
    return {k: int(total * w / whole) for k, w in jitter.items() if int(total * w / whole)}


def activity_data(world, kind: Kind, place: Place, when, *, signposting=None) -> dict:
    """What ``record_activity`` takes, for one activity of ``kind`` at ``place``."""
    # Only the clinical areas and communities this database knows (all of them in the demo).
    known_areas = set(ClinicalArea.objects.values_list("code", flat=True))
    known_groups = set(PlusGroup.objects.values_list("code", flat=True))
    low, high = kind.reached
    reached = world.random.randint(low, high)
    data = {
        "date": when,
        "kind": kind.kind,
        "venue": kind.venue.format(area=place.area)[:200],
        "place": place.postcode,
        "clinical_areas": [c for c in kind.areas if c in known_areas],
        "communities": [c for c in kind.communities if c in known_groups],
        "people_reached": reached,
        "notes": kind.notes,
        "partners": kind.partners,
        "languages": kind.languages,
        "case_finding": {
            key: max(1, int(reached * world.random.uniform(0.3, 0.8))) for key in kind.counts
        },
        "mecc_conversations": (
            int(reached * world.random.uniform(0.2, 0.6)) if kind.mecc and reached else 0
        ),
        "signposting": signposting or {},
    }
    if kind.breakdown and reached and world.random.random() < 0.7:
        data["breakdown"] = {
            "age": _split(world, reached, AGE_WEIGHTS),
            "sex": _split(world, reached, SEX_WEIGHTS),
        }
    return data


def record(world, by, kind: Kind, place: Place, when, *, signposting=None) -> Activity:
    activity, _ = actions.record_activity(
        by=by,
        site=world.site,
        data=activity_data(world, kind, place, when, signposting=signposting),
    )
    return activity


def pick_place(world, places: list[Place]) -> Place:
    """A place, three times in four a Core20 one where there are any."""
    core = [p for p in places if p.core20]
    other = [p for p in places if not p.core20]
    if core and (not other or world.random.random() < 0.75):
        return world.random.choice(core)
    return world.random.choice(other)


def load(world) -> None:
    places, how = find_places(world)
    connector = world.users["connector"]
    coordinator = world.users["host_coordinator"]
    weighted = [k for k in KINDS for _ in range(k.weight)]
    days = sorted(world.random.sample(range(NEWEST_DAYS, OLDEST_DAYS + 1), ACTIVITIES))
    made = []
    for days_ago in reversed(days):  # oldest first
        when = world.today - timedelta(days=days_ago)
        made.append(
            record(world, connector, world.random.choice(weighted), pick_place(world, places), when)
        )
    made.append(
        record(world, coordinator, MEETING, Place("", ""), world.today - timedelta(days=40))
    )
    made.append(record(world, coordinator, TRAINING, places[0], world.today - timedelta(days=75)))
    made.sort(key=lambda a: (a.date, a.pk))
    world.made["activities"] = made
    world.made["places"] = places
    reached = sum(a.people_reached for a in made)
    core20 = sum(1 for a in made if a.core20)
    kinds = len({a.kind for a in made})
    world.summary.append(
        f"Activities: {len(made)} ({ACTIVITIES} by the demo connector, 2 by the host "
        f"coordinator; {kinds} types) over the last 3 months {how}, reaching "
        f"{reached:,} people; {core20} in Core20 areas"
    )
