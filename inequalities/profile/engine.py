"""Run a profile: DuckDB does the counting, numpy the confidence limits, ``sii`` the SIIs.

``run_profile(spec, extract, lookup)`` returns the long table documented in
docs/inequalities.md ("Profile output"): one row per indicator x area x breakdown category
(``row_type = "value"``), plus one row per indicator x area x deprivation-quantile breakdown
with the slope and relative indices of inequality (``row_type = "sii"``, ``category =
"SII"``). ``write_profile`` writes it as CSV or Parquet.
"""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from inequalities.confidence import limit_columns, z_value
from inequalities.errors import InputError
from inequalities.profile.expressions import ANSI, Dialect
from inequalities.profile.plan import (
    EXTRACT,
    EXTRACT_TABLE,
    LOOKUP_TABLE,
    Plan,
    build_sql,
    grouping_alias,
    measure_aliases,
    resolve,
)
from inequalities.profile.spec import (
    ENGLAND,
    IMD_DECILE,
    IMD_QUINTILE,
    PROPORTION,
    TOTAL,
    ProfileSpec,
    load_spec,
)
from inequalities.stats import poisson_count_limits, poisson_method, wilson_limits
from inequalities.stats.sii import sii

ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"
ALL_CATEGORY = "All"
NOT_KNOWN = "Not known"
SII_CATEGORY = "SII"
VALUE_ROW = "value"
SII_ROW = "sii"
#: The number of quantiles of the built-in deprivation breakdowns (others: as found).
QUANTILES = {IMD_DECILE: 10, IMD_QUINTILE: 5}

Source = str | Path | pd.DataFrame | pa.Table


@dataclass
class ProfileRun:
    """A profile's result with the SQL that produced its counts."""

    table: pd.DataFrame
    sql: str
    unmatched_lsoas: int  # records whose LSOA is not in the lookup


def run_profile(
    spec: ProfileSpec | str | Path | dict,
    extract: Source,
    lookup: Source | None = None,
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """The profile as a long table (see the module docstring)."""
    return profile(spec, extract, lookup, connection=connection).table


def profile(
    spec: ProfileSpec | str | Path | dict,
    extract: Source,
    lookup: Source | None = None,
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> ProfileRun:
    """Like ``run_profile``, also returning the SQL and the count of unmatched records."""
    if not isinstance(spec, ProfileSpec):
        spec = load_spec(spec)
    con = connection or duckdb.connect()
    try:
        _register(con, EXTRACT_TABLE, extract, "extract")
        if lookup is not None:
            _register(con, LOOKUP_TABLE, lookup, "lookup")
        plan = resolve(
            spec,
            _schema(con, EXTRACT_TABLE),
            _schema(con, LOOKUP_TABLE) if lookup is not None else None,
        )
        if plan.uses_lookup:
            _check_lookup_keys(con, plan)
        sql = build_sql(plan)
        counts = _run(con, sql)
        names = _area_names(con, plan)
    finally:
        if connection is None:
            con.close()
    table = assemble(plan, counts, names)
    return ProfileRun(table, sql, unmatched_records(plan, counts))


def profile_sql(
    spec: ProfileSpec | str | Path | dict,
    extract_columns: dict[str, str],
    lookup_columns: dict[str, str] | None = None,
    dialect: Dialect = ANSI,
) -> str:
    """The counting SQL alone, for running elsewhere (e.g. Spark): tables person_records and
    lsoa_lookup with the given {column: SQL type}."""
    if not isinstance(spec, ProfileSpec):
        spec = load_spec(spec)
    return build_sql(resolve(spec, extract_columns, lookup_columns, dialect), dialect)


# --- DuckDB -------------------------------------------------------------------------------


def _register(con: duckdb.DuckDBPyConnection, name: str, source: Source, what: str) -> None:
    if isinstance(source, pd.DataFrame | pa.Table):
        con.register(name, source)
        return
    path = Path(source)
    if not path.is_file():
        raise InputError(f"The {what} file {str(path)!r} does not exist.")
    suffixes = [s.lower() for s in path.suffixes]
    try:
        if ".parquet" in suffixes or ".pq" in suffixes:
            relation = con.read_parquet(str(path))
        else:
            relation = con.read_csv(str(path))
    except duckdb.Error as error:
        raise InputError(
            f"Cannot read the {what} file {str(path)!r}: {_first_line(error)}"
        ) from None
    relation.create_view(name, replace=True)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _schema(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE {table}").fetchall()}


def _run(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    try:
        return con.execute(sql).fetch_df()
    except duckdb.ConversionException as error:
        raise InputError(
            f"A value in the data does not fit its condition: {_first_line(error)}"
        ) from None


def _check_lookup_keys(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    key = ANSI.identifier(plan.lookup_lsoa)
    repeated = con.execute(
        f"SELECT {key}, COUNT(*) FROM {LOOKUP_TABLE} GROUP BY {key} HAVING COUNT(*) > 1 "  # noqa: S608 (quoted identifiers)
        f"ORDER BY {key} LIMIT 3"
    ).fetchall()
    if repeated:
        shown = ", ".join(f"{code!r} ({count} rows)" for code, count in repeated)
        raise InputError(
            f"The lookup has more than one row for an LSOA ({shown}); people there would be "
            "counted more than once. Give one row per LSOA."
        )


def unmatched_records(plan: Plan, counts: pd.DataFrame) -> int:
    """Records whose LSOA is not in the lookup, from the aggregation's ``unmatched`` column:
    every grouping set partitions all the records, so the sum over any one set is the total."""
    if counts.empty:
        return 0
    flags = [grouping_alias(d.alias) for d in [*plan.areas, *plan.breakdowns] if d is not None]
    if not flags:
        return int(counts["unmatched"].sum())
    first = (counts[flags] == counts[flags].iloc[0]).all(axis=1)
    return int(counts.loc[first, "unmatched"].sum())


def _area_names(con: duckdb.DuckDBPyConnection, plan: Plan) -> dict[str, dict[str, str]]:
    """{area level: {code: name}} for the levels whose table has a name column."""
    out: dict[str, dict[str, str]] = {}
    for dimension in plan.areas:
        if dimension is None or dimension.name_column is None:
            continue
        table = EXTRACT_TABLE if dimension.source == EXTRACT else LOOKUP_TABLE
        code = ANSI.identifier(dimension.columns[0])
        name = ANSI.identifier(dimension.name_column)
        rows = con.execute(
            f"SELECT DISTINCT {code}, {name} FROM {table} WHERE {code} IS NOT NULL"  # noqa: S608
        ).fetchall()
        out[dimension.label] = {_text(c): n for c, n in rows}
    return out


# --- from counts to the long table -------------------------------------------------------


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _labels(values: pd.Series, missing: str) -> np.ndarray:
    """Category or area-code text, with integral numbers written without '.0'."""
    out = np.empty(len(values), dtype=object)
    present = values.notna().to_numpy()
    raw = values.to_numpy(dtype=object)
    out[~present] = missing
    out[present] = [_text(v) for v in raw[present]]
    return out


def assemble(plan: Plan, counts: pd.DataFrame, names: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Turn the aggregation's output (one row per grouping-set group) into the long table."""
    spec = plan.spec
    rows = len(counts)
    area_level = np.full(rows, ENGLAND, dtype=object)
    area_code = np.full(rows, ENGLAND_CODE, dtype=object)
    area_order = np.zeros(rows, dtype=np.int64)
    for position, dimension in enumerate(plan.areas):
        if dimension is None:
            continue
        grouped = (counts[grouping_alias(dimension.alias)] == 0).to_numpy()
        area_level[grouped] = dimension.label
        area_code[grouped] = _labels(counts.loc[grouped, dimension.alias], None)
        area_order[grouped] = position
    england_position = next((i for i, d in enumerate(plan.areas) if d is None), 0)
    area_order[area_level == ENGLAND] = england_position

    breakdown = np.full(rows, TOTAL, dtype=object)
    category = np.full(rows, ALL_CATEGORY, dtype=object)
    breakdown_order = np.zeros(rows, dtype=np.int64)
    category_number = np.full(rows, np.nan)
    for position, dimension in enumerate(plan.breakdowns):
        if dimension is None:
            breakdown_order[breakdown == TOTAL] = position
            continue
        grouped = (counts[grouping_alias(dimension.alias)] == 0).to_numpy()
        values = counts.loc[grouped, dimension.alias]
        breakdown[grouped] = dimension.label
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        category_number[grouped] = numbers
        if dimension.labels is None:
            category[grouped] = _labels(values, NOT_KNOWN)
        else:  # the SQL gave the category's number (e.g. age band 0, 1, ...)
            known = ~np.isnan(numbers)
            labels = np.array([*dimension.labels, NOT_KNOWN], dtype=object)
            category[grouped] = labels[np.where(known, numbers, len(dimension.labels)).astype(int)]
        breakdown_order[grouped] = position

    area_name = np.full(rows, None, dtype=object)
    area_name[area_level == ENGLAND] = ENGLAND_NAME
    for level, mapping in names.items():
        mask = area_level == level
        area_name[mask] = [mapping.get(code) for code in area_code[mask]]
    unknown_area = pd.isna(area_code)
    area_name[unknown_area] = NOT_KNOWN

    frames = []
    for index, indicator in enumerate(spec.indicators):
        d_alias, n_alias = measure_aliases(index)
        frames.append(
            pd.DataFrame(
                {
                    "indicator_order": index,
                    "area_order": area_order,
                    "breakdown_order": breakdown_order,
                    "category_number": category_number,
                    "indicator_id": indicator.id,
                    "indicator_name": indicator.name,
                    "indicator_type": indicator.type,
                    "area_level": area_level,
                    "area_code": area_code,
                    "area_name": area_name,
                    "breakdown": breakdown,
                    "category": category,
                    "row_type": VALUE_ROW,
                    "numerator": counts[n_alias].to_numpy(dtype=np.int64),
                    "denominator": counts[d_alias].to_numpy(dtype=np.int64),
                    "multiplier": indicator.multiplier,
                }
            )
        )
    long = pd.concat(frames, ignore_index=True)
    _add_limits(long, spec.confidence)
    long = _with_sii(long, plan)
    sort = ["indicator_order", "area_order", "area_code", "breakdown_order", "row_type_order"]
    long["row_type_order"] = (long["row_type"] == SII_ROW).astype(int)
    long["not_known"] = (long["category"] == NOT_KNOWN).astype(int)
    long = long.sort_values(
        [*sort[:4], "row_type_order", "not_known", "category_number", "category"],
        na_position="last",
        kind="stable",
        ignore_index=True,
    )
    return long[output_columns(spec.confidence, plan.spec.sii is not None)]


def output_columns(levels: Sequence[float], with_sii: bool) -> list[str]:
    columns = [
        "indicator_id", "indicator_name", "indicator_type", "area_level", "area_code",
        "area_name", "breakdown", "category", "row_type", "numerator", "denominator",
        "multiplier", "value",
    ]  # fmt: skip
    for level in levels:
        columns += list(limit_columns(level))
    columns += ["confidence", "method"]
    if with_sii:
        for stat in ("sii", "rii"):
            columns.append(stat)
            for level in levels:
                low, high = limit_columns(level)
                columns += [f"{stat}_{low}", f"{stat}_{high}"]
    return columns


def _confidence_text(levels: Sequence[float]) -> str:
    return ", ".join(f"{round(level * 100, 6):g}%" for level in levels)


def _add_limits(long: pd.DataFrame, levels: Sequence[float]) -> None:
    """value and limits, vectorised over every row: Wilson for proportions, exact Poisson
    (O < 10) or Byar's for rates (methods reference §1, §2)."""
    x = long["numerator"].to_numpy(dtype=np.float64)
    n = long["denominator"].to_numpy(dtype=np.float64)
    m = long["multiplier"].to_numpy(dtype=np.float64)
    empty = n <= 0
    n_safe = np.where(empty, np.nan, n)
    proportion = (long["indicator_type"] == PROPORTION).to_numpy()
    long["value"] = x / n_safe * m
    for level in levels:
        low_name, high_name = limit_columns(level)
        w_low, w_high = wilson_limits(x, n_safe, z_value(level))
        p_low, p_high = poisson_count_limits(x, level)
        long[low_name] = np.where(proportion, w_low, p_low / n_safe) * m
        long[high_name] = np.where(proportion, w_high, p_high / n_safe) * m
    long["confidence"] = _confidence_text(levels)
    method = np.where(proportion, "Wilson", poisson_method(x)).astype(object)
    method[empty] = None
    long["method"] = method


def _with_sii(long: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    settings = plan.spec.sii
    if settings is None:
        return long
    levels = plan.spec.confidence
    areas = settings.areas
    parts = [long]
    keys = ["indicator_id", "area_level", "area_code"]
    for name in settings.breakdowns:
        rows = long[(long["breakdown"] == name) & (long["category"] != NOT_KNOWN)]
        if areas is not None:
            rows = rows[rows["area_level"].isin(areas)]
        rows = rows[rows["area_code"].notna()]
        if rows.empty:
            continue
        quantiles = QUANTILES.get(name) or len(rows["category_number"].dropna().unique())
        summary = rows.groupby(keys, sort=False, dropna=False).first().reset_index()
        summary = summary[
            [*keys, "indicator_name", "indicator_type", "area_name", "multiplier",
             "indicator_order", "area_order", "breakdown_order"]
        ]  # fmt: skip
        reason = _sii_problems(rows, keys, quantiles)
        summary = summary.merge(reason, on=keys, how="left")
        ready = rows.merge(summary.loc[summary["problem"].isna(), keys], on=keys)
        results = []
        for kind, value_type in ((PROPORTION, 2), ("rate", 1)):
            subset = ready[ready["indicator_type"] == kind]
            if subset.empty:
                continue
            results.append(_sii_call(subset, keys, kind, value_type, settings, levels))
        merged = summary
        if results:
            merged = summary.merge(pd.concat(results, ignore_index=True), on=keys, how="left")
        merged["breakdown"] = name
        merged["category"] = SII_CATEGORY
        merged["row_type"] = SII_ROW
        merged["category_number"] = np.nan
        merged["confidence"] = _confidence_text(levels)
        described = (
            f"Slope index of inequality (PHE phe_sii method): {quantiles} quantiles "
            f"(1 = most deprived), {settings.draws:,} simulation draws"
        )
        merged["method"] = np.where(
            merged["problem"].isna(),
            described,
            "SII not calculated: " + merged["problem"].fillna(""),
        )
        parts.append(merged.drop(columns=["problem"]))
    out = pd.concat(parts, ignore_index=True)
    for column in ("numerator", "denominator"):
        out[column] = out[column].astype("Int64")
    return out


def _sii_problems(rows: pd.DataFrame, keys: list[str], quantiles: int) -> pd.DataFrame:
    """Per group, why the SII cannot be computed (None when it can): a missing quantile, a
    quantile with nobody in the denominator, or a proportion of 0% or 100% (or a rate of
    0), which the log/logit scale of the SE cannot take (methods reference §7.3, step 3)."""
    present = rows.groupby(keys, sort=False, dropna=False)["category_number"].nunique()
    x = rows["numerator"].to_numpy(dtype=float)
    n = rows["denominator"].to_numpy(dtype=float)
    proportion = (rows["indicator_type"] == PROPORTION).to_numpy()
    flags = rows[keys].copy()
    flags["empty"] = n <= 0
    flags["extreme"] = (n > 0) & ((x <= 0) | (proportion & (x >= n)))
    per_group = flags.groupby(keys, sort=False, dropna=False)[["empty", "extreme"]].any()
    per_group["present"] = present
    problem = np.full(len(per_group), None, dtype=object)
    extreme = per_group["extreme"].to_numpy()
    problem[extreme] = "a quantile's value is 0 (or 100%), which has no log/logit-scale error"
    empty = per_group["empty"].to_numpy()
    problem[empty] = "a quantile has nobody in the denominator"
    missing = per_group["present"].to_numpy() < quantiles
    problem[missing] = f"not every one of the {quantiles} quantiles has people in it"
    per_group["problem"] = problem
    return per_group[["problem"]].reset_index()


def _sii_call(
    rows: pd.DataFrame, keys: list[str], kind: str, value_type: int, settings, levels
) -> pd.DataFrame:
    x = rows["numerator"].to_numpy(dtype=float)
    n = rows["denominator"].to_numpy(dtype=float)
    z = z_value(0.95)
    data = rows[keys].copy()
    data["quantile"] = rows["category_number"].to_numpy()
    data["population"] = n
    if kind == PROPORTION:
        data["value"] = x / n
        data["lower95"], data["upper95"] = wilson_limits(x, n, z)
        multiplier = rows["multiplier"].to_numpy(dtype=float)
    else:
        m = rows["multiplier"].to_numpy(dtype=float)
        data["value"] = x / n * m
        low, high = poisson_count_limits(x, 0.95)
        data["lower95"], data["upper95"] = low / n * m, high / n * m
        multiplier = np.ones(len(rows))
    data["sii_multiplier"] = multiplier
    results = []
    # One call per multiplier (the SII is scaled by the indicator's multiplier).
    for factor, subset in data.groupby("sii_multiplier", sort=False):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            results.append(
                sii(
                    subset.drop(columns="sii_multiplier"),
                    value_type=value_type,
                    draws=settings.draws,
                    seed=settings.seed,
                    confidence=levels,
                    multiplier=float(factor),
                    group_by=keys,
                )
            )
    result = pd.concat(results, ignore_index=True)
    return result[[c for c in result.columns if c in keys or c.startswith(("sii", "rii"))]]


# --- writing ------------------------------------------------------------------------------


def write_table(table: pd.DataFrame, path: str | Path) -> None:
    """CSV, or Parquet when the name ends in .parquet."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        table.to_parquet(path, index=False)
    else:
        table.to_csv(path, index=False)


def write_profile(run: ProfileRun, directory: str | Path) -> list[Path]:
    """profile.csv, profile.parquet and profile.sql in ``directory`` (created if needed)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "profile.csv", directory / "profile.parquet", directory / "profile.sql"]
    write_table(run.table, paths[0])
    write_table(run.table, paths[1])
    paths[2].write_text(run.sql + "\n", encoding="utf-8")
    return paths
