"""Means with Student's t confidence limits: reference §3.

Ungrouped input gives one mean of all rows; ``group_by`` one per group. As in
PHEindicatormethods (phe_mean), a missing value makes its group's results missing, and
``value_count`` counts the group's rows.
"""

import numpy as np
import pandas as pd
from scipy.special import stdtrit

from inequalities.confidence import DEFAULT_CONFIDENCE, normalise_confidence
from inequalities.stats._frame import (
    GroupBy,
    add_results,
    check_clashes,
    group_columns,
    key_frame,
    numeric,
    require_columns,
)

METHOD = "Student's t-distribution"
OUTPUTS = ("value_sum", "value_count", "stdev", "value", "confidence", "method")


def mean(
    data: pd.DataFrame,
    *,
    value: str = "value",
    group_by: GroupBy = None,
    confidence: float | tuple[float, ...] = DEFAULT_CONFIDENCE,
) -> pd.DataFrame:
    """Mean ± |t_{alpha/2, k-1}| · s/√k, with s the sample SD (k - 1 divisor) of the k values
    (Student 1908). A group of one value has no SD, so no limits."""
    levels = normalise_confidence(confidence)
    keys = group_columns(group_by)
    require_columns(data, [value, *keys])
    check_clashes(keys, OUTPUTS)
    frame = key_frame(data, keys, x=numeric(data, value))
    if keys:
        grouped = frame.groupby(keys, sort=True, dropna=False, observed=True)["x"]
        base = grouped.sum(skipna=False).rename("value_sum").reset_index()
        base["value_count"] = grouped.size().to_numpy()
        base["stdev"] = grouped.std(ddof=1, skipna=False).to_numpy()
    else:
        x = frame["x"]
        base = pd.DataFrame(
            {
                "value_sum": [x.sum(skipna=False) if len(x) else np.nan],
                "value_count": [len(x)],
                "stdev": [x.std(ddof=1, skipna=False) if len(x) > 1 else np.nan],
            }
        )
    total = base["value_sum"].to_numpy(dtype=np.float64)
    k = base["value_count"].to_numpy(dtype=np.float64)
    s = base["stdev"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = total / k
        limits = []
        for level in levels:
            df = np.where(k >= 2, k - 1, np.nan)
            t = stdtrit(df, 1 - (1 - level) / 2)
            half = np.where(s == 0, 0.0, t * s / np.sqrt(k))
            limits.append((level, average - half, average + half))
    return add_results(base, average, limits, METHOD, levels)
