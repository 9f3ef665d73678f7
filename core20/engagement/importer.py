"""Importing activities from a CSV or Excel file, checked a whole column at a time.

A file loads in full or not at all: every row is checked first, and any problem stops the
import with the problems listed by file, row and column. Loading the same file again
changes nothing: a row whose ``external_id`` is already stored for the site is left as it
is (counted as already imported).

Checks run on whole columns (Arrow compute kernels and numpy; the place lookup resolves
the whole postcode column in one join), never row by row, so a million rows check in
seconds. On PostgreSQL rows are written with COPY (ids reserved from the table's sequence
first, so the clinical-area and community links can be written with COPY too); on other
databases with ``bulk_create`` in large batches. ``benchmarks/import_activities.py`` times
this module through ``runs.execute_run``, the code path the import page's task runs.

Columns (header names, any case; spaces read as underscores):

- required: ``external_id``, ``date`` (YYYY-MM-DD or DD/MM/YYYY), ``type`` (a type code
  such as ``outreach`` or its label), ``people_reached``;
- optional: ``postcode`` (or LSOA code), ``venue``, ``clinical_areas`` and
  ``communities`` (codes separated by ``;``), the counts ``age_0_17`` … ``age_65_plus``,
  ``sex_female``/``sex_male``/``sex_other``, ``ethnicity_asian`` … ``ethnicity_other``,
  ``mecc_conversations`` and the case-finding counts (``bp_checks_offered`` …),
  ``languages``, ``partners``, ``notes``, ``recorded_by`` (the email address of a person
  who records activities at the site).

Columns the export adds (``activity_id``, ``site``, ``lsoa`` …) are ignored, so an export
can be edited and imported into another site.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.engagement import access, places
from core20.engagement.models import (
    BREAKDOWNS,
    CASE_FINDING,
    MAX_COUNT,
    Activity,
    ActivityType,
)
from core20.engagement.validation import (
    DATE_EARLY,
    DATE_FUTURE,
    EARLIEST,
    MAX_LENGTHS,
    breakdown_too_big,
)
from core20.network.models import Connector
from core20.programme.models import ClinicalArea, PlusGroup

REQUIRED = ("external_id", "date", "type", "people_reached")
TEXT = ("postcode", "venue", "clinical_areas", "communities", "languages", "partners", "notes")
BREAKDOWN_COLUMNS = {d: [f"{d}_{k}" for k in groups] for d, groups in BREAKDOWNS.items()}
COUNTS = (
    *(c for cols in BREAKDOWN_COLUMNS.values() for c in cols),
    "mecc_conversations",
    *CASE_FINDING,
)
OPTIONAL = (*TEXT, *COUNTS, "recorded_by")
IGNORED = (
    "activity_id",
    "uuid",
    "site",
    "lsoa",
    "imd_decile",
    "core20",
    "deprivation_edition",
    "recorded_at",
    "type_label",
)
MAX_SHOWN = 200  # problems listed; the rest are counted
BATCH = 50_000  # rows per bulk_create batch (other databases)


class ImportFailed(Exception):
    """The file was not loaded; ``messages`` say why (file, row, column)."""

    def __init__(self, messages: list[str], more: int = 0) -> None:
        super().__init__(messages[0] if messages else "Import failed")
        self.messages = messages
        self.more = more


@dataclass
class Result:
    rows: int
    created: int
    skipped: int
    summary: str
    messages: list[str] = field(default_factory=list)


Progress = Callable[[int, int | None, str], None]


def _noop(done: int, total: int | None, phase: str) -> None:
    pass


# ---- reading ----


def _header_name(value) -> str:
    return "_".join(str(value or "").strip().lower().split())


def read_table(path: str | Path, file_label: str) -> pa.Table:
    """Every column as text (empty for a missing value), with normalised header names."""
    name = str(file_label).lower()
    try:
        if name.endswith(".xlsx"):
            return _read_xlsx(path)
        return _read_csv(path)
    except ImportFailed:
        raise
    except (pa.ArrowInvalid, UnicodeDecodeError, csv.Error, ValueError, OSError) as exc:
        detail = str(exc).splitlines()[0][:300]
        raise ImportFailed([f"{file_label}: the file could not be read ({detail})"]) from None


def _read_csv(path) -> pa.Table:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), None)
    if not header:
        raise ImportFailed(["The file is empty"])
    names = [_header_name(h) for h in header]
    table = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
        convert_options=pcsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(path) -> pa.Table:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise ImportFailed(["The file is empty"])
        names = [_header_name(h) for h in header]
        columns: list[list[str]] = [[] for _ in names]
        for row in rows:
            if row is None or all(v is None for v in row):
                continue
            for i in range(len(names)):
                columns[i].append(_cell(row[i] if i < len(row) else None))
    finally:
        book.close()
    return pa.table({n: pa.array(c, pa.string()) for n, c in zip(names, columns, strict=True)})


# ---- checking ----


class Problems:
    def __init__(self, file_label: str) -> None:
        self.file = file_label
        self.items: list[tuple[int, str, str]] = []
        self.count = 0

    def add(self, mask, column: str, message: str | Callable[[int], str]) -> None:
        rows = np.flatnonzero(np.asarray(mask, dtype=bool))
        self.count += len(rows)
        for row in rows[:MAX_SHOWN]:
            text = message(int(row)) if callable(message) else message
            self.items.append((int(row), column, text))

    def raise_if_any(self) -> None:
        if not self.count:
            return
        self.items.sort()
        shown = self.items[:MAX_SHOWN]
        messages = [
            f"{self.file}, row {row + 2}, column {column}: {text}" for row, column, text in shown
        ]
        raise ImportFailed(messages, more=self.count - len(shown))


def _np(array) -> np.ndarray:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.to_numpy(zero_copy_only=False)


def _text(table: pa.Table, name: str) -> pa.Array:
    if name not in table.column_names:
        return pa.array([""] * table.num_rows, pa.string())
    column = table.column(name).combine_chunks()
    return pc.utf8_trim_whitespace(pc.fill_null(column, ""))


def _counts(table: pa.Table, name: str, problems: Problems, *, required: bool = False):
    """(int64 numpy values, 0 where empty)."""
    text = _text(table, name)
    empty = _np(pc.equal(text, ""))
    # (ASCII digits only, checked by a classifying kernel: several times quicker than a
    # regular expression over a million rows)
    whole = _np(pc.and_(pc.ascii_is_decimal(text), pc.less_equal(pc.utf8_length(text), 9)))
    if required:
        problems.add(empty, name, "Enter a whole number, or 0")
    problems.add(~empty & ~whole, name, "Must be a whole number, like 12")
    values = _np(pc.cast(pc.if_else(pa.array(whole), text, "0"), pa.int64()))
    problems.add(values > MAX_COUNT, name, f"Must be {MAX_COUNT:,} or fewer")
    return values


def _dates(table: pa.Table, problems: Problems, today: date) -> pa.Array:
    text = _text(table, "date")
    iso = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    uk = pc.strptime(text, format="%d/%m/%Y", unit="s", error_is_null=True)
    parsed = pc.cast(pc.coalesce(iso, uk), pa.date32())
    empty = _np(pc.equal(text, ""))
    problems.add(empty, "date", "Enter the date of the activity")
    problems.add(~empty & _np(pc.is_null(parsed)), "date", "Enter a date like 2026-03-21")
    days = _np(pc.fill_null(pc.cast(parsed, pa.int32()), 0))
    epoch = date(1970, 1, 1)
    known = _np(pc.is_valid(parsed))
    problems.add(known & (days > (today - epoch).days), "date", DATE_FUTURE)
    problems.add(known & (days < (EARLIEST - epoch).days), "date", DATE_EARLY)
    return parsed


def _kinds(table: pa.Table, problems: Problems) -> pa.Array:
    text = pc.utf8_lower(_text(table, "type"))
    names = {}
    for code, label in ActivityType.choices:
        names[code] = code
        names[label.lower()] = code
    keys = list(names)
    index = pc.index_in(text, value_set=pa.array(keys))
    problems.add(
        _np(pc.is_null(index)),
        "type",
        "Enter a type of activity: " + ", ".join(ActivityType.values),
    )
    return pc.take(pa.array([names[k] for k in keys]), pc.fill_null(index, 0))


def _code_lists(table: pa.Table, name: str, allowed: dict[str, int], problems: Problems, label):
    """(row index, id) pairs for a column of codes separated by ';' (or ',')."""
    text = _text(table, name)
    lists = pc.split_pattern_regex(text, pattern=r"[;,]")
    parents = _np(pc.list_parent_indices(lists))
    codes = pc.utf8_lower(pc.utf8_trim_whitespace(pc.list_flatten(lists)))
    keep = _np(pc.not_equal(codes, ""))
    parents, codes = parents[keep], pc.filter(codes, pa.array(keep))
    keys = list(allowed)
    index = pc.index_in(codes, value_set=pa.array(keys, pa.string()))
    unknown = _np(pc.is_null(index))
    if unknown.any():
        bad_rows = np.zeros(table.num_rows, dtype=bool)
        bad_rows[parents[unknown]] = True
        bad_codes: dict[int, list[str]] = {}
        for row, code in zip(
            parents[unknown][:MAX_SHOWN], _np(codes)[unknown][:MAX_SHOWN], strict=False
        ):
            bad_codes.setdefault(int(row), []).append(str(code))
        problems.add(
            bad_rows, name, lambda r: f"Unknown {label}: {', '.join(bad_codes.get(r, []))}"
        )
    # (a 0 at the end stands in for unknown codes, which are reported above)
    lookup = np.array([*(allowed[k] for k in keys), 0], dtype=np.int64)
    ids = lookup[_np(pc.fill_null(index, len(keys))).astype(np.int64)]
    pairs = (
        np.stack([parents[~unknown], ids[~unknown]], axis=1)
        if len(ids)
        else np.empty((0, 2), dtype=np.int64)
    )
    # The same code twice in a cell counts once. (One number per pair, sorted, and repeats
    # dropped: np.unique took over a second per million pairs, on rows or on numbers.)
    if not len(pairs):
        return pairs
    width = int(pairs[:, 1].max()) + 1
    key = np.sort(pairs[:, 0] * width + pairs[:, 1])
    key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    return np.stack([key // width, key % width], axis=1)


def _const(text: str, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(text, pa.string()), n)


def _join(pieces: list[pa.Array], n: int) -> pa.Array:
    """'{' + the non-empty pieces joined with ', ' + '}' per row. Each piece is either ""
    or starts with ', ' (Arrow's null-skipping join is avoided: it misbehaves on some
    versions)."""
    inner = pc.binary_join_element_wise(*pieces, _const("", n)) if pieces else None
    if inner is None:
        return pa.array(["{}"] * n)
    inner = pc.replace_substring_regex(inner, pattern="^, ", replacement="")
    return pc.binary_join_element_wise(_const("{", n), inner, _const("}", n), "")


def _json_objects(pairs: list[tuple[str, np.ndarray]], n: int) -> pa.Array:
    """'{"key": 3, ...}' per row for the non-zero values, built column-wise."""
    pieces = []
    for key, values in pairs:
        arr = pa.array(values)
        text = pc.binary_join_element_wise(_const(f', "{key}": ', n), pc.cast(arr, pa.string()), "")
        pieces.append(pc.if_else(pc.greater(arr, 0), text, ""))
    return _join(pieces, n)


def _nested_json(dimensions: list[tuple[str, pa.Array]], n: int) -> pa.Array:
    pieces = []
    for key, objects in dimensions:
        text = pc.binary_join_element_wise(_const(f', "{key}": ', n), objects, "")
        pieces.append(pc.if_else(pc.equal(objects, "{}"), "", text))
    return _join(pieces, n)


@dataclass
class Checked:
    table: pa.Table  # the activity rows to write, in the table's column order
    areas: np.ndarray  # (row, clinical area id) for the rows to write
    groups: np.ndarray  # (row, PLUS group id)
    rows: int
    skipped: int


def check(
    table: pa.Table, *, site, file_label: str, run_id: int | None, progress: Progress = _noop
) -> Checked:
    n = table.num_rows
    problems = Problems(file_label)
    columns = table.column_names
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c for c in columns if c not in (*REQUIRED, *OPTIONAL, *IGNORED)]
    file_problems = []
    if missing:
        file_problems.append(
            f"{file_label}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
        )
    if unknown:
        file_problems.append(
            f"{file_label}: unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(c or '(blank)' for c in unknown)}"
        )
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes:
        file_problems.append(f"{file_label}: columns named twice: {', '.join(dupes)}")
    if not n and not file_problems:
        file_problems.append(f"{file_label}: the file has a header row but no activities")
    if file_problems:
        raise ImportFailed(file_problems)
    today = timezone.localdate()
    progress(0, n, "Checking the rows")

    external = _text(table, "external_id")
    problems.add(_np(pc.equal(external, "")), "external_id", "Enter an external id for the row")
    problems.add(
        _np(pc.greater(pc.utf8_length(external), 100)),
        "external_id",
        "Must be 100 characters or fewer",
    )
    ext_np = _np(external)
    order = np.argsort(ext_np, kind="stable")
    sorted_ids = ext_np[order]
    same = np.zeros(n, dtype=bool)
    if n > 1:
        eq = (sorted_ids[1:] == sorted_ids[:-1]) & (sorted_ids[1:] != "")
        dup_sorted = np.zeros(n, dtype=bool)
        dup_sorted[1:] |= eq
        dup_sorted[:-1] |= eq
        same[order] = dup_sorted
    problems.add(same, "external_id", "This external id appears more than once in the file")

    dates = _dates(table, problems, today)
    kinds = _kinds(table, problems)
    reached = _counts(table, "people_reached", problems, required=True)
    counts = {name: _counts(table, name, problems) for name in COUNTS}
    for dimension, cols in BREAKDOWN_COLUMNS.items():
        total = sum(counts[c] for c in cols)
        problems.add(
            total > reached,
            f"{cols[0]} to {cols[-1]}",
            lambda r, total=total, dimension=dimension: breakdown_too_big(
                dimension, int(total[r]), int(reached[r])
            ),
        )

    texts = {}
    for name, limit in (*MAX_LENGTHS.items(),):
        texts[name] = _text(table, name)
        problems.add(
            _np(pc.greater(pc.utf8_length(texts[name]), limit)),
            name,
            f"Must be {limit:,} characters or fewer",
        )
    place_text = _text(table, "postcode")
    problems.add(_np(pc.greater(pc.utf8_length(place_text), 20)), "postcode", places.PLACE_INVALID)
    progress(0, n, "Looking up places")
    found = places.derive(place_text)
    problems.add(~found.ok, "postcode", places.PLACE_INVALID)

    area_ids = dict(ClinicalArea.objects.national_or_site(site).values_list("code", "pk"))
    group_ids = dict(PlusGroup.objects.national_or_site(site).values_list("code", "pk"))
    areas = _code_lists(table, "clinical_areas", area_ids, problems, "clinical area")
    groups = _code_lists(table, "communities", group_ids, problems, "community (PLUS group)")

    recorders = pc.utf8_lower(_text(table, "recorded_by"))
    emails = [e for e in pc.unique(recorders).to_pylist() if e]
    users = {u.email: u for u in get_user_model().objects.filter(email__in=emails)}
    allowed = {e: u for e, u in users.items() if access.can_record(u, site)}
    user_ids = {e: u.pk for e, u in allowed.items()}
    connectors = dict(
        Connector.objects.filter(site=site, user_id__in=list(user_ids.values()))
        .order_by("-pk")
        .values_list("user_id", "pk")
    )
    rec_index = (
        pc.index_in(recorders, value_set=pa.array(list(user_ids), pa.string()))
        if user_ids
        else pa.nulls(n, pa.int32())
    )
    bad_recorder = _np(pc.and_(pc.not_equal(recorders, ""), pc.is_null(rec_index)))
    problems.add(
        bad_recorder,
        "recorded_by",
        "No one with this email address records activities at this site",
    )
    problems.raise_if_any()

    # Rows already imported (by external id) are left as they are.
    # (A hash lookup in Arrow: numpy's isin compares text arrays element by element, which
    # took minutes to re-check 200,000 rows against a million stored ones.)
    existing = pa.array(
        Activity.objects.filter(site=site)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
        .iterator(chunk_size=50_000),
        pa.string(),
    )
    new = ~_np(pc.is_in(external, value_set=existing)) if len(existing) else np.ones(n, dtype=bool)
    keep = pa.array(new)
    rows = int(new.sum())

    # The table as it will be stored.
    uid_list = list(user_ids.values()) or [0]
    recorder_ids = pc.take(pa.array(uid_list, pa.int64()), pc.fill_null(rec_index, 0))
    recorder_ids = pc.if_else(pc.is_null(rec_index), pa.scalar(None, pa.int64()), recorder_ids)
    connector_ids = (
        pa.array(
            [connectors.get(u) for u in _np(pc.fill_null(recorder_ids, 0)).tolist()], pa.int64()
        )
        if connectors
        else pa.nulls(n, pa.int64())
    )
    breakdown = _nested_json(
        [
            (d, _json_objects([(k, counts[f"{d}_{k}"]) for k in BREAKDOWNS[d]], n))
            for d in BREAKDOWNS
        ],
        n,
    )
    case_finding = _json_objects([(k, counts[k]) for k in CASE_FINDING], n)
    uuids = _uuids(n)
    now = timezone.now().isoformat()
    found_any = pa.array(found.found)
    out = pa.table(
        {
            "uuid": uuids,
            "site_id": pa.array(np.full(n, site.pk, dtype=np.int64)),
            "recorded_by_id": recorder_ids,
            "connector_id": connector_ids,
            "date": dates,
            "kind": kinds,
            "venue": texts["venue"],
            "place": place_text,
            "lsoa": found.lsoa,
            "imd_decile": found.decile,
            "core20": found.core20,
            "deprivation_edition": pc.if_else(found_any, found.edition, ""),
            "people_reached": pa.array(reached),
            "breakdown": breakdown,
            "mecc_conversations": pa.array(counts["mecc_conversations"]),
            "case_finding": case_finding,
            "languages": texts["languages"],
            "partners": texts["partners"],
            "notes": texts["notes"],
            "external_id": external,
            "import_run_id": pa.array(np.full(n, run_id or 0, dtype=np.int64))
            if run_id
            else pa.nulls(n, pa.int64()),
            "created_at": pa.repeat(pa.scalar(now), n),
            "updated_at": pa.repeat(pa.scalar(now), n),
        }
    ).filter(keep)
    # Renumber link rows to the kept rows.
    position = np.cumsum(new) - 1

    def kept(pairs: np.ndarray) -> np.ndarray:
        if not len(pairs):
            return pairs
        mask = new[pairs[:, 0]]
        result = pairs[mask].copy()
        result[:, 0] = position[result[:, 0]]
        return result

    return Checked(out, kept(areas), kept(groups), rows, n - rows)


def _uuids(n: int) -> pa.Array:
    """n random (version 4) UUIDs as 32 hex digits, made in one go."""
    raw = np.frombuffer(os.urandom(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexes = np.frombuffer(raw.tobytes().hex().encode(), dtype="S32")
    return pa.array(hexes.astype("U32"), pa.string())


# ---- writing ----


def _copy(
    cursor,
    table_name: str,
    columns: list[str],
    data: pa.Table,
    share_done: Callable[[float], None] | None = None,
) -> None:
    """COPY ``data`` into the table, calling ``share_done`` with the share sent so far."""
    buffer = io.BytesIO()
    pcsv.write_csv(data, buffer, pcsv.WriteOptions(include_header=False, batch_size=65536))
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with cursor.copy(
        f"COPY {connection.ops.quote_name(table_name)} ({names}) FROM STDIN (FORMAT csv)"
    ) as copy:
        view = buffer.getbuffer()
        step = 1 << 22
        for start in range(0, len(view), step):
            copy.write(view[start : start + step])
            if share_done is not None:
                share_done(min(start + step, len(view)) / len(view))


def _write_postgresql(checked: Checked, progress: Progress) -> None:
    n = checked.rows
    table = checked.table
    activities = Activity._meta.db_table
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [activities, n],
        )
        ids = np.fromiter((r[0] for r in cursor.fetchall()), dtype=np.int64, count=n)
        progress(0, n, "Writing activities")
        _copy(
            cursor,
            activities,
            ["id", *table.column_names],
            table.add_column(0, "id", pa.array(ids)),
            # Reported while COPY holds this connection: the run's progress is written over
            # a connection of its own (core20.engagement.runs._Progress).
            lambda share: progress(int(n * share), n, "Writing activities"),
        )
        progress(n, n, "Writing clinical areas and communities")
        for field_name, pairs in (
            ("clinical_areas", checked.areas),
            ("communities", checked.groups),
        ):
            if not len(pairs):
                continue
            through = getattr(Activity, field_name).through
            target_field = through._meta.get_field(
                "clinicalarea" if field_name == "clinical_areas" else "plusgroup"
            )
            target = target_field.column
            # The link tables have no foreign keys (docs/adr/0007): lock the few rows linked
            # to, as a foreign key check would, so none is deleted before this commits.
            linked = connection.ops.quote_name(target_field.related_model._meta.db_table)
            cursor.execute(
                f"SELECT 1 FROM {linked} WHERE id = ANY(%s) FOR KEY SHARE",  # noqa: S608
                [np.flatnonzero(np.bincount(pairs[:, 1])).tolist()],
            )
            links = pa.table(
                {"activity_id": pa.array(ids[pairs[:, 0]]), target: pa.array(pairs[:, 1])}
            )
            _copy(cursor, through._meta.db_table, ["activity_id", target], links)


def _write_orm(checked: Checked, progress: Progress) -> None:
    n = checked.rows
    data = checked.table.to_pydict()
    objects = []
    for i in range(n):
        objects.append(
            Activity(
                uuid=data["uuid"][i],
                site_id=data["site_id"][i],
                recorded_by_id=data["recorded_by_id"][i],
                connector_id=data["connector_id"][i],
                date=data["date"][i],
                kind=data["kind"][i],
                venue=data["venue"][i],
                place=data["place"][i],
                lsoa=data["lsoa"][i],
                imd_decile=data["imd_decile"][i],
                core20=data["core20"][i],
                deprivation_edition=data["deprivation_edition"][i],
                people_reached=data["people_reached"][i],
                breakdown=json.loads(data["breakdown"][i]),
                mecc_conversations=data["mecc_conversations"][i],
                case_finding=json.loads(data["case_finding"][i]),
                languages=data["languages"][i],
                partners=data["partners"][i],
                notes=data["notes"][i],
                external_id=data["external_id"][i],
                import_run_id=data["import_run_id"][i],
            )
        )
    ids = np.empty(n, dtype=np.int64)
    for start in range(0, n, BATCH):
        progress(start, n, "Writing activities")
        created = Activity.objects.bulk_create(objects[start : start + BATCH])
        ids[start : start + len(created)] = [a.pk for a in created]
    for field_name, pairs, target in (
        ("clinical_areas", checked.areas, "clinicalarea_id"),
        ("communities", checked.groups, "plusgroup_id"),
    ):
        through = getattr(Activity, field_name).through
        through.objects.bulk_create(
            (through(activity_id=int(ids[r]), **{target: int(t)}) for r, t in pairs.tolist()),
            batch_size=BATCH,
        )


def import_file(
    path: str | Path,
    *,
    site,
    actor,
    file_label: str,
    run_id: int | None = None,
    progress: Progress = _noop,
) -> Result:
    """Check and load one file (all or nothing). Raises ImportFailed with the problems."""
    progress(0, None, "Reading the file")
    table = read_table(path, file_label)
    checked = check(table, site=site, file_label=file_label, run_id=run_id, progress=progress)
    with transaction.atomic():
        if checked.rows:
            if connection.vendor == "postgresql":
                _write_postgresql(checked, progress)
            else:
                _write_orm(checked, progress)
        summary = f"{checked.rows:,} activit{'y' if checked.rows == 1 else 'ies'} added" + (
            f"; {checked.skipped:,} already imported, left as they were" if checked.skipped else ""
        )
        record(
            actor=actor,
            verb=AuditEvent.Verb.IMPORT,
            object_type="engagement.Activity",
            object_id=run_id or "",
            object_label=f"Activities from {file_label}"[:300],
            site=site,
            changes={"rows": [None, table.num_rows], "added": [None, checked.rows]},
            summary=f"Imported {file_label}: {summary}",
        )
    return Result(
        rows=table.num_rows, created=checked.rows, skipped=checked.skipped, summary=summary
    )
