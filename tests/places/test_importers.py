"""Importer behaviour: header and value checks naming file, row and column; all-or-nothing;
idempotent re-runs; the official layouts beside the shipped ones; dated memberships."""

import csv
import gzip
import io
from datetime import date

import pytest

from core20.audit.models import AuditEvent
from core20.places.importers import ImportFailed, run_import
from core20.places.models import (
    ICB,
    LSOA,
    Deprivation,
    Edition,
    GPPractice,
    LSOAHealthMembership,
    Postcode,
    SubICBLocation,
)
from tests.places.conftest import read_text, shipped

FILE2 = "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
LSOA_CODE = "LSOA code (2011)"
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"


def table(name):
    reader = csv.reader(io.StringIO(read_text(name)))
    return next(reader), list(reader)


def write_csv(path, header, body, *, compress=False):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    data = text.getvalue().encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def file2_sample(tmp_path, n=20, *, name="File_2_sample.csv", change=None):
    header, body = table(FILE2)
    body = [list(r) for r in body[:n]]
    if change:
        change(header, body)
    return write_csv(tmp_path / name, header, body)


def problems(excinfo):
    return [str(i) for i in excinfo.value.issues]


def snapshot():
    return list(
        Deprivation.objects.filter(edition__code="imd2019")
        .order_by("lsoa__code")
        .values_list("lsoa__code", "imd_rank", "imd_decile", "income_rank", "population_total")
    )


# ---- headers ----


def test_a_missing_column_names_the_file_and_the_expected_header(places, tmp_path):
    def drop_lsoa_code(header, body):
        header[0] = "Area"

    path = file2_sample(tmp_path, change=drop_lsoa_code)
    with pytest.raises(ImportFailed) as excinfo:
        run_import("deprivation", path, layout="iod2019_file2")
    assert problems(excinfo) == [
        "File_2_sample.csv: missing column for the IoD 2019 File 2 (domain ranks and deciles) "
        "layout: expected a header 'LSOA code (2011)'"
    ]


def test_a_file_matching_no_layout_says_what_is_missing(places, tmp_path):
    path = write_csv(
        tmp_path / "mystery.csv", ["LSOA code (2011)", "Something"], [["E01000001", "1"]]
    )
    with pytest.raises(ImportFailed) as excinfo:
        run_import("deprivation", path)
    text = " ".join(problems(excinfo))
    assert text.startswith("mystery.csv: does not match any Indices of Deprivation (LSOA) layout")
    assert "expected a header 'Index of Multiple Deprivation (IMD) Rank…'" in text


def test_the_headerless_epraccur_layout_checks_its_width(places, tmp_path):
    path = write_csv(tmp_path / "epraccur.csv", ["A81001"] * 26, [["A81002"] * 26])
    with pytest.raises(ImportFailed) as excinfo:
        run_import("practices", path)
    assert "27 columns without a header row, but found 26 columns" in problems(excinfo)[0]


# ---- values ----


def test_a_bad_code_is_named_by_row_and_column(places, tmp_path):
    def bad_code(header, body):
        body[4][0] = "E0100000X"
        body[6][header.index(IMD_DECILE)] = "11"

    path = file2_sample(tmp_path, change=bad_code)
    with pytest.raises(ImportFailed) as excinfo:
        run_import("deprivation", path)
    assert problems(excinfo) == [
        "File_2_sample.csv, row 6, column 'LSOA code (2011)': 'E0100000X' is not an LSOA code "
        "(E01 and six digits)",
        f"File_2_sample.csv, row 8, column '{IMD_DECILE}': '11' is not a whole number from 1 to 10",
    ]


def test_a_duplicate_lsoa_names_both_rows(places, tmp_path):
    def duplicate(header, body):
        body[9][0] = body[2][0]

    path = file2_sample(tmp_path, change=duplicate)
    with pytest.raises(ImportFailed) as excinfo:
        run_import("deprivation", path)
    code = table(FILE2)[1][2][0]
    assert problems(excinfo) == [
        f"File_2_sample.csv, row 4, column 'LSOA code (2011)': '{code}' appears more than once "
        "(rows 4 and 11)"
    ]


@pytest.mark.parametrize(
    ("kind", "header", "row", "message"),
    [
        (
            "lsoa_wards",
            ["LSOA11CD", "LSOA11NM", "WD19CD", "WD19NM", "LAD19CD", "LAD19NM"],
            ["E01000001", "City 001A", "E15000001", "Ward", "E09000001", "City"],
            "row 2, column 'WD19CD': 'E15000001' is not an electoral ward code",
        ),
        (
            "lsoa_wards",
            ["LSOA11CD", "LSOA11NM", "WD19CD", "WD19NM", "LAD19CD", "LAD19NM"],
            ["E01000001", "City 001A", "E05000001", "Ward", "E10000001", "City"],
            "row 2, column 'LAD19CD': 'E10000001' is not a local authority district code",
        ),
        (
            "lsoa_icbs",
            ["LSOA21CD", "SICBL24CD", "SICBL24CDH", "SICBL24NM", "ICB24CD", "ICB24CDH", "ICB24NM"],
            ["E01000001", "E39000001", "01F", "X", "E54000008", "QYG", "Y"],
            "row 2, column 'SICBL24CD': 'E39000001' is not a sub-ICB location code",
        ),
        (
            "nhs_areas",
            ["icb24_code", "icb24_code_nhs", "icb24_name", "nhser_code", "nhser_name"],
            ["E54000008", "QYG", "Cheshire", "E41000010", "North West"],
            "row 2, column 'nhser_code': 'E41000010' is not an NHS England region code",
        ),
        (
            "nhs_areas",
            ["icb24_code", "icb24_code_nhs", "icb24_name", "nhser_code", "nhser_name"],
            ["E55000008", "QYG", "Cheshire", "E40000010", "North West"],
            "row 2, column 'icb24_code': 'E55000008' is not an ICB code",
        ),
    ],
)
def test_code_formats_are_checked(places, tmp_path, kind, header, row, message):
    path = write_csv(tmp_path / "lookup.csv", header, [row])
    with pytest.raises(ImportFailed) as excinfo:
        run_import(kind, path)
    assert message in problems(excinfo)[0]


# ---- all or nothing, idempotent ----


def test_a_failing_file_changes_nothing(places, tmp_path):
    before = snapshot()
    events = AuditEvent.objects.count()

    def change_then_break(header, body):
        decile = header.index(IMD_DECILE)
        for row in body[:-1]:  # good changes…
            row[decile] = "1" if row[decile] != "1" else "2"
        body[-1][decile] = "ten"  # …and one bad value at the end

    path = file2_sample(tmp_path, n=500, change=change_then_break)
    with pytest.raises(ImportFailed):
        run_import("deprivation", path)
    assert snapshot() == before
    assert AuditEvent.objects.count() == events


def test_an_error_while_writing_rolls_the_whole_file_back(places, tmp_path, monkeypatch):
    from core20.places.importers import deprivation

    before = snapshot()

    def change(header, body):
        body[0][header.index(IMD_DECILE)] = "1" if body[0][header.index(IMD_DECILE)] != "1" else "2"

    path = file2_sample(tmp_path, change=change)
    real_sync = deprivation.sync

    def sync_then_fail(*args, **kwargs):
        real_sync(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(deprivation, "sync", sync_then_fail)
    with pytest.raises(RuntimeError):
        run_import("deprivation", path)
    assert snapshot() == before


def test_re_running_a_file_changes_nothing(places):
    before = snapshot()
    result = run_import("deprivation", shipped(FILE2))
    assert str(result.counts) == "0 added, 0 updated, 32,844 unchanged"
    assert snapshot() == before
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT).first()
    assert event.object_label.endswith(FILE2.split("/")[1])
    assert event.changes["created"] == 0 and event.changes["unchanged"] == 32_844
    for kind, name in [
        ("lsoa_links", "geography/lsoa11_lsoa21_lad22_exact_EW.csv.gz"),
        ("lsoa_icbs", "geography/lsoa21_sicbl24_icb24_EN.csv.gz"),
        ("postcodes", "postcodes/NSPL_NOV_2021_UK_SR.csv.gz"),
        ("practices", "gp_practice/ods_epraccur_2022-02.csv.gz"),
    ]:
        result = run_import(kind, shipped(name))
        assert str(result.counts).startswith("0 added, 0 updated, "), (name, result.counts)
        assert not result.counts.changed


def test_file1_xlsx_agrees_with_file2(places):
    result = run_import(
        "deprivation", shipped("imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx")
    )
    assert result.layout == "iod2019_file1"
    assert str(result.counts) == "0 added, 0 updated, 32,844 unchanged"


def test_an_update_is_counted_and_applied(places, tmp_path):
    def change(header, body):
        body[0][header.index(IMD_DECILE)] = "1"

    header, body = table(FILE2)
    original = body[0][header.index(IMD_DECILE)]
    assert original != "1"
    result = run_import("deprivation", file2_sample(tmp_path, change=change))
    assert str(result.counts) == "0 added, 1 updated, 19 unchanged"
    value = Deprivation.objects.get(edition__code="imd2019", lsoa__code=body[0][0])
    assert value.imd_decile == 1


# ---- official layouts beside the shipped ones ----

INDEX_LABELS = [
    "Index of Multiple Deprivation (IMD)",
    "Income",
    "Employment",
    "Education, Skills and Training",
    "Health Deprivation and Disability",
    "Crime",
    "Barriers to Housing and Services",
    "Living Environment",
    "Income Deprivation Affecting Children Index (IDACI)",
    "Income Deprivation Affecting Older People (IDAOPI)",
    "Children and Young People Sub-domain",
    "Adult Skills Sub-domain",
    "Geographical Barriers Sub-domain",
    "Wider Barriers Sub-domain",
    "Indoors Sub-domain",
    "Outdoors Sub-domain",
]


def file7_header(year, lad_year, mid_year):
    header = [
        f"LSOA code ({year})",
        f"LSOA name ({year})",
        f"Local Authority District code ({lad_year})",
        f"Local Authority District name ({lad_year})",
    ]
    for label in INDEX_LABELS:
        rate = " (rate)" if label.startswith(("Income", "Employment")) else ""
        header += [
            f"{label} Score{rate}",
            f"{label} Rank (where 1 is most deprived)",
            # Published headers are truncated in places: match by prefix.
            f"{label} Decile (where 1 is most deprived 10% of LSOA",
        ]
    header += [
        f"Total population: mid {mid_year}",
        f"Dependent Children aged 0-15: mid {mid_year}",
        f"Population aged 16-59: mid {mid_year}",
        f"Older population aged 60 and over: mid {mid_year}",
        "Working age population 18-66 (for use with Employment Deprivation Domain): "
        f"mid {mid_year}",
    ]
    return header


def test_the_official_iod2025_file7_layout_loads_the_same_values(places, tmp_path):
    hv_header, hv_rows = table("iod2025/imd2025_england_lsoa21.csv.gz")
    get = lambda row, name: row[hv_header.index(name)]  # noqa: E731
    domains = [
        "IMD",
        "Income",
        "Employment",
        "Education",
        "Health",
        "Crime",
        "Housing_and_Services",
        "Environment",
    ]
    body = []
    for row in hv_rows[:3]:
        values = [get(row, "lsoa21_code"), "Name", "E09000001", "City of London"]
        for d in domains:
            values += [get(row, f"{d}_score"), get(row, f"{d}_rank"), get(row, f"{d}_decile")]
        values += ["0.1", "100", "5"] * 8 + ["1,500", "300", "900", "300", "950"]
        body.append(values)
    path = write_csv(tmp_path / "File_7_IoD2025.csv", file7_header(2021, 2024, 2022), body)
    result = run_import("deprivation", path)
    assert result.layout == "iod2025_file7"
    assert str(result.counts) == "0 added, 3 updated, 0 unchanged"
    value = Deprivation.objects.get(
        edition__code="iod2025", lsoa__code=get(hv_rows[0], "lsoa21_code")
    )
    assert value.imd_rank == int(get(hv_rows[0], "IMD_rank"))
    assert value.outdoors_decile == 5 and value.population_total == 1500
    assert value.population_working_age == 950
    # The same again changes nothing.
    assert str(run_import("deprivation", path).counts) == "0 added, 0 updated, 3 unchanged"


def test_the_official_iod2019_file7_and_file5_layouts(places, tmp_path):
    header = file7_header(2011, 2019, 2015)
    body = [
        [
            "E01000001",
            "City of London 001A",
            "E09000001",
            "City of London",
            *(["12.5", "29199", "9"] * 16),
            "1,296",
            "175",
            "656",
            "465",
            "715",
        ]
    ]
    result = run_import("deprivation", write_csv(tmp_path / "File_7_2019.csv", header, body))
    assert result.layout == "iod2019_file7"
    value = Deprivation.objects.get(edition__code="imd2019", lsoa__code="E01000001")
    assert value.imd_score == 12.5 and value.idaci_score == 12.5 and value.imd_rank == 29199
    file5 = list(header[:4]) + [h for h in header if " Score" in h]
    body5 = [["E01000001", "x", "E09000001", "x", *(["7.25"] * 16)]]
    result = run_import("deprivation", write_csv(tmp_path / "File_5.csv", file5, body5))
    assert result.layout == "iod2019_file5"
    value.refresh_from_db()
    assert value.imd_score == 7.25 and value.imd_rank == 29199  # File 5 sets scores only


# ---- dated memberships ----


def test_a_2026_lookup_ends_the_2024_memberships_on_its_date(places, tmp_path):
    header = [
        "LSOA21CD",
        "SICBL26CD",
        "SICBL26CDH",
        "SICBL26NM",
        "ICB26CD",
        "ICB26CDH",
        "ICB26NM",
        "NHSER26CD",
        "NHSER26NM",
    ]
    codes = ["E01014145", "E01014112"]
    body = [
        [
            c,
            "E38000999",
            "99Z",
            "NHS Merged ICB - 99Z",
            "E54000099",
            "QZZ",
            "NHS Merged Integrated Care Board",
            "E40000011",
            "Midlands",
        ]
        for c in codes
    ]
    path = write_csv(tmp_path / "LSOA21_SICBL26_ICB26_NHSER26.csv", header, body)
    result = run_import("lsoa_icbs", path)
    assert str(result.counts) == "2 added, 0 updated, 0 unchanged"
    assert "2 earlier memberships ended on 1 April 2026." in result.messages
    lsoa = LSOA.objects.get(vintage=2021, code="E01014145")
    assert lsoa.icb_on(date(2026, 3, 31)).code == "E54000011"
    assert lsoa.icb_on(date(2026, 4, 1)).code == "E54000099"
    assert lsoa.icb_on(date(2026, 4, 1)).region.code == "E40000011"
    assert SubICBLocation.objects.get(code="E38000999").icb.code == "E54000099"
    # Still one membership per LSOA on any date.
    for when in (date(2025, 1, 1), date(2026, 6, 1)):
        assert LSOAHealthMembership.objects.on(when).filter(lsoa=lsoa).count() == 1
    assert str(run_import("lsoa_icbs", path).counts) == "0 added, 0 updated, 2 unchanged"


def test_an_unknown_icb_without_a_region_is_an_error(places, tmp_path):
    header = [
        "lsoa21_code",
        "sicbl24_code",
        "sicbl24_code_nhs",
        "sicbl24_name",
        "icb24_code",
        "icb24_code_nhs",
        "icb24_name",
    ]
    body = [["E01014145", "E38000998", "98Z", "X", "E54000098", "QZY", "Nowhere ICB"]]
    with pytest.raises(ImportFailed) as excinfo:
        run_import("lsoa_icbs", write_csv(tmp_path / "icbs.csv", header, body))
    assert "ICB E54000098 is not known" in problems(excinfo)[0]
    assert not ICB.objects.filter(code="E54000098").exists()


def test_welsh_rows_are_skipped_and_counted(places):
    result = run_import("lsoa_wards", shipped("geography/lsoa21_ward24_lad24_EW.csv.gz"))
    assert result.skipped == 1_917 and result.skipped_reason == "outside England"
    assert not LSOA.objects.filter(code__startswith="W").exists()


def test_postcodes_from_another_directory_edition_update_in_place(places, tmp_path):
    header, body = table("postcodes/NSPL_NOV_2021_UK_TF.csv.gz")
    row = next(r for r in body if r[0] == "TF1 1AA")
    row[header.index("doterm")] = "202401"
    path = write_csv(tmp_path / "NSPL_TF_part.csv", header, [row])
    result = run_import("postcodes", path)
    assert str(result.counts) == "0 added, 1 updated, 0 unchanged"
    postcode = Postcode.objects.get(code="TF11AA")
    assert postcode.terminated == date(2024, 1, 1) and postcode.source == "NSPL_TF_part"


def test_practice_lsoa_comes_from_its_postcode(places):
    practice = GPPractice.objects.exclude(lsoa=None).filter(postcode__startswith="TF").first()
    postcode = Postcode.objects.get(code=practice.postcode_key)
    assert practice.lsoa == postcode.lsoa11


def test_editions_are_there_from_the_migration(places):
    assert list(Edition.objects.values_list("code", "lsoa_vintage")) == [
        ("imd2019", 2011),
        ("iod2025", 2021),
    ]


@pytest.mark.django_db
def test_a_bulk_load_leaves_the_postgresql_planner_with_real_row_counts():
    """Without fresh statistics PostgreSQL plans joins against a just-loaded table as if it
    were empty (nested loops over every row): a site's places page then took minutes."""
    from django.db import connection

    from core20.places.importers.base import fast_insert
    from core20.places.models import LSOA

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are a PostgreSQL matter")
    fast_insert(LSOA, [{"vintage": 2021, "code": f"E0190{i:04d}"} for i in range(1_500)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [LSOA._meta.db_table])
        assert cursor.fetchone()[0] >= 1_500
