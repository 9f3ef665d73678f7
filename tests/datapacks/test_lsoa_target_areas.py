"""A site whose target areas are LSOAs, not wards: the generate form offered only "all the
site's target areas". It now offers the target areas in each ward (and, where they lie in
more than one, each local authority district) the LSOAs are in, and the pack says it is
for those target areas, not the whole ward. Figures from the tiny fixture by hand."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core20.datapacks import actions, generation
from core20.datapacks.areas import pack_areas
from core20.datapacks.models import DataPack
from core20.places.models import (
    LSOA,
    Deprivation,
    Edition,
    LocalAuthorityDistrict,
    PopulationEstimate,
    Ward,
)
from core20.places.models_targets import SiteTargetArea
from tests.conftest import sign_in
from tests.datapacks.helpers import choose

NAMES = {
    "E01999991": "Tinyshire 001A",
    "E01999993": "Tinyshire 002A",
    "E01999994": "Tinyshire 002B",
    "E01999997": "Farshire 001A",
}


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


@pytest.fixture
def lead_client(client, lead):
    sign_in(client, lead)
    return client


def choices(page: str) -> list[str]:
    """The generate form's area choices, in order, as the user reads them."""
    labels = re.findall(
        r'<label class="nhsuk-label nhsuk-radios__label" for="id_area_\d+">\s*(.*?)\s*</label>',
        page,
        re.S,
    )
    return [re.sub(r"\s+", " ", label) for label in labels]


def pack_page(client, pack: DataPack, **query) -> str:
    address = reverse("datapacks:pack", args=[pack.site.slug, pack.pk])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.get(address).content.decode()


def people(pack: DataPack) -> dict[str, int]:
    table = pack.content["sections"][0]["tables"][0]
    return {r["category"]: r["people"] for r in table["rows"] if r["people"]}


def test_a_site_with_lsoa_targets_makes_a_pack_for_its_target_areas_in_one_ward(
    tiny, site, lead, lead_client
):
    # One LSOA in North Tiny ward, two in South Tiny; all in one district.
    choose(site, "E01999991", "E01999993", "E01999994", kind="lsoa", names=NAMES)
    address = reverse("datapacks:generate", args=[site.slug])
    page = lead_client.get(address).content.decode()
    assert choices(page) == [
        "All the site&#x27;s target areas",
        "Target areas in North Tiny ward (E05999991): 1 neighbourhood (LSOAs)",
        "Target areas in South Tiny ward (E05999992): 2 neighbourhoods (LSOAs)",
    ]
    response = lead_client.post(address, {"area": "E05999992", "contact": ""})
    pack = DataPack.objects.get(site=site, area_code="E05999992")
    assert response.status_code == 302
    assert (pack.status, pack.area_kind, pack.area_name) == ("ready", "in_ward", "South Tiny")
    # South Tiny's two target LSOAs only: 1,500 people in decile 7 and 500 in decile 10.
    assert people(pack) == {"7": 1500, "10": 500, "Total": 2000}
    page = pack_page(lead_client, pack)
    assert "<h1>Target areas in South Tiny ward, Home Site</h1>" in page
    assert "About 2,000 people live in these target areas." in page
    assert "Tinyshire 002A (E01999993), Tinyshire 002B (E01999994)." in page
    assert "people live in this ward" not in page
    # The site's page lists it by what it covers; disclosure control passes as for any pack.
    actions.publish(pack=pack, by=lead)
    listing = Client().get(reverse("datapacks:site", args=[site.slug])).content.decode()
    assert "Target areas in South Tiny ward</a> (version 1" in listing
    polish = pack_page(Client(), pack, lang="pl")
    assert "Obszary docelowe w okręgu South Tiny, Home Site" in polish
    easy = Client().get(reverse("datapacks:easy-read", args=[site.slug, pack.pk]))
    assert "About part of South Tiny" in easy.content.decode()


def test_target_areas_in_more_than_one_district_can_have_a_pack_for_each(
    tiny, site, lead, lead_client
):
    farshire = LocalAuthorityDistrict.objects.create(code="E07999998", name="Farshire")
    far_ward = Ward.objects.create(code="E05999998", name="Far Ward", lad=farshire)
    lsoa = LSOA.objects.create(
        vintage=2011, code="E01999997", name="Farshire 001A", ward=far_ward, lad=farshire
    )
    Deprivation.objects.create(
        edition=Edition.objects.by_code("imd2019"), lsoa=lsoa, imd_decile=3, imd_rank=9000
    )
    PopulationEstimate.objects.create(lsoa=lsoa, year=2020, total=800)
    # An LSOA in each of Tinyshire's two wards, and one in Farshire.
    choose(site, "E01999991", "E01999993", "E01999997", kind="lsoa", names=NAMES)
    address = reverse("datapacks:generate", args=[site.slug])
    assert choices(lead_client.get(address).content.decode()) == [
        "All the site&#x27;s target areas",
        "Target areas in Far Ward ward (E05999998): 1 neighbourhood (LSOAs)",
        "Target areas in North Tiny ward (E05999991): 1 neighbourhood (LSOAs)",
        "Target areas in South Tiny ward (E05999992): 1 neighbourhood (LSOAs)",
        # Not Farshire: its target areas are Far Ward's, offered already.
        "Target areas in Tinyshire (E06999999): 2 neighbourhoods (LSOAs)",
    ]
    lead_client.post(address, {"area": "E06999999", "contact": ""})
    pack = DataPack.objects.get(site=site, area_code="E06999999")
    # Tinyshire's target LSOAs: 1,000 people in decile 1 and 1,500 in decile 7.
    assert (pack.area_kind, people(pack)) == ("in_lad", {"1": 1000, "7": 1500, "Total": 2500})
    page = pack_page(lead_client, pack)
    assert "<h1>Target areas in Tinyshire, Home Site</h1>" in page
    assert "Tinyshire 001A (E01999991), Tinyshire 002A (E01999993)." in page
    assert "Farshire" not in page.split("<h1>")[1].split("</main>")[0]


def test_a_ward_that_is_itself_a_target_keeps_its_whole_ward_pack(tiny, site, lead):
    choose(site, "E05999991", names={"E05999991": "North Tiny"})
    choose(site, "E01999993", kind="lsoa", names=NAMES)
    assert [(a.kind, a.code) for a in pack_areas(site)] == [
        ("ward", "E05999991"),
        ("in_ward", "E05999992"),
    ]
    pack = actions.start_generation(site=site, by=lead, area_code="E05999991")
    pack.refresh_from_db()
    assert (pack.area_kind, pack.area_label) == ("ward", "North Tiny")


def test_an_lsoa_target_outside_the_sites_wards_cannot_be_chosen(tiny, site, lead):
    choose(site, "E01999991", kind="lsoa", names=NAMES)
    # All the targets are in North Tiny: its grouping would be the site's pack again.
    assert pack_areas(site) == []
    with pytest.raises(Exception, match="is not one of Home Site's target wards"):
        actions.start_generation(site=site, by=lead, area_code="E05999992")
    assert not DataPack.objects.exists()


def test_a_pack_whose_area_went_before_it_was_generated_fails_and_says_why(tiny, site, lead):
    choose(site, "E01999991", "E01999993", kind="lsoa", names=NAMES)
    pack = DataPack.objects.create(
        site=site, area_code="E05999992", area_name="South Tiny", area_kind="in_ward", version=1
    )
    SiteTargetArea.objects.filter(site=site, code="E01999993").delete()
    pack = generation.execute_generation(pack.pk)
    assert pack.status == DataPack.Status.FAILED
    assert pack.errors == [
        "Target areas in South Tiny ward (E05999992) is no longer among Home Site's target "
        "areas: choose its target areas again or generate a pack for another area"
    ]


def test_health_figures_of_a_wards_target_areas_come_from_their_lsoas_only(tiny, site):
    from core20.datapacks.sections import _area_codes

    choose(site, "E01999991", "E01999993", "E01999994", kind="lsoa", names=NAMES)
    south = next(a for a in pack_areas(site) if a.code == "E05999992")
    # Not the ward's own figure (the whole ward), nor North Tiny's LSOA.
    assert _area_codes(site, south) == {"E01999993", "E01999994"}
