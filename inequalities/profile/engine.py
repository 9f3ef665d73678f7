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
    unmatched_records: int  # records whose LSOA is not in the lookup


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
        register(con, EXTRACT_TABLE, extract, "extract")
        if lookup is not None:
            register(con, LOOKUP_TABLE, lookup, "lookup")
        extract_columns = schema(con, EXTRACT_TABLE)
        lookup_columns = schema(con, LOOKUP_TABLE) if lookup is not None else None
        try:
            plan = resolve(spec, extract_columns, lookup_columns)
        except InputError:
            # A CSV with a header only has untyped (text) columns: say what is really wrong.
            if not con.execute(f"SELECT 1 FROM {EXTRACT_TABLE} LIMIT 1").fetchall():  # noqa: S608
                raise InputError("The extract has no records.") from None
            if (
                lookup is not None
                and not con.execute(
                    f"SELECT 1 FROM {LOOKUP_TABLE} LIMIT 1"  # noqa: S608
                ).fetchall()
            ):
                raise InputError("The lookup has no rows.") from None
            raise
        if plan.uses_lookup:
            _check_lookup_keys(con, plan)
        sql = build_sql(plan)
        counts = _run(con, sql)
        names = _area_names(con, plan)
    finally:
        if connection is None:
            con.close()
    table = assemble(plan, counts, names)
    return ProfileRun(table, sql, count_unmatched(plan, counts))


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
    return build_sql(resolve(spec, extract_columns, lookup_columns), dialect)


# --- DuckDB -------------------------------------------------------------------------------


def register(con: duckdb.DuckDBPyConnection, name: str, source: Source, what: str) -> None:
    """Make ``source`` (a CSV or Parquet path, a DataFrame or an Arrow table) the view ``name``."""
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


def schema(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """{column: type} of a table or view."""
    return {row[0]: row[1] for row in con.execute(f"DESCRIBE {table}").fetchall()}


def _run(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    try:
        return con.execute(sql).fetch_df()
    except duckdb.ConversionException as error:
        raise InputError(
            f"A value in the data does not fit its condition: {_first_line(error)}"
        ) from None
    except (duckdb.InvalidInputException, duckdb.IOException) as error:
        # e.g. a CSV row that does not match the columns found at the top of the file
        raise InputError(f"Cannot read the data: {_first_line(error)}") from None


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


def count_unmatched(plan: Plan, counts: pd.DataFrame) -> int:
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
#
# Built with numpy arrays and one DataFrame at the end: the table has ~10^5 rows whatever
# the size of the extract, and this step should stay a small part of a profile's time.


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _labels(values: pd.Series, missing: object) -> np.ndarray:
    """Category or area-code text, with integral numbers written without '.0'."""
    out = np.empty(len(values), dtype=object)
    present = values.notna().to_numpy()
    raw = values.to_numpy(dtype=object)
    out[~present] = missing
    out[present] = [_text(v) for v in raw[present]]
    return out


@dataclass
class _Groups:
    """One entry per group of the aggregation (a row of ``counts``)."""

    area_level: np.ndarray
    area_code: np.ndarray  # None for records whose area is not known
    area_name: np.ndarray
    area_order: np.ndarray  # position of the area level in the spec
    area_key: np.ndarray  # one number per (area level, area code)
    breakdown: np.ndarray
    category: np.ndarray
    breakdown_order: np.ndarray
    category_number: np.ndarray  # the category as a number (NaN for text)


def _groups(plan: Plan, counts: pd.DataFrame, names: dict[str, dict[str, str]]) -> _Groups:
    rows = len(counts)
    area_level = np.full(rows, ENGLAND, dtype=object)
    area_code = np.full(rows, ENGLAND_CODE, dtype=object)
    area_order = np.full(rows, next((i for i, d in enumerate(plan.areas) if d is None), 0))
    for position, dimension in enumerate(plan.areas):
        if dimension is None:
            continue
        grouped = (counts[grouping_alias(dimension.alias)] == 0).to_numpy()
        area_level[grouped] = dimension.label
        area_code[grouped] = _labels(counts.loc[grouped, dimension.alias], None)
        area_order[grouped] = position
    area_name = np.full(rows, None, dtype=object)
    area_name[area_level == ENGLAND] = ENGLAND_NAME
    for level, mapping in names.items():
        mask = area_level == level
        area_name[mask] = [mapping.get(code) for code in area_code[mask]]
    area_name[pd.isna(area_code)] = NOT_KNOWN
    # One number per (level, code); a missing code is a value of its own. (Factorising a
    # MultiIndex of the two took 60 ms on 10^4 rows: it builds a tuple per row.)
    code_number = pd.factorize(area_code, use_na_sentinel=False)[0]
    area_key = pd.factorize(area_order * (code_number.max(initial=0) + 1) + code_number)[0]

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
        breakdown_order[grouped] = position
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        category_number[grouped] = numbers
        if dimension.labels is None:
            category[grouped] = _labels(values, NOT_KNOWN)
        else:  # the SQL gave the category's number (e.g. age band 0, 1, ...)
            labels = np.array([*dimension.labels, NOT_KNOWN], dtype=object)
            index = np.where(np.isnan(numbers), len(dimension.labels), numbers).astype(int)
            category[grouped] = labels[index]
    return _Groups(
        area_level, area_code, area_name, area_order, area_key, breakdown, category,
        breakdown_order, category_number,
    )  # fmt: skip


def assemble(plan: Plan, counts: pd.DataFrame, names: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Turn the aggregation's output (one row per grouping-set group) into the long table."""
    spec = plan.spec
    levels = spec.confidence
    groups = _groups(plan, counts, names)
    n_groups = len(counts)
    n_indicators = len(spec.indicators)
    # Value rows: indicator-major, one row per indicator x group.
    g = np.tile(np.arange(n_groups), n_indicators)
    i = np.repeat(np.arange(n_indicators), n_groups)
    numerators = [counts[measure_aliases(k)[1]].to_numpy(np.int64) for k in range(n_indicators)]
    denominators = [counts[measure_aliases(k)[0]].to_numpy(np.int64) for k in range(n_indicators)]
    x = np.concatenate(numerators) if numerators else np.zeros(0, np.int64)
    n = np.concatenate(denominators) if denominators else np.zeros(0, np.int64)
    multiplier = np.array([ind.multiplier for ind in spec.indicators])[i]
    proportion = np.array([ind.type == PROPORTION for ind in spec.indicators])[i]
    columns: dict[str, np.ndarray] = {
        "numerator": x.astype(np.float64),
        "denominator": n.astype(np.float64),
        "multiplier": multiplier,
        **_limits(x, n, multiplier, proportion, levels),
        "row_type": np.full(len(g), VALUE_ROW, dtype=object),
    }
    columns["method"] = np.where(proportion, "Wilson", poisson_method(x)).astype(object)
    columns["method"][n <= 0] = None
    if spec.sii is not None:
        extra = _sii_rows(plan, groups, i, g, x, n, multiplier, proportion)
        i = np.concatenate([i, extra.pop("indicator")])
        g = np.concatenate([g, extra.pop("group")])
        columns = _stack(columns, extra)

    is_sii = columns.pop("row_type") == SII_ROW
    # Categories per group, plus "SII" as one more entry for the SII rows.
    category_index = np.where(is_sii, n_groups, g)
    categories = np.append(groups.category, SII_CATEGORY).astype(object)
    category_number = np.where(is_sii, np.nan, groups.category_number[g])
    order = np.lexsort(
        (
            _rank(categories)[category_index],
            np.nan_to_num(category_number, nan=np.inf),
            categories[category_index] == NOT_KNOWN,
            is_sii,
            groups.breakdown_order[g],
            _rank(groups.area_code)[g],
            groups.area_order[g],
            i,
        )
    )
    indicators = spec.indicators
    i, g, is_sii, category_index = i[order], g[order], is_sii[order], category_index[order]
    method_codes, method_values = pd.factorize(columns.pop("method")[order])
    # Text columns are taken from their few distinct values: quick, whatever the row count.
    text = {
        "indicator_id": ([d.id for d in indicators], i),
        "indicator_name": ([d.name for d in indicators], i),
        "indicator_type": ([d.type for d in indicators], i),
        "area_level": (groups.area_level, g),
        "area_code": (groups.area_code, g),
        "area_name": (groups.area_name, g),
        "breakdown": (groups.breakdown, g),
        "category": (categories, category_index),
        "row_type": ([VALUE_ROW, SII_ROW], is_sii.astype(np.intp)),
        "confidence": ([_confidence_text(levels)], np.zeros(len(i), np.intp)),
        "method": (
            [*method_values, None],
            np.where(method_codes < 0, len(method_values), method_codes),
        ),
    }
    table = {name: _take_text(values, index) for name, (values, index) in text.items()}
    table |= {name: values[order] for name, values in columns.items()}
    for name in ("numerator", "denominator"):
        table[name] = pd.array(table[name], dtype="Int64")
    return pd.DataFrame(
        {name: table[name] for name in output_columns(levels, spec.sii is not None)}
    )


def _take_text(values, index: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A text column built from its distinct values and each row's position among them."""
    return pd.array(np.asarray(values, dtype=object), dtype="str").take(index)


def _stack(top: dict[str, np.ndarray], bottom: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Rows of ``bottom`` under those of ``top``; a column missing from one side is NaN."""
    top_rows = len(next(iter(top.values())))
    bottom_rows = len(next(iter(bottom.values()))) if bottom else 0
    out = {}
    for name in dict.fromkeys([*top, *bottom]):
        upper = top.get(name, np.full(top_rows, np.nan))
        lower = bottom.get(name, np.full(bottom_rows, np.nan))
        if upper.dtype == object or lower.dtype == object:
            upper, lower = upper.astype(object), lower.astype(object)
        out[name] = np.concatenate([upper, lower])
    return out


def _rank(values: np.ndarray) -> np.ndarray:
    """Each value's position in sorted order (missing values last), for np.lexsort."""
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    return np.where(codes < 0, len(uniques), codes)


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
        columns += _sii_columns(levels)
    return columns


def _sii_columns(levels: Sequence[float]) -> list[str]:
    columns = []
    for stat in ("sii", "rii"):
        columns.append(stat)
        for level in levels:
            low, high = limit_columns(level)
            columns += [f"{stat}_{low}", f"{stat}_{high}"]
    return columns


def _confidence_text(levels: Sequence[float]) -> str:
    return ", ".join(f"{round(level * 100, 6):g}%" for level in levels)


def _limits(
    x: np.ndarray, n: np.ndarray, m: np.ndarray, proportion: np.ndarray, levels: Sequence[float]
) -> dict[str, np.ndarray]:
    """value and limits, vectorised over every row: Wilson for proportions, exact Poisson
    (O < 10) or Byar's for rates (methods reference §1, §2); missing where n is 0."""
    x = x.astype(np.float64)
    n_safe = np.where(n <= 0, np.nan, n).astype(np.float64)
    out = {"value": x / n_safe * m}
    for level in levels:
        low_name, high_name = limit_columns(level)
        w_low, w_high = wilson_limits(x, n_safe, z_value(level))
        p_low, p_high = poisson_count_limits(x, level)
        out[low_name] = np.where(proportion, w_low, p_low / n_safe) * m
        out[high_name] = np.where(proportion, w_high, p_high / n_safe) * m
    return out


def _sii_rows(
    plan: Plan,
    groups: _Groups,
    i: np.ndarray,
    g: np.ndarray,
    x: np.ndarray,
    n: np.ndarray,
    multiplier: np.ndarray,
    proportion: np.ndarray,
) -> dict[str, np.ndarray]:
    """One SII row per indicator x area x SII breakdown: its indicator and a representative
    group (for the area columns), row type, method, and the SII and RII columns."""
    settings = plan.spec.sii
    levels = plan.spec.confidence
    n_areas = int(groups.area_key.max()) + 1 if len(groups.area_key) else 1
    parts: list[dict[str, np.ndarray]] = []
    for name in settings.breakdowns:
        eligible = (
            (groups.breakdown == name)
            & ~np.isnan(groups.category_number)
            & ~pd.isna(groups.area_code)
        )
        if settings.areas is not None:
            eligible &= np.isin(groups.area_level, settings.areas)
        rows = np.flatnonzero(eligible[g])
        if rows.size == 0:
            continue
        quantiles = QUANTILES.get(name) or np.unique(groups.category_number[eligible]).size
        key = i[rows] * n_areas + groups.area_key[g[rows]]
        keys, first, group_of_row = np.unique(key, return_index=True, return_inverse=True)
        rx, rn = x[rows].astype(float), n[rows].astype(float)
        count = np.bincount(group_of_row, minlength=keys.size)
        empty = np.bincount(group_of_row, weights=rn <= 0, minlength=keys.size) > 0
        extreme_row = (rn > 0) & ((rx <= 0) | (proportion[rows] & (rx >= rn)))
        extreme = np.bincount(group_of_row, weights=extreme_row, minlength=keys.size) > 0
        problem = np.full(keys.size, None, dtype=object)
        problem[extreme] = "a quantile's value is 0 (or 100%), which has no log/logit-scale error"
        problem[empty] = "a quantile has nobody in the denominator"
        problem[count < quantiles] = f"not every one of the {quantiles} quantiles has people in it"
        ok_row = np.isin(group_of_row, np.flatnonzero(pd.isna(problem)))
        stats = {c: np.full(keys.size, np.nan) for c in _sii_columns(levels)}
        _fit_sii(
            rows[ok_row], group_of_row[ok_row], stats, groups, g, x, n, multiplier, proportion,
            settings, levels,
        )  # fmt: skip
        described = (
            f"Slope index of inequality (PHE phe_sii method): {quantiles} quantiles "
            f"(1 = most deprived), {settings.draws:,} simulation draws"
        )
        method = np.array(
            [described if p is None else f"SII not calculated: {p}" for p in problem],
            dtype=object,
        )
        representative = rows[first]
        parts.append(
            {
                "indicator": i[representative],
                "group": g[representative],
                "row_type": np.full(keys.size, SII_ROW, dtype=object),
                "multiplier": multiplier[representative],
                "method": method,
                **stats,
            }
        )
    if not parts:
        empty = {"indicator": np.zeros(0, int), "group": np.zeros(0, int)}
        return empty | {c: np.zeros(0) for c in _sii_columns(levels)}
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def _fit_sii(rows, group_of_row, stats, groups, g, x, n, multiplier, proportion, settings, levels):
    """Fill ``stats`` (one entry per SII group) from ``sii`` calls: one per value type and
    multiplier, all groups at once."""
    if rows.size == 0:
        return
    rx, rn = x[rows].astype(float), n[rows].astype(float)
    m = multiplier[rows]
    is_proportion = proportion[rows]
    z = z_value(0.95)
    w_low, w_high = wilson_limits(rx, rn, z)
    p_low, p_high = poisson_count_limits(rx, 0.95)
    data = pd.DataFrame(
        {
            "group": group_of_row,
            "quantile": groups.category_number[g[rows]],
            "population": rn,
            # proportions as 0-1 with their Wilson limits; rates per multiplier.
            "value": np.where(is_proportion, rx / rn, rx / rn * m),
            "lower95": np.where(is_proportion, w_low, p_low / rn * m),
            "upper95": np.where(is_proportion, w_high, p_high / rn * m),
        }
    )
    # The SII of a proportion is scaled by its multiplier (percentage points for 100); a
    # rate's values already carry theirs.
    scale = np.where(is_proportion, m, 1.0)
    for value_type in (2, 1):
        of_type = is_proportion if value_type == 2 else ~is_proportion
        for factor in np.unique(scale[of_type]):
            chosen = of_type & (scale == factor)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                result = sii(
                    data[chosen],
                    value_type=value_type,
                    draws=settings.draws,
                    seed=settings.seed,
                    confidence=levels,
                    multiplier=float(factor),
                    group_by="group",
                )
            target = result["group"].to_numpy()
            for column in stats:
                stats[column][target] = result[column].to_numpy(dtype=float)


# --- writing ------------------------------------------------------------------------------


def write_profile(run: ProfileRun, directory: str | Path) -> list[Path]:
    """profile.csv, profile.parquet and profile.sql in ``directory`` (created if needed)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / "profile.csv", directory / "profile.parquet", directory / "profile.sql"]
    run.table.to_csv(paths[0], index=False)
    run.table.to_parquet(paths[1], index=False)
    paths[2].write_text(run.sql + "\n", encoding="utf-8")
    return paths
