"""The read endpoints, on the real reference data, as each kind of caller."""

import pytest

from core20.programme.models import ClinicalArea, Organisation, Site, SiteOrganisation, Wave
from tests.api.conftest import slugs

pytestmark = pytest.mark.django_db

MIDLANDS = {
    "joined-up-care-derbyshire",
    "shropshire-telford-wrekin",
    "black-country-walsall",
    "leicester-leicestershire-rutland",
    "staffordshire-southwest-staffordshire",
}

ALL = "every site"

# Who sees which unpublished site, and whose internal details (home is the site-scoped
# users' own site; away belongs to nobody here; somerset is published).
VISIBILITY = {
    None: (set(), set()),
    "national_admin": ({"hidden-home", "hidden-away"}, ALL),
    "national_analyst": ({"hidden-home", "hidden-away"}, ALL),
    "site_lead": ({"hidden-home"}, {"hidden-home"}),
    "host_coordinator": ({"hidden-home"}, {"hidden-home"}),
    "connector": (set(), set()),
    "community_member": (set(), set()),
}


def token_for(world, role):
    return world.tokens[role] if role else None


# ---- programmes ----


def test_programmes_list_and_detail(api_world, api_get):
    body = api_get("/programmes").json()
    assert body["count"] == 1
    programme = body["items"][0]
    assert programme["slug"] == "core20plus-connectors"
    assert [w["number"] for w in programme["waves"]] == [1, 2]
    assert programme["url"].endswith("/programme/")
    detail = api_get("/programmes/core20plus-connectors").json()
    assert detail == programme


def test_unknown_programme_is_404(api_world, api_get):
    response = api_get("/programmes/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: programme 'nope'"}


# ---- waves ----


def test_waves_list_filter_and_detail(api_world, api_get):
    body = api_get("/waves").json()
    assert body["count"] == 2
    assert [w["number"] for w in body["items"]] == [1, 2]
    wave = body["items"][0]
    assert wave["programme"] == {"slug": "core20plus-connectors", "name": "Core20PLUS Connectors"}
    assert wave["url"].endswith(f"/programme/waves/{wave['id']}/")
    assert api_get("/waves", programme="core20plus-connectors").json()["count"] == 2
    assert api_get("/waves", programme="another").json() == {"items": [], "count": 0}
    assert api_get(f"/waves/{wave['id']}").json() == wave


def test_unknown_wave_is_404(api_world, api_get):
    missing = Wave.objects.order_by("-pk").first().pk + 100
    response = api_get(f"/waves/{missing}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"Not found: wave '{missing}'"}


# ---- sites: who sees what ----


@pytest.mark.parametrize("role", list(VISIBILITY))
def test_site_list_shows_what_the_pages_show(api_world, api_get, role):
    unpublished, internal = VISIBILITY[role]
    body = api_get("/sites", token=token_for(api_world, role), limit=200).json()
    found = {item["slug"]: item for item in body["items"]}
    assert body["count"] == 21 + len(unpublished)
    assert {"hidden-home", "hidden-away"} & set(found) == unpublished
    if internal is ALL:
        internal = set(found)
    with_internal = {s for s, item in found.items() if item["internal_notes"] is not None}
    assert with_internal == internal
    for slug in internal & {"hidden-home", "hidden-away", "somerset"}:
        assert found[slug]["contact_email"] == f"{slug}@example.org"
        assert found[slug]["internal_notes"].endswith("internal notes")
    for slug in set(found) - internal:
        assert found[slug]["contact_email"] is None


@pytest.mark.parametrize("role", list(VISIBILITY))
def test_site_detail_shows_what_the_pages_show(api_world, api_get, role):
    unpublished, internal = VISIBILITY[role]
    token = token_for(api_world, role)
    for slug in ["hidden-home", "hidden-away", "somerset"]:
        response = api_get(f"/sites/{slug}", token=token)
        if slug.startswith("hidden") and slug not in unpublished:
            assert response.status_code == 404
            assert response.json() == {"detail": f"Not found: site '{slug}'"}
            continue
        assert response.status_code == 200
        notes = response.json()["internal_notes"]
        assert (notes is not None) == (internal is ALL or slug in internal)


def test_site_detail_names_related_things_by_code(api_world, api_get):
    site = api_get("/sites/shropshire-telford-wrekin").json()
    assert site["wave"]["number"] == 1
    assert site["programme"]["slug"] == "core20plus-connectors"
    assert site["regions"] == [{"code": "E40000011", "name": "Midlands"}]
    assert site["icbs"] == [
        {
            "code": "E54000011",
            "ods_code": "QOC",
            "name": "NHS Shropshire, Telford and Wrekin Integrated Care Board",
        }
    ]
    area = ClinicalArea.objects.get(code="early-cancer-diagnosis")
    assert site["focus_areas"] == [{"code": area.code, "name": area.name, "group": area.group}]
    assert all(set(a) == {"code", "name", "group"} for a in site["focus_areas"])
    assert {o["slug"] for o in site["organisations"]} == {
        "lingen-davies",
        "qube",
        "shropshire-council",
        "telford-wrekin-council",
    }
    assert all(set(o) == {"slug", "name", "kind", "role"} for o in site["organisations"])
    assert site["url"] == "http://testserver/programme/sites/shropshire-telford-wrekin/"
    assert site["internal_notes"] is None and site["contact_email"] is None


def test_site_communities_have_codes_and_names(api_world, api_get):
    site = api_get("/sites/west-yorkshire").json()
    assert {c["code"] for c in site["communities"]} == {
        "gypsy-roma-traveller",
        "vulnerable-migrants",
    }
    assert all(set(c) == {"code", "name"} for c in site["communities"])


# ---- sites: filters ----


def test_filter_by_wave(api_world, api_get):
    body = api_get("/sites", wave=1).json()
    assert body["count"] == 13
    assert all(item["wave"]["number"] == 1 for item in body["items"])
    assert api_get("/sites", wave=2).json()["count"] == 8
    assert api_get("/sites", wave=9).json()["count"] == 0


def test_filter_by_region(api_world, api_get):
    assert set(slugs(api_get("/sites", region="E40000011"))) == MIDLANDS
    # National staff also see the unpublished Midlands sites.
    admin = api_world.tokens["national_admin"]
    assert set(slugs(api_get("/sites", token=admin, region="E40000011"))) == MIDLANDS | {
        "hidden-home",
        "hidden-away",
    }


def test_a_site_in_two_regions_is_listed_once(api_world, api_get):
    found = slugs(api_get("/sites", region="E40000012"))
    assert found.count("lancashire-south-cumbria") == 1
    assert set(found) == {"lancashire-south-cumbria", "north-east-north-cumbria", "west-yorkshire"}


def test_filter_by_icb_ons_or_ods_code(api_world, api_get):
    assert slugs(api_get("/sites", icb="QOC")) == ["shropshire-telford-wrekin"]
    assert slugs(api_get("/sites", icb="E54000011")) == ["shropshire-telford-wrekin"]
    assert set(slugs(api_get("/sites", icb="E54000050"))) == {
        "lancashire-south-cumbria",
        "north-east-north-cumbria",
    }


def test_filter_by_clinical_area(api_world, api_get):
    expected = set(
        Site.objects.filter(published=True, focus_areas__code="hypertension").values_list(
            "slug", flat=True
        )
    )
    assert len(expected) == 9
    assert set(slugs(api_get("/sites", clinical_area="hypertension"))) == expected


def test_filter_by_plus_group_includes_its_sub_groups(api_world, api_get):
    assert set(slugs(api_get("/sites", plus_group="inclusion-health-groups"))) == {
        "hampshire-isle-of-wight",
        "black-country-walsall",
        "hertfordshire-west-essex",
        "west-yorkshire",  # gypsy-roma-traveller, vulnerable-migrants
        "north-central-london",  # people-experiencing-homelessness, vulnerable-migrants
    }
    assert set(slugs(api_get("/sites", plus_group="vulnerable-migrants"))) == {
        "west-yorkshire",
        "north-central-london",
    }


def test_filter_by_status(api_world, api_get):
    assert set(slugs(api_get("/sites", status="associate"))) == {
        "north-central-london",
        "hampshire-isle-of-wight",
    }
    assert slugs(api_get("/sites", status="proposed")) == []
    admin = api_world.tokens["national_admin"]
    assert set(slugs(api_get("/sites", token=admin, status="proposed"))) == {
        "hidden-home",
        "hidden-away",
    }


def test_search_by_name_or_place(api_world, api_get):
    assert slugs(api_get("/sites", q="walsall")) == ["black-country-walsall"]
    assert set(slugs(api_get("/sites", q="London"))) == {
        "north-central-london",
        "north-east-london",
        "south-west-london",
    }
    assert api_get("/sites", q="   ").json()["count"] == 21
    assert slugs(api_get("/sites", q="Hidden")) == []
    assert slugs(api_get("/sites", q="Hidden", token=api_world.tokens["site_lead"])) == [
        "hidden-home"
    ]


def test_filters_combine(api_world, api_get):
    assert set(slugs(api_get("/sites", wave=1, region="E40000011"))) == {
        "joined-up-care-derbyshire",
        "shropshire-telford-wrekin",
    }
    assert slugs(api_get("/sites", programme="core20plus-connectors", wave=2, icb="QUA")) == [
        "black-country-walsall"
    ]
    assert api_get("/sites", programme="another").json()["count"] == 0


# ---- pagination ----


def test_sites_are_paginated_in_a_stable_order(api_world, api_get):
    everything = slugs(api_get("/sites", limit=200))
    expected = list(
        Site.objects.filter(published=True)
        .order_by("wave__number", "name")
        .values_list("slug", flat=True)
    )
    assert everything == expected
    pages = []
    for offset in range(0, 21, 5):
        body = api_get("/sites", limit=5, offset=offset).json()
        assert body["count"] == 21
        pages += [item["slug"] for item in body["items"]]
    assert pages == everything
    assert api_get("/sites", offset=100).json() == {"items": [], "count": 21}


def test_default_page_size(api_world, api_get):
    assert len(api_get("/organisations").json()["items"]) == 10
    assert len(api_get("/organisations", limit=3).json()["items"]) == 3


# ---- organisations ----


def test_organisations_list_and_detail(api_world, api_get):
    body = api_get("/organisations").json()
    assert body["count"] == Organisation.objects.count() == 10
    names = [item["name"] for item in body["items"]]
    assert names == list(Organisation.objects.order_by("name").values_list("name", flat=True))
    council = api_get("/organisations/shropshire-council").json()
    assert council["kind"] == "local_authority"
    assert council["sites"] == [
        {
            "slug": "shropshire-telford-wrekin",
            "name": "Shropshire, Telford and Wrekin",
            "role": "partner",
        }
    ]
    assert council["url"] == "http://testserver/programme/organisations/shropshire-council/"


def test_organisation_lists_only_sites_the_caller_may_see(api_world, api_get):
    qube = Organisation.objects.get(slug="qube")
    SiteOrganisation.objects.create(site=api_world.home, organisation=qube, role="host")
    public = {s["slug"] for s in api_get("/organisations/qube").json()["sites"]}
    assert public == {"shropshire-telford-wrekin"}
    for role in ["site_lead", "national_admin"]:
        seen = api_get("/organisations/qube", token=api_world.tokens[role]).json()["sites"]
        assert {s["slug"] for s in seen} == {"shropshire-telford-wrekin", "hidden-home"}
    seen = api_get("/organisations", token=api_world.tokens["connector"]).json()["items"]
    qube_item = next(item for item in seen if item["slug"] == "qube")
    assert {s["slug"] for s in qube_item["sites"]} == {"shropshire-telford-wrekin"}


def test_organisation_contact_is_for_national_staff(api_world, api_get):
    Organisation.objects.filter(slug="qube").update(contact_email="hello@qube.example.org")
    for role in [None, "site_lead", "host_coordinator", "connector"]:
        body = api_get("/organisations/qube", token=token_for(api_world, role)).json()
        assert body["contact_email"] is None, role
    for role in ["national_admin", "national_analyst"]:
        body = api_get("/organisations/qube", token=token_for(api_world, role)).json()
        assert body["contact_email"] == "hello@qube.example.org", role


def test_unknown_organisation_is_404(api_world, api_get):
    response = api_get("/organisations/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found: organisation 'nope'"}


# ---- query counts ----


@pytest.mark.parametrize(
    "path", ["/sites", "/organisations", "/waves", "/programmes", "/sites/west-yorkshire"]
)
def test_query_counts_are_bounded(api_world, api_get, django_assert_max_num_queries, path):
    for role in [None, "national_admin", "site_lead", "connector"]:
        token = token_for(api_world, role)
        api_get(path, token=token)  # the token's last-used time is written at most once a minute
        # At most: token, memberships, count, page and 5 prefetches (the site list).
        with django_assert_max_num_queries(9):
            response = api_get(path, token=token, limit=200)
        assert response.status_code == 200


def test_site_list_queries_are_the_same_for_more_sites(
    api_world, api_get, django_assert_num_queries
):
    token = api_world.tokens["national_admin"]
    api_get("/sites", token=token)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        api_get("/sites", token=token, limit=200)
    area = ClinicalArea.objects.get(code="hypertension")
    for n in range(5):
        extra = Site.objects.create(
            wave=api_world.home.wave, name=f"Extra {n}", slug=f"extra-{n}", kind="ics", summary="x"
        )
        extra.regions.set(api_world.home.regions.all())
        extra.focus_areas.add(area)
    with django_assert_num_queries(len(before.captured_queries)):
        body = api_get("/sites", token=token, limit=200).json()
    assert body["count"] == 28
