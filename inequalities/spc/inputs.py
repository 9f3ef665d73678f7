"""Checks and normalises the caller's data and options for :func:`inequalities.spc.spc`.

Every problem raises :class:`~inequalities.errors.InputError` naming the column and the
data rows (counted from 1 at the first row under the header) that are at fault.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from inequalities.errors import InputError, describe_groups, describe_rows

IMPROVEMENT_DIRECTIONS = {"increase": 1, "decrease": -1, "neutral": 0}
MIN_FIXED_POINTS = 12


def group_columns(data: pd.DataFrame, group_by: str | Sequence[str] | None) -> list[str]:
    """The grouping columns as a list, each checked to exist."""
    columns = (
        [] if group_by is None else [group_by] if isinstance(group_by, str) else list(group_by)
    )
    require_columns(data, columns)
    return columns


def require_columns(data: pd.DataFrame, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(
            f"Column(s) {', '.join(map(repr, missing))} not found; the data has "
            f"{', '.join(map(repr, map(str, data.columns)))}."
        )


def check_options(
    *,
    improvement: str,
    fix_after_n_points: int | None,
    trend_length: int,
    shift_length: int,
) -> int:
    """Validate the scalar options; returns the improvement direction as +1, -1 or 0."""
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise InputError(
            "Option {improvement} must be 'increase', 'decrease' or 'neutral', not {given!r}.",
            options=["improvement"],
            given=improvement,
        )
    if fix_after_n_points is not None and (
        isinstance(fix_after_n_points, bool)
        or not isinstance(fix_after_n_points, int | np.integer)
        or fix_after_n_points < MIN_FIXED_POINTS
    ):
        raise InputError(
            "Option {fix_after_n_points} must be a whole number of at least {least} "
            "(Making Data Count), not {given!r}.",
            options=["fix_after_n_points"],
            least=MIN_FIXED_POINTS,
            given=fix_after_n_points,
        )
    for name, length in (("trend_length", trend_length), ("shift_length", shift_length)):
        if isinstance(length, bool) or not isinstance(length, int | np.integer) or length < 3:
            raise InputError(
                "Option {" + name + "} must be a whole number of at least 3, not {given!r}.",
                options=[name],
                given=length,
            )
    return IMPROVEMENT_DIRECTIONS[improvement]


def numeric_values(data: pd.DataFrame, column: str) -> np.ndarray:
    """The value column as floats; missing, non-numeric or infinite entries are errors."""
    raw = data[column]
    if pd.api.types.is_bool_dtype(raw):
        raise InputError(f"Column {column!r} holds true/false values, not numbers.")
    converted = pd.to_numeric(raw, errors="coerce")
    values = converted.to_numpy(dtype="float64", na_value=np.nan)
    missing = raw.isna().to_numpy()
    bad = np.flatnonzero(~missing & ~np.isfinite(values))
    if bad.size:
        raise InputError(f"Column {column!r} is not a finite number in {describe_rows(bad)}.")
    if missing.any():
        raise InputError(
            f"Column {column!r} is missing in {describe_rows(np.flatnonzero(missing))}; "
            "an XmR chart needs a value for every date."
        )
    return values


def date_values(data: pd.DataFrame, column: str) -> pd.Series:
    """The date column: datetimes and numbers as given, text parsed as ISO 8601 dates."""
    raw = data[column]
    missing = raw.isna().to_numpy()
    if missing.any():
        raise InputError(
            f"Column {column!r} is missing in {describe_rows(np.flatnonzero(missing))}."
        )
    if pd.api.types.is_datetime64_any_dtype(raw) or pd.api.types.is_numeric_dtype(raw):
        return raw
    parsed = pd.to_datetime(raw, errors="coerce", format="ISO8601")
    bad = np.flatnonzero(parsed.isna().to_numpy())
    if bad.size:
        raise InputError(f"Column {column!r} is not a date (YYYY-MM-DD) in {describe_rows(bad)}.")
    return parsed


def check_unique_dates(frame: pd.DataFrame, groups: list[str], date: str) -> None:
    """Duplicate dates within a group are an error naming the rows (``frame`` keeps ``_row``)."""
    duplicated = frame.duplicated([*groups, date], keep=False).to_numpy()
    if duplicated.any():
        rows = np.sort(frame["_row"].to_numpy()[duplicated])
        raise InputError(
            f"Column {date!r} repeats a date within a chart in {describe_rows(rows)}; "
            "an XmR chart needs one value per date."
        )


def rebase_flags(
    frame: pd.DataFrame, rebase: str | Iterable[Any] | None, date: str
) -> np.ndarray | None:
    """Per-row True where a new segment starts, or None when there is no rebasing.

    ``rebase`` is a column of booleans (True starts a new segment at that row) or a list of
    dates; each date starts a segment at the group's first point on or after it.
    """
    if rebase is None:
        return None
    if isinstance(rebase, str):
        require_columns(frame, [rebase])
        column = frame[rebase]
        as_bool = column.map(_as_flag)
        bad = np.flatnonzero(as_bool.isna().to_numpy())
        if bad.size:
            rows = frame["_row"].to_numpy()[bad]
            raise InputError(
                f"Column {rebase!r} must be true/false (or 1/0) to mark rebase points; "
                f"see {describe_rows(np.sort(rows))}."
            )
        return as_bool.to_numpy(dtype=bool)
    dates = pd.Series(list(rebase))
    if dates.empty:
        return None
    if pd.api.types.is_datetime64_any_dtype(frame[date]):
        parsed = pd.to_datetime(dates, errors="coerce", format="mixed")
        if parsed.isna().any():
            raise InputError(
                "Option {rebase} has values that are not dates: {bad}.",
                options=["rebase"],
                bad=", ".join(repr(str(d)) for d in dates[parsed.isna()]),
            )
        dates = parsed.astype(frame[date].dtype)
    elif pd.api.types.is_numeric_dtype(frame[date]):
        # Periods numbered rather than dated (1, 2, 3...): rebase points are numbers too
        # (from the CLI they arrive as text).
        parsed = pd.to_numeric(dates, errors="coerce")
        if parsed.isna().any():
            raise InputError(
                "Option {rebase} has values that are not numbers, as the periods in column "
                "{column!r} are: {bad}.",
                options=["rebase"],
                column=date,
                bad=", ".join(repr(str(d)) for d in dates[parsed.isna()]),
            )
        dates = parsed
    flags = np.zeros(len(frame), dtype=bool)
    for when in sorted(dates):
        at_or_after = (frame[date] >= when).to_numpy()
        # first row of each group at or after the rebase date (frame is sorted within groups)
        first = (
            pd.Series(at_or_after, index=frame.index)
            .groupby(frame["_group"].to_numpy(), sort=False)
            .transform(lambda s: s & ~s.shift(1, fill_value=False))
        )
        if not first.any():
            # After every chart's last point: almost always a mistyped year, and silently
            # drawing one segment would hide it.
            last = frame[date].max()
            raise InputError(
                "Option {rebase} {when} is after the last point ({last}), so it would start "
                "no new segment. Check the date.",
                options=["rebase"],
                when=_period_text(when),
                last=_period_text(last),
            )
        flags |= first.to_numpy(dtype=bool)
    return flags


def _period_text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _as_flag(value: object) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating) and value in (0, 1):
        return bool(value)
    return None


def targets_by_group(
    target: float | Mapping[Hashable, float] | None, keys: Sequence[Hashable]
) -> list[float | None]:
    """One target per chart: a single number for all, or a mapping from group key to number."""
    if target is None:
        return [None] * len(keys)
    if isinstance(target, Mapping):
        unknown = [k for k in target if k not in set(keys)]
        if unknown:
            raise InputError(
                "Option {target} names {groups}, which are not in the data.",
                options=["target"],
                groups=describe_groups(unknown),
            )
        return [_number(target[k], "target") if k in target else None for k in keys]
    return [_number(target, "target")] * len(keys)


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InputError(
            "Option {" + name + "} must be a number, not {given!r}.", options=[name], given=value
        )
    number = float(value)
    if not np.isfinite(number):
        raise InputError(
            "Option {" + name + "} must be a finite number, not {given!r}.",
            options=[name],
            given=value,
        )
    return number
