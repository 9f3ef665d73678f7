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
  reliability set) and shared by every group with the same number of quantiles: common random
  numbers, a standard and reproducible simulation design. All groups' draws come from one
  matrix product per chunk of groups instead of ``R`` separate regressions.
* Non-linear case (types 1 and 2 with ``transform=False``): the draws are back-transformed
  (``exp``, or the inverse logit) before the fit, so ``exp``/``tanh`` is applied elementwise to
  the ``R x Q`` draws of each group, in cache-sized blocks, followed by one small matrix
  product. Constant factors are folded into the coefficients:
  ``exp(g + s z) = e^g exp(s z)`` and ``expit(x) = (1 + tanh(x / 2)) / 2``.

Each group's draws therefore have exactly the distribution PHE samples from (same model, same
normal draws per quantile, same regression), so results agree with ``phe_sii`` within
simulation error, not bit for bit: PHE uses R's random number stream, this module uses
numpy's PCG64 with ``seed``. Because groups share ``Z``, their simulation errors are correlated;
each group's limits are still a valid ``R``-draw simulation. The same ``seed`` gives identical
output.

Limits are the order statistics at the 1-based positions ``round(R * alpha / 2)`` and
``round(R * (1 - alpha / 2))`` (R's rounding, half to even; clamped to 1..R, so a confidence of
1 gives the smallest and largest draw). They are selected without sorting: a threshold safely
beyond each order statistic (from the exact normal distribution of linear slope draws, or from
a pilot sample of the first 4,096 draws otherwise) keeps about 3-4% of the draws, and the
order statistic is found among those. When fewer than the needed number of draws pass a
threshold (a probability of order 1e-7), that row falls back to a full ``np.partition``, so the
result always equals the order statistic of the full sorted sample.

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
# Work sizes, chosen so that a block of draws stays in the CPU cache: groups per chunk, and
# draws per block for the linear and the back-transformed (elementwise exp/tanh) cases.
_CHUNK_GROUPS: Final = 8
_LINEAR_BLOCK: Final = 4_096
_NONLINEAR_BLOCK: Final = 2_048
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
            f"Option value_type={value_type!r} is not one of 0 (other), 1 (rate) or 2 (proportion)."
        )
    if not isinstance(transform, bool | np.bool_):
        raise InputError(f"Option transform must be True or False, not {transform!r}.")
    if transform and value_type == OTHER:
        raise InputError(
            "Option transform=True applies only to rates (value_type=1) and proportions "
            "(value_type=2)."
        )
    if transform and se is not None:
        raise InputError(
            "Option transform=True needs 95% confidence limits (lower95, upper95), "
            "not a standard error column."
        )
    if isinstance(draws, bool) or not isinstance(draws, Integral) or draws < MIN_DRAWS:
        raise InputError(f"Option draws must be a whole number of at least 1,000, not {draws!r}.")
    if isinstance(multiplier, bool) or not isinstance(multiplier, Real):
        raise InputError(f"Option multiplier must be a number, not {multiplier!r}.")
    factor = float(multiplier)
    if not math.isfinite(factor) or factor == 0:
        raise InputError(
            f"Option multiplier must be a finite, non-zero number, not {multiplier!r}."
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
            hint = ""
            if se is None and column in (lower95, upper95):
                hint = " Give 95% limits, or name a standard error column with se=."
            raise InputError(
                f"Column {column!r} is missing from the data (columns: {shown}).{hint}"
            )
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


# A producer fills and returns the draws for columns [start, stop) of every row of a chunk,
# as a C-contiguous rows x (stop - start) array (usually a view of a reused buffer).
Producer = Callable[[int, int], FloatArray]


class _Simulation:
    """One set of draws -> (SII limits, RII limits), each G x levels x (lower, upper).

    Groups are taken in chunks; each chunk's draws are produced block by block and never
    held whole (see ``_select``).
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
        sii_out = np.empty((n_groups, *self.positions.shape))
        rii_out = np.empty((n_groups, *self.positions.shape))
        back_transformed = not self.transform and self.value_type != OTHER
        if back_transformed and self.value_type == RATE:
            _check_exponent(self.centres, self.errors, normals)
        size = min(_CHUNK_GROUPS, n_groups)
        # Buffers reused by every block of every chunk.
        block = _NONLINEAR_BLOCK if back_transformed else _LINEAR_BLOCK
        sims = np.empty(2 * size * min(block, normals.shape[1]))
        work = np.empty(size * normals.shape[0] * min(block, normals.shape[1]))
        # A zero RII denominator gives inf or nan, as in R, without a warning.
        with np.errstate(divide="ignore", invalid="ignore"):
            for start in range(0, n_groups, size):
                chunk = slice(start, min(n_groups, start + size))
                if self.transform:
                    slopes = self._transformed_scale(chunk, normals, sims)
                    sii_out[chunk], rii_out[chunk] = self._map_back(chunk, slopes)
                    continue
                if back_transformed:
                    stats = self._back_transformed(chunk, normals, sims, work)
                else:
                    stats = self._linear(chunk, normals, sims)
                n = chunk.stop - chunk.start
                sii_out[chunk] = stats[:n, self.columns]
                rii_out[chunk] = stats[n:, self.columns]
        return sii_out, rii_out

    def _transformed_scale(self, chunk: slice, normals: FloatArray, sims: FloatArray) -> FloatArray:
        """Order statistics of the slope draws on the log/logit scale (transform=True)."""
        spread = self.c1[chunk] * self.errors[chunk]
        coef = np.column_stack([spread, self.beta1[chunk]])
        n = coef.shape[0]

        def produce(start: int, stop: int) -> FloatArray:
            out = _view(sims, (n, stop - start))
            return np.matmul(coef, normals[:, start:stop], out=out)

        return _select(
            produce,
            n,
            normals.shape[1],
            self.wanted,
            centre=self.beta1[chunk],
            sd=np.linalg.norm(spread, axis=1),
            block=_LINEAR_BLOCK,
        )

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

    def _ratio_weights(self, chunk: slice) -> FloatArray:
        """Weights of the RII draw's reference: beta0*, or beta0* + beta1* when m < 0.

        With S = m * beta1* and D this reference, the RII draw (beta0* + beta1*) / beta0* is
        1 + (S / D) / m, and when m < 0 its inverse beta0* / (beta0* + beta1*) is
        1 - (S / D) / m: either way 1 + (S / D) / |m|, increasing in S / D. So the RII's order
        statistics are 1 + (those of S / D) / |m|, and the draws need only S and D.
        """
        c0 = self.c0[chunk]
        return c0 + self.c1[chunk] if self.multiplier < 0 else c0

    def _linear(self, chunk: slice, normals: FloatArray, sims: FloatArray) -> FloatArray:
        """value_type 0: slope and RII draws are linear in Z; rows (m * slope, RII) x positions."""
        m = self.multiplier
        c1, errors = self.c1[chunk], self.errors[chunk]
        n = c1.shape[0]
        # Coefficients on [Z, 1] of m * slope (sorted as m * slope, as PHE does) and of the
        # RII's reference D (see _ratio_weights).
        coef = np.empty((2 * n, errors.shape[1] + 1))
        for i, weights in enumerate((m * c1, self._ratio_weights(chunk))):
            rows = slice(i * n, (i + 1) * n)
            coef[rows, :-1] = weights * errors
            coef[rows, -1] = np.einsum("gq,gq->g", weights, self.centres[chunk])

        def produce(start: int, stop: int) -> FloatArray:
            out = _view(sims, (2 * n, stop - start))
            np.matmul(coef, normals[:, start:stop], out=out)
            np.divide(out[:n], out[n:], out=out[n:])
            return out

        nan = np.full(n, np.nan)  # S / D has no closed form: pilot thresholds
        stats = _select(
            produce,
            2 * n,
            normals.shape[1],
            self.wanted,
            centre=np.concatenate([coef[:n, -1], nan]),
            sd=np.concatenate([np.linalg.norm(coef[:n, :-1], axis=1), nan]),
            block=_LINEAR_BLOCK,
        )
        stats[n:] = 1 + stats[n:] / abs(m)
        return stats

    def _back_transformed(
        self, chunk: slice, normals: FloatArray, sims: FloatArray, work: FloatArray
    ) -> FloatArray:
        """Types 1 and 2 with transform=False: every draw is back-transformed before the fit.

        Returns rows (m * slope, RII) x positions.
        """
        m = self.multiplier
        c1 = self.c1[chunk]
        centres, errors = self.centres[chunk], self.errors[chunk]
        n, n_quantiles = c1.shape
        weights = np.stack([m * c1, self._ratio_weights(chunk)], axis=1)  # n x 2 x Q
        # Per group, coefficients on [f(scaled Z), 1] of m * slope and the RII's reference.
        coef = np.zeros((n, 2, n_quantiles + 1))
        if self.value_type == RATE:
            # exp(g + SE z) = e^g exp(SE z): e^g joins the coefficients.
            scale, shift = errors, None
            coef[:, :, :-1] = weights * np.exp(centres)[:, None, :]
            func = np.exp
        else:
            # expit(x) = (1 + tanh(x / 2)) / 2: the halves join the coefficients.
            scale, shift = errors / 2, centres / 2
            coef[:, :, :-1] = weights / 2
            coef[:, :, -1] = weights.sum(axis=2) / 2
            func = np.tanh

        def produce(start: int, stop: int) -> FloatArray:
            width = stop - start
            values = _view(work, (n, n_quantiles + 1, width))
            inner = values[:, :n_quantiles, :]
            np.multiply(normals[None, :n_quantiles, start:stop], scale[:, :, None], out=inner)
            if shift is not None:
                inner += shift[:, :, None]
            func(inner, out=inner)
            values[:, n_quantiles, :] = 1.0
            out = _view(sims, (2, n, width))
            np.matmul(coef, values, out=out.transpose(1, 0, 2))
            np.divide(out[0], out[1], out=out[1])
            return out.reshape(2 * n, width)

        stats = _select(produce, 2 * n, normals.shape[1], self.wanted, block=_NONLINEAR_BLOCK)
        stats[n:] = 1 + stats[n:] / abs(m)
        return stats


def _view(buffer: FloatArray, shape: tuple[int, ...]) -> FloatArray:
    """A C-contiguous array of ``shape`` over the start of a flat work buffer."""
    return buffer[: math.prod(shape)].reshape(shape)


def _check_exponent(centres: FloatArray, errors: FloatArray, normals: FloatArray) -> None:
    """exp(g + SE z) must stay finite for every draw: refuse absurd log-scale SEs."""
    reach = centres + errors * float(np.abs(normals[:-1]).max())
    if float(reach.max()) > _MAX_EXPONENT:
        raise InputError(
            "A standard error on the log scale is too large to simulate "
            f"(largest {float(errors.max()):.4g}); check the limits or the se column."
        )


def _mean_absolute_difference(limits: list[FloatArray]) -> FloatArray:
    first = limits[0]
    diffs = [np.abs(other - first) for other in limits[1:]]
    return np.mean(np.stack(diffs), axis=(0, 2, 3))


# --- order statistics ----------------------------------------------------------------------


def _order_statistics(
    draws: FloatArray,
    positions: NDArray[np.intp],
    *,
    centre: FloatArray | None = None,
    sd: FloatArray | None = None,
    tail_min_draws: int = _TAIL_MIN_DRAWS,
) -> FloatArray:
    """Order statistics at 1-based ``positions`` of each row of a whole array of draws."""
    draws = np.ascontiguousarray(draws, dtype=np.float64)

    def produce(start: int, stop: int) -> FloatArray:
        return np.ascontiguousarray(draws[:, start:stop])

    return _select(
        produce,
        draws.shape[0],
        draws.shape[1],
        np.asarray(positions, dtype=np.intp),
        centre=centre,
        sd=sd,
        tail_min_draws=tail_min_draws,
    )


def _select(
    produce: Producer,
    n_rows: int,
    count: int,
    positions: NDArray[np.intp],
    *,
    centre: FloatArray | None = None,
    sd: FloatArray | None = None,
    block: int = _LINEAR_BLOCK,
    tail_min_draws: int = _TAIL_MIN_DRAWS,
) -> FloatArray:
    """Order statistics at 1-based ``positions`` (sorted, unique) of each row of the draws.

    Exactly ``np.sort(draws, axis=1)[:, positions - 1]``, without holding or sorting the
    draws: they are produced in blocks of ``block`` columns, and each block's values beyond a
    per-row threshold (below it for the lower positions, above it for the upper ones) are kept.
    If at least k values of a row lie below its threshold, the row's k-th smallest value is
    the k-th smallest of those kept. Thresholds come from N(centre, sd^2) for rows known to be
    such samples (finite ``sd``), else from a pilot: the first 4,096 draws of the row. Rows
    where too few values pass (probability of order 1e-7) are redone with a full partition.
    """
    out = np.empty((n_rows, positions.size))
    lower = positions[positions <= count // 2]
    upper = positions[positions > count // 2]
    first = produce(0, min(count, block))
    thresholds = None
    if count >= tail_min_draws:
        thresholds = _thresholds(first, count, lower, upper, centre, sd)
    if thresholds is None:
        return _select_all(produce, n_rows, count, positions, block, first)

    tails = []
    if lower.size:
        tails.append(_Tail(thresholds[0], lower - 1, low=True))
    if upper.size:
        tails.append(_Tail(thresholds[1], count - upper, low=False))
    for start in range(0, count, block):
        values = first if start == 0 else produce(start, min(count, start + block))
        for tail in tails:
            tail.collect(values)
    failed = np.zeros(n_rows, dtype=bool)
    column = 0
    for tail in tails:
        width = tail.ranks.size
        failed |= tail.finish(out[:, column : column + width])
        column += width
    if failed.any():
        redo = _select_all(produce, n_rows, count, positions, block, None)
        out[failed] = redo[failed]
    return out


def _select_all(
    produce: Producer,
    n_rows: int,
    count: int,
    positions: NDArray[np.intp],
    block: int,
    first: FloatArray | None,
) -> FloatArray:
    """The plain way: gather every draw and partition each row."""
    if first is not None and first.shape[1] == count:
        whole = first
    else:
        whole = np.empty((n_rows, count))
        for start in range(0, count, block):
            stop = min(count, start + block)
            whole[:, start:stop] = produce(start, stop)
    return np.partition(whole, positions - 1, axis=1)[:, positions - 1]


def _thresholds(
    first: FloatArray,
    count: int,
    lower: NDArray[np.intp],
    upper: NDArray[np.intp],
    centre: FloatArray | None,
    sd: FloatArray | None,
) -> tuple[FloatArray, FloatArray] | None:
    """Per-row values below / above which each tail's order statistics lie, with a margin of
    6 standard deviations on the count; None when a tail would reach the middle."""
    deepest = (
        int(lower.max()) if lower.size else 1,
        count + 1 - int(upper.min()) if upper.size else 1,
    )
    n_rows = first.shape[0]
    known = np.zeros(n_rows, dtype=bool) if sd is None else np.isfinite(sd)
    low_t, high_t = np.empty(n_rows), np.empty(n_rows)
    if known.any():
        assert centre is not None and sd is not None
        probs = [
            k / count + _SAFETY_SD * math.sqrt(k * (1 - k / count)) / count + 2 / count
            for k in deepest
        ]
        if max(probs) >= 0.5:
            return None
        low_t[known] = centre[known] + sd[known] * ndtri(probs[0])
        high_t[known] = centre[known] - sd[known] * ndtri(probs[1])
    if not known.all():
        pilot = min(first.shape[1], _PILOT_DRAWS)
        ranks = []
        for k in deepest:
            expected = pilot * k / count
            ranks.append(math.ceil(expected + _SAFETY_SD * math.sqrt(expected) + 2))
        if max(ranks) >= pilot // 2:
            return None
        kth = [ranks[0] - 1, pilot - ranks[1]]
        sample = np.partition(first[~known, :pilot], kth, axis=1)
        low_t[~known] = sample[:, kth[0]]
        high_t[~known] = sample[:, kth[1]]
    return low_t, high_t


class _Tail:
    """Collects, block by block, the draws of each row beyond that row's threshold."""

    def __init__(self, thresholds: FloatArray, ranks: NDArray[np.intp], *, low: bool) -> None:
        self.thresholds = thresholds[:, None]
        self.ranks = ranks  # 0-based from the bottom (low tail) or from the top (high tail)
        self.low = low
        self.values: list[FloatArray] = []
        self.rows: list[NDArray[np.integer]] = []
        # Small row numbers let the final stable argsort be a radix sort.
        self.row_type = np.int16 if thresholds.size <= np.iinfo(np.int16).max else np.int64

    def collect(self, block: FloatArray) -> None:
        compare = np.less if self.low else np.greater
        picked = np.flatnonzero(compare(block, self.thresholds))
        self.values.append(block.ravel()[picked])
        self.rows.append((picked // block.shape[1]).astype(self.row_type))

    def finish(self, out: FloatArray) -> NDArray[np.bool_]:
        """Fill ``out`` (rows x ranks); return the rows that kept too few draws."""
        n_rows = out.shape[0]
        rows = np.concatenate(self.rows)
        values = np.concatenate(self.values)[np.argsort(rows, kind="stable")]  # radix sort
        ends = np.cumsum(np.bincount(rows, minlength=n_rows))
        need = int(self.ranks.max()) + 1
        failed = np.zeros(n_rows, dtype=bool)
        start = 0
        for row in range(n_rows):
            segment = values[start : ends[row]]
            start = ends[row]
            if segment.size < need:
                failed[row] = True
                continue
            # High tail: rank r from the top sits at index size - 1 - r (ascending).
            kth = self.ranks if self.low else segment.size - 1 - self.ranks
            out[row] = np.partition(segment, kth)[kth]
        return failed
