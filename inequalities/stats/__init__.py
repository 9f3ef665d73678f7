"""Core statistics of the inequalities engine (docs: methods reference §0-5, 7.1-7.3, 9).

Array primitives (numpy in, numpy out, vectorised, no validation) for reuse by the profile
engine and plots, and frame functions (pandas in, pandas out) that validate their input and
return PHEindicatormethods-style results with 95% and 99.8% limits.
"""

from inequalities.stats.crude import proportion, rate
from inequalities.stats.dsr import dsr
from inequalities.stats.esp2013 import ESP2013, ESP2013_BANDS, ESP2013_WEIGHTS
from inequalities.stats.funnels import funnel, funnel_limits
from inequalities.stats.isr import isr
from inequalities.stats.limits import (
    byars_limits,
    exact_poisson_limits,
    poisson_count_limits,
    poisson_method,
    wilson_limits,
)
from inequalities.stats.means import mean
from inequalities.stats.quantiles import gap, quantile
from inequalities.stats.sii import sii

__all__ = [
    "ESP2013",
    "ESP2013_BANDS",
    "ESP2013_WEIGHTS",
    "byars_limits",
    "dsr",
    "exact_poisson_limits",
    "funnel",
    "funnel_limits",
    "gap",
    "isr",
    "mean",
    "poisson_count_limits",
    "poisson_method",
    "proportion",
    "quantile",
    "rate",
    "sii",
    "wilson_limits",
]
