"""Aggregation on the real data for one district (Telford and Wrekin, E06000020), against
the same figures worked out here from the shipped files with the csv module."""

import csv
import gzip
from collections import defaultdict

import pytest

from core20.places import aggregation
from core20.places.lookup.files import DEFAULT_ROOT
from core20.places.models import Edition

TELFORD = "E06000020"
DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"


def _rows(relative):
    with gzip.open(DEFAULT_ROOT / relative, "rt", encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


@pytest.fixture(scope="module")
def telford_2011():
    """{LSOA 2011: (IMD 2019 decile, rank, mid-2020 people)} for Telford and Wrekin."""
    people = {
        r["lsoa11_code"]: int(r["total_population"])
        for r in _rows("population/ons_sape23dt2_mid2020_lsoa11_syoa_persons_EW.csv.gz")
    }
    out = {}
    for r in _rows("imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"):
        if r["Local Authority District code (2019)"] == TELFORD:
            code = r["LSOA code (2011)"]
            decile = int(r[DECILE])
            rank = int(r["Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"])
            out[code] = (decile, rank, people[code])
    return out


def test_telford_imd2019_by_hand(places, telford_2011):
    edition = Edition.objects.by_code("imd2019")
    result = aggregation.aggregate_lsoas(aggregation.area_lsoas("lad", TELFORD, 2011), edition)
    total = sum(p for _, _, p in telford_2011.values())
    core20 = sum(p for d, _, p in telford_2011.values() if d <= 2)
    assert result.lsoas == len(telford_2011) == 108
    assert result.population == total
    assert result.core20_population == core20
    assert result.core20_share == pytest.approx(core20 / total)
    assert result.weighted_score is None  # IMD 2019 scores are not shipped
    assert result.weighted_rank == pytest.approx(
        sum(r * p for _, r, p in telford_2011.values()) / total
    )
    per_decile = defaultdict(int)
    for d, _, p in telford_2011.values():
        per_decile[d] += p
    assert {r.decile: r.population for r in result.deciles} == {
        d: per_decile.get(d, 0) for d in range(1, 11)
    }
    assert result.population_source == "ONS mid-2020 population estimates (LSOA 2011)"


def test_telford_local_deciles(places, telford_2011):
    edition = Edition.objects.by_code("imd2019")
    result = aggregation.aggregate_lsoas(
        aggregation.area_lsoas("lad", TELFORD, 2011),
        edition,
        method="local",
        ranking_area=TELFORD,
    )
    assert result.method == "local" and result.ranking_area == TELFORD
    counts = [r.lsoas for r in result.deciles]
    assert sum(counts) == 108 and max(counts) - min(counts) <= 1
    # Local decile 1: the 10 or 11 Telford LSOAs with the lowest national ranks.
    by_rank = sorted(telford_2011.values(), key=lambda v: v[1])
    assert result.deciles[0].population == sum(p for _, _, p in by_rank[: counts[0]])
    assert sum(r.population for r in result.deciles) == result.population


def test_telford_iod2025_with_scores_and_shared_out_population(places):
    # LSOA 2021 in Telford (2024 ward lookup), their IoD 2025 scores, and mid-2020 people of
    # their 2011 parents shared out equally between a parent's 2021 LSOAs.
    lsoas21 = {
        r["lsoa21_code"]
        for r in _rows("geography/lsoa21_ward24_lad24_EW.csv.gz")
        if r["ltla24_code"] == TELFORD
    }
    scores = {
        r["lsoa21_code"]: (float(r["IMD_score"]), int(r["IMD_decile"]))
        for r in _rows("iod2025/imd2025_england_lsoa21.csv.gz")
    }
    people11 = {
        r["lsoa11_code"]: int(r["total_population"])
        for r in _rows("population/ons_sape23dt2_mid2020_lsoa11_syoa_persons_EW.csv.gz")
    }
    children = defaultdict(list)
    for r in _rows("geography/lsoa11_lsoa21_lad22_exact_EW.csv.gz"):
        if r["lsoa11_code"].startswith("E"):
            children[r["lsoa11_code"]].append(r["lsoa21_code"])
    people21 = defaultdict(float)
    for parent, kids in children.items():
        for kid in kids:
            people21[kid] += people11[parent] / len(kids)
    total = sum(people21[c] for c in lsoas21)
    expected_score = sum(people21[c] * scores[c][0] for c in lsoas21) / total
    expected_core20 = sum(people21[c] for c in lsoas21 if scores[c][1] <= 2) / total

    edition = Edition.objects.by_code("iod2025")
    result = aggregation.aggregate_lsoas(aggregation.area_lsoas("lad", TELFORD, 2021), edition)
    assert result.lsoas == len(lsoas21)
    assert result.weighted_score == pytest.approx(expected_score)
    assert result.core20_share == pytest.approx(expected_core20)
    assert result.population == round(total)
    assert "shared out to LSOA 2021" in result.population_source


def test_england_is_about_a_fifth_core20(places):
    result = aggregation.national(Edition.objects.by_code("imd2019"))
    assert result.lsoas == 32844
    assert result.population == 56_550_138  # the England total in ATTRIBUTION.md
    assert 0.19 < result.core20_share < 0.22
    assert sum(r.lsoas for r in result.deciles if r.decile <= 2) == 6568
