"""Slope Index of Inequality (SII) and Relative Index of Inequality (RII).

Implements the method of PHEindicatormethods ``phe_sii`` (UKHSA's R package) as set out in
the methods reference §7.3, after Low & Low (2004), "Measuring the gap: quantifying and
comparing local health inequalities", J Public Health 26:388-95.

For each group (area), quantiles are ordered by their numeric label (1 = most deprived sits at
x = 0), each quantile's population share ``a`` and relative rank ``b`` (the midpoint of its
span of the cumulative population) are computed, and the indicator is fitted by weighted least
squares on ``b`` with weights ``a`` (the √a-transformed regression without a free
intercept that PHE fits). The slope is the SII; (intercept + slope) / intercept is the RII.
With ``transform=True`` (rates and proportions only) the fit is on the log or logit scale and
both are mapped back (§7.3 step 5).

Confidence limits: the simulation design
----------------------------------------
PHE draws ``R`` (default 100,000) sets of quantile values ``Y*_i ~ N(g(y_i), SE_i)``, refits the
line to every set and takes order statistics of the slopes (and of the RII draws). The fitted
coefficients are fixed linear combinations of the values, ``beta* = C Y*`` with
``C = (X'WX)^-1 X'W``, so writing ``Y*_i = g(y_i) + SE_i Z_i`` with ``Z`` standard normal:

* Linear case (``value_type`` 0, or types 1 and 2 with ``transform=True``): every group's slope
  draws are ``beta_1 + Z @ (c_1 * SE)``. One ``R x Q`` matrix ``Z`` is drawn per call (per
  reliability set) and shared by every group (all groups have the table's Q quantiles): common
  random numbers, a standard and reproducible simulation design. The draws of a chunk of
  groups come from one matrix product, block by block of ``Z`` (each block of ``Z`` is used
  by every chunk while it is in cache), instead of ``R`` separate regressions per group.
  For value_type 0 the RII draw ``(beta0* + beta1*) / beta0*`` (inverted when the multiplier
  m < 0) equals ``1 + (S / D) / |m|`` with ``S = m beta1*`` and ``D = beta0*`` (or
  ``beta0* + beta1*`` when m < 0), increasing in ``S / D``; so its order statistics are
  ``1 + (those of S / D) / |m|``, and S and D are linear in ``Z`` too.
* Non-linear case (types 1 and 2 with ``transform=False``): the draws are back-transformed
  (``exp``, or the inverse logit ``1 / (1 + exp(-x))``) before the fit, so these are applied
  elementwise to the ``R x Q`` draws of each group, in cache-sized blocks, followed by one
  small matrix product; for rates the factor ``e^g`` of ``exp(g + s z) = e^g exp(s z)`` is
  folded into the coefficients.

Each group's draws therefore have exactly the distribution PHE samples from (same model, same
normal draws per quantile, same regression), so results agree with ``phe_sii`` within
simulation error, not bit for bit: PHE uses R's random number stream, this module uses
numpy's PCG64 with ``seed``. Because groups share ``Z``, their simulation errors are correlated;
each group's limits are still a valid ``R``-draw simulation. The same ``seed`` gives identical
output.

Limits are the order statistics at the 1-based positions ``round(R * alpha / 2)`` and
``round(R * (1 - alpha / 2))`` (R's rounding, half to even; clamped to 1..R, so a confidence of
1 gives the smallest and largest draw). They are selected without sorting or holding the
draws (see ``_select_many``): per row, a low and a high threshold a safe margin beyond the
order statistics (6 standard deviations of the count) come from the known distribution of the
draws where there is one (normal for linear slopes; for ``S / D``, Hinkley's (1969) formula
when D provably keeps one sign: ``|mean D| > max_r |Z_r| sd D``), otherwise from a pilot of
the first 4,096 draws. Only draws beyond the thresholds (about 6% of them) are kept, and the
order statistics are found among those. Where too few draws pass a threshold (probability of
order 1e-7) the row falls back to a full ``np.partition``, so the result is always the order
statistic of the full sample (to rounding: draws are computed rescaled so that the thresholds
are -1 and +1, which changes them by about 1e-16 of the spread of the draws).

Reliability (§7.3 step 7): ten independent sets of ``R`` draws; the limits reported are those
of the first set (identical to a run without the option, same seed), and ``sii_mad`` /
``rii_mad`` are the mean absolute differences between the first set's limits and each of
sets 2-10, averaged over every reported limit (lower and upper at each confidence level; with
one level this is PHE's statistic).
"""

import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from numbers import Integral, Real
from typing import Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.special import expit, ndtri

from inequalities.confidence import level_suffix, normalise_confidence, z_value
from inequalities.errors import InputError, describe_groups, describe_rows

__all__ = ["sii"]

FloatArray = NDArray[np.float64]

MIN_DRAWS: Final = 1_000
MIN_QUANTILES: Final = 5
MAX_QUANTILES: Final = 100
MANY_QUANTILES: Final = 10
RELIABILITY_SETS: Final = 10

# Value types (§7.3): 0 other, 1 rate (log scale), 2 proportion in 0-1 (logit scale).
OTHER: Final = 0
RATE: Final = 1
PROPORTION: Final = 2
_TYPE_NAMES: Final = {OTHER: "other", RATE: "rate", PROPORTION: "proportion"}

# Order-statistic selection (see the module docstring).
_TAIL_MIN_DRAWS: Final = 20_000  # below this, a full np.partition is as quick
_PILOT_DRAWS: Final = 4_096
_SAFETY_SD: Final = 6.0  # threshold margin, in standard deviations of the tail count
# Work sizes, chosen so that a block of draws stays in a 1 MB L2 cache: groups per chunk and
# draws per block, for the linear and the back-transformed (elementwise exp) cases.
_LINEAR_CHUNK: Final = 8
_LINEAR_BLOCK: Final = 4_096
_NONLINEAR_CHUNK: Final = 8
_NONLINEAR_BLOCK: Final = 1_024
# exp(SE * z) overflows near 709; refuse SEs that could reach it rather than return inf.
_MAX_EXPONENT: Final = 700.0


def sii(
    data: pd.DataFrame,
    *,
    quantile: str = "quantile",
    population: str = "population",
    value: str = "value",
    lower95: str = "lower95",
    upper95: str = "upper95",
    se: str | None = None,
    value_type: int = OTHER,
    transform: bool = False,
    draws: int = 100_000,
    seed: int | None = None,
    confidence: float | Iterable[float] = (0.95, 0.998),
    multiplier: float = 1.0,
    reliability: bool = False,
    group_by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Slope and relative index of inequality per group, with simulated confidence limits.

    PHEindicatormethods ``phe_sii`` (methods reference §7.3; Low & Low 2004, J Public Health
    26:388-95). One input row per quantile of each group.

    Args:
        data: one row per quantile per group.
        quantile: column of numeric quantile labels, ordered numerically (so "10" comes after
            "2"); label the most deprived quantile 1 to put it at x = 0.
        population: column of quantile populations, all > 0.
        value: column of indicator values; proportions (``value_type=2``) as 0-1.
        lower95, upper95: columns of each value's 95% confidence limits, used to derive
            standard errors (on the log/logit scale for types 1 and 2) when ``se`` is None.
            Always read as 95% limits, whatever ``confidence`` is.
        se: column of standard errors, used instead of the limits. For types 1 and 2 they are
            on the log/logit scale, where the simulation draws.
        value_type: 0 other, 1 rate, 2 proportion.
        transform: fit on the log (rate) or logit (proportion) scale and map back (types 1
            and 2 only, with limits rather than ``se``).
        draws: simulation size R, at least 1,000.
        seed: seed for numpy's random generator; the same seed gives the same output.
        confidence: one or two levels, fractions or percentages (0.95, 99.8, ...).
        multiplier: scales the SII (and the intercept when ``transform=True``); a negative
            multiplier flips the SII and inverts the RII. Not zero.
        reliability: also return ``sii_mad`` and ``rii_mad`` from ten sets of draws.
        group_by: column(s) identifying groups; None treats all rows as one group.

    Returns:
        One row per group (sorted by the group columns) with the group columns, ``sii``,
        ``sii_lower<level>``/``sii_upper<level>`` per level, ``rii`` and its limits,
        ``intercept``, ``quantiles`` (the number Q), ``confidence`` and, with reliability,
        ``sii_mad`` and ``rii_mad``. Groups missing a quantile, or a value, standard error or
        limit, are left out with a warning naming them.

    Raises:
        InputError: invalid options, or invalid rows (named, 1-based).
    """
    keys = _group_columns(group_by)
    levels = normalise_confidence(confidence)
    value_type, transform, draws, multiplier = _check_options(
        value_type, transform, draws, multiplier, se
    )
    if not isinstance(reliability, bool | np.bool_):
        raise InputError(
            "Option {reliability} must be True or False, not {given!r}.",
            options=["reliability"],
            given=reliability,
        )
    output = _output_columns(levels, reliability)
    _check_columns(data, keys, quantile, population, value, se, lower95, upper95, output)

    prepared = _prepare(
        data,
        keys=keys,
        quantile=quantile,
        population=population,
        value=value,
        se=se,
        lower95=lower95,
        upper95=upper95,
        value_type=value_type,
    )
    if prepared is None:
        return pd.DataFrame(columns=[*keys, *output])
    groups, pops, values, errors = prepared
    n_quantiles = pops.shape[1]

    c0, c1 = _coefficients(pops)
    centres = _g(values, value_type)  # the draws' means: g(y) on the log/logit scale
    fitted = centres if transform else values
    beta0 = np.einsum("gq,gq->g", c0, fitted)
    beta1 = np.einsum("gq,gq->g", c1, fitted)

    # An intercept of 0 gives an infinite or undefined RII, as in R, without a warning.
    with np.errstate(divide="ignore", invalid="ignore"):
        if transform:
            inverse = _g_inverse(value_type)
            top, bottom = inverse(beta0 + beta1), inverse(beta0)
            point_sii = (top - bottom) * multiplier
            point_rii = top / bottom
            intercept = bottom * abs(multiplier)
        else:
            point_sii = beta1 * multiplier
            point_rii = (beta0 + beta1) / beta0
            intercept = beta0
        if multiplier < 0:
            point_rii = 1 / point_rii

    positions = _positions(draws, levels)
    simulate = _Simulation(
        c0=c0,
        c1=c1,
        centres=centres,
        errors=errors,
        beta0=beta0,
        beta1=beta1,
        value_type=value_type,
        transform=transform,
        multiplier=multiplier,
        positions=positions,
    )
    rng = np.random.default_rng(seed)
    sets = RELIABILITY_SETS if reliability else 1
    sii_limits, rii_limits = [], []
    normals = np.empty((n_quantiles + 1, draws))  # Z transposed, plus a row of ones
    normals[n_quantiles] = 1.0
    for _ in range(sets):
        rng.standard_normal(out=normals[:n_quantiles])
        lower_upper = simulate(normals)
        sii_limits.append(lower_upper[0])
        rii_limits.append(lower_upper[1])

    result = groups
    result["sii"] = point_sii
    for i, level in enumerate(levels):
        suffix = level_suffix(level)
        result[f"sii_lower{suffix}"] = sii_limits[0][:, i, 0]
        result[f"sii_upper{suffix}"] = sii_limits[0][:, i, 1]
    result["rii"] = point_rii
    for i, level in enumerate(levels):
        suffix = level_suffix(level)
        result[f"rii_lower{suffix}"] = rii_limits[0][:, i, 0]
        result[f"rii_upper{suffix}"] = rii_limits[0][:, i, 1]
    result["intercept"] = intercept
    result["quantiles"] = n_quantiles
    result["confidence"] = ", ".join(f"{round(level * 100, 6):g}%" for level in levels)
    if reliability:
        result["sii_mad"] = _mean_absolute_difference(sii_limits)
        result["rii_mad"] = _mean_absolute_difference(rii_limits)
    return result[[*keys, *output]]


# --- options and input --------------------------------------------------------------------


def _group_columns(group_by: str | Sequence[str] | None) -> list[str]:
    if group_by is None:
        return []
    if isinstance(group_by, str):
        return [group_by]
    return list(group_by)


def _check_options(
    value_type: object, transform: object, draws: object, multiplier: object, se: str | None
) -> tuple[int, bool, int, float]:
    if isinstance(value_type, bool) or value_type not in _TYPE_NAMES:
        raise InputError(
            "Option {value_type} must be 0 (other), 1 (rate) or 2 (proportion), not {given!r}.",
            options=["value_type"],
            given=value_type,
        )
    if not isinstance(transform, bool | np.bool_):
        raise InputError(
            "Option {transform} must be True or False, not {given!r}.",
            options=["transform"],
            given=transform,
        )
    if transform and value_type == OTHER:
        raise InputError(
            "Option {transform} applies only to rates and proportions ({value_type} 1 or 2).",
            options=["transform", "value_type"],
        )
    if transform and se is not None:
        raise InputError(
            "Option {transform} needs 95% confidence limits ({lower95}, {upper95}), "
            "not a standard error column ({se}).",
            options=["transform", "lower95", "upper95", "se"],
        )
    if isinstance(draws, bool) or not isinstance(draws, Integral) or draws < MIN_DRAWS:
        raise InputError(
            "Option {draws} must be a whole number of at least 1,000, not {given!r}.",
            options=["draws"],
            given=draws,
        )
    if isinstance(multiplier, bool) or not isinstance(multiplier, Real):
        raise InputError(
            "Option {multiplier} must be a number, not {given!r}.",
            options=["multiplier"],
            given=multiplier,
        )
    factor = float(multiplier)
    if not math.isfinite(factor) or factor == 0:
        raise InputError(
            "Option {multiplier} must be a finite, non-zero number, not {given!r}.",
            options=["multiplier"],
            given=multiplier,
        )
    return int(value_type), bool(transform), int(draws), factor


def _output_columns(levels: Sequence[float], reliability: bool) -> list[str]:
    def limits(stat: str) -> list[str]:
        out = []
        for level in levels:
            suffix = level_suffix(level)
            out += [f"{stat}_lower{suffix}", f"{stat}_upper{suffix}"]
        return out

    columns = ["sii", *limits("sii"), "rii", *limits("rii"), "intercept", "quantiles"]
    columns.append("confidence")
    if reliability:
        columns += ["sii_mad", "rii_mad"]
    return columns


def _check_columns(
    data: pd.DataFrame,
    keys: list[str],
    quantile: str,
    population: str,
    value: str,
    se: str | None,
    lower95: str,
    upper95: str,
    output: list[str],
) -> None:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"Expected a table (pandas DataFrame), got {type(data).__name__}.")
    needed = [*keys, quantile, population, value, *([se] if se is not None else [lower95, upper95])]
    for column in needed:
        if column not in data.columns:
            shown = ", ".join(repr(str(c)) for c in list(data.columns)[:20]) or "none"
            if se is None and column in (lower95, upper95):
                raise InputError(
                    "Column {column!r} is missing from the data (columns: {shown}). Give 95% "
                    "limits, or name a standard error column with option {se}.",
                    options=["se"],
                    column=column,
                    shown=shown,
                )
            raise InputError(f"Column {column!r} is missing from the data (columns: {shown}).")
    clash = sorted(set(keys) & set(output))
    if clash:
        raise InputError(f"Group column {clash[0]!r} has the name of a result column; rename it.")


def _numeric(data: pd.DataFrame, column: str) -> FloatArray:
    """The column as float64 with NaN for missing; text or infinities raise InputError."""
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
    _fail_rows(np.isinf(values), column, "is infinite")
    return values


def _fail_rows(mask: NDArray[np.bool_], column: str, problem: str) -> None:
    if mask.any():
        raise InputError(f"Column {column!r} {problem} in {describe_rows(np.flatnonzero(mask))}.")


def _prepare(
    data: pd.DataFrame,
    *,
    keys: list[str],
    quantile: str,
    population: str,
    value: str,
    se: str | None,
    lower95: str,
    upper95: str,
    value_type: int,
) -> tuple[pd.DataFrame, FloatArray, FloatArray, FloatArray] | None:
    """Validate rows and return (group keys, populations, values, SEs), each G x Q in
    numeric quantile order, or None when every group was dropped (with a warning)."""
    labels = _numeric(data, quantile)
    _fail_rows(np.isnan(labels), quantile, "is missing (every row needs a quantile label)")
    pops = _numeric(data, population)
    _fail_rows(~(pops > 0), population, "must be greater than 0 (missing, zero or negative)")
    values = _numeric(data, value)
    present = ~np.isnan(values)
    scale = {RATE: "log", PROPORTION: "logit"}.get(value_type)
    if value_type == RATE:
        _fail_rows(present & (values <= 0), value, "must be above 0 for a rate (log scale)")
    elif value_type == PROPORTION:
        _fail_rows(
            present & ((values <= 0) | (values >= 1)),
            value,
            "must be a proportion strictly between 0 and 1 (logit scale)",
        )

    if se is not None:
        errors = _numeric(data, se)
        _fail_rows(errors < 0, se, "is negative")
    else:
        low, high = _numeric(data, lower95), _numeric(data, upper95)
        both = ~np.isnan(low) & ~np.isnan(high)
        _fail_rows(both & (low > high), lower95, f"is above {upper95!r}")
        for column, limit in ((lower95, low), (upper95, high)):
            if value_type == RATE:
                _fail_rows(limit <= 0, column, f"must be above 0 for a rate ({scale} scale)")
            elif value_type == PROPORTION:
                _fail_rows(
                    (limit <= 0) | (limit >= 1),
                    column,
                    f"must be strictly between 0 and 1 for a proportion ({scale} scale)",
                )
        # §7.3 step 3: the limits are read as 95% limits, on the transformed scale.
        errors = (_g(high, value_type) - _g(low, value_type)) / (2 * z_value(0.95))

    # Quantiles in numeric order; Q is the number of distinct labels in the whole table.
    levels, q_index = np.unique(labels, return_inverse=True)
    n_quantiles = levels.size
    if not MIN_QUANTILES <= n_quantiles <= MAX_QUANTILES:
        raise InputError(
            f"The SII needs between {MIN_QUANTILES} and {MAX_QUANTILES} quantiles; "
            f"column {quantile!r} has {n_quantiles}."
        )
    if n_quantiles > MANY_QUANTILES:
        warnings.warn(
            f"SII with {n_quantiles} quantiles: small populations in each quantile can make "
            "the SII unstable.",
            UserWarning,
            stacklevel=3,
        )

    if keys:
        grouper = data.groupby(keys, sort=True, dropna=False, observed=True)
        g_index = grouper.ngroup().to_numpy()
        n_groups = int(g_index.max()) + 1 if len(g_index) else 0
        _, first = np.unique(g_index, return_index=True)
        groups = data[keys].iloc[first].reset_index(drop=True)
        names = list(groups.itertuples(index=False, name=None))
    else:
        g_index = np.zeros(len(data), dtype=np.intp)
        n_groups = 1
        groups = pd.DataFrame(index=range(1))
        names = ["all rows"]

    cell = g_index * n_quantiles + q_index
    order = np.argsort(cell, kind="stable")
    repeated = np.zeros(len(cell), dtype=bool)
    repeated[order[1:]] = cell[order[1:]] == cell[order[:-1]]
    if repeated.any():
        raise InputError(
            f"Column {quantile!r} repeats a quantile within a group in "
            f"{describe_rows(np.flatnonzero(repeated))}; give one row per quantile."
        )

    shape = (n_groups, n_quantiles)
    grid_pops = np.full(shape, np.nan)
    grid_values = np.full(shape, np.nan)
    grid_errors = np.full(shape, np.nan)
    grid_pops[g_index, q_index] = pops
    grid_values[g_index, q_index] = values
    grid_errors[g_index, q_index] = errors
    has_all = ~np.isnan(grid_pops).any(axis=1)
    complete = ~(np.isnan(grid_values) | np.isnan(grid_errors)).any(axis=1)

    incomplete = np.flatnonzero(~has_all)
    if incomplete.size:
        warnings.warn(
            f"SII not calculated for {describe_groups([names[g] for g in incomplete])}: "
            f"each group needs all {n_quantiles} quantiles ({_describe_labels(levels)}).",
            UserWarning,
            stacklevel=3,
        )
    missing = np.flatnonzero(has_all & ~complete)
    if missing.size:
        wanted = f"standard error ({se!r})" if se is not None else "95% limits"
        warnings.warn(
            f"SII not calculated for {describe_groups([names[g] for g in missing])}: a quantile "
            f"has no value or {wanted}.",
            UserWarning,
            stacklevel=3,
        )
    keep = has_all & complete
    if not keep.any():
        return None
    groups = groups[keep].reset_index(drop=True)
    return groups, grid_pops[keep], grid_values[keep], grid_errors[keep]


def _describe_labels(levels: FloatArray) -> str:
    def text(label: float) -> str:
        return str(int(label)) if float(label).is_integer() else f"{label:g}"

    shown = ", ".join(text(v) for v in levels[:12])
    return shown + (f", ... {text(levels[-1])}" if levels.size > 12 else "")


# --- the regression ------------------------------------------------------------------------


def _coefficients(pops: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Rows of (X'WX)^-1 X'W for the WLS of y on relative rank b with weights a (§7.3 2, 4).

    beta0 = c0 . y and beta1 = c1 . y. With weights summing to 1 and weighted mean rank
    m = sum(a b) (which is exactly 1/2), c1 = a (b - m) / sum(a (b - m)^2) and c0 = a - m c1.
    """
    shares = pops / pops.sum(axis=1, keepdims=True)
    ranks = np.cumsum(shares, axis=1) - shares / 2
    mean_rank = np.einsum("gq,gq->g", shares, ranks)[:, None]
    centred = ranks - mean_rank
    c1 = shares * centred / np.einsum("gq,gq->g", shares, centred * centred)[:, None]
    c0 = shares - mean_rank * c1
    return c0, c1


def _g(values: FloatArray, value_type: int) -> FloatArray:
    """The transform g of §7.3 step 3: identity, log or logit."""
    if value_type == RATE:
        return np.log(values)
    if value_type == PROPORTION:
        return np.log(values / (1 - values))
    return values


def _g_inverse(value_type: int) -> Callable[[FloatArray], FloatArray]:
    return np.exp if value_type == RATE else expit


def _positions(draws: int, levels: Sequence[float]) -> NDArray[np.intp]:
    """1-based order-statistic positions (lower, upper) per level, clamped to 1..R.

    Python's round() rounds half to even, as R's round() does.
    """
    out = np.empty((len(levels), 2), dtype=np.intp)
    for i, level in enumerate(levels):
        alpha = 1 - level
        out[i, 0] = round(draws * alpha / 2)
        out[i, 1] = round(draws * (1 - alpha / 2))
    return np.clip(out, 1, draws)


# --- the simulation ------------------------------------------------------------------------


class _Simulation:
    """One set of draws -> (SII limits, RII limits), each G x levels x (lower, upper).

    Groups are taken in chunks; each chunk's draws are produced block by block into reused
    buffers and never held whole (see ``_select``).
    """

    def __init__(
        self,
        *,
        c0: FloatArray,
        c1: FloatArray,
        centres: FloatArray,
        errors: FloatArray,
        beta0: FloatArray,
        beta1: FloatArray,
        value_type: int,
        transform: bool,
        multiplier: float,
        positions: NDArray[np.intp],
    ) -> None:
        self.c0, self.c1 = c0, c1
        self.centres, self.errors = centres, errors
        self.beta0, self.beta1 = beta0, beta1
        self.value_type, self.transform = value_type, transform
        self.multiplier = multiplier
        self.positions = positions
        self.wanted = np.unique(positions)  # sorted, for the selection
        self.columns = np.searchsorted(self.wanted, positions)  # levels x 2 -> column

    def __call__(self, normals: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Limits from one set of draws; ``normals`` is Z transposed (Q x R) over a row of 1s."""
        n_groups = self.c1.shape[0]
        count = normals.shape[1]
        sii_out = np.empty((n_groups, *self.positions.shape))
        rii_out = np.empty((n_groups, *self.positions.shape))
        back_transformed = not self.transform and self.value_type != OTHER
        if back_transformed and self.value_type == RATE:
            _check_exponent(self.centres, self.errors, normals)
        size = min(_NONLINEAR_CHUNK if back_transformed else _LINEAR_CHUNK, n_groups)
        # Buffers shared by every block of every chunk.
        block = min(count, _NONLINEAR_BLOCK if back_transformed else _LINEAR_BLOCK)
        sims = np.empty(3 * size * block)
        work = np.empty(size * normals.shape[0] * block) if back_transformed else sims
        # The largest |Z_r| over the draws bounds every linear draw: |Z_r . v| <= |Z_r| |v|.
        z = normals[:-1]
        largest = float(np.sqrt(np.einsum("qr,qr->r", z, z).max()))
        chunks = [slice(i, min(n_groups, i + size)) for i in range(0, n_groups, size)]
        jobs: list[tuple[_Draws, Guess | None]] = []
        for chunk in chunks:
            if self.transform:
                spread = self.c1[chunk] * self.errors[chunk]
                coef = np.column_stack([spread, self.beta1[chunk]])
                draws: _Draws = _LinearDraws(coef, None, None, normals, sims, block)
                guess = _normal_guess(self.beta1[chunk], np.linalg.norm(spread, axis=1))
                jobs.append((draws, guess))
            elif back_transformed:
                jobs.append((self._back_transformed(chunk, normals, sims, work, block), None))
            else:
                jobs.append(self._linear(chunk, normals, sims, block, largest))
        # A zero RII denominator gives inf or nan, as in R, without a warning.
        with np.errstate(divide="ignore", invalid="ignore"):
            stats = _select_many(jobs, self.wanted)
        for chunk, chunk_stats in zip(chunks, stats, strict=True):
            if self.transform:
                sii_out[chunk], rii_out[chunk] = self._map_back(chunk, chunk_stats)
                continue
            n = chunk.stop - chunk.start
            sii_out[chunk] = chunk_stats[:n, self.columns]
            # The RII's order statistics are 1 + (those of S / D) / |m|: see _reference.
            rii_out[chunk] = 1 + chunk_stats[n:, self.columns] / abs(self.multiplier)
        return sii_out, rii_out

    def _map_back(self, chunk: slice, slopes: FloatArray) -> tuple[FloatArray, FloatArray]:
        """§7.3 step 6: centre the slope quantiles s on h = beta0 + beta1/2 and back-transform."""
        inverse = _g_inverse(self.value_type)
        middle = (self.beta0[chunk] + self.beta1[chunk] / 2)[:, None, None]
        quantiles = slopes[:, self.columns]  # G x levels x (lower, upper)
        top = inverse(middle + quantiles / 2)
        bottom = inverse(middle - quantiles / 2)
        sii_limits = (top - bottom) * self.multiplier
        rii_limits = top / bottom
        if self.multiplier < 0:
            sii_limits = sii_limits[:, :, ::-1]
            rii_limits = 1 / rii_limits[:, :, ::-1]
        return sii_limits, rii_limits

    def _reference(self, chunk: slice) -> FloatArray:
        """Weights of the RII draw's reference D: beta0*, or beta0* + beta1* when m < 0.

        With S = m * beta1*, the RII draw (beta0* + beta1*) / beta0* is 1 + (S / D) / m, and
        when m < 0 its inverse beta0* / (beta0* + beta1*) is 1 - (S / D) / m: either way
        1 + (S / D) / |m|, increasing in S / D. So the RII's order statistics are
        1 + (those of S / D) / |m|, and the draws need only S and D.
        """
        c0 = self.c0[chunk]
        return c0 + self.c1[chunk] if self.multiplier < 0 else c0

    def _linear(
        self, chunk: slice, normals: FloatArray, sims: FloatArray, block: int, largest: float
    ) -> tuple["_Draws", "Guess"]:
        """value_type 0: rows m * slope (sorted as m * slope, as PHE does) and S / D, both
        from one matrix product of coefficients on [Z, 1]. ``largest`` bounds |Z_r|."""
        m = self.multiplier
        errors, centres = self.errors[chunk], self.centres[chunk]
        coef = np.empty((2, errors.shape[0], errors.shape[1] + 1))
        for i, weights in enumerate((m * self.c1[chunk], self._reference(chunk))):
            coef[i, :, :-1] = weights * errors
            coef[i, :, -1] = np.einsum("gq,gq->g", weights, centres)
        draws = _LinearDraws(coef[0], coef[0], coef[1], normals, sims, block)
        slope = _normal_guess(coef[0, :, -1], np.linalg.norm(coef[0, :, :-1], axis=1))
        return draws, _stacked(slope, _ratio_guess(coef[0], coef[1], largest))

    def _back_transformed(
        self, chunk: slice, normals: FloatArray, sims: FloatArray, work: FloatArray, block: int
    ) -> "_Draws":
        """Types 1 and 2 with transform=False: rows m * slope and S / D, where every draw is
        back-transformed before the fit."""
        c1 = self.c1[chunk]
        centres, errors = self.centres[chunk], self.errors[chunk]
        n, n_quantiles = c1.shape
        weights = np.stack([self.multiplier * c1, self._reference(chunk)], axis=1)  # n x 2 x Q
        # Per group, coefficients of S and D on [f(scaled Z), 1].
        coef = np.zeros((n, 2, n_quantiles + 1))
        if self.value_type == RATE:
            # exp(g + SE z) = e^g exp(SE z): e^g joins the coefficients.
            scale, shift = errors, None
            coef[:, :, :-1] = weights * np.exp(centres)[:, None, :]
            func = np.exp
        else:
            # expit(g + SE z) = 1 / (1 + exp(-g - SE z)).
            scale, shift = -errors, -centres
            coef[:, :, :-1] = weights
            func = _reciprocal_of_one_plus_exp
        return _BackTransformedDraws(coef, func, scale, shift, normals, sims, work, block)


def _view(buffer: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    """A C-contiguous array of ``shape`` over the start of a flat work buffer."""
    return buffer[: math.prod(shape)].reshape(shape)


class _Draws:
    """Rows of simulated draws, produced block by block on demand.

    ``rescale(shift, scale)`` makes later blocks give (draw - shift) / scale per row; the
    simulations fold this into their coefficients, so it costs nothing per draw.
    """

    n_rows: int
    count: int
    block: int

    def rescale(self, shift: FloatArray, scale: FloatArray) -> None:
        raise NotImplementedError

    def produce(self, start: int, stop: int) -> FloatArray:
        """Rows x (stop - start) draws, C-contiguous, valid until the next call."""
        raise NotImplementedError


class _ArrayDraws(_Draws):
    """Draws already held in an array (for small samples and tests)."""

    def __init__(self, values: FloatArray, block: int = _LINEAR_BLOCK) -> None:
        self.values = np.asarray(values, dtype=np.float64)
        self.n_rows, self.count = self.values.shape
        self.block = min(block, self.count)
        self.shift = np.zeros((self.n_rows, 1))
        self.scale = np.ones((self.n_rows, 1))

    def rescale(self, shift: FloatArray, scale: FloatArray) -> None:
        self.shift, self.scale = shift[:, None], scale[:, None]

    def produce(self, start: int, stop: int) -> FloatArray:
        return (self.values[:, start:stop] - self.shift) / self.scale


class _LinearDraws(_Draws):
    """Rows ``slope @ [Z, 1]``, then rows ``(numerator @ [Z, 1]) / (denominator @ [Z, 1])``:
    one matrix product per block (plus one division for the ratio rows)."""

    def __init__(
        self,
        slope: FloatArray,
        numerator: FloatArray | None,
        denominator: FloatArray | None,
        normals: FloatArray,
        sims: FloatArray,
        block: int,
    ) -> None:
        self.raw = (slope, numerator, denominator)
        self.n_slopes = slope.shape[0]
        self.n_ratios = 0 if numerator is None else numerator.shape[0]
        self.n_rows = self.n_slopes + self.n_ratios
        self.normals, self.sims = normals, sims
        self.count, self.block = normals.shape[1], block
        self.rescale(np.zeros(self.n_rows), np.ones(self.n_rows))

    def rescale(self, shift: FloatArray, scale: FloatArray) -> None:
        slope, numerator, denominator = self.raw
        ns = self.n_slopes
        scaled = slope / scale[:ns, None]
        scaled[:, -1] -= shift[:ns] / scale[:ns]
        parts = [scaled]
        if numerator is not None and denominator is not None:
            # (N / D - a) / b = (N - a D) / (b D)
            parts.append(numerator - shift[ns:, None] * denominator)
            parts.append(denominator * scale[ns:, None])
        self.coef = np.concatenate(parts)

    def produce(self, start: int, stop: int) -> FloatArray:
        ns, nr = self.n_slopes, self.n_ratios
        out = _view(self.sims, (ns + 2 * nr, stop - start))
        np.matmul(self.coef, self.normals[:, start:stop], out=out)
        if nr:
            np.divide(out[ns : ns + nr], out[ns + nr :], out=out[ns : ns + nr])
        return out[: ns + nr]


class _BackTransformedDraws(_Draws):
    """Per group: S = s @ [f(scale * Z + shift), 1] and D = d @ [the same]; rows all S, then
    all S / D. f (exp or the inverse logit) is applied to each block of draws in place."""

    def __init__(
        self,
        coef: FloatArray,
        func: Callable[..., FloatArray],
        scale: FloatArray,
        shift: FloatArray | None,
        normals: FloatArray,
        sims: FloatArray,
        work: FloatArray,
        block: int,
    ) -> None:
        self.raw = coef  # n x (S, D) x (Q + 1)
        self.func, self.scale_z, self.shift_z = func, scale, shift
        self.normals, self.sims, self.work = normals, sims, work
        self.n_groups, _, self.width_q = coef.shape
        self.n_rows = 2 * self.n_groups
        self.count, self.block = normals.shape[1], block
        self.rescale(np.zeros(self.n_rows), np.ones(self.n_rows))

    def rescale(self, shift: FloatArray, scale: FloatArray) -> None:
        n = self.n_groups
        s, d = self.raw[:, 0], self.raw[:, 1]
        coef = np.empty((n, 3, self.width_q))
        coef[:, 0] = s / scale[:n, None]
        coef[:, 0, -1] -= shift[:n] / scale[:n]
        coef[:, 1] = s - shift[n:, None] * d  # (S / D - a) / b = (S - a D) / (b D)
        coef[:, 2] = d * scale[n:, None]
        self.coef = coef

    def produce(self, start: int, stop: int) -> FloatArray:
        n, width = self.n_groups, stop - start
        n_quantiles = self.width_q - 1
        values = _view(self.work, (n, self.width_q, width))
        inner = values[:, :n_quantiles, :]
        np.multiply(
            self.normals[None, :n_quantiles, start:stop], self.scale_z[:, :, None], out=inner
        )
        if self.shift_z is not None:
            inner += self.shift_z[:, :, None]
        self.func(inner, out=inner)
        values[:, n_quantiles, :] = 1.0
        out = _view(self.sims, (3, n, width))
        np.matmul(self.coef, values, out=out.transpose(1, 0, 2))
        np.divide(out[1], out[2], out=out[1])
        return out[:2].reshape(2 * n, width)


def _reciprocal_of_one_plus_exp(x: FloatArray, out: FloatArray) -> FloatArray:
    """1 / (1 + exp(x)) in place; exp overflowing to inf correctly gives 0."""
    with np.errstate(over="ignore"):
        np.exp(x, out=out)
    np.add(out, 1.0, out=out)
    return np.divide(1.0, out, out=out)


def _check_exponent(centres: FloatArray, errors: FloatArray, normals: FloatArray) -> None:
    """exp(g + SE z) must stay finite for every draw: refuse absurd log-scale SEs."""
    reach = centres + errors * float(np.abs(normals[:-1]).max())
    if float(reach.max()) > _MAX_EXPONENT:
        raise InputError(
            "A standard error on the log scale is too large to simulate "
            f"(largest {float(errors.max()):.4g}); check the 95% limits or the standard errors."
        )


def _mean_absolute_difference(limits: list[FloatArray]) -> FloatArray:
    first = limits[0]
    diffs = [np.abs(other - first) for other in limits[1:]]
    return np.mean(np.stack(diffs), axis=(0, 2, 3))


# --- order statistics ----------------------------------------------------------------------

# Given the probabilities (p_low, p_high) of the two tails, a guess returns per row values
# with about that probability below / above them, or NaN where it cannot tell.
Guess = Callable[[float, float], tuple[FloatArray, FloatArray]]


def _normal_guess(mean: FloatArray, sd: FloatArray) -> Guess:
    """Rows that are samples from N(mean, sd^2)."""

    def guess(p_low: float, p_high: float) -> tuple[FloatArray, FloatArray]:
        return mean + sd * ndtri(p_low), mean - sd * ndtri(p_high)

    return guess


def _ratio_guess(numerator: FloatArray, denominator: FloatArray, largest: float) -> Guess:
    """Rows of S / D, where S and D are (coefficients) @ [Z, 1] for standard normal Z with
    |Z_r| <= ``largest`` in every draw.

    Where D keeps one sign in every draw (|mean D| > largest * sd D), P(S / D < c) is
    P(S - c D < 0) = Phi((c mean D - mean S) / sd(S - c D)) (Hinkley 1969), and setting it
    to p gives a quadratic in c: the smaller root for the low tail, the larger for the high.
    """
    sign = np.sign(denominator[:, -1])  # S / D = (-S) / (-D): make mean D positive
    mean_s, mean_d = sign * numerator[:, -1], sign * denominator[:, -1]
    spread_s, spread_d = numerator[:, :-1], denominator[:, :-1]
    var_s = np.einsum("gq,gq->g", spread_s, spread_s)
    var_d = np.einsum("gq,gq->g", spread_d, spread_d)
    cov = np.einsum("gq,gq->g", spread_s, spread_d)
    one_sign = mean_d > largest * np.sqrt(var_d)

    def guess(p_low: float, p_high: float) -> tuple[FloatArray, FloatArray]:
        out = []
        for p, side in ((p_low, -1.0), (p_high, 1.0)):
            z2 = ndtri(p) ** 2
            a = mean_d**2 - z2 * var_d
            b = mean_d * mean_s - z2 * cov
            disc = b * b - a * (mean_s**2 - z2 * var_s)
            with np.errstate(invalid="ignore", divide="ignore"):
                root = (b + side * np.sqrt(disc)) / a
            out.append(np.where(one_sign & (a > 0) & (disc >= 0), root, np.nan))
        return out[0], out[1]

    return guess


def _stacked(*guesses: Guess) -> Guess:
    """One guess for rows stacked in order."""

    def guess(p_low: float, p_high: float) -> tuple[FloatArray, FloatArray]:
        parts = [g(p_low, p_high) for g in guesses]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    return guess


def _order_statistics(
    values: FloatArray,
    positions: NDArray[np.intp],
    *,
    centre: FloatArray | None = None,
    sd: FloatArray | None = None,
    block: int = _LINEAR_BLOCK,
    tail_min_draws: int = _TAIL_MIN_DRAWS,
) -> FloatArray:
    """Order statistics at 1-based ``positions`` of each row of an array of draws."""
    guess = None if centre is None or sd is None else _normal_guess(centre, sd)
    return _select(
        _ArrayDraws(values, block),
        np.asarray(positions, dtype=np.intp),
        guess=guess,
        tail_min_draws=tail_min_draws,
    )


def _select(
    draws: _Draws,
    positions: NDArray[np.intp],
    *,
    guess: Guess | None = None,
    tail_min_draws: int = _TAIL_MIN_DRAWS,
) -> FloatArray:
    """Order statistics at 1-based ``positions`` of each row of one set of draws."""
    return _select_many([(draws, guess)], positions, tail_min_draws=tail_min_draws)[0]


def _select_many(
    jobs: Sequence[tuple[_Draws, Guess | None]],
    positions: NDArray[np.intp],
    *,
    tail_min_draws: int = _TAIL_MIN_DRAWS,
) -> list[FloatArray]:
    """Order statistics at 1-based ``positions`` (sorted, unique) of each row of each job's
    draws (jobs share the number of draws and the block size).

    Exactly ``np.sort(draws, axis=1)[:, positions - 1]``, without holding or sorting the
    draws. Each row gets a low and a high threshold safely beyond its lower and upper order
    statistics: from the job's guess where it gives finite values (rows with a known
    distribution), else from a pilot (the row's first 4,096 draws). The draws are rescaled so
    that the thresholds are -1 and +1 and produced block by block (every job's block in turn,
    while that block of Z is in cache), and only values beyond -1 and +1 are kept. If at
    least k values of a row are below -1, its k-th smallest value is the k-th smallest of
    those kept (and likewise from the top). Rows where too few values pass (probability of
    order 1e-7) or whose thresholds are unusable (no spread) are redone with a full partition.
    """
    results: list[FloatArray | None] = [None] * len(jobs)
    tails: list[tuple[int, _Tails]] = []
    for i, (draws, guess) in enumerate(jobs):
        count = draws.count
        lower = positions[positions <= count // 2]
        upper = positions[positions > count // 2]
        thresholds = None
        if count >= tail_min_draws:
            thresholds = _thresholds(draws, lower, upper, guess)
        if thresholds is None:
            results[i] = _select_all(draws, positions, np.ones(draws.n_rows, dtype=bool))
        else:
            tails.append((i, _Tails(draws, thresholds)))
    if tails:
        count, block = tails[0][1].draws.count, tails[0][1].draws.block
        most = max(tail.draws.n_rows for _, tail in tails) * block
        masks = np.empty(most, dtype=bool), np.empty(most, dtype=bool)
        for start in range(0, count, block):
            stop = min(count, start + block)
            for _, tail in tails:
                tail.collect(tail.draws.produce(start, stop), masks)
        for i, tail in tails:
            results[i] = tail.finish(positions)
    return [r for r in results if r is not None]


class _Tails:
    """The draws of each row beyond its thresholds, collected block by block."""

    def __init__(self, draws: _Draws, thresholds: tuple[FloatArray, FloatArray]) -> None:
        low_t, high_t = thresholds
        self.draws = draws
        self.usable = np.isfinite(low_t) & np.isfinite(high_t) & (high_t > low_t)
        self.shift = np.where(self.usable, (low_t + high_t) / 2, 0.0)
        self.scale = np.where(self.usable, (high_t - low_t) / 2, 1.0)
        draws.rescale(self.shift, self.scale)  # thresholds now -1 and +1
        self.kept: list[list[FloatArray]] = [[] for _ in range(draws.n_rows)]

    def collect(
        self, values: FloatArray, masks: tuple[NDArray[np.bool_], NDArray[np.bool_]]
    ) -> None:
        """Keep each row's values below -1 or above +1 from one block of draws (``masks``
        are work space of at least the block's size)."""
        beyond = np.less(values, -1.0, out=masks[0][: values.size].reshape(values.shape))
        above = np.greater(values, 1.0, out=masks[1][: values.size].reshape(values.shape))
        beyond |= above
        picked = np.flatnonzero(beyond)  # ascending, so row by row
        kept = values.ravel()[picked]
        ends = np.searchsorted(picked, np.arange(1, values.shape[0] + 1) * values.shape[1])
        start = 0
        for row, end in enumerate(ends.tolist()):
            self.kept[row].append(kept[start:end])
            start = end

    def finish(self, positions: NDArray[np.intp]) -> FloatArray:
        draws = self.draws
        n_rows, count = draws.n_rows, draws.count
        lower = positions[positions <= count // 2]
        from_top = count - positions[positions > count // 2]  # 0-based ranks from the top
        out = np.empty((n_rows, positions.size))
        failed = ~self.usable
        for row in np.flatnonzero(self.usable):
            kept = np.concatenate(self.kept[row])  # below -1 or above +1
            n_high = np.count_nonzero(kept > 0)
            n_low = kept.size - n_high
            short_low = lower.size and n_low < lower[-1]
            short_high = from_top.size and n_high <= from_top[0]
            if short_low or short_high:
                failed[row] = True
                continue
            kth = np.concatenate([lower - 1, kept.size - 1 - from_top])
            out[row] = np.partition(kept, kth)[kth]
        out = self.shift[:, None] + self.scale[:, None] * out
        if failed.any():
            draws.rescale(np.zeros(n_rows), np.ones(n_rows))
            out[failed] = _select_all(draws, positions, failed)[failed]
        return out


def _select_all(draws: _Draws, positions: NDArray[np.intp], rows: NDArray[np.bool_]) -> FloatArray:
    """The plain way, for the given rows: gather every draw and partition."""
    whole = np.empty((draws.n_rows, draws.count))
    for start in range(0, draws.count, draws.block):
        stop = min(draws.count, start + draws.block)
        whole[:, start:stop] = draws.produce(start, stop)
    out = np.full((draws.n_rows, positions.size), np.nan)
    out[rows] = np.partition(whole[rows], positions - 1, axis=1)[:, positions - 1]
    return out


def _thresholds(
    draws: _Draws,
    lower: NDArray[np.intp],
    upper: NDArray[np.intp],
    guess: Guess | None,
) -> tuple[FloatArray, FloatArray] | None:
    """Per-row values below / above which each tail's order statistics lie, with a margin of
    6 standard deviations on the count; None when a tail would reach the middle."""
    n_rows, count = draws.n_rows, draws.count
    deepest = (
        int(lower.max()) if lower.size else 1,
        count + 1 - int(upper.min()) if upper.size else 1,
    )
    probs = [k / count + (_SAFETY_SD * math.sqrt(k * (1 - k / count)) + 2) / count for k in deepest]
    if max(probs) >= 0.5:
        return None
    if guess is None:
        low_t, high_t = np.full(n_rows, np.nan), np.full(n_rows, np.nan)
    else:
        low_t, high_t = (np.asarray(t, dtype=np.float64).copy() for t in guess(*probs))
    unknown = ~(np.isfinite(low_t) & np.isfinite(high_t))
    if unknown.any():
        pilot = min(count, _PILOT_DRAWS)
        ranks = []
        for k in deepest:
            expected = pilot * k / count
            ranks.append(math.ceil(expected + _SAFETY_SD * math.sqrt(expected) + 2))
        if max(ranks) >= pilot // 2:
            return None
        pieces = []
        for start in range(0, pilot, draws.block):
            piece = draws.produce(start, min(pilot, start + draws.block))
            pieces.append(piece[unknown].copy())
        kth = [ranks[0] - 1, pilot - ranks[1]]
        sample = np.partition(np.concatenate(pieces, axis=1), kth, axis=1)
        low_t[unknown] = sample[:, kth[0]]
        high_t[unknown] = sample[:, kth[1]]
    return low_t, high_t
