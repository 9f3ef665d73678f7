"""A member of the public looking for a site near them: the home page's "Find a site near
you" leads to the site list, whose search stays open on a phone until they search, and a
postcode the programme cannot cover (outside England, or only its first half) says why
rather than "check it is typed correctly"."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from core20.places.models import Postcode

pytestmark = pytest.mark.django_db

SITE_LIST = "programme:site-list"


def answer(client, q: str) -> str:
    """The sentence about the postcode searched for, as text."""
    html = client.get(reverse(SITE_LIST), {"q": q}).content.decode()
    match = re.search(r'<p id="postcode-answer">(.*?)</p>', html, re.S)
    assert match, f"no postcode answer on the page for {q!r}"
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())


def filters_mode(client, **params) -> str:
    """How app.js shows the filter form on a phone: "open" keeps it open, "fold" folds it."""
    html = client.get(reverse(SITE_LIST), params).content.decode()
    match = re.search(r'<details class="[^"]*app-filters"[^>]*data-app-filters="(\w+)"', html)
    assert match
    return match.group(1)


def test_the_search_is_open_on_a_phone_until_a_search_is_made(client, reference_data):
    # The home page's "Find a site near you" sends people here to search by postcode:
    # folded, the search box was out of sight on a phone.
    assert filters_mode(client) == "open"
    # Once they have searched, the results come first.
    assert filters_mode(client, q="Telford") == "fold"


def test_a_postcode_in_scotland_says_the_programme_is_in_england_only(
    client, reference_data, shipped_postcodes
):
    # Not in the loaded postcode directory: its postcode area is wholly in Scotland.
    assert answer(client, "eh1 1yz") == (
        "EH1 1YZ is in Scotland. The Core20PLUS Connectors programme is run by the NHS in "
        "England, so there are no sites outside England."
    )
    assert answer(client, "BT1 1AA").startswith("BT1 1AA is in Northern Ireland.")


def test_a_postcode_the_directory_places_in_wales_says_so(
    client, reference_data, shipped_postcodes
):
    # SY crosses the border, so only the postcode directory can tell.
    Postcode.objects.create(code="SY231AA", display="SY23 1AA", country_code="W92000004")
    assert answer(client, "SY23 1AA").startswith("SY23 1AA is in Wales.")
    # An English postcode in a district the directory holds none of says so.
    assert answer(client, "SY1 1ZZ").startswith(
        "This service does not hold the postcodes of the SY1 area yet"
    )


def test_a_postcode_missing_from_a_district_it_holds_may_be_mistyped(
    client, reference_data, shipped_postcodes
):
    # Telford's TF3 postcodes are held: one that is not there may be mistyped.
    assert answer(client, "TF3 9ZZ").startswith("We could not find the postcode TF3 9ZZ.")
    # London's are not held by the shipped slices: no point asking to check the typing.
    assert answer(client, "SW1A 1AA") == (
        "This service does not hold the postcodes of the SW1A area yet, so it cannot tell "
        "where SW1A 1AA is. Search for your town, council or ward instead."
    )


def test_the_first_half_of_a_postcode_asks_for_the_whole_postcode(
    client, reference_data, shipped_postcodes
):
    assert answer(client, "tf3") == (
        "TF3 is only the first half of a postcode. Enter your whole postcode, for example "
        "TF3 4AB, or search for your town, council or ward."
    )
    assert answer(client, "EH1").startswith("EH1 is in Scotland.")
