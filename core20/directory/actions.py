"""Changing the service directory: adding, changing and removing services, and importing and
exporting Open Referral UK files. Every write takes the actor (``by=``), checks
DIRECTORY_MANAGE for the directory it touches (a site's, or the national one), and records an
audit event in the same transaction, so that a refusal or a mistake leaves nothing behind.

Who manages what: site leads and host coordinators their own site's directory; national
admins every site's and the national one (services with no site).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.directory import oruk, queries
from core20.directory.models import (
    Contact,
    Location,
    Organization,
    Phone,
    Service,
    ServiceAtLocation,
    Taxonomy,
    new_oruk_id,
)
from core20.places.models import LocalAuthorityDistrict, Postcode, Ward, normalise_postcode
from core20.programme.models import ClinicalArea, PlusGroup

SERVICE_FIELDS = (
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "eligibility",
    "minimum_age",
    "maximum_age",
    "languages",
    "clinical_areas",
    "communities",
    "wards",
    "lads",
    "referral_routes",
    "referral_details",
    "referral_url",
    "published",
)
# Form-only fields: the organisation (by name), one address and one phone number.
ORGANIZATION_NAME = "organization_name"
ADDRESS_FIELDS = ("address_1", "city", "postal_code")
PHONE = "phone"
M2M = ("clinical_areas", "communities", "wards", "lads")


def can_manage(user, site) -> bool:
    """May ``user`` change the directory of ``site`` (None: the national directory)?"""
    if site is None:
        return has_permission(user, Permission.DIRECTORY_MANAGE)
    return has_permission(user, Permission.DIRECTORY_MANAGE, site=site)


def _require(user, site) -> None:
    if not can_manage(user, site):
        raise PermissionDenied


def _readable(service: Service) -> dict:
    data = snapshot(service, SERVICE_FIELDS)
    data["organization"] = str(service.organization)
    return data


def place_for_postcode(postcode: str) -> dict:
    """The ward, district and LSOA of a postcode, where the postcode directory has it."""
    found = locate_postcodes([postcode])
    return found.get(normalise_postcode(postcode), {})


def locate_postcodes(postcodes: Iterable[str]) -> dict[str, dict]:
    """{normalised postcode: {"ward": Ward|None, "lad": LAD|None, "lsoa_code": str}} for the
    postcodes the loaded postcode directory knows (three queries however many)."""
    codes = {normalise_postcode(p) for p in postcodes if p}
    if not codes:
        return {}
    rows = list(
        Postcode.objects.filter(code__in=codes).values(
            "code", "ward_code", "lad_code", "lsoa21_code", "lsoa11_code"
        )
    )
    wards = {w.code: w for w in Ward.objects.filter(code__in={r["ward_code"] for r in rows})}
    lads = {
        d.code: d
        for d in LocalAuthorityDistrict.objects.filter(code__in={r["lad_code"] for r in rows})
    }
    return {
        r["code"]: {
            "ward": wards.get(r["ward_code"]),
            "lad": lads.get(r["lad_code"]),
            "lsoa_code": r["lsoa21_code"] or r["lsoa11_code"],
        }
        for r in rows
    }


def _set_place(location: Location, found: Mapping) -> None:
    place = found.get(normalise_postcode(location.postal_code), {})
    location.ward = place.get("ward")
    location.lad = place.get("lad")
    location.lsoa_code = place.get("lsoa_code", "")


# ---- services made and changed here ----


def _check_fields(data: Mapping) -> None:
    unknown = set(data) - {*SERVICE_FIELDS, ORGANIZATION_NAME, *ADDRESS_FIELDS, PHONE}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def _organization(site, name: str) -> Organization:
    """The organisation of that name in the site's directory (or a national one), made if
    there is none."""
    name = name.strip()
    found = None
    if site is not None:
        found = Organization.objects.filter(site=site, name__iexact=name).first()
    if found is None:
        found = Organization.objects.filter(site__isnull=True, name__iexact=name).first()
    return found or Organization.objects.create(site=site, name=name)


def _validate(service: Service, data: Mapping) -> None:
    errors: dict[str, list[str]] = {}
    if ORGANIZATION_NAME in data and not (data[ORGANIZATION_NAME] or "").strip():
        errors[ORGANIZATION_NAME] = ["Enter the name of the organisation that runs the service"]
    try:
        service.full_clean(exclude=["organization", "oruk_id", "site"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    for key, messages in rule_errors(
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        referral_routes=service.referral_routes,
        referral_url=service.referral_url,
    ).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def rule_errors(
    *, minimum_age: int | None, maximum_age: int | None, referral_routes: list, referral_url: str
) -> dict[str, list[str]]:
    """The rules a service's fields must keep together, by field: the service form shows
    them with its other errors, and every write checks them."""
    errors: dict[str, list[str]] = {}
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        errors["maximum_age"] = ["The maximum age must be the same as or more than the minimum age"]
    if any(r not in Service.ReferralRoute.values for r in referral_routes):
        errors["referral_routes"] = ["Choose referral routes from the list"]
    if Service.ReferralRoute.FORM in referral_routes and not referral_url:
        errors["referral_url"] = [
            "Enter the address of the online referral form, or untick “Online referral form”"
        ]
    return errors


def _save_extras(service: Service, data: Mapping) -> None:
    """The form's one address and one phone number (kept as ORUK location and contact)."""
    if any(k in data for k in ADDRESS_FIELDS):
        address = {k: (data.get(k) or "").strip() for k in ADDRESS_FIELDS}
        address["postal_code"] = address["postal_code"].upper()
        link = service.at_locations.select_related("location").first()
        if any(address.values()):
            location = link.location if link else Location(site=service.site)
            for key, value in address.items():
                setattr(location, key, value)
            _set_place(location, locate_postcodes([location.postal_code]))
            location.save()
            if link is None:
                ServiceAtLocation.objects.create(service=service, location=location)
        elif link is not None:
            link.delete()
    if PHONE in data:
        number = (data[PHONE] or "").strip()
        phone = Phone.objects.filter(contact__service=service).first()
        if number and phone is None:
            contact = service.contacts.first() or Contact.objects.create(service=service)
            Phone.objects.create(contact=contact, number=number)
        elif number:
            phone.number = number
            phone.save(update_fields=["number"])
        elif phone is not None:
            phone.delete()


def _apply(service: Service, data: Mapping) -> dict:
    data = dict(data)
    relations = {name: data.pop(name) for name in M2M if name in data}
    for name in (ORGANIZATION_NAME, *ADDRESS_FIELDS, PHONE):
        data.pop(name, None)
    for name, value in data.items():
        setattr(service, name, value)
    return relations


@transaction.atomic
def create_service(*, site, data: Mapping, by) -> Service:
    """Add a service to ``site``'s directory (None: the national directory)."""
    _require(by, site)
    _check_fields(data)
    service = Service(site=site)
    relations = _apply(service, data)
    _validate(service, data)
    service.organization = _organization(site, data.get(ORGANIZATION_NAME, ""))
    service.save()
    for name, values in relations.items():
        getattr(service, name).set(values)
    _save_extras(service, data)
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=service,
        site=site,
        changes={k: [None, v] for k, v in _readable(service).items() if v not in (None, "", [])},
    )
    return service


@transaction.atomic
def update_service(*, service: Service, data: Mapping, by) -> Service:
    _require(by, service.site)
    _check_fields(data)
    service = Service.objects.select_for_update().get(pk=service.pk)
    before = _readable(service)
    relations = _apply(service, data)
    _validate(service, data)
    if ORGANIZATION_NAME in data and data[ORGANIZATION_NAME].strip() != service.organization.name:
        service.organization = _organization(service.site, data[ORGANIZATION_NAME])
    service.save()
    for name, values in relations.items():
        getattr(service, name).set(values)
    _save_extras(service, data)
    changes = diff(before, _readable(service))
    record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=service, site=service.site, changes=changes)
    return service


@transaction.atomic
def delete_service(*, service: Service, by) -> None:
    """Remove a service (its contacts and links to locations go with it; locations and the
    organisation stay, as other services may use them). A service that activities have
    signposted people to is kept, so that their counts keep their meaning: mark it defunct
    instead (ValidationError)."""
    _require(by, service.site)
    before = {k: v for k, v in _readable(service).items() if v not in (None, "", [])}
    label, pk, site = str(service), service.pk, service.site
    try:
        with transaction.atomic():
            service.delete()
    except ProtectedError:
        raise ValidationError(
            "Activities have signposted people to this service, so it cannot be removed. "
            "Change its status to defunct instead: it will no longer be listed."
        ) from None
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        object_type="directory.Service",
        object_id=pk,
        object_label=label,
        site=site,
        changes={k: [v, None] for k, v in before.items()},
    )


# ---- Open Referral UK ----


@dataclass
class ImportResult:
    format: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # in the file, already as it says
    event_id: int | None = None  # the import's audit event: its result page's id

    @property
    def count(self) -> int:
        return len(self.created) + len(self.updated)

    def describe(self) -> str:
        """What the import did, for people: "Already up to date: 2 services unchanged" or
        "1 service added, 1 updated, 3 unchanged" (parts that are none are left out)."""
        if not self.created and not self.updated:
            n = len(self.unchanged)
            return f"Already up to date: {n} service{'s' if n != 1 else ''} unchanged"
        parts = [
            (len(self.created), "added"),
            (len(self.updated), "updated"),
            (len(self.unchanged), "unchanged"),
        ]
        said = [(n, verb) for n, verb in parts if n]
        first_n, first_verb = said[0]
        return ", ".join(
            [f"{first_n} service{'s' if first_n != 1 else ''} {first_verb}"]
            + [f"{n} {verb}" for n, verb in said[1:]]
        )


def _scope_errors(
    model, ids: Mapping[str, str], site, what: str, *, allow_national=False
) -> list[str]:
    """Ids already used by another directory's records (an id is never taken over), in the
    order of the file. ``ids``: each id and where it is in the file."""
    site_id = getattr(site, "pk", None)
    errors = []
    used = dict(model.objects.filter(oruk_id__in=set(ids)).values_list("oruk_id", "site_id"))
    for oruk_id in ids:
        if oruk_id not in used:
            continue
        owner = used[oruk_id]
        if owner == site_id or (allow_national and owner is None):
            continue
        where = "the national directory" if owner is None else "another site's directory"
        errors.append(
            f"{ids[oruk_id]}: the {what} id “{oruk_id}” is already used in {where}. Change "
            "the id, or ask who manages that directory."
        )
    return errors


def _first_places(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{id: where it first appears in the file}."""
    found: dict[str, str] = {}
    for oruk_id, where in pairs:
        if oruk_id:
            found.setdefault(oruk_id, where)
    return found


def _tag_lookup(items: list[oruk.ServiceData], site) -> tuple[dict, list[str]]:
    wanted: dict[str, set[str]] = {v: set() for v in oruk.TAG_VOCABULARIES}
    for item in items:
        for vocabulary, codes in item.tags.items():
            wanted[vocabulary].update(codes)
    own = Q(site__isnull=True) | Q(site=site) if site is not None else Q(site__isnull=True)
    found = {
        oruk.CLINICAL_AREA: {
            a.code: a for a in ClinicalArea.objects.filter(own, code__in=wanted[oruk.CLINICAL_AREA])
        },
        oruk.COMMUNITY: {
            g.code: g for g in PlusGroup.objects.filter(own, code__in=wanted[oruk.COMMUNITY])
        },
        oruk.WARD: {w.code: w for w in Ward.objects.filter(code__in=wanted[oruk.WARD])},
        oruk.LAD: {
            d.code: d for d in LocalAuthorityDistrict.objects.filter(code__in=wanted[oruk.LAD])
        },
    }
    labels = {
        oruk.CLINICAL_AREA: "clinical area",
        oruk.COMMUNITY: "community",
        oruk.WARD: "ward",
        oruk.LAD: "local authority district",
    }
    errors = []
    for item in items:
        for vocabulary, codes in item.tags.items():
            for code in codes:
                if code not in found[vocabulary]:
                    errors.append(
                        f"{item.where[vocabulary, code]}: “{code}” is not a "
                        f"{labels[vocabulary]} this directory knows ({vocabulary}:{code})."
                    )
    return found, errors


def _content(service: Service, item: oruk.ServiceData, parts: oruk.ServiceParts) -> dict:
    """What a service holds, to tell whether an import changed it: its ORUK document, its
    published state and where its locations are. The ids of contacts, phones and location
    links that the file leaves out (and the import makes up) are left out too, and tags are
    compared as a set (the database lists them in its own order, a file in the file's)."""
    doc = oruk.service_document(service, parts)
    for contact, given in zip(doc["contacts"], item.contacts, strict=False):
        if not given["id"]:
            contact.pop("id")
        for phone, given_phone in zip(contact["phones"], given["phones"], strict=False):
            if not given_phone["id"]:
                phone.pop("id")
    for link, given in zip(doc["service_at_locations"], item.locations, strict=False):
        if not given.link_id:
            link.pop("id")
    doc["service_taxonomys"].sort(key=lambda link: link["id"])
    doc["published"] = service.published
    doc["places"] = [
        (location.ward_id, location.lad_id, location.lsoa_code) for _, location in parts.locations
    ]
    return doc


@transaction.atomic
def import_oruk(*, site, uploads: list[oruk.Upload], publish: bool, by) -> ImportResult:
    """Import ORUK services into ``site``'s directory (None: national). All or nothing:
    every problem is reported (OrukError) and nothing is written unless there are none.
    Idempotent: records are matched by their ORUK ids, so importing a file again changes
    nothing (services already as the file says are counted as unchanged), and importing a
    newer one updates what it describes (contacts, languages, locations and tags are
    replaced by the file's). Services not in the file are kept.
    ``publish`` publishes every imported service; otherwise new ones start unpublished and
    existing ones keep their state."""
    _require(by, site)
    # Every problem is found in one go: the file's own, then ids other directories use and
    # tags this directory does not know.
    items, fmt, errors = oruk.read_services(uploads)
    if not items and not errors:
        raise oruk.OrukError(["The file holds no services."])
    errors += _scope_errors(
        Service, _first_places((i.id, i.where["id"]) for i in items), site, "service"
    )
    errors += _scope_errors(
        Organization,
        _first_places((i.organization["id"], i.where["organization.id"]) for i in items),
        site,
        "organisation",
        allow_national=True,
    )
    errors += _scope_errors(
        Location,
        _first_places((loc.id, loc.where) for i in items for loc in i.locations),
        site,
        "location",
    )
    tags, tag_errors = _tag_lookup(items, site)
    errors += tag_errors
    if errors:
        raise oruk.OrukError(errors)

    result = ImportResult(format=fmt)
    places = locate_postcodes(loc.postal_code for i in items for loc in i.locations)
    existing = {s.oruk_id: s for s in Service.objects.filter(oruk_id__in=[i.id for i in items])}
    # What each existing service held before this import, to count the ones it leaves as
    # they were: those are written and then rolled back to their savepoint, so that an
    # identical file changes nothing at all (not even when they were last updated).
    items_by_id = {item.id: item for item in items}
    before = {
        s.pk: _content(s, items_by_id[s.oruk_id], oruk.ServiceParts.of(s))
        for s in queries.with_details(
            Service.objects.filter(pk__in=[s.pk for s in existing.values()])
        )
    }
    for item in items:
        savepoint = transaction.savepoint_create()
        org_fields = {k: v for k, v in item.organization.items() if k != "id"}
        org, made = Organization.objects.get_or_create(
            oruk_id=item.organization["id"], defaults={"site": site, **org_fields}
        )
        if not made and org.site_id == getattr(site, "pk", None):
            for key, value in org_fields.items():
                setattr(org, key, value)
            org.save()
        service = existing.get(item.id) or Service(oruk_id=item.id, site=site, published=False)
        is_new = service.pk is None
        for key, value in item.fields.items():
            setattr(service, key, value)
        service.languages = item.languages
        service.organization = org
        if publish:
            service.published = True
        service.save()
        # What is written is kept in hand as it is written, so that telling whether the
        # service changed needs no second read of it.
        written = {
            "clinical_areas": [
                tags[oruk.CLINICAL_AREA][c] for c in item.tags.get(oruk.CLINICAL_AREA, [])
            ],
            "communities": [tags[oruk.COMMUNITY][c] for c in item.tags.get(oruk.COMMUNITY, [])],
            "wards": [tags[oruk.WARD][c] for c in item.tags.get(oruk.WARD, [])],
            "lads": [tags[oruk.LAD][c] for c in item.tags.get(oruk.LAD, [])],
        }
        for name, values in written.items():
            getattr(service, name).set(values)
        terms = {}
        for term in item.taxonomies:
            taxonomy, _ = Taxonomy.objects.update_or_create(
                oruk_id=term["id"],
                defaults={k: term[k] for k in ("name", "vocabulary", "parent")},
            )
            terms[taxonomy.pk] = taxonomy
        service.taxonomies.set(terms.values())
        service.at_locations.all().delete()
        links = []
        for data in item.locations:
            values = {
                k: getattr(data, k)
                for k in (
                    "name",
                    "description",
                    "latitude",
                    "longitude",
                    "address_1",
                    "city",
                    "state_province",
                    "postal_code",
                    "country",
                )
            }
            location = Location.objects.filter(oruk_id=data.id).first() or Location(
                oruk_id=data.id, site=site
            )
            for key, value in values.items():
                setattr(location, key, value)
            _set_place(location, places)
            location.save()
            link = ServiceAtLocation.objects.create(
                service=service, location=location, oruk_id=data.link_id or new_oruk_id()
            )
            links.append((link.oruk_id, location))
        service.contacts.all().delete()
        contacts = []
        for entry in item.contacts:
            contact = Contact.objects.create(
                service=service,
                oruk_id=entry["id"] or new_oruk_id(),
                name=entry["name"],
                title=entry["title"],
            )
            phones = Phone.objects.bulk_create(
                Phone(
                    contact=contact,
                    oruk_id=p["id"] or new_oruk_id(),
                    number=p["number"],
                    language=p["language"],
                )
                for p in entry["phones"]
            )
            contacts.append((contact, phones))
        if is_new:
            result.created.append(item.id)
        elif (
            _content(
                service,
                item,
                oruk.ServiceParts(
                    organization=org,
                    taxonomies=list(terms.values()),
                    contacts=contacts,
                    locations=links,
                    **written,
                ),
            )
            == before[service.pk]
        ):
            transaction.savepoint_rollback(savepoint)
            result.unchanged.append(item.id)
            continue
        else:
            result.updated.append(item.id)
        transaction.savepoint_commit(savepoint)
    names = ", ".join(u.name for u in uploads)
    event = record(
        actor=by,
        verb=AuditEvent.Verb.IMPORT,
        object_type="directory.Service",
        object_label=f"Open Referral UK {fmt.upper()} import ({names})"[:300],
        site=site,
        changes={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "published": publish,
        },
        summary=f"{result.describe()} from {names}",
    )
    result.event_id = event.pk
    return result


def publish_import(
    *, batch: queries.ImportBatch, by, service: Service | None = None
) -> list[Service]:
    """Publish the services an import created that are not yet in the public directory
    (after the site team has checked them). Drafts the import only changed or left as they
    were are not among them: they were drafts before it, perhaps kept so on purpose, and are
    published one at a time by passing ``service`` (one of ``batch.earlier_drafts``). One
    ``publish`` event for what is published, naming the import and the services. Returns
    those published; ValidationError if none is left to publish."""
    _require(by, batch.site)
    if service is not None and service.pk not in {s.pk for s in batch.earlier_drafts}:
        raise ValidationError(
            f"“{service.name}” is not a draft from before this import: nothing was published."
        )
    chosen = [service] if service is not None else batch.new_drafts
    with transaction.atomic():
        services = list(
            Service.objects.select_for_update()
            .filter(pk__in=[s.pk for s in chosen], published=False)
            .order_by("name", "id")
        )
        if not services:
            raise ValidationError(
                f"“{service.name}” is already published."
                if service is not None
                else "Every service this import added is already published."
            )
        Service.objects.filter(pk__in=[s.pk for s in services]).update(
            published=True, updated_at=timezone.now()
        )
        n = len(services)
        record(
            actor=by,
            verb=AuditEvent.Verb.PUBLISH,
            object_type="directory.Service",
            object_label=f"Services from {batch.event.object_label}"[:300],
            site=batch.site,
            changes={
                "import": batch.event.pk,
                "published": [s.oruk_id for s in services],
            },
            summary=(
                f"{n} service{'s' if n != 1 else ''} added by an import published"
                if service is None
                else "1 draft from before an import published"
            ),
        )
    for service in services:
        service.published = True
    return services


def export_oruk(*, site, fmt: str, by) -> bytes:
    """The services of ``site``'s directory (None: the national one) as ORUK JSON or a zip of
    ORUK CSV tables, for the directory's managers; the export is audited."""
    _require(by, site)
    if fmt not in ("json", "csv"):
        raise ValueError(f"unknown format {fmt!r}")
    services = queries.export_queryset(site)
    content = oruk.to_json(services) if fmt == "json" else oruk.to_csv_zip(services)
    with transaction.atomic():
        record(
            actor=by,
            verb=AuditEvent.Verb.EXPORT,
            object_type="directory.Service",
            object_label=f"Open Referral UK {fmt.upper()} export",
            site=site,
            changes={"services": len(services), "format": fmt},
            summary=f"{len(services)} services exported as ORUK {fmt.upper()}",
        )
    return content
