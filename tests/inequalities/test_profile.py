"""Record-level profiles against counts worked out by hand.

The fixture (tests/inequalities/data/profile_*.{csv,yaml}) has 30 people in 5 LSOAs plus one
person whose LSOA is not in the lookup:

    LSOA       decile quintile LAD (ICB)            people  ids
    E01000001  1      1        Aville (North ICB)   7       1-7
    E01000002  3      2        Aville (North ICB)   6       8-13
    E01000003  5      3        Beeton (South ICB)   6       14-19
    E01000004  7      4        Beeton (South ICB)   5       20-24
    E01000005  9      5        Beeton (South ICB)   5       25-29
    E01999999  -      -        (not in the lookup)  1       30

All five LSOAs are in Region One. Core20 = decile 1-2 = E01000001 only.

HYP (denominator: age >= 18 and hyp = 1; numerator: bp = 1), per LSOA:
    E01000001: persons 1 (bp), 2, 3, 7 (bp)          -> 2 / 4
    E01000002: persons 8, 9 (bp), 10 (bp); 11 is 17 -> 2 / 3
    E01000003: persons 14, 16 (bp), 17 (bp), 18 (bp) -> 3 / 4
    E01000004: persons 22, 24 (bp)                   -> 1 / 2
    E01000005: persons 25 (bp), 27 (bp)              -> 2 / 2
    unknown:   person 30                             -> 0 / 1
    England 10 / 16; Region One 10 / 15; Aville 4 / 7; Beeton 6 / 8.
    Sex: F = 1, 3, 8, 10, 14, 16, 18, 25, 27 -> 6 / 9; M = 2, 7, 9, 17, 22, 24, 30 -> 4 / 7.
    Ethnicity: White 9 / 13, Asian (3) 0 / 1, Mixed (22) 0 / 1, not stated (7) 1 / 1.
    Age band: 40-64 = 1, 2, 7, 9, 16, 17, 24, 25, 30 -> 7 / 9; 65-79 = 3, 10, 14, 18, 22
    -> 2 / 5; 80+ = 8, 27 -> 1 / 2.
    Core20 2 / 4, not Core20 8 / 11, not known 0 / 1.

SMOK (denominator: age >= 18; numerator: smoker = 1), per LSOA (adults / smokers):
    E01000001: 1, 2, 3, 4, 6, 7 (5 is 12)   smokers 2, 4, 6 -> 3 / 6
    E01000002: 8, 9, 10, 12, 13 (11 is 17)  smokers 9, 13   -> 2 / 5
    E01000003: 14, 16, 17, 18, 19 (15 is 5) smoker 18       -> 1 / 5
    E01000004: 20, 22, 23, 24 (21 is 3)     smoker 20       -> 1 / 4
    E01000005: 25, 26, 27, 28 (29 is 10)    smoker 28       -> 1 / 4
    unknown:   30                           smoker 30       -> 1 / 1
    England 9 / 25.

ADM (rate per 1,000; everyone; numerator admitted = 1):
    2 / 7, 2 / 6, 2 / 6, 1 / 5, 1 / 5, 0 / 1 -> England 8 / 30.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import gammaincinv

from inequalities.errors import InputError
from inequalities.profile import load_spec, profile, profile_sql, run_profile, write_profile
from inequalities.profile.expressions import SPARK

DATA = Path(__file__).parent / "data"
Z95 = 1.959963984540054


@pytest.fixture(scope="module")
def spec():
    return load_spec(DATA / "profile_spec.yaml")


@pytest.fixture(scope="module")
def lookup():
    return pd.read_csv(DATA / "profile_lookup.csv")


@pytest.fixture(scope="module")
def run(spec, lookup):
    return profile(spec, DATA / "profile_people.csv", lookup)


@pytest.fixture(scope="module")
def table(run):
    return run.table


def row(table, indicator, level, code, breakdown, category):
    found = table[
        (table.indicator_id == indicator)
        & (table.area_level == level)
        & (table.area_code.fillna("<none>") == code)
        & (table.breakdown == breakdown)
        & (table.category == category)
    ]
    assert len(found) == 1, (indicator, level, code, breakdown, category, len(found))
    return found.iloc[0]


def counts(table, indicator, level, code, breakdown, category):
    found = row(table, indicator, level, code, breakdown, category)
    return int(found.numerator), int(found.denominator)


ENGLAND = "E92000001"
REGION = "E12000901"
AVILLE, BEETON = "E09000901", "E09000902"
NORTH, SOUTH = "E54000901", "E54000902"


@pytest.mark.parametrize(
    ("level", "code", "breakdown", "category", "expected"),
    [
        ("england", ENGLAND, "total", "All", (10, 16)),
        ("region", REGION, "total", "All", (10, 15)),
        ("region", "<none>", "total", "All", (0, 1)),
        ("icb", NORTH, "total", "All", (4, 7)),
        ("icb", SOUTH, "total", "All", (6, 8)),
        ("lad", AVILLE, "total", "All", (4, 7)),
        ("lad", BEETON, "total", "All", (6, 8)),
        ("england", ENGLAND, "imd_decile", "1", (2, 4)),
        ("england", ENGLAND, "imd_decile", "3", (2, 3)),
        ("england", ENGLAND, "imd_decile", "5", (3, 4)),
        ("england", ENGLAND, "imd_decile", "7", (1, 2)),
        ("england", ENGLAND, "imd_decile", "9", (2, 2)),
        ("england", ENGLAND, "imd_decile", "Not known", (0, 1)),
        ("england", ENGLAND, "imd_quintile", "2", (2, 3)),
        ("lad", BEETON, "imd_quintile", "3", (3, 4)),
        ("england", ENGLAND, "core20", "Core20", (2, 4)),
        ("england", ENGLAND, "core20", "Not Core20", (8, 11)),
        ("england", ENGLAND, "core20", "Not known", (0, 1)),
        ("england", ENGLAND, "sex", "F", (6, 9)),
        ("england", ENGLAND, "sex", "M", (4, 7)),
        ("region", REGION, "sex", "M", (4, 6)),
        ("england", ENGLAND, "ethnicity", "White", (9, 13)),
        ("england", ENGLAND, "ethnicity", "Asian", (0, 1)),
        ("england", ENGLAND, "ethnicity", "Mixed", (0, 1)),
        ("england", ENGLAND, "ethnicity", "Not known", (1, 1)),
        ("england", ENGLAND, "age_band", "40-64", (7, 9)),
        ("england", ENGLAND, "age_band", "65-79", (2, 5)),
        ("england", ENGLAND, "age_band", "80+", (1, 2)),
        ("england", ENGLAND, "age_band", "0-17", (0, 0)),
    ],
)
def test_hypertension_counts_match_the_hand_counts(
    table, level, code, breakdown, category, expected
):
    assert counts(table, "HYP", level, code, breakdown, category) == expected


def test_smoking_and_admission_counts(table):
    assert counts(table, "SMOK", "england", ENGLAND, "total", "All") == (9, 25)
    quintiles = [
        counts(table, "SMOK", "england", ENGLAND, "imd_quintile", str(q)) for q in range(1, 6)
    ]
    assert quintiles == [(3, 6), (2, 5), (1, 5), (1, 4), (1, 4)]
    assert counts(table, "ADM", "england", ENGLAND, "total", "All") == (8, 30)
    assert counts(table, "ADM", "lad", AVILLE, "total", "All") == (4, 13)


def test_proportion_value_and_wilson_limits(table):
    found = row(table, "HYP", "england", ENGLAND, "total", "All")
    # 10 / 16 = 62.5%; Wilson: [2x + z² ∓ z√(z² + 4x(1 - x/n))] / [2(n + z²)] x 100.
    x, n, z = 10, 16, Z95
    spread = z * np.sqrt(z * z + 4 * x * (1 - x / n))
    assert found.value == pytest.approx(62.5)
    assert found.lower95 == pytest.approx((2 * x + z * z - spread) / (2 * (n + z * z)) * 100)
    assert found.upper95 == pytest.approx((2 * x + z * z + spread) / (2 * (n + z * z)) * 100)
    assert found.lower99_8 < found.lower95 < found.value < found.upper95 < found.upper99_8
    assert found.method == "Wilson"
    assert found.confidence == "95%, 99.8%"
    assert found.multiplier == 100


def test_rate_value_and_exact_poisson_limits(table):
    found = row(table, "ADM", "england", ENGLAND, "total", "All")
    # 8 events in 30 people per 1,000; O < 10 so exact: χ²(2O)/2 and χ²(2O + 2)/2 quantiles.
    assert found.value == pytest.approx(8 / 30 * 1000)
    assert found.lower95 == pytest.approx(gammaincinv(8, 0.025) / 30 * 1000)
    assert found.upper95 == pytest.approx(gammaincinv(9, 0.975) / 30 * 1000)
    assert found.method == "Exact"


def test_empty_denominator_gives_no_value(table):
    found = row(table, "HYP", "england", ENGLAND, "age_band", "0-17")
    assert (found.numerator, found.denominator) == (0, 0)
    assert np.isnan(found.value) and np.isnan(found.lower95)
    assert pd.isna(found.method)


def test_area_names_and_unknown_areas(table):
    assert row(table, "HYP", "lad", AVILLE, "total", "All").area_name == "Aville"
    assert row(table, "HYP", "icb", SOUTH, "total", "All").area_name == "South ICB"
    assert row(table, "HYP", "england", ENGLAND, "total", "All").area_name == "England"
    assert row(table, "HYP", "lad", "<none>", "total", "All").area_name == "Not known"


def test_unmatched_records_are_counted(run):
    assert run.unmatched_records == 1


def test_sii_by_quintile_matches_a_weighted_least_squares_fit(table):
    found = row(table, "SMOK", "england", ENGLAND, "imd_quintile", "SII")
    assert found.row_type == "sii"
    # WLS of y = x/n on the relative rank b (midpoint of each quintile's population share a).
    x = np.array([3, 2, 1, 1, 1])
    n = np.array([6, 5, 5, 4, 4])
    a = n / n.sum()
    b = np.cumsum(a) - a / 2
    y = x / n
    b_bar, y_bar = (a * b).sum(), (a * y).sum()
    slope = (a * (b - b_bar) * (y - y_bar)).sum() / (a * (b - b_bar) ** 2).sum()
    intercept = y_bar - slope * b_bar
    assert found.sii == pytest.approx(slope * 100)  # percentage points (multiplier 100)
    assert found.rii == pytest.approx((intercept + slope) / intercept)
    assert found.sii_lower95 < found.sii < found.sii_upper95
    assert found.sii_lower99_8 < found.sii_lower95
    assert "5 quantiles" in found.method and "2,000 simulation draws" in found.method
    assert pd.isna(found.numerator) and np.isnan(found.value)


def test_sii_not_calculated_is_explained(table):
    hyp = row(table, "HYP", "england", ENGLAND, "imd_quintile", "SII")
    assert np.isnan(hyp.sii)
    assert "0 (or 100%)" in hyp.method  # quintile 5 is 2 / 2
    decile = row(table, "SMOK", "england", ENGLAND, "imd_decile", "SII")
    assert "not every one of the 10 quantiles" in decile.method
    lad = row(table, "SMOK", "lad", BEETON, "imd_quintile", "SII")
    assert "not every one of the 5 quantiles" in lad.method


def test_rate_sii_is_on_the_rate_scale(table):
    found = row(table, "ADM", "england", ENGLAND, "imd_quintile", "SII")
    rates = np.array([2 / 7, 2 / 6, 2 / 6, 1 / 5, 1 / 5]) * 1000
    n = np.array([7, 6, 6, 5, 5])
    a = n / n.sum()
    b = np.cumsum(a) - a / 2
    b_bar, y_bar = (a * b).sum(), (a * rates).sum()
    slope = (a * (b - b_bar) * (rates - y_bar)).sum() / (a * (b - b_bar) ** 2).sum()
    assert found.sii == pytest.approx(slope)


def test_sii_is_reproducible_with_a_seed(spec, lookup, table):
    again = run_profile(spec, DATA / "profile_people.csv", lookup)
    pd.testing.assert_frame_equal(again, table)


def test_layout_and_order(table):
    assert list(table.columns[:19]) == [
        "indicator_id", "indicator_name", "indicator_type", "area_level", "area_code",
        "area_name", "breakdown", "category", "row_type", "numerator", "denominator",
        "multiplier", "value", "lower95", "upper95", "lower99_8", "upper99_8", "confidence",
        "method",
    ]  # fmt: skip
    assert list(table.columns[19:]) == [
        "sii", "sii_lower95", "sii_upper95", "sii_lower99_8", "sii_upper99_8",
        "rii", "rii_lower95", "rii_upper95", "rii_lower99_8", "rii_upper99_8",
    ]  # fmt: skip
    assert list(table.indicator_id.unique()) == ["HYP", "SMOK", "ADM"]
    assert list(table.area_level.unique()) == ["england", "region", "icb", "lad"]
    england = table[(table.indicator_id == "HYP") & (table.area_level == "england")]
    deciles = england[england.breakdown == "imd_decile"].category.tolist()
    assert deciles == ["1", "3", "5", "7", "9", "Not known", "SII"]
    assert england.breakdown.unique().tolist() == [
        "total", "imd_decile", "imd_quintile", "core20", "sex", "ethnicity", "age_band"
    ]  # fmt: skip


def test_parquet_input_and_dataframe_input_agree(tmp_path, spec, lookup, table):
    people = pd.read_csv(DATA / "profile_people.csv")
    path = tmp_path / "people.parquet"
    people.to_parquet(path)
    pd.testing.assert_frame_equal(run_profile(spec, path, lookup), table)
    pd.testing.assert_frame_equal(run_profile(spec, people, DATA / "profile_lookup.csv"), table)


def test_write_profile_writes_csv_parquet_and_sql(tmp_path, run):
    paths = write_profile(run, tmp_path / "out")
    assert [p.name for p in paths] == ["profile.csv", "profile.parquet", "profile.sql"]
    back = pd.read_parquet(paths[1])
    assert len(back) == len(run.table)
    assert back.numerator.dtype == "Int64"
    csv = pd.read_csv(paths[0])
    assert list(csv.columns) == list(run.table.columns)
    assert "GROUPING SETS" in paths[2].read_text()


def test_without_lookup_dimensions_no_join_is_needed(tmp_path):
    spec = load_spec(
        {
            "indicators": [{"id": "S", "denominator": "age >= 18", "numerator": "smoker = 1"}],
            "areas": ["england", {"level": "practice_lsoa", "column": "lsoa"}],
            "breakdowns": ["total", "sex"],
        }
    )
    table = run_profile(spec, DATA / "profile_people.csv")
    # Women 18+: 1, 3, 6, 8, 10, 12, 14, 16, 18, 20, 23, 25, 27; smokers among them: 6, 18, 20.
    assert counts(table, "S", "england", ENGLAND, "sex", "F") == (3, 13)
    assert counts(table, "S", "practice_lsoa", "E01000001", "total", "All") == (3, 6)
    types = {"age": "INTEGER", "smoker": "INTEGER", "sex": "VARCHAR", "lsoa": "VARCHAR"}
    assert "lsoa_lookup" not in profile_sql(spec, types)


def test_core20_and_quintile_columns_from_the_lookup_are_used(lookup):
    own = lookup.assign(
        core20=(lookup.imd_decile <= 3).astype(int), imd_quintile=6 - (lookup.imd_decile + 1) // 2
    )
    spec = load_spec(
        {
            "indicators": [{"id": "S", "denominator": "age >= 18", "numerator": "smoker = 1"}],
            "breakdowns": ["core20", "imd_quintile"],
            "sii": False,
        }
    )
    table = run_profile(spec, DATA / "profile_people.csv", own)
    # Core20 now covers deciles 1 and 3: LSOAs 1 and 2 -> (3 + 2) / (6 + 5).
    assert counts(table, "S", "england", ENGLAND, "core20", "Core20") == (5, 11)
    assert counts(table, "S", "england", ENGLAND, "imd_quintile", "5") == (3, 6)
    assert "sii" not in table.columns


# --- SQL -------------------------------------------------------------------------------------


def test_generated_sql_is_portable(run):
    sql = run.sql
    assert "GROUPING SETS" in sql and "GROUPING(" in sql and "DENSE_RANK() OVER" in sql
    for duckdb_only in ("::", "GROUP BY ALL", "COUNT_IF", "FILTER (", "QUALIFY", "read_parquet",
                        "EXCLUDE", "COLUMNS(", "list_", "struct_", "->"):  # fmt: skip
        assert duckdb_only not in sql
    assert sql.count("FROM person_records") == 1  # one pass over the records


def test_spark_dialect_quotes_with_backticks(spec, lookup):
    extract = {"lsoa": "STRING", "age": "INT", "sex": "STRING", "ethnicity": "STRING",
               "hyp": "INT", "bp": "INT", "smoker": "INT", "admitted": "INT"}  # fmt: skip
    lookup_types = dict.fromkeys(lookup.columns, "STRING") | {"imd_decile": "INT"}
    sql = profile_sql(spec, extract, lookup_types, SPARK)
    assert "`hyp` = 1" in sql and '"' not in sql


# --- errors ----------------------------------------------------------------------------------


def spec_with(**indicator):
    return load_spec({"indicators": [{"id": "X", "numerator": "smoker = 1", **indicator}]})


def test_unknown_column_names_the_indicator_and_column(lookup):
    spec = spec_with(denominator="age >= 18 and smokes = 1")
    with pytest.raises(InputError, match=r"Indicator 'X' denominator uses column 'smokes'"):
        run_profile(spec, DATA / "profile_people.csv", lookup)


def test_lookup_column_in_a_condition_is_explained(lookup):
    spec = spec_with(denominator="imd_decile <= 2")
    with pytest.raises(InputError, match="It is a lookup column"):
        run_profile(spec, DATA / "profile_people.csv", lookup)


def test_text_compared_with_a_number_column_is_refused(lookup):
    spec = spec_with(denominator="age >= '18'")
    with pytest.raises(InputError, match=r"column 'age' is numeric but is compared with the text"):
        run_profile(spec, DATA / "profile_people.csv", lookup)
    with pytest.raises(InputError, match=r"column 'sex' holds text but is compared with 1"):
        run_profile(spec_with(denominator="sex = 1"), DATA / "profile_people.csv", lookup)


def test_missing_area_column_and_missing_lookup(lookup):
    spec = load_spec({"indicators": [{"id": "X", "numerator": "smoker = 1"}], "areas": ["pcn"]})
    with pytest.raises(InputError, match=r"Area level 'pcn' uses column 'pcn', which is not in"):
        run_profile(spec, DATA / "profile_people.csv", lookup)
    spec = load_spec(
        {"indicators": [{"id": "X", "numerator": "smoker = 1"}], "breakdowns": ["imd_decile"]}
    )
    with pytest.raises(InputError, match="needs a lookup table with column 'imd_decile'"):
        run_profile(spec, DATA / "profile_people.csv")


def test_repeated_lsoa_in_lookup_is_refused(lookup):
    twice = pd.concat([lookup, lookup.iloc[[0]]])
    spec = load_spec({"indicators": [{"id": "X", "numerator": "smoker = 1"}], "areas": ["lad"]})
    with pytest.raises(
        InputError, match=r"more than one row for an LSOA \('E01000001' \(2 rows\)\)"
    ):
        run_profile(spec, DATA / "profile_people.csv", twice)


def test_missing_extract_file(lookup, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        run_profile(spec_with(), tmp_path / "nope.parquet", lookup)


def test_ambiguous_column_is_refused(lookup):
    spec = load_spec({"indicators": [{"id": "X", "numerator": "smoker = 1"}], "areas": ["lad"]})
    people = pd.read_csv(DATA / "profile_people.csv").assign(lad="x")
    with pytest.raises(InputError, match="in both the extract and the lookup"):
        run_profile(spec, people, lookup)


def test_an_empty_extract_gives_zero_counts(spec, lookup):
    people = pd.read_csv(DATA / "profile_people.csv").iloc[:0]
    table = run_profile(spec, people, lookup)
    assert table.indicator_id.tolist() == ["HYP", "SMOK", "ADM"]  # England totals only
    assert table.denominator.tolist() == [0, 0, 0]
    assert table.value.isna().all()


def test_a_header_only_csv_is_reported_as_empty(tmp_path, spec, lookup):
    path = tmp_path / "people.csv"
    path.write_text((DATA / "profile_people.csv").read_text().splitlines()[0] + "\n")
    with pytest.raises(InputError, match="The extract has no records"):
        run_profile(spec, path, lookup)


def test_a_header_only_lookup_csv_is_reported_as_empty(tmp_path, spec):
    path = tmp_path / "lookup.csv"
    path.write_text((DATA / "profile_lookup.csv").read_text().splitlines()[0] + "\n")
    with pytest.raises(InputError, match=r"^The lookup has no rows\.$"):
        run_profile(spec, DATA / "profile_people.csv", path)


def test_true_false_columns_compare_with_true_or_false(lookup):
    people = pd.read_csv(DATA / "profile_people.csv").assign(smokes=lambda d: d.smoker == 1)
    table = run_profile(
        spec_with(numerator="smokes = true", denominator="age >= 18"), people, lookup
    )
    assert counts(table, "X", "england", ENGLAND, "total", "All") == (9, 25)
    with pytest.raises(InputError, match=r"holds true/false but is compared with 1 \(write true"):
        run_profile(spec_with(numerator="smokes = 1"), people, lookup)
