"""Confidence limits as vectorised array primitives (methods reference §1 and §2).

Arrays in, arrays out: no validation here, so that the frame functions, funnel plots and
the profile engine can call them on millions of values. Callers check their inputs
(negative counts, numerator above denominator) and report the rows; NaN in gives NaN out.
"""

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaincinv

from inequalities.confidence import z_value

FloatArray = NDArray[np.float64]

#: Counts below this use exact limits; from it, Byar's approximation (§2: O = 10 is Byar's).
EXACT_BELOW = 10


def wilson_limits(x: ArrayLike, n: ArrayLike, z: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Wilson score limits of the proportion x/n, as fractions (Wilson 1927).

    L, U = [2x + z² ∓ z·√(z² + 4x(1 - x/n))] / [2(n + z²)]. x = 0 gives L = 0 exactly,
    x = n gives U = 1 exactly, and an infinite z (confidence 1) gives (0, 1), as in
    Newcombe & Altman (2000) and PHEindicatormethods.
    """
    x, n, z = (np.asarray(a, dtype=np.float64) for a in (x, n, z))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        z2 = z * z
        centre = 2 * x + z2
        spread = z * np.sqrt(z2 + 4 * x * (1 - x / n))
        denominator = 2 * (n + z2)
        lower = (centre - spread) / denominator
        upper = (centre + spread) / denominator
    certain = np.isinf(z)
    lower = np.where((x == 0) | certain, 0.0, np.clip(lower, 0.0, 1.0))
    upper = np.where((x == n) | certain, 1.0, np.clip(upper, 0.0, 1.0))
    missing = np.isnan(x) | np.isnan(n)
    return np.where(missing, np.nan, lower), np.where(missing, np.nan, upper)


def exact_poisson_limits(o: ArrayLike, level: float) -> tuple[FloatArray, FloatArray]:
    """Exact limits of a Poisson count O (Garwood 1936; Breslow & Day 1987).

    L = χ²_{alpha/2}(2O)/2 (0 when O = 0) and U = χ²_{1-alpha/2}(2O + 2)/2. χ²_q(2k)/2 is the
    q-quantile of a Gamma(k, 1), which scipy's ``gammaincinv(k, q)`` gives directly.
    """
    o = np.asarray(o, dtype=np.float64)
    # Counts repeat (0..9 dominate), and gammaincinv is costly: solve each distinct count once.
    distinct, where = np.unique(o, return_inverse=True)
    alpha = 1 - level
    with np.errstate(invalid="ignore"):
        lower = gammaincinv(np.where(distinct > 0, distinct, np.nan), alpha / 2)
        upper = gammaincinv(distinct + 1, 1 - alpha / 2)
    # O = 0 has no lower limit; for subnormal O the quantile underflows and scipy gives NaN.
    lower = np.where((distinct == 0) | ((distinct > 0) & np.isnan(lower)), 0.0, lower)
    return lower[where].reshape(o.shape), upper[where].reshape(o.shape)


def byars_limits(o: ArrayLike, z: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to the Poisson limits of a count O (Breslow & Day 1987).

    L = O·(1 - 1/(9O) - z/(3√O))³ and U = (O + 1)·(1 - 1/(9(O + 1)) + z/(3√(O + 1)))³.
    A count limit cannot be negative, so L is floored at 0 (PHE returns NA instead; it only
    happens for tiny O or z far beyond 99.8%, never for the O ≥ 10 where it is used).
    """
    o, z = (np.asarray(a, dtype=np.float64) for a in (o, z))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        base = 1 - 1 / (9 * o) - z / (3 * np.sqrt(o))
        lower = o * base * base * base
        o1 = o + 1
        base = 1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))
        upper = o1 * base * base * base
    lower = np.where(o == 0, 0.0, np.fmax(lower, 0.0))
    return np.where(np.isnan(o), np.nan, lower), upper


def poisson_count_limits(o: ArrayLike, level: float) -> tuple[FloatArray, FloatArray]:
    """Limits of a count O at one confidence level: exact below 10, Byar's from 10 (§2)."""
    o = np.asarray(o, dtype=np.float64)
    lower = np.full(o.shape, np.nan)
    upper = np.full(o.shape, np.nan)
    small = o < EXACT_BELOW
    large = o >= EXACT_BELOW
    lower[small], upper[small] = exact_poisson_limits(o[small], level)
    lower[large], upper[large] = byars_limits(o[large], z_value(level))
    return lower, upper


def poisson_method(o: ArrayLike) -> NDArray[np.object_]:
    """The label of the limits used for each count: "Exact", "Byars", or None where O is NaN."""
    o = np.asarray(o, dtype=np.float64)
    labels = np.where(o < EXACT_BELOW, "Exact", "Byars").astype(object)
    labels[np.isnan(o)] = None
    return labels
