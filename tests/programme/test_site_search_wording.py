"""The site list's "Name or place" search, as a member of the public reads it: close names
suggested for a misspelling, each site found through a place saying which place, and the
results count worded by what was searched for."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from core20.programme.forms import close_names
from core20.programme.models import Site, Wave
from tests.programme.test_site_search_places import SHROPSHIRE, SHROPSHIRE_ICB, SOMERSET_ICB, _area

pytestmark = pytest.mark.django_db

NENC_ICB = "E54000050"


def page(client, **params) -> str:
    response = client.get(reverse("programme:site-list"), params)
    assert response.status_code == 200
    return response.content.decode()


def plain(html: str) -> str:
    """The page's words, without tags."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", html)).split())


def heading(html: str) -> str:
    match = re.search(r'<h2[^>]*id="results-count"[^>]*>(.*?)</h2>', html, re.S)
    assert match
    return plain(match.group(1))


def suggestions(html: str) -> list[tuple[str, str]]:
    """(name, link) for each "Did you mean …?" suggestion."""
    match = re.search(r'<p id="suggestions">(.*?)</p>', html, re.S)
    if not match:
        return []
    return [
        (htmllib.unescape(name), htmllib.unescape(url))
        for url, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(1))
    ]


def covers(html: str) -> list[str]:
    return [plain(c) for c in re.findall(r'data-testid="covers">(.*?)</span>', html, re.S)]


# ---- 1. a misspelling suggests close names that find a site ----


def test_a_misspelt_council_suggests_it_and_the_link_finds_the_site(client, reference_data):
    _area(SHROPSHIRE_ICB, lad="Telford and Wrekin", ward="Ketley", lsoa="E01999911")
    html = page(client, q="Telfrod")
    assert "No sites match “Telfrod”" in plain(html)
    [(name, url)] = suggestions(html)
    assert name == "Telford and Wrekin"
    assert "Did you mean Telford and Wrekin?" in plain(html)
    response = client.get(url)
    assert [s.slug for s in response.context["page"].object_list] == [SHROPSHIRE]


def test_a_misspelt_place_covered_through_an_icb_is_suggested(client, reference_data):
    _area(NENC_ICB, lad="Sunderland", ward="Millfield", lsoa="E01999912")
    assert [name for name, _ in suggestions(page(client, q="Sunderlnd"))] == ["Sunderland"]


def test_a_misspelt_site_name_is_suggested_without_any_place_data(client, reference_data):
    assert [name for name, _ in suggestions(page(client, q="Somerst"))] == ["Somerset"]


def test_suggestions_keep_the_other_filters(client, reference_data):
    wave2 = Wave.objects.get(number=2)
    [(name, url)] = suggestions(page(client, q="Somerst", wave=wave2.pk))
    assert name == "Somerset"
    assert f"wave={wave2.pk}" in url


def test_no_suggestion_for_a_search_that_finds_a_site_or_for_nonsense(client, reference_data):
    assert suggestions(page(client, q="Somerset")) == []
    assert suggestions(page(client, q="Atlantis")) == []


def test_a_hidden_site_is_never_suggested_to_the_public(client, reference_data):
    Site.objects.filter(slug="somerset").update(published=False)
    assert suggestions(page(client, q="Somerst")) == []


def test_names_shared_by_several_places_suggest_the_shared_words():
    names = ["Newport North", "Newport South", "Telford and Wrekin"]
    assert close_names("Nwport", [], names) == ["Newport"]
    assert close_names("Telfrod", [], names) == ["Telford and Wrekin"]
    assert close_names("Wrekn", ["Shropshire, Telford and Wrekin"], []) == [
        "Shropshire, Telford and Wrekin"
    ]


# ---- 2. a site found through a place says which place ----


def test_a_ward_match_lists_the_site_with_the_ward_it_covers(client, reference_data):
    _area(SOMERSET_ICB, lad="Somerset", ward="Wellington", lsoa="E01999913")
    html = page(client, q="Wellington")
    assert covers(html) == ["Covers Wellington ward, Somerset"]


def test_a_council_match_lists_the_council(client, reference_data):
    _area(SHROPSHIRE_ICB, lad="Telford and Wrekin", ward="Ketley", lsoa="E01999914")
    assert covers(page(client, q="Telford")) == ["Covers Telford and Wrekin"]


def test_a_site_found_by_its_name_alone_says_nothing_more(client, reference_data):
    assert covers(page(client, q="Somerset")) == []


def test_a_postcode_says_which_icb_each_site_covers_it_through(
    client, reference_data, shipped_postcodes
):
    """SR1 1AA (Sunderland) lists Lancashire and South Cumbria too: the programme published
    that site as "Lancashire and South Cumbria ICS (with North East and North Cumbria
    ICS)", so it works in both ICBs, and the row says so."""
    html = page(client, q="SR1 1AA")
    nenc = "Covers SR1 1AA, in NHS North East and North Cumbria Integrated Care Board"
    assert covers(html) == [nenc, nenc]
    assert "Lancashire and South Cumbria ICS (with North East and North Cumbria ICS)" in html


# ---- 3. the count says what was searched for ----


def test_a_plain_text_search_counts_matches_for_the_text(client, reference_data):
    assert heading(page(client, q="Somerset")) == "1 site matches “Somerset”"
    assert heading(page(client, q="ICS")).endswith("sites match “ICS”")


def test_text_and_filters_count_matches_for_both(client, reference_data):
    wave2 = Wave.objects.get(number=2).pk
    assert heading(page(client, q="Somerset", wave=wave2)) == (
        "1 site matches “Somerset” and your filters"
    )


def test_filters_alone_still_count_matches_for_the_filters(client, reference_data):
    assert heading(page(client, wave=Wave.objects.get(number=2).pk)) == (
        "8 sites match your filters"
    )
