"""The lookup on the real shipped data loaded into the database: the same table as from
the files, the lookup page and its CSV round trip, and the JSON API."""

import csv
import gzip
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core20.places.lookup import db
from core20.places.lookup.cache import get_lookup_table
from core20.places.lookup.files import DEFAULT_ROOT
from core20.places.lookup.table import build_lookup_table
from core20.places.models import Edition, SiteSettings

LOOKUP = "/places/lookup/"
API = "/api/v1/places/lookup"


@pytest.fixture(scope="module")
def telford_live():
    """Live Telford and Wrekin postcodes and their LSOA, read from the NSPL file here."""
    path = DEFAULT_ROOT / "postcodes" / "NSPL_NOV_2021_UK_TF.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return [
            (r["pcds"], r["lsoa11"])
            for r in csv.DictReader(handle)
            if r["laua"] == "E06000020" and not r["doterm"]
        ]


@pytest.fixture(scope="module")
def imd2019():
    path = DEFAULT_ROOT / "imd2019" / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        return {r[0]: int(r[5]) for r in rows}


def test_the_database_builds_the_same_table_as_the_files(places, file_lookup):
    from_db = build_lookup_table(db.read_frames())
    assert from_db.counts == file_lookup.counts
    assert from_db.table.num_rows == file_lookup.table.num_rows
    assert from_db.table.equals(file_lookup.table)


def test_the_app_table_is_cached_until_the_data_changes(places):
    from core20.places.models import Postcode

    first = get_lookup_table()
    assert get_lookup_table() is first
    Postcode.objects.create(code="TF109ZZ", display="TF10 9ZZ", lsoa11_code="E01014145")
    second = get_lookup_table()
    assert second is not first
    assert "TF109ZZ" in second.keys.column("key").to_pylist()


def test_the_lookup_page_finds_a_telford_postcode(places, client, telford_live, imd2019):
    postcode, lsoa = telford_live[100]
    response = client.get(LOOKUP, {"q": f"  {postcode.lower().replace(' ', '')} "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Found" in html
    assert lsoa in html
    assert f'<dd class="nhsuk-summary-list__value app-break-words">{imd2019[lsoa]}</dd>' in html
    assert "Telford and Wrekin (E06000020)" in html


@pytest.mark.parametrize(
    ("query", "text"),
    [("TF99 9ZZ", "Not found"), ("nonsense!", "Not recognised"), ("SR1 1AA", "no longer in use")],
)
def test_the_lookup_page_says_when_it_cannot_answer(places, client, query, text):
    html = client.get(LOOKUP, {"q": query}).content.decode()
    assert text in html


def test_the_lookup_page_asks_for_a_code(places, client):
    html = client.get(LOOKUP, {"q": ""}).content.decode()
    assert "There is a problem" in html
    assert "Enter a postcode or code" in html
    assert client.get(LOOKUP).status_code == 200  # no query: just the form


def csv_upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_csv_round_trip_keeps_every_row_in_order_and_adds_columns(
    places, client, telford_live, imd2019
):
    picked = telford_live[:40]
    lines = ["ref,Home postcode,notes"]
    expected = []
    for i, (postcode, lsoa) in enumerate(picked):
        spelled = [postcode, postcode.lower(), postcode.replace(" ", ""), f" {postcode} "][i % 4]
        lines.append(f"{i},{spelled},n{i}")
        expected.append(("ok", lsoa, str(imd2019[lsoa])))
    odd = [
        ("TF99 9ZZ", "not_found"),
        ("", "invalid"),
        ("not a postcode", "invalid"),
        ("SR1 1AA", "terminated"),
        ("E01014145", "ok"),
        ("E05009978", "ok"),
    ]
    for j, (value, status) in enumerate(odd, start=len(picked)):
        lines.append(f'{j},"{value}",n{j}')
        expected.append((status, None, None))
    response = client.post(
        LOOKUP,
        {
            "csv-file": csv_upload("\n".join(lines) + "\n"),
            "csv-column": "",
            "csv-edition": "imd2019",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="people-lookup.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    header = list(rows[0])
    assert header[:3] == ["ref", "Home postcode", "notes"]
    assert {"status", "lsoa", "imd2019_decile", "iod2025_decile", "core20", "notes_lookup"} <= set(
        header
    )
    assert [r["ref"] for r in rows] == [str(i) for i in range(len(expected))]
    assert [r["notes"] for r in rows] == [f"n{i}" for i in range(len(expected))]
    for row, (status, lsoa, decile) in zip(rows, expected, strict=True):
        assert row["status"] == status
        if lsoa:
            assert row["lsoa"] == lsoa
            assert row["imd2019_decile"] == decile
            assert row["core20"] == ("true" if int(decile) <= 2 else "false")
    assert rows[-2]["query_type"] == "lsoa"
    assert rows[-1]["query_type"] == "ward" and rows[-1]["ward_name"] == "Haygate"
    assert rows[-1]["imd2019_decile"] == ""
    assert "different IMD 2019 deciles" in rows[-1]["notes_lookup"]


def test_the_csv_column_can_be_named_or_numbered(places, client):
    text = "a,b\nTF1 1AA,x\nE01014145,y\n"
    for column in ("a", "A", "1"):
        response = client.post(
            LOOKUP, {"csv-file": csv_upload(text), "csv-column": column, "csv-edition": "iod2025"}
        )
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [r["status"] for r in rows] == ["ok", "ok"]
        assert [r["edition"] for r in rows] == ["iod2025", "iod2025"]


@pytest.mark.parametrize(
    ("upload", "column", "message"),
    [
        (None, "", "Select a CSV file"),
        ("a,b\nTF1 1AA,x\n", "postcode", "There is no column called “postcode”"),
        ("a,b\nTF1 1AA,x\n", "postcode", "columns are “a”, “b”"),
        ("a,b\nfoo,bar\n", "", "Enter the name of the column that holds the postcodes or codes"),
        ("", "", "The selected file is empty"),
    ],
)
def test_csv_problems_are_shown_on_the_form(places, client, upload, column, message):
    data = {"csv-column": column, "csv-edition": "imd2019"}
    if upload is not None:
        data["csv-file"] = csv_upload(upload)
    response = client.post(LOOKUP, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "There is a problem" in html
    assert message in html


def test_a_file_that_is_not_a_csv_is_refused(places, client):
    data = {"csv-file": csv_upload("x", name="people.xlsx"), "csv-edition": "imd2019"}
    assert "The selected file must be a CSV" in client.post(LOOKUP, data).content.decode()


# ---- API ----


def test_api_lookup_of_a_postcode(places, client, telford_live, imd2019):
    postcode, lsoa = telford_live[7]
    data = client.get(API, {"q": postcode.lower()}).json()
    for field in ("lsoa", "ward", "lad", "icb", "region", "imd2019_decile", "iod2025_decile"):
        assert field in data
    assert data["status"] == "ok"
    assert data["query_type"] == "postcode"
    assert data["lsoa"] == lsoa
    assert data["imd2019_decile"] == imd2019[lsoa]
    assert data["core20"] == data["core20_imd2019"] == (imd2019[lsoa] <= 2)
    assert data["lad"] == "E06000020"
    assert data["icb"] == "E54000011"
    assert data["region"] == "E40000011"


def test_api_lookup_follows_a_sites_edition(places, client, site):
    SiteSettings.objects.create(site=site, deprivation_edition=Edition.objects.by_code("iod2025"))
    data = client.get(API, {"q": "E01014145", "site": site.slug}).json()
    assert data["edition"] == "iod2025"
    assert data["core20"] == data["core20_iod2025"]
    bad = client.get(API, {"q": "E01014145", "site": "nowhere"})
    assert bad.status_code == 422
    assert bad.json() == {
        "detail": "Invalid input",
        "errors": [
            {"field": "site", "message": "No site 'nowhere' that you can see", "location": "query"}
        ],
    }


def test_api_lookup_validates_its_query(places, client):
    missing = client.get(API)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "q"
    long = client.get(API, {"q": "x" * 101})
    assert long.status_code == 422
    assert long.json()["errors"][0]["field"] == "q"


def test_api_bulk_lookup_keeps_every_query_in_order(places, client, telford_live):
    queries = [p.lower() for p, _ in telford_live[:500]] + ["TF99 9ZZ", "", None, "junk", "SR1 1AA"]
    response = client.post(API, {"queries": queries}, content_type="application/json")
    assert response.status_code == 200
    data = response.json()
    assert data["edition"] == "imd2019"
    assert data["count"] == len(queries)
    assert [item["query"] for item in data["items"]] == queries
    assert [item["lsoa"] for item in data["items"][:500]] == [
        lsoa for _, lsoa in telford_live[:500]
    ]
    assert [item["status"] for item in data["items"][500:]] == [
        "not_found",
        "invalid",
        "invalid",
        "invalid",
        "terminated",
    ]


def test_api_bulk_lookup_refuses_more_than_the_limit_with_field_messages(places, client):
    response = client.post(API, {"queries": ["TF1 1AA"] * 100_001}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Invalid input"
    assert body["errors"][0]["field"] == "payload.queries"
    assert "at most 100000" in body["errors"][0]["message"]
    assert body["errors"][0]["location"] == "body"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"queries": []}, "payload.queries"),
        ({"queries": "TF1 1AA"}, "payload.queries"),
        ({"queries": ["TF1 1AA", 5]}, "payload.queries.1"),
        ({"queries": ["TF1 1AA", "x" * 101]}, "payload.queries.1"),
        ({}, "payload.queries"),
        ({"queries": ["TF1 1AA"], "site": "nowhere"}, "site"),
    ],
)
def test_api_bulk_lookup_errors_are_json_with_field_messages(places, client, payload, field):
    response = client.post(API, payload, content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert field in [e["field"] for e in response.json()["errors"]]


def test_the_lookup_is_public(places, client):
    assert client.get(reverse("placesui:lookup")).status_code == 200
    assert client.get(API, {"q": "TF1 1AA"}).status_code == 200
