"""Row-by-row disclosure control: primary suppression and rounding, or midpoint-6 rounding.

For tables whose rows are not linked by totals. Tables with totals (margins, nested
geographies) also need secondary suppression: use :func:`inequalities.disclosure.protect_table`.
"""

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from inequalities.disclosure.rounding import (
    MIDPOINT6,
    MISSING,
    as_nullable,
    check_rules,
    counts_as_int,
    midpoint6,
    primary_label,
    primary_mask,
    publish,
)
from inequalities.errors import InputError

Method = Literal["round", "midpoint6"]
# name of the derived column -> (numerator, denominator) or (numerator, denominator, multiplier)
RateSpec = Mapping[str, tuple[str, str] | tuple[str, str, float]]

RATE_RECOMPUTED = "recomputed from protected counts"
RATE_HIDDEN = "hidden: numerator or denominator suppressed"
RATE_UNDEFINED = "undefined: protected denominator is 0"


def suppress_and_round(
    data: pd.DataFrame,
    *,
    counts: Sequence[str],
    threshold: int = 7,
    rounding: int | None = 5,
    method: Method = "round",
    zero_is_safe: bool = True,
    rates: RateSpec | None = None,
) -> pd.DataFrame:
    """Protect each count independently; recompute rates from the protected counts.

    ``method="round"`` (OpenSAFELY, NHS Digital HES): counts in 1..``threshold`` are hidden
    (missing), as are zeros when ``zero_is_safe`` is False; the rest are rounded half-up to the
    nearest ``rounding`` (None: not rounded). OpenSAFELY's test vector: 6 and 7 are hidden,
    8 -> 10. Missing input counts stay missing (status "missing").

    ``method="midpoint6"``: every count is midpoint-6 rounded (0 -> 0, 1-6 -> 3, 7-12 -> 9, ...)
    and nothing is hidden, because a published 3 already stands for any of 1-6; ``threshold``
    and ``rounding`` are not used. With ``zero_is_safe=False`` zeros are hidden.

    ``rates`` maps a rate column to (numerator, denominator[, multiplier]); both must be in
    ``counts``. The rate is recomputed as protected numerator / protected denominator *
    multiplier (default 1), missing when either is hidden or the denominator is 0 (as ehrQL
    does), so a rate never reveals a hidden count.

    Returns a copy of ``data`` with each count column replaced by nullable integers, a
    ``<count>_status`` column after it ("primary: count 1-7", "rounded to nearest 5",
    "midpoint-6 rounded", "unchanged" or "missing"), and each rate column (with
    ``<rate>_status``) written or overwritten.
    """
    counts = check_count_columns(data, counts)
    if method not in ("round", "midpoint6"):
        raise InputError(
            "Option {method} must be 'round' or 'midpoint6', not {given!r}.",
            options=["method"],
            given=method,
        )
    if method == "round":
        check_rules(threshold, rounding)
    out = data.copy()
    for column in counts:
        protected, status = protect_column(
            counts_as_int(data[column], name=column),
            threshold=threshold,
            rounding=rounding,
            method=method,
            zero_is_safe=zero_is_safe,
        )
        place_column(out, column, protected, status)
    return add_rates(out, rates, counts)


def protect_column(
    counts: pd.Series,
    *,
    threshold: int,
    rounding: int | None,
    method: Method,
    zero_is_safe: bool,
) -> tuple[pd.api.extensions.ExtensionArray, np.ndarray]:
    """Protected values (nullable Int64) and status labels for one column of counts."""
    present = counts.notna().to_numpy()
    values = counts.fillna(0).to_numpy(dtype=np.int64)
    if method == "midpoint6":
        hidden = (values == 0) & present & (not zero_is_safe)
        shown = np.where(hidden, np.nan, midpoint6(values).astype("float64"))
        status = np.where(values == 0, "unchanged", MIDPOINT6).astype(object)
        status[hidden] = "primary: count 0"
    else:
        hidden = primary_mask(values, threshold, zero_is_safe=zero_is_safe) & present
        shown, status = publish(values, hidden, rounding)
        status[hidden] = primary_label(threshold, zero_is_safe=zero_is_safe)
    shown[~present] = np.nan
    status[~present] = MISSING
    return as_nullable(shown), status


def place_column(
    out: pd.DataFrame,
    column: str,
    protected: pd.api.extensions.ExtensionArray,
    status: np.ndarray,
) -> None:
    """Write the protected counts and put ``<column>_status`` right after them."""
    out[column] = protected
    name = f"{column}_status"
    if name in out.columns:  # e.g. disclosing a table that was disclosed before
        del out[name]
    out.insert(out.columns.get_loc(column) + 1, name, pd.array(status, dtype="str"))


def add_rates(out: pd.DataFrame, rates: RateSpec | None, counts: Sequence[str]) -> pd.DataFrame:
    """Recompute each rate from the protected numerator and denominator already in ``out``."""
    for name, spec in (rates or {}).items():
        if not isinstance(spec, tuple) or len(spec) not in (2, 3):
            raise InputError(
                f"Rate {name!r} must be (numerator, denominator) or "
                f"(numerator, denominator, multiplier), not {spec!r}."
            )
        numerator, denominator, *rest = spec
        multiplier = float(rest[0]) if rest else 1.0
        for column in (numerator, denominator):
            if column not in counts:
                raise InputError(
                    f"Rate {name!r} uses {column!r}, which is not one of the protected counts "
                    f"({', '.join(map(repr, counts))}): a rate from unprotected counts could "
                    "reveal them."
                )
        num = out[numerator].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        den = out[denominator].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
        hidden = np.isnan(num) | np.isnan(den)
        undefined = ~hidden & (den == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(hidden | undefined, np.nan, num / np.where(den == 0, 1, den))
        status = np.full(len(out), RATE_RECOMPUTED, dtype=object)
        status[hidden] = RATE_HIDDEN
        status[undefined] = RATE_UNDEFINED
        out[name] = pd.array(rate * multiplier, dtype="Float64")
        out.loc[hidden | undefined, name] = pd.NA
        out[f"{name}_status"] = pd.array(status, dtype="str")
    return out


def check_count_columns(data: pd.DataFrame, counts: Sequence[str]) -> list[str]:
    if not isinstance(data, pd.DataFrame):
        raise InputError("Disclosure control needs a table (pandas DataFrame).")
    columns = [counts] if isinstance(counts, str) else list(counts)
    if not columns:
        raise InputError("Name at least one count column to protect.")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise InputError(f"Count column(s) {', '.join(map(repr, missing))} not found.")
    return columns
