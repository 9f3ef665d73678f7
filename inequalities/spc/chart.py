"""XmR (individuals and moving range) charts with NHS "Making Data Count" rules.

A re-implementation of NHSRplotthedots v0.2.0 (NHS-R community, ``ptd_spc``) as described in
docs/methods.md §8, with two deliberate readings of that reference:

* a special-cause point's type follows the *winning rule's* direction (an increasing trend is a
  high-side signal even for points below the mean), as methods.md §8 states; NHSRplotthedots
  uses the point's side of the mean instead;
* a rebase date that is not a date in the data starts the new segment at the first point on or
  after it, so one list of dates can serve several charts.

References: NHS England and NHS Improvement, Making Data Count (2019) and the SPC Excel tool;
NHSRplotthedots (https://github.com/nhs-r-community/NHSRplotthedots); Provost & Murray (2011).
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from inequalities.errors import InputError
from inequalities.spc import inputs
from inequalities.spc.rules import Limits, SegmentRules, evaluate, limits

TRIAL_LIMIT_POINTS = 13

POINT_COLUMNS = (
    "segment",
    "mean",
    "lpl",
    "upl",
    "near_lower",
    "near_upper",
    "near_limit",
    "outside",
    "trend",
    "two_of_three",
    "shift",
    "rule",
    "point_type",
)


# Why a segment's limits need a caveat, as codes callers can rely on (the words may change):
SINGLE_POINT = "single_point"  # one point: no moving range, so no limits
TRIAL_LIMITS = "trial_limits"  # fewer than TRIAL_LIMIT_POINTS points: provisional limits
SHORT_BASELINE = "short_baseline"  # fewer points than fix_after_n_points: all of them used
NOTE_CODES = (SINGLE_POINT, TRIAL_LIMITS, SHORT_BASELINE)

# The words of each note in the charts' ``warning`` column (and the CLI's), filled from the
# note's fields; ``where`` is "segment starting <date>".
NOTE_MESSAGES = {
    SINGLE_POINT: "{where} has a single point: no moving range, so no limits",
    TRIAL_LIMITS: "trial limits: {where} has {points} points (fewer than {needed})",
    SHORT_BASELINE: (
        "{where} has {points} points, fewer than fix_after_n_points={needed}: "
        "its limits use all of them"
    ),
}


@dataclass(frozen=True)
class SegmentNote:
    """A caveat about one segment's limits, for programs to act on without reading words.

    ``code`` is one of :data:`NOTE_CODES`; ``chart`` the chart's group key (as in the
    ``target`` mapping; None without ``group_by``); ``segment`` the 1-based segment number;
    ``start`` the date (or period number) of its first point; ``points`` how many points it
    has; ``needed`` the number it fell short of (None for a single point). ``message`` is
    the same caveat in words, as the ``warning`` column gives it.
    """

    code: str
    chart: Hashable
    segment: int
    start: object
    points: int
    needed: int | None
    message: str


@dataclass(frozen=True)
class SpcResult:
    """The outcome of :func:`spc`.

    ``points``: one row per input point, sorted by chart then date, with the group columns,
    the date and value, ``segment`` (1-based rebase segment), ``mean``, ``lpl``, ``upl``,
    ``near_lower``/``near_upper`` (the edges of the near-limit band, x̄ ∓ (2/3)·2.66·MR̄),
    ``near_limit`` (point in that band), ``outside``, ``trend``, ``two_of_three``, ``shift``
    (each rule's flag), ``rule`` (the winning rule or "") and ``point_type``.

    ``charts``: one row per chart with the group columns, ``variation_icon``,
    ``assurance_icon`` ("" without a target or for neutral charts), the last segment's
    ``mean``/``lpl``/``upl``, ``points``, ``segments``, ``target`` and ``warning`` ("" or
    messages joined by "; ").

    ``notes``: the same warnings as :class:`SegmentNote` records with a machine-readable
    ``code``, in chart then segment order (Python only: the tables, and so the CLI, keep the
    words).
    """

    points: pd.DataFrame
    charts: pd.DataFrame
    notes: tuple[SegmentNote, ...] = ()


def spc(
    data: pd.DataFrame,
    *,
    date: str = "date",
    value: str = "value",
    group_by: str | Sequence[str] | None = None,
    improvement: Literal["increase", "decrease", "neutral"] = "increase",
    target: float | Mapping[Hashable, float] | None = None,
    rebase: Iterable[Any] | str | None = None,
    fix_after_n_points: int | None = None,
    screen_outliers: bool = True,
    trend_length: int = 7,
    shift_length: int = 7,
) -> SpcResult:
    """XmR chart limits, special-cause rules and icons for each chart in ``data``.

    Args:
        data: one row per point.
        date: column ordering the points (dates, or numbers such as a period index; text is
            parsed as ISO 8601 dates). Each date may appear once per chart.
        value: the numeric measure plotted.
        group_by: column(s) splitting the data into separate charts (facets).
        improvement: which direction is better; "neutral" gives neutral point types and no
            assurance icon.
        target: one number for every chart, or a mapping from group key (the value, or a tuple
            of values for several group columns) to number; charts not in the mapping get no
            assurance icon.
        rebase: a list of dates each starting a new segment with its own limits and rules, or
            the name of a true/false column marking the first point of each new segment.
        fix_after_n_points: compute each segment's mean and limits from its first n points only
            (n ≥ 12); the rules still run on every point.
        screen_outliers: drop moving ranges ≥ 3.267·MR̄ before the limits (NHSRplotthedots'
            default; NHS England's Excel tool does not screen).
        trend_length, shift_length: run lengths for the trend and shift rules (Making Data
            Count uses 7 for both; some rule sets use 6 for trends).

    Raises:
        InputError: missing columns, non-numeric or missing values, missing dates, a date
            repeated within a chart (naming the rows), or invalid options.
    """
    if not isinstance(data, pd.DataFrame):
        raise InputError("spc needs a table (pandas DataFrame) of points.")
    direction = inputs.check_options(
        improvement=improvement,
        fix_after_n_points=fix_after_n_points,
        trend_length=trend_length,
        shift_length=shift_length,
    )
    groups = inputs.group_columns(data, group_by)
    inputs.require_columns(data, [date, value])
    for column in (date, value):
        if column in groups:
            raise InputError(
                f"Column {column!r} is the chart's {'date' if column == date else 'value'} "
                "column; it cannot also be a group column."
            )
    if data.empty:
        raise InputError("The data has no rows to chart.")

    frame = data.reset_index(drop=True)
    frame = frame.assign(
        **{value: inputs.numeric_values(frame, value), date: inputs.date_values(frame, date)}
    )
    frame["_row"] = np.arange(len(frame))
    frame["_group"] = (
        frame.groupby(groups, sort=False, dropna=False).ngroup().to_numpy() if groups else 0
    )
    frame = frame.sort_values(["_group", date], kind="stable").reset_index(drop=True)
    inputs.check_unique_dates(frame, groups, date)
    starts = inputs.rebase_flags(frame, rebase, date)

    group_ids = frame["_group"].to_numpy()
    boundaries = np.flatnonzero(np.diff(group_ids)) + 1
    group_slices = np.split(np.arange(len(frame)), boundaries)
    keys = [_group_key(frame, groups, rows[0]) for rows in group_slices]
    targets = inputs.targets_by_group(target, keys)

    per_point = {name: np.empty(len(frame), dtype=object) for name in POINT_COLUMNS}
    signal_side = np.zeros(len(frame), dtype=np.int8)
    charts = []
    notes: list[SegmentNote] = []
    values = frame[value].to_numpy(dtype="float64")
    dates = frame[date]
    for rows, key, chart_target in zip(group_slices, keys, targets, strict=True):
        segment_ids = np.zeros(rows.size, dtype=np.int64)
        if starts is not None:
            segment_ids = np.cumsum(starts[rows])
            segment_ids -= segment_ids[0]
        chart_notes: list[SegmentNote] = []
        segments = np.split(rows, np.flatnonzero(np.diff(segment_ids)) + 1)
        for number, segment in enumerate(segments, start=1):
            y = values[segment]
            lim = limits(y, fix_after_n_points=fix_after_n_points, screen_outliers=screen_outliers)
            result = evaluate(y, lim, trend_length=trend_length, shift_length=shift_length)
            _store(per_point, segment, number, lim, result, direction)
            signal_side[segment] = result.direction
            chart_notes.extend(
                _segment_notes(key, number, y.size, dates.iloc[segment[0]], fix_after_n_points)
            )
        notes.extend(chart_notes)
        last_row = rows[-1]
        charts.append(
            {
                **dict(zip(groups, key if len(groups) > 1 else (key,), strict=False)),
                "variation_icon": _variation_icon(
                    per_point["point_type"][last_row], int(signal_side[last_row])
                ),
                "assurance_icon": _assurance_icon(chart_target, lim, direction),
                "mean": lim.mean,
                "lpl": lim.lpl,
                "upl": lim.upl,
                "points": int(rows.size),
                "segments": len(segments),
                "target": np.nan if chart_target is None else chart_target,
                "warning": "; ".join(note.message for note in chart_notes),
            }
        )

    points = frame[[*groups, date, value]].copy()
    for name in POINT_COLUMNS:
        points[name] = per_point[name]
    points = points.astype(
        {
            "segment": "int64",
            **dict.fromkeys(("mean", "lpl", "upl", "near_lower", "near_upper"), "float64"),
            **dict.fromkeys(("near_limit", "outside", "trend", "two_of_three", "shift"), "bool"),
            "rule": "str",
            "point_type": "str",
        }
    )
    chart_frame = pd.DataFrame(charts, columns=[*groups, *_CHART_COLUMNS])
    return SpcResult(points=points, charts=chart_frame, notes=tuple(notes))


_CHART_COLUMNS = (
    "variation_icon",
    "assurance_icon",
    "mean",
    "lpl",
    "upl",
    "points",
    "segments",
    "target",
    "warning",
)


def _group_key(frame: pd.DataFrame, groups: list[str], row: int) -> Hashable:
    if not groups:
        return None
    values = tuple(frame.at[row, g] for g in groups)
    return values[0] if len(values) == 1 else values


def _store(
    per_point: dict[str, np.ndarray],
    segment: np.ndarray,
    number: int,
    lim: Limits,
    result: SegmentRules,
    direction: int,
) -> None:
    per_point["segment"][segment] = number
    for name in ("mean", "lpl", "upl", "near_lower", "near_upper"):
        per_point[name][segment] = getattr(lim, name)
    per_point["near_limit"][segment] = result.near
    for name in ("outside", "trend", "two_of_three", "shift", "rule"):
        per_point[name][segment] = getattr(result, name)
    per_point["point_type"][segment] = [
        _point_type(rule, side, direction)
        for rule, side in zip(result.rule, result.direction, strict=True)
    ]


def _point_type(rule: str, side: int, improvement: int) -> str:
    """Point type from the winning rule's side and the improvement direction (§8)."""
    if not rule:
        return "common_cause"
    if improvement == 0:
        return "special_cause_neutral_high" if side > 0 else "special_cause_neutral_low"
    return "special_cause_improvement" if side * improvement > 0 else "special_cause_concern"


def _variation_icon(point_type: str, side: int) -> str:
    """Making Data Count variation icon for the latest point.

    "high"/"low" is the side of the signal, so it follows the improvement direction: an
    improvement on an "increase" chart is high, a concern on an "increase" chart is low.
    """
    if point_type == "common_cause":
        return "common_cause"
    kind = point_type.removeprefix("special_cause_").removesuffix("_high").removesuffix("_low")
    return f"{kind}_{'high' if side > 0 else 'low'}"


def _assurance_icon(target: float | None, lim: Limits, improvement: int) -> str:
    """Assurance from the last segment's limits (NHSRplotthedots ptd_calculate_assurance_type).

    increase: target above the upper limit = consistent fail, below the lower limit = consistent
    pass, otherwise inconsistent; reversed for decrease. "" without a target, for neutral
    charts, or when the limits are undefined (a one-point segment).
    """
    if target is None or improvement == 0 or np.isnan(lim.upl):
        return ""
    if target > lim.upl:
        return "consistent_fail" if improvement > 0 else "consistent_pass"
    if target < lim.lpl:
        return "consistent_pass" if improvement > 0 else "consistent_fail"
    return "inconsistent"


def _segment_notes(
    chart: Hashable, segment: int, size: int, start: object, fix_after_n_points: int | None
) -> list[SegmentNote]:
    def note(code: str, needed: int | None) -> SegmentNote:
        message = NOTE_MESSAGES[code].format(
            where=f"segment starting {_show(start)}", points=size, needed=needed
        )
        return SegmentNote(code, chart, segment, start, size, needed, message)

    if size == 1:
        return [note(SINGLE_POINT, None)]
    notes = []
    if size < TRIAL_LIMIT_POINTS:
        notes.append(note(TRIAL_LIMITS, TRIAL_LIMIT_POINTS))
    if fix_after_n_points is not None and size < fix_after_n_points:
        notes.append(note(SHORT_BASELINE, fix_after_n_points))
    return notes


def _show(when: object) -> str:
    if isinstance(when, pd.Timestamp) and when == when.normalize():
        return when.strftime("%Y-%m-%d")
    return str(when)
