"""Aggregating LSOAs to larger areas, against figures worked out by hand."""

import pandas as pd
import pytest

from core20.places import aggregation
from core20.places.aggregation import aggregate, practice_frame
from inequalities.stats import quantile

# Four LSOAs: population, IMD rank and national decile (no published scores, as IMD 2019 here).
FOUR = pd.DataFrame(
    {
        "lsoa": ["A", "B", "C", "D"],
        "population": [1000, 2000, 1500, 500],
        "score": [None, None, None, None],
        "rank": [100, 5000, 20000, 30000],
        "decile": [1, 2, 7, 10],
    }
)


def by_decile(result):
    return {r.decile: (r.lsoas, r.population, r.share) for r in result.deciles}


def test_national_figures_by_hand():
    result = aggregate(FOUR, edition="imd2019", edition_name="IMD 2019", national_lsoas=32844)
    assert (result.edition, result.edition_name, result.method) == (
        "imd2019",
        "IMD 2019",
        "national",
    )
    assert result.method_label.startswith("National deciles")
    assert result.lsoas == 4
    assert result.population == 5000
    # Core20: deciles 1 and 2 hold 1,000 + 2,000 of 5,000 people.
    assert result.core20_population == 3000
    assert result.core20_share == pytest.approx(0.6)
    assert result.bottom_two_share == pytest.approx(0.6)
    # (1000×100 + 2000×5000 + 1500×20000 + 500×30000) / 5000 = 11,020
    assert result.weighted_rank == pytest.approx(11020)
    assert "1 of 32,844 = most deprived" in result.weighted_rank_note
    deciles = by_decile(result)
    assert deciles[1] == (1, 1000, pytest.approx(0.2))
    assert deciles[2] == (1, 2000, pytest.approx(0.4))
    assert deciles[7] == (1, 1500, pytest.approx(0.3))
    assert deciles[10] == (1, 500, pytest.approx(0.1))
    assert all(deciles[d][:2] == (0, 0) for d in (3, 4, 5, 6, 8, 9))


def test_without_published_scores_the_weighted_score_is_none_with_the_reason():
    result = aggregate(FOUR, edition="imd2019", edition_name="IMD 2019")
    assert result.weighted_score is None
    assert "IMD 2019 scores are not loaded" in result.weighted_score_note
    assert "weighted average rank is given instead" in result.weighted_score_note


def test_population_weighted_average_score_by_hand():
    frame = FOUR.assign(score=[60.0, 30.0, 10.0, 2.0])
    result = aggregate(frame, edition="iod2025", edition_name="IoD 2025")
    # (1000×60 + 2000×30 + 1500×10 + 500×2) / 5000 = 136,000 / 5000 = 27.2
    assert result.weighted_score == pytest.approx(27.2)
    partly = aggregate(FOUR.assign(score=[60.0, None, 10.0, 2.0]), edition="x", edition_name="X")
    assert partly.weighted_score is None
    assert "missing for 1 of the area's LSOAs" in partly.weighted_score_note


def test_lsoas_without_values_or_population_are_counted_and_left_out():
    frame = pd.concat(
        [
            FOUR,
            pd.DataFrame(
                {
                    "lsoa": ["E", "F"],
                    "population": [700, None],
                    "score": [None, None],
                    "rank": [None, 12],
                    "decile": [None, 1],
                }
            ),
        ]
    )
    result = aggregate(frame, edition="imd2019", edition_name="IMD 2019")
    assert result.lsoas == 6
    assert result.lsoas_without_deprivation == 1  # E
    assert result.lsoas_without_population == 1  # F
    assert result.population == 5000
    assert result.core20_share == pytest.approx(0.6)
    assert by_decile(result)[1][0] == 2  # A and F are both in decile 1


def test_local_deciles_re_rank_within_the_area_with_the_engine():
    frame = pd.DataFrame(
        {
            "lsoa": [f"L{i:02d}" for i in range(20)],
            "population": [100 + i for i in range(20)],
            "score": [float(i) for i in range(20)],
            "rank": list(range(20, 0, -1)),
            "decile": [5] * 20,
        }
    )
    result = aggregate(
        frame, edition="iod2025", edition_name="IoD 2025", method="local", ranking_area="E06999999"
    )
    assert result.method == "local" and result.ranking_area == "E06999999"
    assert result.method_label.startswith("Local deciles")
    assert "IMD scores" in result.deciles_note
    # Highest scores are locally most deprived: L19, L18 → 1; … L01, L00 → 10.
    deciles = by_decile(result)
    assert deciles[1][:2] == (2, 119 + 118)
    assert deciles[10][:2] == (2, 101 + 100)
    # Exactly the engine's phe_quantile answer.
    engine = quantile(frame, value="score", quantiles=10, invert=True)
    for decile in range(1, 11):
        people = frame.loc[engine["quantile"] == decile, "population"].sum()
        assert deciles[decile][1] == people
    # National figures (Core20) are unchanged by the local method.
    assert result.core20_share == 0


def test_local_deciles_by_rank_when_there_are_no_scores():
    frame = pd.DataFrame(
        {
            "lsoa": [f"L{i:02d}" for i in range(10)],
            "population": [100] * 10,
            "score": [None] * 10,
            "rank": [10 * (i + 1) for i in range(10)],
            "decile": [1] * 10,
        }
    )
    result = aggregate(frame, edition="imd2019", edition_name="IMD 2019", method="local")
    assert "national ranks" in result.deciles_note
    assert [r.lsoas for r in result.deciles] == [1] * 10
    # Rank 10 (the most deprived) is local decile 1.
    assert result.deciles[0].population == 100


def test_local_deciles_need_ten_lsoas():
    result = aggregate(FOUR, edition="imd2019", edition_name="IMD 2019", method="local")
    assert result.deciles == []
    assert "need at least 10 LSOAs" in result.deciles_note
    assert result.core20_share == pytest.approx(0.6)


def test_unknown_method_or_columns_are_refused():
    with pytest.raises(ValueError, match="Unknown decile method"):
        aggregate(FOUR, edition="imd2019", edition_name="IMD 2019", method="weighted")
    with pytest.raises(ValueError, match="needs the columns"):
        aggregate(FOUR.drop(columns="rank"), edition="imd2019", edition_name="IMD 2019")


def test_a_practice_is_weighted_by_its_registered_patients():
    patients = pd.DataFrame({"lsoa": ["A", "C"], "patients": [300, 100]})
    values = FOUR.drop(columns="population")
    result = aggregate(practice_frame(patients, values), edition="imd2019", edition_name="IMD 2019")
    assert result.population == 400
    assert result.core20_share == pytest.approx(0.75)
    assert result.weighted_rank == pytest.approx((300 * 100 + 100 * 20000) / 400)


def test_share_text():
    assert aggregation.share_text(0.4567) == "46%"
    assert aggregation.share_text(0.001) == "less than 1%"
    assert aggregation.share_text(0.999) == "more than 99%"
    assert aggregation.share_text(1.0) == "100%"
    assert aggregation.share_text(0.0) == "0%"
    assert aggregation.share_text(None) == "not known"


# ---- From the database (the tiny fixture in conftest) ----


def test_population_sources_per_edition(tiny):
    imd = aggregation.population_source(tiny.imd2019)
    assert (imd.kind, imd.year) == ("estimates", 2020)
    assert imd.label == "ONS mid-2020 population estimates (LSOA 2011)"
    iod = aggregation.population_source(tiny.iod2025)
    assert (iod.kind, iod.year) == ("apportioned", 2020)
    assert "shared out to LSOA 2021" in iod.label


def test_a_ward_from_the_database(tiny, django_assert_max_num_queries):
    lsoas = aggregation.area_lsoas("ward", "E05999991", 2011)
    with django_assert_max_num_queries(6):
        result = aggregation.aggregate_lsoas(lsoas, tiny.imd2019)
    assert result.lsoas == 2
    assert result.population == 3000
    assert result.core20_share == pytest.approx(1.0)
    assert result.population_source == "ONS mid-2020 population estimates (LSOA 2011)"
    assert result.weighted_rank == pytest.approx((1000 * 100 + 2000 * 5000) / 3000)


def test_iod2025_population_is_shared_out_from_2011(tiny):
    frame = aggregation.deprivation_frame(None, tiny.iod2025)
    people = dict(zip(frame["lsoa"], frame["population"], strict=True))
    # E01999992 (2,000 people) was split into E01999995 and E01999996: 1,000 each.
    assert people == {
        "E01999991": 1000,
        "E01999995": 1000,
        "E01999996": 1000,
        "E01999993": 1500,
        "E01999994": 500,
    }
    result = aggregation.national(tiny.iod2025)
    # (1000×60 + 1000×40 + 1000×30 + 1500×10 + 500×2) / 5000 = 146,000 / 5000
    assert result.weighted_score == pytest.approx(29.2)
    assert result.core20_share == pytest.approx(0.4)


def test_an_lsoa_known_only_in_the_other_vintage_goes_through_the_lookup(tiny):
    codes = set(aggregation.area_lsoas("lsoa", "E01999992", 2021).values_list("code", flat=True))
    assert codes == {"E01999995", "E01999996"}
    back = set(aggregation.area_lsoas("lsoa", "E01999995", 2011).values_list("code", flat=True))
    assert back == {"E01999992"}
    with pytest.raises(ValueError):
        aggregation.area_lsoas("county", "E10000001", 2011)
