"""The site search names which year's ward boundaries a postcode's ward is from, as the
places lookup does: the postcode directory of November 2021 gives 2021 wards."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from core20.places import views_lookup
from core20.places.models import Postcode

pytestmark = pytest.mark.django_db

SITE_LIST = "programme:site-list"


def answer(client, q: str) -> str:
    """The sentence saying where the postcode is."""
    html = client.get(reverse(SITE_LIST), {"q": q}).content.decode()
    match = re.search(r'<p id="postcode-answer">(.*?)</p>', html, re.S)
    assert match, "no postcode answer on the page"
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def loaded_from(source: str) -> None:
    """TF3 4AB as the postcode directory loaded here holds it."""
    Postcode.objects.create(code="TF34AB", display="TF3 4AB", ward_code="E05009978", source=source)


def test_a_postcode_search_says_which_years_wards_it_names(
    client, reference_data, shipped_postcodes, _shipped_lookup, monkeypatch
):
    monkeypatch.setattr(views_lookup, "get_lookup_table", lambda: _shipped_lookup)
    loaded_from("NSPL_NOV_2021_UK_TF")
    assert answer(client, "tf3 4ab") == (
        "TF3 4AB is in Ketley & Overdale (2021 wards), Telford and Wrekin, in the NHS region "
        "Midlands."
    )
    # The places lookup names the same year for it.
    lookup = client.get(reverse("placesui:lookup"), {"q": "TF3 4AB"}).content.decode()
    assert "2021, as in the ONS postcode directory of November 2021" in lookup


def test_a_directory_that_does_not_say_its_year_gives_the_ward_alone(
    client, reference_data, shipped_postcodes
):
    loaded_from("postcodes.csv")
    assert answer(client, "TF3 4AB") == (
        "TF3 4AB is in Ketley & Overdale, Telford and Wrekin, in the NHS region Midlands."
    )
