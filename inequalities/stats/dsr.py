"""Directly standardised rates with Dobson confidence limits: reference §4.

Rows are joined to the standard on a band key, not by position: ``standard="esp2013"``
looks each ``age_band`` label up in the European Standard Population 2013 (see
``esp2013.py`` for accepted labels); ``standard=None`` reads weights from the
``standard_population`` column, using ``age_band`` as the key when that column exists and
otherwise treating each row as its own band (PHE's behaviour). Rows sharing a group and a
band are added together (for example male and female rows standardised together), and
every group must have the same set of bands, so that a band missing from one area cannot
silently change its standard. A subset of the ESP bands (e.g. 0-4 … 70-74 for
under-75 mortality) is fine when all groups share it.
"""

import numpy as np
import pandas as pd

from inequalities.confidence import DEFAULT_CONFIDENCE, normalise_confidence, z_value
from inequalities.errors import InputError, describe_groups
from inequalities.stats._frame import (
    GroupBy,
    add_results,
    as_counts,
    check_clashes,
    check_option,
    check_positive,
    fail_groups,
    fail_rows,
    group_columns,
    group_ids,
    numeric,
    require_columns,
)
from inequalities.stats.esp2013 import esp2013_weights
from inequalities.stats.limits import byars_limits

METHOD = "Dobson"
METHOD_FREQUENCY = "Dobson, with confidence adjusted for non-independent events"
NOTE_SMALL = "dsr NA for total count < 10"
OUTPUTS = ("total_count", "total_pop", "value", "confidence", "method", "note")
_B = "__band"


def dsr(
    data: pd.DataFrame,
    *,
    numerator: str = "numerator",
    denominator: str = "denominator",
    age_band: str = "age_band",
    standard: str | None = "esp2013",
    standard_population: str = "standard_population",
    frequency: str | None = None,
    group_by: GroupBy = None,
    confidence: float | tuple[float, ...] = DEFAULT_CONFIDENCE,
    multiplier: float = 100_000,
) -> pd.DataFrame:
    """DSR = Σ(wᵢxᵢ/nᵢ)/Σwᵢ * m with Dobson et al. (1991) limits: DSR + m·√(Var/O)·(O_L - O),
    O_L/O_U Byar's limits (Breslow & Day 1987) of the total count O. NA below O = 10.

    ``frequency`` names a column k for non-independent events (Fingertips guidance): a row
    counts the persons with exactly k events; events are Σk·x and the variance Σk²·Varₖ.
    ``total_count`` is the number of events O and ``total_pop`` the summed populations.
    """
    levels = normalise_confidence(confidence)
    multiplier = check_positive("multiplier", multiplier)
    check_option("standard", standard, ("esp2013", None))
    keys = group_columns(group_by)
    weights_from = age_band if standard == "esp2013" else standard_population
    extra = [frequency] if frequency is not None else []
    require_columns(data, [numerator, denominator, weights_from, *extra, *keys])
    check_clashes(keys, OUTPUTS)

    x = numeric(data, numerator)
    fail_rows(x < 0, numerator, "is negative")
    n = numeric(data, denominator)
    fail_rows(np.isnan(n), denominator, "is missing")
    fail_rows(n <= 0, denominator, "is zero or negative")
    keyed = standard == "esp2013" or age_band in data.columns
    if standard == "esp2013":
        band, w = esp2013_weights(data[age_band], age_band)
    else:
        w = numeric(data, standard_population)
        fail_rows(np.isnan(w), standard_population, "is missing")
        fail_rows(w < 0, standard_population, "is negative")
        if keyed:
            fail_rows(data[age_band].isna().to_numpy(), age_band, "is missing")
            band = data[age_band].to_numpy()
        else:
            band = np.arange(len(data))
    k = np.ones(len(data))
    if frequency is not None:
        if not keyed:
            raise InputError(
                "Option {frequency} needs the column {band!r} named by {age_band} to match "
                "the frequency rows of each band.",
                options=["frequency", "age_band"],
                band=age_band,
            )
        k = numeric(data, frequency)
        fail_rows(np.isnan(k), frequency, "is missing")
        fail_rows(k < 0, frequency, "is negative")

    gid, labels = group_ids(data, keys)
    codes, band_labels = pd.factorize(pd.Series(band, dtype=object), use_na_sentinel=False)
    frame = pd.DataFrame({"g": gid, "b": codes, "k": k, "x": np.nan_to_num(x), "n": n, "w": w})
    cells = (
        frame.groupby(["g", "b", "k"], sort=False)
        .agg(x=("x", "sum"), n=("n", "sum"), w_min=("w", "min"), w_max=("w", "max"))
        .reset_index()
    )
    cells["events"] = cells["k"] * cells["x"]
    cells["k2x"] = cells["k"] ** 2 * cells["x"]
    bands = (
        cells.groupby(["g", "b"], sort=False)
        .agg(
            events=("events", "sum"),
            k2x=("k2x", "sum"),
            n=("n", "max"),
            n_min=("n", "min"),
            w=("w_max", "max"),
            w_min=("w_min", "min"),
        )
        .reset_index()
    )

    def named(bad: pd.DataFrame) -> pd.DataFrame:
        out = labels.iloc[bad["g"].to_numpy()].reset_index(drop=True)
        out[_B] = np.asarray(band_labels, dtype=object)[bad["b"].to_numpy()]
        return out

    fail_groups(
        [*keys, _B],
        named(bands[bands["w"] != bands["w_min"]]),
        f"Column {standard_population!r} differs within one {age_band!r}",
    )
    fail_groups(
        [*keys, _B],
        named(bands[bands["n"] != bands["n_min"]]),
        f"Column {denominator!r} differs between the frequency rows of one {age_band!r}",
    )
    if keyed and keys:
        _check_same_bands(bands, labels, band_labels, age_band)

    with np.errstate(divide="ignore", invalid="ignore"):
        bands["weighted"] = bands["w"] * bands["events"] / bands["n"]
        bands["variance"] = bands["w"] ** 2 * bands["k2x"] / bands["n"] ** 2
    groups = bands["g"].to_numpy()
    totals = {
        c: np.bincount(groups, weights=bands[c].to_numpy(), minlength=len(labels))
        for c in ["events", "n", "weighted", "variance", "w"]
    }

    o = totals["events"]
    w_total = totals["w"]
    small = o < 10
    with np.errstate(divide="ignore", invalid="ignore"):
        value = totals["weighted"] / w_total * multiplier
        scale = multiplier * np.sqrt(totals["variance"] / w_total**2 / o)
    value[small] = np.nan
    limits = []
    for level in levels:
        o_lower, o_upper = byars_limits(o, z_value(level))
        lower, upper = value + scale * (o_lower - o), value + scale * (o_upper - o)
        limits.append((level, lower, upper))

    base = labels.copy()
    events_from = [data[numerator], *([data[frequency]] if frequency is not None else [])]
    base["total_count"] = as_counts(pd.Series(o), *events_from)
    base["total_pop"] = as_counts(pd.Series(totals["n"]), data[denominator])
    method = METHOD if frequency is None else METHOD_FREQUENCY
    out = add_results(base, value, limits, method, levels)
    out["note"] = np.where(small, NOTE_SMALL, None)
    return out


def _check_same_bands(
    bands: pd.DataFrame, labels: pd.DataFrame, band_labels: pd.Index, age_band: str
) -> None:
    """Every group must have all the bands that appear anywhere in the data."""
    counts = np.bincount(bands["g"].to_numpy(), minlength=len(labels))
    short = np.flatnonzero(counts < len(band_labels))
    if len(short):
        have = set(bands.loc[bands["g"] == short[0], "b"])
        missing = [str(b) for i, b in enumerate(band_labels) if i not in have]
        names = list(labels.iloc[short].itertuples(index=False, name=None))
        raise InputError(
            f"Every group needs the same {age_band!r} bands, but {describe_groups(names)} "
            f"lack some (the first lacks {', '.join(missing[:10])}). Add rows with a zero "
            "count for bands with no events."
        )
