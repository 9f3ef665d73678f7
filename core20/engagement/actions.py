"""Recording, changing and deleting activities.

Each action names who does it (``by``), checks that they may, validates everything
(core20.engagement.validation) before saving anything, saves and records an audit event in
one transaction. The page, the JSON API and the offline sync all call these.

``record_activity`` takes the browser's UUID when there is one: the same UUID sent twice
(a retry after a dropped connection) stores one activity and returns it again.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record
from core20.engagement import access
from core20.engagement.models import Activity, SignpostingCount
from core20.engagement.validation import clean_activity
from core20.network.models import Connector

AUDITED = (
    "date",
    "kind",
    "venue",
    "place",
    "lsoa",
    "imd_decile",
    "core20",
    "deprivation_edition",
    "people_reached",
    "breakdown",
    "mecc_conversations",
    "case_finding",
    "languages",
    "partners",
    "notes",
)
UUID_TAKEN = "This activity was already recorded by someone else. Record it again as new."


def _state(activity: Activity, areas=None, groups=None, signposting=None) -> dict:
    data = {name: getattr(activity, name) for name in AUDITED}
    data["date"] = activity.date.isoformat() if activity.date else None
    data["kind"] = activity.get_kind_display()
    if areas is None and activity.pk:
        areas = activity.clinical_areas.all()
        groups = activity.communities.all()
    data["clinical_areas"] = sorted(a.code for a in areas or [])
    data["communities"] = sorted(g.code for g in groups or [])
    if signposting is None and activity.pk:
        signposting = {c.service: c.count for c in activity.signposting.select_related("service")}
    data["signposting"] = {str(s): n for s, n in sorted((signposting or {}).items(), key=str)}
    return data


def _apply(activity: Activity, cleaned: dict) -> tuple[list, list, dict]:
    areas = cleaned.pop("clinical_areas")
    groups = cleaned.pop("communities")
    signposting = cleaned.pop("signposting")
    for name, value in cleaned.items():
        setattr(activity, name, value)
    return areas, groups, signposting


def _save_signposting(activity: Activity, signposting: dict) -> None:
    activity.signposting.all().delete()
    SignpostingCount.objects.bulk_create(
        SignpostingCount(activity=activity, service=service, count=count)
        for service, count in signposting.items()
    )


def record_activity(
    *, by, site, data: Mapping, uuid: uuidlib.UUID | str | None = None
) -> tuple[Activity, bool]:
    """Store a new activity at ``site`` recorded by ``by``; (activity, created).

    With a ``uuid`` already stored for this person's activity, nothing changes and that
    activity is returned with created=False."""
    if not access.can_record(by, site):
        raise PermissionDenied(*access.why_not(by, site)[:1])
    if uuid is not None:
        uuid = uuidlib.UUID(str(uuid))
        existing = Activity.objects.filter(uuid=uuid).first()
        if existing is not None:
            return _same_submission(by, existing, site)
    cleaned = clean_activity(data, site=site)
    activity = Activity(
        site=site,
        recorded_by=by,
        connector=Connector.objects.filter(site=site, user=by).order_by("pk").first(),
        uuid=uuid or uuidlib.uuid4(),
    )
    areas, groups, signposting = _apply(activity, cleaned)
    try:
        with transaction.atomic():
            activity.save()
            activity.clinical_areas.set(areas)
            activity.communities.set(groups)
            _save_signposting(activity, signposting)
            record(
                actor=by,
                verb=AuditEvent.Verb.CREATE,
                obj=activity,
                site=site,
                changes={
                    k: [None, v]
                    for k, v in _state(activity, areas, groups, signposting).items()
                    if v
                },
                summary=f"Recorded {activity}",
            )
    except IntegrityError:
        # The same UUID arrived twice at once (two tabs syncing): the other one won.
        existing = Activity.objects.filter(uuid=activity.uuid).first()
        if existing is None:
            raise
        return _same_submission(by, existing, site)
    return activity, True


def _same_submission(by, existing: Activity, site) -> tuple[Activity, bool]:
    if existing.recorded_by_id != by.pk or existing.site_id != getattr(site, "pk", site):
        raise ValidationError({"uuid": [UUID_TAKEN]})
    return existing, False


def update_activity(*, by, activity: Activity, data: Mapping) -> Activity:
    if not access.can_edit(by, activity):
        raise PermissionDenied
    cleaned = clean_activity(data, site=activity.site)
    before = _state(activity)
    areas, groups, signposting = _apply(activity, cleaned)
    with transaction.atomic():
        activity.save()
        activity.clinical_areas.set(areas)
        activity.communities.set(groups)
        _save_signposting(activity, signposting)
        changes = diff(before, _state(activity, areas, groups, signposting))
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=activity,
            site=activity.site,
            changes=changes,
            summary=f"Changed {activity}",
        )
    return activity


def delete_activity(*, by, activity: Activity) -> None:
    if not access.can_edit(by, activity):
        raise PermissionDenied
    with transaction.atomic():
        record(
            actor=by,
            verb=AuditEvent.Verb.DELETE,
            obj=activity,
            site=activity.site,
            changes={k: [v, None] for k, v in _state(activity).items() if v},
            summary=f"Deleted {activity}",
        )
        activity.delete()
