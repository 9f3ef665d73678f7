"""Primary suppression, rounding and midpoint-6 rounding of counts.

Rules (docs/methods.md §10; domain.md §8):

* OpenSAFELY ("Releasing files"; ehrQL ``measures/disclosure_control.py``): redact counts
  ≤ 7, then round the rest to the nearest 5 (test vector 6 -> redacted, 7 -> redacted,
  8 -> 10). ehrQL writes redacted counts as 0; we write a missing value, so a redaction can
  never be mistaken for a true zero.
* NHS Digital HES/ECDS (2018): 0 stays 0, 1-7 -> "*", others rounded to the nearest 5.
* Midpoint-6 rounding (OpenSAFELY): r(x) = 6·ceil(x/6) - 3·[x ≠ 0], so 0 -> 0, 1-6 -> 3,
  7-12 -> 9, 13-18 -> 15; the true value lies in [r - 2, r + 3].
"""

from collections.abc import Sequence
from typing import overload

import numpy as np
import pandas as pd

from inequalities.errors import InputError, describe_rows

UNCHANGED = "unchanged"
MIDPOINT6 = "midpoint-6 rounded"
MISSING = "missing"


def primary_label(threshold: int, *, zero_is_safe: bool) -> str:
    """'primary: count 1-7' (or '0-7' when zeros are suppressed too)."""
    return f"primary: count {1 if zero_is_safe else 0}-{threshold}"


def rounded_label(base: int) -> str:
    return f"rounded to nearest {base}"


def secondary_label(relation: str) -> str:
    return f"secondary: protects a suppressed cell in {relation}"


def check_rules(threshold: int, rounding: int | None) -> None:
    """Validate the threshold and rounding base, and that they work together.

    Every count above the threshold must still be above it after rounding; otherwise a
    published value could fall in 1..threshold (or show a non-zero count as 0). With rounding
    half up this holds when round(threshold + 1) > threshold, e.g. not for threshold 10 and
    base 5, where 11 would be published as 10.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int | np.integer) or threshold < 0:
        raise InputError(
            "Option {threshold} must be a whole number of 0 or more, not {given!r}.",
            options=["threshold"],
            given=threshold,
        )
    if rounding is None:
        return
    if isinstance(rounding, bool) or not isinstance(rounding, int | np.integer) or rounding < 1:
        # The CLI checks its --rounding itself (it spells None 'none'), so this is in Python terms.
        raise InputError(
            "Option {rounding} must be a whole number of 1 or more, or None, not {given!r}.",
            options=["rounding"],
            given=rounding,
        )
    smallest = int(round_to_base(np.array([threshold + 1]), rounding)[0])
    if smallest <= threshold:
        raise InputError(
            f"Rounding to the nearest {rounding} would publish a count of {threshold + 1} as "
            f"{smallest}, at or under the threshold of {threshold}; use a smaller rounding base "
            "or a different threshold."
        )


def round_to_base(values: np.ndarray, base: int) -> np.ndarray:
    """Round non-negative integers to the nearest multiple of ``base``, halves upwards.

    Integer arithmetic, floor((2x + b) / 2b)·b, so no floating-point ties: with base 5 no count
    is ever a tie (8 -> 10, 12 -> 10, 13 -> 15); with base 10, 15 -> 20.
    """
    values = np.asarray(values, dtype=np.int64)
    return (2 * values + base) // (2 * base) * base


@overload
def midpoint6(x: int) -> int: ...
@overload
def midpoint6(x: pd.Series) -> pd.Series: ...
@overload
def midpoint6(x: Sequence[int] | np.ndarray) -> np.ndarray: ...
def midpoint6(x):
    """Midpoint-6 rounding, r(x) = 6·ceil(x/6) - 3·[x ≠ 0] (OpenSAFELY).

    Zero stays zero; 1-6 -> 3, 7-12 -> 9, 13-18 -> 15, ... The rounding is unbiased for a
    uniform spread within each block of six and the true value lies in [r - 2, r + 3].
    Accepts an integer, a sequence or array (returns an int64 array) or a Series (returns
    nullable Int64, keeping missing values missing). Negative or fractional counts are errors.
    """
    if isinstance(x, pd.Series):
        counts = counts_as_int(x, name=str(x.name) if x.name is not None else "counts")
        out = counts.copy()
        present = counts.notna().to_numpy()
        out[present] = _midpoint6(counts[present].to_numpy(dtype=np.int64))
        return out
    if np.ndim(x) == 0:
        return int(_midpoint6(np.array([_as_count(x)]))[0])
    array = np.asarray(x)
    return _midpoint6(counts_as_int(pd.Series(array.ravel()), name="counts").to_numpy(np.int64))


def _as_count(value: object) -> int:
    series = counts_as_int(pd.Series([value]), name="count")
    if series.isna().any():
        raise InputError(f"midpoint6 needs a count, not {value!r}.")
    return int(series.iloc[0])


def _midpoint6(values: np.ndarray) -> np.ndarray:
    # ceil(x/6) for x ≥ 0 in integers is (x + 5) // 6.
    return 6 * ((values + 5) // 6) - 3 * (values != 0)


def counts_as_int(column: pd.Series, *, name: str) -> pd.Series:
    """The column as nullable Int64; non-numeric, negative or fractional entries are errors."""
    if pd.api.types.is_bool_dtype(column):
        raise InputError(f"Column {name!r} holds true/false values, not counts.")
    numbers = pd.to_numeric(column, errors="coerce")
    as_float = numbers.to_numpy(dtype="float64", na_value=np.nan)
    given = column.notna().to_numpy()
    bad = given & ~(np.isfinite(as_float) & (as_float >= 0) & (np.floor(as_float) == as_float))
    if bad.any():
        raise InputError(
            f"Column {name!r} must hold counts (whole numbers, 0 or more); see "
            f"{describe_rows(np.flatnonzero(bad))}."
        )
    out = pd.array(np.where(given, as_float, 0).astype(np.int64), dtype="Int64")
    out[~given] = pd.NA
    return pd.Series(out, index=column.index, name=column.name)


def primary_mask(values: np.ndarray, threshold: int, *, zero_is_safe: bool) -> np.ndarray:
    """True for counts that must be hidden: 1..threshold, and 0 too unless zeros are safe."""
    small = values <= threshold
    return small & (values > 0) if zero_is_safe else small


def publish(
    values: np.ndarray, hidden: np.ndarray, rounding: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Published values (float, NaN where hidden) and labels for the cells not hidden."""
    shown = np.where(hidden, 0, values)
    label = np.full(values.shape, UNCHANGED, dtype=object)
    if rounding is not None:
        shown = round_to_base(shown, rounding)
        # Every rounded cell says so, even when the value happens to be a multiple of the base:
        # "unchanged" there would tell the reader the exact count. A shown 0 can only be a true
        # zero (check_rules), which is exact.
        label[values != 0] = rounded_label(rounding)
    return np.where(hidden, np.nan, shown.astype("float64")), label


def as_nullable(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Float values with NaN for hidden cells -> nullable Int64."""
    hidden = np.isnan(values)
    out = pd.array(np.where(hidden, 0, values).astype(np.int64), dtype="Int64")
    out[hidden] = pd.NA
    return out
