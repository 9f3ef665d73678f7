"""Programme actions: create and edit waves, sites and organisations.

Each action names who does it (``by``), checks that they may, validates the whole record
(``full_clean`` plus the many-to-many rules), saves it and records one audit event with
the field changes, all in one transaction: a change and its audit event are stored
together or not at all, and a validation error leaves nothing half-saved.

``data`` maps field names to values (model instances, or lists of them for
many-to-many fields), as a form's ``cleaned_data`` gives them. Only the fields in
``data`` are changed. A ``ValidationError`` raised here has a message per field, so the
pages can show it next to the field.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.programme.models import (
    ClinicalArea,
    Organisation,
    PlusGroup,
    Programme,
    Site,
    SiteOrganisation,
    Wave,
)

WAVE_FIELDS = (
    "number",
    "name",
    "period",
    "status",
    "summary",
    "eois_received",
    "selection_note",
)

ORGANISATION_FIELDS = (
    "name",
    "slug",
    "kind",
    "description",
    "website",
    "charity_number",
    "ods_code",
    "contact_email",
)

# What a site's own lead may change: how the site describes its work.
SITE_LEAD_FIELDS = (
    "local_name",
    "place",
    "summary",
    "detail",
    "focus_areas",
    "communities",
    "communities_note",
    "geography_types",
    "target_places",
    "delivery_model",
    "internal_notes",
    "contact_email",
)

# Everything, for national admins: also where the site sits in the programme and the NHS.
SITE_FIELDS = (
    "wave",
    "name",
    "slug",
    "kind",
    "status",
    "published",
    "regions",
    "icbs",
    *SITE_LEAD_FIELDS,
    "source",
)

# Not a model field: the site's organisations and their roles, as (organisation, role) pairs.
SITE_ORGANISATIONS = "organisations"

SITE_M2M_FIELDS = ("regions", "icbs", "focus_areas", "communities")


# ---- helpers ----


def _readable(instance: Model, fields: Iterable[str]) -> dict:
    """A snapshot for the audit log, with choices as their labels ("Delivering", not
    "delivering")."""
    data = snapshot(instance, fields)
    for name in fields:
        field = instance._meta.get_field(name)
        if field.choices and not field.many_to_many:
            data[name] = getattr(instance, f"get_{name}_display")()
    return data


def _created(after: Mapping) -> dict:
    """The changes for a new record: every field given a value, as [None, value]."""
    return {k: [None, v] for k, v in after.items() if v not in (None, "", [])}


def _check_fields(data: Mapping, allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def _assign(instance: Model, data: Mapping, m2m: Iterable[str]) -> dict:
    """Set the plain fields on ``instance``; return the many-to-many values to set after saving."""
    later = {}
    for name, value in data.items():
        if name in m2m or name == SITE_ORGANISATIONS:
            later[name] = list(value or [])
        else:
            setattr(instance, name, value)
    return later


def _full_clean(instance: Model, extra_errors: Mapping | None = None) -> None:
    """Validate the instance; raise one ValidationError with every field's messages."""
    errors: dict[str, list] = {}
    try:
        instance.full_clean()
    except ValidationError as exc:
        errors.update(exc.update_error_dict({}))
    for name, messages in (extra_errors or {}).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _fill_slug(data: dict, instance: Model) -> None:
    """A blank web address is made from the name."""
    if data.get("slug"):
        data["slug"] = data["slug"].strip().lower()
        return
    if "slug" in data or not instance.slug:
        name = data.get("name", instance.name) or ""
        data["slug"] = slugify(name)[: instance._meta.get_field("slug").max_length].strip("-")


# ---- waves ----


@transaction.atomic
def create_wave(*, programme: Programme, data: Mapping, by) -> Wave:
    require_permission(by, Permission.PROGRAMME_MANAGE)
    _check_fields(data, WAVE_FIELDS)
    wave = Wave(programme=programme)
    _assign(wave, data, ())
    _full_clean(wave)
    wave.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=wave,
        changes=_created(_readable(wave, WAVE_FIELDS)),
        summary=f"{programme}: {wave}",
    )
    return wave


@transaction.atomic
def update_wave(*, wave: Wave, data: Mapping, by) -> Wave:
    require_permission(by, Permission.PROGRAMME_MANAGE)
    _check_fields(data, WAVE_FIELDS)
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    before = _readable(wave, WAVE_FIELDS)
    _assign(wave, data, ())
    _full_clean(wave)
    changes = diff(before, _readable(wave, WAVE_FIELDS))
    if changes:
        wave.save()
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=wave, changes=changes)
    return wave


# ---- organisations ----


@transaction.atomic
def create_organisation(*, data: Mapping, by) -> Organisation:
    require_permission(by, Permission.ORGANISATION_MANAGE)
    _check_fields(data, ORGANISATION_FIELDS)
    organisation = Organisation()
    data = dict(data)
    _fill_slug(data, organisation)
    _assign(organisation, data, ())
    _full_clean(organisation)
    organisation.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=organisation,
        changes=_created(_readable(organisation, ORGANISATION_FIELDS)),
    )
    return organisation


@transaction.atomic
def update_organisation(*, organisation: Organisation, data: Mapping, by) -> Organisation:
    require_permission(by, Permission.ORGANISATION_MANAGE)
    _check_fields(data, ORGANISATION_FIELDS)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = _readable(organisation, ORGANISATION_FIELDS)
    data = dict(data)
    _fill_slug(data, organisation)
    _assign(organisation, data, ())
    _full_clean(organisation)
    changes = diff(before, _readable(organisation, ORGANISATION_FIELDS))
    if changes:
        organisation.save()
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=organisation, changes=changes)
    return organisation


# ---- sites ----


def _site_snapshot(site: Site) -> dict:
    data = _readable(site, SITE_FIELDS)
    data[SITE_ORGANISATIONS] = (
        sorted(
            f"{link.organisation} ({link.get_role_display()})"
            for link in site.site_organisations.select_related("organisation")
        )
        if site.pk
        else []
    )
    return data


def _m2m_errors(site: Site, m2m: Mapping) -> dict[str, list[str]]:
    """The rules full_clean cannot check: the many-to-many fields and organisations."""
    errors: dict[str, list[str]] = {}
    if "regions" in m2m and not m2m["regions"]:
        errors["regions"] = ["Choose at least one NHS region"]
    if "icbs" in m2m:
        icbs = m2m["icbs"]
        if not icbs:
            errors["icbs"] = ["Choose at least one ICB"]
        elif "regions" in m2m or site.pk:
            regions = m2m["regions"] if "regions" in m2m else list(site.regions.all())
            region_ids = {r.pk for r in regions}
            if region_ids:
                for icb in icbs:
                    if icb.region_id not in region_ids:
                        errors.setdefault("icbs", []).append(
                            f"{icb.name} is in the {icb.region} region. Choose that region "
                            "too, or untick this ICB."
                        )
    for name, model in (("focus_areas", ClinicalArea), ("communities", PlusGroup)):
        for item in m2m.get(name, []):
            if not isinstance(item, model):
                raise ValueError(f"{name} must be {model.__name__} objects")
            if item.site_id is not None and item.site_id != site.pk:
                errors.setdefault(name, []).append(
                    f"“{item}” is another site's own priority. Choose from this site's list."
                )
    seen = set()
    for organisation, role in m2m.get(SITE_ORGANISATIONS, []):
        if role not in SiteOrganisation.Role.values:
            errors.setdefault(SITE_ORGANISATIONS, []).append(
                f"Choose a role for {organisation} from the list."
            )
        elif (organisation.pk, role) in seen:
            label = SiteOrganisation.Role(role).label
            errors.setdefault(SITE_ORGANISATIONS, []).append(
                f"{organisation} is listed twice as {label.lower()}. Remove one of them."
            )
        seen.add((organisation.pk, role))
    return errors


def _save_site_relations(site: Site, m2m: Mapping) -> None:
    for name in SITE_M2M_FIELDS:
        if name in m2m:
            getattr(site, name).set(m2m[name])
    if SITE_ORGANISATIONS in m2m:
        wanted = {(o.pk, role) for o, role in m2m[SITE_ORGANISATIONS]}
        existing = {
            (link.organisation_id, link.role): link for link in site.site_organisations.all()
        }
        for key, link in existing.items():
            if key not in wanted:
                link.delete()
        for organisation_id, role in sorted(wanted - set(existing)):
            SiteOrganisation.objects.create(site=site, organisation_id=organisation_id, role=role)


def may_edit_everything(user) -> bool:
    """National admins edit every field of every site; site leads only their site's
    descriptive fields (SITE_LEAD_FIELDS)."""
    return has_permission(user, Permission.SITE_EDIT)


@transaction.atomic
def create_site(*, data: Mapping, by) -> Site:
    require_permission(by, Permission.SITE_CREATE)
    _check_fields(data, (*SITE_FIELDS, SITE_ORGANISATIONS))
    site = Site()
    data = dict(data)
    _fill_slug(data, site)
    m2m = _assign(site, data, SITE_M2M_FIELDS)
    m2m.setdefault("regions", [])
    m2m.setdefault("icbs", [])
    _full_clean(site, _m2m_errors(site, m2m))
    site.save()
    _save_site_relations(site, m2m)
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=site,
        site=site,
        changes=_created(_site_snapshot(site)),
    )
    return site


@transaction.atomic
def update_site(*, site: Site, data: Mapping, by) -> Site:
    """Site leads may change only SITE_LEAD_FIELDS of their own site; national admins
    anything. Asking to change another field without the right raises PermissionDenied."""
    require_permission(by, Permission.SITE_EDIT, site=site)
    _check_fields(data, (*SITE_FIELDS, SITE_ORGANISATIONS))
    if set(data) - set(SITE_LEAD_FIELDS) and not may_edit_everything(by):
        raise PermissionDenied
    site = Site.objects.select_for_update().get(pk=site.pk)
    before = _site_snapshot(site)
    data = dict(data)
    if "slug" in data:
        _fill_slug(data, site)
    m2m = _assign(site, data, SITE_M2M_FIELDS)
    _full_clean(site, _m2m_errors(site, m2m))
    site.save()
    _save_site_relations(site, m2m)
    changes = diff(before, _site_snapshot(site))
    if changes:
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=site, site=site, changes=changes)
    return site
