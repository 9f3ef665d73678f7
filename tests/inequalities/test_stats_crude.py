"""proportion() and rate(): Wilson and exact/Byar's limits on frames (reference §1, §2)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.errors import InputError
from inequalities.stats import proportion, rate

COLUMNS = ["value", "lower95", "upper95", "lower99_8", "upper99_8", "confidence", "method"]


def frame():
    return pd.DataFrame(
        {"area": ["a", "a", "b"], "numerator": [8, 2, 5], "denominator": [20, 30, 10]}
    )


def test_proportion_per_row_keeps_the_input_columns():
    out = proportion(frame())
    assert list(out.columns) == ["area", "numerator", "denominator", *COLUMNS]
    # 8/20: Wilson 95% (0.218807, 0.613418), 99.8% (0.151951, 0.712683) - see test_stats_limits
    first = out.iloc[0]
    assert first["value"] == pytest.approx(0.4)
    assert first["lower95"] == pytest.approx(0.218807, abs=1e-6)
    assert first["upper95"] == pytest.approx(0.613418, abs=1e-6)
    assert first["lower99_8"] == pytest.approx(0.151951, abs=1e-6)
    assert first["upper99_8"] == pytest.approx(0.712683, abs=1e-6)
    assert first["confidence"] == "95%, 99.8%"
    assert first["method"] == "Wilson"


def test_proportion_grouped_sums_then_computes_as_percentage():
    out = proportion(frame(), group_by="area", multiplier=100)
    assert list(out.columns) == ["area", "numerator", "denominator", *COLUMNS]
    assert out["area"].tolist() == ["a", "b"]
    assert out["numerator"].tolist() == [10, 5]
    assert out["denominator"].tolist() == [50, 10]
    # a: 10/50. z^2 = 3.841459; 2x + z^2 = 23.841459; z*sqrt(3.841459 + 40*0.8) = 11.733861;
    # 2(50 + z^2) = 107.682918 -> L = 0.112438, U = 0.330371 (x 100).
    a = out.iloc[0]
    assert a["value"] == pytest.approx(20.0)
    assert a["lower95"] == pytest.approx(11.2438, abs=1e-4)
    assert a["upper95"] == pytest.approx(33.0371, abs=1e-4)
    # 99.8%: (8.08590, 41.5359)
    assert a["lower99_8"] == pytest.approx(8.08590, abs=1e-4)
    assert a["upper99_8"] == pytest.approx(41.5359, abs=1e-4)


def test_proportion_single_level_names_its_columns():
    out = proportion(frame(), confidence=90, group_by=["area"])
    # b: 5/10 at 90% (z = 1.644854): L = 0.269272, U = 0.730728
    assert list(out.columns)[3:] == ["value", "lower90", "upper90", "confidence", "method"]
    assert out.loc[1, "lower90"] == pytest.approx(0.269272, abs=1e-6)
    assert out.loc[1, "upper90"] == pytest.approx(0.730728, abs=1e-6)
    assert out.loc[1, "confidence"] == "90%"


def test_proportion_edges_zero_all_and_confidence_one():
    data = pd.DataFrame({"numerator": [0, 20], "denominator": [20, 20]})
    out = proportion(data)
    assert out.loc[0, "lower95"] == 0.0
    assert out.loc[1, "upper95"] == 1.0
    out = proportion(data, confidence=1, multiplier=100)
    assert out["lower100"].tolist() == [0.0, 0.0]
    assert out["upper100"].tolist() == [100.0, 100.0]


def test_proportion_allows_non_integer_numerators():
    out = proportion(pd.DataFrame({"numerator": [2.5], "denominator": [10]}))
    assert out.loc[0, "value"] == pytest.approx(0.25)
    assert out.loc[0, "lower95"] < 0.25 < out.loc[0, "upper95"]


def test_proportion_numerator_above_denominator_names_rows():
    data = pd.DataFrame({"numerator": [1, 5, 3, 9], "denominator": [2, 4, 3, 8]})
    with pytest.raises(
        InputError, match=r"'numerator' is greater than 'denominator' in rows 2 and 4"
    ):
        proportion(data)


def test_negative_and_zero_counts_name_rows():
    with pytest.raises(InputError, match=r"'numerator' is negative in row 3\."):
        proportion(pd.DataFrame({"numerator": [1, 2, -1], "denominator": [5, 5, 5]}))
    with pytest.raises(InputError, match=r"'denominator' is zero or negative in rows 1 and 2"):
        rate(pd.DataFrame({"numerator": [1, 2, 3], "denominator": [0, -5, 5]}))


def test_missing_column_and_text_are_reported():
    with pytest.raises(InputError, match=r"Column 'deaths' is missing"):
        rate(frame(), numerator="deaths")
    with pytest.raises(InputError, match=r"Column 'region' is missing"):
        proportion(frame(), group_by="region")
    text = frame().assign(numerator=["8", "two", "n/a"])
    with pytest.raises(InputError, match=r"'numerator' must be numeric.*'two'.*rows 2 and 3"):
        proportion(text)


def test_numeric_text_is_accepted():
    out = proportion(frame().assign(numerator=["8", "2", "5"]))
    assert out["value"].tolist() == pytest.approx([0.4, 2 / 30, 0.5])


def test_missing_inputs_give_missing_results():
    data = pd.DataFrame(
        {"g": ["a", "a", "b"], "numerator": [1.0, np.nan, 2.0], "denominator": [5, 5, np.nan]}
    )
    per_row = rate(data)
    assert per_row["value"].isna().tolist() == [False, True, True]
    assert per_row["lower95"].isna().tolist() == [False, True, True]
    assert per_row["method"].tolist()[0] == "Exact"
    assert per_row["method"].isna().tolist() == [False, True, True]
    grouped = proportion(data, group_by="g")
    assert grouped["value"].isna().all()


def test_rate_exact_below_ten_byars_from_ten():
    out = rate(frame(), group_by="area")
    # a: O = 10, n = 50, Byar's (4.787450, 18.391459) / 50 * 1e5 = (9574.90, 36782.92)
    # b: O = 5, n = 10, exact (chi2_{.025}(10)/2 = 1.623486, chi2_{.975}(12)/2 = 11.668332)
    #    / 10 * 1e5 = (16234.86, 116683.32); 99.8%: (0.739372, 16.454745) -> (7393.72, 164547.45)
    assert out["value"].tolist() == pytest.approx([20_000.0, 50_000.0])
    assert out["method"].tolist() == ["Byars", "Exact"]
    assert out["lower95"].tolist() == pytest.approx([9574.90, 16234.86], abs=0.01)
    assert out["upper95"].tolist() == pytest.approx([36782.92, 116683.32], abs=0.01)
    assert out.loc[1, "lower99_8"] == pytest.approx(7393.72, abs=0.01)
    assert out.loc[1, "upper99_8"] == pytest.approx(164547.45, abs=0.01)


def test_rate_numerator_above_denominator_is_legal_and_zero_is_exact():
    data = pd.DataFrame({"numerator": [30, 0], "denominator": [10, 1000]})
    out = rate(data, multiplier=1000)
    # O = 30: Byar's (20.236939, 42.828372) / 10 * 1000 = (2023.69, 4282.84)
    assert out.loc[0, "value"] == pytest.approx(3000.0)
    assert out.loc[0, "lower95"] == pytest.approx(2023.69, abs=0.01)
    assert out.loc[0, "upper95"] == pytest.approx(4282.84, abs=0.01)
    # O = 0: (0, 3.688879 / 1000 * 1000) = (0, 3.688879)
    assert out.loc[1, "lower95"] == 0.0
    assert out.loc[1, "upper95"] == pytest.approx(3.688879, abs=1e-6)


def test_bad_options_are_input_errors():
    with pytest.raises(InputError, match="multiplier"):
        rate(frame(), multiplier=0)
    with pytest.raises(InputError, match=r"outside 0\.9 to 1"):
        proportion(frame(), confidence=0.5)


def test_group_column_may_not_clash_with_a_result_column():
    with pytest.raises(InputError, match="'method'"):
        rate(frame().rename(columns={"area": "method"}), group_by="method")


def test_missing_group_keys_are_kept_as_their_own_group():
    data = frame().assign(area=["a", None, None])
    out = proportion(data, group_by="area")
    assert len(out) == 2
    assert out["numerator"].tolist() == [8, 7]


counts = st.lists(
    st.tuples(st.sampled_from("pqr"), st.integers(0, 500), st.integers(1, 500)),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_grouping_equals_computing_each_group_alone(rows):
    data = pd.DataFrame(
        [(g, min(x, n), n) for g, x, n in rows], columns=["g", "numerator", "denominator"]
    )
    for function in (proportion, rate):
        grouped = function(data, group_by="g").set_index("g")
        for name, part in data.groupby("g"):
            totals = pd.DataFrame(
                {"numerator": [part["numerator"].sum()], "denominator": [part["denominator"].sum()]}
            )
            alone = function(totals).iloc[0]
            for column in ["value", "lower95", "upper95", "lower99_8", "upper99_8"]:
                assert grouped.loc[name, column] == pytest.approx(alone[column], rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 10_000), st.floats(0.5, 1000))
def test_limits_contain_the_value_and_widen(x, extra, multiplier):
    data = pd.DataFrame({"numerator": [x], "denominator": [x + extra]})
    for function in (proportion, rate):
        out = function(data, multiplier=multiplier).iloc[0]
        tol = 1e-9 * max(1.0, out["value"])
        assert out["lower99_8"] <= out["lower95"] + tol
        assert out["lower95"] <= out["value"] + tol
        assert out["value"] <= out["upper95"] + tol
        assert out["upper95"] <= out["upper99_8"] + tol


def test_nullable_and_arrow_backed_numbers_are_read():
    data = pd.DataFrame(
        {
            "numerator": pd.array([8, pd.NA], dtype="Int64"),
            "denominator": pd.array([20, 10], dtype="int64[pyarrow]"),
        }
    )
    out = proportion(data)
    assert out.loc[0, "lower95"] == pytest.approx(0.218807, abs=1e-6)
    assert np.isnan(out.loc[1, "value"])


def test_true_false_columns_are_refused():
    with pytest.raises(InputError, match=r"'numerator' holds true/false values"):
        proportion(pd.DataFrame({"numerator": [True], "denominator": [2]}))
