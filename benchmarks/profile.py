"""Benchmark: the record-level profile on a synthetic England-shaped extract.

    uv run python benchmarks/profile.py               # 10,000,000 people
    uv run python benchmarks/profile.py --rows 1000000

People are spread over the real English LSOAs (2011) in proportion to the ONS mid-2020
population, with the LSOA's own single-year age structure; sex, ethnicity and eight
indicator flags are drawn with rates that vary with age and IMD 2019 deprivation. The extract
is written once as Parquet under benchmarks/out/ (gitignored) and reused, so generation is not
timed. Reference files come from data/reference/ in the repository, else ../shared/data/.

Three timings, the best of --repeat runs (default 3):

* engine: ``run_profile`` (one portable SQL statement in DuckDB, then vectorised CIs and SIIs);
* pandas: the same profile with plain pandas groupbys (benchmarks/profile_pandas.py), sharing
  only the CI/SII step, and checked to give the same counts (timed once: it is slow);
* scan: one DuckDB pass over the same columns of the same file (a sum per column).

Scan and engine runs alternate, so that load from other work on a shared machine affects
both alike.

The last line is ``profile rows=N engine_s=... pandas_s=... scan_s=... vs_pandas=...x
vs_scan=...x`` (vs_pandas = pandas/engine, vs_scan = engine/scan).
"""

import argparse
import resource
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from inequalities.profile import load_spec, run_profile  # noqa: E402
from inequalities.profile.reference import build_lsoa11_lookup, find_reference_file  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
REFERENCE_ROOTS = [ROOT / "data" / "reference", ROOT.parent / "shared" / "data"]
POPULATION_FILE = "ons_sape23dt2_mid2020_lsoa11_syoa_persons_EW.csv.gz"
ETHNIC_GROUPS = np.array(["White", "Asian", "Black", "Mixed", "Other"])

SPEC = """
indicators:
  - id: HYP_CONTROL
    name: Hypertension treated to target (aged 18+)
    type: proportion
    multiplier: 100
    denominator: "age >= 18 and hypertension = 1"
    numerator: "bp_controlled = 1"
  - id: SMI_CHECK
    name: SMI annual physical health check
    type: proportion
    multiplier: 100
    denominator: "age >= 18 and smi = 1"
    numerator: "smi_health_check = 1"
  - id: COPD_FLU
    name: Flu vaccination in people with COPD
    type: proportion
    multiplier: 100
    denominator: "copd = 1"
    numerator: "flu_vaccinated = 1"
  - id: CERVICAL
    name: Cervical screening coverage (women 25-64)
    type: proportion
    multiplier: 100
    denominator: "sex = 'F' and age >= 25 and age <= 64"
    numerator: "cervical_screened = 1"
  - id: SMOKING
    name: Smoking prevalence (aged 18+)
    type: proportion
    multiplier: 100
    denominator: "age >= 18"
    numerator: "smoker = 1"
  - id: EARLY_DIAGNOSIS
    name: Cancers diagnosed at stage 1 or 2
    type: proportion
    multiplier: 100
    denominator: "cancer_diagnosed = 1"
    numerator: "cancer_early_stage = 1"
  - id: EMERGENCY_ADMISSIONS
    name: People with an emergency admission, per 100,000
    type: rate
    multiplier: 100000
    numerator: "emergency_admission = 1"
areas: [england, region, icb, lad]
breakdowns: [total, imd_decile, imd_quintile, core20, sex, ethnicity, age_band]
age_bands: [0, 18, 40, 65, 80]
sii:
  breakdowns: [imd_decile, imd_quintile]
  draws: 1000
  seed: 2019
"""

COLUMNS = [
    "lsoa", "age", "sex", "ethnicity", "hypertension", "bp_controlled", "smi",
    "smi_health_check", "copd", "flu_vaccinated", "cervical_screened", "smoker",
    "cancer_diagnosed", "cancer_early_stage", "emergency_admission",
]  # fmt: skip


def reference_lookup() -> pd.DataFrame:
    return build_lsoa11_lookup(REFERENCE_ROOTS)


def _flag(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    return (rng.random(p.shape[0], dtype=np.float32) < p).astype(np.int8)


def generate(rows: int, seed: int, lookup: pd.DataFrame, path: Path) -> None:
    """Write the synthetic extract to ``path`` (Parquet), in chunks to keep memory low."""
    population = pd.read_csv(find_reference_file(POPULATION_FILE, REFERENCE_ROOTS))
    population = population.set_index("lsoa11_code").reindex(lookup["lsoa"])
    ages = population.loc[:, "0":"90+"].to_numpy(dtype=np.float64)  # 32,844 x 91
    weights = ages.ravel() / ages.sum()
    cumulative = np.cumsum(weights)
    codes = pa.array(lookup["lsoa"].to_numpy(dtype=str))
    # 1 for the most deprived decile, 0 for the least.
    deprivation = ((10 - lookup["imd_decile"].to_numpy()) / 9).astype(np.float32)
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    writer = None
    chunk = 1_000_000
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        cell = np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right")
        cell = np.minimum(cell, len(weights) - 1)
        lsoa = (cell // 91).astype(np.int32)
        age = (cell % 91).astype(np.int16)
        old = age == 90
        age[old] += rng.integers(0, 11, int(old.sum()), dtype=np.int16)
        dep = deprivation[lsoa]
        adult = age >= 18
        female = rng.random(n, dtype=np.float32) < np.where(age >= 75, 0.56, 0.5)
        minority = rng.random(n, dtype=np.float32) < 0.08 + 0.22 * dep
        group = rng.choice(np.arange(1, 5), n, p=[0.5, 0.2, 0.15, 0.15])
        ethnicity = np.where(minority, ETHNIC_GROUPS[group], "White").astype(object)
        ethnicity[rng.random(n, dtype=np.float32) < 0.04] = None  # not stated
        a = age.astype(np.float32)
        hypertension = _flag(rng, adult / (1 + np.exp(6.2 - 0.085 * a - 0.5 * dep)))
        smi = _flag(rng, adult * (0.006 + 0.01 * dep))
        copd = _flag(rng, (age >= 35) * (0.004 + 0.0005 * (a - 35) + 0.02 * dep))
        cancer = _flag(rng, 0.0003 + 0.00012 * (a / 10) ** 2)
        columns = {
            "lsoa": pa.DictionaryArray.from_arrays(pa.array(lsoa), codes),
            "age": age,
            "sex": np.where(female, "F", "M"),
            "ethnicity": ethnicity,
            "hypertension": hypertension,
            "bp_controlled": hypertension * _flag(rng, 0.74 - 0.14 * dep),
            "smi": smi,
            "smi_health_check": smi * _flag(rng, 0.66 - 0.16 * dep),
            "copd": copd,
            "flu_vaccinated": _flag(rng, np.where(copd == 1, 0.82 - 0.12 * dep, 0.25 + a / 200)),
            "cervical_screened": female
            * (age >= 25)
            * (age <= 64)
            * _flag(rng, 0.76 - 0.14 * dep).astype(bool),
            "smoker": adult * _flag(rng, 0.08 + 0.16 * dep),
            "cancer_diagnosed": cancer,
            "cancer_early_stage": cancer * _flag(rng, 0.60 - 0.10 * dep),
            "emergency_admission": _flag(rng, 0.05 + 0.0012 * a + 0.05 * dep),
        }
        columns["cervical_screened"] = columns["cervical_screened"].astype(np.int8)
        table = pa.table(columns).cast(
            pa.schema(
                [pa.field("lsoa", pa.string())]
                + [pa.field(c, pa.table(columns).schema.field(c).type) for c in COLUMNS[1:]]
            )
        )
        if writer is None:
            writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
        writer.write_table(table, row_group_size=chunk)
    if writer is not None:
        writer.close()
    tmp.replace(path)


def extract_path(rows: int, seed: int) -> Path:
    return OUT / f"extract_{rows}_{seed}.parquet"


def time_best(repeat: int, action):
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def scan(path: Path) -> tuple:
    """One DuckDB pass reading every value of the profile's columns (a sum per column)."""
    parts = ["SUM(LENGTH(lsoa))", "SUM(LENGTH(sex))", "SUM(LENGTH(ethnicity))"]
    parts += [f"SUM({c})" for c in COLUMNS if c not in {"lsoa", "sex", "ethnicity"}]
    with duckdb.connect() as con:
        return con.execute(
            f"SELECT {', '.join(parts)} FROM read_parquet(?)",  # noqa: S608 (fixed column names)
            [str(path)],
        ).fetchone()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=20191)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--skip-pandas", action="store_true", help="do not time pandas")
    args = parser.parse_args(argv)

    from profile_pandas import run_profile_pandas

    lookup = reference_lookup()
    path = extract_path(args.rows, args.seed)
    if not path.exists():
        start = time.perf_counter()
        generate(args.rows, args.seed, lookup, path)
        print(f"generated {path.name} in {time.perf_counter() - start:.1f}s")
    spec = load_spec(SPEC)

    # Scan and engine alternate, so that a busy spell on a shared machine hits both alike.
    scan_s = engine_s = float("inf")
    for _ in range(args.repeat):
        seconds, _ = time_best(1, lambda: scan(path))
        scan_s = min(scan_s, seconds)
        seconds, result = time_best(1, lambda: run_profile(spec, path, lookup))
        engine_s = min(engine_s, seconds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"scan:   {scan_s:.3f}s  (one DuckDB pass over {len(COLUMNS)} columns)")
    print(f"engine: {engine_s:.3f}s  ({len(result):,} output rows; peak memory {peak_mb:,.0f} MB)")
    pandas_s = float("nan")
    if not args.skip_pandas:
        pandas_s, expected = time_best(1, lambda: run_profile_pandas(spec, path, lookup))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"pandas: {pandas_s:.3f}s  ({len(expected):,} output rows; peak {peak_mb:,.0f} MB)")
        check_same(result, expected)
        print("pandas and engine results agree")
    print(
        f"profile rows={args.rows} engine_s={engine_s:.3f} pandas_s={pandas_s:.3f} "
        f"scan_s={scan_s:.3f} vs_pandas={pandas_s / engine_s:.1f}x vs_scan={engine_s / scan_s:.1f}x"
    )
    return 0


def check_same(engine: pd.DataFrame, pandas: pd.DataFrame) -> None:
    """The two implementations must agree on every count (and so on every value)."""
    keys = ["indicator_id", "area_level", "area_code", "breakdown", "category", "row_type"]
    merged = engine.merge(pandas, on=keys, how="outer", suffixes=("", "_pd"), indicator=True)
    if (merged["_merge"] != "both").any():
        raise SystemExit(
            f"engine and pandas rows differ:\n{merged[merged['_merge'] != 'both'].head()}"
        )
    for column in ["numerator", "denominator", "value", "sii"]:
        a = merged[column].to_numpy(dtype=float)
        b = merged[f"{column}_pd"].to_numpy(dtype=float)
        if not np.allclose(a, b, equal_nan=True, rtol=1e-9):
            raise SystemExit(f"engine and pandas disagree on {column}")


if __name__ == "__main__":
    raise SystemExit(main())
