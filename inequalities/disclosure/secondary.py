"""Secondary (complementary) suppression for tables with totals.

Primary suppression hides small counts, but a hidden cell can be recovered by differencing:
a total minus its other, published parts. Complementary cells must be hidden too, until no
hidden cell is determined by the published values and the table's relations (NHS Digital's
pre-2018 HES practice; Hundepool et al. (2012) Statistical Disclosure Control, ch. 4).

Two passes, repeated to a fixed point:

1. Relations with exactly one hidden cell: hide one more member. The choice is the smallest
   published cell of the relation, preferring non-zero cells (a zero is often known to be
   zero), then interior cells over totals, then the earlier row: deterministic.
2. An exact check: a hidden cell is derivable iff its unit vector lies in the row space of the
   relation matrix restricted to the hidden cells (published cells move to the right-hand
   side). That catches disclosure through chains of relations that pass 1 cannot see (for
   example a hidden cell bridging two otherwise protected groups of cells). For each
   derivable cell the smallest published cell in one of its relations is hidden, and pass 1
   runs again.

Only exact disclosure is prevented. Bounds from non-negativity (a hidden pair summing to a
small number) are not checked; rounding the published values afterwards blurs such
differences further.
"""

import heapq
from collections.abc import Callable, Sequence

import numpy as np
import scipy.linalg
import scipy.sparse
from scipy.sparse.csgraph import connected_components

from inequalities.disclosure.relations import Relation


def secondary_suppression(
    values: np.ndarray,
    primary: np.ndarray,
    relations: Sequence[Relation],
    levels: np.ndarray,
) -> tuple[np.ndarray, dict[int, str]]:
    """The full set of hidden cells and, for each secondary one, the relation it protects.

    ``values`` are the true counts, ``primary`` the primary-suppressed mask, ``levels`` the
    number of dimensions each cell is a total in (tie-break: interior cells first).
    """
    hidden = primary.copy()
    reasons: dict[int, str] = {}
    by_cell: list[list[int]] = [[] for _ in range(values.size)]
    for index, relation in enumerate(relations):
        for member in relation.members:
            by_cell[member].append(index)

    def preference(cell: int) -> tuple[bool, int, int, int]:
        return (bool(values[cell] == 0), int(values[cell]), int(levels[cell]), cell)

    def hide(cell: int, relation: Relation) -> None:
        hidden[cell] = True
        reasons[cell] = relation.label

    while True:
        _singleton_pass(hidden, relations, by_cell, preference, hide)
        derivable = derivable_cells(hidden, relations, values.size)
        if derivable.size == 0:
            return hidden, reasons
        if not _protect(int(derivable[0]), hidden, relations, by_cell, preference, hide):
            # Nothing left to hide near this cell: the table's structure alone fixes it.
            return hidden, reasons


Preference = Callable[[int], tuple[bool, int, int, int]]
Hide = Callable[[int, Relation], None]


def _singleton_pass(
    hidden: np.ndarray,
    relations: Sequence[Relation],
    by_cell: list[list[int]],
    preference: Preference,
    hide: Hide,
) -> None:
    """Hide a complement for every relation with exactly one hidden member, to a fixed point."""
    queue = list(range(len(relations)))
    heapq.heapify(queue)
    queued = set(queue)
    while queue:
        index = heapq.heappop(queue)
        queued.discard(index)
        members = relations[index].members
        if sum(bool(hidden[m]) for m in members) != 1:
            continue
        choice = min((m for m in members if not hidden[m]), key=preference)
        hide(choice, relations[index])
        for other in by_cell[choice]:
            if other not in queued:
                heapq.heappush(queue, other)
                queued.add(other)


def _protect(
    cell: int,
    hidden: np.ndarray,
    relations: Sequence[Relation],
    by_cell: list[list[int]],
    preference: Preference,
    hide: Hide,
) -> bool:
    """Hide the best published cell in a relation of ``cell``; False if there is none."""
    options = [
        (preference(m), m, relations[i])
        for i in by_cell[cell]
        for m in relations[i].members
        if not hidden[m]
    ]
    if not options:
        # All of the cell's relations are hidden: widen to every relation with a hidden cell.
        options = [
            (preference(m), m, relation)
            for relation in relations
            if any(hidden[x] for x in relation.members)
            for m in relation.members
            if not hidden[m]
        ]
    if not options:
        return False
    _, choice, relation = min(options, key=lambda option: option[:2])
    hide(choice, relation)
    return True


def derivable_cells(hidden: np.ndarray, relations: Sequence[Relation], size: int) -> np.ndarray:
    """Hidden cells whose value follows exactly from the published cells and the relations.

    With A the relation matrix (+1 parts, -1 total) restricted to the hidden columns, a hidden
    cell k is determined iff every vector of A's null space is 0 at k. Computed per connected
    group of hidden cells (cells sharing a relation), by SVD.
    """
    unknown = np.flatnonzero(hidden)
    if unknown.size == 0:
        return unknown
    column_of = np.full(size, -1, dtype=np.int64)
    column_of[unknown] = np.arange(unknown.size)
    rows, cols, coefs = [], [], []
    row = 0
    for relation in relations:
        entries = [
            (column_of[m], -1.0 if m == relation.parent else 1.0)
            for m in relation.members
            if column_of[m] >= 0
        ]
        if not entries:
            continue
        for col, coef in entries:
            rows.append(row)
            cols.append(col)
            coefs.append(coef)
        row += 1
    if row == 0:
        return unknown[:0]
    matrix = scipy.sparse.csr_matrix((coefs, (rows, cols)), shape=(row, unknown.size))
    # Hidden cells sharing a relation are linked: components of A^T A's sparsity pattern.
    link = (matrix.T @ matrix) != 0
    count, labels = connected_components(link, directed=False)
    determined = []
    for component in range(count):
        columns = np.flatnonzero(labels == component)
        block = matrix[:, columns]
        block = block[np.flatnonzero(block.getnnz(axis=1))].toarray()
        if block.shape[0] == 0:
            continue
        null = scipy.linalg.null_space(block)
        free = np.linalg.norm(null, axis=1) > 1e-8 if null.size else np.zeros(columns.size, bool)
        determined.extend(unknown[columns[~free]])
    return np.sort(np.array(determined, dtype=np.int64))
