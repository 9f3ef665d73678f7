"""Evaluation of area-based programmes: matched comparison areas and difference-in-differences.

* :func:`match_areas`: for each target area, the nearest comparison area(s) on standardised
  features (by default IMD score and population). Features are standardised with the mean
  and standard deviation (n - 1 divisor) of targets and candidates pooled, so that one unit
  of score and one of population count equally; distance is Euclidean. Matching is with
  replacement (a comparison area may serve several targets); ties go to the candidate that
  comes first in the input.
* :func:`difference_in_differences`: the DiD of two groups' aggregate proportions or rates
  before and after, with a normal-approximation confidence interval.

DiD = (T_after − T_before) − (C_after − C_before), where each term is the aggregate value
Σx/Σn × multiplier of a group in a period. Treating the four estimates as independent,
Var(DiD) = Σ Var(term). For a proportion p = x/n, Var = p(1 − p)/n (binomial); for a rate
r = x/n, Var = x/n² (Poisson). Limits DiD ± z·√Var (× multiplier).

Caveats (say them wherever the estimate is shown): the same areas are measured before and
after, so the independence assumption makes the interval conservative only if the
correlation between periods is positive; the estimate assumes parallel trends (targets and
comparisons would have changed alike without the programme); matching on deprivation and
population does not balance everything else; overdispersion between areas is ignored, so
the interval is too narrow where areas differ more than binomial/Poisson variation.

Framework-free (numpy, scipy, pandas only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtri

from inequalities.errors import InputError


def standardise(values: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """(x − mean)/sd per column, sd with the n − 1 divisor; a constant column becomes 0."""
    out = pd.DataFrame(index=values.index)
    for column in columns:
        x = pd.to_numeric(values[column], errors="raise").astype(float)
        sd = x.std(ddof=1)
        out[column] = 0.0 if not np.isfinite(sd) or sd == 0 else (x - x.mean()) / sd
    return out


def match_areas(
    targets: pd.DataFrame,
    candidates: pd.DataFrame,
    *,
    id: str = "area",
    features: Sequence[str] = ("imd_score", "population"),
    k: int = 1,
) -> pd.DataFrame:
    """Nearest-neighbour matches, with replacement, on pooled standardised ``features``.

    Returns one row per (target, match): ``target``, ``match``, ``rank`` (1 = nearest),
    ``distance`` (Euclidean, in pooled standard deviations) and the features of both
    (``target_<f>``, ``match_<f>``). Candidates that are also targets are ignored.
    """
    if k < 1:
        raise InputError("Option {k} must be at least 1.", options=["k"])
    for frame, what in ((targets, "targets"), (candidates, "candidates")):
        missing = [c for c in (id, *features) if c not in frame.columns]
        if missing:
            raise InputError(f"The {what} have no column {missing[0]!r}.")
        if frame[list(features)].isna().any().any():
            raise InputError(f"Some {what} have a missing {', '.join(features)}.")
    candidates = candidates[~candidates[id].isin(set(targets[id]))].reset_index(drop=True)
    targets = targets.reset_index(drop=True)
    if targets.empty:
        raise InputError("There are no target areas to match.")
    if len(candidates) < k:
        raise InputError(f"There are fewer than {k} comparison areas to choose from.")
    pooled = pd.concat([targets[list(features)], candidates[list(features)]], ignore_index=True)
    z = standardise(pooled, features).to_numpy()
    zt, zc = z[: len(targets)], z[len(targets) :]
    distances = np.sqrt(((zt[:, None, :] - zc[None, :, :]) ** 2).sum(axis=2))
    order = np.argsort(distances, axis=1, kind="stable")[:, :k]
    rows = []
    for i, target in targets.iterrows():
        for rank, j in enumerate(order[i], start=1):
            row = {
                "target": target[id],
                "match": candidates.at[j, id],
                "rank": rank,
                "distance": float(distances[i, j]),
            }
            for f in features:
                row[f"target_{f}"] = target[f]
                row[f"match_{f}"] = candidates.at[j, f]
            rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class DiD:
    """A difference-in-differences estimate (in the indicator's units)."""

    treated_before: float
    treated_after: float
    control_before: float
    control_after: float
    estimate: float
    se: float
    lower: float
    upper: float
    confidence: float

    @property
    def treated_change(self) -> float:
        return self.treated_after - self.treated_before

    @property
    def control_change(self) -> float:
        return self.control_after - self.control_before

    @property
    def significant(self) -> bool:
        return self.lower > 0 or self.upper < 0


def _value_and_variance(x: float, n: float, kind: str) -> tuple[float, float]:
    if n <= 0:
        raise InputError("Every denominator must be more than 0.")
    if x < 0:
        raise InputError("Numerators must not be negative.")
    if kind == "proportion":
        if x > n:
            raise InputError("A numerator is more than its denominator.")
        p = x / n
        return p, p * (1 - p) / n
    if kind == "rate":
        return x / n, x / n**2
    raise InputError(
        "Option {kind} must be 'proportion' or 'rate', not {given!r}.", options=["kind"], given=kind
    )


def difference_in_differences(
    treated_before: tuple[float, float],
    treated_after: tuple[float, float],
    control_before: tuple[float, float],
    control_after: tuple[float, float],
    *,
    kind: str = "proportion",
    multiplier: float = 100.0,
    confidence: float = 0.95,
) -> DiD:
    """DiD from four (numerator, denominator) pairs, each summed over a group's areas."""
    if not 0 < confidence < 1:
        raise InputError("Option {confidence} must be between 0 and 1.", options=["confidence"])
    parts = [
        _value_and_variance(float(x), float(n), kind)
        for x, n in (treated_before, treated_after, control_before, control_after)
    ]
    (tb, vtb), (ta, vta), (cb, vcb), (ca, vca) = parts
    estimate = (ta - tb) - (ca - cb)
    se = float(np.sqrt(vtb + vta + vcb + vca))
    z = float(ndtri(1 - (1 - confidence) / 2))
    m = multiplier
    return DiD(
        treated_before=tb * m,
        treated_after=ta * m,
        control_before=cb * m,
        control_after=ca * m,
        estimate=estimate * m,
        se=se * m,
        lower=(estimate - z * se) * m,
        upper=(estimate + z * se) * m,
        confidence=confidence,
    )
