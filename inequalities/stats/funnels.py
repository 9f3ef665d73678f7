"""PHE funnel plots: per-record significance and control-limit curves (reference §9).

Control levels are fixed as in Fingertips: "2s" = 95% (0.025 per tail) and "3s" = 99.8%
(0.001 per tail). Records with missing inputs get a missing significance and are left out
of the baseline average. Spiegelhalter (2005) Stat Med 24:1185; PHEindicatormethods
phe_funnel_significance / phe_funnels.
"""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import gdtrib

from inequalities.confidence import limit_columns, z_value
from inequalities.errors import InputError
from inequalities.stats._frame import (
    GroupBy,
    check_option,
    check_positive,
    fail_rows,
    group_columns,
    key_frame,
    numeric,
    require_columns,
)
from inequalities.stats.limits import FloatArray, poisson_count_limits

LEVELS = (0.95, 0.998)
DEFAULT_MULTIPLIER = {"proportion": 100.0, "ratio": 1.0, "rate": 100_000.0}
NOT_APPLICABLE = "Not applicable for events less than 10 for dsrs"
HIGH = ("High (0.001)", "High (0.025)")
LOW = ("Low (0.001)", "Low (0.025)")


def funnel(
    data: pd.DataFrame,
    *,
    kind: str = "proportion",
    numerator: str = "numerator",
    denominator: str = "denominator",
    expected: str | None = None,
    rate: str | None = None,
    rate_type: str = "crude",
    multiplier: float | None = None,
    years_of_data: float = 1,
    group_by: GroupBy = None,
) -> pd.DataFrame:
    """Label each record "High/Low (0.001)", "High/Low (0.025)" or "Not significant".

    proportion: x/n against p̄ ± z·√(p̄(1 - p̄)/n), p̄ = Σx/Σn (the x/n whose Wilson
    interval touches p̄). ratio: the count limits of O (exact below 10, Byar's from 10)
    divided by E (column ``expected``, else ``denominator``) against 1. rate: denominators
    dᵢ = m·Oᵢ/rateᵢ (crude rates with O = 0 use ``denominator``; DSRs with O = 0 are NA),
    r̄ = ΣO/Σd against the count limits of Oᵢ over dᵢ; DSRs with O < 10 are not applicable.
    Baselines are per group. Adds ``baseline`` (on the plotted scale) and ``significance``;
    rates also get ``denominator_derived``, the yearly population axis (d / years_of_data).
    """
    check_option("kind", kind, ("proportion", "ratio", "rate"))
    check_option("rate_type", rate_type, ("crude", "dsr"))
    m = check_positive("multiplier", multiplier or DEFAULT_MULTIPLIER[kind])
    years = check_positive("years_of_data", years_of_data)
    keys = group_columns(group_by)
    out = data.copy()

    if kind == "proportion":
        require_columns(data, [numerator, denominator, *keys])
        x, n = _counts(data, numerator, denominator, zero_ok=False)
        fail_rows(x > n, numerator, f"is greater than {denominator!r}")
        centre = _group_ratio(data, keys, x, n)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = x / n
            spread = {lv: z_value(lv) * np.sqrt(centre * (1 - centre) / n) for lv in LEVELS}
        lower = {lv: p < centre - spread[lv] for lv in LEVELS}
        upper = {lv: p > centre + spread[lv] for lv in LEVELS}
        label = _label(lower, upper, np.isnan(p) | np.isnan(centre), low_first=True)
        out["baseline"] = centre * m
        out["significance"] = label
        return out

    if kind == "ratio":
        e_column = expected or denominator
        require_columns(data, [numerator, e_column, *keys])
        o, e = _counts(data, numerator, e_column, zero_ok=False)
        centre, d = np.ones(len(o)), e
        na = np.zeros(len(o), dtype=bool)
    else:
        columns = [numerator, *([rate] if rate else []), *keys]
        if rate_type == "dsr" and rate is None:
            raise InputError(
                "Funnels of DSRs ({rate_type} 'dsr') need option {rate} naming the column "
                "of DSR values.",
                options=["rate_type", "rate"],
            )
        o = numeric(data, numerator)
        fail_rows(o < 0, numerator, "is negative")
        zero = o == 0
        if rate is None or (rate_type == "crude" and zero.any()):
            columns.append(denominator)
        require_columns(data, columns)
        d = _derived_denominators(data, o, zero, rate, rate_type, denominator, m)
        centre = _group_ratio(data, keys, o, d)
        na = (o < 10) if rate_type == "dsr" else np.zeros(len(o), dtype=bool)

    with np.errstate(invalid="ignore", divide="ignore"):
        bounds = {lv: poisson_count_limits(o, lv) for lv in LEVELS}
        high = {lv: centre < bounds[lv][0] / d for lv in LEVELS}
        low = {lv: centre > bounds[lv][1] / d for lv in LEVELS}
    label = _label(low, high, np.isnan(o) | np.isnan(d) | np.isnan(centre), low_first=False)
    label[na & ~np.isnan(o)] = NOT_APPLICABLE
    if kind == "rate":
        out["denominator_derived"] = np.where(na, np.nan, d / years)
    out["baseline"] = centre * m if kind == "rate" else centre
    out["significance"] = label
    return out


def _counts(
    data: pd.DataFrame, top: str, bottom: str, *, zero_ok: bool
) -> tuple[FloatArray, FloatArray]:
    """Numerator and denominator arrays, validated row by row."""
    x = numeric(data, top)
    n = numeric(data, bottom)
    fail_rows(x < 0, top, "is negative")
    fail_rows(n < 0 if zero_ok else n <= 0, bottom, "is zero or negative")
    return x, n


def _derived_denominators(
    data: pd.DataFrame,
    o: FloatArray,
    zero: NDArray[np.bool_],
    rate: str | None,
    rate_type: str,
    denominator: str,
    m: float,
) -> FloatArray:
    """d = m·O/rate; O = 0 takes the supplied denominator (crude) or NA (DSR)."""
    if rate is None:
        n = numeric(data, denominator)
        fail_rows(n <= 0, denominator, "is zero or negative")
        return n
    r = numeric(data, rate)
    fail_rows((r <= 0) & (o > 0), rate, "is zero or negative where there are events")
    with np.errstate(invalid="ignore", divide="ignore"):
        d = m * o / r
    if rate_type == "crude" and zero.any():
        n = numeric(data, denominator)
        fail_rows(zero & (n <= 0), denominator, "is zero or negative")
        return np.where(zero, n, d)
    return np.where(zero, np.nan, d)


def _group_ratio(
    data: pd.DataFrame, keys: list[str], top: FloatArray, bottom: FloatArray
) -> FloatArray:
    """Per record, Σtop/Σbottom over its group's records where both are present."""
    valid = ~(np.isnan(top) | np.isnan(bottom))
    frame = key_frame(data, keys, t=np.where(valid, top, 0.0), b=np.where(valid, bottom, 0.0))
    if keys:
        grouped = frame.groupby(keys, sort=False, dropna=False, observed=True)
        t_sum, b_sum = grouped["t"].transform("sum"), grouped["b"].transform("sum")
    else:
        t_sum, b_sum = frame["t"].sum(), frame["b"].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(t_sum / b_sum, dtype=np.float64) * np.ones(len(frame))


def _label(
    low: dict[float, NDArray[np.bool_]],
    high: dict[float, NDArray[np.bool_]],
    missing: NDArray[np.bool_],
    *,
    low_first: bool,
) -> NDArray[np.object_]:
    """PHE's labels, tested in PHE's order; None where inputs are missing."""
    lo = [(low[0.998], LOW[0]), (low[0.95], LOW[1])]
    hi = [(high[0.998], HIGH[0]), (high[0.95], HIGH[1])]
    tests = lo + hi if low_first else hi + lo
    label = np.select([t for t, _ in tests], [name for _, name in tests], "Not significant")
    label = label.astype(object)
    label[missing] = None
    return label


def funnel_limits(
    kind: str,
    *,
    denominators: ArrayLike,
    baseline: float | None = None,
    multiplier: float | None = None,
    ratio_type: str = "ratio",
    years_of_data: float = 1,
) -> pd.DataFrame:
    """Control-limit curves at the given x-axis values, for plotting (Fingertips funnels).

    proportion: x = denominator n, ``baseline`` the average on the multiplier scale;
    limits (p̄ ± z√(p̄(1 - p̄)/n))·m clamped to [0, m] (PHE clamps at 100 whatever m).
    ratio: x = expected count E; the limits are O/E where E is an exact Poisson limit of O
    (PHE finds it by bisection, here by inverting the gamma function in O), shown as the
    ratio, or minus 1 (ratio_type "count") or * 100 ("isr"). rate: x = the yearly
    population, ``baseline`` the rate per m; limits O/(x·years)·m likewise.
    Columns: ``denominator``, ``baseline``, lower95, upper95, lower99_8, upper99_8.
    """
    check_option("kind", kind, ("proportion", "ratio", "rate"))
    check_option("ratio_type", ratio_type, ("ratio", "count", "isr"))
    m = check_positive("multiplier", multiplier or DEFAULT_MULTIPLIER[kind])
    years = check_positive("years_of_data", years_of_data)
    x = np.asarray(denominators, dtype=np.float64).ravel()
    if np.any(~(x > 0)):
        raise InputError("Funnel denominators must all be positive numbers.")
    if kind != "ratio" and (baseline is None or not np.isfinite(baseline) or baseline < 0):
        raise InputError(f"Funnel limits for a {kind} need a baseline of at least 0.")

    out = pd.DataFrame({"denominator": x})
    if kind == "proportion":
        p = baseline / m
        if p > 1:
            raise InputError(f"Baseline {baseline} is above the multiplier {m:g}.")
        out["baseline"] = baseline
        for level in LEVELS:
            spread = z_value(level) * np.sqrt(p * (1 - p) / x)
            low_name, up_name = limit_columns(level)
            out[low_name] = np.clip(p - spread, 0, 1) * m
            out[up_name] = np.clip(p + spread, 0, 1) * m
        return out

    expected = x if kind == "ratio" else baseline / m * x * years
    scale = 1 / expected if kind == "ratio" else m / (x * years)
    for level in LEVELS:
        tail = (1 - level) / 2
        with np.errstate(invalid="ignore", divide="ignore"):
            # Lower curve: the O whose exact upper limit is E, i.e. P(X ≤ O | E) = tail,
            # which for continuous O is the regularised gamma P(O + 1, E) = 1 - tail.
            low_o = np.fmax(gdtrib(1.0, 1 - tail, expected) - 1, 0.0)
            high_o = gdtrib(1.0, tail, expected)  # P(O, E) = tail: E is O's lower limit
        low_name, up_name = limit_columns(level)
        out[low_name] = low_o * scale
        out[up_name] = high_o * scale
    names = [c for c in out.columns if c != "denominator"]
    if kind == "ratio":
        out["baseline"] = 1.0
        if ratio_type == "count":
            out[[*names, "baseline"]] -= 1
        elif ratio_type == "isr":
            out[[*names, "baseline"]] *= 100
    else:
        out["baseline"] = baseline
    return out[["denominator", "baseline", *names]]
