"""Resolve a whole column of queries against the lookup table at once.

``resolve(lookup, queries, edition=...)`` dictionary-encodes the column (each distinct
spelling once), normalises the distinct spellings in SQL (upper case, whitespace removed)
and hash-joins them to the table's keys in DuckDB, and so turns each query into a row index
of ``lookup.rows``: the code's own row, or the row that answers "not found" for a code of
that shape, or "invalid", or "empty". Nothing is looked up row by row; the single lookup
page, the CSV upload, the JSON API and the benchmark all go through this one function.

The result is an Arrow table with one row per query, in the order given, never dropping
any. Apart from ``query`` (as given) its columns are dictionary-encoded views over
``lookup.rows`` (they share one index array), so no text is copied per row; ``to_pylist``
decodes them, and ``materialise`` turns them into plain arrays (for pandas, which wants
unique categories). Columns: ``query``, ``status``
(ok / terminated / unlocated / not_found / invalid), ``query_type``, the geography,
``edition`` (the edition ``core20`` and ``lsoa`` refer to), ``lsoa`` (the LSOA of that
edition's vintage, where there is a single one), ``core20``, every edition's figures
(``<edition>_decile``, ``_rank``, ``_deciles``, ``core20_<edition>``) and ``notes``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core20.places.lookup.shapes import GSS_LENGTH, TOO_LONG, TOO_SHORT
from core20.places.lookup.table import PATTERNS, LookupTable, edition_columns

DEFAULT_EDITION = "imd2019"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# Whitespace other than the plain space (tabs, line breaks, the non-breaking spaces that
# spreadsheets produce).
OTHER_SPACE = "[\t\n\r\f\v\u00a0\u2007\u202f]"
# The same and the plain space, in DuckDB's (RE2) syntax, as an SQL string literal.
WHITESPACE_RE2 = r"'[\s\x{000B}\x{00A0}\x{2007}\x{202F}]'"


def normalise_sql(column: str, *, thorough: bool = True) -> str:
    """SQL for the normalised form of a query: upper case with no whitespace. ``thorough``
    removes every kind of whitespace; without it only plain spaces (faster, and enough
    when no other whitespace is present)."""
    if thorough:
        return f"regexp_replace(upper({column}), {WHITESPACE_RE2}, '', 'g')"
    return f"replace(upper({column}), ' ', '')"


def output_columns(lookup: LookupTable) -> list[str]:
    return [
        "query",
        "status",
        "query_type",
        "name",
        "postcode",
        "edition",
        "lsoa",
        "core20",
        "lsoa11",
        "lsoa21",
        "lsoa11_candidates",
        "lsoa21_candidates",
        "ward",
        "ward_name",
        "lad",
        "lad_name",
        "icb",
        "icb_name",
        "region",
        "region_name",
        *[c for code in lookup.editions for c in edition_columns(code)],
        "notes",
    ]


def as_text_array(queries) -> pa.Array:
    """Queries as an Arrow string array (None stays null)."""
    if isinstance(queries, pa.ChunkedArray):
        queries = queries.combine_chunks()
    if isinstance(queries, pa.Array):
        array = queries
    elif isinstance(queries, pd.Series):
        array = pa.array(queries.astype(object).where(queries.notna(), None), from_pandas=True)
    elif isinstance(queries, np.ndarray):
        array = pa.array(queries.astype(object), from_pandas=True)
    else:
        array = pa.array(queries if isinstance(queries, list) else list(queries))
    if isinstance(array, pa.DictionaryArray):
        array = array.dictionary_decode()
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = array.cast(pa.string())
    return array


def index_sql(lookup: LookupTable, *, thorough: bool = True) -> str:
    """The one query: distinct queries ``dic(pos, q)`` joined to the table's ``keys(key,
    idx)`` on the normalised query → (pos, idx). Unknown codes get the row that says why:
    an ONS code cut short or run on first (so that "E01028" is an LSOA code too short, not
    an unknown GP practice), then the not-found row of the code's shape."""
    shapes = " ".join(
        f"WHEN {_sql_text(kind)} THEN CASE WHEN length(d.n) < {GSS_LENGTH} THEN "
        f"{lookup.shape_rows[(kind, TOO_SHORT)]} ELSE {lookup.shape_rows[(kind, TOO_LONG)]} END"
        for kind in sorted({kind for kind, _size in lookup.shape_rows})
    )
    wrong_length = (
        f"CASE WHEN length(d.n) <> {GSS_LENGTH} AND regexp_full_match(d.n, '[EW][0-9]{{2,}}') "
        f"THEN CASE substr(d.n, 2, 2) {shapes} END END"
    )
    unmatched = " ".join(
        f"WHEN regexp_full_match(d.n, {_sql_text(PATTERNS[t])}) THEN {row}"
        for t, row in lookup.not_found_rows.items()
    )
    return f"""
    SELECT d.pos, coalesce(k.idx, {wrong_length},
                           CASE WHEN d.n = '' THEN {lookup.empty_row}
                                {unmatched} ELSE {lookup.invalid_row} END)::INTEGER AS idx
    FROM (SELECT pos, {normalise_sql("q", thorough=thorough)} AS n FROM dic) d
    LEFT JOIN keys k ON k.key = d.n
    """  # noqa: S608 (row numbers and fixed patterns; the queries are data, not SQL)


_connection: duckdb.DuckDBPyConnection | None = None
_connection_lock = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the process's in-memory DuckDB (opening a database costs more than the
    lookup itself; a cursor per call keeps threads apart)."""
    global _connection
    with _connection_lock:
        if _connection is None:
            _connection = duckdb.connect()
            _connection.execute("SET enable_progress_bar = false")
        return _connection.cursor()


def resolve_indices(lookup: LookupTable, queries: pa.Array) -> np.ndarray:
    """The row of ``lookup.rows`` that answers each query (int32, in query order).

    Queries repeat (a list of people's postcodes holds each postcode many times), so the
    column is dictionary-encoded first (one vectorised hash pass in Arrow) and DuckDB
    normalises and joins only the distinct values; the answers are then spread back to
    every row with one array take."""
    encoded = pc.dictionary_encode(queries)
    distinct = encoded.dictionary
    m = len(distinct)
    cursor = _cursor()
    try:
        cursor.register("keys", lookup.keys)
        cursor.register(
            "dic", pa.table({"pos": pa.array(np.arange(m, dtype=np.int32)), "q": distinct})
        )
        # Plain spaces only (the usual case) normalise with a cheaper expression.
        thorough = pc.any(pc.match_substring_regex(distinct, OTHER_SPACE)).as_py() or False
        result = cursor.sql(index_sql(lookup, thorough=thorough)).to_arrow_table()
    finally:
        cursor.close()
    # Answer per distinct value, plus one at the end for missing (null) queries.
    answers = np.empty(m + 1, dtype=np.int32)
    answers[result.column("pos").to_numpy()] = result.column("idx").to_numpy()
    answers[m] = lookup.empty_row
    positions = encoded.indices
    if positions.null_count:
        positions = pc.fill_null(positions, m)
    return answers[positions.to_numpy()]


def resolve(
    lookup: LookupTable,
    queries: Iterable[str | None] | pa.Array,
    *,
    edition: str = DEFAULT_EDITION,
) -> pa.Table:
    """One output row per query, in order (see the module docstring)."""
    if edition not in lookup.editions:
        raise ValueError(f"Unknown edition {edition!r}; known: {', '.join(lookup.editions)}")
    array = as_text_array(queries)
    idx = pa.array(resolve_indices(lookup, array))
    rows = lookup.rows
    vintage = lookup.editions[edition].vintage

    def view(column: str) -> pa.DictionaryArray:
        # Every index is a row of ``rows`` by construction, so skip the bounds check.
        return pa.DictionaryArray.from_arrays(idx, rows.column(column).chunk(0), safe=False)

    columns = {}
    for name in output_columns(lookup):
        if name == "query":
            columns[name] = array
        elif name == "edition":
            columns[name] = pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(len(array), dtype=np.int32)), pa.array([edition]), safe=False
            )
        elif name == "lsoa":
            columns[name] = view("lsoa11" if vintage == 2011 else "lsoa21")
        elif name == "core20":
            columns[name] = view(f"core20_{edition}")
        else:
            columns[name] = view(name)
    return pa.table(columns)


def resolve_one(lookup: LookupTable, query: str | None, *, edition: str = DEFAULT_EDITION) -> dict:
    """``resolve`` for a single query, as a dict."""
    return resolve(lookup, [query], edition=edition).to_pylist()[0]


def materialise(result: pa.Table) -> pa.Table:
    """``result`` with every dictionary-encoded column decoded to a plain array (for
    pandas, which wants unique categories, and for writers that do not decode)."""
    columns = {}
    for name in result.column_names:
        column = result.column(name)
        if pa.types.is_dictionary(column.type):
            column = pa.chunked_array([chunk.dictionary_decode() for chunk in column.chunks])
        columns[name] = column
    return pa.table(columns)
