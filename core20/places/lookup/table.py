"""Build the lookup table: one row per code a user may look up, with every answer worked out.

``build_lookup_table(frames)`` takes ``ReferenceFrames`` (from the files or the database) and
returns a ``LookupTable``: an Arrow table keyed on the normalised code (postcode without
spaces in upper case, LSOA, ward, LAD or GP practice code), with the geography, each
edition's deciles and Core20 flags, and notes. Resolving a column of queries is then one
hash join (``lookup.resolve``). No ORM here: the function only sees data frames.

How a code becomes deprivation figures. Every code stands for a set of LSOAs in each vintage:

- a postcode: its LSOA 2011 from the postcode directory (and its LSOA 2021 where the directory
  has one); the other vintage through the exact-fit LSOA 2011 → 2021 lookup;
- an LSOA code: itself in its vintage (both, for the 31,810 unchanged codes), the other
  vintage through the lookup;
- a ward or LAD: the LSOAs whose best-fit ward (or LAD) it is, in each vintage where the
  lookups list it, otherwise through the 2011 → 2021 lookup;
- a GP practice: the set of its postcode.

Each edition's figures come from the set in that edition's vintage (IMD 2019: 2011; IoD 2025:
2021). **Where the set has one LSOA, or all its LSOAs share a decile, that decile is given;
otherwise the decile is empty and ``<edition>_deciles`` lists the candidates** (a 2011 LSOA
split into several 2021 LSOAs in different IoD 2025 deciles, a 2021 LSOA merged from 2011
LSOAs in different IMD 2019 deciles, or a ward's mix). No best fit is guessed: neither
vintage has postcode-level or population weights for the other here. ``core20_<edition>``
is true when every candidate is in deciles 1-2, false when none is, and empty when they
differ; ``notes`` says which case applies. The ICB and NHS region come from the LSOA 2021
set's current sub-ICB membership (so 2024 ICB codes), or the LSOA 2011 set's where there is
no 2021 membership, and are empty if the candidates are in different ICBs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core20.places.lookup.frames import ReferenceFrames
from core20.places.lookup.shapes import SHAPES, TOO_LONG, TOO_SHORT

# Statuses. A found code is "ok", "terminated" (a terminated postcode or a closed
# practice: the figures are for where it was) or "unlocated" (a known practice whose
# postcode is not in the loaded postcode directory). A code not in the table is
# "not_found" if it has the shape of a code, otherwise "invalid".
OK, TERMINATED, UNLOCATED, NOT_FOUND, INVALID = (
    "ok",
    "terminated",
    "unlocated",
    "not_found",
    "invalid",
)
STATUSES = (OK, TERMINATED, UNLOCATED, NOT_FOUND, INVALID)

# What a normalised query looks like, per query type (used for codes not in the table).
PATTERNS = {
    "postcode": r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$",
    "lsoa": r"^[EW]01[0-9]{6}$",
    "ward": r"^[EWSN]05[0-9]{6}$",
    "lad": r"^[EW]0[6-9][0-9]{6}$",
    "practice": r"^[A-Z][0-9]{5}$",
}
QUERY_TYPES = tuple(PATTERNS)

# Geography columns, then per edition: <e>_decile, <e>_rank, <e>_deciles, core20_<e>.
BASE_COLUMNS = [
    "key",
    "query_type",
    "status",
    "name",
    "postcode",
    "lsoa11",
    "lsoa21",
    "lsoa11_candidates",
    "lsoa21_candidates",
    "ward",
    "ward_name",
    "lad",
    "lad_name",
    "icb",
    "icb_name",
    "region",
    "region_name",
]


@dataclass(frozen=True)
class EditionInfo:
    code: str
    short_name: str
    vintage: int


NOT_FOUND_NOTES = {
    "postcode": "This postcode is not in the loaded postcode directory (it may be new, "
    "mistyped, or in an area whose postcodes are not loaded).",
    "lsoa": "No LSOA (2011 or 2021, England) has this code.",
    "ward": "No electoral ward in the loaded lookups has this code.",
    "lad": "No local authority district in the loaded lookups has this code.",
    "practice": "No GP practice or other prescribing organisation in the loaded ODS file has "
    "this code.",
}
INVALID_NOTE = (
    "Not a postcode, LSOA code (E01…), ward code (E05…), local authority district code or "
    "GP practice code (such as M83001)."
)
EMPTY_NOTE = "Empty: enter a postcode, LSOA code, ward code or GP practice code."


@dataclass
class LookupTable:
    """The built table and what it was built from.

    ``table`` has one row per known code. ``rows`` is ``table`` followed by one row per
    answer for an unknown code (not found, per query type; invalid; empty), so that every
    query resolves to a row index into ``rows`` (see ``lookup.resolve``)."""

    table: pa.Table
    editions: dict[str, EditionInfo]
    counts: dict[str, int] = field(default_factory=dict)
    marker: object = None
    rows: pa.Table = field(init=False, repr=False)
    keys: pa.Table = field(init=False, repr=False)
    not_found_rows: dict[str, int] = field(init=False, repr=False)
    # {(two-digit kind of ONS code, TOO_SHORT or TOO_LONG): row} for codes cut short or
    # run on (see ``lookup.shapes``).
    shape_rows: dict[tuple[str, str], int] = field(init=False, repr=False)
    invalid_row: int = field(init=False, repr=False)
    empty_row: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = self.table.num_rows
        virtual = []
        for query_type, note in NOT_FOUND_NOTES.items():
            virtual.append({"status": NOT_FOUND, "query_type": query_type, "notes": note})
        virtual.append({"status": INVALID, "notes": INVALID_NOTE})
        virtual.append({"status": INVALID, "notes": EMPTY_NOTE})
        self.not_found_rows = {t: n + i for i, t in enumerate(NOT_FOUND_NOTES)}
        self.invalid_row = n + len(NOT_FOUND_NOTES)
        self.empty_row = self.invalid_row + 1
        self.shape_rows = {}
        for shape in SHAPES:
            for size in (TOO_SHORT, TOO_LONG):
                row = n + len(virtual)
                virtual.append({"status": INVALID, "notes": shape.sentence(size)})
                for kind in shape.kinds:
                    self.shape_rows[(kind, size)] = row
        extra = pa.Table.from_pylist(virtual, schema=self.table.schema)
        self.rows = pa.concat_tables([self.table, extra]).combine_chunks()
        self.keys = pa.table(
            {
                "key": self.table.column("key"),
                "idx": pa.array(np.arange(n, dtype=np.int32)),
            }
        )

    @property
    def columns(self) -> list[str]:
        return self.table.column_names

    @cached_property
    def postcode_districts(self) -> frozenset[str]:
        """The districts ("TF3", the outward code) of the postcodes held: a deployment may
        load only its own areas, so a postcode of another district cannot be told from a
        mistyped one. Worked out once per table."""
        postcodes = self.table.filter(pc.equal(self.table.column("query_type"), "postcode"))
        return frozenset(key[:-3] for key in postcodes.column("key").to_pylist())

    def __len__(self) -> int:
        return self.table.num_rows


def edition_columns(code: str) -> list[str]:
    return [f"{code}_decile", f"{code}_rank", f"{code}_deciles", f"core20_{code}"]


def _codes(values) -> str:
    values = list(values)
    shown = ", ".join(values[:6])
    return shown + (f" and {len(values) - 6} more" if len(values) > 6 else "")


def _deciles_text(values) -> str:
    return ", ".join(str(v) for v in values)


def build_lookup_table(frames: ReferenceFrames, *, marker: object = None) -> LookupTable:
    """The lookup table for ``frames`` (see the module docstring)."""
    editions = {
        row.code: EditionInfo(row.code, row.short_name, int(row.vintage))
        for row in frames.editions.itertuples()
    }
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        for name in (
            "lsoas",
            "links",
            "deprivation",
            "health",
            "icbs",
            "regions",
            "wards",
            "lads",
            "postcodes",
            "practices",
        ):
            con.register(f"f_{name}", getattr(frames, name))
        groups = _groups(con, editions)
        groups = _group_notes(groups, editions)
        con.register("g_final", groups)
        table = _keys(con, editions)
    finally:
        con.close()
    counts = {
        row["values"]: row["counts"] for row in pc.value_counts(table["query_type"]).to_pylist()
    }
    return LookupTable(table=table, editions=editions, counts=counts, marker=marker)


def _groups(con: duckdb.DuckDBPyConnection, editions: dict[str, EditionInfo]) -> pd.DataFrame:
    """One row per LSOA set (gid): its LSOAs in each vintage and each edition's figures."""
    con.execute(
        """
        CREATE TEMP TABLE l AS SELECT DISTINCT vintage, code, name, ward_code, lad_code
        FROM f_lsoas WHERE code <> '';
        CREATE TEMP TABLE links AS SELECT DISTINCT lsoa11_code, lsoa21_code FROM f_links
        WHERE lsoa11_code <> '' AND lsoa21_code <> '';
        -- The LSOA sets a postcode (or a practice without a known postcode) stands for.
        CREATE TEMP TABLE pgroups AS
          SELECT DISTINCT lsoa11_code, lsoa21_code FROM f_postcodes
          WHERE lsoa11_code <> '' OR lsoa21_code <> ''
          UNION
          SELECT DISTINCT lsoa11_code, '' FROM f_practices WHERE lsoa11_code <> '';
        -- Members per vintage, as given.
        CREATE TEMP TABLE m11_given AS
          SELECT 'P|' || lsoa11_code || '|' || lsoa21_code AS gid, lsoa11_code AS code
            FROM pgroups WHERE lsoa11_code <> ''
          UNION SELECT 'L|' || code, code FROM l WHERE vintage = 2011
          UNION SELECT 'W|' || ward_code, code FROM l WHERE vintage = 2011 AND ward_code <> ''
          UNION SELECT 'D|' || lad_code, code FROM l WHERE vintage = 2011 AND lad_code <> '';
        CREATE TEMP TABLE m21_given AS
          SELECT 'P|' || lsoa11_code || '|' || lsoa21_code AS gid, lsoa21_code AS code
            FROM pgroups WHERE lsoa21_code <> ''
          UNION SELECT 'L|' || code, code FROM l WHERE vintage = 2021
          UNION SELECT 'W|' || ward_code, code FROM l WHERE vintage = 2021 AND ward_code <> ''
          UNION SELECT 'D|' || lad_code, code FROM l WHERE vintage = 2021 AND lad_code <> '';
        CREATE TEMP TABLE gids AS
          SELECT gid FROM m11_given UNION SELECT gid FROM m21_given;
        -- Fill the missing vintage through the exact-fit lookup.
        CREATE TEMP TABLE m11 AS
          SELECT * FROM m11_given
          UNION
          SELECT m.gid, k.lsoa11_code FROM m21_given m JOIN links k ON k.lsoa21_code = m.code
          WHERE m.gid NOT IN (SELECT gid FROM m11_given);
        CREATE TEMP TABLE m21 AS
          SELECT * FROM m21_given
          UNION
          SELECT m.gid, k.lsoa21_code FROM m11_given m JOIN links k ON k.lsoa11_code = m.code
          WHERE m.gid NOT IN (SELECT gid FROM m21_given);
        CREATE TEMP TABLE icb_of AS
          SELECT vintage, lsoa_code, min(icb_code) AS icb_code FROM f_health
          WHERE icb_code <> '' GROUP BY ALL;
        """
    )
    parts = []
    for vintage in (2011, 2021):
        m = f"m{vintage % 100}"
        parts.append(
            f"""
            v{vintage} AS (
              SELECT m.gid,
                count(*) AS n{vintage % 100},
                CASE WHEN count(*) = 1 THEN min(m.code) END AS lsoa{vintage % 100},
                CASE WHEN substr(min(m.gid), 1, 1) IN ('P', 'L')
                     THEN list_sort(list(m.code)) END AS lsoa{vintage % 100}_candidates,
                count(DISTINCT h.icb_code) AS n_icb{vintage % 100},
                min(h.icb_code) AS icb{vintage % 100},
                count(h.icb_code) AS with_icb{vintage % 100}
              FROM {m} m LEFT JOIN icb_of h ON h.vintage = {vintage} AND h.lsoa_code = m.code
              GROUP BY m.gid
            )"""  # noqa: S608 (fixed names; no user input in SQL)
        )
    for code, info in editions.items():
        m = f"m{info.vintage % 100}"
        parts.append(
            f"""
            e_{code} AS (
              SELECT m.gid,
                count(*) AS n,
                count(d.decile) AS n_with,
                min(d.decile) AS dmin,
                max(d.decile) AS dmax,
                list_sort(list_distinct(list(d.decile))) AS deciles,
                min(d.rank) AS rank
              FROM {m} m LEFT JOIN (
                SELECT lsoa_code, decile, rank FROM f_deprivation WHERE edition = '{code}'
              ) d ON d.lsoa_code = m.code
              GROUP BY m.gid
            )"""  # noqa: S608 (edition codes come from the Edition table, not from users)
        )
    select = [
        "g.gid",
        "coalesce(v2011.n11, 0) AS n11",
        "coalesce(v2021.n21, 0) AS n21",
        "v2011.lsoa11",
        "v2021.lsoa21",
        "v2011.lsoa11_candidates",
        "v2021.lsoa21_candidates",
        # ICB: of the 2021 set where every member has one and they agree, else of the 2011 set.
        """CASE WHEN v2021.with_icb21 = v2021.n21 AND v2021.n_icb21 = 1 THEN v2021.icb21
                WHEN v2021.with_icb21 = 0 AND v2011.with_icb11 = v2011.n11
                     AND v2011.n_icb11 = 1 THEN v2011.icb11 END AS icb""",
        "greatest(coalesce(v2021.n_icb21, 0), coalesce(v2011.n_icb11, 0)) AS n_icb",
    ]
    joins = [
        "LEFT JOIN v2011 ON v2011.gid = g.gid",
        "LEFT JOIN v2021 ON v2021.gid = g.gid",
    ]
    for code in editions:
        e = f"e_{code}"
        select += [
            f"CASE WHEN {e}.n_with = {e}.n AND {e}.dmin = {e}.dmax THEN {e}.dmin END "
            f"AS {code}_decile",
            f"CASE WHEN {e}.n = 1 THEN {e}.rank END AS {code}_rank",
            f"CASE WHEN {e}.n > 0 THEN {e}.deciles END AS {code}_deciles",
            f"""CASE WHEN {e}.n = 0 OR {e}.n_with < {e}.n THEN NULL
                     WHEN {e}.dmax <= 2 THEN TRUE WHEN {e}.dmin > 2 THEN FALSE END
                AS core20_{code}""",
            f"coalesce({e}.n_with, 0) AS {code}_n_with",
        ]
        joins.append(f"LEFT JOIN {e} ON {e}.gid = g.gid")
    sql = " ".join(["WITH", ",".join(parts), "SELECT", ", ".join(select), "FROM gids g", *joins])
    return con.execute(sql).fetch_df()


def _group_notes(groups: pd.DataFrame, editions: dict[str, EditionInfo]) -> pd.DataFrame:
    """Notes that explain an LSOA set whose figures are not one LSOA's."""
    plain = (groups["n11"] <= 1) & (groups["n21"] <= 1) & groups["icb"].notna()
    for code in editions:
        plain &= groups[f"{code}_decile"].notna()
    notes = np.full(len(groups), "", dtype=object)
    kinds = groups["gid"].str[0].to_numpy()
    rows = np.flatnonzero(~plain.to_numpy())
    for i, row in zip(rows, groups.iloc[rows].itertuples(index=False), strict=True):
        kind = kinds[i]
        parts = []
        if kind in ("P", "L"):
            if row.n11 == 1 and row.n21 > 1:
                parts.append(
                    f"LSOA 2011 {row.lsoa11} was split into {row.n21} LSOAs 2021 "
                    f"({_codes(row.lsoa21_candidates)})."
                )
            elif row.n21 == 1 and row.n11 > 1:
                parts.append(
                    f"LSOA 2021 {row.lsoa21} was formed from {row.n11} LSOAs 2011 "
                    f"({_codes(row.lsoa11_candidates)})."
                )
            elif row.n11 > 1 and row.n21 > 1:
                parts.append(
                    "The LSOA's 2011 and 2021 boundaries do not match one to one "
                    f"(2011: {_codes(row.lsoa11_candidates)}; 2021: "
                    f"{_codes(row.lsoa21_candidates)})."
                )
        for code, info in editions.items():
            n = row.n11 if info.vintage == 2011 else row.n21
            n_with = getattr(row, f"{code}_n_with")
            deciles = getattr(row, f"{code}_deciles")
            decile = getattr(row, f"{code}_decile")
            if n == 0:
                parts.append(
                    f"No LSOA {info.vintage} is known here, so there is no "
                    f"{info.short_name} decile."
                )
            elif n_with == 0:
                parts.append(
                    f"No {info.short_name} figures for LSOA {info.vintage} here (outside "
                    "England, or not loaded)."
                )
            elif n_with < n:
                parts.append(
                    f"{info.short_name} figures are missing for {n - n_with} of the {n} LSOAs "
                    f"{info.vintage}, so no single decile is given."
                )
            elif pd.isna(decile):
                what = "LSOAs" if kind in ("P", "L") else f"{n} LSOAs {info.vintage} in this area"
                parts.append(
                    f"The {what} are in different {info.short_name} deciles "
                    f"({_deciles_text(deciles)}), so no single decile is given."
                )
        if pd.isna(row.icb) and row.n_icb > 1:
            parts.append("Its LSOAs are in more than one ICB, so no ICB is given.")
        notes[i] = " ".join(parts)
    groups = groups.copy()
    groups["group_notes"] = notes
    return groups


def _keys(con: duckdb.DuckDBPyConnection, editions: dict[str, EditionInfo]) -> pa.Table:
    """One row per code: postcodes, LSOAs, wards, LADs and practices."""
    edition_select = []
    for code in editions:
        edition_select += [
            f"g.{code}_decile::TINYINT AS {code}_decile",
            f"g.{code}_rank::INTEGER AS {code}_rank",
            f"g.{code}_deciles::TINYINT[] AS {code}_deciles",
            f"g.core20_{code}",
        ]
    sql = f"""
    WITH
    lsoa_named AS (
      SELECT code, arg_max(name, vintage) AS name, arg_max(ward_code, vintage) AS ward_code,
             arg_max(lad_code, vintage) AS lad_code
      FROM l GROUP BY code
    ),
    ward_lad AS (
      SELECT ward_code, arg_max(lad_code, vintage) AS lad_code FROM l
      WHERE ward_code <> '' AND lad_code <> '' GROUP BY ward_code
    ),
    pc AS (
      SELECT DISTINCT ON (code) * FROM f_postcodes WHERE code <> ''
      ORDER BY code, terminated = '' DESC
    ),
    keyed AS (
      SELECT pc.code AS key, 'postcode' AS query_type,
        CASE WHEN pc.lsoa11_code = '' AND pc.lsoa21_code = '' THEN '{UNLOCATED}'
             WHEN pc.terminated <> '' THEN '{TERMINATED}' ELSE '{OK}' END AS status,
        NULL AS name, pc.display AS postcode,
        CASE WHEN pc.lsoa11_code <> '' OR pc.lsoa21_code <> ''
             THEN 'P|' || pc.lsoa11_code || '|' || pc.lsoa21_code END AS gid,
        nullif(pc.ward_code, '') AS ward, nullif(pc.lad_code, '') AS lad,
        pc.terminated, pc.country_code, NULL AS practice_status, NULL AS closed_on
      FROM pc
      UNION ALL
      SELECT ln.code, 'lsoa', '{OK}', nullif(ln.name, ''), NULL, 'L|' || ln.code,
        nullif(ln.ward_code, ''), nullif(ln.lad_code, ''), '', '', NULL, NULL
      FROM lsoa_named ln
      UNION ALL
      SELECT w.code, 'ward', '{OK}', w.name, NULL, 'W|' || w.code, w.code, wl.lad_code,
        '', '', NULL, NULL
      FROM (SELECT DISTINCT ward_code AS code FROM l WHERE ward_code <> '') wc
      JOIN (SELECT code, min(name) AS name FROM f_wards GROUP BY code) w USING (code)
      LEFT JOIN ward_lad wl ON wl.ward_code = w.code
      UNION ALL
      SELECT d.code, 'lad', '{OK}', d.name, NULL, 'D|' || d.code, NULL, d.code, '', '', NULL, NULL
      FROM (SELECT DISTINCT lad_code AS code FROM l WHERE lad_code <> '') dc
      JOIN (SELECT code, min(name) AS name FROM f_lads GROUP BY code) d USING (code)
      UNION ALL
      SELECT pr.code, 'practice',
        CASE WHEN pc.code IS NULL AND pr.lsoa11_code = '' THEN '{UNLOCATED}'
             WHEN pr.status = 'C' THEN '{TERMINATED}' ELSE '{OK}' END,
        pr.name, nullif(coalesce(pc.display, pr.postcode), ''),
        CASE WHEN pc.code IS NOT NULL AND (pc.lsoa11_code <> '' OR pc.lsoa21_code <> '')
             THEN 'P|' || pc.lsoa11_code || '|' || pc.lsoa21_code
             WHEN pr.lsoa11_code <> '' THEN 'P|' || pr.lsoa11_code || '|' END,
        nullif(pc.ward_code, ''), nullif(pc.lad_code, ''), coalesce(pc.terminated, ''),
        coalesce(pc.country_code, ''), pr.status, pr.closed_on
      FROM (SELECT DISTINCT ON (code) * FROM f_practices WHERE code <> '' ORDER BY code) pr
      LEFT JOIN pc ON pc.code = pr.postcode_key
    )
    SELECT k.key, k.query_type, k.status, k.name, k.postcode,
      g.lsoa11, g.lsoa21, g.lsoa11_candidates, g.lsoa21_candidates,
      k.ward, w.name AS ward_name, k.lad, d.name AS lad_name,
      g.icb, i.name AS icb_name, i.region_code AS region, r.name AS region_name,
      {", ".join(edition_select)},
      concat_ws(' ',
        CASE WHEN k.query_type = 'postcode' AND k.terminated <> ''
             THEN 'Postcode terminated in ' || strftime(k.terminated::DATE, '%B %Y')
                  || ': the figures are for where it was.' END,
        CASE WHEN k.country_code <> '' AND NOT starts_with(k.country_code, 'E')
             THEN 'Outside England: the English Indices of Deprivation do not cover it.' END,
        CASE WHEN k.query_type = 'postcode' AND k.status = '{UNLOCATED}'
             THEN 'The postcode directory gives no LSOA for this postcode.' END,
        CASE WHEN k.practice_status = 'C'
             THEN 'The practice closed' || coalesce(' on ' || nullif(k.closed_on, ''), '')
                  || ': the figures are for where it was.' END,
        CASE WHEN k.query_type = 'practice' AND k.status = '{UNLOCATED}'
             THEN 'The practice''s postcode' || coalesce(' ' || k.postcode, '')
                  || ' is not in the loaded postcode directory, so it cannot be placed.'
             WHEN k.query_type = 'practice'
             THEN 'Placed by the practice''s postcode ' || k.postcode || '.' END,
        nullif(g.group_notes, '')
      ) AS notes
    FROM keyed k
    LEFT JOIN g_final g ON g.gid = k.gid
    LEFT JOIN (SELECT code, min(name) AS name FROM f_wards GROUP BY code) w ON w.code = k.ward
    LEFT JOIN (SELECT code, min(name) AS name FROM f_lads GROUP BY code) d ON d.code = k.lad
    LEFT JOIN (SELECT code, min(name) AS name, min(region_code) AS region_code
               FROM f_icbs GROUP BY code) i ON i.code = g.icb
    LEFT JOIN (SELECT code, min(name) AS name FROM f_regions GROUP BY code) r
      ON r.code = i.region_code
    ORDER BY k.query_type, k.key
    """  # noqa: S608 (fixed names; no user input in SQL)
    # Straight to Arrow: a round trip through pandas (object columns, lists of deciles)
    # took half the build.
    table = con.sql(sql).to_arrow_table()
    columns = BASE_COLUMNS + [c for code in editions for c in edition_columns(code)] + ["notes"]
    table = table.select(columns)
    if pc.count_distinct(table["key"], mode="all").as_py() != table.num_rows:
        keys, counts = pc.value_counts(table["key"]).flatten()
        dupes = pc.filter(keys, pc.greater(counts, 1))[:5].to_pylist()
        raise ValueError(f"Lookup keys are not unique: {dupes}")
    return _typed(table, editions)


def _typed(table: pa.Table, editions: dict[str, EditionInfo]) -> pa.Table:
    """Fixed Arrow types, whatever pandas inferred (empty frames infer nothing)."""
    fields = []
    for name in table.column_names:
        if name in ("lsoa11_candidates", "lsoa21_candidates"):
            kind = pa.list_(pa.string())
        elif name.endswith("_deciles"):
            kind = pa.list_(pa.int8())
        elif name.endswith("_decile"):
            kind = pa.int8()
        elif name.endswith("_rank"):
            kind = pa.int32()
        elif name.startswith("core20_"):
            kind = pa.bool_()
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind))
    return table.cast(pa.schema(fields))
