"""The app's lookup table, built once per process and rebuilt after reference data changes.

``get_lookup_table()`` checks a cheap marker (one query: the latest finished import run and
the highest id in each reference table, plus today's date for dated NHS memberships) and
rebuilds the table from the database only when the marker has changed, so a re-import is
picked up by every process on its next lookup. Code that changes reference rows in place
without an import run (a shell session, a test) calls ``invalidate()``.
"""

from __future__ import annotations

import threading

from django.db import connection
from django.utils import timezone

from core20.places.lookup import db
from core20.places.lookup.table import LookupTable, build_lookup_table
from core20.places.models import (
    ICB,
    LSOA,
    Deprivation,
    Edition,
    GPPractice,
    ImportRun,
    LocalAuthorityDistrict,
    LSOAHealthMembership,
    LSOALink,
    Postcode,
    Region,
    Ward,
)

MARKED_MODELS = [
    LSOA,
    LSOALink,
    Deprivation,
    LSOAHealthMembership,
    Postcode,
    GPPractice,
    Ward,
    LocalAuthorityDistrict,
    ICB,
    Region,
    Edition,
]

_lock = threading.Lock()
_cached: LookupTable | None = None
_generation = 0


def data_marker() -> tuple:
    """Changes whenever the reference data may have changed (one query)."""
    # Table names come from the models; the status is a parameter.
    runs = connection.ops.quote_name(ImportRun._meta.db_table)
    parts = [
        f"(SELECT max(id) FROM {runs} WHERE status = %s)",  # noqa: S608
        f"(SELECT count(*) FROM {runs} WHERE status = %s)",  # noqa: S608
        *(
            f"(SELECT max(id) FROM {connection.ops.quote_name(m._meta.db_table)})"  # noqa: S608
            for m in MARKED_MODELS
        ),
    ]
    params = [ImportRun.Status.SUCCEEDED, ImportRun.Status.SUCCEEDED]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return (_generation, timezone.localdate().isoformat(), *row)


def get_lookup_table() -> LookupTable:
    """The lookup table for the data in the database now."""
    global _cached
    marker = data_marker()
    cached = _cached
    if cached is not None and cached.marker == marker:
        return cached
    with _lock:
        if _cached is not None and _cached.marker == marker:
            return _cached
        table = build_lookup_table(db.read_frames(), marker=marker)
        _cached = table
        return table


def invalidate() -> None:
    """Forget the table: the next lookup rebuilds it."""
    global _cached, _generation
    with _lock:
        _cached = None
        _generation += 1
