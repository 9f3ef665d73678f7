"""Array primitives: Wilson, exact Poisson and Byar's limits (methods reference §1, §2)."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import poisson

from inequalities.confidence import z_value
from inequalities.stats import (
    byars_limits,
    exact_poisson_limits,
    poisson_count_limits,
    poisson_method,
    wilson_limits,
)

Z95 = 1.959964  # Phi^-1(0.975)
Z998 = 3.090232  # Phi^-1(0.999)


def test_z_values_are_the_reference_ones():
    assert z_value(0.95) == pytest.approx(Z95, abs=1e-6)
    assert z_value(0.998) == pytest.approx(Z998, abs=1e-6)


def test_wilson_8_of_20_at_95_percent():
    # z^2 = 3.841459; 2x + z^2 = 19.841459; sqrt(z^2 + 4*8*(1 - 8/20)) = sqrt(23.041459)
    # = 4.800152, times z = 9.408126; 2(n + z^2) = 47.682918.
    # L = (19.841459 - 9.408126) / 47.682918 = 0.218807
    # U = (19.841459 + 9.408126) / 47.682918 = 0.613418
    lower, upper = wilson_limits(8, 20, z_value(0.95))
    assert lower == pytest.approx(0.218807, abs=1e-6)
    assert upper == pytest.approx(0.613418, abs=1e-6)


def test_wilson_8_of_20_at_99_8_percent():
    # z^2 = 9.549534; sqrt(9.549534 + 19.2) = 5.361859, times z = 16.569389;
    # 2(20 + 9.549534) = 59.099068.
    # L = (25.549534 - 16.569389) / 59.099068 = 0.151951
    # U = (25.549534 + 16.569389) / 59.099068 = 0.712683
    lower, upper = wilson_limits(8, 20, z_value(0.998))
    assert lower == pytest.approx(0.151951, abs=1e-6)
    assert upper == pytest.approx(0.712683, abs=1e-6)


def test_wilson_zero_and_all_are_exactly_bounded():
    # x = 0: L = 0 and U = z^2 / (n + z^2) = 3.841459 / 23.841459 = 0.161125.
    # x = n: U = 1 and L = n / (n + z^2) = 20 / 23.841459 = 0.838875.
    lower, upper = wilson_limits([0, 20], [20, 20], z_value(0.95))
    assert lower[0] == 0.0
    assert upper[0] == pytest.approx(0.161125, abs=1e-6)
    assert lower[1] == pytest.approx(0.838875, abs=1e-6)
    assert upper[1] == 1.0


def test_wilson_confidence_one_is_zero_to_one():
    lower, upper = wilson_limits([3, 0], [7, 5], z_value(1.0))
    assert lower.tolist() == [0.0, 0.0]
    assert upper.tolist() == [1.0, 1.0]


def test_wilson_missing_in_missing_out():
    lower, upper = wilson_limits([np.nan, 3], [10, np.nan], Z95)
    assert np.isnan(lower).all()
    assert np.isnan(upper).all()


def test_exact_poisson_zero_has_closed_form():
    # O = 0: L = 0; U = chi2_{0.975}(2)/2 = -ln(0.025) = 3.688879 (and -ln(0.001) = 6.907755)
    lower, upper = exact_poisson_limits([0], 0.95)
    assert lower[0] == 0.0
    assert upper[0] == pytest.approx(-math.log(0.025), rel=1e-9)
    assert exact_poisson_limits([0], 0.998)[1][0] == pytest.approx(6.907755, abs=1e-6)


def test_exact_poisson_three():
    # O = 3: L = chi2_{0.025}(6)/2 = 1.237344/2 = 0.618672,
    #        U = chi2_{0.975}(8)/2 = 17.534546/2 = 8.767273 (Breslow & Day table).
    # 99.8%: L = chi2_{0.001}(6)/2 = 0.190533, U = chi2_{0.999}(8)/2 = 13.062241.
    lower, upper = exact_poisson_limits([3], 0.95)
    assert lower[0] == pytest.approx(0.618672, abs=1e-6)
    assert upper[0] == pytest.approx(8.767273, abs=1e-6)
    lower, upper = exact_poisson_limits([3], 0.998)
    assert lower[0] == pytest.approx(0.190533, abs=1e-6)
    assert upper[0] == pytest.approx(13.062241, abs=1e-6)


def test_byars_ten():
    # O = 10: L = 10(1 - 1/90 - 1.959964/(3*3.162278))^3 = 10 * 0.788889^3... exactly:
    # 1 - 0.011111 - 0.206597 = 0.782292; cubed = 0.478745; L = 4.787450.
    # U = 11(1 - 1/99 + 1.959964/(3*3.316625))^3 = 11(0.989899 + 0.196984)^3
    #   = 11 * 1.186883^3 = 11 * 1.671951 = 18.391459.
    lower, upper = byars_limits([10], Z95)
    assert lower[0] == pytest.approx(4.787450, abs=1e-5)
    assert upper[0] == pytest.approx(18.391459, abs=1e-5)


def test_byars_hundred():
    # O = 100: L = 100(1 - 1/900 - 1.959964/30)^3 = 100 * 0.933557^3 = 81.362105
    # U = 101(1 - 1/909 + 1.959964/(3*10.049876))^3 = 101 * 1.063905^3 = 121.627938
    # 99.8%: L = 100(1 - 0.001111 - 0.103008)^3 = 71.903692; U = 134.943622
    lower, upper = byars_limits([100], Z95)
    assert lower[0] == pytest.approx(81.362105, abs=1e-5)
    assert upper[0] == pytest.approx(121.627938, abs=1e-5)
    lower, upper = byars_limits([100], Z998)
    assert lower[0] == pytest.approx(71.903692, abs=1e-5)
    assert upper[0] == pytest.approx(134.943622, abs=1e-5)


def test_count_limits_switch_from_exact_to_byars_at_ten():
    # O = 9 is exact: chi2_{0.025}(18)/2 = 4.115373, chi2_{0.975}(20)/2 = 17.084803.
    # O = 10 is Byar's (4.787450, 18.391459), not exact (4.795389, 18.390356).
    lower, upper = poisson_count_limits([9, 10], 0.95)
    assert lower.tolist() == pytest.approx([4.115373, 4.787450], abs=1e-5)
    assert upper.tolist() == pytest.approx([17.084803, 18.391459], abs=1e-5)
    assert poisson_method([0, 9, 10, np.nan]).tolist() == ["Exact", "Exact", "Byars", None]


def test_count_limits_confidence_one_and_missing():
    lower, upper = poisson_count_limits([3, 30, np.nan], 1.0)
    assert lower[:2].tolist() == [0.0, 0.0]
    assert np.isinf(upper[:2]).all()
    assert np.isnan(lower[2]) and np.isnan(upper[2])


@given(st.integers(0, 60))
def test_exact_limits_solve_the_poisson_tail_equations(o):
    # Definition (Garwood 1936): P(X >= O | L) = alpha/2 and P(X <= O | U) = alpha/2.
    lower, upper = exact_poisson_limits([o], 0.95)
    assert poisson.cdf(o, upper[0]) == pytest.approx(0.025, rel=1e-6)
    if o > 0:
        assert poisson.sf(o - 1, lower[0]) == pytest.approx(0.025, rel=1e-6)


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_wilson_contains_the_proportion_and_widens(x, extra):
    n = x + extra
    low95, up95 = wilson_limits(x, n, Z95)
    low998, up998 = wilson_limits(x, n, Z998)
    p = x / n
    assert 0 <= low998 <= low95 <= p + 1e-12
    assert p - 1e-12 <= up95 <= up998 <= 1


@given(st.floats(0, 1e7, allow_nan=False))
def test_count_limits_contain_the_count_and_widen(o):
    low95, up95 = poisson_count_limits([o], 0.95)
    low998, up998 = poisson_count_limits([o], 0.998)
    assert 0 <= low998[0] <= low95[0] <= o <= up95[0] <= up998[0]


@given(st.integers(1000, 100_000))
def test_byars_approximates_the_exact_limits_for_large_counts(o):
    exact = exact_poisson_limits([o], 0.95)
    approx = byars_limits([o], Z95)
    assert approx[0][0] == pytest.approx(exact[0][0], rel=1e-3)
    assert approx[1][0] == pytest.approx(exact[1][0], rel=1e-3)


def test_primitives_are_vectorised():
    o = np.arange(0, 200_000, dtype=float)
    lower, upper = poisson_count_limits(o, 0.95)
    assert lower.shape == upper.shape == o.shape
    assert np.all(np.diff(upper) > 0)
    assert np.all(np.diff(lower) >= 0)
