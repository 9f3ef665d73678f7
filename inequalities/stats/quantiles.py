"""Deprivation quantiles (phe_quantile) and the most/least deprived gap: reference §7.1, §7.2."""

import warnings

import numpy as np
import pandas as pd

from inequalities.errors import InputError, describe_groups
from inequalities.stats._frame import (
    GroupBy,
    check_clashes,
    fail_groups,
    fail_rows,
    group_columns,
    key_frame,
    numeric,
    require_columns,
)

GAP_OUTPUTS = (
    "most_deprived_quantile",
    "least_deprived_quantile",
    "most_deprived_value",
    "least_deprived_value",
    "absolute_gap",
    "relative_gap",
)


def quantile(
    data: pd.DataFrame,
    *,
    value: str = "value",
    quantiles: int = 10,
    invert: bool | str = True,
    group_by: GroupBy = None,
    column: str = "quantile",
) -> pd.DataFrame:
    """Assign Q quantiles within each group as PHEindicatormethods' phe_quantile does.

    r is the minimum rank (ties share the lowest) of the value, or of -value when ``invert``
    (the default: highest value → quantile 1, so IMD scores give 1 = most deprived; use
    invert=False for IMD ranks). q = Q + 1 - ⌈(N + 1 - r)/(N/Q)⌉, 0 becoming 1, evaluated
    in exact integer arithmetic. ``invert`` may also name a column that is constant within
    each group. Groups with fewer than Q values get NA with a warning; missing values get
    NA. Returns a copy of ``data`` with the new nullable-integer ``column``.
    """
    if isinstance(quantiles, bool) or not isinstance(quantiles, int | np.integer):
        raise InputError(
            "Option {quantiles} must be a whole number, not {given!r}.",
            options=["quantiles"],
            given=quantiles,
        )
    if quantiles < 1:
        raise InputError(
            "Option {quantiles} must be at least 1, not {given}.",
            options=["quantiles"],
            given=quantiles,
        )
    keys = group_columns(group_by)
    invert_column = invert if isinstance(invert, str) else None
    require_columns(data, [value, *keys, *([invert_column] if invert_column else [])])
    if column in (value, *keys, invert_column):
        raise InputError(
            "Option {column} {given!r} would overwrite the input column {given!r}; "
            "give the new quantile column another name.",
            options=["column"],
            given=column,
        )
    values = numeric(data, value)

    if invert_column is None:
        sign = np.full(len(data), -1.0 if invert else 1.0)
    else:
        flags = data[invert_column]
        fail_rows(flags.isna().to_numpy(), invert_column, "is missing")
        truth = flags.map(_as_bool)
        fail_rows(truth.isna().to_numpy(), invert_column, "is not true/false")
        sign = np.where(truth.to_numpy(dtype=bool), -1.0, 1.0)
        if keys:
            spread = (
                key_frame(data, keys, flag=sign)
                .groupby(keys, sort=True, dropna=False, observed=True)["flag"]
                .nunique()
            )
            fail_groups(keys, spread[spread > 1].reset_index(), f"Column {invert_column!r} varies")
        elif len(np.unique(sign)) > 1:
            raise InputError(f"Column {invert_column!r} varies within the data (one group).")

    frame = key_frame(data, keys, v=values * sign)
    if keys:
        grouped = frame.groupby(keys, sort=False, dropna=False, observed=True)["v"]
        rank = grouped.rank(method="min").to_numpy()
        count = grouped.transform("count").to_numpy(dtype=np.float64)
    else:
        rank = frame["v"].rank(method="min").to_numpy()
        count = np.full(len(frame), float(frame["v"].count()))

    usable = ~np.isnan(rank) & (count >= quantiles)
    r = np.where(usable, rank, 1).astype(np.int64)
    big_n = np.where(usable, count, 1).astype(np.int64)
    top = (big_n + 1 - r) * quantiles
    q = quantiles + 1 - (-(-top // big_n))  # ⌈a/b⌉ = -⌊-a/b⌋, exactly
    q = np.where(q == 0, 1, q)
    short = count < quantiles
    if short.any():
        names = frame.loc[short, keys].drop_duplicates() if keys else pd.DataFrame()
        labels = list(names.itertuples(index=False, name=None)) if keys else ["all rows"]
        warnings.warn(
            f"Fewer than {quantiles} non-missing values in {describe_groups(labels)}: "
            "their quantiles are NA.",
            UserWarning,
            stacklevel=2,
        )
    result = pd.array(np.where(usable, q, 0), dtype="Int64")
    result[~usable] = pd.NA
    out = data.copy()
    out[column] = result
    return out


def _as_bool(flag: object) -> bool | None:
    """True/False from booleans, 1/0 or 'true'/'false' text; None for anything else."""
    text = str(flag).strip().lower()
    if text in {"true", "1", "1.0", "yes", "t"}:
        return True
    if text in {"false", "0", "0.0", "no", "f"}:
        return False
    return None


def gap(
    data: pd.DataFrame,
    *,
    quantile: str = "quantile",
    value: str = "value",
    most_deprived: int = 1,
    group_by: GroupBy = None,
    quantiles: int | None = None,
) -> pd.DataFrame:
    """Absolute gap value(most deprived) - value(least deprived) and relative gap (their
    ratio) per group (§7.2; not a PHE function: the SII, which uses every quantile, is
    preferred). One row per group and quantile. ``most_deprived`` is 1 or Q, the number of
    quantiles, which is the highest label in the data unless ``quantiles`` gives it; the
    least deprived is the other end. Rows with a missing quantile are ignored.
    """
    keys = group_columns(group_by)
    require_columns(data, [quantile, value, *keys])
    check_clashes(keys, GAP_OUTPUTS)
    labels = numeric(data, quantile)
    fail_rows(~np.isnan(labels) & (labels != np.round(labels)), quantile, "is not whole")
    values = numeric(data, value)
    top = quantiles if quantiles is not None else np.nanmax(labels, initial=-np.inf)
    if not np.isfinite(top) or top < 2:
        raise InputError(f"Column {quantile!r} needs at least two quantiles for a gap.")
    top = int(top)
    fail_rows(labels > top, quantile, f"is above the {top} quantiles")
    if most_deprived not in (1, top):
        raise InputError(
            "Option {most_deprived} must be 1 or {top} (the ends of the quantiles), not {given!r}.",
            options=["most_deprived"],
            top=top,
            given=most_deprived,
        )
    least = top if most_deprived == 1 else 1

    by = keys or ["__all"]
    frame = key_frame(data, keys, q=labels, v=values, __all=0)
    groups = frame[by].drop_duplicates().sort_values(by, na_position="last")
    frame = frame[~np.isnan(labels)]
    dupes = frame[frame.duplicated([*by, "q"], keep=False)].drop_duplicates(by)
    fail_groups(keys, dupes, f"More than one row for the same {quantile!r}")
    found = {}
    for name, label in (("most", most_deprived), ("least", least)):
        end = frame.loc[frame["q"] == label, [*by, "v"]].rename(columns={"v": name})
        groups = groups.merge(end, on=by, how="left", indicator="_found")
        found[name] = groups.pop("_found").to_numpy() == "both"
    fail_groups(
        keys,
        groups[~(found["most"] & found["least"])],
        f"Quantile {most_deprived} or {least} of {quantile!r} (the two ends) is missing",
    )

    out = groups[keys].copy()
    out["most_deprived_quantile"] = most_deprived
    out["least_deprived_quantile"] = least
    most_v = groups["most"].to_numpy(dtype=np.float64)
    least_v = groups["least"].to_numpy(dtype=np.float64)
    out["most_deprived_value"] = most_v
    out["least_deprived_value"] = least_v
    out["absolute_gap"] = most_v - least_v
    with np.errstate(divide="ignore", invalid="ignore"):
        out["relative_gap"] = np.where(least_v != 0, most_v / least_v, np.nan)
    return out
