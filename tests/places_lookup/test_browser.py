"""The places pages in Chromium with axe (WCAG 2.2 AA): the lookup, a site lead choosing
target areas with the search-as-you-type box, and the places page with its chart, also at
320px wide."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import A11yChecker, sign_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lookup_page(page, live_server, check, tiny):
    page.goto(f"{live_server.url}/places/lookup/")
    check(page)
    page.get_by_label("Postcode or code").fill("zz1 1aa")
    page.get_by_role("button", name="Look up", exact=True).click()
    check(page)
    expect(page.get_by_role("heading", name="Result for “zz1 1aa”")).to_be_visible()
    expect(page.get_by_text("E01999992").first).to_be_visible()
    page.get_by_role("button", name="Look up file").click()
    check(page)
    expect(page.get_by_text("Select a CSV file").first).to_be_visible()


def test_a_site_lead_chooses_areas_and_sees_the_places_page(
    page, live_server, check, tiny, site, make_user
):
    lead = make_user("site_lead")
    sign_in_browser(page, live_server, lead.email, check=check)
    check(page)
    page.goto(f"{live_server.url}/places/sites/{site.slug}/areas/")
    check(page)
    # Search as you type: htmx swaps the results in without a page load.
    page.get_by_label("Search for a ward, district or LSOA").fill("north ti")
    expect(page.get_by_role("cell", name="North Tiny (E05999991, Tinyshire)")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Add North Tiny (E05999991)").click()
    check(page)
    expect(page.get_by_text("North Tiny (E05999991) added to the target areas.")).to_be_visible()
    # A pasted list with a mistake: nothing is added, the line is named.
    page.get_by_label("Paste a list of codes").fill("E01999993\nE0599\n")
    page.get_by_role("button", name="Add areas").click()
    check(page)
    expect(
        page.get_by_role(
            "link", name="Line 2: “E0599” looks like an electoral ward code", exact=False
        )
    ).to_be_visible()
    page.get_by_label("Paste a list of codes").fill("E01999993\n")
    page.get_by_role("button", name="Add areas").click()
    check(page)
    page.goto(f"{live_server.url}/places/sites/{site.slug}/")
    check(page)
    expect(page.locator("#places-summary")).to_contain_text("67% of the 4,500 people")
    chart = page.get_by_role("img", name=f"People in {site.name}'s target areas by IMD 2019 decile")
    expect(chart).to_be_visible()


def test_the_places_page_at_320px(browser, live_server, tiny, site):
    from core20.places.models_targets import SiteTargetArea

    SiteTargetArea.objects.create(site=site, kind="ward", code="E05999991", name="North Tiny")
    SiteTargetArea.objects.create(site=site, kind="lsoa", code="E01999993", name="Tinyshire 002A")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    check = A11yChecker(page)
    for path in [f"/places/sites/{site.slug}/", "/places/lookup/?q=ZZ1+1AA"]:
        page.goto(f"{live_server.url}{path}")
        check(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    context.close()
