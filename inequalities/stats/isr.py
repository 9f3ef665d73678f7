"""Indirectly standardised ratios and rates: reference §5.

Each row is one standardisation band of a group: the local count and population, and the
reference count and population for that band. Missing local counts, local populations and
reference counts count as 0 (zero local populations are allowed); a reference population
must be present and above 0, since the band's reference rate divides by it.
"""

import numpy as np
import pandas as pd

from inequalities.confidence import DEFAULT_CONFIDENCE, normalise_confidence
from inequalities.stats._frame import (
    GroupBy,
    add_results,
    as_counts,
    check_clashes,
    check_option,
    check_positive,
    fail_rows,
    group_columns,
    group_sums,
    key_frame,
    numeric,
    require_columns,
)
from inequalities.stats.limits import poisson_count_limits, poisson_method

OUTPUTS = ("observed", "expected", "reference_rate", "value", "confidence", "method")


def isr(
    data: pd.DataFrame,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    ref_numerator: str = "ref_numerator",
    ref_denominator: str = "ref_denominator",
    kind: str = "ratio",
    refvalue: float = 1,
    group_by: GroupBy = None,
    confidence: float | tuple[float, ...] = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """Expected E = Σ(X_ref/N_ref)·n, observed O = Σx (Breslow & Day 1987, ch. 2).

    kind="ratio": O/E * refvalue (1, or 100 for SMR-style). kind="rate": O/E * R_ref with
    R_ref = ΣX_ref/ΣN_ref * multiplier, returned as ``reference_rate``. Limits are the
    exact (O < 10) or Byar's count limits of O divided by E and scaled the same way.
    """
    levels = normalise_confidence(confidence)
    check_option("kind", kind, ("ratio", "rate"))
    refvalue = check_positive("refvalue", refvalue)
    multiplier = check_positive("multiplier", multiplier)
    keys = group_columns(group_by)
    require_columns(data, [numerator, denominator, ref_numerator, ref_denominator, *keys])
    check_clashes(keys, OUTPUTS)

    x = numeric(data, numerator)
    fail_rows(x < 0, numerator, "is negative")
    n = numeric(data, denominator)
    fail_rows(n < 0, denominator, "is negative")
    x_ref = numeric(data, ref_numerator)
    fail_rows(x_ref < 0, ref_numerator, "is negative")
    n_ref = numeric(data, ref_denominator)
    fail_rows(np.isnan(n_ref), ref_denominator, "is missing")
    fail_rows(n_ref <= 0, ref_denominator, "is zero or negative")
    x, n, x_ref = np.nan_to_num(x), np.nan_to_num(n), np.nan_to_num(x_ref)

    frame = key_frame(data, keys, observed=x, expected=x_ref / n_ref * n, ref_x=x_ref, ref_n=n_ref)
    totals = group_sums(frame, keys, ["observed", "expected", "ref_x", "ref_n"], skipna=True)
    o = totals["observed"].to_numpy(dtype=np.float64)
    e = totals["expected"].to_numpy(dtype=np.float64)
    base = totals[[*keys, "observed", "expected"]].copy()
    base["observed"] = as_counts(base["observed"], data[numerator])
    if kind == "rate":
        scale = totals["ref_x"].to_numpy() / totals["ref_n"].to_numpy() * multiplier
        base["reference_rate"] = scale
    else:
        scale = np.full(len(o), refvalue)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_expected = np.where(e > 0, scale / e, np.nan)
    limits = []
    for level in levels:
        lower, upper = poisson_count_limits(o, level)
        limits.append((level, lower * per_expected, upper * per_expected))
    return add_results(base, o * per_expected, limits, poisson_method(o), levels)
