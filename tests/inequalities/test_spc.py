"""XmR charts with Making Data Count rules (docs/methods.md §8).

Every expected number below is worked out by hand in the comments; the properties at the end
compare the rules with brute-force definitions written here, not with the code's output.
"""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.errors import InputError
from inequalities.spc import SHORT_BASELINE, TRIAL_LIMITS, SegmentNote, spc
from inequalities.spc import chart as spc_chart
from inequalities.spc.rules import Limits, evaluate


def series(values, *, start="2021-01-01", **columns) -> pd.DataFrame:
    """Monthly points from ``start``."""
    dates = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"date": dates, "value": values, **columns})


def flagged(points: pd.DataFrame, column: str) -> list[int]:
    return [int(i) for i in np.flatnonzero(points[column].to_numpy())]


# Alternating 12, 14, ... : mean 13, every moving range 2, MR̄ = 2.
# Limits 13 ± 2.66·2 = 13 ± 5.32 -> [7.68, 18.32]; near band 13 ± (2/3)·5.32 = 13 ± 3.546667.
CALM = [12, 14] * 6

# The outside series: calm points, then 40 and -14.
# mean = (6·12 + 6·14 + 40 - 14) / 14 = 182 / 14 = 13.
# MRs: eleven 2s, |40 - 14| = 26, |-14 - 40| = 54 -> MR̄ = (22 + 26 + 54) / 13 = 102 / 13 = 7.846.
# Screening at 3.267·7.846 = 25.63 drops 26 and 54 -> MR̄ = 22 / 11 = 2.
OUTSIDE = [*CALM, 40, -14]


def test_single_point_outside_limits_with_screened_moving_ranges():
    points = spc(series(OUTSIDE)).points
    assert points["mean"].iloc[0] == pytest.approx(13)
    assert points["upl"].iloc[0] == pytest.approx(18.32)  # 13 + 2.66·2
    assert points["lpl"].iloc[0] == pytest.approx(7.68)  # 13 - 2.66·2
    assert points["near_upper"].iloc[0] == pytest.approx(13 + 2 * 2.66 * 2 / 3)  # 16.546667
    assert points["near_lower"].iloc[0] == pytest.approx(13 - 2 * 2.66 * 2 / 3)  # 9.453333
    assert flagged(points, "outside") == [12, 13]
    assert list(points["rule"]) == [""] * 12 + ["outside", "outside"]
    assert not points[["trend", "two_of_three", "shift", "near_limit"]].to_numpy().any()
    assert list(points["point_type"][12:]) == [
        "special_cause_improvement",  # 40 is high and higher is better
        "special_cause_concern",  # -14 is low
    ]


def test_without_screening_the_limits_use_every_moving_range():
    points = spc(series(OUTSIDE), screen_outliers=False).points
    # MR̄ = 102 / 13 -> UPL = 13 + 2.66·102/13 = 13 + 20.870769 = 33.870769; LPL = -7.870769.
    assert points["upl"].iloc[0] == pytest.approx(13 + 2.66 * 102 / 13)
    assert points["lpl"].iloc[0] == pytest.approx(13 - 2.66 * 102 / 13)
    assert points["upl"].iloc[0] == pytest.approx(33.870769, abs=1e-6)
    # 40 and -14 are still outside the wider limits.
    assert flagged(points, "outside") == [12, 13]


@pytest.mark.parametrize(
    ("improvement", "types", "icon"),
    [
        ("increase", ["special_cause_improvement", "special_cause_concern"], "concern_low"),
        ("decrease", ["special_cause_concern", "special_cause_improvement"], "improvement_low"),
        ("neutral", ["special_cause_neutral_high", "special_cause_neutral_low"], "neutral_low"),
    ],
)
def test_point_types_and_variation_icon_follow_the_improvement_direction(improvement, types, icon):
    result = spc(series(OUTSIDE), improvement=improvement)
    assert list(result.points["point_type"][12:]) == types
    assert result.charts["variation_icon"].item() == icon


def test_variation_icon_for_a_high_last_point():
    # Same series ending on the high point: [..., -14, 40] keeps the mean 13 and MR̄ 2.
    values = [*CALM, -14, 40]
    assert spc(series(values)).charts["variation_icon"].item() == "improvement_high"
    assert spc(series(values), improvement="decrease").charts["variation_icon"].item() == (
        "concern_high"
    )
    assert spc(series(values), improvement="neutral").charts["variation_icon"].item() == (
        "neutral_high"
    )
    assert spc(series(CALM)).charts["variation_icon"].item() == "common_cause"


# Trend series: 11, 15, 11, 15, then 10..16 rising (7 points), then 11, 15.
# sum = 52 + 91 + 26 = 169, n = 13 -> mean 13. MRs: 4, 4, 4, 5, six 1s, 5, 4 -> 32 / 12 = 2.6667.
# Limits 13 ± 2.66·8/3 = 13 ± 7.0933; near band 13 ± 4.7289 = [8.27, 17.73]: nothing near or out.
# Sides: - + - + - - - 0 + + + - +: no run of 7, the 13 sits on the mean.
TREND = [11, 15, 11, 15, 10, 11, 12, 13, 14, 15, 16, 11, 15]


def test_seven_point_trend_flags_every_point_of_the_run():
    points = spc(series(TREND)).points
    assert points["mean"].iloc[0] == pytest.approx(13)
    assert points["upl"].iloc[0] == pytest.approx(13 + 2.66 * 32 / 12)
    assert flagged(points, "trend") == [4, 5, 6, 7, 8, 9, 10]
    assert not points[["outside", "two_of_three", "shift"]].to_numpy().any()
    # An increasing trend is a high-side signal even below the mean (methods.md §8).
    assert set(points["point_type"][4:11]) == {"special_cause_improvement"}
    assert set(points["point_type"].drop(range(4, 11))) == {"common_cause"}
    # The reason, as a code: the trend rule for the run, no rule elsewhere.
    assert list(points["rule"]) == [""] * 4 + ["trend"] * 7 + [""] * 2


# Six rising points 10..15: sum = 52 + 75 + 11 + 15 + 11 = 164 -> mean 164/13 = 12.615.
# MRs 4, 4, 4, 5, 1, 1, 1, 1, 1, 4, 4, 4 = 34 -> MR̄ 2.833; near band 12.615 ± 5.024.
SIX_RISING = [11, 15, 11, 15, 10, 11, 12, 13, 14, 15, 11, 15, 11]


def test_six_point_trend_is_not_flagged_by_default_but_is_with_length_six():
    assert flagged(spc(series(SIX_RISING)).points, "trend") == []
    assert flagged(spc(series(SIX_RISING), trend_length=6).points, "trend") == [4, 5, 6, 7, 8, 9]


def test_a_tie_breaks_a_trend():
    # 10, 11, 12, 12, 13, 14, 15, 16: the repeated 12 is a zero difference, so the longest run
    # of strictly rising points is 12..16 (5 points).
    values = [11, 15, 11, 15, 10, 11, 12, 12, 13, 14, 15, 16, 11, 15]
    assert flagged(spc(series(values)).points, "trend") == []


# Up then down: 8, 18, 8, 18, then 10..16 (7 rising) and 16..10 (7 falling, sharing the 16).
# sum = 52 + 91 + 75 = 218, n = 17 -> mean 12.8235. MRs 10, 10, 10, 8, then twelve 1s -> 50 / 16
# = 3.125 (screening at 10.21 keeps the 10s). Limits 12.8235 ± 8.3125 = [4.511, 21.136];
# near band ± 5.5417 = [7.28, 18.37]: nothing outside or near.
# Sides: 8-, 18+, 8-, 18+, 10- 11- 12-, then 13 14 15 16 15 14 13 above (indices 7..13, a shift),
# then 12 11 10 below.
UP_DOWN = [8, 18, 8, 18, 10, 11, 12, 13, 14, 15, 16, 15, 14, 13, 12, 11, 10]


def test_shared_turning_point_takes_the_later_trend_and_trend_beats_shift():
    points = spc(series(UP_DOWN)).points
    assert points["mean"].iloc[0] == pytest.approx(218 / 17)
    assert points["upl"].iloc[0] == pytest.approx(218 / 17 + 2.66 * 3.125)
    assert flagged(points, "trend") == list(range(4, 17))
    assert flagged(points, "shift") == list(range(7, 14))
    assert set(points["rule"][4:]) == {"trend"}  # trend outranks shift
    types = list(points["point_type"])
    assert types[4:10] == ["special_cause_improvement"] * 6  # rising, before the peak
    assert types[10] == "special_cause_concern"  # the peak 16 belongs to the later, falling run
    assert types[11:] == ["special_cause_concern"] * 6
    assert spc(series(UP_DOWN)).charts["variation_icon"].item() == "concern_low"


# Two of three, with the limits fixed on the first 12 (calm) points: mean 13, MR̄ 2,
# limits [7.68, 18.32], near band beyond [9.4533, 16.5467].
TWO_OF_THREE = [
    *CALM,  # 0-11
    17, 14, 17,  # 12-14: both 17s near the upper limit, all above the mean -> flag 12, 14
    12, 14, 12,  # 15-17
    19, 17, 14,  # 18-20: 19 is outside, so only one near point (17): not a 2-of-3
    12, 14,  # 21-22
    17, 12, 17,  # 23-25: 12 is below the mean: not a 2-of-3
    12, 9, 9,  # 26-28: both 9s near the lower limit, with 12 all below -> flag 27, 28
    12, 14,  # 29-30
]  # fmt: skip


def test_two_of_three_counts_only_same_side_near_limit_points():
    points = spc(series(TWO_OF_THREE), fix_after_n_points=12).points
    assert points["mean"].iloc[0] == pytest.approx(13)
    assert points["upl"].iloc[0] == pytest.approx(18.32)
    assert flagged(points, "near_limit") == [12, 14, 19, 23, 25, 27, 28]
    assert flagged(points, "two_of_three") == [12, 14, 27, 28]
    assert flagged(points, "outside") == [18]
    assert not points[["trend", "shift"]].to_numpy().any()
    assert (
        list(points["rule"][[12, 14, 18, 27, 28]])
        == ["two_of_three"] * 2 + ["outside"] + ["two_of_three"] * 2
    )
    assert list(points["point_type"][[12, 27]]) == [
        "special_cause_improvement",
        "special_cause_concern",
    ]


# Shift: 17, 9, 17, 9, seven points 14/15 above the mean, seven 12/11 below.
# sum = 52 + 101 + 81 = 234, n = 18 -> mean 13. MRs 8, 8, 8, 5, six 1s, 2, six 1s = 43 / 17
# = 2.5294 (screening at 8.2636 keeps the 8s). Limits 13 ± 6.728; near band 13 ± 4.485 =
# [8.51, 17.49]: nothing outside or near. No run of 6 differences of one sign.
SHIFT = [17, 9, 17, 9, 14, 15, 14, 15, 14, 15, 14, 12, 11, 12, 11, 12, 11, 12]


def test_seven_points_on_one_side_are_a_shift():
    points = spc(series(SHIFT)).points
    assert points["mean"].iloc[0] == pytest.approx(13)
    assert points["upl"].iloc[0] == pytest.approx(13 + 2.66 * 43 / 17)
    assert flagged(points, "shift") == list(range(4, 18))
    assert not points[["outside", "trend", "two_of_three"]].to_numpy().any()
    assert set(points["point_type"][4:11]) == {"special_cause_improvement"}
    assert set(points["point_type"][11:]) == {"special_cause_concern"}


def test_a_point_on_the_mean_breaks_a_shift():
    # Indices 7 and 8 become 13 and 16 (same sum 29, so the mean stays exactly 13): the upper
    # run is now 14 15 14 | 13 | 16 15 14, broken by the point on the mean.
    values = list(SHIFT)
    values[7], values[8] = 13, 16
    points = spc(series(values)).points
    assert points["mean"].iloc[7] == 13
    assert flagged(points, "shift") == list(range(11, 18))


def test_precedence_outside_then_trend_then_two_of_three_then_shift():
    lim = Limits(mean=0.0, mr_bar=1.0, lpl=-3.0, upl=3.0, near_lower=-2.0, near_upper=2.0)
    # Rising run of 7, all above the mean; 2.1, 2.5, 2.9 near; 3.5 outside.
    rising = evaluate(np.array([0.5, 1, 1.5, 2.1, 2.5, 2.9, 3.5]), lim, trend_length=7,
                      shift_length=7)  # fmt: skip
    assert rising.trend.all()
    assert rising.shift.all()
    assert list(np.flatnonzero(rising.two_of_three)) == [3, 4, 5]
    assert list(rising.rule) == ["trend"] * 6 + ["outside"]
    # Seven above the mean, two near points: 2-of-3 beats shift; no trend (diffs - + + - - -).
    mixed = evaluate(np.array([0.5, 0.4, 2.5, 2.6, 0.3, 0.2, 0.1]), lim, trend_length=7,
                     shift_length=7)  # fmt: skip
    assert list(mixed.rule) == ["shift", "shift", "two_of_three", "two_of_three"] + ["shift"] * 3


@pytest.mark.parametrize(
    ("target", "improvement", "icon"),
    [
        (20, "increase", "consistent_fail"),  # above UPL 18.32: never reached
        (20, "decrease", "consistent_pass"),
        (5, "increase", "consistent_pass"),  # below LPL 7.68: always met
        (5, "decrease", "consistent_fail"),
        (13, "increase", "inconsistent"),
        (13, "decrease", "inconsistent"),
        (20, "neutral", ""),
        (None, "increase", ""),
    ],
)
def test_assurance_icon(target, improvement, icon):
    chart = spc(series([*CALM, 12]), target=target, improvement=improvement).charts
    assert chart["assurance_icon"].item() == icon


def test_rebasing_gives_each_segment_its_own_mean_and_limits():
    # 12 calm points around 13, then 12 around 23 (22, 24, ...): each segment has MR̄ 2.
    data = series([*CALM, *[v + 10 for v in CALM]])
    result = spc(data, rebase=[data["date"].iloc[12]])
    points = result.points
    assert list(points["segment"]) == [1] * 12 + [2] * 12
    assert list(points["mean"].unique()) == [13, 23]
    assert points["upl"].iloc[12] == pytest.approx(23 + 5.32)
    chart = result.charts.iloc[0]
    assert (chart["mean"], chart["segments"]) == (23, 2)
    assert chart["lpl"] == pytest.approx(23 - 5.32)
    assert not points["outside"].any()
    assert "trial limits" in chart["warning"]  # each segment has 12 < 13 points

    by_column = spc(data.assign(new=[False] * 12 + [True] + [False] * 11), rebase="new")
    pd.testing.assert_frame_equal(by_column.points, points)
    # A rebase date between points starts the segment at the next point (2022-01-01).
    mid_month = spc(data, rebase=["2021-12-15"])
    assert list(mid_month.points["segment"]) == [1] * 12 + [2] * 12

    # Without rebasing: mean 18, and the jump of 8 between the halves is screened (≥ 3.267·MR̄).
    plain = spc(data).points
    assert plain["mean"].iloc[0] == 18
    assert plain["shift"].all()


def test_a_rebase_date_after_the_last_point_is_refused():
    # 24 months to 2022-12-01: "2032" for "2022" would otherwise draw one segment silently.
    data = series([*CALM, *[v + 10 for v in CALM]])
    with pytest.raises(InputError) as error:
        spc(data, rebase=["2032-06-01"])
    assert error.value.worded(lambda o: f"--{o}") == (
        "Option --rebase 2032-06-01 is after the last point (2022-12-01), so it would start no "
        "new segment. Check the date."
    )
    # On the last point itself it is a (one-point) segment, as before.
    assert spc(data, rebase=["2022-12-01"]).points["segment"].iloc[-1] == 2


def test_fixed_baseline_uses_only_the_first_points():
    # First 12 calm points (mean 13, MR̄ 2), then 30, 32, 30: limits stay [7.68, 18.32].
    data = series([*CALM, 30, 32, 30])
    points = spc(data, fix_after_n_points=12).points
    assert points["mean"].iloc[-1] == 13
    assert points["upl"].iloc[-1] == pytest.approx(18.32)
    assert flagged(points, "outside") == [12, 13, 14]
    # Unfixed: mean = (156 + 92) / 15 = 16.533.
    assert spc(data).points["mean"].iloc[0] == pytest.approx(248 / 15)


def test_groups_are_separate_charts_and_dates_are_sorted():
    a = series(OUTSIDE, area="A")
    b = series(CALM, area="B")
    data = pd.concat([b, a]).iloc[::-1]  # shuffled order, groups interleaved
    result = spc(data, group_by="area", target={"A": 20})
    charts = result.charts.set_index("area")
    assert charts.loc["A", "variation_icon"] == "concern_low"
    assert charts.loc["B", "variation_icon"] == "common_cause"
    assert charts.loc["A", "assurance_icon"] == "consistent_fail"
    assert charts.loc["B", "assurance_icon"] == ""
    assert (charts.loc["A", "points"], charts.loc["B", "points"]) == (14, 12)
    assert "trial limits" in charts.loc["B", "warning"]
    assert charts.loc["A", "warning"] == ""
    a_points = result.points[result.points["area"] == "A"]
    assert a_points["date"].is_monotonic_increasing
    assert list(a_points["value"]) == OUTSIDE


def test_text_dates_are_parsed_and_several_group_columns_key_targets_by_tuple():
    data = pd.DataFrame(
        {
            "icb": ["X"] * 3 + ["Y"] * 3,
            "sex": ["F"] * 3 + ["M"] * 3,
            "date": ["2024-03-01", "2024-01-01", "2024-02-01"] * 2,
            "value": [3, 1, 2, 10, 10, 10],
        }
    )
    result = spc(data, group_by=["icb", "sex"], target={("X", "F"): 100})
    first = result.points[result.points["icb"] == "X"]
    assert list(first["value"]) == [1, 2, 3]  # sorted by date, not by text order of rows
    # X/F: mean 2, MRs 1, 1 -> MR̄ 1, UPL 4.66 < target 100 on an increase chart: never met.
    charts = result.charts.set_index(["icb", "sex"])
    assert charts.loc[("X", "F"), "upl"] == pytest.approx(4.66)
    assert charts.loc[("X", "F"), "assurance_icon"] == "consistent_fail"
    # Y/M is flat: MR̄ 0, limits collapse onto the mean 10 and nothing is outside.
    assert (charts.loc[("Y", "M"), "lpl"], charts.loc[("Y", "M"), "upl"]) == (10, 10)
    assert charts.loc[("Y", "M"), "variation_icon"] == "common_cause"


def test_a_one_point_segment_has_no_limits_and_says_so():
    result = spc(series([5, 6, 7]), rebase=["2021-03-01"])
    last = result.points.iloc[-1]
    assert last["segment"] == 2
    assert np.isnan(last["upl"])
    assert "single point" in result.charts["warning"].item()
    # The same warnings as codes (Python only): segment 1 has 2 points (fewer than 13).
    assert [(n.code, n.segment, n.points, n.needed) for n in result.notes] == [
        ("trial_limits", 1, 2, 13),
        ("single_point", 2, 1, None),
    ]
    assert [n.start for n in result.notes] == [
        pd.Timestamp("2021-01-01"),
        pd.Timestamp("2021-03-01"),
    ]


def test_warnings_carry_codes_and_the_words_are_made_from_them():
    # Two charts: A has 14 points (no warning); B has 12 calm points, fewer than 13.
    data = pd.concat([series(OUTSIDE, area="A"), series(CALM, area="B", start="2022-01-01")])
    result = spc(data, group_by="area")
    (note,) = result.notes
    assert note == SegmentNote(
        code=TRIAL_LIMITS,
        chart="B",
        segment=1,
        start=pd.Timestamp("2022-01-01"),
        points=12,
        needed=13,
        message="trial limits: segment starting 2022-01-01 has 12 points (fewer than 13)",
    )
    charts = result.charts.set_index("area")
    assert charts.loc["B", "warning"] == note.message
    assert charts.loc["A", "warning"] == ""
    # The tables keep their columns: the codes are not a column (nor, so, in the CLI).
    assert "code" not in result.charts.columns and "code" not in result.points.columns


def test_a_baseline_shorter_than_fix_after_n_points_has_its_own_code():
    # 14 points: enough for settled limits (13), fewer than the 15 to fix after.
    result = spc(series(OUTSIDE), fix_after_n_points=15)
    assert [(n.code, n.points, n.needed) for n in result.notes] == [(SHORT_BASELINE, 14, 15)]
    assert result.charts["warning"].item() == (
        "segment starting 2021-01-01 has 14 points, fewer than fix_after_n_points=15: "
        "its limits use all of them"
    )
    assert spc(series(OUTSIDE)).notes == ()


def test_a_reworded_message_keeps_the_code(monkeypatch):
    monkeypatch.setitem(spc_chart.NOTE_MESSAGES, TRIAL_LIMITS, "provisional from {where}")
    result = spc(series(CALM))
    assert [n.code for n in result.notes] == [TRIAL_LIMITS]
    assert result.charts["warning"].item() == "provisional from segment starting 2021-01-01"


def test_duplicate_dates_name_the_rows():
    data = series([1, 2, 3, 4])
    data.loc[3, "date"] = data.loc[1, "date"]
    with pytest.raises(InputError, match="rows 2 and 4"):
        spc(data)


def test_non_numeric_values_name_the_rows():
    data = pd.DataFrame({"date": ["2021-01-01", "2021-02-01", "2021-03-01"], "value": [1, "x", 3]})
    with pytest.raises(InputError, match="row 2"):
        spc(data)


@pytest.mark.parametrize(
    "options",
    [
        {"fix_after_n_points": 11},
        {"improvement": "up"},
        {"trend_length": 2},
        {"group_by": "nope"},
    ],
)
def test_invalid_options(options):
    with pytest.raises(InputError):
        spc(series(CALM), **options)


# -- properties --------------------------------------------------------------------------------

values_strategy = st.lists(st.integers(-50, 50), min_size=2, max_size=40)


def brute_force_trend(y: list[int], length: int) -> set[int]:
    """Points in some window of ``length`` consecutive points that is strictly monotonic."""
    out = set()
    for i in range(len(y) - length + 1):
        w = y[i : i + length]
        if all(a < b for a, b in itertools.pairwise(w)) or all(
            a > b for a, b in itertools.pairwise(w)
        ):
            out.update(range(i, i + length))
    return out


def brute_force_shift(side: list[int], length: int) -> set[int]:
    out = set()
    for i in range(len(side) - length + 1):
        w = side[i : i + length]
        if w[0] != 0 and all(s == w[0] for s in w):
            out.update(range(i, i + length))
    return out


@settings(max_examples=150, deadline=None)
@given(values_strategy, st.integers(3, 8))
def test_trend_and_shift_match_brute_force(y, length):
    points = spc(series(y), trend_length=length, shift_length=length).points
    side = list(np.sign(np.array(y) - points["mean"].iloc[0]).astype(int))
    assert set(flagged(points, "trend")) == brute_force_trend(y, length)
    assert set(flagged(points, "shift")) == brute_force_shift(side, length)


@settings(max_examples=100, deadline=None)
@given(values_strategy)
def test_mirrored_series_with_reversed_improvement_gives_the_same_point_types(y):
    # Negation is exact in floating point, so every rule mirrors: a high signal on an
    # "increase" chart is the same verdict as the low mirror on a "decrease" chart.
    up = spc(series(y), improvement="increase")
    down = spc(series([-v for v in y]), improvement="decrease")
    assert list(up.points["point_type"]) == list(down.points["point_type"])
    assert list(up.points["rule"]) == list(down.points["rule"])
    icon = up.charts["variation_icon"].item()
    mirrored = down.charts["variation_icon"].item()
    swap = {"high": "low", "low": "high"}
    expected = (
        icon
        if icon == "common_cause"
        else icon.rsplit("_", 1)[0] + "_" + swap[icon.rsplit("_", 1)[1]]
    )
    assert mirrored == expected


@settings(max_examples=150, deadline=None)
@given(values_strategy)
def test_rule_is_the_first_flag_by_precedence_and_limits_are_symmetric(y):
    p = spc(series(y)).points
    flags = p[["outside", "trend", "two_of_three", "shift"]].to_numpy()
    names = np.array(["outside", "trend", "two_of_three", "shift"])
    first = np.where(flags.any(axis=1), names[flags.argmax(axis=1)], "")
    assert list(p["rule"]) == list(first)
    assert list(p["point_type"] == "common_cause") == list(~flags.any(axis=1))
    assert not (p["outside"] & p["near_limit"]).any()
    assert np.allclose(p["upl"] - p["mean"], p["mean"] - p["lpl"])
    for low, high in [("lpl", "near_lower"), ("near_lower", "mean"), ("mean", "near_upper"),
                      ("near_upper", "upl")]:  # fmt: skip
        assert (p[low] <= p[high]).all()
