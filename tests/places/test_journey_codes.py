"""What people met on the places pages and commands: a code cut short answered as an unknown
GP practice, a code pasted twice skipped without a word, part of the postcode directory
loaded again reported as "5 updated" (and the file deleted), "Not stated" on a public site
page, an introduction for specialists, and two wards for one postcode with no year given."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from core20.places.importers import run_import
from core20.places.lookup.resolve import resolve
from core20.places.models import Postcode, Ward
from core20.places.models_targets import SiteTargetArea
from core20.programme.models import Site
from tests.conftest import sign_in
from tests.places.conftest import read_text
from tests.places_lookup.conftest import (  # noqa: F401 (fixtures)
    _fresh_caches,
    file_lookup,
    shipped_frames,
    tiny,
)

pytestmark = pytest.mark.urls("tests.places.urls")


def summary_rows(html: str) -> dict[str, str]:
    pairs = re.findall(
        r'<dt class="nhsuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="nhsuk-summary-list__value[^"]*">(.*?)</dd>',
        html,
        re.S,
    )
    return {key.strip(): value.strip() for key, value in pairs}


def lookup_page(client, query: str) -> str:
    return client.get(reverse("placesui:lookup"), {"q": query}).content.decode()


# ---- A code cut short ----


@pytest.mark.usefixtures("tiny")
def test_an_lsoa_code_cut_short_is_named_as_one_not_as_an_unknown_gp_practice(client):
    html = lookup_page(client, "E01028")
    assert (
        "E01028 looks like an LSOA code but is too short: LSOA codes have 9 characters, "
        "like E01014145." in html
    )
    assert "GP practice or other prescriber" not in html
    assert "No GP practice" not in html
    assert "Not recognised" in html
    too_long = lookup_page(client, "e05 9999912")
    assert "E059999912 looks like an electoral ward code but is too long" in too_long


def test_the_file_and_api_lookup_names_cut_short_codes_and_keeps_practices(file_lookup):  # noqa: F811
    rows = resolve(file_lookup, ["E01028", "E0601", "M83001", "W00001", "E03123"]).to_pylist()
    short, district, practice, welsh_practice, unknown_practice = rows
    assert short["status"] == "invalid"
    assert short["notes"] == (
        "Looks like an LSOA code but is too short: LSOA codes have 9 characters, like E01014145."
    )
    assert district["notes"].startswith("Looks like a local authority district code")
    # Real GP practice codes are still found, including ones starting like an ONS code.
    assert practice["query_type"] == "practice" and practice["status"] != "not_found"
    assert welsh_practice["query_type"] == "practice"
    # A practice-shaped code that is not an ONS kind stays an unknown practice.
    assert unknown_practice["status"] == "not_found"
    assert unknown_practice["query_type"] == "practice"


# ---- Target areas: pasting ----


@pytest.fixture
def lead_client(client, make_user, site):
    sign_in(client, make_user("site_lead"))
    return client


def paste(client, site, text: str, **kwargs):
    return client.post(
        reverse("placesui:site-areas-paste", args=[site.slug]), {"codes": text}, **kwargs
    )


@pytest.mark.usefixtures("tiny")
def test_a_pasted_lsoa_code_cut_short_says_so(site, lead_client):
    html = paste(lead_client, site, "E05999991\nE01028").content.decode()
    assert (
        "Line 2: “E01028” looks like an LSOA code but is too short: LSOA codes have 9 "
        "characters, like E01014145" in html
    )
    assert not SiteTargetArea.objects.exists()


@pytest.mark.usefixtures("tiny")
def test_a_code_pasted_twice_is_named_not_skipped_silently(site, lead_client):
    page = paste(lead_client, site, "E05999991\nE05999992, e05999991", follow=True)
    html = page.content.decode()
    assert "2 target areas added." in html
    assert "E05999991 was given twice; it is listed once." in html
    assert SiteTargetArea.objects.filter(site=site).count() == 2
    again = paste(lead_client, site, "E05999991\nE05999992\nE05999991\nE05999992", follow=True)
    text = again.content.decode()
    assert "Nothing was added: all 2 areas were already chosen." in text
    assert (
        "2 codes were given more than once (E05999991 and E05999992); each is listed once." in text
    )


# ---- Loading part of the postcode directory again ----


def postcode_part(path, rows: int = 5):
    reader = csv.reader(io.StringIO(read_text("postcodes/NSPL_NOV_2021_UK_TF.csv.gz")))
    lines = [next(reader) for _ in range(rows + 1)]
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(lines)
    path.write_text(text.getvalue())
    return path


def test_loading_part_of_the_shipped_postcode_file_again_counts_rows_unchanged(places, tmp_path):
    # The shipped directory is loaded; five of its rows, cut out into a file of another
    # name, change nothing.
    again = run_import("postcodes", postcode_part(tmp_path / "telford-part.csv"))
    assert str(again.counts) == "0 added, 0 updated, 5 unchanged"
    assert set(Postcode.objects.values_list("source", flat=True)) == {
        "NSPL_NOV_2021_UK_SR",
        "NSPL_NOV_2021_UK_TF",
    }


def test_the_import_command_reports_unchanged_rows_and_keeps_the_users_file(places, tmp_path):
    path = postcode_part(tmp_path / "telford-part.csv")
    out = io.StringIO()
    call_command("import_places", "postcodes", str(path), stdout=out)
    assert "telford-part.csv: 0 added, 0 updated, 5 unchanged (postcodes)" in out.getvalue()
    assert path.exists()
    # A row that did change is counted as updated, and only it.
    rows = path.read_text().splitlines()
    rows[1] = rows[1].replace("E05009978", "E05009976")
    path.write_text("\n".join(rows) + "\n")
    out = io.StringIO()
    call_command("import_places", "postcodes", str(path), stdout=out)
    assert "telford-part.csv: 0 added, 1 updated, 4 unchanged (postcodes)" in out.getvalue()


# ---- The public site page ----


def test_the_public_site_page_leaves_out_what_the_site_has_not_stated(client, site, make_user):
    Site.objects.filter(pk=site.pk).update(
        delivery_model=Site.DeliveryModel.NOT_STATED, geography_types=[], target_places=""
    )
    site.icbs.clear()
    html = client.get(site.get_absolute_url()).content.decode()
    assert "Not stated" not in html
    assert "How connectors are supported" not in html
    assert "Types of area" not in html
    assert "Integrated care board" not in html
    # What is stated is still shown.
    assert "Type of site" in html
    # The site's lead sees the gaps, so as to fill them in.
    sign_in(client, make_user("site_lead"))
    theirs = summary_rows(client.get(site.get_absolute_url()).content.decode())
    assert theirs["How connectors are supported"] == "Not stated"


def test_a_stated_delivery_model_is_shown_to_everyone(client, site):
    Site.objects.filter(pk=site.pk).update(delivery_model=Site.DeliveryModel.VOLUNTEER)
    rows = summary_rows(client.get(site.get_absolute_url()).content.decode())
    assert rows["How connectors are supported"] == "Volunteer"


# ---- The lookup page for everyone ----


@pytest.mark.usefixtures("tiny")
def test_the_lookup_page_explains_its_terms_in_plain_english(client):
    html = client.get(reverse("placesui:lookup")).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "is a small area of about 1,500 people" in text
    assert "an electoral ward is the area one or more local councillors represent" in text
    assert "decile 1 is the 10% most deprived neighbourhoods" in text
    assert "people in the most deprived neighbourhoods tend to have poorer health" in text
    # Each term is explained once.
    assert text.count("lower layer super output area") == 1


# ---- Which year's wards ----


@pytest.mark.usefixtures("tiny")
def test_a_lookup_says_which_years_ward_boundaries_it_uses(client, tiny):  # noqa: F811
    Postcode.objects.filter(code="ZZ11AA").update(source="NSPL_NOV_2021_UK_ZZ")
    Ward.objects.filter(code="E05999991").update(year=2024)
    postcode = summary_rows(lookup_page(client, "ZZ1 1AA"))
    assert postcode["Electoral ward"] == "North Tiny (E05999991)"
    assert postcode["Ward boundaries"] == "2021, as in the ONS postcode directory of November 2021"
    lsoa = summary_rows(lookup_page(client, "E01999991"))
    assert lsoa["Ward boundaries"] == "2024: the 2024 ward that best fits this LSOA"
    ward = summary_rows(lookup_page(client, "E05999991"))
    assert ward["Ward boundaries"] == "2024"
    assert "Wards are redrawn from time to time" in lookup_page(client, "E05999991")


@pytest.mark.usefixtures("tiny")
def test_the_area_search_gives_each_wards_year(site, lead_client):
    Ward.objects.filter(code="E05999991").update(year=2024)
    html = lead_client.get(
        reverse("placesui:site-areas", args=[site.slug]), {"q": "North Ti"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "(E05999991, Tinyshire, 2024 wards)" in html
