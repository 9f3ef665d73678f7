"""The site list's "Name or place" search finds the site covering a postcode, a local
authority or an electoral ward, through the ICBs each site works in."""

import datetime

import pytest
from django.urls import reverse

from core20.places.models import (
    ICB,
    LSOA,
    LocalAuthorityDistrict,
    LSOAHealthMembership,
    SubICBLocation,
    Ward,
)

pytestmark = pytest.mark.django_db

SHROPSHIRE = "shropshire-telford-wrekin"
SHROPSHIRE_ICB = "E54000011"
SOMERSET_ICB = "E54000038"


def _area(icb_code: str, *, lad: str, ward: str, lsoa: str, ended: bool = False) -> None:
    """An LSOA in ``lad`` and ``ward``, in the ICB (its membership ended where ``ended``)."""
    district = LocalAuthorityDistrict.objects.create(code=f"E06{lsoa[-6:]}", name=lad)
    best_ward = Ward.objects.create(code=f"E05{lsoa[-6:]}", name=ward, lad=district)
    area = LSOA.objects.create(vintage=2011, code=lsoa, lad=district, ward=best_ward)
    icb = ICB.objects.get(code=icb_code)
    sub_icb = SubICBLocation.objects.create(code=f"E38{lsoa[-6:]}", name="Sub-ICB", icb=icb)
    LSOAHealthMembership.objects.create(
        lsoa=area,
        sub_icb=sub_icb,
        icb=icb,
        valid_from=datetime.date(2020, 4, 1),
        valid_to=datetime.date(2022, 7, 1) if ended else None,
    )


def found(client, q: str) -> set[str]:
    response = client.get(reverse("programme:site-list"), {"q": q})
    assert response.status_code == 200
    return {site.slug for site in response.context["page"].object_list}


def test_a_postcode_finds_the_site_whose_icb_covers_it(client, reference_data, shipped_postcodes):
    assert found(client, "TF3 4AB") == {SHROPSHIRE}
    assert found(client, "tf34ab") == {SHROPSHIRE}


def test_a_postcode_nobody_covers_or_that_does_not_exist_finds_nothing(
    client, reference_data, shipped_postcodes
):
    assert found(client, "ZZ9 9ZZ") == set()


def test_a_local_authority_name_finds_the_site_covering_it(client, reference_data):
    _area(SOMERSET_ICB, lad="Mendip", ward="Frome Market", lsoa="E01999901")
    assert found(client, "Mendip") == {"somerset"}
    assert found(client, "mendip") == {"somerset"}


def test_a_ward_name_finds_the_site_covering_it(client, reference_data):
    _area(SHROPSHIRE_ICB, lad="Telford and Wrekin", ward="Dawley and Aqueduct", lsoa="E01999902")
    assert found(client, "Dawley") == {SHROPSHIRE}


def test_a_later_word_of_a_place_name_finds_it_too(client, reference_data):
    # Wards are often named after two places: each should find them.
    _area(
        SHROPSHIRE_ICB, lad="Telford and Wrekin", ward="Malinslee & Dawley Bank", lsoa="E01999906"
    )
    _area(SOMERSET_ICB, lad="Somerset West", ward="Rockwell Green-Wellington", lsoa="E01999907")
    assert found(client, "Dawley") == {SHROPSHIRE}
    assert found(client, "wellington") == {"somerset"}
    # Inside a word is not the start of one.
    assert found(client, "ellington") == set()


def test_places_outside_every_site_and_old_memberships_find_nothing(client, reference_data):
    _area(SOMERSET_ICB, lad="Oldshire", ward="Oldtown", lsoa="E01999903", ended=True)
    assert found(client, "Oldshire") == set()
    assert found(client, "Oldtown") == set()
    # Two letters would match places all over England.
    _area(SOMERSET_ICB, lad="Ab District", ward="Ab Ward", lsoa="E01999904")
    assert "somerset" not in found(client, "Ab")


def test_the_search_runs_a_fixed_number_of_queries(
    client, reference_data, django_assert_max_num_queries
):
    _area(SHROPSHIRE_ICB, lad="Telford and Wrekin", ward="Dawley and Aqueduct", lsoa="E01999902")
    _area(SOMERSET_ICB, lad="Dawley Somerset", ward="Dawley South", lsoa="E01999905")
    # One query finds the matching places and the sites covering them (so that each row
    # can say which place it covers); the count and the page do not repeat it.
    with django_assert_max_num_queries(9):
        assert found(client, "Dawley") == {SHROPSHIRE, "somerset"}
