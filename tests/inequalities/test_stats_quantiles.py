"""quantile() (phe_quantile, §7.1) and gap() (§7.2)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.errors import InputError
from inequalities.stats import gap, quantile


def q(data, **options):
    return quantile(data, **options)["quantile"].tolist()


def test_default_invert_puts_the_highest_value_in_quantile_1():
    data = pd.DataFrame({"value": range(1, 11)})
    # N = 10, Q = 5, r = rank of -value: value 10 -> r = 1 -> 6 - ceil(10/2) = 1;
    # value 1 -> r = 10 -> 6 - ceil(1/2) = 5
    assert q(data, quantiles=5) == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert q(data, quantiles=5, invert=False) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_uneven_split():
    # N = 7, Q = 3, invert = False: q = 4 - ceil((8 - r)*3/7)
    # r = 1..7 -> ceil(3, 2.57, 2.14, 1.71, 1.29, 0.86, 0.43) = 3,3,3,2,2,1,1 -> 1,1,1,2,2,3,3
    assert q(pd.DataFrame({"value": range(1, 8)}), quantiles=3, invert=False) == [
        1, 1, 1, 2, 2, 3, 3,
    ]  # fmt: skip


def test_ties_take_the_minimum_rank():
    data = pd.DataFrame({"value": [10, 20, 20, 30, 40]})
    # invert = False: ranks 1, 2, 2, 4, 5; q = 3 - ceil((6 - r)/2.5) -> 1, 1, 1, 2, 2
    assert q(data, quantiles=2, invert=False) == [1, 1, 1, 2, 2]
    # invert = True: ranks of -value 5, 3, 3, 2, 1 -> 2, 1, 1, 1, 1 (sizes can be unequal)
    assert q(data, quantiles=2) == [2, 1, 1, 1, 1]


def test_exact_arithmetic_at_a_boundary():
    # N = 388, Q = 20, value 98 has r = 98: (389 - 98)*20/388 = 5820/388 = 15 exactly,
    # so q = 21 - 15 = 6 (floating-point 291/(388/20) = 15.000000000000002 would give 5).
    out = q(pd.DataFrame({"value": range(1, 389)}), quantiles=20, invert=False)
    assert out[97] == 6


def test_missing_values_get_na_and_are_not_counted():
    data = pd.DataFrame({"value": [1.0, np.nan, 2.0, 3.0, 4.0]})
    out = quantile(data, quantiles=2, invert=False)["quantile"]
    assert str(out.dtype) == "Int64"
    # N = 4: values 1, 2 -> 1; 3, 4 -> 2
    assert out.isna().tolist() == [False, True, False, False, False]
    assert out.dropna().tolist() == [1, 1, 2, 2]


def test_per_group_and_too_few_values_warn():
    data = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 2, "value": [4, 3, 2, 1, 5, 6]})
    with pytest.warns(UserWarning, match=r"Fewer than 3 non-missing values in group \('b',\)"):
        out = quantile(data, quantiles=3, group_by="g", column="imd_q")
    # a: N = 4, Q = 3, -value ranks 1..4: 4 - ceil((5 - r)*3/4) = 1, 1, 2, 3
    assert out["imd_q"].iloc[:4].tolist() == [1, 1, 2, 3]
    assert out["imd_q"].iloc[4:].isna().all()
    assert list(out.columns) == ["g", "value", "imd_q"]


def test_invert_column_must_be_constant_within_a_group():
    data = pd.DataFrame(
        {"g": ["a", "a", "b", "b"], "value": [1, 2, 1, 2], "hi": [True, True, False, True]}
    )
    with pytest.raises(InputError, match=r"'hi' varies in group \('b',\)"):
        quantile(data, quantiles=2, group_by="g", invert="hi")
    data["hi"] = [True, True, False, False]
    assert q(data, quantiles=2, group_by="g", invert="hi") == [2, 1, 1, 2]


def test_bad_options():
    data = pd.DataFrame({"value": [1, 2]})
    with pytest.raises(InputError, match="whole number"):
        quantile(data, quantiles=2.5)
    with pytest.raises(InputError, match="at least 1"):
        quantile(data, quantiles=0)
    with pytest.raises(InputError, match=r"'value' must be numeric.*row 2"):
        quantile(pd.DataFrame({"value": ["1", "x"]}), quantiles=1)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(-1000, 1000), min_size=1, max_size=200, unique=True),
    st.integers(1, 12),
)
def test_distinct_values_split_evenly_and_in_order(values, quantiles):
    data = pd.DataFrame({"value": values})
    if len(values) < quantiles:
        with pytest.warns(UserWarning):
            assert quantile(data, quantiles=quantiles)["quantile"].isna().all()
        return
    out = quantile(data, quantiles=quantiles)
    sizes = out["quantile"].value_counts().reindex(range(1, quantiles + 1), fill_value=0)
    n = len(values)
    assert set(sizes) <= {n // quantiles, -(-n // quantiles)}
    ordered = out.sort_values("value", ascending=False)["quantile"].tolist()
    assert ordered == sorted(ordered)


def quintile_values():
    return pd.DataFrame(
        {
            "area": ["x"] * 5 + ["y"] * 5,
            "quantile": [1, 2, 3, 4, 5] * 2,
            "value": [90.0, 80, 70, 60, 30, 50, 45, 40, 35, 0],
        }
    )


def test_gap_between_most_and_least_deprived():
    out = gap(quintile_values(), group_by="area")
    assert list(out.columns) == [
        "area",
        "most_deprived_quantile",
        "least_deprived_quantile",
        "most_deprived_value",
        "least_deprived_value",
        "absolute_gap",
        "relative_gap",
    ]
    # x: 90 - 30 = 60, 90/30 = 3; y: 50 - 0 = 50, 50/0 undefined
    assert out["absolute_gap"].tolist() == [60.0, 50.0]
    assert out.loc[0, "relative_gap"] == pytest.approx(3.0)
    assert np.isnan(out.loc[1, "relative_gap"])
    assert out["most_deprived_quantile"].tolist() == [1, 1]
    assert out["least_deprived_quantile"].tolist() == [5, 5]


def test_gap_with_the_highest_quantile_most_deprived():
    out = gap(quintile_values(), group_by="area", most_deprived=5).iloc[0]
    # x: 30 - 90 = -60; 30/90 = 0.333333
    assert out["absolute_gap"] == -60.0
    assert out["relative_gap"] == pytest.approx(0.333333, abs=1e-6)
    assert (out["most_deprived_quantile"], out["least_deprived_quantile"]) == (5, 1)


def test_gap_missing_end_is_named():
    data = quintile_values().drop(index=9)
    with pytest.raises(InputError, match=r"Quantile 1 or 5 .* missing in group \('y',\)"):
        gap(data, group_by="area")
    # x now lacks quantile 1 and y quantile 5
    with pytest.raises(InputError, match=r"groups \('x',\), \('y',\)"):
        gap(data.iloc[1:], group_by="area", quantiles=5)


def test_gap_duplicates_and_bad_options():
    data = pd.concat([quintile_values(), quintile_values().iloc[[2]]])
    with pytest.raises(InputError, match=r"More than one row .* group \('x',\)"):
        gap(data, group_by="area")
    with pytest.raises(InputError, match=r"most_deprived must be 1 or 5"):
        gap(quintile_values(), group_by="area", most_deprived=3)


def test_gap_missing_value_gives_missing_gap_and_takes_quantile_output():
    data = quintile_values()
    data.loc[0, "value"] = np.nan
    out = gap(data, group_by="area")
    assert np.isnan(out.loc[0, "absolute_gap"])
    rows = pd.DataFrame({"value": [9.0, 7, 5, 3]})
    with_q = quantile(rows, quantiles=2)
    summary = with_q.groupby("quantile", as_index=False)["value"].mean()
    # quantile 1 = {9, 7} mean 8; quantile 2 = {5, 3} mean 4 -> gap 4, ratio 2
    result = gap(summary).iloc[0]
    assert (result["absolute_gap"], result["relative_gap"]) == (4.0, 2.0)
