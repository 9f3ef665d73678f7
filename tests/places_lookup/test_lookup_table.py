"""The lookup table built from the shipped files, checked against the files read
independently here (csv module, no pandas), and the statuses of odd queries."""

import csv
import gzip
import random

import pyarrow as pa
import pytest

from core20.places.lookup.files import DEFAULT_ROOT, SHIPPED_EDITIONS
from core20.places.lookup.resolve import materialise, resolve, resolve_one
from core20.places.models import EDITIONS

ROOT = DEFAULT_ROOT
TELFORD = "E06000020"
IMD2019_DECILE = (
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
)


def _rows(path, **kwargs):
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle, **kwargs)


@pytest.fixture(scope="module")
def nspl_tf():
    return {r["pcds"]: r for r in _rows(ROOT / "postcodes" / "NSPL_NOV_2021_UK_TF.csv.gz")}


@pytest.fixture(scope="module")
def imd2019():
    path = ROOT / "imd2019" / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
    return {r["LSOA code (2011)"]: int(r[IMD2019_DECILE]) for r in _rows(path)}


@pytest.fixture(scope="module")
def iod2025():
    path = ROOT / "iod2025" / "imd2025_england_lsoa21.csv.gz"
    return {r["lsoa21_code"]: int(r["IMD_decile"]) for r in _rows(path)}


@pytest.fixture(scope="module")
def links():
    path = ROOT / "geography" / "lsoa11_lsoa21_lad22_exact_EW.csv.gz"
    out = {}
    for r in _rows(path):
        if r["lsoa11_code"].startswith("E"):
            out.setdefault(r["lsoa11_code"], []).append(r["lsoa21_code"])
    return out


def test_the_shipped_editions_are_the_models_editions():
    assert {c: (e["short_name"], int(e["lsoa_vintage"])) for c, e in EDITIONS.items()} == (
        SHIPPED_EDITIONS
    )


@pytest.mark.parametrize(
    "spelling",
    ["TF1 1AA", "tf11aa", "  tf1   1aa ", "Tf1 1aA", "TF1\t1AA", "TF1\u00a01AA", " TF1 1AA\r\n"],
)
def test_a_telford_postcode_in_any_spacing_or_case_resolves_to_its_published_lsoa_and_decile(
    file_lookup, nspl_tf, imd2019, spelling
):
    published = nspl_tf["TF1 1AA"]
    assert published["laua"] == TELFORD
    answer = resolve_one(file_lookup, spelling)
    assert answer["query"] == spelling
    assert answer["status"] == "ok"
    assert answer["query_type"] == "postcode"
    assert answer["postcode"] == "TF1 1AA"
    assert answer["lsoa"] == answer["lsoa11"] == published["lsoa11"]
    assert answer["imd2019_decile"] == imd2019[published["lsoa11"]]
    assert answer["core20"] == answer["core20_imd2019"] == (imd2019[published["lsoa11"]] <= 2)
    assert answer["lad"] == TELFORD
    assert answer["lad_name"] == "Telford and Wrekin"
    assert answer["icb_name"] == "NHS Shropshire, Telford and Wrekin Integrated Care Board"
    assert answer["region_name"] == "Midlands"


def test_every_live_telford_postcode_gets_its_published_lsoa_and_imd2019_decile(
    file_lookup, nspl_tf, imd2019
):
    live = [r for r in nspl_tf.values() if r["laua"] == TELFORD and not r["doterm"]]
    assert len(live) == 5069  # as ATTRIBUTION.md says
    answers = resolve(file_lookup, [r["pcds"].lower() for r in live]).to_pylist()
    assert [a["status"] for a in answers] == ["ok"] * len(live)
    assert [a["lsoa11"] for a in answers] == [r["lsoa11"] for r in live]
    assert [a["imd2019_decile"] for a in answers] == [imd2019[r["lsoa11"]] for r in live]


def test_iod2025_deciles_come_through_the_2011_to_2021_lookup(file_lookup, nspl_tf, iod2025, links):
    live = [r for r in nspl_tf.values() if r["laua"] == TELFORD and not r["doterm"]]
    answers = resolve(file_lookup, [r["pcds"] for r in live], edition="iod2025").to_pylist()
    for row, answer in zip(live, answers, strict=True):
        children = sorted(links[row["lsoa11"]])
        deciles = sorted({iod2025[c] for c in children})
        assert answer["lsoa21_candidates"] == children
        assert answer["iod2025_deciles"] == deciles
        if len(deciles) == 1:
            assert answer["iod2025_decile"] == deciles[0]
            assert answer["core20"] == (deciles[0] <= 2)
        else:
            assert answer["iod2025_decile"] is None
            assert "different IoD 2025 deciles" in answer["notes"]
        assert answer["lsoa"] == (children[0] if len(children) == 1 else None)


def test_a_split_lsoa_lists_its_candidates_and_gives_no_decile_where_they_differ(
    file_lookup, links, iod2025, imd2019
):
    splits = {c: sorted(k) for c, k in links.items() if len(k) > 1}
    differ = next(c for c, k in sorted(splits.items()) if len({iod2025[x] for x in k}) > 1)
    agree = next(c for c, k in sorted(splits.items()) if len({iod2025[x] for x in k}) == 1)
    answer = resolve_one(file_lookup, differ, edition="iod2025")
    assert answer["query_type"] == "lsoa"
    assert answer["lsoa11"] == differ and answer["lsoa21"] is None
    assert answer["lsoa21_candidates"] == splits[differ]
    assert answer["iod2025_decile"] is None
    assert answer["iod2025_deciles"] == sorted({iod2025[x] for x in splits[differ]})
    assert f"LSOA 2011 {differ} was split into {len(splits[differ])} LSOAs 2021" in answer["notes"]
    assert answer["imd2019_decile"] == imd2019[differ]  # the 2011 LSOA itself
    same = resolve_one(file_lookup, agree, edition="iod2025")
    assert same["iod2025_decile"] == iod2025[splits[agree][0]]
    assert same["core20"] == (same["iod2025_decile"] <= 2)


def test_a_2021_lsoa_merged_from_2011_lsoas_gets_their_imd2019_deciles(file_lookup, links, imd2019):
    parents: dict[str, list[str]] = {}
    for lsoa11, children in links.items():
        for child in children:
            parents.setdefault(child, []).append(lsoa11)
    merged = next(c for c, p in sorted(parents.items()) if len(p) > 1 and len(links[p[0]]) == 1)
    answer = resolve_one(file_lookup, merged)
    assert answer["lsoa21"] == merged
    assert answer["lsoa11_candidates"] == sorted(parents[merged])
    assert answer["imd2019_deciles"] == sorted({imd2019[p] for p in parents[merged]})
    assert "was formed from" in answer["notes"]


def test_a_ward_resolves_with_its_decile_mix(file_lookup, imd2019):
    path = ROOT / "geography" / "ons_lsoa11_ward19_lad19_EW.csv.gz"
    members = [r["LSOA11CD"] for r in _rows(path) if r["WD19CD"] == "E05009978"]
    answer = resolve_one(file_lookup, "e05009978")
    assert answer["status"] == "ok"
    assert answer["query_type"] == "ward"
    assert answer["name"] == answer["ward_name"] == "Haygate"
    assert answer["lad"] == TELFORD
    assert answer["lsoa11_candidates"] is None  # a ward is not listed LSOA by LSOA
    deciles = sorted({imd2019[m] for m in members})
    assert answer["imd2019_deciles"] == deciles
    assert answer["imd2019_decile"] == (deciles[0] if len(deciles) == 1 else None)
    expected = True if max(deciles) <= 2 else False if min(deciles) > 2 else None
    assert answer["core20_imd2019"] is expected


def test_an_lsoa_code_resolves(file_lookup, imd2019, iod2025):
    answer = resolve_one(file_lookup, "e01014145")
    assert answer["status"] == "ok"
    assert answer["query_type"] == "lsoa"
    assert answer["name"] == "Telford and Wrekin 012D"
    assert answer["lsoa11"] == answer["lsoa21"] == "E01014145"
    assert answer["imd2019_decile"] == imd2019["E01014145"]
    assert answer["iod2025_decile"] == iod2025["E01014145"]


def test_a_practice_code_resolves_through_its_postcode(file_lookup, nspl_tf, imd2019):
    path = ROOT / "gp_practice" / "ods_epraccur_2022-02.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        practice = next(
            r
            for r in csv.reader(handle)
            if r[9] in nspl_tf and r[12] == "A" and r[25] == "4" and not nspl_tf[r[9]]["doterm"]
        )
    lsoa = nspl_tf[practice[9]]["lsoa11"]
    answer = resolve_one(file_lookup, practice[0].lower())
    assert answer["status"] == "ok"
    assert answer["query_type"] == "practice"
    assert answer["name"] == practice[1]
    assert answer["postcode"] == practice[9]
    assert answer["lsoa11"] == lsoa
    assert answer["imd2019_decile"] == imd2019[lsoa]
    assert answer["notes"] == f"Placed by the practice's postcode {practice[9]}."


@pytest.mark.parametrize(
    ("query", "status", "query_type", "note"),
    [
        ("TF99 9ZZ", "not_found", "postcode", "not in the loaded postcode directory"),
        ("E01999999", "not_found", "lsoa", "No LSOA"),
        ("E05999999", "not_found", "ward", "No electoral ward"),
        ("Z99999", "not_found", "practice", "No GP practice"),
        ("hello", "invalid", None, "Not a postcode"),
        ("TF1 1A", "invalid", None, "Not a postcode"),
        ("", "invalid", None, "Empty"),
        ("   ", "invalid", None, "Empty"),
        (None, "invalid", None, "Empty"),
    ],
)
def test_unknown_and_malformed_queries_say_so(file_lookup, query, status, query_type, note):
    answer = resolve_one(file_lookup, query)
    assert answer["query"] == query
    assert answer["status"] == status
    assert answer["query_type"] == query_type
    assert note in answer["notes"]
    assert answer["lsoa"] is None and answer["core20"] is None


def test_a_terminated_postcode_is_answered_for_where_it_was(file_lookup, imd2019):
    answer = resolve_one(file_lookup, "sr1 1aa")  # doterm 199912 in the NSPL
    assert answer["status"] == "terminated"
    assert answer["lsoa11"] == "E01008703"
    assert answer["imd2019_decile"] == imd2019["E01008703"]
    assert "terminated in December 1999" in answer["notes"]


def test_a_closed_practice_is_terminated_and_one_outside_the_postcodes_is_unlocated(file_lookup):
    closed = resolve_one(file_lookup, "A81003")  # closed 2017, postcode TS26 (not loaded)
    assert closed["status"] == "unlocated"
    assert "closed on 2017-10-31" in closed["notes"]
    assert "not in the loaded postcode directory" in closed["notes"]


def test_nothing_is_dropped_and_order_is_kept(file_lookup, nspl_tf):
    rng = random.Random(7)
    pool = [*list(nspl_tf)[:2000], "E01014145", "E05009978", "TF99 9ZZ", "junk", "", None]
    queries = [rng.choice(pool) for _ in range(50_000)]
    result = resolve(file_lookup, queries)
    assert result.num_rows == len(queries)
    assert result.column("query").to_pylist() == queries
    statuses = set(materialise(result).column("status").to_pylist())
    assert statuses <= {"ok", "terminated", "unlocated", "not_found", "invalid"}
    assert {"ok", "not_found", "invalid"} <= statuses
    # The same answer for the same query wherever it appears.
    lsoas = dict(zip(queries, result.column("lsoa11").to_pylist(), strict=True))
    for query, lsoa in zip(queries, result.column("lsoa11").to_pylist(), strict=True):
        assert lsoas[query] == lsoa


def test_input_types_are_accepted(file_lookup):
    import pandas as pd

    expected = resolve(file_lookup, ["TF1 1AA", None]).column("lsoa11").to_pylist()
    for queries in (pa.array(["TF1 1AA", None]), pd.Series(["TF1 1AA", None]), ("TF1 1AA", None)):
        assert resolve(file_lookup, queries).column("lsoa11").to_pylist() == expected
    assert resolve(file_lookup, []).num_rows == 0


def test_the_edition_chooses_core20_and_lsoa(file_lookup):
    default = resolve_one(file_lookup, "E01000010")
    assert default["edition"] == "imd2019"
    assert default["lsoa"] == "E01000010"
    assert default["core20"] == default["core20_imd2019"]
    newer = resolve_one(file_lookup, "E01000010", edition="iod2025")
    assert newer["edition"] == "iod2025"
    assert newer["lsoa"] is None  # split in 2021
    assert newer["core20"] == newer["core20_iod2025"]
    with pytest.raises(ValueError, match="Unknown edition"):
        resolve(file_lookup, ["TF1 1AA"], edition="imd2015")
