"""Demo part: outcomes, so the dashboards, the evaluation and the data packs have figures.

All as the site lead, through the apps' own actions (so validated and audited):

- **target areas**: the site's Core20 neighbourhoods (national IMD deciles 1 and 2, the site's
  edition) in the Telford wards the other parts talk about (Brookside, Woodside, Madeley &
  Sutton Hill, Malinslee & Dawley Bank), chosen with ``core20.places.target_areas.add_pasted``
  as the target areas page does; where none of those is loaded, Core20 LSOAs anywhere in the
  site's ICB;
- **the logic model**, started from the national template (``start_logic_model``);
- **indicator data** for three indicators of the catalogue that fit the demo's story
  (hypertension treated to target, cervical screening, SMI physical health checks): the
  site's own data (not national) for every LSOA of the site's ICB that has a decile in the
  site's edition, for the last 8 complete financial quarters, uploaded as an aggregated table
  (``upload_data``, as the upload page does);
- a **trajectory** for hypertension treated to target: the aims, per quarter, from the
  target areas' figure before the connectors started;
- one **community-defined success measure** with a piece of dated evidence.

The figures are SYNTHETIC: made up here, not real. Each upload's file name and note say
"Synthetic demo data: not real figures". They are made to tell the demo's story: each
LSOA's denominator is its share of the LSOA's population (the edition's population, where
loaded) in the indicator's eligible group; its rate falls with deprivation (worst in
deciles 1 and 2), with an LSOA effect, a slow drift everywhere and some variation each
quarter (half the binomial, since a quarter's figure counts mostly the same people), all
from ``world.random`` so the same every time. In the target areas it improves over the last
4 quarters (since the connectors started) and elsewhere it does not, so the target areas'
SPC chart shows special-cause improvement and the evaluation's difference in differences is
positive. So that the data packs can compare the site with England, the demo national
analyst also uploads a synthetic England figure (E92000001) per quarter as national data
(nothing else national).

Without LSOAs for the site's ICB (place reference data not loaded) or without the indicator
catalogue (``load_outcomes_reference``), no target areas, data or trajectory are added and
the summary says why.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, timedelta

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.outcomes import actions, scope
from core20.outcomes.models import Indicator, LogicModel, Upload
from core20.oversight import periods
from core20.places import target_areas
from core20.places.models import CORE20_DECILES, Deprivation, deprivation_edition_for
from core20.web.demo import DemoWorld

SYNTHETIC = "Synthetic demo data: not real figures"
UPLOADED_DAYS_AGO = 5
ENGLAND = "E92000001"
TELFORD = "E06000020"  # Telford and Wrekin
WARDS = ("Brookside", "Woodside", "Madeley & Sutton Hill", "Malinslee & Dawley Bank")
MAX_TARGETS = 14
QUARTERS = 8  # of data, ending with the last complete quarter
SINCE = 4  # the last SINCE quarters are since the connectors started
AIMS_AHEAD = 2  # trajectory quarters after the last one with data
DEFAULT_POPULATION = 1500  # an LSOA's population where the edition has none
NOISE = 0.5  # a quarter's variation, as a share of the binomial standard deviation


@dataclass(frozen=True)
class Story:
    """How one indicator's synthetic figures are made (shares and rates as fractions)."""

    code: str
    eligible: tuple[float, float]  # share of the population counted: decile 1, decile 10
    rate: tuple[float, float]  # decile 1, decile 10
    drift: float  # change per quarter, everywhere
    uplift: tuple[float, ...]  # extra in the target areas in each of the last SINCE quarters
    england: tuple[int, float]  # England's denominator and rate in the first quarter


STORIES = (
    Story(
        "hypertension-treated-to-target",
        (0.13, 0.17),
        (0.57, 0.70),
        0.002,
        (0.02, 0.04, 0.055, 0.07),
        (8_900_000, 0.655),
    ),
    Story(
        "screening-cervical",
        (0.25, 0.27),
        (0.60, 0.75),
        -0.001,
        (0.015, 0.03, 0.04, 0.05),
        (15_600_000, 0.685),
    ),
    Story(
        "smi-health-check",
        (0.016, 0.007),
        (0.46, 0.60),
        0.003,
        (0.03, 0.06, 0.08, 0.10),
        (560_000, 0.555),
    ),
)
TRAJECTORY = "hypertension-treated-to-target"
AIM_STEP = 1.6  # percentage points a quarter
AIM_CAP = 80.0  # the national ambition

MEASURE = (
    "People on the Woodside estate can get their blood pressure checked somewhere they "
    "already go, without having to ring the surgery at eight in the morning.",
    "Woodside Walk and Talk group",
)
EVIDENCE = (
    "At the walk and talk group's tea this month the health care assistant checked 14 "
    "people's blood pressure at the community centre. Three were asked to book a follow-up "
    "and the group says all three have been seen."
)


@dataclass(frozen=True)
class Area:
    code: str
    decile: int
    population: int | None
    ward: str
    lad: str


def quarters(today: date, count: int = QUARTERS) -> list[str]:
    """The last ``count`` complete financial quarters before ``today``, oldest first
    ("2024/25 Q4" is January to March 2025)."""
    year, quarter = periods.quarter_of(today)
    labels = []
    for _ in range(count):
        year, quarter = periods.previous_quarter(year, quarter)
        labels.append(_label(year, quarter))
    return labels[::-1]


def _label(year: int, quarter: int) -> str:
    """The outcomes app's way of writing a financial quarter: "2024/25 Q3"."""
    return f"{periods.year_label(year)} Q{quarter}"


def _after(label: str, count: int) -> list[str]:
    """The ``count`` quarters after ``label``."""
    year, quarter = int(label[:4]), int(label[-1])
    out = []
    for _ in range(count):
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        out.append(_label(year, quarter))
    return out


def icb_areas(world: DemoWorld) -> list[Area]:
    """The LSOAs of the site's ICB with a national decile in the site's edition, by code."""
    codes = scope.icb_lsoas(world.site, world.today)
    if not codes:
        return []
    rows = (
        Deprivation.objects.national()
        .filter(
            edition=deprivation_edition_for(world.site),
            lsoa__code__in=codes,
            imd_decile__isnull=False,
        )
        .order_by("lsoa__code")
        .values_list(
            "lsoa__code", "imd_decile", "population_total", "lsoa__ward__name", "lsoa__lad__code"
        )
    )
    found = {code: Area(code, d, pop, ward or "", lad or "") for code, d, pop, ward, lad in rows}
    return list(found.values())


def choose_targets(world: DemoWorld, areas: list[Area]) -> tuple[list[Area], str]:
    """The target areas to choose, and where they are (for the summary)."""
    core = [a for a in areas if a.decile in CORE20_DECILES]
    named = [a for a in core if a.lad == TELFORD and a.ward in WARDS]
    if named:
        chosen, where = named, "in " + ", ".join(sorted({a.ward for a in named}))
    elif core:
        chosen, where = core, "in the ICB (none of the demo's Telford wards is loaded)"
    else:
        chosen = sorted(areas, key=lambda a: (a.decile, a.code))[:MAX_TARGETS]
        where = "the most deprived in the ICB (it has no Core20 LSOAs)"
    if len(chosen) > MAX_TARGETS:
        chosen = world.random.sample(chosen, MAX_TARGETS)
    return sorted(chosen, key=lambda a: a.code), where


def _between(pair: tuple[float, float], decile: int) -> float:
    low, high = pair
    return low + (high - low) * (decile - 1) / 9


def synthetic_rows(
    world: DemoWorld, story: Story, areas: list[Area], targets: set[str], periods: list[str]
) -> list[tuple[str, str, int, int]]:
    """(area code, period, numerator, denominator) for every area and period: made up."""
    rows = []
    first_after = len(periods) - SINCE
    for area in areas:
        population = area.population or round(DEFAULT_POPULATION * world.random.uniform(0.85, 1.15))
        eligible = population * _between(story.eligible, area.decile)
        eligible *= world.random.uniform(0.9, 1.1)
        effect = world.random.gauss(0, 0.025)
        for t, period in enumerate(periods):
            n = max(1, round(eligible * (1 + 0.003 * t)))
            p = _between(story.rate, area.decile) + effect + story.drift * t
            if area.code in targets and t >= first_after:
                p += story.uplift[t - first_after]
            p = min(0.97, max(0.03, p))
            # Less than binomial variation: a quarter's figure counts mostly the same people
            # as the last one's.
            x = round(n * p + world.random.gauss(0, NOISE * math.sqrt(n * p * (1 - p))))
            rows.append((area.code, period, min(n, max(0, x)), n))
    return rows


def england_rows(story: Story, periods: list[str]) -> list[tuple[str, str, int, int]]:
    n, p = story.england
    return [
        (
            ENGLAND,
            period,
            round(n * (1 + 0.003 * t) * (p + story.drift * t)),
            round(n * (1 + 0.003 * t)),
        )
        for t, period in enumerate(periods)
    ]


def as_csv(rows: list[tuple[str, str, int, int]]) -> bytes:
    out = io.StringIO()
    out.write("area_code,period,numerator,denominator\n")
    for code, period, x, n in rows:
        out.write(f"{code},{period},{x},{n}\n")
    return out.getvalue().encode()


def _upload(world: DemoWorld, indicator: Indicator, rows, *, site, by, what: str):
    suffix = "-england" if site is None else ""
    upload = actions.upload_data(
        indicator=indicator,
        site=site,
        file_name=f"synthetic-demo-data-not-real-figures-{indicator.code}{suffix}.csv",
        content=as_csv(rows),
        by=by,
        note=f"{SYNTHETIC} (made up for the demo: {what}).",
    )
    # Uploaded a few days ago, before the data packs that cite the upload were worked out.
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=world.days_ago(UPLOADED_DAYS_AGO))
    return upload


def set_trajectory(world, indicator, rows, targets: set[str], periods: list[str]) -> int:
    """The site lead's aims: from the target areas' figure in the last quarter before the
    connectors started, up AIM_STEP points a quarter (to the national ambition at most)."""
    before = periods[-SINCE - 1]
    x = sum(r[2] for r in rows if r[1] == before and r[0] in targets)
    n = sum(r[3] for r in rows if r[1] == before and r[0] in targets)
    baseline = 100 * x / n
    aims = periods[-SINCE:] + _after(periods[-1], AIMS_AHEAD)
    for k, period in enumerate(aims, start=1):
        actions.set_trajectory_point(
            site=world.site,
            indicator=indicator,
            period=period,
            value=round(min(AIM_CAP, baseline + AIM_STEP * k), 1),
            by=world.users["site_lead"],
        )
    return len(aims)


def load(world: DemoWorld) -> None:
    lead = world.users["site_lead"]
    done = []
    if LogicModel.objects.filter(site__isnull=True, elements__isnull=False).exists():
        actions.start_logic_model(site=world.site, by=lead)
        done.append("logic model started from the national template")
    measure = actions.add_success_measure(
        site=world.site, statement=MEASURE[0], said_by=MEASURE[1], by=lead
    )
    actions.add_evidence(
        measure=measure, observed_on=world.today - timedelta(days=18), text=EVIDENCE, by=lead
    )
    done.append("1 community-defined success measure with evidence")

    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[s.code for s in STORIES])}
    areas = icb_areas(world)
    if not areas:
        why = "no LSOAs with deprivation figures are loaded for the site's ICB"
    elif not indicators:
        why = "the indicator catalogue is not loaded (manage.py load_outcomes_reference)"
    else:
        why = ""
    if why:
        done.append(f"no target areas, indicator data or trajectory: {why}")
        world.summary.append("Outcomes: " + "; ".join(done))
        return

    targets, where = choose_targets(world, areas)
    require_permission(lead, Permission.SITE_EDIT, site=world.site)  # as the page checks
    added = target_areas.add_pasted(world.site, "\n".join(a.code for a in targets), by=lead)
    target_codes = {a.code for a in targets}
    periods = quarters(world.today)
    made = {}
    for story in STORIES:
        indicator = indicators.get(story.code)
        if indicator is None:
            continue
        rows = synthetic_rows(world, story, areas, target_codes, periods)
        _upload(
            world,
            indicator,
            rows,
            site=world.site,
            by=lead,
            what=f"{len(areas)} LSOAs in the ICS, {QUARTERS} quarters",
        )
        _upload(
            world,
            indicator,
            england_rows(story, periods),
            site=None,
            by=world.users["national_analyst"],
            what="England",
        )
        made[story.code] = rows
    aims = 0
    if TRAJECTORY in made:
        aims = set_trajectory(
            world, indicators[TRAJECTORY], made[TRAJECTORY], target_codes, periods
        )
    done.append(f"{len(added.added)} target areas (Core20 LSOAs {where})")
    done.append(
        f"synthetic indicator data (not real figures) for {len(made)} indicators, "
        f"{len(areas)} LSOAs of the ICS, {periods[0]} to {periods[-1]}, with an England figure"
    )
    if aims:
        done.append(f"a trajectory of {aims} quarters for {indicators[TRAJECTORY].name}")
    world.summary.append("Outcomes: " + "; ".join(done))
