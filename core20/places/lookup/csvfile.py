"""The CSV round trip of the lookup page: read a CSV, find (or take) the column holding the
codes, resolve the whole column at once, and write the same rows, in the same order, with
the lookup's columns added on the right (every input row gives exactly one output row, with
its status).
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core20.places.lookup.resolve import materialise, resolve
from core20.places.lookup.table import PATTERNS, LookupTable

MAX_ROWS = 200_000
MAX_BYTES = 25 * 1024 * 1024

# The columns added to the file, in order.
ADDED = [
    "status",
    "query_type",
    "edition",
    "lsoa",
    "core20",
    "lsoa11",
    "lsoa21",
    "lsoa21_candidates",
    "ward",
    "ward_name",
    "lad",
    "lad_name",
    "icb",
    "icb_name",
    "region",
    "region_name",
    "imd2019_decile",
    "core20_imd2019",
    "iod2025_decile",
    "iod2025_deciles",
    "core20_iod2025",
    "notes",
]

_ANY_CODE = re.compile("|".join(f"(?:{p})" for p in PATTERNS.values()))


class CsvProblem(ValueError):
    """A problem with the file, worded for the person who uploaded it."""


def read_csv(data: bytes) -> pd.DataFrame:
    """Every cell as text, exactly as written (no number or date guessing)."""
    if len(data) > MAX_BYTES:
        raise CsvProblem(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise CsvProblem("The file must be a CSV saved as UTF-8")
    if not text.strip():
        raise CsvProblem("The selected file is empty")
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            sep=delimiter,
            skip_blank_lines=False,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        raise CsvProblem(f"The file could not be read as a CSV: {exc}") from exc
    if frame.columns.empty:
        raise CsvProblem("The file has no header row")
    # A blank line at the very end is not a row.
    while len(frame) and (frame.iloc[-1] == "").all():
        frame = frame.iloc[:-1]
    if len(frame) > MAX_ROWS:
        raise CsvProblem(f"The file must have {MAX_ROWS:,} rows or fewer (it has {len(frame):,})")
    return frame


def looks_like_codes(values: pd.Series) -> float:
    """Share of non-empty values that have the shape of a postcode or code."""
    text = values.astype(str).str.upper().str.replace(r"\s+", "", regex=True)
    text = text[text != ""]
    if text.empty:
        return 0.0
    return float(text.str.fullmatch(_ANY_CODE).mean())


def choose_column(frame: pd.DataFrame, wanted: str) -> str:
    """The column named ``wanted`` (or numbered, from 1), or the one that looks most like
    codes when ``wanted`` is blank."""
    names = [str(c) for c in frame.columns]
    listed = ", ".join(f"“{n}”" for n in names[:20]) + (" …" if len(names) > 20 else "")
    wanted = (wanted or "").strip()
    if wanted:
        for name in names:
            if name.strip().lower() == wanted.lower():
                return name
        if wanted.isdigit() and 1 <= int(wanted) <= len(names):
            return names[int(wanted) - 1]
        raise CsvProblem(f"There is no column called “{wanted}”. The file's columns are {listed}")
    sample = frame.head(1000)
    scores = {name: looks_like_codes(sample[name]) for name in names}
    best = max(scores, key=scores.get)
    if scores[best] < 0.5:
        raise CsvProblem(
            "Enter the name of the column that holds the postcodes or codes. The file's "
            f"columns are {listed}"
        )
    return best


def check_heading(column: str) -> None:
    """A file without a header row has its first code read as the column's heading, and so
    that code would never be looked up: say so rather than leave it out."""
    heading = re.sub(r"\s+", "", str(column)).upper()
    if _ANY_CODE.fullmatch(heading):
        raise CsvProblem(
            f"The first row of the file, “{str(column).strip()}”, looks like a postcode or "
            "code, not a column heading, so it would not be looked up. Add a header row (for "
            "example “postcode”) at the top of the file and upload it again"
        )


def _text(column: pa.ChunkedArray) -> pd.Series:
    """A result column as CSV text: lists joined with ";", true/false, "" for empty."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_list(column.type):
        column = pc.binary_join(column.cast(pa.list_(pa.string())), ";")
    else:
        column = column.cast(pa.string())
    return pd.Series(pc.fill_null(column, "").to_numpy(zero_copy_only=False), dtype=object)


def lookup_csv(frame: pd.DataFrame, column: str, lookup: LookupTable, *, edition: str) -> str:
    """The file's rows with the lookup's columns added (named ``<name>_lookup`` where the
    file already has a column of that name)."""
    result = materialise(resolve(lookup, frame[column].tolist(), edition=edition))
    out = frame.copy()
    taken = {str(c).lower() for c in out.columns}
    for name in ADDED:
        header = f"{name}_lookup" if name.lower() in taken else name
        out[header] = _text(result.column(name)).to_numpy()
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()
