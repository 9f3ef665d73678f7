"""XmR limits and the Making Data Count special-cause rules for one chart segment.

Pure numpy on one segment's values, already sorted by date. The arithmetic follows
NHSRplotthedots v0.2.0 (``ptd_spc_standard``, ``ptd_calculate_point_type``) and NHS England's
"Making Data Count" guidance, as summarised in docs/methods.md §8:

* centre line x̄ = mean of the baseline values (all points, or the first n when the limits are
  fixed);
* moving ranges MRⱼ = |yⱼ - yⱼ₋₁| over the baseline, MR̄ their mean; with screening, moving ranges
  ≥ 3.267·MR̄ are dropped and MR̄ recomputed;
* process limits x̄ ± 2.66·MR̄ (2.66 exactly, as NHSRplotthedots writes it, not 3/1.128);
* near-limit band beyond x̄ ± (2/3)·2.66·MR̄ but inside the limits.

References: Nelson (1982) J Qual Technol 14:172; Provost & Murray (2011) The Health Care Data
Guide; NHS England, Making Data Count (2019).
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

LIMIT_MULTIPLIER = 2.66
NEAR_LIMIT_MULTIPLIER = 2 * LIMIT_MULTIPLIER / 3
SCREENING_MULTIPLIER = 3.267

# Precedence of the rules, first wins (methods.md §8).
RULES = ("outside", "trend", "two_of_three", "shift")


@dataclass(frozen=True)
class Limits:
    """Centre line and limits of one segment; NaN limits when no moving range exists."""

    mean: float
    mr_bar: float
    lpl: float
    upl: float
    near_lower: float
    near_upper: float


def limits(
    values: np.ndarray, *, fix_after_n_points: int | None = None, screen_outliers: bool = True
) -> Limits:
    """Centre line and XmR limits from the baseline of one segment.

    The baseline is every value, or the first ``fix_after_n_points`` values when given.
    Screening drops moving ranges at or above 3.267·MR̄ (NHSRplotthedots keeps only
    ``mr < 3.267 * amr``). When MR̄ is 0 (a flat baseline) nothing is screened: the R code would
    drop every moving range there and leave MR̄ undefined, which helps nobody.
    """
    base = values if fix_after_n_points is None else values[:fix_after_n_points]
    mean = float(np.mean(base))
    moving_ranges = np.abs(np.diff(base))
    if moving_ranges.size == 0:
        mr_bar = float("nan")
    else:
        mr_bar = float(np.mean(moving_ranges))
        if screen_outliers and mr_bar > 0:
            mr_bar = float(np.mean(moving_ranges[moving_ranges < SCREENING_MULTIPLIER * mr_bar]))
    return Limits(
        mean=mean,
        mr_bar=mr_bar,
        lpl=mean - LIMIT_MULTIPLIER * mr_bar,
        upl=mean + LIMIT_MULTIPLIER * mr_bar,
        near_lower=mean - NEAR_LIMIT_MULTIPLIER * mr_bar,
        near_upper=mean + NEAR_LIMIT_MULTIPLIER * mr_bar,
    )


def _runs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run-length encoding: (start index, length, code) of each maximal run of equal codes."""
    if codes.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, codes[:0]
    change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    starts = np.concatenate(([0], change))
    lengths = np.diff(np.concatenate((starts, [codes.size])))
    return starts, lengths, codes[starts]


def trend_direction(values: np.ndarray, *, length: int) -> np.ndarray:
    """+1/-1 for points in a run of ``length`` or more points each strictly above (below) the last.

    A run of ``length`` points is ``length - 1`` consecutive differences of one sign; a zero
    difference (a tie) breaks it. Two runs of opposite direction share their turning point; the
    later run's direction wins, as methods.md §8 specifies.
    """
    direction = np.zeros(values.size, dtype=np.int8)
    steps = np.sign(np.diff(values)).astype(np.int8)
    starts, lengths, codes = _runs(steps)
    for start, run, code in zip(starts, lengths, codes, strict=True):
        if code != 0 and run >= length - 1:
            # run differences cover points start .. start + run; later runs overwrite.
            direction[start : start + run + 1] = code
    return direction


def shift_direction(side: np.ndarray, *, length: int) -> np.ndarray:
    """+1/-1 for points in a run of ``length`` or more on one side of the mean (0 breaks it)."""
    direction = np.zeros(side.size, dtype=np.int8)
    starts, lengths, codes = _runs(side)
    for start, run, code in zip(starts, lengths, codes, strict=True):
        if code != 0 and run >= length:
            direction[start : start + run] = code
    return direction


def two_of_three_direction(side: np.ndarray, near: np.ndarray) -> np.ndarray:
    """+1/-1 for near-limit points in a window of 3 with ≥ 2 near-limit points on one side.

    All three points of the window must be on the same side of the mean; only the near-limit
    points (inside the limits, beyond the 2-sigma band) are flagged and counted, so a point outside
    the limits never counts towards this rule (methods.md §8, gotcha 7).
    """
    flagged = np.zeros(side.size, dtype=bool)
    if side.size >= 3:
        side_windows = sliding_window_view(side, 3)
        near_windows = sliding_window_view(near, 3)
        same_side = (side_windows[:, 0] != 0) & np.all(side_windows == side_windows[:, :1], axis=1)
        qualifying = same_side & (near_windows.sum(axis=1) >= 2)
        for offset in range(3):
            flagged[offset : offset + qualifying.size] |= qualifying & near_windows[:, offset]
    return np.where(flagged, side, 0).astype(np.int8)


@dataclass(frozen=True)
class SegmentRules:
    """Per-point results of the rules for one segment."""

    side: np.ndarray
    outside: np.ndarray
    near: np.ndarray
    trend: np.ndarray
    two_of_three: np.ndarray
    shift: np.ndarray
    rule: np.ndarray
    direction: np.ndarray


def evaluate(
    values: np.ndarray, lim: Limits, *, trend_length: int, shift_length: int
) -> SegmentRules:
    """Apply the four rules to every point of a segment (baseline or not).

    ``rule`` holds the winning rule's name by precedence outside > trend > two of three > shift
    (empty when none applies), and ``direction`` that rule's side: +1 for a high-side signal
    (above the upper limit, an increasing trend, a run or 2-of-3 above the mean), -1 for low.
    """
    side = np.sign(values - lim.mean).astype(np.int8)
    # Comparisons with NaN limits (a one-point segment) are all False: no signal.
    outside = (values > lim.upl) | (values < lim.lpl)
    near = ~outside & ((values < lim.near_lower) | (values > lim.near_upper))
    directions = {
        "outside": np.where(outside, side, 0).astype(np.int8),
        "trend": trend_direction(values, length=trend_length),
        "two_of_three": two_of_three_direction(side, near),
        "shift": shift_direction(side, length=shift_length),
    }
    rule = np.full(values.size, "", dtype=object)
    direction = np.zeros(values.size, dtype=np.int8)
    for name in reversed(RULES):  # lowest precedence first, so higher ones overwrite
        hit = directions[name] != 0
        rule[hit] = name
        direction[hit] = directions[name][hit]
    return SegmentRules(
        side=side,
        outside=outside,
        near=near,
        trend=directions["trend"] != 0,
        two_of_three=directions["two_of_three"] != 0,
        shift=directions["shift"] != 0,
        rule=rule,
        direction=direction,
    )
