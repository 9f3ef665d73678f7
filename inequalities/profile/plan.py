"""Resolve a spec against the actual extract and lookup, then write the profile's SQL.

``resolve`` checks every column the spec uses (naming the indicator, area or breakdown and
the column when one is missing) and decides where each comes from: the person-level extract
(table ``person_records``) or the LSOA lookup (table ``lsoa_lookup``). ``build_sql`` then
writes ONE statement in portable SQL (CTEs, LEFT JOIN, CASE, COUNT/SUM, DENSE_RANK, GROUPING
SETS and GROUPING(): no engine-specific syntax), so that the same text runs in DuckDB here and
in Spark SQL / Databricks where national record-level data lives (docs/adr/0004).

The statement works in two stages, because a GROUPING SETS aggregation costs one hash-table
update per grouping set per input row (28 sets x 10 million people is slow) while the cells
a profile needs are few:

1. The heavy pass. Each person is joined to their LSOA's *cell* (a number for each distinct
   combination of the lookup attributes the profile uses: region, ICB, LAD, IMD decile, ...;
   a few thousand in England) and counted once into (cell, record-level breakdowns such as
   sex, ethnicity, age band, and any area column taken from the extract), with a COUNT per
   indicator numerator and denominator. One pass over the extract, one hash table.
2. Those groups (~10^5 rows for England) are summed once per family of breakdowns (the
   lookup's own, with the total; then each record-level breakdown), joined back to their
   cells' attributes and summed by GROUPING SETS over every area level x the family's
   breakdowns, with GROUPING() flags saying which set each output row belongs to. The parts
   are put together with UNION ALL.

On 10 million records the first stage is nearly all of the statement's time; the second
takes about a tenth of a second.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from inequalities.errors import InputError
from inequalities.profile import expressions
from inequalities.profile.expressions import ANSI, Column, Compare, Dialect, InList, Literal
from inequalities.profile.spec import (
    AGE_BAND,
    CORE20,
    IMD_DECILE,
    IMD_QUINTILE,
    TOTAL,
    Indicator,
    ProfileSpec,
)

EXTRACT_TABLE = "person_records"
LOOKUP_TABLE = "lsoa_lookup"
EXTRACT = "extract"
LOOKUP = "lookup"

CORE20_LABEL = "Core20"
NOT_CORE20_LABEL = "Not Core20"

_NUMERIC_TYPES = (
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "REAL", "DECIMAL", "INT", "LONG", "SHORT", "BYTE",
)  # fmt: skip
_TEXT_TYPES = ("VARCHAR", "STRING", "TEXT", "CHAR")


def type_kind(sql_type: str) -> str:
    """'number', 'text', 'boolean' or 'other' for a column type name (DuckDB or Spark)."""
    upper = sql_type.upper()
    if upper.startswith(("BOOL",)):
        return "boolean"
    if upper.startswith(_NUMERIC_TYPES):
        return "number"
    if upper.startswith(_TEXT_TYPES):
        return "text"
    return "other"


@dataclass(frozen=True)
class Dimension:
    """An area level or a breakdown, as one column of the aggregation."""

    alias: str  # area_1, bd_2, ... in the SQL
    label: str  # the area_level or breakdown written in the output
    source: str  # EXTRACT or LOOKUP
    columns: tuple[str, ...]  # the source columns it is computed from
    #: Writes the SQL expression, given how to write a column reference.
    render: Callable[[Callable[[str], str]], str]
    name_column: str | None = None  # lookup/extract column with area names
    labels: tuple[str, ...] | None = None  # category labels when the SQL gives their numbers

    def sql(self, column: Callable[[str], str]) -> str:
        return self.render(column)


def _plain(name: str) -> Callable[[Callable[[str], str]], str]:
    return lambda column: column(name)


@dataclass
class Plan:
    spec: ProfileSpec
    areas: list[Dimension | None] = field(default_factory=list)  # None = England
    breakdowns: list[Dimension | None] = field(default_factory=list)  # None = total
    extract_lsoa: str | None = None
    lookup_lsoa: str | None = None

    @property
    def lookup_dimensions(self) -> list[Dimension]:
        return [d for d in [*self.areas, *self.breakdowns] if d and d.source == LOOKUP]

    @property
    def uses_lookup(self) -> bool:
        return bool(self.lookup_dimensions)


def _shown(columns: dict[str, str]) -> str:
    names = list(columns)
    text = ", ".join(repr(c) for c in names[:25])
    return text + (f" and {len(names) - 25} more" if len(names) > 25 else "")


def resolve(
    spec: ProfileSpec,
    extract_columns: dict[str, str],
    lookup_columns: dict[str, str] | None,
) -> Plan:
    """Check the spec's columns against the tables' {column: type} and build the plan."""
    lookup_columns = lookup_columns or {}
    names = spec.columns
    for indicator in spec.indicators:
        _check_indicator(indicator, extract_columns, lookup_columns)

    def locate(what: str, column: str) -> str:
        in_extract = column in extract_columns
        in_lookup = column in lookup_columns
        if in_extract and in_lookup:
            raise InputError(
                f"{what} uses column {column!r}, which is in both the extract and the lookup; "
                "rename one of them."
            )
        if in_extract:
            return EXTRACT
        if in_lookup:
            return LOOKUP
        where = "the extract or the lookup" if lookup_columns else "the extract (no lookup given)"
        raise InputError(
            f"{what} uses column {column!r}, which is not in {where}. "
            f"Extract columns: {_shown(extract_columns)}"
            + (f"; lookup columns: {_shown(lookup_columns)}." if lookup_columns else ".")
        )

    def lookup_column(what: str, column: str) -> None:
        if column not in lookup_columns:
            if not lookup_columns:
                raise InputError(f"{what} needs a lookup table with column {column!r}.")
            raise InputError(
                f"{what} needs column {column!r} in the lookup. "
                f"Lookup columns: {_shown(lookup_columns)}."
            )

    plan = Plan(spec)
    for number, area in enumerate(spec.areas, start=1):
        if area.column is None:
            plan.areas.append(None)
            continue
        what = f"Area level {area.level!r}"
        source = locate(what, area.column)
        table = extract_columns if source == EXTRACT else lookup_columns
        name_column = area.name_column
        if name_column is not None and name_column not in table:
            raise InputError(
                f"{what}: name column {name_column!r} is not in the {source} "
                f"(where {area.column!r} is)."
            )
        if name_column is None and f"{area.column}_name" in table:
            name_column = f"{area.column}_name"
        plan.areas.append(
            Dimension(
                f"area_{number}",
                area.level,
                source,
                (area.column,),
                _plain(area.column),
                name_column,
            )
        )

    decile = names["imd_decile"]
    for number, breakdown in enumerate(spec.breakdowns, start=1):
        alias = f"bd_{number}"
        what = f"Breakdown {breakdown.name!r}"
        if breakdown.name == TOTAL:
            plan.breakdowns.append(None)
            continue
        if breakdown.name == AGE_BAND:
            age = names["age"]
            if age not in extract_columns:
                raise InputError(
                    f"{what} needs the age column {age!r} in the extract "
                    f"(set columns.age in the spec). Extract columns: {_shown(extract_columns)}."
                )
            if type_kind(extract_columns[age]) != "number":
                raise InputError(f"{what}: the age column {age!r} must be numeric.")
            bands = spec.age_bands
            render = lambda column, age=age, bands=bands: _age_band_sql(column(age), bands)  # noqa: E731
            labels = age_band_labels(bands)
            plan.breakdowns.append(
                Dimension(alias, AGE_BAND, EXTRACT, (age,), render, labels=labels)
            )
            continue
        if breakdown.name in (IMD_DECILE, IMD_QUINTILE, CORE20):
            own = names[breakdown.name]
            if own in lookup_columns and breakdown.name != IMD_DECILE:
                render = _plain(own)
                if breakdown.name == CORE20:
                    render = _core20_flag(own, lookup_columns[own], what)
                plan.breakdowns.append(Dimension(alias, breakdown.name, LOOKUP, (own,), render))
                continue
            lookup_column(what, decile)
            if type_kind(lookup_columns[decile]) != "number":
                raise InputError(f"{what}: the lookup's decile column {decile!r} must be numeric.")
            derive = {IMD_DECILE: str, IMD_QUINTILE: _quintile_sql, CORE20: _core20_sql}
            render = lambda column, f=derive[breakdown.name]: f(column(decile))  # noqa: E731
            plan.breakdowns.append(Dimension(alias, breakdown.name, LOOKUP, (decile,), render))
            continue
        source = locate(what, breakdown.column)
        plan.breakdowns.append(
            Dimension(alias, breakdown.name, source, (breakdown.column,), _plain(breakdown.column))
        )

    if spec.sii:
        for name in spec.sii.breakdowns:
            dimension = plan.breakdowns[[b.name for b in spec.breakdowns].index(name)]
            if name in (IMD_DECILE, IMD_QUINTILE) or dimension is None:
                continue
            table = extract_columns if dimension.source == EXTRACT else lookup_columns
            if type_kind(table[dimension.columns[0]]) != "number":
                raise InputError(
                    f"SII breakdown {name!r}: column {dimension.columns[0]!r} must hold "
                    "numeric quantiles (1 = most deprived)."
                )

    if plan.uses_lookup:
        plan.extract_lsoa = names["lsoa"]
        plan.lookup_lsoa = names["lookup_lsoa"]
        if plan.extract_lsoa not in extract_columns:
            raise InputError(
                f"The extract has no LSOA column {plan.extract_lsoa!r} to join the lookup on "
                f"(set columns.lsoa in the spec). Extract columns: {_shown(extract_columns)}."
            )
        lookup_column("Joining the extract to the lookup", plan.lookup_lsoa)
    return plan


def _check_indicator(
    indicator: Indicator, extract_columns: dict[str, str], lookup_columns: dict[str, str]
) -> None:
    for part, condition in (
        ("numerator", indicator.numerator),
        ("denominator", indicator.denominator),
    ):
        if condition is None:
            continue
        for column in expressions.columns(condition):
            if column not in extract_columns:
                hint = ""
                if column in lookup_columns:
                    hint = (
                        " It is a lookup column: conditions use the person-level extract's "
                        "columns; break down by it instead."
                    )
                raise InputError(
                    f"Indicator {indicator.id!r} {part} uses column {column!r}, which is not in "
                    f"the extract.{hint} Extract columns: {_shown(extract_columns)}."
                )
        for node in expressions.walk(condition):
            _check_types(indicator, part, node, extract_columns)


def _check_types(indicator: Indicator, part: str, node: object, columns: dict[str, str]) -> None:
    """Refuse comparisons of a number column with text (and the other way round), and of a
    true/false column with anything but true or false: SQL engines differ on whether (and
    how) they convert, so the spec must say what it means."""
    pairs: list[tuple[Column, Literal]] = []
    if isinstance(node, Compare):
        left, right = node.left, node.right
        if isinstance(left, Column) and isinstance(right, Literal):
            pairs.append((left, right))
        elif isinstance(right, Column) and isinstance(left, Literal):
            pairs.append((right, left))
    elif isinstance(node, InList) and isinstance(node.operand, Column):
        pairs += [(node.operand, value) for value in node.values]
    for column, literal in pairs:
        kind = type_kind(columns[column.name])
        value = literal.value
        if value is None:
            continue
        text = isinstance(value, str)
        boolean = isinstance(value, bool)
        problem = None
        if kind == "number" and text:
            problem = f"is numeric but is compared with the text {value!r}"
        elif kind == "text" and not text:
            problem = f"holds text but is compared with {value!r} (put text in single quotes)"
        elif kind == "boolean" and not boolean:
            problem = f"holds true/false but is compared with {value!r} (write true or false)"
        if problem:
            raise InputError(
                f"Indicator {indicator.id!r} {part}: column {column.name!r} {problem}."
            )


def age_band_labels(bounds: tuple[int, ...]) -> tuple[str, ...]:
    """'0-17', '18-39', ..., '80+' for lower bounds (0, 18, ..., 80)."""
    labels = [f"{low}-{high - 1}" for low, high in itertools.pairwise(bounds)]
    return (*labels, f"{bounds[-1]}+")


def _age_band_sql(age: str, bounds: tuple[int, ...]) -> str:
    """The band's number (0 for the first); NULL below the first bound or when age is missing.
    Numbers, not labels: cheaper to group 10^7 records by, and they sort in age order."""
    parts = []
    for number, (low, high) in enumerate(itertools.pairwise(bounds)):
        parts.append(f"WHEN {age} >= {low} AND {age} < {high} THEN {number}")
    parts.append(f"WHEN {age} >= {bounds[-1]} THEN {len(bounds) - 1}")
    return "CASE " + " ".join(parts) + " END"


def _quintile_sql(decile: str) -> str:
    parts = [f"WHEN {decile} IN ({2 * q - 1}, {2 * q}) THEN {q}" for q in range(1, 6)]
    return "CASE " + " ".join(parts) + " END"


def _core20_sql(decile: str) -> str:
    return (
        f"CASE WHEN {decile} IN (1, 2) THEN '{CORE20_LABEL}' "
        f"WHEN {decile} IS NOT NULL THEN '{NOT_CORE20_LABEL}' END"
    )


def _core20_flag(name: str, sql_type: str, what: str) -> Callable[[Callable[[str], str]], str]:
    kind = type_kind(sql_type)
    if kind not in ("boolean", "number"):
        raise InputError(f"{what}: the lookup's Core20 column {name!r} must be 1/0 or true/false.")
    truth = "TRUE" if kind == "boolean" else "1"

    def render(column: Callable[[str], str]) -> str:
        flag = column(name)
        return (
            f"CASE WHEN {flag} = {truth} THEN '{CORE20_LABEL}' "
            f"WHEN {flag} IS NOT NULL THEN '{NOT_CORE20_LABEL}' END"
        )

    return render


# --- SQL ----------------------------------------------------------------------------------


def measure_aliases(index: int) -> tuple[str, str]:
    """The (denominator, numerator) output columns of the indicator at ``index``."""
    return f"d_{index}", f"n_{index}"


def grouping_alias(alias: str) -> str:
    return f"g_{alias}"


def build_sql(plan: Plan, dialect: Dialect = ANSI) -> str:
    """The profile as one portable SQL statement over person_records and lsoa_lookup.

    Output: one row per group of every area level x breakdown grouping set, with the
    dimension columns (area_N, bd_N), their GROUPING() flags (g_area_N, g_bd_N: 0 where the
    row is grouped by it), CAST(SUM(...)) counts d_I / n_I per indicator, and ``unmatched``
    (records whose LSOA is not in the lookup; every set partitions all records).
    """
    quote = dialect.identifier
    spec = plan.spec
    lookup_dims = plan.lookup_dimensions
    extract_areas = [d for d in plan.areas if d is not None and d.source == EXTRACT]
    extract_breakdowns = [d for d in plan.breakdowns if d is not None and d.source == EXTRACT]
    ctes: list[str] = []

    def cte(name: str, body: str) -> None:
        ctes.append(f"{name} AS (\n{body}\n)")

    def select_list(items: list[str], indent: str = "    ") -> str:
        return ",\n".join(indent + item for item in items)

    # Stage 0: number the lookup's distinct attribute combinations (cells).
    if plan.uses_lookup:
        order = list(dict.fromkeys(c for d in lookup_dims for c in d.columns))
        select = [f"{quote(plan.lookup_lsoa)} AS lsoa_key"]
        select += [f"{d.sql(quote)} AS {d.alias}" for d in lookup_dims]
        ranking = ", ".join(quote(c) for c in order)
        select.append(f"DENSE_RANK() OVER (ORDER BY {ranking}) AS cell_id")
        cte("lookup_cells", f"  SELECT\n{select_list(select)}\n  FROM {LOOKUP_TABLE}")
        cell_columns = ", ".join(["cell_id", *(d.alias for d in lookup_dims)])
        cte("cells", f"  SELECT DISTINCT {cell_columns}\n  FROM lookup_cells")  # noqa: S608

    # Stage 1: the one pass over the records, into (cell, record-level dimensions).
    def column_in_extract(name: str) -> str:
        return f"p.{quote(name)}"

    select = ["c.cell_id"] if plan.uses_lookup else []
    select += [
        f"{d.sql(column_in_extract)} AS {d.alias}" for d in [*extract_areas, *extract_breakdowns]
    ]
    measures: list[str] = []
    everyone: set[str] = set()  # denominators without a condition: COUNT(*)
    for index, indicator in enumerate(spec.indicators):
        d_alias, n_alias = measure_aliases(index)
        numerator = expressions.to_sql(indicator.numerator, dialect, column_in_extract)
        if indicator.denominator is None:
            everyone.add(d_alias)
            select.append(f"CASE WHEN {numerator} THEN 1 END AS {n_alias}")
        else:
            denominator = expressions.to_sql(indicator.denominator, dialect, column_in_extract)
            select.append(f"CASE WHEN {denominator} THEN 1 END AS {d_alias}")
            select.append(f"CASE WHEN ({denominator}) AND ({numerator}) THEN 1 END AS {n_alias}")
        measures += [d_alias, n_alias]
    source = f"{EXTRACT_TABLE} p"
    if plan.uses_lookup:
        source += f"\n  LEFT JOIN lookup_cells c ON p.{quote(plan.extract_lsoa)} = c.lsoa_key"
    cte("records", f"  SELECT\n{select_list(select)}\n  FROM {source}")
    cell_keys = (["cell_id"] if plan.uses_lookup else []) + [d.alias for d in extract_areas]
    keys = cell_keys + [d.alias for d in extract_breakdowns]
    counted = [f"COUNT({'*' if m in everyone else m}) AS {m}" for m in measures]
    counted.append("COUNT(*) AS records")
    group = f"\n  GROUP BY {', '.join(keys)}" if keys else ""
    cte("stage1", f"  SELECT\n{select_list([*keys, *counted])}\n  FROM records{group}")

    # Stage 2, one part per family of breakdowns: the lookup's (with the total) come from
    # the cells alone; each record-level breakdown from (cell, that breakdown). Each part sums
    # stage 1 down to its own keys first, so its grouping sets run over few rows.
    dims = [d for d in [*plan.areas, *plan.breakdowns] if d is not None]
    families: list[list[Dimension | None]] = []
    lookup_family = [b for b in plan.breakdowns if b is None or b.source == LOOKUP]
    if lookup_family:
        families.append(lookup_family)
    families += [[b] for b in extract_breakdowns]
    parts = []
    for number, family in enumerate(families, start=1):
        own = [b.alias for b in family if b is not None and b.source == EXTRACT]
        part_keys = cell_keys + own
        sums = [f"SUM({m}) AS {m}" for m in [*measures, "records"]]
        group = f"\n  GROUP BY {', '.join(part_keys)}" if part_keys else ""
        cte(f"part{number}", f"  SELECT\n{select_list([*part_keys, *sums])}\n  FROM stage1{group}")
        carried = [f"s.{k}" for k in part_keys if k != "cell_id"] + [f"s.{m}" for m in measures]
        if plan.uses_lookup:
            carried += [f"c.{d.alias}" for d in lookup_dims]
            carried.append("CASE WHEN s.cell_id IS NULL THEN s.records ELSE 0 END AS unmatched")
            joined = f"  FROM part{number} s\n  LEFT JOIN cells c ON s.cell_id = c.cell_id"
        else:
            carried.append("0 AS unmatched")
            joined = f"  FROM part{number} s"
        cte(f"part{number}_cells", f"  SELECT\n{select_list(carried)}\n{joined}")
        grouped = set()
        sets = []
        for area in plan.areas:
            for breakdown in family:
                members = [d.alias for d in (area, breakdown) if d is not None]
                grouped.update(members)
                sets.append("(" + ", ".join(members) + ")")
        select = [d.alias if d.alias in grouped else f"NULL AS {d.alias}" for d in dims]
        select += [
            f"GROUPING({d.alias}) AS {grouping_alias(d.alias)}"
            if d.alias in grouped
            else f"1 AS {grouping_alias(d.alias)}"
            for d in dims
        ]
        select += [
            f"CAST(COALESCE(SUM({m}), 0) AS BIGINT) AS {m}" for m in [*measures, "unmatched"]
        ]
        parts.append(
            f"SELECT\n{select_list(select, '  ')}\nFROM part{number}_cells\n"
            f"GROUP BY GROUPING SETS (\n  " + ",\n  ".join(sets) + "\n)"
        )
    return "WITH\n" + ",\n".join(ctes) + "\n" + "\nUNION ALL\n".join(parts)
