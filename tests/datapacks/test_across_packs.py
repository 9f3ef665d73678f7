"""Disclosure control across a site's packs: a pack whose area lies inside a published pack's
(or holds it) could be taken away from it to show the people between the two areas. When it
is published, each count whose unrounded difference from the other pack's is 1 to 7 is
hidden, saying why; an area that differs from a published pack's by only 1 to 7 people
cannot be published. Figures by hand."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.datapacks import across, actions, generation, opendata
from core20.datapacks.disclosure import ROUNDING, THRESHOLD
from core20.datapacks.models import DataPack
from core20.places.models import LSOA, Deprivation, Edition, PopulationEstimate, Ward
from core20.places.models_targets import SiteTargetArea
from tests.conftest import sign_in
from tests.datapacks.helpers import choose, places_content

PERIOD = "imd2019, test population"
WARD_REASON = "secondary: could be worked out from the “North Tiny” pack (version 1)"


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


def pack(site, code, kind, name, lsoas, deciles, *, published=False, period=PERIOD, version=1):
    """A generated pack of ``lsoas`` whose decile counts are ``deciles`` before protection,
    stored as generation stores them (protected content, unrounded basis)."""
    raw = [{"category": str(d), "period": period, "people": n} for d, n in deciles.items()]
    raw.append({"category": "Total", "period": period, "people": sum(deciles.values())})
    now = timezone.now()
    return DataPack.objects.create(
        site=site,
        area_code=code,
        area_kind=kind,
        area_name=name,
        version=version,
        status=DataPack.Status.PUBLISHED if published else DataPack.Status.READY,
        content=places_content(site, deciles, area_code=code),
        basis={
            "lsoas": sorted(lsoas),
            "tables": [
                {
                    "section": "places",
                    "table": "deciles",
                    "total": True,
                    "counts": ["people"],
                    "rows": raw,
                }
            ],
        },
        generated_at=now,
        published_at=now if published else None,
        steps_done=4,
        steps_total=4,
    )


def rows(item: DataPack) -> dict[str, tuple]:
    item.refresh_from_db()
    table = item.content["sections"][0]["tables"][0]
    return {r["category"]: (r["people"], r["people_status"]) for r in table["rows"]}


def not_zero(item: DataPack) -> dict[str, tuple]:
    """The rows of a generated pack's decile table other than its empty deciles."""
    return {k: v for k, v in rows(item).items() if v != (0, "unchanged")}


def ward(site, deciles, **kwargs):
    return pack(site, "E05999991", "ward", "North Tiny", {"A", "B", "C"}, deciles, **kwargs)


def in_ward(site, deciles, *, version=2, **kwargs):
    """The site's target areas in North Tiny ward (LSOAs A and B of its A, B and C)."""
    return pack(
        site, "E05999991", "in_ward", "North Tiny", {"A", "B"}, deciles, version=version, **kwargs
    )


def test_a_count_3_away_from_a_published_ward_packs_is_hidden_saying_why(db, site, lead):
    # The whole ward: 1,020 people in decile 1 and 2,003 in decile 2 (published).
    whole = ward(site, {1: 1020, 2: 2003}, published=True)
    before = dict(whole.content)
    # Its target areas only: 1,000 and 2,000. Decile 2 differs by 3: hidden, and decile 1
    # too (the engine's secondary suppression: else it is the total minus decile 1).
    # The total differs by 23 people, more than 7: the pack may be published.
    part = in_ward(site, {1: 1000, 2: 2000})
    assert rows(part)["2"] == (2000, f"rounded to nearest {ROUNDING}")
    actions.publish(pack=part, by=lead)
    assert rows(part) == {
        "1": (None, "secondary: protects a suppressed cell in the sum category=Total"),
        "2": (None, WARD_REASON),
        "Total": (3000, f"rounded to nearest {ROUNDING}"),
    }
    part.refresh_from_db()
    assert part.is_published
    assert part.content["across_packs"] == [
        {"title": "North Tiny", "version": 1, "pack": whole.pk, "hidden": 1}
    ]
    # The published ward pack is never changed.
    whole.refresh_from_db()
    assert whole.content == before


@pytest.mark.parametrize("difference", [0, THRESHOLD + 1])
def test_a_difference_of_0_or_more_than_the_threshold_hides_nothing(db, site, lead, difference):
    ward(site, {1: 1000 + THRESHOLD + 1, 2: 2000 + difference}, published=True)
    part = in_ward(site, {1: 1000, 2: 2000})
    actions.publish(pack=part, by=lead)
    assert rows(part) == {
        "1": (1000, "rounded to nearest 5"),
        "2": (2000, "rounded to nearest 5"),
        "Total": (3000, "rounded to nearest 5"),
    }
    assert "across_packs" not in part.content


def test_the_bigger_pack_published_second_is_the_one_that_hides(db, site, lead):
    part = in_ward(site, {1: 1000, 2: 2000}, version=1, published=True)
    whole = ward(site, {1: 1020, 2: 2003}, version=2)
    actions.publish(pack=whole, by=lead)
    reason = (
        "secondary: could be worked out from the “Target areas in North Tiny ward” pack (version 1)"
    )
    assert rows(whole)["2"] == (None, reason)
    assert rows(part)["2"] == (2000, "rounded to nearest 5")


@pytest.mark.parametrize(
    "lsoas",
    [
        {"B", "D"},  # overlapping, neither inside the other
        {"D", "E"},  # apart
    ],
)
def test_packs_whose_areas_do_not_nest_are_not_compared(db, site, lead, lsoas):
    pack(site, "E05999992", "ward", "South Tiny", lsoas, {1: 1020, 2: 2003}, published=True)
    part = in_ward(site, {1: 1000, 2: 2000})
    actions.publish(pack=part, by=lead)
    assert rows(part)["2"] == (2000, "rounded to nearest 5")


def test_packs_of_another_period_or_not_published_are_not_compared(db, site, lead):
    ward(site, {1: 1020, 2: 2003}, published=True, period="iod2025, other population")
    pack(site, "E05999992", "ward", "South Tiny", {"A", "B", "C"}, {1: 1020, 2: 2003})
    part = in_ward(site, {1: 1000, 2: 2000})
    actions.publish(pack=part, by=lead)
    assert rows(part)["2"] == (2000, "rounded to nearest 5")


def test_an_area_only_a_few_people_from_a_published_packs_cannot_be_published(db, site, lead):
    ward(site, {1: 1002, 2: 2003}, published=True)  # 5 more people in all
    part = in_ward(site, {1: 1000, 2: 2000})
    with pytest.raises(ValidationError) as refused:
        actions.publish(pack=part, by=lead)
    assert refused.value.messages == [
        "This pack cannot be published: its area and the area of the published “North "
        "Tiny” pack (version 1) differ by only 1 to 7 people, so taking one pack's figures "
        "away from the other's would show figures about those few people. The “North Tiny” "
        "pack already describes almost the same people: point readers to it instead, or "
        "generate a pack for an area that differs from it by more people."
    ]
    part.refresh_from_db()
    assert part.status == DataPack.Status.READY


def test_the_reason_is_shown_on_the_preview_the_pack_the_easy_read_and_open_data(
    db, site, lead, client
):
    ward(site, {1: 1020, 2: 2003}, published=True)
    part = in_ward(site, {1: 1000, 2: 2000})
    sign_in(client, lead)
    address = reverse("datapacks:pack", args=[site.slug, part.pk])
    preview = client.get(address).content.decode()
    assert (
        "When you publish this version, 1 figure is hidden because it could be worked out "
        "from the published “North Tiny” pack (version 1)"
    ) in preview
    response = client.post(reverse("datapacks:publish", args=[site.slug, part.pk]))
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Version 2 is published. Everyone can see it now. 1 figure was hidden because it "
        "could be worked out from the “North Tiny” pack (version 1)."
    ]
    page = Client().get(address).content.decode()
    assert (
        "Some figures are hidden because they could be worked out from the “North Tiny” pack "
        "(version 1): taking one pack's figures away from the other's would show a "
        "small number of people."
    ) in page
    polish = Client().get(address + "?lang=pl").content.decode()
    assert "Niektóre dane są ukryte, ponieważ można by je wyliczyć z pakietu „North Tiny”" in (
        polish
    )
    easy = Client().get(reverse("datapacks:easy-read", args=[site.slug, part.pk]))
    assert "We also hide some numbers you could work out from our other packs." in (
        easy.content.decode()
    )
    assert WARD_REASON in [r["status"] for r in opendata.rows(site)]


def test_a_hidden_health_count_hides_its_value_and_comparison(db, site, lead):
    def with_indicator(item, people):
        item.content["sections"][1] = {
            "key": "clinical",
            "available": True,
            "tables": [
                {
                    "key": "indicators",
                    "counts": ["people"],
                    "rows": [
                        {"category": "Maternity: Bookings", "people": round(people, -1),
                         "people_status": "rounded to nearest 5"},
                    ],
                }
            ],
            "data": {
                "facts": [{"name": "Bookings (Maternity, 2024/25)", "hidden": False,
                           "value": 40.0, "england": 60.0, "unit": "percent",
                           "comparison": "worse"}],
                "sentences": ["Bookings (Maternity, 2024/25): 40.0% here, 60.0% in England: "
                              "worse than England."],
            },
        }  # fmt: skip
        item.basis["tables"].append(
            {"section": "clinical", "table": "indicators", "total": False,
             "counts": ["people"], "rows": [{"category": "Maternity: Bookings",
                                             "period": "2024/25", "people": people}]}
        )  # fmt: skip
        item.save()
        return item

    with_indicator(ward(site, {1: 1020, 2: 2000}, published=True), 46)
    part = with_indicator(in_ward(site, {1: 1000, 2: 2000}), 40)
    actions.publish(pack=part, by=lead)
    part.refresh_from_db()
    clinical = part.content["sections"][1]
    assert clinical["tables"][0]["rows"][0]["people"] is None
    assert clinical["tables"][0]["rows"][0]["people_status"] == WARD_REASON
    assert clinical["data"]["facts"] == [{"name": "Bookings (Maternity, 2024/25)", "hidden": True}]
    assert clinical["data"]["sentences"] == [
        "Bookings (Maternity, 2024/25): too few people to compare with England."
    ]


def test_a_generated_part_of_ward_pack_hides_what_the_published_ward_pack_gives_away(
    tiny, site, lead
):
    # Two more LSOAs in North Tiny ward: 20 people in decile 1 and 3 in decile 2.
    edition = Edition.objects.by_code("imd2019")
    north = Ward.objects.get(code="E05999991")
    for code, decile, people in (("E01999981", 1, 20), ("E01999982", 2, 3)):
        lsoa = LSOA.objects.create(vintage=2011, code=code, name=code, ward=north, lad=north.lad)
        Deprivation.objects.create(edition=edition, lsoa=lsoa, imd_decile=decile, imd_rank=99)
        PopulationEstimate.objects.create(lsoa=lsoa, year=2020, total=people)
    # First the whole ward is the site's target, and its pack is published.
    choose(site, "E05999991", names={"E05999991": "North Tiny"})
    whole = actions.start_generation(site=site, by=lead, area_code="E05999991")
    whole = actions.publish(pack=DataPack.objects.get(pk=whole.pk), by=lead)
    assert not_zero(whole) == {
        "1": (1020, "rounded to nearest 5"),
        "2": (2005, "rounded to nearest 5"),
        "Total": (3025, "rounded to nearest 5"),
    }
    # Then its targets become two of the ward's LSOAs (1,000 and 2,000 people) and one of
    # South Tiny's; the pack of its target areas in North Tiny ward is 3 short in decile 2.
    SiteTargetArea.objects.filter(site=site).delete()
    choose(site, "E01999991", "E01999992", "E01999993", kind="lsoa")
    part = actions.start_generation(site=site, by=lead, area_code="E05999991")
    part = DataPack.objects.get(pk=part.pk)
    assert part.basis["lsoas"] == ["E01999991", "E01999992"]
    assert not_zero(part)["2"] == (2000, "rounded to nearest 5")
    actions.publish(pack=part, by=lead)
    assert not_zero(part) == {
        "1": (None, "secondary: protects a suppressed cell in the sum category=Total"),
        "2": (None, WARD_REASON),
        "Total": (3000, "rounded to nearest 5"),
    }
    # The published ward pack is as it was.
    assert not_zero(whole)["2"] == (2005, "rounded to nearest 5")


def test_packs_generated_before_the_basis_was_kept_are_not_compared(db, site, lead):
    old = ward(site, {1: 1020, 2: 2003}, published=True)
    DataPack.objects.filter(pk=old.pk).update(basis={})
    part = in_ward(site, {1: 1000, 2: 2000})
    assert across.check(part).hidden == []


def test_generation_keeps_the_unrounded_counts_out_of_the_content(tiny, site, lead):
    choose(site, "E05999991", names={"E05999991": "North Tiny"})
    item = actions.start_generation(site=site, by=lead)
    item = generation.execute_generation(item.pk)
    assert all("raw" not in s for s in item.content["sections"])
    places = item.basis["tables"][0]
    assert places["rows"][-1]["people"] == 3000
    assert item.basis["lsoas"] == ["E01999991", "E01999992"]
