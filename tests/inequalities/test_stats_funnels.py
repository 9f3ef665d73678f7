"""funnel() significance and funnel_limits() curves (reference §9)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.confidence import z_value
from inequalities.errors import InputError
from inequalities.stats import funnel, funnel_limits, wilson_limits

NS = "Not significant"


def test_proportion_labels_each_band():
    # p-bar = 1000/2000 = 0.5; at n = 400, SE = sqrt(0.25/400) = 0.025
    # 95%: 0.5 -/+ 1.959964*0.025 = (0.451001, 0.548999); 99.8%: -/+ 0.077256 = (0.422744, 0.577256)
    # p = 0.42, 0.44, 0.50, 0.56, 0.58
    data = pd.DataFrame({"numerator": [168, 176, 200, 224, 232], "denominator": 400})
    out = funnel(data)
    assert out["significance"].tolist() == [
        "Low (0.001)",
        "Low (0.025)",
        NS,
        "High (0.025)",
        "High (0.001)",
    ]
    assert out["baseline"].tolist() == pytest.approx([50.0] * 5)
    assert list(out.columns) == ["numerator", "denominator", "baseline", "significance"]


def test_proportion_baseline_is_per_group_and_missing_rows_are_skipped():
    data = pd.DataFrame(
        {
            "g": ["a", "a", "b", "b", "b"],
            "numerator": [10, 30, 5, 5, np.nan],
            "denominator": [100, 100, 50, 50, 50],
        }
    )
    out = funnel(data, group_by="g", multiplier=1)
    assert out["baseline"].tolist() == pytest.approx([0.2, 0.2, 0.1, 0.1, 0.1])
    assert out["significance"].iloc[2:4].tolist() == [NS, NS]
    assert out["significance"].isna().tolist() == [False] * 4 + [True]


def test_proportion_validation_names_rows():
    with pytest.raises(InputError, match=r"'numerator' is greater than 'denominator' in row 2"):
        funnel(pd.DataFrame({"numerator": [1, 5], "denominator": [2, 4]}))
    with pytest.raises(InputError, match=r"Option kind must be one of .*, not 'odds'"):
        funnel(pd.DataFrame({"numerator": [1], "denominator": [2]}), kind="odds")


def test_ratio_records():
    data = pd.DataFrame({"numerator": [3, 30, 50, 0, 0, 40], "expected": [10, 20, 50, 2, 5, 10]})
    out = funnel(data, kind="ratio", expected="expected")
    # O=3, E=10: exact U95 8.767273/10 = 0.877 < 1, U99.8 13.062241/10 = 1.306 -> Low (0.025)
    # O=30, E=20: Byar's L95 20.236939/20 = 1.012 > 1, L99.8 15.838985/20 = 0.792 -> High (0.025)
    # O=50, E=50: not significant; O=0, E=2: U95 3.688879/2 = 1.844 -> not significant
    # O=0, E=5: U95 0.737776 < 1, U99.8 6.907755/5 = 1.382 -> Low (0.025)
    # O=40, E=10: Byar's L99.8 23.233198/10 = 2.323 > 1 -> High (0.001)
    assert out["significance"].tolist() == [
        "Low (0.025)",
        "High (0.025)",
        NS,
        NS,
        "Low (0.025)",
        "High (0.001)",
    ]
    with pytest.raises(InputError, match=r"'expected' is zero or negative in row 2\."):
        funnel(data.assign(expected=[1, 0, 1, 1, 1, 1]), kind="ratio", expected="expected")


def rates():
    return pd.DataFrame(
        {
            "numerator": [3, 30, 50, 120, 0],
            "rate": [30.0, 300, 250, 600, 0],
            "denominator": [10_000, 10_000, 20_000, 20_000, 5_000],
        }
    )


def test_crude_rate_records():
    out = funnel(rates(), kind="rate", rate="rate", years_of_data=5)
    # d = 1e5*O/rate = 10000, 10000, 20000, 20000; O = 0 takes its denominator 5000
    # r-bar = 203/65000 = 0.00312308 -> baseline 312.3077 per 100,000
    # O=3: exact U99.8 13.062241/10000 = 0.001306 < r-bar -> Low (0.001)
    # O=30: Byar's (20.236939, 42.828372)/10000 contains r-bar; O=50: (37.1081, 65.9202)/20000
    # O=120: Byar's L99.8 88.958293/20000 = 0.004448 > r-bar -> High (0.001)
    # O=0: U99.8 6.907755/5000 = 0.001382 < r-bar -> Low (0.001)
    assert out["baseline"].tolist() == pytest.approx([312.3077] * 5, abs=1e-4)
    assert out["significance"].tolist() == ["Low (0.001)", NS, NS, "High (0.001)", "Low (0.001)"]
    assert out["denominator_derived"].tolist() == pytest.approx([2000, 2000, 4000, 4000, 1000])


def test_dsr_records_below_ten_are_not_applicable():
    out = funnel(rates().drop(columns="denominator"), kind="rate", rate="rate", rate_type="dsr")
    # O = 0 has no derived denominator: r-bar = 203/60000 -> 338.3333
    assert out["baseline"].tolist() == pytest.approx([338.3333] * 5, abs=1e-4)
    assert out["significance"].tolist() == [
        "Not applicable for events less than 10 for dsrs",
        NS,
        "Low (0.025)",
        "High (0.001)",
        "Not applicable for events less than 10 for dsrs",
    ]
    assert np.isnan(out["denominator_derived"].iloc[0])


def test_rate_inputs_are_checked():
    with pytest.raises(InputError, match=r"Column 'denominator' is missing"):
        funnel(rates().drop(columns="denominator"), kind="rate", rate="rate")
    with pytest.raises(
        InputError, match=r"'rate' is zero or negative where there are events in row 2"
    ):
        funnel(rates().assign(rate=[30.0, 0, 250, 600, 0]), kind="rate", rate="rate")
    with pytest.raises(InputError, match=r"\(rate_type 'dsr'\) need option rate naming"):
        funnel(rates(), kind="rate", rate_type="dsr")
    crude = funnel(rates(), kind="rate")  # crude rates without a rate column use d = n
    assert crude["baseline"].iloc[0] == pytest.approx(203 / 65_000 * 1e5)


def test_proportion_limit_curves():
    out = funnel_limits("proportion", denominators=[1, 400], baseline=50)
    assert list(out.columns) == [
        "denominator", "baseline", "lower95", "upper95", "lower99_8", "upper99_8",
    ]  # fmt: skip
    # n = 400: 50 -/+ 4.89991 and -/+ 7.72558; n = 1: 0.5 -/+ 0.98 is clamped to (0, 100)
    assert out.loc[1, ["lower95", "upper95"]].tolist() == pytest.approx(
        [45.1001, 54.8999], abs=1e-4
    )
    assert out.loc[1, "lower99_8"] == pytest.approx(42.2744, abs=1e-4)
    assert out.loc[0, ["lower95", "upper95"]].tolist() == [0.0, 100.0]


def test_ratio_limit_curves_pass_through_phe_points():
    # PHE's curve for O = 3: lower at E = U95(3) = 8.767273 is 3/8.767273 = 0.342182;
    # upper at E = L95(3) = 0.618672 is 3/0.618672 = 4.849095
    out = funnel_limits("ratio", denominators=[8.767273, 0.618672])
    assert out.loc[0, "lower95"] == pytest.approx(0.342182, abs=1e-5)
    assert out.loc[1, "upper95"] == pytest.approx(4.849095, abs=1e-4)
    isr_scale = funnel_limits("ratio", denominators=[8.767273], ratio_type="isr")
    assert isr_scale.loc[0, "lower95"] == pytest.approx(34.2182, abs=1e-3)
    assert isr_scale.loc[0, "baseline"] == 100
    count = funnel_limits("ratio", denominators=[8.767273], ratio_type="count")
    assert count.loc[0, "lower95"] == pytest.approx(0.342182 - 1, abs=1e-5)


def test_rate_limit_curves_and_years_of_data():
    # r-bar = 200 per 1e5 = 0.002. O = 20: U95(20) = chi2_{.975}(42)/2 = 30.888378, reached
    # at population 30.888378/0.002 = 15444.19 -> lower curve 20/15444.19*1e5 = 129.4985.
    # Over 2 years the yearly axis value is 7722.09 for the same point.
    one = funnel_limits("rate", denominators=[15444.19], baseline=200)
    two = funnel_limits("rate", denominators=[7722.095], baseline=200, years_of_data=2)
    assert one.loc[0, "lower95"] == pytest.approx(129.4985, abs=1e-3)
    assert two.loc[0, "lower95"] == pytest.approx(129.4985, abs=1e-3)
    # O = 20: L99.8(20) = chi2_{.001}(40)/2 = 8.958213 at 4479.107 -> upper 446.5176
    assert funnel_limits("rate", denominators=[4479.107], baseline=200).loc[
        0, "upper99_8"
    ] == pytest.approx(446.5176, abs=1e-3)


def test_limit_options_are_checked():
    with pytest.raises(InputError, match="baseline"):
        funnel_limits("rate", denominators=[10])
    with pytest.raises(InputError, match="positive"):
        funnel_limits("ratio", denominators=[0, 1])


@settings(max_examples=80, deadline=None)
@given(st.floats(0.01, 0.99), st.integers(5, 100_000))
def test_proportion_limits_are_where_the_wilson_interval_touches_the_baseline(p, n):
    # The x/n whose Wilson interval just reaches p-bar (reference §9).
    out = funnel_limits("proportion", denominators=[n], baseline=p, multiplier=1).iloc[0]
    for level in (0.95, 0.998):
        suffix = "95" if level == 0.95 else "99_8"
        lower, upper = out[f"lower{suffix}"], out[f"upper{suffix}"]
        z = z_value(level)
        if lower > 0:
            assert wilson_limits(lower * n, n, z)[1] == pytest.approx(p, rel=1e-9)
        if upper < 1:
            assert wilson_limits(upper * n, n, z)[0] == pytest.approx(p, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.5, 1e6), min_size=2, max_size=20), st.sampled_from(["ratio", "rate"]))
def test_curves_narrow_as_the_denominator_grows_and_99_8_is_wider(xs, kind):
    xs = np.sort(np.asarray(xs))
    out = funnel_limits(kind, denominators=xs, baseline=300)
    centre = out["baseline"].to_numpy()
    assert np.all(out["lower99_8"] <= out["lower95"] + 1e-9)
    assert np.all(out["lower95"] <= centre + 1e-9)
    assert np.all(centre <= out["upper95"] + 1e-9)
    assert np.all(out["upper95"] <= out["upper99_8"] + 1e-9)
    assert np.all(np.diff(out["upper95"]) <= 1e-9 * out["upper95"].to_numpy()[:-1])
