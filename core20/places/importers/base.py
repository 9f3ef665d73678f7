"""What every places importer shares: reading files, matching headers to a named layout,
checking values (errors name the file, row and column), and writing in bulk.

An importer reads and checks the whole file first (reporting progress as it goes), then
writes everything in one transaction with its audit event: a file with any error changes
nothing, and a file loaded twice reports "0 added, 0 updated, N unchanged" the second time.
"""

from __future__ import annotations

import html
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from django.db import connection, models, transaction

from core20.audit.models import AuditEvent
from core20.audit.recording import record

MAX_ISSUES = 50
BATCH_SIZE = 2000

# Code formats (GSS codes are a letter for the country, two digits for the entity, six digits).
LSOA_CODE = r"E01\d{6}"
WARD_CODE = r"E05\d{6}"
LAD_CODE = r"E0[6-9]\d{6}"
SICBL_CODE = r"E38\d{6}"
ICB_CODE = r"E54\d{6}"
NHS_REGION_CODE = r"E40\d{6}"
ONS_REGION_CODE = r"E12\d{6}"
WELSH = r"W\d{8}"
GSS_CODE = r"[A-Z]\d{8}"  # any ONS (GSS) code
ODS_CODE = r"[A-Z0-9]{3,10}"
PCN_CODE = r"U\d{5}"
CODE_NAMES = {
    LSOA_CODE: "an LSOA code (E01 and six digits)",
    WARD_CODE: "an electoral ward code (E05 and six digits)",
    LAD_CODE: "a local authority district code (E06, E07, E08 or E09 and six digits)",
    SICBL_CODE: "a sub-ICB location code (E38 and six digits)",
    ICB_CODE: "an ICB code (E54 and six digits)",
    NHS_REGION_CODE: "an NHS England region code (E40 and six digits)",
    ONS_REGION_CODE: "an ONS region code (E12 and six digits)",
    GSS_CODE: "an ONS code (a letter and eight digits, for example E01014157)",
    ODS_CODE: "an ODS code (3 to 10 letters and digits, for example M83001)",
    PCN_CODE: "a primary care network code (U and five digits, for example U12345)",
}


# ---------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True)
class ImportIssue:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ImportFailed(Exception):
    """The file was not loaded. ``issues`` says why, each naming file, row and column."""

    def __init__(self, issues: list[ImportIssue], more: int = 0):
        self.issues = issues
        self.more = more
        text = "; ".join(str(i) for i in issues[:5])
        if len(issues) > 5 or more:
            text += f" (and {len(issues) - 5 + more if len(issues) > 5 else more} more)"
        super().__init__(text)

    @property
    def messages(self) -> list[str]:
        lines = [str(i) for i in self.issues]
        if self.more:
            lines.append(f"… and {self.more:,} more problems of the same kinds.")
        return lines


class Issues:
    """Collects problems for one file; ``check()`` raises them all at once."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[ImportIssue] = []
        self.more = 0

    def add(self, row: int | None, column: str | None, message: str) -> None:
        if len(self.items) >= MAX_ISSUES:
            self.more += 1
        else:
            self.items.append(ImportIssue(self.file, row, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def check(self) -> None:
        if self.items:
            items = sorted(self.items, key=lambda i: (i.row or 0, i.column or ""))
            raise ImportFailed(items, self.more)


# ---------------------------------------------------------------------------------------------
# Layouts


def normalise_header(text: Any) -> str:
    return " ".join(str(text).replace("\ufeff", "").split()).casefold()


@dataclass(frozen=True)
class Col:
    """A column a layout uses. ``names`` are accepted headers (any case and spacing); with
    ``prefix`` a header need only start with one of them (some published headers are
    truncated); ``pattern`` matches a regular expression instead (ONS year-coded headers
    such as LAD24CD). Headerless layouts give ``position``."""

    key: str
    names: tuple[str, ...] = ()
    prefix: bool = False
    pattern: str | None = None
    required: bool = True
    position: int | None = None

    @property
    def expected(self) -> str:
        if self.names:
            return self.names[0] + ("…" if self.prefix else "")
        if self.pattern:
            return self.pattern
        return f"column {self.position}"

    def matches(self, header: str) -> bool:
        h = normalise_header(header)
        if self.pattern:
            return re.fullmatch(self.pattern, h, flags=re.IGNORECASE) is not None
        for name in self.names:
            n = normalise_header(name)
            if h == n or (self.prefix and h.startswith(n)):
                return True
        return False


@dataclass
class Layout:
    """A named file layout an importer accepts: its columns and any fixed facts about it
    (edition, LSOA vintage, lookup year, effective date)."""

    key: str
    label: str
    columns: list[Col]
    header: bool = True
    width: int | None = None  # headerless: the number of columns expected
    facts: dict = field(default_factory=dict)

    def match(self, headers: list) -> tuple[dict[str, Any], list[Col]]:
        """(column key → header found, required columns missing)."""
        found: dict[str, str] = {}
        missing: list[Col] = []
        if not self.header:
            for col in self.columns:
                if col.position is not None and col.position < len(headers):
                    found[col.key] = headers[col.position]
                elif col.required:
                    missing.append(col)
            return found, missing
        for col in self.columns:
            hits = [h for h in headers if col.matches(str(h))]
            if hits:
                found[col.key] = hits[0]
            elif col.required:
                missing.append(col)
        return found, missing


# ---------------------------------------------------------------------------------------------
# Reading


# Office Open XML read with regular expressions, not an XML parser: nothing in an uploaded
# workbook is expanded (no entities beyond the five XML ones), so it cannot be an XML bomb.
_SHARED = re.compile(r"<si>(.*?)</si>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_RELATIONSHIP = re.compile(r"<Relationship\b([^>]*)/?>")
_SHEET = re.compile(r"<sheet\b([^>]*)/?>")
_ATTRIBUTE = re.compile(r'([\w:]+)="([^"]*)"')
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
# The common form, written by Excel: <c r="A2" s="3" t="s"><v>12</v></c>
_SIMPLE_CELL = re.compile(
    r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?(?: t="(s|n|b|str|e)")?>(?:<f>[^<]*</f>)?<v>([^<]*)</v></c>'
    r"|<c\b([^>]*?)(?:/>|>(.*?)</c>)",
    re.S,
)
_CELL_REF = re.compile(r'\br="([A-Z]+)(\d+)"')
_CELL_TYPE = re.compile(r'\bt="(\w+)"')
_VALUE = re.compile(r"<v>(.*?)</v>", re.S)
_TEXT = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>", re.S)


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def read_xlsx(path: Path) -> list[tuple[str, dict[int, list[str]]]]:
    """Every sheet of a workbook as {row number: [cell text, …]}. A small reader of the
    Office Open XML cells (values, shared and inline strings): five times quicker than
    openpyxl on the national files, which matters for a 33,000-row sheet."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            xml = z.read("xl/sharedStrings.xml").decode("utf-8")
            for item in _SHARED.findall(xml):
                item = _PHONETIC.sub("", item)
                shared.append(html.unescape("".join(_TEXT.findall(item))))
        targets = {}
        for attrs in _RELATIONSHIP.findall(z.read("xl/_rels/workbook.xml.rels").decode("utf-8")):
            a = dict(_ATTRIBUTE.findall(attrs))
            target = a.get("Target", "").lstrip("/")
            targets[a.get("Id")] = target if target.startswith("xl/") else f"xl/{target}"
        sheets = []
        for attrs in _SHEET.findall(z.read("xl/workbook.xml").decode("utf-8")):
            a = dict(_ATTRIBUTE.findall(attrs))
            sheets.append((html.unescape(a.get("name", "")), targets.get(a.get("r:id"), "")))
        out = []
        for name, part in sheets:
            rows: dict[int, list[str]] = {}
            xml = z.read(part).decode("utf-8")
            for m in _SIMPLE_CELL.finditer(xml):
                letters, number, kind, value, attrs, inner = m.groups()
                if letters is None:
                    ref = _CELL_REF.search(attrs)
                    if ref is None:
                        continue
                    letters, number = ref.group(1), ref.group(2)
                    kind = _CELL_TYPE.search(attrs)
                    kind = kind.group(1) if kind else None
                    inner = inner or ""
                    if kind == "inlineStr":
                        value = html.unescape("".join(_TEXT.findall(inner)))
                        kind = "inline"
                    else:
                        v = _VALUE.search(inner)
                        value = v.group(1) if v else ""
                if kind == "s" and value:
                    value = shared[int(value)]
                elif kind == "str":
                    value = html.unescape(value)
                elif kind in (None, "n") and value.endswith(".0"):
                    value = value[:-2]
                row = rows.setdefault(int(number), [])
                column = _column_index(letters)
                while len(row) < column:
                    row.append("")
                row.append(value.strip())
            out.append((name, rows))
        return out


def read_frame(path: Path, *, header: bool = True) -> list[tuple[str, pd.DataFrame, int]]:
    """The file as text: [(sheet name or "", data frame of strings, offset)], where a data
    row's number in the file is its index label + offset. CSV (optionally gzip-compressed)
    or Excel .xlsx (every non-empty sheet; the header is its first non-empty row). Rows with
    no values at all are dropped."""
    path = Path(path)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in (".xlsx", ".xlsm"):
        try:
            sheets = read_xlsx(path)
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ImportFailed(
                [ImportIssue(path.name, None, None, f"cannot read the workbook ({exc})")]
            ) from exc
        out = []
        for name, rows in sheets:
            numbers = [n for n, cells in sorted(rows.items()) if any(cells)]
            if not numbers:
                continue
            if header:
                head = [str(c).strip() for c in rows[numbers[0]]]
                body = numbers[1:]
            else:
                head = None
                body = numbers
            width = max([len(head or [])] + [len(rows[n]) for n in body])
            data = [rows[n] + [""] * (width - len(rows[n])) for n in body]
            columns = (
                (head + [f"column {i + 1}" for i in range(len(head), width)]) if head else None
            )
            frame = pd.DataFrame(data, index=body, columns=columns, dtype=object)
            if not header:
                frame.columns = list(range(width))
            out.append((name, frame, 0))
        return out
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            frame = pd.read_csv(
                path,
                dtype=object,  # plain Python strings: quicker to walk than Arrow strings
                keep_default_na=False,
                header=0 if header else None,
                encoding=encoding,
                compression="infer",
                skip_blank_lines=False,
            )
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, EOFError, OSError) as exc:
            raise ImportFailed(
                [ImportIssue(path.name, None, None, f"cannot read the file as CSV ({exc})")]
            ) from exc
        if header:
            frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
        if len(frame):
            frame = frame[~(frame == "").all(axis=1)]
        return [("", frame, 2 if header else 1)]
    raise ImportFailed([ImportIssue(path.name, None, None, "cannot read the file as text")])


# ---------------------------------------------------------------------------------------------
# Counting


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.deleted + other.deleted,
        )

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }

    def __str__(self) -> str:
        """ "0 added, 0 updated, 5 unchanged": the same three figures every time, so that a
        file loaded again plainly changed nothing."""
        parts = [
            f"{self.created:,} added",
            f"{self.updated:,} updated",
            f"{self.unchanged:,} unchanged",
        ]
        if self.deleted:
            parts.append(f"{self.deleted:,} deleted")
        return ", ".join(parts)


@dataclass
class ImportResult:
    kind: str
    file: str
    layout: str
    what: str  # what the counts count, e.g. "LSOA deprivation rows"
    counts: Counts
    rows: int
    skipped: int = 0
    skipped_reason: str = ""
    details: dict[str, Counts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = f"{self.file}: {self.counts} ({self.what})"
        if self.skipped:
            text += f"; {self.skipped:,} rows skipped ({self.skipped_reason})"
        return text

    @property
    def messages(self) -> list[str]:
        lines = [f"{name}: {counts}" for name, counts in self.details.items()]
        return lines + self.notes


# ---------------------------------------------------------------------------------------------
# Writing


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How to pass a field's Python value to the database driver directly (None: as is)."""
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if isinstance(field, models.DateTimeField):
        return lambda v: v if v is None else field.get_db_prep_save(v, connection)
    if isinstance(field, models.DateField) and connection.vendor == "sqlite":
        # Python 3.12 deprecates sqlite3's default date adapter: pass ISO text, as Django does.
        return lambda v: None if v is None else v.isoformat()
    return None


# Bulk writes of at least this many rows refresh the table's planner statistics.
ANALYZE_AFTER_ROWS = 1_000


def _analyze(table: str, rows: int) -> None:
    """PostgreSQL, after a bulk write of ``rows`` rows: refresh the table's statistics. A
    freshly loaded table still has the planner's empty-table estimates until autovacuum gets
    to it (and never inside a test's transaction): joins against it then run as nested loops
    over every row, minutes instead of milliseconds."""
    if connection.vendor == "postgresql" and rows >= ANALYZE_AFTER_ROWS:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _execute_many(sql: str, params: list[list], table: str) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(params), 10_000):
            cursor.executemany(sql, params[start : start + 10_000])
    _analyze(table, len(params))


def _convert(params: list[list], fields: list[models.Field]) -> None:
    """Turn each row's values (in ``fields`` order) into what the driver takes, in place."""
    for i, convert in enumerate(_converter(f) for f in fields):
        if convert is not None:
            for values in params:
                values[i] = convert(values[i])


def fast_insert(model: type[models.Model], rows: list[dict]) -> None:
    """INSERT many rows at once: COPY on PostgreSQL, one executemany elsewhere; much quicker
    than bulk_create (which builds each statement through the ORM compiler) for national
    files. Fields a row does not give take their model default."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    pairs = [(f.attname, f.get_default()) for f in fields]
    params = [[row.get(name, default) for name, default in pairs] for row in rows]
    _convert(params, fields)
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        _copy_rows(table, [f.column for f in fields], params)
        _analyze(table, len(params))
        return
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from model metadata)
        qn(table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    _execute_many(sql, params, table)


def fast_update(model: type[models.Model], fields: list[str], rows: list[tuple]) -> None:
    """UPDATE many rows by primary key: rows = [(pk, value for each field), …]. Through a
    staged COPY on PostgreSQL, one executemany elsewhere; much quicker than bulk_update's
    CASE expressions for large files."""
    if not rows:
        return
    model_fields = [model._meta.get_field(f) for f in fields]
    params = [[*row[1:], row[0]] for row in rows]
    _convert(params, model_fields)
    if connection.vendor == "postgresql":
        _update_by_copy(model, model_fields, params)
    else:
        qn = connection.ops.quote_name
        sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608 (model metadata)
            qn(model._meta.db_table),
            ", ".join(f"{qn(f.column)} = %s" for f in model_fields),
            qn(model._meta.pk.column),
        )
        _execute_many(sql, params, model._meta.db_table)


def _copy_rows(table: str, columns: list[str], params: list[list]) -> None:
    """PostgreSQL: write rows with COPY (several times quicker than a pipelined
    executemany of INSERTs for national files)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        names = ", ".join(qn(c) for c in columns)
        with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
            for values in params:
                copy.write_row(values)


def _update_by_copy(
    model: type[models.Model], fields: list[models.Field], params: list[list]
) -> None:
    """PostgreSQL: COPY the new values (each row: the fields' values, then the primary key)
    into a temporary table and apply them with one UPDATE ... FROM. In its own atomic block,
    so that a failure leaves no staged table behind."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = qn(model._meta.pk.column)
    staged = "places_staged_update"
    columns = [qn(f.column) for f in fields]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staged} AS "  # noqa: S608 (model metadata)
            f"SELECT {', '.join(columns)}, {pk} FROM {table} WITH NO DATA"
        )
        _copy_rows(staged, [*[f.column for f in fields], model._meta.pk.column], params)
        assignments = ", ".join(f"{c} = s.{c}" for c in columns)
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {staged} AS s "  # noqa: S608
            f"WHERE t.{pk} = s.{pk}"
        )
        cursor.execute(f"DROP TABLE {staged}")
    _analyze(model._meta.db_table, len(params))


Merge = Callable[[dict, dict], dict]


def replace(old: dict, new: dict) -> dict:
    return new


def keep(old: dict, new: dict) -> dict:
    """Create-only: an existing row keeps its values."""
    return old


def newer_year(old: dict, new: dict) -> dict:
    """Replace only from a lookup at least as recent as the one that last wrote the row;
    fields the incoming row does not set are kept."""
    if new.get("year", 0) >= old.get("year", 0):
        return {**old, **{k: v for k, v in new.items() if v is not None or k not in old}}
    return old


def sync(
    model: type[models.Model],
    key_fields: tuple[str, ...],
    rows: dict[tuple, dict],
    fields: list[str],
    *,
    merge: Merge = replace,
    queryset: models.QuerySet | None = None,
    create_with: dict | None = None,
) -> tuple[Counts, dict[tuple, int]]:
    """Make ``model`` hold ``rows`` ({natural key: {field: value}}) for ``fields``: create
    the missing, update the changed (as ``merge`` decides), count the unchanged. Returns the
    counts and {natural key: pk} for every row in ``rows``. ``queryset`` narrows the rows
    compared (e.g. one LSOA vintage); ``create_with`` gives the values that narrowing implies
    for new rows."""
    qs = queryset if queryset is not None else model._default_manager.all()
    existing: dict[tuple, tuple[int, dict]] = {}
    for values in qs.values_list("pk", *key_fields, *fields).iterator(chunk_size=20_000):
        key = tuple(values[1 : 1 + len(key_fields)])
        existing[key] = (values[0], dict(zip(fields, values[1 + len(key_fields) :], strict=True)))
    counts = Counts()
    to_create = []
    to_update = []
    extra = _attnames(model, create_with or {})
    for key, new in rows.items():
        if key in existing:
            pk, old = existing[key]
            target = merge(old, {f: new.get(f, old.get(f)) for f in fields})
            if any(target.get(f) != old.get(f) for f in fields):
                to_update.append((pk, *[target.get(f) for f in fields]))
                counts.updated += 1
            else:
                counts.unchanged += 1
        else:
            to_create.append({**extra, **dict(zip(key_fields, key, strict=True)), **new})
            counts.created += 1
    fast_insert(model, to_create)
    fast_update(model, fields, to_update)
    pks = {k: v[0] for k, v in existing.items() if k in rows}
    if to_create:
        for values in qs.values_list("pk", *key_fields).iterator(chunk_size=20_000):
            key = tuple(values[1:])
            if key in rows:
                pks[key] = values[0]
    return counts, pks


def _attnames(model: type[models.Model], row: dict) -> dict:
    """{"edition": <Edition>} → {"edition_id": pk}: plain column values for fast_insert."""
    out = {}
    for name, value in row.items():
        if isinstance(value, models.Model):
            out[model._meta.get_field(name).attname] = value.pk
        else:
            out[name] = value
    return out


# ---------------------------------------------------------------------------------------------
# The importer


ProgressCallback = Callable[[int, int | None, str], None]


class Importer:
    """One kind of import. Subclasses give ``kind``, ``label``, ``layouts``, and implement
    ``prepare`` (check rows; raise through ``self.issues``) and ``write`` (inside the
    transaction; return an ImportResult)."""

    kind: ClassVar[str]
    label: ClassVar[str]
    description: ClassVar[str] = ""
    layouts: ClassVar[list[Layout]]

    def __init__(
        self,
        path: Path | str,
        *,
        layout: str | None = None,
        file_label: str | None = None,
        actor=None,
        progress: ProgressCallback | None = None,
        options: dict | None = None,
    ):
        self.path = Path(path)
        self.file = file_label or self.path.name
        self.requested_layout = layout or None
        self.actor = actor
        self._progress = progress
        self._last_progress = 0.0
        self.options = options or {}
        self.issues = Issues(self.file)
        self.layout: Layout | None = None
        self.columns: dict[str, str] = {}
        self.frame: pd.DataFrame | None = None
        self.first_row = 2
        self.skipped = 0
        self.skipped_reason = ""
        self._text: dict[str, pd.Series] = {}

    # -- progress --

    def progress(self, done: int, total: int | None, phase: str, force: bool = False) -> None:
        if self._progress is None:
            return
        now = time.monotonic()
        if force or now - self._last_progress >= 0.5:
            self._last_progress = now
            self._progress(done, total, phase)

    # -- reading --

    @classmethod
    def layout_named(cls, key: str) -> Layout:
        for layout in cls.layouts:
            if layout.key == key:
                return layout
        known = ", ".join(lay.key for lay in cls.layouts)
        raise ValueError(f"unknown layout {key!r} for {cls.kind} (known: {known})")

    def read(self) -> None:
        self.progress(0, None, "Reading the file", force=True)
        if not self.path.exists():
            raise ImportFailed([ImportIssue(self.file, None, None, "the file does not exist")])
        headerless = [lay for lay in self.layouts if not lay.header]
        candidates = self.layouts
        if self.requested_layout:
            candidates = [self.layout_named(self.requested_layout)]
        header = any(lay.header for lay in candidates)
        if not header and headerless:
            sheets = read_frame(self.path, header=False)
        else:
            sheets = read_frame(self.path, header=True)
        best = None
        for _sheet, frame, first_row in sheets:
            headers = list(frame.columns)
            for lay in candidates:
                if not lay.header:
                    if lay.width is not None and frame.shape[1] != lay.width:
                        score = (-1, 0)
                        found, missing = {}, [Col("width", (f"{lay.width} columns",))]
                    else:
                        found, missing = lay.match(headers)
                        score = (0 if missing else 1, len(found))
                else:
                    found, missing = lay.match(headers)
                    score = (0 if missing else 1, len(found))
                if best is None or score > best[0]:
                    best = (score, lay, found, missing, frame, first_row)
        if best is None:
            raise ImportFailed([ImportIssue(self.file, None, None, "the file has no data")])
        score, lay, found, missing, frame, first_row = best
        if missing:
            if not lay.header and lay.width is not None and frame.shape[1] != lay.width:
                raise ImportFailed(
                    [
                        ImportIssue(
                            self.file,
                            None,
                            None,
                            f"expected the {lay.label} layout: {lay.width} columns without a "
                            f"header row, but found {frame.shape[1]} columns",
                        )
                    ]
                )
            intro = (
                f"missing column for the {lay.label} layout"
                if self.requested_layout or len(candidates) == 1
                else f"does not match any {self.label} layout (closest: {lay.label}); "
                "missing column"
            )
            raise ImportFailed(
                [
                    ImportIssue(self.file, None, None, f"{intro}: expected a header '{c.expected}'")
                    for c in missing
                ]
            )
        self.layout = lay
        self.columns = found
        self.frame = frame
        self.first_row = first_row
        self.progress(0, len(frame), "Checking rows", force=True)

    # -- column helpers (vectorised; problems go to self.issues) --

    def has(self, key: str) -> bool:
        return key in self.columns

    def header(self, key: str) -> str:
        return self.columns[key]

    def text(self, key: str) -> pd.Series:
        """The column's values as stripped text ("" where the layout has no such column)."""
        if key not in self._text:
            if key not in self.columns:
                values = pd.Series([""] * len(self.frame), index=self.frame.index, dtype=object)
            else:
                values = (
                    self.frame[self.columns[key]]
                    .astype(object)
                    .fillna("")
                    .map(lambda v: v.strip() if isinstance(v, str) else str(v))
                )
            self._text[key] = values
        return self._text[key]

    def row_number(self, index) -> int:
        """The row's number in the file (header row = 1 for CSV; the sheet row for Excel)."""
        return int(index) + self.first_row

    def fact(self, name: str, default=None):
        if name in self.options and self.options[name] not in (None, ""):
            return self.options[name]
        return (self.layout.facts if self.layout else {}).get(name, default)

    def code(
        self,
        key: str,
        pattern: str,
        *,
        skip: str | None = None,
        blank: bool = False,
        rows: pd.Series | None = None,
    ) -> tuple[pd.Series, pd.Series]:
        """(upper-cased codes, mask of rows to skip because they match ``skip``). A value
        matching neither is a problem naming its row and column."""
        values = self.text(key).str.upper()
        ok = values.str.fullmatch(pattern)
        skipped = values.str.fullmatch(skip) if skip else pd.Series(False, index=values.index)
        if blank:
            ok = ok | (values == "")
        bad = ~(ok | skipped)
        if rows is not None:
            bad = bad & rows
        if bad.any():
            what = CODE_NAMES.get(pattern, f"a code matching {pattern}")
            for index, value in values[bad].items():
                shown = value if value else "(blank)"
                self.issues.add(
                    self.row_number(index), self.header(key), f"'{shown}' is not {what}"
                )
        return values, skipped.astype(bool)

    def integers(
        self,
        key: str,
        *,
        blank: bool = False,
        low: int | None = None,
        high: int | None = None,
        rows: pd.Series | None = None,
    ) -> pd.Series:
        """Whole numbers (thousands separators allowed); None where blank and allowed."""
        raw = self.text(key).str.replace(",", "", regex=False)
        numbers = pd.to_numeric(raw, errors="coerce").astype(float)
        whole = numbers.notna() & (numbers == numbers.round())
        if low is not None:
            whole &= numbers >= low
        if high is not None:
            whole &= numbers <= high
        bad = ~whole & ~((raw == "") & blank)
        if rows is not None:
            bad &= rows
        if bad.any():
            span = ""
            if low is not None and high is not None:
                span = f" from {low} to {high}"
            elif low is not None:
                span = f" of at least {low}"
            for index, value in raw[bad].items():
                shown = value if value else "(blank)"
                self.issues.add(
                    self.row_number(index),
                    self.header(key),
                    f"'{shown}' is not a whole number{span}",
                )
        values = [
            int(v) if ok else None for v, ok in zip(numbers.tolist(), whole.tolist(), strict=True)
        ]
        return pd.Series(values, index=raw.index, dtype=object)

    def decimals(self, key: str, *, blank: bool = False, rows: pd.Series | None = None):
        raw = self.text(key).str.replace(",", "", regex=False)
        numbers = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = numbers.isna() & ~((raw == "") & blank)
        if rows is not None:
            bad &= rows
        for index, value in raw[bad].items():
            shown = value if value else "(blank)"
            self.issues.add(self.row_number(index), self.header(key), f"'{shown}' is not a number")
        values = [None if v != v else v for v in numbers.tolist()]  # NaN → None
        return pd.Series(values, index=raw.index, dtype=object)

    def dates(self, key: str, fmt: str, *, rows: pd.Series | None = None) -> pd.Series:
        """Dates in ``fmt`` ("%Y%m%d", "%Y%m", "%d%b%Y"); None where blank."""
        raw = self.text(key)
        parsed = pd.to_datetime(raw, format=fmt, errors="coerce")
        bad = parsed.isna() & (raw != "")
        if rows is not None:
            bad &= rows
        for index, value in raw[bad].items():
            self.issues.add(self.row_number(index), self.header(key), f"'{value}' is not a date")
        return pd.Series(
            [None if pd.isna(v) else v.date() for v in parsed], index=raw.index, dtype=object
        )

    def unique(self, key: str, values: pd.Series, rows: pd.Series | None = None) -> None:
        """Each value at most once; a repeat names every row it is on."""
        subset = values if rows is None else values[rows]
        dup = subset[subset.duplicated(keep=False) & (subset != "")]
        if dup.empty:
            return
        for value, group in dup.groupby(dup, sort=False):
            numbers = [str(self.row_number(i)) for i in group.index[:10]]
            if len(group) > 10:
                numbers.append(f"{len(group) - 10} more")
            rows_text = ", ".join(numbers[:-1]) + " and " + numbers[-1]
            self.issues.add(
                self.row_number(group.index[0]),
                self.header(key),
                f"'{value}' appears more than once (rows {rows_text})",
            )

    def skip_rows(self, mask: pd.Series, reason: str) -> pd.Series:
        """Leave out the rows in ``mask`` (counted and reported); returns the rows kept."""
        count = int(mask.sum())
        if count:
            self.skipped += count
            self.skipped_reason = reason
        return ~mask

    # -- running --

    def prepare(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self) -> ImportResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def result(self, what: str, counts: Counts, **kwargs) -> ImportResult:
        return ImportResult(
            kind=self.kind,
            file=self.file,
            layout=self.layout.key if self.layout else "",
            what=what,
            counts=counts,
            rows=len(self.frame) if self.frame is not None else 0,
            skipped=self.skipped,
            skipped_reason=self.skipped_reason,
            **kwargs,
        )

    def run(self) -> ImportResult:
        """Read, check, then write in one transaction with an audit event."""
        self.read()
        self.prepare()
        self.issues.check()
        total = len(self.frame)
        self.progress(total, total, "Saving", force=True)
        with transaction.atomic():
            result = self.write()
            record(
                actor=self.actor,
                verb=AuditEvent.Verb.IMPORT,
                object_type="places reference data",
                object_label=f"{self.label}: {self.file}",
                changes={
                    "file": self.file,
                    "layout": result.layout,
                    "rows": result.rows,
                    "skipped": result.skipped,
                    **result.counts.as_dict(),
                    **{name: str(c) for name, c in result.details.items()},
                },
                summary=result.summary,
            )
        return result


def first_of_month(value: date | None) -> date | None:
    return value.replace(day=1) if value else None
