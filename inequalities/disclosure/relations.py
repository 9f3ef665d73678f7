"""The linear relations of a table with totals: each total equals the sum of its parts.

A long table has one row per cell, identified by its values in the dimension columns. For
each dimension, totals are given either by a label ("Total": the row is the sum over every
other value of that dimension, the remaining dimensions held fixed) or by a hierarchy
mapping each child value to its parent value (ward -> LAD -> ICB; each parent is the sum of
its children). Crossed dimensions give crossed relations, so a two-way table with margins has
its row, column and grand-total relations, and a ward x sex table with nested area totals has
one relation per (parent area, sex) and per (area, sex total).
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inequalities.errors import InputError, describe_rows

TotalsSpec = str | Mapping[str, str | Mapping[Hashable, Hashable] | None]


@dataclass(frozen=True)
class Relation:
    """``parent`` (a row position) equals the sum of ``children`` (row positions)."""

    parent: int
    children: tuple[int, ...]
    label: str

    @property
    def members(self) -> tuple[int, ...]:
        return (self.parent, *self.children)


def normalise_totals(
    dimensions: Sequence[str], totals: TotalsSpec
) -> dict[str, str | dict[Hashable, Hashable]]:
    """One spec per dimension that has totals: a label, or a child -> parent mapping."""
    if isinstance(totals, str):
        return dict.fromkeys(dimensions, totals)
    if not isinstance(totals, Mapping):
        raise InputError(
            "Option {totals} must be a label such as 'Total' or a mapping per dimension.",
            options=["totals"],
        )
    unknown = [d for d in totals if d not in dimensions]
    if unknown:
        raise InputError(
            "Option {totals} names {unknown}, which are not among the {dimensions}.",
            options=["totals", "dimensions"],
            unknown=", ".join(map(repr, unknown)),
        )
    specs: dict[str, str | dict[Hashable, Hashable]] = {}
    for dim, spec in totals.items():
        if spec is None:
            continue
        if isinstance(spec, str):
            specs[dim] = spec
        elif isinstance(spec, Mapping):
            specs[dim] = dict(spec)
            _check_acyclic(dim, specs[dim])
        else:
            raise InputError(
                "Option {totals} for {dim!r} must be a label or a child -> parent mapping, "
                "not {given!r}.",
                options=["totals"],
                dim=dim,
                given=spec,
            )
    return specs


def _check_acyclic(dim: str, parents: dict[Hashable, Hashable]) -> None:
    for start in parents:
        seen = {start}
        node = start
        while node in parents:
            node = parents[node]
            if node in seen:
                raise InputError(f"The {dim!r} hierarchy has a cycle through {node!r}.")
            seen.add(node)


def build_relations(
    data: pd.DataFrame, dimensions: Sequence[str], specs: Mapping[str, str | Mapping]
) -> list[Relation]:
    """Every relation the table's rows take part in, in a deterministic order.

    Order: by dimension (as listed), then by the other dimensions' values in first-appearance
    order, then by parent. A relation needs its total row and at least one part present;
    absent parts count as zero (sparse tables often leave out empty cells), which the
    additivity check then confirms.
    """
    relations: list[Relation] = []
    for dim in dimensions:
        spec = specs.get(dim)
        if spec is None:
            continue
        others = [d for d in dimensions if d != dim]
        grouped = (
            data.groupby(others, sort=False, dropna=False).indices
            if others
            else {(): np.arange(len(data))}
        )
        for key, rows in grouped.items():
            where = _describe_key(others, key)
            by_value = {data[dim].iat[r]: int(r) for r in rows}
            if isinstance(spec, str):
                families = {spec: [v for v in by_value if v != spec]}
            else:
                families = {}
                for value in by_value:
                    parent = spec.get(value)
                    if parent is not None:
                        families.setdefault(parent, []).append(value)
            for parent, children in families.items():
                if parent not in by_value or not children:
                    continue
                label = f"the sum {dim}={parent}{where}"
                relations.append(
                    Relation(
                        parent=by_value[parent],
                        children=tuple(by_value[c] for c in children),
                        label=label,
                    )
                )
    return relations


def _describe_key(others: Sequence[str], key: object) -> str:
    if not others:
        return ""
    values = key if isinstance(key, tuple) else (key,)
    return " for " + ", ".join(f"{d}={v}" for d, v in zip(others, values, strict=True))


def total_levels(
    data: pd.DataFrame, dimensions: Sequence[str], specs: Mapping[str, str | Mapping]
) -> np.ndarray:
    """How many dimensions each row is a total in (0 for an interior cell)."""
    levels = np.zeros(len(data), dtype=np.int64)
    for dim, spec in specs.items():
        parents = {spec} if isinstance(spec, str) else set(spec.values())
        levels += data[dim].isin(parents).to_numpy()
    return levels


def check_unique_cells(data: pd.DataFrame, dimensions: Sequence[str]) -> None:
    duplicated = data.duplicated(list(dimensions), keep=False).to_numpy()
    if duplicated.any():
        raise InputError(
            f"Each combination of {', '.join(map(repr, dimensions))} must appear once; "
            f"{describe_rows(np.flatnonzero(duplicated))} repeat one."
        )


def check_additive(values: np.ndarray, relations: Sequence[Relation], column: str) -> None:
    """Every total must equal the sum of its parts, or the relations would be wrong."""
    for relation in relations:
        parts = int(values[list(relation.children)].sum())
        if parts != int(values[relation.parent]):
            raise InputError(
                f"Column {column!r}: the total in {describe_rows([relation.parent])} "
                f"({int(values[relation.parent])}) is not the sum of its parts in "
                f"{describe_rows(sorted(relation.children))} ({parts}): {relation.label}."
            )
