"""Exports of a site's activities: CSV streamed as it is read, XLSX written by a background
task (openpyxl's write-only mode), so that a million activities export without a timeout
and without holding them all in memory.

Rows are read in pages by id (keyset pagination: three queries a page, however far in),
with each page's clinical areas and communities fetched in one query each. The columns are
the import's columns plus what the service worked out (LSOA, decile, Core20), so an export
can be edited and imported elsewhere.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from core20.engagement.importer import BREAKDOWN_COLUMNS
from core20.engagement.models import BREAKDOWNS, CASE_FINDING, Activity

PAGE = 5000
HEADER = [
    "activity_id",
    "external_id",
    "date",
    "type",
    "type_label",
    "people_reached",
    "postcode",
    "venue",
    "lsoa",
    "imd_decile",
    "core20",
    "deprivation_edition",
    "clinical_areas",
    "communities",
    *(c for cols in BREAKDOWN_COLUMNS.values() for c in cols),
    "mecc_conversations",
    *CASE_FINDING,
    "languages",
    "partners",
    "notes",
    "recorded_by",
    "recorded_at",
]
FIELDS = [
    "id",
    "external_id",
    "date",
    "kind",
    "people_reached",
    "place",
    "venue",
    "lsoa",
    "imd_decile",
    "core20",
    "deprivation_edition",
    "breakdown",
    "mecc_conversations",
    "case_finding",
    "languages",
    "partners",
    "notes",
    "recorded_by__email",
    "created_at",
]


def _safe(value: str) -> str:
    """Stop a spreadsheet from running text as a formula (CSV injection)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def _links(field: str, ids: list[int]) -> dict[int, str]:
    through = getattr(Activity, field).through
    target = "clinicalarea__code" if field == "clinical_areas" else "plusgroup__code"
    codes: dict[int, list[str]] = defaultdict(list)
    for activity_id, code in (
        through.objects.filter(activity_id__in=ids)
        .order_by("activity_id", target)
        .values_list("activity_id", target)
    ):
        codes[activity_id].append(code)
    return {k: ";".join(v) for k, v in codes.items()}


def rows(activities) -> Iterator[list]:
    """The export's rows (without the header), page by page."""
    labels = dict(Activity._meta.get_field("kind").choices)
    last = 0
    while True:
        page = list(activities.filter(pk__gt=last).order_by("pk").values_list(*FIELDS)[:PAGE])
        if not page:
            return
        ids = [r[0] for r in page]
        areas = _links("clinical_areas", ids)
        groups = _links("communities", ids)
        for r in page:
            (
                pk,
                external_id,
                when,
                kind,
                reached,
                place,
                venue,
                lsoa,
                decile,
                core20,
                edition,
                breakdown,
                mecc,
                case_finding,
                languages,
                partners,
                notes,
                email,
                created,
            ) = r
            breakdown = breakdown or {}
            case_finding = case_finding or {}
            yield [
                pk,
                _safe(external_id),
                when.isoformat(),
                kind,
                labels.get(kind, kind),
                reached,
                _safe(place),
                _safe(venue),
                lsoa,
                "" if decile is None else decile,
                "" if core20 is None else ("yes" if core20 else "no"),
                edition,
                areas.get(pk, ""),
                groups.get(pk, ""),
                *(
                    (breakdown.get(d) or {}).get(k, "")
                    for d, groups_ in BREAKDOWNS.items()
                    for k in groups_
                ),
                mecc,
                *(case_finding.get(k, "") for k in CASE_FINDING),
                _safe(languages),
                _safe(partners),
                _safe(notes),
                email or "",
                created.isoformat(timespec="seconds"),
            ]
        last = ids[-1]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_chunks(activities) -> Iterator[str]:
    """CSV text in chunks of a few hundred rows (for StreamingHttpResponse)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)  # a BOM, so Excel reads UTF-8
    buffer = []
    for row in rows(activities):
        buffer.append(writer.writerow(row))
        if len(buffer) >= 500:
            yield "".join(buffer)
            buffer = []
    if buffer:
        yield "".join(buffer)


def write_xlsx(site, path: Path, *, progress: Callable[[int, int | None, str], None]) -> int:
    """Write every activity of ``site`` to ``path``; the number of rows."""
    from openpyxl import Workbook

    activities = Activity.objects.filter(site=site)
    total = activities.count()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Activities")
    sheet.append(HEADER)
    done = 0
    for row in rows(activities):
        sheet.append(row)
        done += 1
        if done % PAGE == 0:
            progress(done, total, "Writing the spreadsheet")
    book.save(path)
    return done
