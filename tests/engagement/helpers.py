"""Building activities for tests (straight through the ORM where the action is not what
is being tested)."""

import uuid
from datetime import date

from core20.engagement.models import Activity, ActivityRun
from core20.programme.models import ClinicalArea, PlusGroup


def activity(site, recorded_by=None, **fields) -> Activity:
    values = {
        "date": date(2026, 3, 2),
        "kind": "outreach",
        "people_reached": 10,
    } | fields
    return Activity.objects.create(site=site, recorded_by=recorded_by, **values)


def areas():
    hypertension = ClinicalArea.objects.get_or_create(
        code="hypertension", defaults={"name": "Hypertension", "group": "adult"}
    )[0]
    smi = ClinicalArea.objects.get_or_create(
        code="severe-mental-illness", defaults={"name": "Severe mental illness", "group": "adult"}
    )[0]
    coastal = PlusGroup.objects.get_or_create(
        code="coastal-communities", defaults={"name": "Coastal communities"}
    )[0]
    return hypertension, smi, coastal


def run(site, kind=ActivityRun.Kind.IMPORT, **fields) -> ActivityRun:
    return ActivityRun.objects.create(site=site, kind=kind, file_name="activities.csv", **fields)


def api_activity(site) -> dict:
    """A valid body for POST /api/v1/activities at ``site`` (a new uuid each time)."""
    return {
        "uuid": str(uuid.uuid4()),
        "site": site.slug,
        "date": "2026-03-02",
        "kind": "outreach",
        "people_reached": 7,
    }
