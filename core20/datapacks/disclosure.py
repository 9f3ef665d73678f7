"""Disclosure control for data packs, through the engine (``inequalities.disclosure``).

Every table in a pack is a long table of counts with a ``Total`` row: primary suppression
(counts 1-7 hidden), secondary suppression (so no hidden count can be worked out from the
total and the other rows), then rounding to the nearest 5 (``protect_table``). Shares are
worked out later from the protected counts only, so they reveal nothing more.

``check_protected`` is the gate the publish action uses: it re-reads a pack's stored content
and refuses any count that is small and shown, not rounded, or carries no protection status.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
from django.core.exceptions import ValidationError

from inequalities.disclosure import protect_table, suppress_and_round

THRESHOLD = 7  # counts 1..7 are hidden (primary suppression)
ROUNDING = 5  # what is left is rounded to the nearest 5
TOTAL = "Total"
HIDDEN_PREFIXES = ("primary", "secondary")


def protect_rows(rows: Sequence[dict], *, counts: Sequence[str]) -> list[dict]:
    """Protect a table given as rows ``{"category": ..., <count>: int, ...}``, the last of
    which may be the ``Total`` row (added as the sum of the others when missing).

    Returns new rows with each count protected (``None`` where hidden) and its
    ``<count>_status`` beside it, as the engine labels them."""
    rows = [dict(r) for r in rows]
    if not rows:
        return []
    if not any(str(r["category"]) == TOTAL for r in rows):
        rows.append({"category": TOTAL, **{c: sum(int(r[c]) for r in rows) for c in counts}})
    frame = pd.DataFrame(rows)
    frame["category"] = frame["category"].astype(str)
    protected = protect_table(
        frame,
        counts=list(counts),
        dimensions=["category"],
        totals=TOTAL,
        threshold=THRESHOLD,
        rounding=ROUNDING,
    )
    return _records(protected)


def protect_each(rows: Sequence[dict], *, counts: Sequence[str]) -> list[dict]:
    """Protect counts that are not parts of a total (one per indicator, say), row by row:
    primary suppression and rounding (``suppress_and_round``); no Total row is added."""
    if not rows:
        return []
    frame = pd.DataFrame([dict(r) for r in rows])
    frame["category"] = frame["category"].astype(str)
    protected = suppress_and_round(
        frame, counts=list(counts), threshold=THRESHOLD, rounding=ROUNDING
    )
    return _records(protected)


def _records(protected: pd.DataFrame) -> list[dict]:
    out = []
    for record in protected.to_dict(orient="records"):
        clean = {}
        for key, value in record.items():
            missing = value is pd.NA or (isinstance(value, float) and value != value)
            clean[key] = None if missing else value
            if hasattr(clean[key], "item"):  # numpy scalars → plain Python for JSON
                clean[key] = clean[key].item()
        out.append(clean)
    return out


def iter_counts(content: dict) -> Iterator[tuple[str, str, str, str, object, object]]:
    """Every count cell in a pack's content: (section, table, row, column, value, status)."""
    for section in content.get("sections", []):
        for table in section.get("tables", []):
            for row in table.get("rows", []):
                for column in table.get("counts", []):
                    yield (
                        section.get("key", "?"),
                        table.get("key", "?"),
                        str(row.get("category", "?")),
                        column,
                        row.get(column),
                        row.get(f"{column}_status"),
                    )


def problems(content: dict) -> list[str]:
    """Why each count in ``content`` is not safe to publish (empty when all are)."""
    found = []
    for section, table, row, column, value, status in iter_counts(content):
        where = f"section “{section}”, table “{table}”, row “{row}”, column “{column}”"
        if not status:
            found.append(f"{where}: the count has not been through disclosure control")
        elif value is None:
            if not str(status).startswith(HIDDEN_PREFIXES):
                found.append(f"{where}: a missing count must be marked as suppressed")
        elif not isinstance(value, int) or isinstance(value, bool):
            found.append(f"{where}: {value!r} is not a whole number")
        elif 0 < value <= THRESHOLD:
            found.append(
                f"{where}: {value} is a small count (1 to {THRESHOLD}) and must be suppressed"
            )
        elif value < 0:
            found.append(f"{where}: {value} is negative")
        elif value % ROUNDING:
            found.append(f"{where}: {value} is not rounded to the nearest {ROUNDING}")
    return found


class UnprotectedFigures(ValidationError):
    """A pack holds a count that disclosure control has not made safe."""


def check_protected(content: dict) -> None:
    """Raise UnprotectedFigures naming every unsafe count in ``content``."""
    found = problems(content)
    if found:
        shown = found[:20]
        more = len(found) - len(shown)
        raise UnprotectedFigures(
            [
                "This pack cannot be published: it holds figures that have not passed "
                "disclosure control. Generate a new version.",
                *shown,
                *([f"…and {more} more"] if more else []),
            ]
        )
