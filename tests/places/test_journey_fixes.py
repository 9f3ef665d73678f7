"""What people met on the places pages when they used them as their role would: a postcode
pasted as a target area, a paste that changed nothing, a one-letter or too-wide area search,
a district looked up, a CSV file without a header row, and import problems worded as
regular expressions."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core20.places.importers import ImportFailed, run_import
from core20.places.models import LSOA, ImportRun
from core20.places.models_targets import SiteTargetArea
from tests.conftest import sign_in
from tests.places.conftest import read_text
from tests.places_lookup.conftest import _fresh_caches, tiny  # noqa: F401 (fixtures)

pytestmark = pytest.mark.urls("tests.places.urls")


def url(name, site, *args):
    return reverse(f"placesui:{name}", args=[site.slug, *args])


@pytest.fixture
def lead_client(client, make_user, site):
    sign_in(client, make_user("site_lead"))
    return client


# ---- Target areas: pasting ----


@pytest.mark.usefixtures("tiny")
def test_a_pasted_postcode_is_named_as_a_postcode_not_as_two_bad_codes(site, lead_client):
    response = lead_client.post(
        url("site-areas-paste", site), {"codes": "E05999991\nZZ1 1AA\nzz11aa, E05999992"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: “ZZ1 1AA” is a postcode, not an area code" in html
    assert "Line 3: “zz11aa” is a postcode, not an area code" in html
    assert "find its ward (E05…) or LSOA (E01…)" in html
    assert "“ZZ1”" not in html and "“1AA”" not in html
    assert not SiteTargetArea.objects.exists()


@pytest.mark.usefixtures("tiny")
def test_a_paste_names_the_areas_added_and_says_when_nothing_was(site, lead_client):
    page = lead_client.post(
        url("site-areas-paste", site), {"codes": "E05999991\nE05999992"}, follow=True
    )
    html = page.content.decode()
    assert "2 target areas added." in html
    assert (
        "North Tiny (E05999991) and South Tiny (E05999992) are now among the chosen areas." in html
    )
    again = lead_client.post(
        url("site-areas-paste", site), {"codes": "E05999991\nE05999992"}, follow=True
    )
    html = again.content.decode()
    assert "Nothing was added: all 2 areas were already chosen." in html
    assert "0 target areas added" not in html
    once = lead_client.post(url("site-areas-paste", site), {"codes": "E05999991"}, follow=True)
    assert "Nothing was added: that area was already chosen." in once.content.decode()
    assert SiteTargetArea.objects.count() == 2


# ---- Target areas: searching ----


@pytest.mark.usefixtures("tiny")
def test_a_one_letter_search_asks_for_more_instead_of_finding_nothing(site, lead_client):
    fragment = lead_client.get(url("site-areas", site), {"q": "t"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "Type at least 2 letters or numbers to search." in html
    assert "No wards, districts or LSOAs match" not in html
    page = lead_client.get(url("site-areas", site), {"q": "t"}).content.decode()
    assert "Type at least 2 letters or numbers to search." in page


@pytest.mark.usefixtures("tiny")
def test_a_search_with_more_matches_than_shown_says_so(site, lead_client):
    for n in range(11):
        LSOA.objects.create(vintage=2021, code=f"E01999{800 + n}", name=f"Extra {n}")
    html = lead_client.get(
        url("site-areas", site), {"q": "Extra"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "The first 10 areas that match “Extra”" in html
    assert "More LSOAs match “Extra” than are shown here." in html
    assert "11 areas match" not in html
    few = lead_client.get(
        url("site-areas", site), {"q": "North Ti"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "1 area match “North Ti”" in few
    assert "than are shown here" not in few


# ---- The lookup ----


def summary_rows(html: str) -> dict[str, str]:
    pairs = re.findall(
        r'<dt class="nhsuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="nhsuk-summary-list__value[^"]*">(.*?)</dd>',
        html,
        re.S,
    )
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.mark.usefixtures("tiny")
def test_looking_up_a_district_gives_its_mix_not_not_known(client):
    html = client.get(reverse("placesui:lookup"), {"q": "E06999999"}).content.decode()
    rows = summary_rows(html)
    assert rows["What it is"] == "Local authority district"
    # A district has many LSOAs and wards: no single one to give, rather than "Not known".
    assert "LSOA (2011)" not in rows and "LSOA (2021)" not in rows
    assert "Electoral ward" not in rows
    assert rows["IMD 2019 decile"] == "Mixed: 1, 2, 7 and 10"
    assert rows["Core20 (IMD 2019)"] == "Partly: some of its LSOAs are in deciles 1 and 2"
    assert rows["Core20 (IoD 2025)"] == "Partly: some of its LSOAs are in deciles 1 and 2"
    ward = summary_rows(client.get(reverse("placesui:lookup"), {"q": "E05999992"}).content.decode())
    assert "LSOA (2011)" not in ward
    assert ward["IMD 2019 decile"] == "Mixed: 7 and 10"
    assert ward["Core20 (IMD 2019)"] == "No"
    postcode = summary_rows(
        client.get(reverse("placesui:lookup"), {"q": "ZZ1 1AA"}).content.decode()
    )
    # A postcode whose 2011 LSOA was split is in one of its 2021 LSOAs' deciles.
    assert postcode["LSOA (2011)"] == "E01999992"
    assert postcode["IoD 2025 decile"] == "2 or 3"
    assert postcode["Core20 (IoD 2025)"] == "Not known"


@pytest.mark.usefixtures("tiny")
def test_a_csv_file_without_a_header_row_is_refused_naming_its_first_code(client):
    upload = SimpleUploadedFile("codes.csv", b"ZZ1 1AA\nE05999991\nE01999993\n", "text/csv")
    response = client.post(
        reverse("placesui:lookup"), {"csv-file": upload, "csv-edition": "imd2019"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "The first row of the file, “ZZ1 1AA”, looks like a postcode or code" in html
    assert "Add a header row" in html
    assert 'href="#id_csv-file"' in html
    with_header = SimpleUploadedFile("codes.csv", b"code\nZZ1 1AA\nE05999991\n", "text/csv")
    answer = client.post(
        reverse("placesui:lookup"), {"csv-file": with_header, "csv-edition": "imd2019"}
    )
    assert answer["Content-Type"].startswith("text/csv")
    assert len(answer.content.decode().strip().splitlines()) == 3


# ---- Reference data imports ----


def test_an_import_problem_describes_the_code_in_words_not_as_a_pattern(db, tmp_path):
    reader = csv.reader(io.StringIO(read_text("postcodes/NSPL_NOV_2021_UK_TF.csv.gz")))
    header = next(reader)
    body = [next(reader) for _ in range(3)]
    body[1][header.index("lsoa11")] = "E01XXX"
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([header, *body])
    path = tmp_path / "postcodes_sample.csv"
    path.write_text(text.getvalue())
    with pytest.raises(ImportFailed) as excinfo:
        run_import("postcodes", path)
    problems = [str(issue) for issue in excinfo.value.issues]
    assert problems == [
        "postcodes_sample.csv, row 3, column 'lsoa11': 'E01XXX' is not an ONS code (a letter "
        "and eight digits, for example E01014157)"
    ]


def test_a_finished_run_does_not_repeat_its_status_as_a_phase(client, world):
    run = ImportRun.objects.create(
        kind="lad_regions",
        file_name="lads.csv",
        status=ImportRun.Status.FAILED,
        phase="Stopped",
        summary="Nothing was changed: 1 problem found in the file.",
    )
    sign_in(client, world.users["national_admin"])
    html = client.get(
        reverse("places:import-run-progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Failed" in html
    assert "Stopped" not in html
