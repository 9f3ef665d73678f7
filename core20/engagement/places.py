"""Where an activity happened: a postcode or LSOA code → LSOA → deprivation decile and
Core20, with the places lookup (core20.places.lookup), for a whole column at once.

The edition is recorded with each answer, so figures stay as they were worked out when a
newer edition of the indices is loaded. A well-formed postcode that is not in the loaded
postcode directory is kept, with no LSOA and Core20 unknown, rather than refused: a
connector on a doorstep cannot fix the directory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core20.places.lookup.cache import get_lookup_table
from core20.places.lookup.resolve import resolve
from core20.places.models import DEFAULT_EDITION

EDITION = DEFAULT_EDITION  # Core20 as the NHS defines it today: IMD 2019 deciles 1 and 2
ACCEPTED_TYPES = ("postcode", "lsoa")
PLACE_INVALID = "Enter a full postcode, like TF1 1AA, or an LSOA code, like E01028483"


@dataclass(frozen=True)
class Places:
    """Per query, as columns: ``ok`` (a postcode or LSOA code, found or not), and where
    found the LSOA (empty text otherwise), decile and Core20 flag (null when unknown), and
    the edition."""

    ok: np.ndarray
    lsoa: pa.Array  # string
    decile: pa.Array  # int16
    core20: pa.Array  # bool
    edition: str

    @property
    def found(self) -> np.ndarray:
        """Where the LSOA or at least the Core20 status is known."""
        known = pc.or_(pc.not_equal(self.lsoa, ""), pc.is_valid(self.core20))
        return known.to_numpy(zero_copy_only=False)


def normalise(value: str) -> str:
    return "".join((value or "").split()).upper()


def derive(queries: list[str] | pa.Array) -> Places:
    """Resolve every query (empty ones are fine: no place)."""
    if not isinstance(queries, pa.Array) and not any(queries):
        # Nothing to look up (the usual case for a quick record): skip the lookup table.
        n = len(queries)
        return Places(
            np.ones(n, dtype=bool),
            pa.array([""] * n, pa.string()),
            pa.nulls(n, pa.int16()),
            pa.nulls(n, pa.bool_()),
            EDITION,
        )
    lookup = get_lookup_table()
    result = resolve(lookup, queries, edition=EDITION)
    query_type = pc.fill_null(result.column("query_type").cast(pa.string()), "")
    status = pc.fill_null(result.column("status").cast(pa.string()), "")
    accepted = pc.is_in(query_type, value_set=pa.array(ACCEPTED_TYPES))
    empty = pc.equal(pc.utf8_length(pc.fill_null(result.column("query").cast(pa.string()), "")), 0)
    ok = pc.or_(accepted, empty).to_numpy(zero_copy_only=False)
    found = pc.fill_null(
        pc.and_(accepted, pc.is_in(status, value_set=pa.array(["ok", "terminated"]))), False
    )

    def column(name: str, kind: pa.DataType) -> pa.Array:
        return result.column(name).combine_chunks().cast(kind)

    # Column-wise, whatever the number of queries (a million-row import resolves at once).
    lsoa = pc.if_else(found, pc.fill_null(column("lsoa", pa.string()), ""), "")
    decile = pc.if_else(found, column(f"{EDITION}_decile", pa.int16()), None)
    core20 = pc.if_else(found, column("core20", pa.bool_()), None)
    return Places(ok=ok, lsoa=lsoa, decile=decile, core20=core20, edition=EDITION)


def derive_one(query: str) -> dict | None:
    """{lsoa, imd_decile, core20, deprivation_edition} for one query; None if it is not a
    postcode or LSOA code."""
    places = derive([query or ""])
    if not places.ok[0]:
        return None
    return {
        "lsoa": places.lsoa[0].as_py(),
        "imd_decile": places.decile[0].as_py(),
        "core20": places.core20[0].as_py(),
        "deprivation_edition": places.edition if places.found[0] else "",
    }
