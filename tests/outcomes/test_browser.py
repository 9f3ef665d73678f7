"""In Chromium, with axe (WCAG 2.2 AA) on every page: a national analyst uploads indicator
data, the site lead sets an improvement trajectory, and the dashboard shows the figures with
their charts, tables and summaries."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_as
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_trajectory_and_dashboard(page, live_server, check, make_user, site, tmp_path):
    analyst = make_user("national_analyst", full_name="Ana Analyst")
    lead = make_user("site_lead", full_name="Lee Lead")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(helpers.simple_csv([("E01000001", "2024", 12, 10)]))
    good = tmp_path / "screening.csv"
    good.write_bytes(helpers.simple_csv(rows_for(geo)))

    # The analyst uploads: first a file with a mistake (error summary), then a good one.
    signed_in_as(page, live_server, analyst)
    page.goto(f"{live_server.url}/outcomes/data/upload/")
    check(page)
    page.get_by_label("Indicator").select_option(label="Screening coverage")
    page.get_by_label("Whose data is this?").select_option(label="National data (every site)")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    expect(page.get_by_text("bad.csv, row 2, column “numerator”")).to_be_visible()
    page.get_by_label("Indicator").select_option(label="Screening coverage")
    page.get_by_label("Whose data is this?").select_option(label="National data (every site)")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload").click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening coverage, version 1")

    # The site lead sets a trajectory.
    signed_in_as(page, live_server, lead)
    page.goto(f"{live_server.url}/outcomes/sites/{site.slug}/indicators/{ind.code}/trajectory/")
    check(page)
    page.get_by_label("Period").fill("2024")
    page.get_by_label("Aim for the target areas").fill("47")
    page.get_by_role("button", name="Save").click()
    check(page)
    expect(page.get_by_role("cell", name="47")).to_be_visible()

    # The dashboard shows the figures, tables and summaries.
    page.get_by_role("link", name="Back to the dashboard").click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Screening coverage")
    expect(page.locator("#trajectory-summary")).to_contain_text(
        "In 2024 the target areas' value was 48.5% against a trajectory of 47.0%: on track."
    )
    expect(page.locator("#inequality-summary")).to_contain_text("slope index of inequality")
    expect(page.locator("#table-by-quantile")).to_contain_text("50.0")
    assert page.locator("figure svg[role=img]").count() >= 4
    # The Making Data Count icons are drawn beside their words.
    spc = page.locator("#spc")
    expect(
        spc.get_by_role("img", name="Common cause variation: no significant change", exact=True)
    ).to_be_visible()
    hit_and_miss = "The process will sometimes hit and sometimes miss the target"
    expect(spc.get_by_role("img", name=hit_and_miss, exact=True)).to_be_visible()
    expect(
        spc.get_by_text("Variation: Common cause variation: no significant change")
    ).to_be_visible()

    # The analyst goes from the national dashboard to each site, and on to its areas.
    signed_in_as(page, live_server, analyst)
    page.goto(f"{live_server.url}/outcomes/national/?indicator={ind.code}")
    check(page)
    page.get_by_role(
        "link", name="see every site's target areas one by one for Screening coverage"
    ).click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Screening coverage: sites and their areas"
    )
    page.locator("#table-sites").get_by_role("link", name="Home Site", exact=True).click()
    expect(page.locator(f"#site-{site.slug}-summary")).to_contain_text(
        "In 2024 Home Site's target areas had a value of 48.5%"
    )
    expect(page.locator(f"#table-site-{site.slug}")).to_contain_text(geo.targets[0])
