"""From national figures to sites and on to their areas (/outcomes/national/indicators/<code>/).

Data as in test_dashboard: ten LSOAs in one ICB, one per IMD decile, 1,000 people each; in
2024 LSOA d has 500 − 30(d − 1) screened. The home site's target areas are LSOAs 1 and 2
(500 + 470 of 2,000 = 48.5%); the other site shares the ICB with target areas LSOAs 3 and 4
(440 + 410 of 2,000 = 42.5%). The rest of the ICS is the other eight LSOAs: 2,680 of 8,000 =
33.5% for the home site, 2,800 of 8,000 = 35.0% for the other.
"""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core20.outcomes import analysis, drilldown, mdc, scope
from core20.places.models import LSOA, LocalAuthorityDistrict, Ward
from core20.places.models_targets import SiteTargetArea
from tests.conftest import sign_in
from tests.factories import SiteFactory
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sites(site, other_site, data):  # noqa: F811
    geo, ind = data
    add_site_in(geo, other_site, (3, 4))
    return geo, ind


def add_site_in(geo, site, deciles) -> None:
    site.icbs.add(geo.icb)
    for d in deciles:
        SiteTargetArea.objects.create(site=site, kind="lsoa", code=helpers.lsoa_code(d))


def url(ind) -> str:
    return reverse("outcomes:national-areas", args=[ind.code])


def section(page: str, site) -> str:
    start = page.index(f'id="site-{site.slug}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_national_admin_sees_every_site_then_each_sites_areas(
    client, site, other_site, two_sites, make_user
):
    _, ind = two_sites
    sign_in(client, make_user("national_admin"))
    response = client.get(url(ind))
    page = response.content.decode()
    assert response.status_code == 200 and page.count("<h1") == 1
    # The sites table: each site's figure leads on to its areas below.
    table = page[page.index('id="table-sites"') : page.index("</table>")]
    assert f'<a href="#site-{site.slug}">Home Site</a>' in table
    assert f'<a href="#site-{other_site.slug}">Other Site</a>' in table
    assert "48.5" in table and "42.5" in table and "33.5" in table and "35.0" in table
    assert "2 of the 2 sites shown have figures" in page
    assert "the highest value is 48.5% (Home Site) and the lowest 42.5% (Other Site)" in page
    home, other = section(page, site), section(page, other_site)
    assert "In 2024 Home Site&#x27;s target areas had a value of 48.5%" in home
    assert "against 33.5% in the rest of the ICS" in home
    assert "E01000001" in home and "E01000002" in home and "E01000003" not in home
    assert "E01000003" in other and "E01000004" in other and "E01000001" not in other
    # Each area's value and 95% limits: LSOA 1, 500 of 1,000 (Wilson 46.9 to 53.1).
    row = home[home.index("E01000001") : home.index("</tr>", home.index("E01000001"))]
    assert "50.0" in row and "46.9" in row and "53.1" in row
    dashboard = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    assert f'href="{dashboard}#areas"' in home


def test_site_lead_sees_only_their_own_sites_areas(client, site, other_site, two_sites, make_user):
    _, ind = two_sites
    sign_in(client, make_user("site_lead"))
    response = client.get(url(ind))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="site-{site.slug}"' in page and "E01000001" in page
    assert "Other Site" not in page and other_site.slug not in page and "E01000003" not in page
    assert "1 of the 1 site shown has figures" in page
    # The other site's table cannot be downloaded either.
    export = client.get(url(ind), {"table": f"site-{other_site.slug}", "export": "csv"})
    assert export.status_code == 404
    # Their dashboard does not offer a comparison: they see one site.
    dashboard = client.get(reverse("outcomes:site-indicator", args=[site.slug, ind.code]))
    assert url(ind) not in dashboard.content.decode()


@pytest.mark.parametrize("role", ["connector", "host_coordinator", "decision_maker", None])
def test_people_without_analytics_are_refused(client, two_sites, make_user, role):
    _, ind = two_sites
    sign_in(client, make_user(role))
    assert client.get(url(ind)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, two_sites):
    _, ind = two_sites
    response = client.get(url(ind))
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_queries_do_not_grow_with_the_number_of_sites(
    client, two_sites, make_user, django_assert_num_queries
):
    geo, ind = two_sites
    sign_in(client, make_user("national_analyst"))
    national = reverse("outcomes:national") + f"?indicator={ind.code}"
    client.get(url(ind))  # warm per-process caches (the default edition)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(ind)).status_code == 200
    with CaptureQueriesContext(connection) as few_national:
        assert client.get(national).status_code == 200
    for n, deciles in enumerate([(5,), (6, 7), (8,), (9, 10)]):
        add_site_in(geo, SiteFactory(name=f"Extra {n}"), deciles)
    with django_assert_num_queries(len(few)):
        page = client.get(url(ind)).content.decode()
    assert page.count('<section aria-labelledby="site-') == 6  # two sites and four more
    with django_assert_num_queries(len(few_national)):
        client.get(national)


def test_the_drill_down_agrees_with_the_site_dashboard(site, other_site, two_sites):
    _, ind = two_sites
    home, other = drilldown.drill(ind, [site, other_site])
    figures = analysis.site_figures(site, ind)
    assert home.target["value"].tolist() == pytest.approx(figures.target["value"].tolist())
    assert home.rest["value"].tolist() == pytest.approx(figures.rest["value"].tolist())
    assert home.areas["area_code"].tolist() == ["E01000001", "E01000002"]
    assert home.areas["decile"].tolist() == [1, 2]
    assert other.latest()["value"] == pytest.approx(42.5)
    assert other.latest_rest()["value"] == pytest.approx(35.0)
    chart = figures.spc.charts.iloc[0]
    assert [s.text for s in home.spc] == [
        s.text for s in mdc.spc_shown(chart["variation_icon"], chart["assurance_icon"])
    ]


def test_batched_areas_match_the_one_site_helpers(site, other_site, two_sites):
    geo, _ = two_sites
    lad = LocalAuthorityDistrict.objects.create(code="E06000999", name="Test district")
    ward = Ward.objects.create(code="E05000999", name="Test ward", lad=lad)
    LSOA.objects.filter(code__in=geo.lsoas[6:8]).update(ward=ward)
    LSOA.objects.filter(code__in=geo.lsoas[8:]).update(lad=lad)
    SiteTargetArea.objects.create(site=other_site, kind="ward", code=ward.code)
    SiteTargetArea.objects.create(site=site, kind="lad", code=lad.code)
    targets = scope.targets_by_site([site, other_site])
    icbs = scope.icb_areas_by_site([site, other_site])
    for s in (site, other_site):
        one = scope.target_lsoas(s) | set(s.target_areas.values_list("code", flat=True))
        assert targets[s.pk] == one
        assert icbs[s.pk] == (scope.icb_codes(s), scope.icb_lsoas(s))
    assert targets[other_site.pk] >= {*geo.lsoas[6:8], ward.code}
    assert targets[site.pk] >= {*geo.lsoas[8:], lad.code}


def test_exports_match_the_tables(client, site, two_sites, make_user):
    _, ind = two_sites
    sign_in(client, make_user("national_analyst"))
    csv = client.get(url(ind), {"table": "sites", "export": "csv"}).content.decode()
    lines = csv.splitlines()
    assert lines[0].startswith("Site,Period,Value,Lower 95%,Upper 95%,Areas,Rest of the ICS")
    home = next(line for line in lines if line.startswith("Home Site"))
    assert home.startswith("Home Site,2024,48.5,") and "Common cause variation" in home
    xlsx = client.get(url(ind), {"table": f"site-{site.slug}", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [sheet.cell(1, c).value for c in (1, 3, 7)] == ["Area code", "IMD decile", "Value (%)"]
    assert [sheet.cell(r, 1).value for r in (2, 3)] == ["E01000001", "E01000002"]
    assert sheet.max_row == 3


def test_national_dashboard_links_its_figures_to_sites_and_areas(
    client, site, two_sites, make_user
):
    _, ind = two_sites
    sign_in(client, make_user("national_analyst"))
    page = client.get(reverse("outcomes:national"), {"indicator": ind.code}).content.decode()
    assert f'href="{url(ind)}"' in page
    assert reverse("outcomes:site-indicator", args=[site.slug, ind.code]) in page
    # The sites table shows each site's SPC icons beside their words.
    table = page[page.index('id="table-sites"') : page.index("</table>")]
    assert str(mdc.variation_icon("common_cause").svg) in table
    assert "Common cause variation: no significant change" in table
    # National staff see more than one site, so each site's dashboard offers the comparison.
    dashboard = client.get(reverse("outcomes:site-indicator", args=[site.slug, ind.code]))
    assert f'href="{url(ind)}#site-{site.slug}"' in dashboard.content.decode()


def test_sites_with_figures_come_before_those_without(site, other_site, data):  # noqa: F811
    """With most sites yet to choose target areas or upload, the sites with something to
    compare lead the national table, each group in name order."""
    _, ind = data  # only the home site has target areas, so figures
    first = SiteFactory(name="Aardvark Site")  # before both by name, with no figures
    sites = sorted([site, other_site, first], key=lambda s: s.name)
    order = [d.site for d in drilldown.drill(ind, sites)]
    assert order[0] == site
    assert order[1:] == [s for s in sites if s != site]
