"""Importing a site's existing volunteer list from CSV.

All or nothing: every row is checked first, and any error (named by file, row and column)
stops the whole file with nothing saved. Idempotent: a row whose email matches a connector
at the site updates that connector, so importing the same file twice changes nothing the
second time. Only what a row says is changed: for someone already at the site, an empty cell
(or a column the file does not have) leaves what we hold as it is, so a list without a
stage or role column does not send active connectors back to "Expressed interest" or make
paid connectors volunteers. A role an import changes is a step on the person's pathway, as
on the "Change role" page. Nobody is made active by an import: the site's checks and
training have to be recorded first (the same rule as the pipeline).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from core20.accounts.models import User
from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.network import actions
from core20.network.models import Connector, RoleType, StatusChange
from core20.network.visibility import require_manage
from core20.places.models import Ward
from core20.programme.models import PlusGroup, Site

COLUMNS = (
    "name",
    "email",
    "phone",
    "role_type",
    "status",
    "started_on",
    "languages",
    "communities",
    "wards",
    "skills",
    "interests",
)
REQUIRED = ("name", "email")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
IMPORTABLE_STATUSES = [s for s in Connector.Status.values if s != Connector.Status.ACTIVE]


@dataclass
class RowError:
    file: str
    row: int  # the line in the file (the header is line 1)
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}"
        if self.column:
            where += f", column “{self.column}”"
        return f"{where}: {self.message}"


class ImportFailed(ValidationError):
    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        super().__init__([str(e) for e in errors])


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: list[dict] = field(default_factory=list)


def _choice(value: str, choices, label_map) -> str | None:
    value = value.strip().lower()
    for key, label in label_map:
        if value in (key, label.lower()):
            return key if key in choices else None
    return None


def parse(site: Site, name: str, content: bytes) -> list[dict]:
    """Check every row; return them cleaned, or raise ImportFailed listing every problem."""
    errors: list[RowError] = []
    if len(content) > MAX_BYTES:
        raise ImportFailed([RowError(name, 0, "", "The file is larger than 2 MB")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [RowError(name, 0, "", "The file is not UTF-8 text. Save it as “CSV UTF-8”")]
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailed(
            [RowError(name, 1, c, "This column is missing from the first row") for c in missing]
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ImportFailed(
            [
                RowError(name, 1, h, f"Unknown column. Use only: {', '.join(COLUMNS)}")
                for h in unknown
            ]
        )
    reader.fieldnames = header
    wards = {w.code: w for w in Ward.objects.all()}
    groups = {g.code: g for g in PlusGroup.objects.national_or_site(site)}
    rows: list[dict] = []
    emails: dict[str, int] = {}
    for line, raw in enumerate(reader, start=2):
        if len(rows) >= MAX_ROWS:
            errors.append(RowError(name, line, "", f"A file can have at most {MAX_ROWS} rows"))
            break
        values = {k: (v or "").strip() for k, v in raw.items() if k in COLUMNS}
        if not any(values.values()):
            continue
        # The columns this row fills in: only these change someone already at the site.
        row: dict = {"line": line, "given": {k for k, v in values.items() if v}}

        def err(column: str, message: str, line=line) -> None:
            errors.append(RowError(name, line, column, message))

        row["name"] = values.get("name", "")
        if not row["name"]:
            err("name", "Enter the person's name")
        elif len(row["name"]) > 200:
            err("name", "Name must be 200 characters or fewer")
        email = values.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            err(
                "email",
                "Enter an email address like name@example.org"
                if email
                else "Enter the person's email address",
            )
        if email in emails:
            err("email", f"The same email address is on row {emails[email]}")
        emails.setdefault(email, line)
        row["email"] = email
        row["phone"] = values.get("phone", "")[:40]
        role_type = values.get("role_type", "")
        row["role_type"] = RoleType.VOLUNTEER
        if role_type:
            row["role_type"] = _choice(role_type, RoleType.values, RoleType.choices)
            if row["role_type"] is None:
                err("role_type", "Use volunteer, sessional or employed")
        status = values.get("status", "")
        row["status"] = Connector.Status.INTERESTED
        if status:
            row["status"] = _choice(status, IMPORTABLE_STATUSES, Connector.Status.choices)
            if row["status"] is None:
                if status.lower() in ("active", Connector.Status.ACTIVE.label.lower()):
                    err(
                        "status",
                        "An import cannot make someone active. Import them as “training”, "
                        "record their checks and training, then make them active",
                    )
                else:
                    err("status", f"Use one of: {', '.join(IMPORTABLE_STATUSES)}")
        row["started_on"] = None
        if values.get("started_on"):
            try:
                row["started_on"] = date.fromisoformat(values["started_on"])
            except ValueError:
                err("started_on", "Enter the date as YYYY-MM-DD, for example 2024-04-01")
        row["languages"] = [s.strip() for s in values.get("languages", "").split(";") if s.strip()]
        row["skills"] = values.get("skills", "")
        row["interests"] = values.get("interests", "")
        row["wards"] = []
        for code in filter(None, (c.strip().upper() for c in values.get("wards", "").split(";"))):
            if code not in wards:
                err("wards", f"No ward with the code {code}")
            else:
                row["wards"].append(wards[code])
        row["communities"] = []
        for code in filter(
            None, (c.strip().lower() for c in values.get("communities", "").split(";"))
        ):
            if code not in groups:
                err("communities", f"No PLUS group with the code {code}")
            else:
                row["communities"].append(groups[code])
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(name, 2, "", "The file has no rows under its header"))
    if errors:
        raise ImportFailed(errors)
    return rows


SIMPLE = ("name", "phone", "role_type", "started_on", "languages", "skills", "interests")


@transaction.atomic
def import_connectors(*, site: Site, name: str, content: bytes, by: User) -> ImportResult:
    require_manage(by, site)
    rows = parse(site, name, content)
    existing = {c.email: c for c in Connector.objects.filter(site=site).exclude(email="")}
    result = ImportResult()
    now = timezone.now()
    for row in rows:
        connector = existing.get(row["email"])
        created = connector is None
        if created:
            connector = Connector(
                site=site,
                email=row["email"],
                source=Connector.Source.IMPORTED,
                status=row["status"],
                created_by=by,
            )
        changed = created
        given = row["given"]
        new_role = None
        for key in SIMPLE:
            if not created and key not in given:
                continue
            if getattr(connector, key) != row[key]:
                if key == "role_type" and not created:
                    new_role = row[key]  # a step on their pathway, once the rest is saved
                else:
                    setattr(connector, key, row[key])
                changed = True
        status_before = connector.status
        if not created and "status" in given and row["status"] != status_before:
            connector.status = row["status"]
            connector.status_changed_at = now
            changed = True
        connector.full_clean()
        connector.save()
        if new_role is not None:
            # As the "Change role" page does: kept on their pathway, and audited.
            actions._role_step(
                connector=connector,
                role_type=new_role,
                started_on=timezone.localdate(),
                note=f"Imported from {name}",
                by=by,
            )
        if created or connector.status != status_before:
            StatusChange.objects.create(
                connector=connector,
                from_status="" if created else status_before,
                to_status=connector.status,
                reason=f"Imported from {name}",
                changed_at=connector.status_changed_at,
                changed_by=by,
            )
        if not created and connector.status != status_before:
            # Any stage but active ends their connector role at the site, as on the pages
            # (an import never makes someone active, so it never gives the role).
            actions.sync_role(connector=connector, before=status_before, by=by)
        for m2m in ("wards", "communities"):
            if not created and m2m not in given:
                continue
            current = (
                set(getattr(connector, m2m).values_list("pk", flat=True)) if not created else set()
            )
            wanted = {o.pk for o in row[m2m]}
            if current != wanted:
                getattr(connector, m2m).set(row[m2m])
                changed = True
        if created:
            result.created += 1
        elif changed:
            result.updated += 1
        else:
            result.unchanged += 1
    record(
        actor=by,
        verb=AuditEvent.Verb.IMPORT,
        object_type="network.Connector",
        object_label=name,
        site=site,
        changes={"created": [None, result.created], "updated": [None, result.updated]},
        summary=f"Imported {len(rows)} connectors from {name}",
    )
    return result
