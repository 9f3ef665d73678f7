"""The rules an activity must meet, in one place, with the messages people see.

``clean_activity(data, site=...)`` checks one activity (the page, the JSON API and the
offline sync all come through it, by way of the actions); the importer applies the same
rules to whole columns at once (core20.engagement.importer) and uses the messages here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from core20.directory.queries import services_for_site
from core20.engagement import places
from core20.engagement.models import (
    BREAKDOWN_LABELS,
    BREAKDOWNS,
    CASE_FINDING,
    MAX_COUNT,
    ActivityType,
)
from core20.programme.models import ClinicalArea, PlusGroup

EARLIEST = date(2020, 1, 1)
FIELDS = (
    "date",
    "kind",
    "venue",
    "place",
    "clinical_areas",
    "communities",
    "people_reached",
    "breakdown",
    "mecc_conversations",
    "case_finding",
    "signposting",
    "languages",
    "partners",
    "notes",
)
MAX_LENGTHS = {"venue": 200, "languages": 300, "partners": 500, "notes": 2000}

DATE_FUTURE = "The date must be today or in the past"
DATE_EARLY = "The date must be on or after 1 January 2020"
KIND_MISSING = "Select the type of activity"


def breakdown_too_big(dimension: str, total: int, reached: int) -> str:
    return (
        f"The numbers by {BREAKDOWN_LABELS[dimension]} add up to {total:,}, more than the "
        f"{reached:,} people reached. Check the numbers, or change the number of people reached."
    )


def count_problem(label: str, value) -> str | None:
    """A message if ``value`` is not a whole number from 0 to MAX_COUNT."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{label} must be a whole number, like 12"
    if value < 0:
        return f"{label} must be 0 or more"
    if value > MAX_COUNT:
        return f"{label} must be {MAX_COUNT:,} or fewer"
    return None


def clean_activity(data: Mapping, *, site) -> dict:
    """The cleaned fields, with the place derived; or ValidationError keyed by field."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    out: dict = {}
    when = data.get("date")
    if not isinstance(when, date):
        fail("date", "Enter the date of the activity")
    elif when > timezone.localdate():
        fail("date", DATE_FUTURE)
    elif when < EARLIEST:
        fail("date", DATE_EARLY)
    out["date"] = when

    kind = data.get("kind") or ""
    if kind not in ActivityType.values:
        fail("kind", KIND_MISSING)
    out["kind"] = kind

    for name, limit in MAX_LENGTHS.items():
        value = (data.get(name) or "").strip()
        if len(value) > limit:
            fail(name, f"Must be {limit:,} characters or fewer")
        out[name] = value

    reached = data.get("people_reached")
    if reached is None or reached == "":
        fail("people_reached", "Enter the number of people reached, or 0")
    elif problem := count_problem("The number of people reached", reached):
        fail("people_reached", problem)
    out["people_reached"] = reached

    mecc = data.get("mecc_conversations") or 0
    if problem := count_problem("MECC conversations", mecc):
        fail("mecc_conversations", problem)
    out["mecc_conversations"] = mecc

    breakdown: dict[str, dict[str, int]] = {}
    for dimension, given in (data.get("breakdown") or {}).items():
        if dimension not in BREAKDOWNS:
            fail("breakdown", f"Unknown breakdown {dimension!r}")
            continue
        counts = {}
        for key, value in (given or {}).items():
            field = f"{dimension}_{key}"
            if key not in BREAKDOWNS[dimension]:
                fail("breakdown", f"Unknown {BREAKDOWN_LABELS[dimension]} {key!r}")
            elif problem := count_problem(BREAKDOWNS[dimension][key], value):
                fail(field, problem)
            elif value:
                counts[key] = value
        total = sum(counts.values())
        if counts and isinstance(reached, int) and total > reached:
            fail(dimension, breakdown_too_big(dimension, total, reached))
        if counts:
            breakdown[dimension] = counts
    out["breakdown"] = breakdown

    case_finding = {}
    for key, value in (data.get("case_finding") or {}).items():
        if key not in CASE_FINDING:
            fail("case_finding", f"Unknown count {key!r}")
        elif problem := count_problem(CASE_FINDING[key], value):
            fail(key, problem)
        elif value:
            case_finding[key] = value
    out["case_finding"] = case_finding

    signposting = {}
    given = {int(k): v for k, v in (data.get("signposting") or {}).items() if v}
    if given:
        services = {s.pk: s for s in services_for_site(site).filter(pk__in=list(given)).order_by()}
        for service_id, value in given.items():
            if service_id not in services:
                fail("signposting", f"Unknown service {service_id} for this site")
            elif problem := count_problem(f"Signposted to {services[service_id].name}", value):
                fail(f"service_{service_id}", problem)
            else:
                signposting[services[service_id]] = value
    out["signposting"] = signposting

    codes = [c for c in data.get("clinical_areas") or [] if c]
    areas = list(ClinicalArea.objects.national_or_site(site).filter(code__in=codes).order_by("pk"))
    missing = sorted(set(codes) - {a.code for a in areas})
    if missing:
        fail("clinical_areas", f"Unknown clinical area: {', '.join(missing)}")
    out["clinical_areas"] = areas

    codes = [c for c in data.get("communities") or [] if c]
    groups = list(PlusGroup.objects.national_or_site(site).filter(code__in=codes).order_by("pk"))
    missing = sorted(set(codes) - {g.code for g in groups})
    if missing:
        fail("communities", f"Unknown community (PLUS group): {', '.join(missing)}")
    out["communities"] = groups

    place = (data.get("place") or "").strip()
    out["place"] = place
    derived = places.derive_one(place) if place else None
    if (place and derived is None) or len(place) > 20:
        fail("place", places.PLACE_INVALID)
    out.update(
        derived or {"lsoa": "", "imd_decile": None, "core20": None, "deprivation_edition": ""}
    )

    if errors:
        raise ValidationError(errors)
    return out
