"""isr(): indirectly standardised ratios and rates (reference §5)."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inequalities.errors import InputError
from inequalities.stats import isr

LIMITS = ["lower95", "upper95", "lower99_8", "upper99_8"]


def areas():
    # reference band rates: 100/100000 = 0.001, 400/100000 = 0.004, 900/50000 = 0.018
    return pd.DataFrame(
        {
            "area": ["a"] * 3 + ["b"] * 3,
            "numerator": [3, 10, 30, 1, 1, 2],
            "denominator": [1000, 2000, 1500, 500, 500, 500],
            "ref_numerator": [100, 400, 900] * 2,
            "ref_denominator": [100_000, 100_000, 50_000] * 2,
        }
    )


def test_ratio_by_area():
    out = isr(areas(), group_by="area")
    assert list(out.columns) == [
        "area", "observed", "expected", "value", *LIMITS, "confidence", "method",
    ]  # fmt: skip
    # a: E = 0.001*1000 + 0.004*2000 + 0.018*1500 = 1 + 8 + 27 = 36; O = 43; ratio 1.194444
    #    Byar's O = 43: (31.116171, 57.922152) / 36 = (0.864338, 1.608949)
    # b: E = 0.5 + 2 + 9 = 11.5; O = 4; ratio 0.347826
    #    exact O = 4: (chi2_{.025}(8)/2 = 1.089865, chi2_{.975}(10)/2 = 10.241589) / 11.5
    #    = (0.094771, 0.890573)
    assert out["observed"].tolist() == [43, 4]
    assert out["expected"].tolist() == pytest.approx([36.0, 11.5])
    assert out["value"].tolist() == pytest.approx([1.194444, 0.347826], abs=1e-6)
    assert out["lower95"].tolist() == pytest.approx([0.864338, 0.094771], abs=1e-6)
    assert out["upper95"].tolist() == pytest.approx([1.608949, 0.890573], abs=1e-6)
    assert out["method"].tolist() == ["Byars", "Exact"]


def test_ratio_refvalue_100_scales_everything():
    out = isr(areas(), group_by="area", refvalue=100)
    # a at 99.8%: Byar's O = 43 (25.516384, 67.402306) / 36 * 100 = (70.878843, 187.228628)
    assert out.loc[0, "value"] == pytest.approx(119.4444, abs=1e-4)
    assert out.loc[0, "lower99_8"] == pytest.approx(70.878843, abs=1e-6)
    assert out.loc[0, "upper99_8"] == pytest.approx(187.228628, abs=1e-6)


def test_rate_uses_the_reference_rate():
    out = isr(areas(), group_by="area", kind="rate")
    assert "reference_rate" in out.columns
    # R_ref = (100 + 400 + 900) / (100000 + 100000 + 50000) * 1e5 = 1400/250000*1e5 = 560
    # a: 43/36 * 560 = 668.8889; limits (0.864338, 1.608949) * 560 = (484.0293, 901.0112)
    assert out["reference_rate"].tolist() == pytest.approx([560.0, 560.0])
    assert out.loc[0, "value"] == pytest.approx(668.8889, abs=1e-4)
    assert out.loc[0, "lower95"] == pytest.approx(484.0293, abs=1e-4)
    assert out.loc[0, "upper95"] == pytest.approx(901.0112, abs=1e-4)


def test_missing_counts_and_zero_populations_count_as_zero():
    data = areas().iloc[3:].astype({"numerator": float, "denominator": float})
    data["numerator"] = [np.nan, 0, 0]
    data["denominator"] = [0, np.nan, 500]
    out = isr(data).iloc[0]
    # E = 0.018 * 500 = 9; O = 0; exact upper 3.688879 / 9 = 0.409875
    assert out["observed"] == 0
    assert out["expected"] == pytest.approx(9.0)
    assert out["value"] == 0.0
    assert out["lower95"] == 0.0
    assert out["upper95"] == pytest.approx(0.409875, abs=1e-6)


def test_no_expected_events_gives_missing_results():
    data = areas().iloc[:1].assign(denominator=0)
    out = isr(data).iloc[0]
    assert out["expected"] == 0
    assert np.isnan(out["value"]) and np.isnan(out["upper95"])


def test_invalid_inputs_name_rows():
    with pytest.raises(InputError, match=r"'ref_denominator' is zero or negative in row 5"):
        isr(areas().assign(ref_denominator=[1, 1, 1, 1, 0, 1]))
    with pytest.raises(InputError, match=r"'ref_denominator' is missing in row 1"):
        isr(areas().assign(ref_denominator=[np.nan, 1, 1, 1, 1, 1]))
    with pytest.raises(InputError, match=r"'numerator' is negative in row 2"):
        isr(areas().assign(numerator=[0, -1, 0, 0, 0, 0]))
    with pytest.raises(InputError, match=r"Option kind must be one of 'ratio', 'rate', not 'smr'"):
        isr(areas(), kind="smr")
    with pytest.raises(InputError, match=r"Column 'ref_numerator' is missing"):
        isr(areas().drop(columns="ref_numerator"))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("uvw"), st.integers(0, 300), st.integers(0, 5000)),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from(["ratio", "rate"]),
)
def test_grouping_equals_each_group_alone_and_limits_contain_the_value(rows, kind):
    data = pd.DataFrame(rows, columns=["g", "numerator", "denominator"])
    data["ref_numerator"] = 50
    data["ref_denominator"] = 10_000
    grouped = isr(data, group_by="g", kind=kind).set_index("g")
    for name, part in data.groupby("g"):
        alone = isr(part.drop(columns="g"), kind=kind).iloc[0]
        row = grouped.loc[name]
        for column in ["value", *LIMITS]:
            assert row[column] == pytest.approx(alone[column], rel=1e-12, nan_ok=True)
        if row["expected"] > 0:
            assert row["lower99_8"] <= row["lower95"] <= row["value"] <= row["upper95"]
            assert row["upper95"] <= row["upper99_8"]
