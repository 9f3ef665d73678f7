"""mean(): Student's t limits (reference §3)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.errors import InputError
from inequalities.stats import mean


def test_mean_of_all_rows():
    data = pd.DataFrame({"value": [2, 4, 4, 4, 5, 5, 7, 9]})
    out = mean(data)
    assert list(out.columns) == [
        "value_sum",
        "value_count",
        "stdev",
        "value",
        "lower95",
        "upper95",
        "lower99_8",
        "upper99_8",
        "confidence",
        "method",
    ]
    row = out.iloc[0]
    # sum 40, k 8, mean 5; s = sqrt(32/7) = 2.138090; t_{0.975,7} = 2.364624;
    # half width = 2.364624 * 2.138090 / sqrt(8) = 1.787488; 99.8%: t_{0.999,7} = 4.785290,
    # half width 3.617339.
    assert row["value_sum"] == 40
    assert row["value_count"] == 8
    assert row["stdev"] == pytest.approx(2.138090, abs=1e-6)
    assert row["value"] == pytest.approx(5.0)
    assert row["lower95"] == pytest.approx(5 - 1.787488, abs=1e-6)
    assert row["upper95"] == pytest.approx(5 + 1.787488, abs=1e-6)
    assert row["lower99_8"] == pytest.approx(5 - 3.617339, abs=1e-6)
    assert row["upper99_8"] == pytest.approx(5 + 3.617339, abs=1e-6)
    assert row["method"] == "Student's t-distribution"


def test_grouped_means_and_small_groups():
    data = pd.DataFrame({"g": ["a", "a", "a", "b"], "value": [1, 2, 6, 4]})
    out = mean(data, group_by="g", confidence=0.9)
    # a: mean 3, s = sqrt(7) = 2.645751, t_{0.95,2} = 2.919986, half = 4.460352
    assert out.loc[0, "value"] == pytest.approx(3.0)
    assert out.loc[0, "lower90"] == pytest.approx(3 - 4.460352, abs=1e-6)
    assert out.loc[0, "upper90"] == pytest.approx(3 + 4.460352, abs=1e-6)
    # b: one value, no SD, no limits, but a mean
    assert out.loc[1, "value"] == 4.0
    assert np.isnan(out.loc[1, "stdev"])
    assert np.isnan(out.loc[1, "lower90"])
    assert out.loc[1, "value_count"] == 1


def test_identical_values_have_zero_width():
    out = mean(pd.DataFrame({"value": [3.5, 3.5, 3.5]}))
    assert out.loc[0, "lower95"] == out.loc[0, "upper95"] == 3.5


def test_missing_value_makes_its_group_missing():
    data = pd.DataFrame({"g": ["a", "a", "b", "b"], "value": [1, np.nan, 2, 4]})
    out = mean(data, group_by="g")
    assert np.isnan(out.loc[0, "value"])
    assert np.isnan(out.loc[0, "lower95"])
    assert out.loc[0, "value_count"] == 2
    assert out.loc[1, "value"] == 3.0


def test_text_in_values_names_rows():
    with pytest.raises(InputError, match=r"'score' must be numeric.*row 2\."):
        mean(pd.DataFrame({"score": ["1.5", "high", "3"]}), value="score")
    with pytest.raises(InputError, match=r"Column 'value' is missing"):
        mean(pd.DataFrame({"score": [1]}))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("xyz"), st.floats(-1e6, 1e6, allow_nan=False)),
        min_size=2,
        max_size=40,
    )
)
def test_grouping_equals_each_group_alone_and_limits_contain_the_mean(rows):
    data = pd.DataFrame(rows, columns=["g", "value"])
    grouped = mean(data, group_by="g").set_index("g")
    for name, part in data.groupby("g"):
        alone = mean(part[["value"]]).iloc[0]
        got = grouped.loc[name]
        for column in ["value", "lower95", "upper95", "lower99_8", "upper99_8"]:
            assert got[column] == pytest.approx(alone[column], rel=1e-9, abs=1e-6, nan_ok=True)
        if len(part) > 1:
            tol = 1e-6 * max(1.0, abs(got["value"]))
            assert got["lower99_8"] <= got["lower95"] + tol
            assert got["lower95"] <= got["value"] + tol <= got["upper95"] + 2 * tol
            assert got["upper95"] <= got["upper99_8"] + tol
