"""The shipped reference data, loaded by load_places_reference, checked against the
published figures and against the files themselves (read here with csv, not the importers)."""

import csv
import io
from collections import Counter, defaultdict
from datetime import date

from django.db.models import Count

from core20.places.models import (
    ICB,
    LSOA,
    PCN,
    DecileMethod,
    Deprivation,
    Edition,
    GPPractice,
    ImportRun,
    LSOAHealthMembership,
    LSOALink,
    PopulationEstimate,
    Postcode,
    Region,
    SiteSettings,
    deprivation_edition_for,
    is_core20,
)
from tests.places.conftest import read_text

TELFORD_AND_WREKIN = "E06000020"


def rows(name):
    return list(csv.DictReader(io.StringIO(read_text(name))))


def test_the_command_loads_every_shipped_file_and_reports_it(places):
    out = places["output"]
    assert "17 files loaded" in out
    assert "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz: 32,844 added" in out
    assert "NSPL_NOV_2021_UK_TF.csv.gz: 9,342 added" in out
    run = ImportRun.objects.get(kind="reference")
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.counts["files"] == 17


def test_imd2019_has_exactly_6568_core20_lsoas(places):
    imd2019 = Edition.objects.get(code="imd2019")
    assert Deprivation.objects.filter(edition=imd2019).count() == 32_844
    assert Deprivation.objects.edition(imd2019).core20().count() == 6_568
    assert LSOA.objects.core20(imd2019).count() == 6_568
    assert set(LSOA.objects.core20(imd2019).values_list("vintage", flat=True)) == {2011}
    deciles = Counter(
        Deprivation.objects.filter(edition=imd2019).values_list("imd_decile", flat=True)
    )
    assert deciles[1] == 3_284 and deciles[2] == 3_284 and sum(deciles.values()) == 32_844


def test_every_figure_records_its_edition_and_decile_method(places):
    assert set(Deprivation.objects.values_list("decile_method", flat=True)) == {
        DecileMethod.NATIONAL
    }
    assert not Deprivation.objects.filter(edition__isnull=True).exists()
    # Each edition sits on its own LSOA vintage.
    for edition in Edition.objects.all():
        assert set(
            Deprivation.objects.filter(edition=edition).values_list("lsoa__vintage", flat=True)
        ) == {edition.lsoa_vintage}


def test_iod2025_values_and_core20(places):
    iod2025 = Edition.objects.get(code="iod2025")
    values = Deprivation.objects.filter(edition=iod2025)
    assert values.count() == 33_755
    assert values.core20().count() == 3_375 + 3_376
    first = values.get(lsoa__code="E01000001")
    assert (first.imd_decile, first.imd_rank, first.imd_score) == (8, 26525, 8.742)
    assert first.living_environment_rank == 244 and first.barriers_score == 10.95


def test_is_core20():
    assert [d for d in range(1, 11) if is_core20(d)] == [1, 2]
    assert not is_core20(None)


def test_population_denominators_and_estimates(places):
    imd2019 = Edition.objects.get(code="imd2019")
    totals = Deprivation.objects.filter(edition=imd2019).values_list("population_total", flat=True)
    assert sum(totals) == 54_728_204
    estimates = PopulationEstimate.objects.filter(year=2020)
    assert estimates.count() == 32_844
    assert sum(estimates.values_list("total", flat=True)) == 56_550_138
    one = estimates.get(lsoa__code="E01011949")
    assert one.total == 1944 and len(one.by_age) == 91 and sum(one.by_age) == 1944


def test_every_english_lsoa21_is_in_one_icb_and_one_region_on_a_date(places):
    when = date(2025, 6, 1)
    memberships = LSOAHealthMembership.objects.on(when).filter(lsoa__vintage=2021)
    per_lsoa = memberships.values("lsoa").annotate(n=Count("id"))
    assert per_lsoa.count() == LSOA.objects.filter(vintage=2021).count() == 33_755
    assert {row["n"] for row in per_lsoa} == {1}
    assert memberships.values("icb").distinct().count() == 42
    assert memberships.values("icb__region").distinct().count() == Region.objects.count() == 7
    lsoa = LSOA.objects.get(vintage=2021, code="E01014145")
    assert lsoa.icb_on(when).code == "E54000011"  # Shropshire, Telford and Wrekin
    assert lsoa.icb_on(when).region.code == "E40000011"  # Midlands
    # The 2024 lookup takes effect on 1 April 2024: before it, no 2021 LSOA has an ICB.
    assert lsoa.icb_on(date(2024, 3, 31)) is None


def test_lsoa11_memberships_follow_the_2022_lookup(places):
    when = date(2023, 1, 1)
    memberships = LSOAHealthMembership.objects.on(when).filter(lsoa__vintage=2011)
    assert memberships.count() == 32_844
    assert memberships.values("icb").distinct().count() == 42
    assert memberships.values("sub_icb").distinct().count() == 106
    assert LSOAHealthMembership.objects.on(date(2022, 6, 30)).count() == 0
    # The 2022 codes of Surrey Heartlands and Sussex (re-coded in April 2024) are kept.
    assert set(memberships.values_list("icb__code", flat=True)) >= {"E54000052", "E54000053"}
    assert ICB.objects.count() == 44


def test_telford_postcode_resolves_to_its_published_lsoa_and_decile(places):
    live = [
        r
        for r in rows("postcodes/NSPL_NOV_2021_UK_TF.csv.gz")
        if r["doterm"] == "" and r["laua"] == TELFORD_AND_WREKIN
    ]
    first = live[0]
    published_decile = {
        r["LSOA code (2011)"]: int(
            r["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"]
        )
        for r in rows("imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz")
    }[first["lsoa11"]]

    postcode = Postcode.objects.get(code=first["pcd"].replace(" ", ""))
    assert postcode.display == first["pcds"] == "TF1 1AA"
    assert postcode.is_live and postcode.lad_code == TELFORD_AND_WREKIN
    assert postcode.lsoa11.code == first["lsoa11"] == "E01014145"
    value = postcode.lsoa11.deprivation.get(edition__code="imd2019")
    assert value.imd_decile == published_decile
    assert value.imd_rank == int(first["imd"])  # the NSPL carries the IoD2019 rank too
    assert len(live) == 5_069


def test_terminated_postcodes_are_kept_with_their_date(places):
    postcode = Postcode.objects.get(code="TF11AB")
    assert not postcode.is_live and postcode.terminated == date(1999, 12, 1)
    assert Postcode.objects.filter(terminated__isnull=True).count() == 7_081 + 6_622


def test_lsoa_2011_to_2021_round_trips_unchanged_lsoas_and_counts_changes(places):
    links = LSOALink.objects.select_related("lsoa11", "lsoa21")
    by_change = defaultdict(set)
    for code, change in links.values_list("lsoa11__code", "change"):
        by_change[change].add(code)
    assert {c: len(codes) for c, codes in by_change.items()} == {
        "U": 31_810,
        "S": 834,
        "M": 194,
        "X": 6,
    }
    unchanged = links.filter(change=LSOALink.Change.UNCHANGED)
    forward = dict(unchanged.values_list("lsoa11_id", "lsoa21_id"))
    back = dict(unchanged.values_list("lsoa21_id", "lsoa11_id"))
    codes11 = dict(LSOA.objects.filter(vintage=2011).values_list("pk", "code"))
    codes21 = dict(LSOA.objects.filter(vintage=2021).values_list("pk", "code"))
    assert len(forward) == len(back) == 31_810
    for old, new in forward.items():
        assert back[new] == old
        assert codes11[old] == codes21[new]
    # The file itself (England and Wales rows) agrees.
    file_rows = rows("geography/lsoa11_lsoa21_lad22_exact_EW.csv.gz")
    english = [r for r in file_rows if r["lsoa11_code"].startswith("E")]
    assert len(english) == LSOALink.objects.count() == 33_855
    assert Counter(r["change_code"] for r in file_rows) == {
        "U": 33_647,
        "S": 1_900,
        "M": 239,
        "X": 9,
    }


def test_practices_pcns_and_practice_lsoas(places):
    assert GPPractice.objects.count() == 14_963
    assert GPPractice.objects.filter(prescribing_setting=4).count() == 8_631
    located = GPPractice.objects.exclude(lsoa=None)
    assert located.exists()
    assert all(p.postcode[:2] in ("TF", "SR") for p in located)
    practice = GPPractice.objects.get(ods_code="A81001")
    assert practice.postcode == "TS18 1HU" and practice.status == "A"
    assert practice.pcn_on(date(2022, 6, 1)).code == "U89141"
    assert practice.pcn_on(date(2021, 12, 31)) is None
    assert PCN.objects.count() == 1_254


def test_sites_use_imd2019_unless_they_choose(places, site):
    assert deprivation_edition_for(site).code == "imd2019"
    settings = SiteSettings.objects.create(site=site)
    assert settings.deprivation_edition.code == "imd2019"
    settings.deprivation_edition = Edition.objects.get(code="iod2025")
    settings.save()
    assert deprivation_edition_for(site).code == "iod2025"


def test_the_load_took_seconds_not_minutes(places):
    assert places["seconds"] < 120
