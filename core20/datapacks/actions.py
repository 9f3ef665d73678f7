"""Data pack actions: start generating a new version, and publish a version.

Both need DATA_PACK_PUBLISH for the pack's site (site leads for their site; national
admins), validate before saving, and record an audit event in the same transaction.
Publishing re-checks every count in the pack against disclosure control and refuses, with a
message naming each unsafe figure, a pack that is not safe; it also compares the pack with
the site's other published packs (``across``) and hides what could be worked out from them.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.datapacks import across
from core20.datapacks.areas import find_area
from core20.datapacks.disclosure import check_protected
from core20.datapacks.models import DataPack

CONTACT_MAX_LENGTH = 200
# A UK number once spaces, hyphens and brackets are gone and +44 (or 0044) is written as 0:
# 0 and 9 or 10 more digits (landlines, mobiles, 0300 and 0800 numbers).
_UK_PHONE = re.compile(r"0\d{9,10}")
_PHONE_LIKE = re.compile(r"[\d\s()+\-]+")


def _is_uk_phone(number: str) -> bool:
    digits = re.sub(r"[\s\-]", "", number)
    digits = re.sub(r"^(?:\+44|0044)(?:\(0\))?", "0", digits)
    return bool(_UK_PHONE.fullmatch(digits.replace("(", "").replace(")", "")))


def contact_error(contact: str) -> str | None:
    """Why a public contact cannot be printed in a pack, or None when it can. The pack tells
    its readers how to get in touch, so the contact must be one of: an email address, a UK
    phone number or a web address starting https:// (blank is allowed: no contact)."""
    contact = (contact or "").strip()
    if not contact:
        return None
    if len(contact) > CONTACT_MAX_LENGTH:
        return f"Public contact must be {CONTACT_MAX_LENGTH} characters or fewer"
    lowered = contact.lower()
    if lowered.startswith(("http:", "https:", "www.")):
        if not lowered.startswith("https://"):
            return (
                "Enter a web address that starts with https://, like "
                "https://www.example.org/get-involved"
            )
        try:
            URLValidator(schemes=["https"])(contact)
        except ValidationError:
            return (
                "Enter a web address in the correct format, like "
                "https://www.example.org/get-involved"
            )
        return None
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            return "Enter an email address in the correct format, like team@example.org"
        return None
    if _PHONE_LIKE.fullmatch(contact):
        if _is_uk_phone(contact):
            return None
        return "Enter a UK phone number, like 01632 960 001 or +44 1632 960 001"
    return "Enter an email address, a UK phone number or a web address starting https://"


def start_generation(*, site, by, area_code: str = "", contact: str = "") -> DataPack:
    """Create the next version of the site's pack (or of one of its areas': a target ward,
    or its target areas in one ward or district, ``areas.pack_areas``) and queue its
    generation as a background task."""
    from core20.datapacks.tasks import generate_pack_task

    require_permission(by, Permission.DATA_PACK_PUBLISH, site=site)
    area_code = (area_code or "").strip().upper()
    contact = (contact or "").strip()
    area_name = area_kind = ""
    if area_code:
        area = find_area(site, area_code)
        if area is None:
            raise ValidationError(
                {
                    "area": f"{area_code} is not one of {site.name}'s target wards, nor a ward "
                    "or local authority district its target areas are in"
                }
            )
        area_name, area_kind = area.name, area.kind
    problem = contact_error(contact)
    if problem:
        raise ValidationError({"contact": problem})
    with transaction.atomic():
        # Lock the site's packs so two generations cannot take the same version number.
        latest = (
            DataPack.objects.select_for_update()
            .filter(site=site, area_code=area_code)
            .aggregate(v=Max("version"))["v"]
        )
        pack = DataPack.objects.create(
            site=site,
            area_code=area_code,
            area_name=area_name,
            area_kind=area_kind,
            version=(latest or 0) + 1,
            contact=contact,
            generated_by=by,
            phase="Waiting to start",
        )
        record(
            actor=by,
            verb=AuditEvent.Verb.CREATE,
            obj=pack,
            site=site,
            summary=f"Started generating data pack version {pack.version}",
        )
    result = generate_pack_task.enqueue(pack.pk)
    DataPack.objects.filter(pk=pack.pk).update(task_id=str(result.id)[:100])
    pack.refresh_from_db()
    return pack


def publish(*, pack: DataPack, by) -> DataPack:
    """Publish a generated version: the public can then see it. Refuses a version that is
    not ready (still generating, failed, or already published) and one holding any count
    that has not passed disclosure control (UnprotectedFigures, naming each). Counts that
    could be worked out from the site's other published packs are hidden first, and a pack
    whose area differs from a published pack's by only a few people is refused
    (``across``); the pack's ``content["across_packs"]`` then names the packs concerned."""
    require_permission(by, Permission.DATA_PACK_PUBLISH, site=pack.site)
    with transaction.atomic():
        # Lock all the site's packs: two packs published at once must each be compared with
        # the other (disclosure control across packs).
        site_packs = {
            p.pk: p
            for p in DataPack.objects.select_for_update()
            .select_related("site")
            .filter(site_id=pack.site_id)
            .order_by("pk")
        }
        pack = site_packs[pack.pk]
        if pack.status == DataPack.Status.PUBLISHED:
            raise ValidationError("This version is already published")
        if pack.status != DataPack.Status.READY:
            raise ValidationError(
                f"Only a generated pack can be published; this one is "
                f"“{pack.get_status_display().lower()}”"
            )
        check_protected(pack.content)
        others = [p for p in site_packs.values() if p.is_published and p.pk != pack.pk]
        checked = across.check(pack, others)
        checked.raise_if_refused()
        check_protected(checked.content)
        summary = f"Published data pack version {pack.version}"
        if checked.hidden:
            titles = ", ".join(
                f"“{across.pack_title(o)}” (version {o.version})" for o in checked.others
            )
            summary += (
                f"; hid {len(checked.hidden)} figure{'s' if len(checked.hidden) != 1 else ''} "
                f"that could be worked out from the published {titles} pack"
                f"{'s' if len(checked.others) != 1 else ''}"
            )
        pack.content = checked.content
        pack.status = DataPack.Status.PUBLISHED
        pack.published_at = timezone.now()
        pack.published_by = by
        pack.save(update_fields=["content", "status", "published_at", "published_by"])
        record(actor=by, verb=AuditEvent.Verb.PUBLISH, obj=pack, site=pack.site, summary=summary)
    return pack
