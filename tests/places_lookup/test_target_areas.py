"""Site target areas: who may choose them, pasting and searching, the audit trail, and the
site's places page (figures by hand on the tiny fixture, the chart and its table, query
counts)."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.places import target_areas
from core20.places.models import SiteSettings
from core20.places.models_targets import SiteTargetArea
from tests.conftest import sign_in

SVG = "{http://www.w3.org/2000/svg}"


def url(name, site, *args):
    return reverse(f"placesui:{name}", args=[site.slug, *args])


@pytest.fixture
def lead_client(client, make_user, site):
    user = make_user("site_lead")
    sign_in(client, user)
    client.user = user
    return client


def choose(site, *codes):
    """Target areas straight into the database (names as the pages would give them)."""
    names = target_areas.known_names(
        {k: {c for c in codes if target_areas.kind_of(c) == k} for k in target_areas.PATTERNS}
    )
    for code in codes:
        SiteTargetArea.objects.create(
            site=site, code=code, kind=target_areas.kind_of(code), name=names[code]
        )


# ---- Choosing areas ----


def test_a_site_lead_adds_wards_by_pasting_codes(tiny, site, lead_client):
    response = lead_client.post(
        url("site-areas-paste", site), {"codes": "E05999991\n  e05999992 \n\nE05999991\n"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("site-areas", site)
    areas = SiteTargetArea.objects.filter(site=site).order_by("code")
    assert [(a.kind, a.code, a.name) for a in areas] == [
        ("ward", "E05999991", "North Tiny"),
        ("ward", "E05999992", "South Tiny"),
    ]
    assert all(a.added_by == lead_client.user for a in areas)
    event = AuditEvent.objects.get(verb="places.target_areas.add")
    assert event.site_id == site.pk
    assert event.actor_id == lead_client.user.pk
    assert event.changes == {"target_areas": {"added": ["E05999991", "E05999992"]}}
    page = lead_client.get(response["Location"])
    assert "2 target areas added." in page.content.decode()
    assert "North Tiny" in page.content.decode()


def test_bad_codes_are_reported_by_line_and_nothing_is_saved(tiny, site, lead_client):
    pasted = "E05999991\nE0599999\nW05000001\nE05999999, E01999991\nE06999999"
    response = lead_client.post(url("site-areas-paste", site), {"codes": pasted})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        "Line 2: “E0599999” looks like an electoral ward code but is too short: ward codes "
        "have 9 characters, like E05009978" in html
    )
    assert "Line 3: “W05000001” is in Wales" in html
    assert "Line 4: there is no ward with the code E05999999" in html
    assert html.count("Line ") >= 3
    assert 'href="#id_codes"' in html  # the error summary links to the box
    assert "E0599999\nW05000001" in html  # what was pasted is kept
    assert not SiteTargetArea.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="places.").exists()


def test_a_site_lead_of_another_site_gets_403(tiny, site, other_site, client, make_user):
    sign_in(client, make_user("site_lead", scope_site=other_site))
    choose(site, "E05999991")
    area = SiteTargetArea.objects.get()
    assert client.get(url("site-areas", site)).status_code == 403
    assert client.post(url("site-areas-paste", site), {"codes": "E05999992"}).status_code == 403
    assert client.post(url("site-areas-add", site), {"code": "E05999992"}).status_code == 403
    assert client.post(url("site-areas-remove", site, area.pk)).status_code == 403
    assert client.post(url("site-edition", site), {"edition": "iod2025"}).status_code == 403
    assert list(SiteTargetArea.objects.values_list("code", flat=True)) == ["E05999991"]
    assert not SiteSettings.objects.exists()
    # Their own site is theirs to change.
    assert client.get(url("site-areas", other_site)).status_code == 200


@pytest.mark.parametrize("role", ["national_admin", "site_lead"])
def test_who_may_choose_areas(tiny, site, client, make_user, role):
    sign_in(client, make_user(role))
    assert client.get(url("site-areas", site)).status_code == 200


@pytest.mark.parametrize("role", ["national_analyst", "host_coordinator", None])
def test_others_may_not_choose_areas(tiny, site, client, make_user, role):
    sign_in(client, make_user(role))
    assert client.get(url("site-areas", site)).status_code == 403


def test_anonymous_sees_the_public_profile_but_cannot_choose(tiny, site, client):
    choose(site, "E05999991")
    response = client.get(url("site-places", site))
    assert response.status_code == 200
    assert "live in Core20 neighbourhoods" in response.content.decode()
    assert "Choose target areas" not in response.content.decode()
    login = client.get(url("site-areas", site))
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("accounts:login"))
    assert client.post(url("site-areas-paste", site), {"codes": "E05999992"}).status_code == 302
    assert SiteTargetArea.objects.count() == 1


def test_an_unpublished_site_is_404_except_for_its_team(tiny, site, client, make_user):
    site.published = False
    site.save()
    assert client.get(url("site-places", site)).status_code == 404
    sign_in(client, make_user("site_lead"))
    assert client.get(url("site-places", site)).status_code == 200


def test_search_returns_a_fragment_for_htmx_and_the_whole_page_without_script(
    tiny, site, lead_client
):
    choose(site, "E05999992")
    fragment = lead_client.get(url("site-areas", site), {"q": "tiny"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert 'id="area-search-results"' in html
    assert "North Tiny" in html and "Tinyshire" in html and "E01999991" in html
    assert "Chosen" in html  # South Tiny is already a target area
    page = lead_client.get(url("site-areas", site), {"q": "E0599999"})
    assert "<html" in page.content.decode()
    assert "North Tiny" in page.content.decode()
    assert 'hx-get="' in page.content.decode()
    assert target_areas.search("x") == []


def test_add_from_the_search_and_remove(tiny, site, lead_client):
    response = lead_client.post(url("site-areas-add", site), {"code": "e06999999", "q": "tiny"})
    assert response.status_code == 302
    assert response["Location"] == url("site-areas", site) + "?q=tiny"
    area = SiteTargetArea.objects.get()
    assert (area.kind, area.code, area.name) == ("lad", "E06999999", "Tinyshire")
    again = lead_client.post(url("site-areas-add", site), {"code": "E06999999"})
    assert again.status_code == 302
    assert SiteTargetArea.objects.count() == 1
    bad = lead_client.post(url("site-areas-add", site), {"code": "E06000000"}, follow=True)
    assert "There is no local authority district with the code E06000000" in bad.content.decode()
    removed = lead_client.post(url("site-areas-remove", site, area.pk))
    assert removed.status_code == 302
    assert not SiteTargetArea.objects.exists()
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="places.")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["places.target_areas.add", "places.target_areas.remove"]


def test_a_site_cannot_remove_another_sites_area(tiny, site, other_site, lead_client):
    choose(other_site, "E05999991")
    area = SiteTargetArea.objects.get()
    assert lead_client.post(url("site-areas-remove", site, area.pk)).status_code == 404
    assert SiteTargetArea.objects.count() == 1


# ---- The places page ----


def test_profile_figures_equal_a_hand_computation(tiny, site, client):
    # North ward (LSOAs A: decile 1, 1,000 people; B: decile 2, 2,000) and LSOA C (decile 7,
    # 1,500): 3,000 of 4,500 people in Core20 = 67%. England here is the four LSOAs:
    # 3,000 of 5,000 = 60%.
    choose(site, "E05999991", "E01999993")
    profile = target_areas.site_profile(site)
    figures = profile.figures
    assert profile.edition.code == "imd2019"
    assert figures.method == "national"
    assert figures.population == 4500
    assert figures.core20_population == 3000
    assert figures.core20_share == pytest.approx(2 / 3)
    assert figures.weighted_score is None
    assert figures.weighted_rank == pytest.approx((1000 * 100 + 2000 * 5000 + 1500 * 20000) / 4500)
    assert profile.national.core20_share == pytest.approx(0.6)
    expected = (
        "67% of the 4,500 people in the target areas live in Core20 neighbourhoods "
        "(IMD 2019 deciles 1–2), against 60% nationally."
    )
    assert profile.summary == expected
    rows = {r.area.code: r for r in profile.areas}
    assert rows["E05999991"].decile_text == "Mixed: 1 and 2"
    assert rows["E05999991"].core20_text == "100%"
    assert rows["E05999991"].lsoas == 2
    assert rows["E01999993"].decile_text == "7"
    assert rows["E01999993"].core20_text == "0%"
    html = client.get(url("site-places", site)).content.decode()
    assert expected in html
    assert "Mixed: 1 and 2" in html
    assert "ONS mid-2020 population estimates (LSOA 2011)" in html


def test_the_chart_has_a_title_and_the_table_holds_the_same_numbers(tiny, site, client):
    choose(site, "E05999991", "E01999993")
    html = client.get(url("site-places", site)).content.decode()
    chart = re.search(r'<svg[^>]*class="app-chart".*?</svg>', html, re.S).group(0)
    svg = ET.fromstring(chart)  # noqa: S314 (our own page)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
    assert title.text == f"People in {site.name}'s target areas by IMD 2019 decile"
    assert "67% of the 4,500 people" in desc.text
    bar_labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert bar_labels[:10] == ["22%", "44%", "0%", "0%", "0%", "0%", "33%", "0%", "0%", "0%"]
    assert "Core20" in bar_labels  # the bracket under deciles 1 and 2 says so, not colour
    table = re.search(r'<table [^>]*id="decile-table">.*?</table>', html, re.S).group(0)
    table = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", table)
    cells = re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', table, re.S)
    values = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in cells]
    shares = [v[3] for v in values]
    people = [v[2] for v in values]
    assert shares == bar_labels[:10]
    assert people == ["1,000", "2,000", "0", "0", "0", "0", "1,500", "0", "0", "0"]
    assert values[0][0] == "1 (Core20)" and values[1][0] == "2 (Core20)"
    # National markers: one per decile, dashed (a shape, not a colour).
    assert len([line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]) == 11


def test_the_site_can_choose_iod2025_and_the_page_follows(tiny, site, lead_client):
    choose(site, "E05999991", "E01999993")
    response = lead_client.post(url("site-edition", site), {"edition": "iod2025"})
    assert response.status_code == 302
    assert SiteSettings.objects.get(site=site).deprivation_edition.code == "iod2025"
    event = AuditEvent.objects.get(verb="places.site_edition.change")
    assert event.changes == {"deprivation_edition": ["IMD 2019", "IoD 2025"]}
    profile = target_areas.site_profile(site)
    # 2021: North = E01999991 (decile 1), E01999995 (2), E01999996 (3), 1,000 people each
    # (E01999992's 2,000 shared out); C 1,500 → 2,000 of 4,500 in Core20.
    assert profile.figures.population == 4500
    assert profile.figures.core20_share == pytest.approx(2000 / 4500)
    assert profile.figures.weighted_score == pytest.approx(
        (1000 * 60 + 1000 * 40 + 1000 * 30 + 1500 * 10) / 4500
    )
    assert profile.summary == (
        "44% of the 4,500 people in the target areas live in Core20 neighbourhoods "
        "(IoD 2025 deciles 1–2), against 40% nationally."
    )
    html = lead_client.get(url("site-places", site)).content.decode()
    assert "IoD 2025 decile" in html
    invalid = lead_client.post(url("site-edition", site), {"edition": "imd2015"})
    assert invalid.status_code == 200
    assert "Choose an edition" in invalid.content.decode()


def test_a_site_without_areas_says_so(tiny, site, client):
    site.target_places = "Telford town centre"
    site.save()
    html = client.get(url("site-places", site)).content.decode()
    assert "has not chosen its target areas yet" in html
    assert "Telford town centre" in html
    assert 'class="app-chart"' not in html


def test_query_counts_on_the_places_page_do_not_grow_with_the_areas(tiny, site, client):
    # E01999995 is a 2021 LSOA, so the IMD 2019 figures need the 2011 → 2021 lookup (one
    # query, however many areas need it).
    choose(site, "E05999991", "E01999995")
    client.get(url("site-places", site))  # national figures are cached after the first view
    with CaptureQueriesContext(connection) as one:
        assert client.get(url("site-places", site)).status_code == 200
    choose(site, "E05999992", "E06999999", "E01999991", "E01999993", "E01999996")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("site-places", site)).status_code == 200
    assert len(many) == len(one)
    assert len(many) <= 12


def test_the_site_profile_api_gives_the_pages_figures(tiny, site, client):
    choose(site, "E05999991", "E01999993")
    data = client.get(f"/api/v1/places/sites/{site.slug}/profile").json()
    assert data["edition"] == "imd2019"
    assert data["population"] == 4500
    assert data["core20_share"] == pytest.approx(2 / 3)
    assert data["national_core20_share"] == pytest.approx(0.6)
    assert [d["population"] for d in data["deciles"]] == [1000, 2000, 0, 0, 0, 0, 1500, 0, 0, 0]
    assert {a["code"]: a["deciles"] for a in data["target_areas"]} == {
        "E05999991": [1, 2],
        "E01999993": [7],
    }
    missing = client.get("/api/v1/places/sites/no-such-site/profile")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found: site 'no-such-site'"}
