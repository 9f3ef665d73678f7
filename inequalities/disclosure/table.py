"""Disclosure control for tables with totals, and the long-format entry point for the CLI.

Order of operations (methods.md §10, gotcha 9): primary suppression, then secondary
suppression on the true values, then rounding of what is left, then rates from the protected
counts.

Rounded totals are rounded independently from their true values, not recomputed from the
rounded cells as OpenSAFELY recommends. OpenSAFELY does no secondary suppression, so
recomputing is how it stops a true total from revealing its redacted parts. Here the
secondary suppression already stops that, for any additive table. Rounding independently
keeps every published total within half a rounding base of the truth, as NHS Digital's HES
publications do ("totals may not equal the sum of their parts"). Recomputed totals would
drift by up to half a base per part at every level of a ward -> LAD -> ICB hierarchy. They
could also show a total above the threshold as a small number or 0: four hidden parts of 2
make a total of 8, which would be recomputed as 0 + 0 + 0 + 0.
"""

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from inequalities.disclosure.relations import (
    TotalsSpec,
    build_relations,
    check_additive,
    check_unique_cells,
    normalise_totals,
    total_levels,
)
from inequalities.disclosure.rounding import (
    as_nullable,
    check_rules,
    counts_as_int,
    primary_label,
    primary_mask,
    publish,
    secondary_label,
)
from inequalities.disclosure.secondary import secondary_suppression
from inequalities.disclosure.simple import (
    Method,
    RateSpec,
    add_rates,
    check_count_columns,
    place_column,
    suppress_and_round,
)
from inequalities.errors import InputError, describe_rows


def protect_table(
    data: pd.DataFrame,
    *,
    counts: Sequence[str],
    dimensions: Sequence[str],
    totals: TotalsSpec = "Total",
    threshold: int = 7,
    rounding: int | None = 5,
    zero_is_safe: bool = True,
    rates: RateSpec | None = None,
) -> pd.DataFrame:
    """Primary and secondary suppression, then rounding, for a long table with totals.

    Args:
        data: one row per cell, identified by its values in ``dimensions``; total rows are
            ordinary rows whose value in a dimension is a total.
        counts: count columns to protect, each independently (a count hidden in one column
            may be published in another).
        dimensions: the columns identifying a cell.
        totals: "Total" (the default) makes that label a total in every dimension. A mapping
            gives one entry per dimension with totals: a label, or a child -> parent mapping
            for a hierarchy (e.g. {"W1": "L1", "W2": "L1", "L1": "I1"} for wards in LADs in
            an ICB; include the top label, {"I1": "Total", ...}, if there is a grand total).
            Dimensions left out have no totals.
        threshold, rounding, zero_is_safe: as :func:`suppress_and_round` with method "round".
        rates: derived rates to recompute from the protected counts, as in
            :func:`suppress_and_round`.

    Every total must equal the sum of its parts that are present (absent parts count as 0);
    otherwise an InputError names the rows. Cells whose value is forced by the structure of
    the table alone (possible only in sparse tables) cannot be protected by suppression and
    are left as they are.

    Published totals are rounded independently from their true values, not recomputed from
    the rounded cells (see the module docstring for why), so they may differ from the sum of
    the published parts by a few units.

    Returns a copy of ``data`` with each count as nullable integers (missing where hidden)
    and a ``<count>_status`` column: "primary: count 1-7", "secondary: protects a suppressed
    cell in <relation>", "rounded to nearest 5" or "unchanged" (zeros, or no rounding).
    """
    columns = check_count_columns(data, counts)
    check_rules(threshold, rounding)
    dims = [dimensions] if isinstance(dimensions, str) else list(dimensions)
    missing = [d for d in dims if d not in data.columns]
    if missing or not dims:
        raise InputError(f"Dimension column(s) {missing or '(none given)'} not found.")
    frame = data.reset_index(drop=True)
    check_unique_cells(frame, dims)
    specs = normalise_totals(dims, totals)
    relations = build_relations(frame, dims, specs)
    levels = total_levels(frame, dims, specs)

    out = data.copy()
    for column in columns:
        as_int = counts_as_int(frame[column], name=column)
        absent = np.flatnonzero(as_int.isna().to_numpy())
        if absent.size:
            raise InputError(
                f"Column {column!r} is missing in {describe_rows(absent)}; a table with totals "
                "needs every count."
            )
        values = as_int.to_numpy(dtype=np.int64)
        check_additive(values, relations, column)
        primary = primary_mask(values, threshold, zero_is_safe=zero_is_safe)
        hidden, reasons = secondary_suppression(values, primary, relations, levels)
        shown, status = publish(values, hidden, rounding)
        status[primary] = primary_label(threshold, zero_is_safe=zero_is_safe)
        for cell, relation in reasons.items():
            status[cell] = secondary_label(relation)
        place_column(out, column, as_nullable(shown), status)
    return add_rates(out, rates, columns)


def disclose(
    data: pd.DataFrame,
    *,
    counts: Sequence[str],
    threshold: int = 7,
    rounding: int | None = 5,
    dimensions: Sequence[str] | None = None,
    total_label: str = "Total",
    method: Method = "round",
    zero_is_safe: bool = True,
    rates: RateSpec | None = None,
    hierarchies: Mapping[str, Mapping[Hashable, Hashable]] | None = None,
) -> pd.DataFrame:
    """Protect a long-format table for release: the entry point for the CLI.

    Rows whose value in a dimension equals ``total_label`` are totals over the other rows that
    share the remaining dimensions; ``hierarchies`` adds nested totals for a dimension
    (child -> parent, see :func:`protect_table`; include ``total_label`` as the top parent if
    the table has a grand total).

    * ``method="round"`` with ``dimensions``: :func:`protect_table` (primary and secondary
      suppression, then rounding).
    * ``method="round"`` without dimensions: :func:`suppress_and_round`, row by row.
    * ``method="midpoint6"``: :func:`suppress_and_round` with midpoint-6 rounding. No cell is
      published exactly (except zeros), so differencing across totals yields nothing exact and
      no secondary suppression is needed; totals are rounded like any other cell.
    """
    if method not in ("round", "midpoint6"):
        raise InputError(
            "Option {method} must be 'round' or 'midpoint6', not {given!r}.",
            options=["method"],
            given=method,
        )
    if method == "midpoint6" or not dimensions:
        if hierarchies:
            raise InputError(
                "Option {hierarchies} needs {dimensions} and {method} 'round'.",
                options=["hierarchies", "dimensions", "method"],
            )
        return suppress_and_round(
            data,
            counts=counts,
            threshold=threshold,
            rounding=rounding,
            method=method,
            zero_is_safe=zero_is_safe,
            rates=rates,
        )
    dims = [dimensions] if isinstance(dimensions, str) else list(dimensions)
    specs: dict[str, str | Mapping[Hashable, Hashable]] = dict.fromkeys(dims, total_label)
    for dim, parents in (hierarchies or {}).items():
        if dim not in dims:
            raise InputError(
                "Option {hierarchies} names {dim!r}, which is not among the {dimensions}.",
                options=["hierarchies", "dimensions"],
                dim=dim,
            )
        specs[dim] = parents
    return protect_table(
        data,
        counts=counts,
        dimensions=dims,
        totals=specs,
        threshold=threshold,
        rounding=rounding,
        zero_is_safe=zero_is_safe,
        rates=rates,
    )
