"""Slope and relative index of inequality (methods reference §7.3).

PHEindicatormethods ``phe_sii``; Low & Low (2004) J Public Health 26:388-95. Point estimates
are checked against weighted least squares worked by hand; the simulated limits against the
closed-form normal quantiles of a linear slope, and against PHE's simulation written out the
slow way (one least-squares fit per draw) from the same normal draws.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inequalities.errors import InputError
from inequalities.stats.sii import _order_statistics, sii

Z95 = 1.959963984540054  # qnorm(0.975)
Z998 = 3.090232306167813  # qnorm(0.999)
E = math.e


def table(
    values,
    *,
    populations=None,
    se=None,
    lower=None,
    upper=None,
    labels=None,
    group=None,
):
    """One group's quantile rows; limits default to value -/+ 1 (an SE of 1 / 1.96)."""
    values = np.asarray(values, dtype=float)
    n = values.size
    frame = pd.DataFrame(
        {
            "quantile": list(range(1, n + 1)) if labels is None else labels,
            "population": [1000.0] * n if populations is None else populations,
            "value": values,
        }
    )
    if se is not None:
        frame["se"] = se
    else:
        frame["lower95"] = values - 1 if lower is None else lower
        frame["upper95"] = values + 1 if upper is None else upper
    if group is not None:
        frame.insert(0, "area", group)
    return frame


# --- point estimates worked by hand ---------------------------------------------------------


def test_equal_quintiles_identity_hand_computed():
    # Five quintiles of equal population: a = 0.2 each, b = 0.1, 0.3, 0.5, 0.7, 0.9.
    # Weighted mean rank 0.5; b - 0.5 = -0.4, -0.2, 0, 0.2, 0.4; sum a (b - 0.5)^2 = 0.08.
    # y = 10, 12, 14, 16, 18: sum a (b - 0.5) y = 0.2 (-4 - 2.4 + 0 + 3.2 + 7.2) = 0.8,
    # so slope = 0.8 / 0.08 = 10; weighted mean y = 14, intercept = 14 - 10 * 0.5 = 9.
    # RII = (9 + 10) / 9.
    result = sii(table([10, 12, 14, 16, 18]), seed=1)
    row = result.iloc[0]
    assert row["sii"] == pytest.approx(10.0, rel=1e-12)
    assert row["intercept"] == pytest.approx(9.0, rel=1e-12)
    assert row["rii"] == pytest.approx(19 / 9, rel=1e-12)
    assert row["quantiles"] == 5
    assert row["confidence"] == "95%, 99.8%"
    assert list(result.columns) == [
        "sii",
        "sii_lower95",
        "sii_upper95",
        "sii_lower99_8",
        "sii_upper99_8",
        "rii",
        "rii_lower95",
        "rii_upper95",
        "rii_lower99_8",
        "rii_upper99_8",
        "intercept",
        "quantiles",
        "confidence",
    ]


def test_unequal_populations_hand_computed():
    # Populations 100, 200, 300, 200, 200: a = 0.1, 0.2, 0.3, 0.2, 0.2; cumulative share
    # before each = 0, 0.1, 0.3, 0.6, 0.8, so b = 0.05, 0.2, 0.45, 0.7, 0.9 (mean 0.5).
    # b - 0.5 = -0.45, -0.3, -0.05, 0.2, 0.4; sum a (b - 0.5)^2
    #   = 0.02025 + 0.018 + 0.00075 + 0.008 + 0.032 = 0.079.
    # y = 1..5: sum a (b - 0.5) y = -0.045 - 0.12 - 0.045 + 0.16 + 0.4 = 0.35,
    # slope = 0.35 / 0.079 = 350 / 79; mean y = 0.1 + 0.4 + 0.9 + 0.8 + 1.0 = 3.2,
    # intercept = 3.2 - 175 / 79 = 77.8 / 79; RII = (77.8 + 350) / 77.8.
    frame = table([1, 2, 3, 4, 5], populations=[100, 200, 300, 200, 200])
    row = sii(frame, seed=1).iloc[0]
    assert row["sii"] == pytest.approx(350 / 79, rel=1e-12)
    assert row["intercept"] == pytest.approx(77.8 / 79, rel=1e-12)
    assert row["rii"] == pytest.approx(427.8 / 77.8, rel=1e-12)


def test_rate_log_transform_hand_computed():
    # Rates 100 * 2^b at b = 0.1 ... 0.9 (equal populations): log rate = log 100 + b log 2
    # exactly, so the fit on the log scale has intercept log 100 and slope log 2.
    # SII = exp(log 100 + log 2) - exp(log 100) = 200 - 100; RII = 200 / 100;
    # intercept = exp(log 100) * |m|.
    b = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    rates = 100 * 2**b
    frame = table(rates, lower=rates * 0.9, upper=rates * 1.1)
    row = sii(frame, value_type=1, transform=True, seed=1).iloc[0]
    assert row["sii"] == pytest.approx(100.0, rel=1e-12)
    assert row["rii"] == pytest.approx(2.0, rel=1e-12)
    assert row["intercept"] == pytest.approx(100.0, rel=1e-12)

    scaled = sii(frame, value_type=1, transform=True, multiplier=-2, seed=1).iloc[0]
    assert scaled["sii"] == pytest.approx(-200.0, rel=1e-12)
    assert scaled["rii"] == pytest.approx(0.5, rel=1e-12)
    assert scaled["intercept"] == pytest.approx(200.0, rel=1e-12)  # g^-1(beta0) * |m|


def test_rate_without_transform_fits_the_rates_themselves():
    # transform=False fits y itself. With equal quintiles the slope weights
    # a (b - 0.5) / 0.08 are -1, -0.5, 0, 0.5, 1, so
    # SII = 100 (-2^0.1 - 0.5 * 2^0.3 + 0.5 * 2^0.7 + 2^0.9); intercept = mean y - SII / 2.
    b = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    rates = 100 * 2**b
    slope = 100 * (-(2**0.1) - 0.5 * 2**0.3 + 0.5 * 2**0.7 + 2**0.9)
    intercept = rates.mean() - slope / 2
    frame = table(rates, lower=rates * 0.9, upper=rates * 1.1)
    row = sii(frame, value_type=1, seed=1).iloc[0]
    assert row["sii"] == pytest.approx(slope, rel=1e-12)
    assert row["intercept"] == pytest.approx(intercept, rel=1e-12)
    assert row["rii"] == pytest.approx((intercept + slope) / intercept, rel=1e-12)


def test_proportion_logit_transform_hand_computed():
    # logit p = logit 0.2 + b exactly, so the logit-scale fit has intercept logit 0.2 = -log 4
    # and slope 1. Back-transformed: p(1) = expit(1 - log 4) = e / (4 + e), p(0) = 0.2.
    b = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    p = 1 / (1 + 4 * np.exp(-b))
    frame = table(p, lower=p * 0.8, upper=p * 1.2)
    row = sii(frame, value_type=2, transform=True, multiplier=100, seed=1).iloc[0]
    top = E / (4 + E)
    assert row["sii"] == pytest.approx((top - 0.2) * 100, rel=1e-12)
    assert row["rii"] == pytest.approx(top / 0.2, rel=1e-12)
    assert row["intercept"] == pytest.approx(0.2 * 100, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    populations=st.lists(st.floats(1, 1e6), min_size=5, max_size=10),
    intercept=st.floats(-50, 50),
    slope=st.floats(-50, 50),
)
def test_exactly_linear_values_give_their_line(populations, intercept, slope):
    # Whatever the populations, values lying on y = alpha + beta b at the relative ranks
    # b (midpoints of the cumulative population shares) are fitted exactly.
    pops = np.array(populations)
    shares = pops / pops.sum()
    ranks = np.cumsum(shares) - shares / 2
    values = intercept + slope * ranks
    frame = table(values, populations=pops, se=np.ones(pops.size))
    row = sii(frame, se="se", draws=1000, seed=3).iloc[0]
    tolerance = 1e-9 * (1 + abs(slope) + abs(intercept))
    assert row["sii"] == pytest.approx(slope, abs=tolerance)
    assert row["intercept"] == pytest.approx(intercept, abs=tolerance)


def test_quantile_labels_sort_numerically():
    # Labels "1".."10" as text, shuffled. Numerically, decile i has b = (i - 0.5) / 10
    # (equal populations) and value i = 10 b + 0.5, so SII = 10 and RII = 10.5 / 0.5.
    # Sorting the text would put "10" second and give a different line.
    labels = [str(i) for i in range(1, 11)]
    frame = table(np.arange(1.0, 11.0), labels=labels).sample(frac=1, random_state=4)
    row = sii(frame, seed=1).iloc[0]
    assert row["sii"] == pytest.approx(10.0, rel=1e-12)
    assert row["rii"] == pytest.approx(21.0, rel=1e-12)
    assert row["quantiles"] == 10


def test_row_order_and_label_type_do_not_matter():
    values = [31.0, 29.5, 27.0, 26.0, 22.5, 21.0]
    base = table(values, populations=[5, 9, 7, 8, 6, 10])
    as_text = base.assign(quantile=base["quantile"].astype(str)).iloc[::-1]
    expected = sii(base, seed=8)
    pd.testing.assert_frame_equal(sii(as_text, seed=8), expected)


# --- simulated limits --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_linear_limits_match_closed_form_normal_quantiles(seed):
    # value_type 0: the slope is a fixed linear combination of normal values, so its
    # simulated limits estimate beta1 -/+ z sd. Equal quintiles with SE 1 each:
    # sd^2 = sum c_i^2 SE_i^2 with slope weights c = -1, -0.5, 0, 0.5, 1, i.e. 2.5.
    # Sampling error of the order statistics at R = 100,000: about 0.4% of the half-width at
    # 95% (tolerance 2%) and about 1% at 99.8% (tolerance 4%).
    frame = table([10, 12, 14, 16, 18], se=[1.0] * 5)
    row = sii(frame, se="se", seed=seed).iloc[0]
    sd = math.sqrt(2.5)
    for level, z, tolerance in (("95", Z95, 0.02), ("99_8", Z998, 0.04)):
        half = z * sd
        assert row[f"sii_lower{level}"] == pytest.approx(10 - half, abs=tolerance * half)
        assert row[f"sii_upper{level}"] == pytest.approx(10 + half, abs=tolerance * half)


def test_transformed_limits_map_back_from_the_log_scale():
    # Rates 100 * 2^b with 95% limits rate * exp(-/+ 0.1 * 1.96): SE on the log scale 0.1 each,
    # so the log-scale slope has sd 0.1 * sqrt(2.5) and limits s = log 2 -/+ z sd.
    # Mapped back about h = log 100 + (log 2) / 2: SII limit = e^h (e^(s/2) - e^(-s/2)).
    b = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    rates = 100 * 2**b
    frame = table(rates, lower=rates * math.exp(-0.1 * Z95), upper=rates * math.exp(0.1 * Z95))
    row = sii(frame, value_type=1, transform=True, seed=11).iloc[0]
    middle = 100 * math.sqrt(2)
    sd = 0.1 * math.sqrt(2.5)
    for level, z in (("95", Z95), ("99_8", Z998)):
        for side, sign in (("lower", -1), ("upper", 1)):
            s = math.log(2) + sign * z * sd
            expected_sii = middle * (math.exp(s / 2) - math.exp(-s / 2))
            expected_rii = math.exp(s)
            width = middle * z * sd  # about the half-width of the interval
            assert row[f"sii_{side}{level}"] == pytest.approx(expected_sii, abs=0.04 * width)
            assert row[f"rii_{side}{level}"] == pytest.approx(expected_rii, rel=0.01)


def phe_simulation(pops, values, errors, *, value_type, transform, multiplier, draws, seed):
    """PHE's SimulationFunc written out: draw every quantile R times from N(g(y), SE),
    back-transform unless transform=True, fit sqrt(a) Y = b0 sqrt(a) + b1 b sqrt(a) to each
    draw by least squares, sort, and read the order statistics.

    Uses the normals ``sii`` draws for this seed (numpy's default_rng, a Q x R array), which
    every group shares. Returns {column: value} for the 95% and 99.8% limits.
    """
    pops, values, errors = (np.asarray(v, dtype=float) for v in (pops, values, errors))
    normals = np.random.default_rng(seed).standard_normal((pops.size, draws))
    g = {0: lambda v: v, 1: np.log, 2: lambda v: np.log(v / (1 - v))}[value_type]
    back = {0: lambda v: v, 1: np.exp, 2: lambda v: 1 / (1 + np.exp(-v))}[value_type]
    simulated = g(values)[:, None] + errors[:, None] * normals
    if not transform:
        simulated = back(simulated)
    a = pops / pops.sum()
    b = np.cumsum(a) - a / 2
    design = np.column_stack([np.sqrt(a), b * np.sqrt(a)])
    (b0, b1), *_ = np.linalg.lstsq(design, np.sqrt(a)[:, None] * simulated, rcond=None)
    out = {}
    for level, suffix in ((0.95, "95"), (0.998, "99_8")):
        alpha = 1 - level
        low, high = round(draws * alpha / 2), round(draws * (1 - alpha / 2))
        if transform:
            slopes = np.sort(b1)[[low - 1, high - 1]]
            fitted = g(values)
            w0, w1 = np.linalg.lstsq(design, np.sqrt(a) * fitted, rcond=None)[0]
            h = w0 + w1 / 2
            sii_limits = (back(h + slopes / 2) - back(h - slopes / 2)) * multiplier
            rii_limits = back(h + slopes / 2) / back(h - slopes / 2)
            if multiplier < 0:
                sii_limits, rii_limits = sii_limits[::-1], 1 / rii_limits[::-1]
        else:
            sii_limits = np.sort(b1 * multiplier)[[low - 1, high - 1]]
            ratios = (b0 + b1) / b0
            if multiplier < 0:
                ratios = 1 / ratios
            rii_limits = np.sort(ratios)[[low - 1, high - 1]]
        for stat, limits in (("sii", sii_limits), ("rii", rii_limits)):
            out[f"{stat}_lower{suffix}"] = limits[0]
            out[f"{stat}_upper{suffix}"] = limits[1]
    return out


GROUPS = {
    # area: (populations, values, standard errors on the simulation's scale)
    "other": (
        [
            (
                [7291, 7997, 6105, 7666, 5790],
                [75.9, 78.3, 83.8, 83.6, 80.5],
                [1.6, 1.6, 1.5, 1.8, 1.7],
            ),
            (
                [21675, 20065, 19750, 24713, 20112],
                [70.5, 71.6, 72.5, 73.5, 73.1],
                [0.2, 0.3, 0.3, 0.2, 0.8],
            ),
        ]
    ),
    "rate": (
        [
            (
                [5000, 6000, 5500, 7000, 6500],
                [950.0, 820.0, 760.0, 640.0, 600.0],
                [0.05, 0.06, 0.05, 0.07, 0.08],
            ),
            (
                [900, 1100, 1000, 1200, 800],
                [1400.0, 1100.0, 1200.0, 900.0, 700.0],
                [0.3, 0.25, 0.28, 0.3, 0.4],
            ),
        ]
    ),
    "proportion": (
        [
            (
                [400, 500, 450, 600, 550],
                [0.31, 0.27, 0.24, 0.2, 0.16],
                [0.1, 0.1, 0.11, 0.12, 0.13],
            ),
            ([90, 120, 100, 110, 80], [0.6, 0.55, 0.5, 0.42, 0.3], [0.4, 0.35, 0.4, 0.38, 0.5]),
        ]
    ),
}


@pytest.mark.parametrize(
    ("kind", "value_type", "transform", "multiplier", "draws"),
    [
        ("other", 0, False, 1.0, 20_000),
        ("other", 0, False, -2.0, 20_000),
        ("other", 0, False, 1.0, 1_000),
        ("rate", 1, False, 100_000.0, 20_000),
        ("rate", 1, False, -1.0, 20_000),
        ("rate", 1, True, 1.0, 20_000),
        ("rate", 1, True, -1.0, 1_000),
        ("proportion", 2, False, 100.0, 20_000),
        ("proportion", 2, False, -100.0, 1_000),
        ("proportion", 2, True, 100.0, 20_000),
        ("proportion", 2, True, -1.0, 20_000),
    ],
)
def test_limits_equal_phe_simulation_written_out(kind, value_type, transform, multiplier, draws):
    # The fast path (one matrix product for every group, exp/tanh folded into the
    # coefficients, order statistics without sorting) must give the order statistics of
    # PHE's simulation run the slow way on the same normal draws.
    data = pd.concat(
        [
            table(values, populations=pops, se=errors, group=f"A{i}")
            for i, (pops, values, errors) in enumerate(GROUPS[kind])
        ],
        ignore_index=True,
    )
    options = {
        "value_type": value_type,
        "multiplier": multiplier,
        "draws": draws,
        "seed": 42,
        "group_by": "area",
    }
    if transform:
        # transform=True takes limits: give limits whose log/logit-scale SE is the one wanted.
        g = {1: np.log, 2: lambda v: np.log(v / (1 - v))}[value_type]
        inverse = {1: np.exp, 2: lambda v: 1 / (1 + np.exp(-v))}[value_type]
        centre, spread = g(data["value"]), Z95 * data.pop("se")
        data = data.assign(lower95=inverse(centre - spread), upper95=inverse(centre + spread))
        result = sii(data, transform=True, **options)
    else:
        result = sii(data, se="se", **options)
    result = result.set_index("area")
    for i, (pops, values, errors) in enumerate(GROUPS[kind]):
        expected = phe_simulation(
            pops,
            values,
            errors,
            value_type=value_type,
            transform=transform,
            multiplier=multiplier,
            draws=draws,
            seed=42,
        )
        for column, value in expected.items():
            assert result.loc[f"A{i}", column] == pytest.approx(value, rel=1e-9), column


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.lists(
        st.tuples(st.floats(10, 1e5), st.floats(1, 100), st.floats(0.001, 0.1)),
        min_size=5,
        max_size=10,
    ),
    seed=st.integers(0, 2**32 - 1),
    multiplier=st.sampled_from([1.0, 100.0, -1.0]),
)
def test_limits_bracket_the_estimate_and_nest(data, seed, multiplier):
    # The slope draws are normal about the estimate, so the 95% limits bracket it, and the
    # 99.8% order statistics lie outside the 95% ones. The RII draws (b0* + b1*) / b0* centre
    # on the RII only when b0* stays well away from 0: checked when the intercept is at
    # least 8 of its standard errors from 0 (sd from the least-squares weights, by numpy).
    pops, values, relative = (np.array(column) for column in zip(*data, strict=True))
    errors = values * relative
    frame = table(values, populations=pops, se=errors)
    row = sii(frame, se="se", draws=2000, seed=seed, multiplier=multiplier).iloc[0]
    a = pops / pops.sum()
    b = np.cumsum(a) - a / 2
    weights = np.linalg.pinv(np.column_stack([np.sqrt(a), b * np.sqrt(a)])) * np.sqrt(a)
    intercept_sd = math.sqrt(np.sum((weights[0] * errors) ** 2))
    stats = ("sii", "rii") if abs(row["intercept"]) > 8 * intercept_sd else ("sii",)
    for stat in stats:
        assert row[f"{stat}_lower99_8"] <= row[f"{stat}_lower95"]
        assert row[f"{stat}_lower95"] <= row[stat] <= row[f"{stat}_upper95"]
        assert row[f"{stat}_upper95"] <= row[f"{stat}_upper99_8"]


def test_same_seed_same_output_and_seeds_differ():
    frame = pd.concat(
        [table([5, 6, 8, 9, 12], group="x"), table([3, 3.5, 4, 6, 7], group="y")],
        ignore_index=True,
    )
    first = sii(frame, seed=123, group_by="area", value_type=1)
    pd.testing.assert_frame_equal(first, sii(frame, seed=123, group_by="area", value_type=1))
    other = sii(frame, seed=124, group_by="area", value_type=1)
    assert not np.allclose(first["sii_lower95"], other["sii_lower95"])
    assert np.array_equal(first["sii"], other["sii"])


def test_standard_errors_from_limits_equal_supplied_standard_errors():
    # SE = (g(U) - g(L)) / (2 x 1.959964), on the log scale for rates, whatever the level.
    values = np.array([820.0, 760.0, 700.0, 610.0, 560.0, 500.0])
    lower, upper = values * 0.85, values * 1.2
    from_limits = sii(table(values, lower=lower, upper=upper), value_type=1, seed=5, confidence=0.9)
    se = (np.log(upper) - np.log(lower)) / (2 * Z95)
    from_se = sii(table(values, se=se), se="se", value_type=1, seed=5, confidence=0.9)
    pd.testing.assert_frame_equal(from_limits, from_se, rtol=1e-10)


def test_multiplier_scales_the_sii_and_leaves_the_rii():
    frame = table([40.0, 35.0, 33.0, 30.0, 26.0, 25.0])
    one = sii(frame, seed=9).iloc[0]
    hundred = sii(frame, seed=9, multiplier=100).iloc[0]
    for column in ("sii", "sii_lower95", "sii_upper95", "sii_lower99_8", "sii_upper99_8"):
        assert hundred[column] == pytest.approx(100 * one[column], rel=1e-9)
    for column in ("rii", "rii_lower95", "rii_upper95", "intercept"):
        assert hundred[column] == pytest.approx(one[column], rel=1e-9)


def test_negative_multiplier_flips_sii_and_inverts_rii():
    frame = table([40.0, 35.0, 33.0, 30.0, 26.0, 25.0])
    plus = sii(frame, seed=9).iloc[0]
    minus = sii(frame, seed=9, multiplier=-1).iloc[0]
    assert minus["sii"] == pytest.approx(-plus["sii"], rel=1e-12)
    assert minus["rii"] == pytest.approx(1 / plus["rii"], rel=1e-12)
    assert minus["intercept"] == pytest.approx(plus["intercept"], rel=1e-12)
    # Sorting -slope puts the lower limit at -(the R + 1 - k th slope): a neighbour of the
    # upper limit's order statistic, so equal to within the spacing of the draws.
    width = plus["sii_upper95"] - plus["sii_lower95"]
    assert minus["sii_lower95"] == pytest.approx(-plus["sii_upper95"], abs=0.005 * width)
    assert minus["sii_upper95"] == pytest.approx(-plus["sii_lower95"], abs=0.005 * width)
    assert minus["rii_lower95"] == pytest.approx(1 / plus["rii_upper95"], rel=0.005)
    assert minus["rii_upper95"] == pytest.approx(1 / plus["rii_lower95"], rel=0.005)


def test_negative_multiplier_swaps_transformed_limits():
    b = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    rates = 300 / 2**b
    frame = table(rates, lower=rates * 0.8, upper=rates * 1.25)
    plus = sii(frame, value_type=1, transform=True, seed=2).iloc[0]
    minus = sii(frame, value_type=1, transform=True, seed=2, multiplier=-1).iloc[0]
    for level in ("95", "99_8"):
        assert minus[f"sii_lower{level}"] == pytest.approx(-plus[f"sii_upper{level}"], rel=1e-12)
        assert minus[f"sii_upper{level}"] == pytest.approx(-plus[f"sii_lower{level}"], rel=1e-12)
        assert minus[f"rii_lower{level}"] == pytest.approx(1 / plus[f"rii_upper{level}"], rel=1e-12)
        assert minus[f"rii_upper{level}"] == pytest.approx(1 / plus[f"rii_lower{level}"], rel=1e-12)


def test_reliability_reports_mean_absolute_differences():
    frame = table([10, 12, 14, 16, 18], se=[1.0] * 5)
    plain = sii(frame, se="se", seed=21)
    checked = sii(frame, se="se", seed=21, reliability=True)
    # The limits are those of the first set of draws, the same as without the option.
    pd.testing.assert_frame_equal(checked[plain.columns], plain)
    row = checked.iloc[0]
    # Order statistics of 100,000 draws move by well under 1% of the half-width between sets.
    half = Z95 * math.sqrt(2.5)
    assert 0 < row["sii_mad"] < 0.02 * half
    assert 0 < row["rii_mad"] < 0.02 * (row["rii_upper95"] - row["rii_lower95"])


def test_one_confidence_level_as_a_percentage():
    result = sii(table([10, 12, 14, 16, 18]), seed=1, confidence=99.8)
    assert "sii_lower99_8" in result.columns
    assert "sii_lower95" not in result.columns
    assert result.iloc[0]["confidence"] == "99.8%"


# --- groups, dropped groups and warnings ------------------------------------------------------


def test_groups_sorted_with_their_own_fits():
    frame = pd.concat(
        [table([5.0, 6, 7, 8, 9], group="b"), table([10.0, 12, 14, 16, 18], group="a")],
        ignore_index=True,
    )
    result = sii(frame, seed=3, group_by="area")
    assert list(result["area"]) == ["a", "b"]
    assert list(result["sii"]) == pytest.approx([10.0, 5.0], rel=1e-12)


def test_group_missing_a_quantile_is_dropped_with_a_warning():
    frame = pd.concat(
        [
            table([10.0, 12, 14, 16, 18], group="complete"),
            table([10.0, 12, 14, 16, 18], group="gappy").drop(index=2),
        ],
        ignore_index=True,
    )
    with pytest.warns(UserWarning, match=r"group \('gappy',\).*all 5 quantiles \(1, 2, 3, 4, 5\)"):
        result = sii(frame, seed=3, group_by="area")
    assert list(result["area"]) == ["complete"]


def test_group_with_a_missing_limit_is_dropped_with_a_warning():
    incomplete = table([10.0, 12, 14, 16, 18], group="holey")
    incomplete.loc[3, "upper95"] = np.nan
    frame = pd.concat([table([1.0, 2, 3, 4, 5], group="whole"), incomplete], ignore_index=True)
    with pytest.warns(UserWarning, match=r"group \('holey',\).*95% limits"):
        result = sii(frame, seed=3, group_by="area")
    assert list(result["area"]) == ["whole"]


def test_every_group_dropped_gives_an_empty_result():
    frame = table([10.0, 12, 14, 16, 18], group="only")
    frame.loc[0, "value"] = np.nan
    with pytest.warns(UserWarning, match="only"):
        result = sii(frame, seed=3, group_by="area")
    assert result.empty
    assert "sii_upper99_8" in result.columns


def test_more_than_ten_quantiles_warns():
    with pytest.warns(UserWarning, match="20 quantiles"):
        result = sii(table(np.linspace(1, 20, 20)), seed=1)
    assert result.iloc[0]["quantiles"] == 20


# --- input errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "options", "message"),
    [
        (lambda f: f.assign(population=[1000, 1000, 0, 1000, 1000]), {}, r"'population'.*row 3"),
        (lambda f: f.assign(population=[1000, -5, 1, 1, np.nan]), {}, r"rows 2 and 5"),
        (
            lambda f: f.assign(value=["1", "2", "x", "4", "y"]),
            {},
            r"text \('x', 'y'\).*rows 3 and 5",
        ),
        (lambda f: f.assign(quantile=["1", "2", "III", "4", "5"]), {}, r"'quantile'.*row 3"),
        (
            lambda f: pd.concat([f, f.iloc[[2]]], ignore_index=True),
            {},
            r"repeats a quantile.*row 6",
        ),
        (lambda f: f.iloc[:4], {}, r"between 5 and 100 quantiles.*has 4"),
        (
            lambda f: f.assign(lower95=[9, 11, 15.5, 15, 17]),
            {},
            r"'lower95' is above 'upper95' in row 3",
        ),
        (lambda f: f.assign(value=[0.1, 1.2, 0.3, 0.4, 0.5]), {"value_type": 2}, r"'value'.*row 2"),
        (lambda f: f.assign(lower95=[0.0, 1, 1, 1, 1]), {"value_type": 1}, r"'lower95'.*row 1"),
        (lambda f: f.drop(columns="upper95"), {}, r"'upper95' is missing.*with option se\."),
        (lambda f: f, {"draws": 999}, r"at least 1,000"),
        (lambda f: f, {"value_type": 3}, r"Option value_type must be 0 .*, not 3\."),
        (lambda f: f, {"transform": True}, r"transform applies .*\(value_type 1 or 2\)"),
        (
            lambda f: f,
            {"value_type": 1, "transform": True, "se": "upper95"},
            r"not a standard error",
        ),
        (lambda f: f, {"multiplier": 0}, r"non-zero"),
        (lambda f: f, {"confidence": 0.5}, r"outside 0.9 to 1"),
        (lambda f: f.assign(area="x"), {"group_by": "sii"}, r"'sii' is missing"),
    ],
)
def test_invalid_input_raises_input_error_naming_rows(change, options, message):
    frame = change(table([10.0, 12, 14, 16, 18]))
    with pytest.raises(InputError, match=message):
        sii(frame, seed=1, **options)


def test_group_column_named_like_a_result_is_refused():
    frame = table([10.0, 12, 14, 16, 18]).assign(rii="x")
    with pytest.raises(InputError, match="'rii' has the name of a result column"):
        sii(frame, group_by="rii", seed=1)


def test_absurd_log_scale_standard_error_is_refused():
    frame = table([10.0, 12, 14, 16, 18], se=[1.0, 1.0, 200.0, 1.0, 1.0])
    with pytest.raises(InputError, match="too large to simulate"):
        sii(frame, se="se", value_type=1, seed=1)


# --- the order-statistic selection ------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1000, 6000),
    shape=st.sampled_from(["normal", "lognormal", "ties", "constant", "sorted", "reversed"]),
    known=st.booleans(),
)
def test_selection_equals_full_sort(seed, count, shape, known):
    # The thresholded selection must return exactly what sorting returns, including when
    # a pilot of the first draws misleads it (sorted rows) or there is no spread at all.
    rng = np.random.default_rng(seed)
    values = rng.standard_normal((3, count))
    if shape == "lognormal":
        values = np.exp(2 * values)
    elif shape == "ties":
        values = np.round(values * 3)
    elif shape == "constant":
        values[:] = 7.0
    elif shape == "sorted":
        values.sort(axis=1)
    elif shape == "reversed":
        values = -np.sort(values, axis=1)
    positions = np.unique(
        np.clip(
            [
                round(count * 0.001),
                round(count * 0.025),
                round(count * 0.975),
                round(count * 0.999),
            ],
            1,
            count,
        )
    )
    centre = sd = None
    if known:
        centre, sd = values.mean(axis=1), values.std(axis=1)
    got = _order_statistics(values, positions, centre=centre, sd=sd, block=700, tail_min_draws=0)
    expected = np.sort(values, axis=1)[:, positions - 1]
    scale = np.abs(values).max() + 1
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12 * scale)
