"""Open Referral UK (ORUK, HSDS-UK 1.0) in and out: reading files into checked, plain
records, and writing services back out in the same shapes.

Two shapes are read and written:

- JSON: the API's full "service" object (as ORUK ``/services/{id}`` returns it) with the
  organization, ``service_at_locations`` (each with its ``location`` and its
  ``physical_addresses``), ``contacts`` with ``phones``, ``eligibilitys``, ``languages`` and
  ``service_taxonomys`` nested in it. A file may hold one service, a list of them, or a page
  of them (``{"content": [...]}`` as the ``/services`` list returns).
- CSV: ORUK's tables, one file each (``services.csv``, ``organizations.csv``,
  ``locations.csv``, ``physical_addresses.csv``, ``service_at_locations.csv``,
  ``contacts.csv``, ``phones.csv``, ``eligibilitys.csv``, ``languages.csv``,
  ``taxonomies.csv``, ``service_taxonomys.csv``), separately or in a zip.

CSV tables are turned into the nested JSON shape, remembering the file and row each part came
from, so that one checker serves both and every problem names its file, row and column (or,
in JSON, the service and field).

Our own tags travel as ORUK taxonomy terms in vocabularies of our own (clinical areas,
communities, wards and local authority districts, by code), and the referral route as three
extra service fields (``core20_referral_routes``, ``core20_referral_details``,
``core20_referral_url``): other ORUK readers ignore both, and export→import keeps them.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from core20.directory.models import Service

# Vocabularies our tags travel in; a term's id is "<vocabulary>:<code>".
CLINICAL_AREA = "core20-clinical-area"
COMMUNITY = "core20-community"
WARD = "core20-ward"
LAD = "core20-lad"
TAG_VOCABULARIES = (CLINICAL_AREA, COMMUNITY, WARD, LAD)

# Files: the most an upload may hold, and the most a zip may expand to.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_ERRORS = 50

SERVICE_FIELDS = (
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "deliverable_type",
    "assured_date",
    "attending_type",
    "attending_access",
    "core20_referral_routes",
    "core20_referral_details",
    "core20_referral_url",
)
TABLES: dict[str, tuple[str, ...]] = {
    "services.csv": SERVICE_FIELDS,
    "organizations.csv": ("id", "name", "description", "email", "url", "logo", "uri"),
    "locations.csv": ("id", "name", "description", "latitude", "longitude"),
    "physical_addresses.csv": (
        "id",
        "location_id",
        "address_1",
        "city",
        "state_province",
        "postal_code",
        "country",
    ),
    "service_at_locations.csv": ("id", "service_id", "location_id"),
    "contacts.csv": ("id", "service_id", "name", "title"),
    "phones.csv": ("id", "contact_id", "number", "language"),
    "eligibilitys.csv": ("id", "service_id", "eligibility", "minimum_age", "maximum_age"),
    "languages.csv": ("id", "service_id", "language"),
    "taxonomies.csv": ("id", "name", "vocabulary", "parent"),
    "service_taxonomys.csv": ("id", "service_id", "taxonomy_id"),
}
# The columns a table cannot do without.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "services.csv": ("id", "organization_id", "name"),
    "organizations.csv": ("id", "name"),
    "locations.csv": ("id",),
    "physical_addresses.csv": ("location_id",),
    "service_at_locations.csv": ("service_id", "location_id"),
    "contacts.csv": ("service_id",),
    "phones.csv": ("contact_id", "number"),
    "eligibilitys.csv": ("service_id",),
    "languages.csv": ("service_id", "language"),
    "taxonomies.csv": ("id", "name"),
    "service_taxonomys.csv": ("service_id", "taxonomy_id"),
}

_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


class OrukError(Exception):
    """The file cannot be imported; ``messages`` says every reason found (up to 50)."""

    def __init__(self, messages: list[str]):
        self.messages = messages[:MAX_ERRORS]
        self.more = max(0, len(messages) - MAX_ERRORS)
        super().__init__("; ".join(self.messages))


# ---- reading files ----


@dataclass
class Upload:
    name: str
    content: bytes


def _csv_rows(name: str, content: bytes, errors: list[str]) -> list[dict] | None:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.append(f"{name}: the file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
        return None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in header]
    if missing:
        errors.append(
            f"{name}: the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} missing."
        )
        return None
    reader.fieldnames = header
    rows = []
    try:
        for number, row in enumerate(reader, start=2):  # row 1 is the header
            if None in row:
                errors.append(f"{name}, row {number}: the row has more values than columns.")
                continue
            clean = {k: (v or "").strip() for k, v in row.items() if k}
            if any(clean.values()):
                clean["_src"] = (name, number)
                rows.append(clean)
    except csv.Error as exc:
        errors.append(f"{name}: the file is not valid CSV ({exc}).")
        return None
    return rows


def read_uploads(uploads: list[Upload]) -> tuple[list[dict], str]:
    """The services in ``uploads`` (one JSON file, one zip of CSV tables, or CSV tables) in
    the nested JSON shape, and "json" or "csv". Raises OrukError naming what is wrong."""
    docs, fmt, errors = _read_uploads(uploads)
    if errors:
        raise OrukError(errors)
    return docs, fmt


def read_services(uploads: list[Upload]) -> tuple[list["ServiceData"], str, list[str]]:
    """Read and check ``uploads``: the services, "json" or "csv", and every problem found in
    their rows and fields, so that one attempt lists them all (a service whose rows cannot
    be joined is left out of the services). A file that cannot be read at all (not JSON,
    a table or a column missing) raises OrukError."""
    docs, fmt, errors = _read_uploads(uploads)
    items, problems = _check_services(docs)
    return items, fmt, errors + problems


def _read_uploads(uploads: list[Upload]) -> tuple[list[dict], str, list[str]]:
    if not uploads:
        raise OrukError(["Choose a file to import."])
    for upload in uploads:
        if len(upload.content) > MAX_UPLOAD_BYTES:
            raise OrukError([f"{upload.name}: the file is larger than 10 MB."])
        if not upload.content:
            raise OrukError([f"{upload.name}: the file is empty."])
    names = [u.name.lower() for u in uploads]
    if any(n.endswith(".json") for n in names):
        if len(uploads) > 1:
            raise OrukError(["Import one JSON file at a time."])
        return _read_json(uploads[0]), "json", []
    tables: dict[str, bytes] = {}
    for upload in uploads:
        lower = upload.name.lower()
        if lower.endswith(".zip"):
            tables.update(_unzip(upload))
        elif lower.endswith(".csv"):
            tables[lower.rsplit("/", 1)[-1]] = upload.content
        else:
            raise OrukError(
                [f"{upload.name}: choose an ORUK JSON file, CSV tables or a zip of CSV tables."]
            )
    docs, errors = _join_tables(tables)
    return docs, "csv", errors


def _unzip(upload: Upload) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.content))
    except zipfile.BadZipFile as exc:
        raise OrukError([f"{upload.name}: the file is not a zip file."]) from exc
    tables = {}
    total = 0
    for info in archive.infolist():
        base = info.filename.rsplit("/", 1)[-1].lower()
        if info.is_dir() or base not in TABLES:
            continue  # other files (a datapackage.json, a readme) are not read
        total += info.file_size
        if total > MAX_UNZIPPED_BYTES:
            raise OrukError([f"{upload.name}: the tables add up to more than 50 MB."])
        tables[base] = archive.read(info)
    if not tables:
        raise OrukError([f"{upload.name}: the zip holds no ORUK tables (services.csv and so on)."])
    return tables


def _read_json(upload: Upload) -> list[dict]:
    try:
        data = json.loads(upload.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OrukError([f"{upload.name}: the file is not valid JSON ({exc})."]) from exc
    if isinstance(data, dict) and isinstance(data.get("content"), list):
        data = data["content"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise OrukError([f"{upload.name}: expected an ORUK service, or a list of services."])
    # Our bookkeeping keys start with "_"; a file's own such keys are not ORUK and are dropped.
    data = [{k: v for k, v in service.items() if not k.startswith("_")} for service in data]
    for service in data:
        service["_file"] = upload.name
    return data


def tables_to_services(tables: dict[str, bytes]) -> list[dict]:
    """Join ORUK CSV tables into nested services, each part remembering its file and row."""
    docs, errors = _join_tables(tables)
    if errors:
        raise OrukError(errors)
    return docs


def _join_tables(tables: dict[str, bytes]) -> tuple[list[dict], list[str]]:
    """The joined services and the rows that could not be joined (an id that is not in the
    table it points to, an id used twice). Missing tables or columns raise OrukError."""
    errors: list[str] = []
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        errors.append(
            f"{unknown[0]}: not an ORUK table this service reads (expected {', '.join(TABLES)})."
        )
    for name in ("services.csv", "organizations.csv"):
        if name not in tables:
            errors.append(f"{name} is missing: an import needs services and organizations.")
    if errors:
        raise OrukError(errors)
    rows = {
        name: _csv_rows(name, content, errors) or []
        for name, content in tables.items()
        if name in TABLES
    }
    if errors:
        raise OrukError(errors)

    def by_id(name: str) -> dict[str, dict]:
        found = {}
        for row in rows.get(name, []):
            if row.get("id") and row["id"] in found:
                errors.append(
                    f"{name}, row {row['_src'][1]}, column id: “{row['id']}” "
                    f"appears more than once."
                )
            found[row.get("id", "")] = row
        return found

    def children(name: str, key: str, parents: dict, parent_table: str) -> dict[str, list]:
        grouped: dict[str, list] = {}
        for row in rows.get(name, []):
            parent = row.get(key, "")
            if parent not in parents:
                errors.append(
                    f"{name}, row {row['_src'][1]}, column {key}: “{parent}” is not an id "
                    f"in {parent_table}."
                )
                continue
            grouped.setdefault(parent, []).append(row)
        return grouped

    organizations = by_id("organizations.csv")
    locations = by_id("locations.csv")
    taxonomies = by_id("taxonomies.csv")
    services = by_id("services.csv")
    contacts = by_id("contacts.csv")
    addresses = children("physical_addresses.csv", "location_id", locations, "locations.csv")
    phones = children("phones.csv", "contact_id", contacts, "contacts.csv")
    at_locations = children("service_at_locations.csv", "service_id", services, "services.csv")
    service_contacts = children("contacts.csv", "service_id", services, "services.csv")
    eligibilitys = children("eligibilitys.csv", "service_id", services, "services.csv")
    languages = children("languages.csv", "service_id", services, "services.csv")
    service_taxonomys = children("service_taxonomys.csv", "service_id", services, "services.csv")

    result = []
    for service_id, row in services.items():
        service = {k: v for k, v in row.items() if k != "organization_id"}
        organization = organizations.get(row.get("organization_id", ""))
        if organization is None:
            errors.append(
                f"services.csv, row {row['_src'][1]}, column organization_id: "
                f"“{row.get('organization_id', '')}” is not an id in organizations.csv."
            )
            # The rest of the row is still checked, so that every problem is listed.
            service["_organization_reported"] = True
        else:
            service["organization"] = dict(organization)
        service["core20_referral_routes"] = [
            r.strip() for r in row.get("core20_referral_routes", "").split(";") if r.strip()
        ]
        service["service_at_locations"] = []
        for link in at_locations.get(service_id, []):
            location = locations.get(link["location_id"])
            if location is None:
                errors.append(
                    f"service_at_locations.csv, row {link['_src'][1]}, column location_id: "
                    f"“{link['location_id']}” is not an id in locations.csv."
                )
                continue
            place = dict(location)
            place["physical_addresses"] = addresses.get(location["id"], [])
            service["service_at_locations"].append({**link, "location": place})
        service["contacts"] = [
            {**c, "phones": phones.get(c.get("id", ""), [])}
            for c in service_contacts.get(service_id, [])
        ]
        service["eligibilitys"] = eligibilitys.get(service_id, [])
        service["languages"] = languages.get(service_id, [])
        service["service_taxonomys"] = []
        for link in service_taxonomys.get(service_id, []):
            term = taxonomies.get(link["taxonomy_id"])
            if term is None and link["taxonomy_id"].split(":", 1)[0] in TAG_VOCABULARIES:
                vocabulary = link["taxonomy_id"].split(":", 1)[0]
                term = {"id": link["taxonomy_id"], "name": "", "vocabulary": vocabulary}
            if term is None:
                errors.append(
                    f"service_taxonomys.csv, row {link['_src'][1]}, column taxonomy_id: "
                    f"“{link['taxonomy_id']}” is not an id in taxonomies.csv."
                )
                continue
            service["service_taxonomys"].append({**link, "taxonomy": term})
        result.append(service)
    return result, errors


# ---- checking ----


@dataclass
class LocationData:
    id: str
    name: str = ""
    description: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    address_1: str = ""
    city: str = ""
    state_province: str = ""
    postal_code: str = ""
    country: str = ""
    link_id: str = ""  # the service_at_location's id
    where: str = ""  # the file and row (CSV) or service and field (JSON) of its id


@dataclass
class ServiceData:
    """One service, checked: plain values ready to be written."""

    id: str
    organization: dict
    fields: dict
    languages: list[str] = field(default_factory=list)
    locations: list[LocationData] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)  # {id, name, title, phones: [...]}
    taxonomies: list[dict] = field(default_factory=list)  # {id, name, vocabulary, parent}
    tags: dict[str, list[str]] = field(default_factory=dict)  # vocabulary -> codes
    # Where things are in the file, for problems found later (an id another directory uses,
    # a tag the directory does not know): "id", "organization.id", and (vocabulary, code).
    where: dict = field(default_factory=dict)


class _Checker:
    def __init__(self):
        self.errors: list[str] = []

    def where(self, node: dict, service: dict, index: int, path: str) -> str:
        if "_src" in node:
            name, row = node["_src"]
            column = path.rsplit(".", 1)[-1]
            return f"{name}, row {row}, column {column}"
        label = service.get("id") or service.get("name") or ""
        return (
            f"{service.get('_file', 'file')}, service {index}"
            + (f" (“{label}”)" if label else "")
            + f", field {path}"
        )

    def text(self, node, key, service, index, path, *, required=False, max_length=None) -> str:
        value = node.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.errors.append(f"{self.where(node, service, index, path)}: expected text.")
            return ""
        value = str(value).strip()
        if required and not value:
            self.errors.append(f"{self.where(node, service, index, path)}: this is required.")
        if max_length and len(value) > max_length:
            self.errors.append(
                f"{self.where(node, service, index, path)}: at most {max_length} characters "
                f"(it has {len(value)})."
            )
        return value

    def url(self, node, key, service, index, path) -> str:
        value = self.text(node, key, service, index, path, max_length=500)
        if value:
            try:
                _url(value)
            except ValidationError:
                self.errors.append(
                    f"{self.where(node, service, index, path)}: “{value}” is not a web address "
                    "starting with https:// or http://."
                )
        return value

    def email(self, node, key, service, index, path) -> str:
        value = self.text(node, key, service, index, path, max_length=254)
        if value:
            try:
                _email(value)
            except ValidationError:
                self.errors.append(
                    f"{self.where(node, service, index, path)}: “{value}” is not an email address."
                )
        return value

    def number(self, node, key, service, index, path, *, low, high, whole=False):
        raw = node.get(key)
        if raw is None or raw == "":
            return None
        try:
            value = Decimal(str(raw).strip())
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.errors.append(
                f"{self.where(node, service, index, path)}: “{raw}” is not a number."
            )
            return None
        if whole and value != value.to_integral_value():
            self.errors.append(
                f"{self.where(node, service, index, path)}: “{raw}” is not a whole number."
            )
            return None
        if not low <= value <= high:
            self.errors.append(
                f"{self.where(node, service, index, path)}: {raw} is not between {low} and {high}."
            )
            return None
        return int(value) if whole else value.quantize(Decimal("0.000001"))

    def items(self, node, key, service, index, path) -> list[dict]:
        value = node.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.errors.append(f"{self.where(node, service, index, path)}: expected a list.")
            return []
        return value


def check_services(docs: list[dict]) -> list[ServiceData]:
    """Check every service in the nested shape. Raises OrukError listing every problem."""
    result, errors = _check_services(docs)
    if errors:
        raise OrukError(errors)
    return result


def _check_services(docs: list[dict]) -> tuple[list[ServiceData], list[str]]:
    c = _Checker()
    result = []
    seen: dict[str, int] = {}
    statuses = {s.value: s.value for s in Service.Status}
    routes = set(Service.ReferralRoute.values)
    for index, doc in enumerate(docs, start=1):
        service_id = c.text(doc, "id", doc, index, "id", required=True, max_length=100)
        if service_id in seen:
            c.errors.append(
                f"{c.where(doc, doc, index, 'id')}: the service id “{service_id}” "
                f"appears more than once."
            )
        seen[service_id] = index
        org = doc.get("organization")
        if not isinstance(org, dict):
            if not doc.get("_organization_reported"):
                c.errors.append(f"{c.where(doc, doc, index, 'organization')}: this is required.")
            organization = dict.fromkeys(
                ("id", "name", "description", "email", "url", "logo", "uri"), ""
            )
        else:
            organization = {
                "id": c.text(
                    org, "id", doc, index, "organization.id", required=True, max_length=100
                ),
                "name": c.text(
                    org, "name", doc, index, "organization.name", required=True, max_length=255
                ),
                "description": c.text(org, "description", doc, index, "organization.description"),
                "email": c.email(org, "email", doc, index, "organization.email"),
                "url": c.url(org, "url", doc, index, "organization.url"),
                "logo": c.url(org, "logo", doc, index, "organization.logo"),
                "uri": c.url(org, "uri", doc, index, "organization.uri"),
            }
        status = c.text(doc, "status", doc, index, "status").lower() or Service.Status.ACTIVE
        if status not in statuses:
            c.errors.append(
                f"{c.where(doc, doc, index, 'status')}: “{status}” is not an ORUK status "
                f"({', '.join(statuses)})."
            )
        assured = c.text(doc, "assured_date", doc, index, "assured_date")
        assured_date = None
        if assured:
            try:
                assured_date = date.fromisoformat(assured[:10])
            except ValueError:
                c.errors.append(
                    f"{c.where(doc, doc, index, 'assured_date')}: “{assured}” is not "
                    "a date (YYYY-MM-DD)."
                )
        raw_routes = doc.get("core20_referral_routes") or []
        if isinstance(raw_routes, str):
            raw_routes = [r.strip() for r in raw_routes.split(";") if r.strip()]
        bad = [r for r in raw_routes if r not in routes]
        if bad:
            c.errors.append(
                f"{c.where(doc, doc, index, 'core20_referral_routes')}: “{bad[0]}” is not a "
                f"referral route ({', '.join(sorted(routes))})."
            )
        fields = {
            "name": c.text(doc, "name", doc, index, "name", required=True, max_length=255),
            "description": c.text(doc, "description", doc, index, "description"),
            "url": c.url(doc, "url", doc, index, "url"),
            "email": c.email(doc, "email", doc, index, "email"),
            "status": status,
            "fees": c.text(doc, "fees", doc, index, "fees"),
            "accreditations": c.text(doc, "accreditations", doc, index, "accreditations"),
            "deliverable_type": c.text(
                doc, "deliverable_type", doc, index, "deliverable_type", max_length=100
            ),
            "attending_type": c.text(
                doc, "attending_type", doc, index, "attending_type", max_length=100
            ),
            "attending_access": c.text(
                doc, "attending_access", doc, index, "attending_access", max_length=100
            ),
            "assured_date": assured_date,
            "referral_routes": [r for r in raw_routes if r in routes],
            "referral_details": c.text(
                doc, "core20_referral_details", doc, index, "core20_referral_details"
            ),
            "referral_url": c.url(doc, "core20_referral_url", doc, index, "core20_referral_url"),
            "eligibility": "",
            "minimum_age": None,
            "maximum_age": None,
        }
        eligibilitys = c.items(doc, "eligibilitys", doc, index, "eligibilitys")
        if eligibilitys:
            first = eligibilitys[0]
            fields["eligibility"] = c.text(
                first, "eligibility", doc, index, "eligibilitys.eligibility"
            )
            fields["minimum_age"] = c.number(
                first,
                "minimum_age",
                doc,
                index,
                "eligibilitys.minimum_age",
                low=0,
                high=150,
                whole=True,
            )
            fields["maximum_age"] = c.number(
                first,
                "maximum_age",
                doc,
                index,
                "eligibilitys.maximum_age",
                low=0,
                high=150,
                whole=True,
            )
            # ORUK files often write 0 for "no upper limit".
            if fields["maximum_age"] == 0:
                fields["maximum_age"] = None
            low, high = fields["minimum_age"], fields["maximum_age"]
            if low is not None and high is not None and low > high:
                c.errors.append(
                    f"{c.where(first, doc, index, 'eligibilitys.maximum_age')}: the "
                    "maximum age is below the minimum age."
                )
        data = ServiceData(id=service_id, organization=organization, fields=fields)
        data.where["id"] = c.where(doc, doc, index, "id")
        data.where["organization.id"] = (
            c.where(org, doc, index, "organization.id") if isinstance(org, dict) else ""
        )
        for item in c.items(doc, "languages", doc, index, "languages"):
            language = c.text(item, "language", doc, index, "languages.language", max_length=100)
            if language and language not in data.languages:
                data.languages.append(language)
        for link in c.items(doc, "service_at_locations", doc, index, "service_at_locations"):
            loc = link.get("location")
            if not isinstance(loc, dict):
                c.errors.append(
                    f"{c.where(link, doc, index, 'service_at_locations.location')}: this is "
                    "required."
                )
                continue
            path = "service_at_locations.location"
            location = LocationData(
                id=c.text(loc, "id", doc, index, f"{path}.id", required=True, max_length=100),
                name=c.text(loc, "name", doc, index, f"{path}.name", max_length=255),
                description=c.text(loc, "description", doc, index, f"{path}.description"),
                latitude=c.number(
                    loc, "latitude", doc, index, f"{path}.latitude", low=-90, high=90
                ),
                longitude=c.number(
                    loc, "longitude", doc, index, f"{path}.longitude", low=-180, high=180
                ),
                link_id=c.text(link, "id", doc, index, "service_at_locations.id", max_length=100),
                where=c.where(loc, doc, index, f"{path}.id"),
            )
            addresses = c.items(loc, "physical_addresses", doc, index, f"{path}.physical_addresses")
            if addresses:
                address = addresses[0]
                apath = f"{path}.physical_addresses"
                location.address_1 = c.text(
                    address, "address_1", doc, index, f"{apath}.address_1", max_length=255
                )
                location.city = c.text(address, "city", doc, index, f"{apath}.city", max_length=100)
                location.state_province = c.text(
                    address, "state_province", doc, index, f"{apath}.state_province", max_length=100
                )
                location.postal_code = c.text(
                    address, "postal_code", doc, index, f"{apath}.postal_code", max_length=10
                ).upper()
                country = c.text(address, "country", doc, index, f"{apath}.country")
                # ORUK files write "England", "GB" or "United Kingdom"; we keep a code.
                location.country = "GB" if country else ""
            if location.id and location.id not in {x.id for x in data.locations}:
                data.locations.append(location)
        for contact in c.items(doc, "contacts", doc, index, "contacts"):
            entry = {
                "id": c.text(contact, "id", doc, index, "contacts.id", max_length=100),
                "name": c.text(contact, "name", doc, index, "contacts.name", max_length=255),
                "title": c.text(contact, "title", doc, index, "contacts.title", max_length=255),
                "phones": [],
            }
            for phone in c.items(contact, "phones", doc, index, "contacts.phones"):
                entry["phones"].append(
                    {
                        "id": c.text(phone, "id", doc, index, "contacts.phones.id", max_length=100),
                        "number": c.text(
                            phone,
                            "number",
                            doc,
                            index,
                            "contacts.phones.number",
                            required=True,
                            max_length=50,
                        ),
                        "language": c.text(
                            phone, "language", doc, index, "contacts.phones.language", max_length=50
                        ),
                    }
                )
            data.contacts.append(entry)
        for link in c.items(doc, "service_taxonomys", doc, index, "service_taxonomys"):
            term = link.get("taxonomy")
            if not isinstance(term, dict):
                c.errors.append(
                    f"{c.where(link, doc, index, 'service_taxonomys.taxonomy')}: this is required."
                )
                continue
            path = "service_taxonomys.taxonomy"
            term_id = c.text(term, "id", doc, index, f"{path}.id", required=True, max_length=100)
            vocabulary = c.text(
                term, "vocabulary", doc, index, f"{path}.vocabulary", max_length=100
            )
            prefix, _, code = term_id.partition(":")
            if prefix in TAG_VOCABULARIES and code:
                # In CSV the term is named by the link's taxonomy_id; in JSON by its id.
                data.where.setdefault(
                    (prefix, code),
                    c.where(link, doc, index, "taxonomy_id")
                    if "_src" in link
                    else c.where(term, doc, index, f"{path}.id"),
                )
                data.tags.setdefault(prefix, [])
                if code not in data.tags[prefix]:
                    data.tags[prefix].append(code)
                continue
            data.taxonomies.append(
                {
                    "id": term_id,
                    "name": c.text(
                        term, "name", doc, index, f"{path}.name", required=True, max_length=255
                    ),
                    "vocabulary": vocabulary,
                    "parent": c.text(term, "parent", doc, index, f"{path}.parent", max_length=100),
                }
            )
        result.append(data)
    return result, c.errors


# ---- writing ----


def _text(value) -> str:
    return "" if value is None else str(value)


@dataclass
class ServiceParts:
    """A service's related records, as ``service_document`` writes them out."""

    organization: object
    taxonomies: list
    clinical_areas: list
    communities: list
    wards: list
    lads: list
    contacts: list  # [(contact, [phone, ...]), ...]
    locations: list  # [(the service_at_location's ORUK id, location), ...]

    @classmethod
    def of(cls, service: Service) -> "ServiceParts":
        """Read through the service's relations (prefetch them as in
        core20.directory.queries.with_details to keep to a fixed number of queries)."""
        return cls(
            organization=service.organization,
            taxonomies=list(service.taxonomies.all()),
            clinical_areas=list(service.clinical_areas.all()),
            communities=list(service.communities.all()),
            wards=list(service.wards.all()),
            lads=list(service.lads.all()),
            contacts=[(c, list(c.phones.all())) for c in service.contacts.all()],
            locations=[(link.oruk_id, link.location) for link in service.at_locations.all()],
        )


def service_document(service: Service, parts: ServiceParts | None = None) -> dict:
    """One service in ORUK's full JSON shape. Its related records are ``parts`` where the
    caller has them in hand (an import that has just written them), otherwise read through
    its relations, which should be prefetched as in
    core20.directory.queries.export_queryset."""
    parts = parts or ServiceParts.of(service)
    org = parts.organization
    taxonomys = [
        {
            "id": f"{service.oruk_id}:{t.oruk_id}",
            "taxonomy": {
                "id": t.oruk_id,
                "name": t.name,
                "vocabulary": t.vocabulary,
                "parent": t.parent or None,
            },
        }
        for t in parts.taxonomies
    ]
    tags = [
        (CLINICAL_AREA, [(a.code, a.name) for a in parts.clinical_areas]),
        (COMMUNITY, [(g.code, g.name) for g in parts.communities]),
        (WARD, [(w.code, w.name) for w in parts.wards]),
        (LAD, [(d.code, d.name) for d in parts.lads]),
    ]
    for vocabulary, terms in tags:
        for code, name in terms:
            term_id = f"{vocabulary}:{code}"
            taxonomys.append(
                {
                    "id": f"{service.oruk_id}:{term_id}",
                    "taxonomy": {
                        "id": term_id,
                        "name": name,
                        "vocabulary": vocabulary,
                        "parent": None,
                    },
                }
            )
    eligibilitys = []
    if service.eligibility or service.minimum_age is not None or service.maximum_age is not None:
        eligibilitys.append(
            {
                "id": f"{service.oruk_id}:eligibility",
                "eligibility": service.eligibility,
                "minimum_age": service.minimum_age,
                "maximum_age": service.maximum_age,
            }
        )
    return {
        "id": service.oruk_id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees": service.fees,
        "accreditations": service.accreditations,
        "deliverable_type": service.deliverable_type,
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "attending_type": service.attending_type,
        "attending_access": service.attending_access,
        "organization": {
            "id": org.oruk_id,
            "name": org.name,
            "description": org.description,
            "email": org.email,
            "url": org.url,
            "logo": org.logo,
            "uri": org.uri,
        },
        "contacts": [
            {
                "id": contact.oruk_id,
                "name": contact.name,
                "title": contact.title,
                "phones": [
                    {"id": p.oruk_id, "number": p.number, "language": p.language} for p in phones
                ],
            }
            for contact, phones in parts.contacts
        ],
        "eligibilitys": eligibilitys,
        "languages": [
            {"id": f"{service.oruk_id}:language:{n}", "language": language}
            for n, language in enumerate(service.languages, start=1)
        ],
        "service_at_locations": [
            {"id": link_id, "location": _location_document(location)}
            for link_id, location in parts.locations
        ],
        "service_taxonomys": taxonomys,
        "core20_referral_routes": list(service.referral_routes),
        "core20_referral_details": service.referral_details,
        "core20_referral_url": service.referral_url,
    }


def _location_document(location) -> dict:
    addresses = []
    if any((location.address_1, location.city, location.state_province, location.postal_code)):
        addresses.append(
            {
                "id": f"{location.oruk_id}:address",
                "address_1": location.address_1,
                "city": location.city,
                "state_province": location.state_province,
                "postal_code": location.postal_code,
                "country": location.country,
            }
        )
    return {
        "id": location.oruk_id,
        "name": location.name,
        "description": location.description,
        "latitude": float(location.latitude) if location.latitude is not None else None,
        "longitude": float(location.longitude) if location.longitude is not None else None,
        "physical_addresses": addresses,
    }


def to_json(services) -> bytes:
    return json.dumps([service_document(s) for s in services], indent=2).encode()


def to_csv_zip(services) -> bytes:
    """The services as ORUK CSV tables in a zip (each table, header row first)."""
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    organizations: dict[str, dict] = {}
    locations: dict[str, dict] = {}
    taxonomies: dict[str, dict] = {}
    for service in services:
        doc = service_document(service)
        org = doc["organization"]
        organizations[org["id"]] = org
        row = {k: _text(doc.get(k)) for k in SERVICE_FIELDS}
        row["organization_id"] = org["id"]
        row["core20_referral_routes"] = ";".join(doc["core20_referral_routes"])
        out["services.csv"].append(row)
        for link in doc["service_at_locations"]:
            location = link["location"]
            if location["id"] not in locations:
                locations[location["id"]] = location
            out["service_at_locations.csv"].append(
                {"id": link["id"], "service_id": doc["id"], "location_id": location["id"]}
            )
        for contact in doc["contacts"]:
            out["contacts.csv"].append({**contact, "service_id": doc["id"]})
            for phone in contact["phones"]:
                out["phones.csv"].append({**phone, "contact_id": contact["id"]})
        for item in doc["eligibilitys"]:
            out["eligibilitys.csv"].append({**item, "service_id": doc["id"]})
        for item in doc["languages"]:
            out["languages.csv"].append({**item, "service_id": doc["id"]})
        for link in doc["service_taxonomys"]:
            term = link["taxonomy"]
            taxonomies[term["id"]] = term
            out["service_taxonomys.csv"].append(
                {"id": link["id"], "service_id": doc["id"], "taxonomy_id": term["id"]}
            )
    out["organizations.csv"] = list(organizations.values())
    out["taxonomies.csv"] = list(taxonomies.values())
    for location in locations.values():
        out["locations.csv"].append(location)
        for address in location["physical_addresses"]:
            out["physical_addresses.csv"].append({**address, "location_id": location["id"]})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, columns in TABLES.items():
            text = io.StringIO()
            writer = csv.DictWriter(
                text, fieldnames=columns, extrasaction="ignore", lineterminator="\n"
            )
            writer.writeheader()
            for row in out[name]:
                writer.writerow({k: _text(row.get(k)) for k in columns})
            archive.writestr(name, text.getvalue())
    return buffer.getvalue()
