"""Throughput of inequalities.stats.sii at PHE's default 100,000 draws, on one core.

Generates 2,000 areas x 10 deciles of realistic indicator data with a fixed seed (life
expectancy-like values, mortality rates with exact Poisson limits, proportions with Wilson
limits), times ``sii`` for each case and prints SII calculations (groups) per second:

* linear cases: value_type 0 (slope and RII draws are both linear in the normal draws), and
  rates and proportions with ``transform=True`` (the fit is on the log/logit scale);
* non-linear cases: rates and proportions with ``transform=False`` (every draw is
  back-transformed with exp / inverse logit before the fit), reported separately.

BLAS and OpenMP are pinned to one thread before numpy is imported, so the run uses one core.
Rates are groups per CPU-second of this process (``time.process_time``): with one thread that
is per core-second, and it does not count time the core spent on other processes, which on a
shared machine can be most of the wall-clock time. Wall-clock rates are printed alongside; on
an idle machine the two agree. The last line, for the acceptance check, is the slowest
linear case: ``sii per_second=<groups per CPU-second> draws=100000 cores=1``.

Run: ``uv run python benchmarks/sii.py [--groups 2000] [--repeats 3]``.
"""

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.stats import chi2  # noqa: E402

from inequalities.stats.sii import sii  # noqa: E402

DRAWS = 100_000
DECILES = 10
Z95 = 1.959963984540054


def make_data(groups: int, seed: int = 20_240_601) -> dict[str, pd.DataFrame]:
    """Three tables of groups x 10 deciles: 'other', 'rate' and 'proportion' indicators."""
    rng = np.random.default_rng(seed)
    area = np.repeat([f"E{i:08d}" for i in range(groups)], DECILES)
    decile = np.tile(np.arange(1, DECILES + 1), groups)
    population = rng.integers(3_000, 30_000, size=groups * DECILES).astype(float)
    # Relative rank of each decile, roughly: most deprived (1) at 0.05, least at 0.95.
    rank = (decile - 0.5) / DECILES
    gradient = rng.uniform(0.3, 0.9, size=groups).repeat(DECILES)

    # Life-expectancy-like values with a normal standard error.
    expectancy = 76 + 8 * gradient * rank + rng.normal(0, 0.6, size=area.size)
    se = rng.uniform(0.3, 1.5, size=area.size)
    other = pd.DataFrame(
        {
            "area": area,
            "decile": decile,
            "population": population,
            "value": expectancy,
            "lower95": expectancy - Z95 * se,
            "upper95": expectancy + Z95 * se,
        }
    )

    # Mortality rates per 100,000 falling with affluence; exact Poisson limits.
    base = rng.uniform(500, 1_200, size=groups).repeat(DECILES)
    expected = population * base * (1.6 - gradient * rank) / 100_000
    deaths = np.maximum(rng.poisson(expected), 1).astype(float)
    rate = pd.DataFrame(
        {
            "area": area,
            "decile": decile,
            "population": population,
            "value": deaths / population * 100_000,
            "lower95": chi2.ppf(0.025, 2 * deaths) / 2 / population * 100_000,
            "upper95": chi2.ppf(0.975, 2 * deaths + 2) / 2 / population * 100_000,
        }
    )

    # Proportions (e.g. smoking prevalence) falling with affluence; Wilson limits.
    chance = rng.uniform(0.12, 0.25, size=groups).repeat(DECILES) * (1.5 - gradient * rank)
    sample = np.round(population / 10)
    cases = np.clip(rng.binomial(sample.astype(int), chance), 1, sample - 1).astype(float)
    p = cases / sample
    root = Z95 * np.sqrt(Z95**2 + 4 * cases * (1 - p))
    denominator = 2 * (sample + Z95**2)
    proportion = pd.DataFrame(
        {
            "area": area,
            "decile": decile,
            "population": sample,
            "value": p,
            "lower95": (2 * cases + Z95**2 - root) / denominator,
            "upper95": (2 * cases + Z95**2 + root) / denominator,
        }
    )
    return {"other": other, "rate": rate, "proportion": proportion}


CASES = [
    # (label, table, value_type, transform, linear)
    ("value_type 0 (other), SII and RII draws", "other", 0, False, True),
    ("rate, transform=True (log scale)", "rate", 1, True, True),
    ("proportion, transform=True (logit scale)", "proportion", 2, True, True),
    ("rate, transform=False (exp of every draw)", "rate", 1, False, False),
    ("proportion, transform=False (inverse logit of every draw)", "proportion", 2, False, False),
]


def time_case(
    table: pd.DataFrame, value_type: int, transform: bool, repeats: int
) -> tuple[float, float]:
    """Median (CPU seconds, wall seconds) of one sii() call over the whole table."""
    kwargs = {
        "quantile": "decile",
        "value_type": value_type,
        "transform": transform,
        "draws": DRAWS,
        "group_by": "area",
    }
    sii(table.head(4 * DECILES), seed=0, **kwargs)  # warm up imports and allocations
    cpu, wall = [], []
    for repeat in range(repeats):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        result = sii(table, seed=repeat, **kwargs)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
        if result["sii_lower95"].isna().any() or result["rii_upper99_8"].isna().any():
            raise RuntimeError("missing limits in the benchmark result")
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    available = len(os.sched_getaffinity(0))
    print(
        f"cores available={available}; BLAS/OpenMP threads pinned to 1, so this run uses "
        f"one core. numpy {np.__version__}, draws={DRAWS}, deciles={DECILES}, "
        f"groups={args.groups}, median of {args.repeats} runs."
    )
    tables = make_data(args.groups)
    linear_rates = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for label, name, value_type, transform, linear in CASES:
            cpu, wall = time_case(tables[name], value_type, transform, args.repeats)
            rate = args.groups / cpu
            kind = "linear" if linear else "non-linear"
            print(
                f"{kind:>10}: {label}: {rate:,.0f} groups per CPU-second "
                f"({cpu:.2f} s CPU; wall-clock {args.groups / wall:,.0f} groups/s, {wall:.2f} s)"
            )
            if linear:
                linear_rates.append(rate)
    print(f"sii per_second={int(min(linear_rates))} draws={DRAWS} cores=1")


if __name__ == "__main__":
    main()
