"""The record-level profile with plain pandas groupbys: the benchmark's comparison.

Reads the extract with pandas, merges the lookup, evaluates each indicator's conditions as
boolean columns (SQL's three-valued logic, via ``expressions.evaluate``) and runs one
``groupby(...).sum()`` per area level x breakdown. The counts are put in the same layout as
the SQL's output and handed to the engine's ``assemble``, so that CIs and SIIs (cheap, and
not what is being compared) are computed by the same code and the results can be checked
against the engine's.
"""

from pathlib import Path

import numpy as np
import pandas as pd

from inequalities.profile import expressions
from inequalities.profile.engine import assemble
from inequalities.profile.plan import (
    AGE_BAND,
    CORE20,
    CORE20_LABEL,
    IMD_QUINTILE,
    LOOKUP,
    NOT_CORE20_LABEL,
    Dimension,
    grouping_alias,
    measure_aliases,
    resolve,
)
from inequalities.profile.spec import ProfileSpec


def pandas_types(frame: pd.DataFrame) -> dict[str, str]:
    """{column: SQL type name} for ``resolve``."""
    out = {}
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype):
            out[str(name)] = "BOOLEAN"
        elif pd.api.types.is_integer_dtype(dtype):
            out[str(name)] = "BIGINT"
        elif pd.api.types.is_float_dtype(dtype):
            out[str(name)] = "DOUBLE"
        else:
            out[str(name)] = "VARCHAR"
    return out


def _dimension(frame: pd.DataFrame, dimension: Dimension, spec: ProfileSpec) -> pd.Series:
    """The dimension's value per record, as the SQL computes it."""
    source = frame[dimension.columns[0]]
    if dimension.label == AGE_BAND:  # the band's number, as the SQL gives it
        bands = pd.cut(source, [*spec.age_bands, np.inf], right=False, labels=False)
        return pd.Series(bands, index=frame.index)
    if dimension.label == IMD_QUINTILE and dimension.columns[0] == spec.columns["imd_decile"]:
        return (source + 1) // 2
    if dimension.label == CORE20:
        if dimension.columns[0] == spec.columns["imd_decile"]:
            core = source.isin([1, 2])
        else:
            core = source == 1
        out = pd.Series(np.where(core, CORE20_LABEL, NOT_CORE20_LABEL), index=frame.index)
        return out.where(source.notna(), None)
    return source


def run_profile_pandas(
    spec: ProfileSpec, extract: str | Path | pd.DataFrame, lookup: pd.DataFrame
) -> pd.DataFrame:
    people = extract if isinstance(extract, pd.DataFrame) else pd.read_parquet(extract)
    plan = resolve(spec, pandas_types(people), pandas_types(lookup))
    frame = people
    if plan.uses_lookup:
        needed = list(
            dict.fromkeys(
                [plan.lookup_lsoa]
                + [c for d in plan.lookup_dimensions for c in d.columns]
                + [d.name_column for d in plan.lookup_dimensions if d.name_column]
            )
        )
        frame = people.merge(
            lookup[needed], left_on=plan.extract_lsoa, right_on=plan.lookup_lsoa, how="left"
        )
    dimensions = [d for d in [*plan.areas, *plan.breakdowns] if d is not None]
    work = pd.DataFrame(index=frame.index)
    for dimension in dimensions:
        work[dimension.alias] = _dimension(frame, dimension, spec)
    measures = []
    for index, indicator in enumerate(spec.indicators):
        d_alias, n_alias = measure_aliases(index)
        numerator = expressions.evaluate(indicator.numerator, frame).fillna(False)
        if indicator.denominator is None:
            denominator = pd.Series(True, index=frame.index)
        else:
            denominator = expressions.evaluate(indicator.denominator, frame).fillna(False)
        work[d_alias] = denominator.to_numpy(dtype=bool)
        work[n_alias] = (denominator & numerator).to_numpy(dtype=bool)
        measures += [d_alias, n_alias]
    if plan.uses_lookup:
        matched = people[plan.extract_lsoa].isin(lookup[plan.lookup_lsoa])
        work["unmatched"] = ~matched.to_numpy(dtype=bool)
    else:
        work["unmatched"] = False
    measures.append("unmatched")

    parts = []
    for area in plan.areas:
        for breakdown in plan.breakdowns:
            keys = [d.alias for d in (area, breakdown) if d is not None]
            if keys:
                grouped = work.groupby(keys, dropna=False, sort=False, observed=True)
                sums = grouped[measures].sum().reset_index()
            else:
                sums = work[measures].sum().to_frame().T
            for dimension in dimensions:
                sums[grouping_alias(dimension.alias)] = 0 if dimension.alias in keys else 1
                if dimension.alias not in keys:
                    sums[dimension.alias] = None
            parts.append(sums)
    counts = pd.concat(parts, ignore_index=True)

    names: dict[str, dict[str, str]] = {}
    for dimension in plan.areas:
        if dimension is None or dimension.name_column is None:
            continue
        table = lookup if dimension.source == LOOKUP else people
        pairs = table[[dimension.columns[0], dimension.name_column]].drop_duplicates()
        names[dimension.label] = dict(
            zip(pairs.iloc[:, 0].astype(str), pairs.iloc[:, 1], strict=True)
        )
    return assemble(plan, counts, names)
