"""Proportions (Wilson score) and crude rates (exact Poisson / Byar's): reference §1, §2.

Ungrouped input gives one result per row (the input columns are kept, as
PHEindicatormethods does); ``group_by`` gives one row per group with numerator and
denominator summed. A missing numerator or denominator gives a missing result.
"""

import numpy as np
import pandas as pd

from inequalities.confidence import DEFAULT_CONFIDENCE, normalise_confidence, z_value
from inequalities.stats._frame import (
    GroupBy,
    add_results,
    as_counts,
    check_clashes,
    check_positive,
    fail_rows,
    group_columns,
    group_sums,
    key_frame,
    numeric,
    require_columns,
)
from inequalities.stats.limits import poisson_count_limits, poisson_method, wilson_limits

RESULTS = ("value", "confidence", "method")


def _counts(
    data: pd.DataFrame, numerator: str, denominator: str, keys: list[str], *, proportion: bool
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Validate the counts row by row, then sum them per group; returns (base, x, n)."""
    require_columns(data, [numerator, denominator, *keys])
    check_clashes(keys, [numerator, denominator, *RESULTS])
    x = numeric(data, numerator)
    n = numeric(data, denominator)
    fail_rows(x < 0, numerator, "is negative")
    fail_rows(n <= 0, denominator, "is zero or negative")
    if proportion:
        fail_rows(x > n, numerator, f"is greater than {denominator!r}")
    if not keys:
        return data.copy(), x, n
    frame = key_frame(data, keys, **{numerator: x, denominator: n})
    base = group_sums(frame, keys, [numerator, denominator], skipna=False)
    x, n = base[numerator].to_numpy(dtype=np.float64), base[denominator].to_numpy(dtype=np.float64)
    for column in (numerator, denominator):  # integer counts sum to integers
        base[column] = as_counts(base[column], data[column])
    return base, x, n


def proportion(
    data: pd.DataFrame,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    group_by: GroupBy = None,
    confidence: float | tuple[float, ...] = DEFAULT_CONFIDENCE,
    multiplier: float = 1.0,
) -> pd.DataFrame:
    """Proportion x/n * multiplier with Wilson score limits (Wilson 1927; Newcombe & Altman
    2000). Errors: x < 0, n ≤ 0, x > n. Confidence 1 gives limits (0, 1) * multiplier."""
    levels = normalise_confidence(confidence)
    multiplier = check_positive("multiplier", multiplier)
    keys = group_columns(group_by)
    base, x, n = _counts(data, numerator, denominator, keys, proportion=True)
    limits = []
    for level in levels:
        lower, upper = wilson_limits(x, n, z_value(level))
        limits.append((level, lower * multiplier, upper * multiplier))
    with np.errstate(invalid="ignore", divide="ignore"):
        value = x / n * multiplier
    return add_results(base, value, limits, "Wilson", levels)


def rate(
    data: pd.DataFrame,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    group_by: GroupBy = None,
    confidence: float | tuple[float, ...] = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Crude rate O/n * multiplier; limits are exact Poisson for O < 10 (method "Exact") and
    Byar's from 10 (method "Byars"), divided by n (Breslow & Day 1987). O > n is legal."""
    levels = normalise_confidence(confidence)
    multiplier = check_positive("multiplier", multiplier)
    keys = group_columns(group_by)
    base, o, n = _counts(data, numerator, denominator, keys, proportion=False)
    limits = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for level in levels:
            lower, upper = poisson_count_limits(o, level)
            limits.append((level, lower / n * multiplier, upper / n * multiplier))
        value = o / n * multiplier
    method = poisson_method(np.where(np.isnan(n), np.nan, o))
    return add_results(base, value, limits, method, levels)
