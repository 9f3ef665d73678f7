"""Shared plumbing for the frame functions: column checks, numeric conversion, grouping
and the standard result layout (methods reference §0)."""

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from inequalities.confidence import limit_columns
from inequalities.errors import InputError, describe_groups, describe_rows

GroupBy = str | Sequence[str] | None


def group_columns(group_by: GroupBy) -> list[str]:
    """The grouping columns as a list: None -> [], 'area' -> ['area']."""
    if group_by is None:
        return []
    if isinstance(group_by, str):
        return [group_by]
    return list(group_by)


def require_columns(data: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise InputError naming the first column the data lacks."""
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"Expected a table (pandas DataFrame), got {type(data).__name__}.")
    present = [str(c) for c in data.columns]
    for column in columns:
        if column not in data.columns:
            shown = ", ".join(repr(c) for c in present[:20]) or "none"
            raise InputError(f"Column {column!r} is missing from the data (columns: {shown}).")


def check_option(name: str, value: object, allowed: Sequence[object]) -> None:
    """Raise InputError when an option is not one of the allowed values."""
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise InputError(
            "Option {" + name + "} must be one of {choices}, not {given!r}.",
            options=[name],
            choices=choices,
            given=value,
        )


def check_positive(name: str, value: float) -> float:
    """A finite, positive option such as a multiplier."""
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise InputError(
            "Option {" + name + "} must be a positive number, not {given!r}.",
            options=[name],
            given=value,
        )
    return number


def numeric(data: pd.DataFrame, column: str) -> NDArray[np.float64]:
    """The column as float64 (NaN where missing); text or infinite values raise InputError."""
    series = data[column]
    if pd.api.types.is_bool_dtype(series.dtype):
        raise InputError(f"Column {column!r} holds true/false values; it must be numeric.")
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        converted = pd.to_numeric(series, errors="coerce")
        bad = (converted.isna() & series.notna()).to_numpy()
        if bad.any():
            examples = ", ".join(repr(v) for v in pd.unique(series[bad])[:3])
            raise InputError(
                f"Column {column!r} must be numeric but has text ({examples}) in "
                f"{describe_rows(np.flatnonzero(bad))}."
            )
        values = converted.to_numpy(dtype=np.float64, na_value=np.nan)
    fail_rows(np.isinf(values), column, "is infinite")
    return values


def fail_rows(mask: NDArray[np.bool_], column: str, problem: str) -> None:
    """Raise InputError "Column 'x' <problem> in rows 3 and 7." when any row is flagged."""
    if mask.any():
        rows = describe_rows(np.flatnonzero(mask))
        raise InputError(f"Column {column!r} {problem} in {rows}.")


def fail_groups(keys: list[str], bad: pd.DataFrame, problem: str) -> None:
    """Raise InputError naming the groups (rows of ``bad``'s key columns) with a problem."""
    if len(bad):
        groups = list(bad[keys].itertuples(index=False, name=None)) if keys else ["all rows"]
        raise InputError(f"{problem} in {describe_groups(groups)}.")


def key_frame(data: pd.DataFrame, keys: list[str], **arrays: NDArray) -> pd.DataFrame:
    """A fresh frame of the group columns (positional index) plus named arrays."""
    frame = data[keys].reset_index(drop=True) if keys else pd.DataFrame(index=range(len(data)))
    for name, values in arrays.items():
        frame[name] = values
    return frame


def group_ids(data: pd.DataFrame, keys: list[str]) -> tuple[NDArray[np.int64], pd.DataFrame]:
    """An integer id per row (groups in sorted key order, missing keys kept as a group) and
    the key values of each id: factorising the keys once makes later grouping cheap."""
    if not keys:
        return np.zeros(len(data), dtype=np.int64), pd.DataFrame(index=range(1))
    ids = data.groupby(keys, sort=True, dropna=False, observed=True).ngroup().to_numpy()
    _, first = np.unique(ids, return_index=True)
    return ids.astype(np.int64), data[keys].iloc[first].reset_index(drop=True)


def group_sums(
    frame: pd.DataFrame, keys: list[str], columns: list[str], *, skipna: bool
) -> pd.DataFrame:
    """One row per group (sorted, missing keys kept) with the columns summed.

    ``skipna=False`` makes a group's sum NaN when any of its values is missing, so missing
    inputs give missing results (§1); ``skipna=True`` treats them as 0.
    """
    if not keys:
        sums = {c: frame[c].sum(skipna=skipna) if len(frame) else 0.0 for c in columns}
        return pd.DataFrame({c: [float(v)] for c, v in sums.items()})
    grouped = frame.groupby(keys, sort=True, dropna=False, observed=True)
    return grouped[columns].sum(skipna=skipna).reset_index()


def is_integer_column(series: pd.Series) -> bool:
    """Integer counts (numpy or nullable integers; not true/false)."""
    return pd.api.types.is_integer_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    )


def as_counts(sums: pd.Series, *sources: pd.Series) -> pd.Series:
    """Sums of integer columns as integers, not the floats they were summed as.

    When every source column holds integers the sums are whole: they become int64, or
    nullable Int64 (missing stays missing) when a source is nullable or a sum is missing.
    Otherwise ``sums`` is returned unchanged.
    """
    if not sources or not all(is_integer_column(s) for s in sources):
        return sums
    nullable = sums.isna().any() or any(
        isinstance(s.dtype, pd.api.extensions.ExtensionDtype) for s in sources
    )
    return sums.astype("Int64" if nullable else "int64")


def confidence_label(levels: Sequence[float]) -> str:
    """'95%, 99.8%' for (0.95, 0.998)."""
    return ", ".join(f"{round(level * 100, 6):g}%" for level in levels)


def check_clashes(keys: list[str], outputs: Iterable[str]) -> None:
    """Group columns may not share a name with a result column."""
    clash = sorted(set(keys) & set(outputs))
    if clash:
        raise InputError(
            f"Group column {clash[0]!r} has the name of a result column; rename it first."
        )


def add_results(
    base: pd.DataFrame,
    value: NDArray,
    limits: Sequence[tuple[float, NDArray, NDArray]],
    method: object,
    levels: Sequence[float],
) -> pd.DataFrame:
    """Append value, lower/upper per level, confidence and method to ``base`` (in place)."""
    base["value"] = value
    for level, lower, upper in limits:
        low_name, up_name = limit_columns(level)
        base[low_name] = lower
        base[up_name] = upper
    base["confidence"] = confidence_label(levels)
    base["method"] = method
    return base
