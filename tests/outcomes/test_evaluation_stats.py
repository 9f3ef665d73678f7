"""inequalities.evaluation against hand-computed values."""

import math

import pandas as pd
import pytest

from inequalities.errors import InputError
from inequalities.evaluation import difference_in_differences, match_areas, standardise

Z95 = 1.959963984540054


def test_did_for_proportions_matches_the_hand_computation():
    # Targets 20/100 → 30/100; comparisons 25/200 → 30/200.
    result = difference_in_differences((20, 100), (30, 100), (25, 200), (30, 200))
    assert result.treated_before == pytest.approx(20.0)
    assert result.control_after == pytest.approx(15.0)
    assert result.estimate == pytest.approx(7.5)  # (30 − 20) − (15 − 12.5)
    variance = 0.2 * 0.8 / 100 + 0.3 * 0.7 / 100 + 0.125 * 0.875 / 200 + 0.15 * 0.85 / 200
    assert variance == pytest.approx(0.004884375)
    se = math.sqrt(variance) * 100
    assert result.se == pytest.approx(se)
    assert result.lower == pytest.approx(7.5 - Z95 * se)
    assert result.upper == pytest.approx(7.5 + Z95 * se)
    assert result.lower == pytest.approx(-6.198, abs=1e-3)
    assert not result.significant


def test_did_for_rates_uses_poisson_variances():
    result = difference_in_differences(
        (50, 10_000), (40, 10_000), (60, 20_000), (70, 20_000), kind="rate", multiplier=100_000
    )
    # (400 − 500) − (350 − 300) = −150 per 100,000
    assert result.estimate == pytest.approx(-150.0)
    variance = 50 / 1e8 + 40 / 1e8 + 60 / 4e8 + 70 / 4e8
    assert result.se == pytest.approx(math.sqrt(variance) * 100_000)


def test_did_rejects_impossible_counts():
    with pytest.raises(InputError, match="more than its denominator"):
        difference_in_differences((20, 10), (1, 10), (1, 10), (1, 10))
    with pytest.raises(InputError, match="more than 0"):
        difference_in_differences((0, 0), (1, 10), (1, 10), (1, 10))


def test_standardise_uses_the_sample_standard_deviation():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0]})
    z = standardise(frame, ["a", "b"])
    assert z["a"].tolist() == pytest.approx([-1.0, 0.0, 1.0])  # sd = 1
    assert z["b"].tolist() == [0.0, 0.0, 0.0]


def test_match_areas_picks_the_nearest_on_pooled_standardised_features():
    targets = pd.DataFrame({"area": ["A"], "imd_score": [40.0], "population": [1000.0]})
    candidates = pd.DataFrame(
        {
            "area": ["B", "C", "D", "A"],
            "imd_score": [38.0, 10.0, 41.0, 40.0],
            "population": [1100.0, 1000.0, 3000.0, 1000.0],
        }
    )
    matches = match_areas(targets, candidates, k=2)
    # Pooled over A, B, C, D: score sd² = 664.75/3 (sd 14.886), population sd² =
    # 2,907,500/3 (sd 984.5). B: hypot(2/14.886, 100/984.5) = 0.168; C: 30/14.886 = 2.015;
    # D: hypot(1/14.886, 2000/984.5) = 2.033. A itself is never its own comparison.
    assert matches["match"].tolist() == ["B", "C"]
    sd_score, sd_pop = math.sqrt(664.75 / 3), math.sqrt(2_907_500 / 3)
    assert matches["distance"].iloc[0] == pytest.approx(math.hypot(2 / sd_score, 100 / sd_pop))
    assert matches["distance"].iloc[1] == pytest.approx(30 / sd_score)
    assert matches["rank"].tolist() == [1, 2]


def test_match_areas_needs_enough_candidates():
    targets = pd.DataFrame({"area": ["A"], "imd_score": [40.0], "population": [1000.0]})
    with pytest.raises(InputError, match="fewer than 1"):
        match_areas(targets, targets)
