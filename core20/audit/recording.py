"""Write audit events. Call ``record`` inside the same transaction as the change it describes."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.db import models, transaction

from core20.audit.models import AuditEvent


def plain(value):
    """Make a field value JSON-friendly and readable (the log; copies of personal data)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        return [plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict:
    """Field values of ``instance`` as plain data, including many-to-many fields."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = (
                sorted(str(o) for o in getattr(instance, name).all()) if instance.pk else []
            )
        else:
            data[name] = plain(getattr(instance, name))
    return data


def diff(before: Mapping, after: Mapping) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)
    }


def record(
    *,
    actor,
    verb: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int = "",
    object_label: str = "",
    site=None,
    changes: Mapping | None = None,
    summary: str = "",
) -> AuditEvent:
    """Record one event. Must run inside the caller's transaction (atomic) so that the
    change and its audit event are stored together or not at all."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor_id=actor.pk if authenticated else None,
        actor_label=(f"{actor} <{actor.email}>" if authenticated else "System"),
        verb=verb,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_label=object_label[:300],
        site_id=getattr(site, "pk", site),
        site_label=str(site)[:300] if site is not None and not isinstance(site, int) else "",
        changes=dict(changes or {}),
        summary=summary[:500],
    )
