"""In Chromium, with axe (WCAG 2.2 AA) on every page: the site lead generates a pack,
watches it finish, previews and publishes it; the public opens it, its Urdu version (right
to left), the easy read and the open data."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_as
from tests.datapacks.helpers import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_publishes_a_pack_and_the_public_reads_it_in_urdu(
    page, live_server, check, tiny, site, make_user
):
    lead = make_user("site_lead", full_name="Lee Lead")
    choose(
        site, "E05999991", "E05999992", names={"E05999991": "North Tiny", "E05999992": "South Tiny"}
    )
    base = f"{live_server.url}/data-packs/{site.slug}/"

    signed_in_as(page, live_server, lead)
    page.goto(base)
    check(page)
    page.get_by_role("button", name="Generate a data pack").click()
    page.wait_for_load_state("load")
    check(page)
    page.get_by_label("North Tiny ward (E05999991)").check()
    page.get_by_label("Public contact").fill("connect@example.org")
    page.get_by_role("button", name="Generate data pack").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_test_id("preview-banner")).to_contain_text("Version 1 is not published")
    expect(page.get_by_test_id("places-summary")).to_have_text(
        "About 3,000 people live in this ward."
    )
    page.get_by_role("button", name="Publish version 1").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_text("Version 1 is published")).to_be_visible()
    pack_url = page.url

    # The public.
    page.context.clear_cookies()
    page.goto(pack_url)
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("North Tiny ward, Home Site")
    page.get_by_role("link", name="اردو").click()
    page.wait_for_load_state("load")
    check(page)
    pack = page.get_by_test_id("pack")
    expect(pack).to_have_attribute("dir", "rtl")
    expect(pack).to_have_attribute("lang", "ur")
    expect(pack.get_by_role("heading", name="یہاں کون رہتا ہے")).to_be_visible()
    # Right to left: the section's border sits on the right of the text.
    border = pack.locator("section").first.evaluate("el => getComputedStyle(el).borderRightWidth")
    assert border == "4px"
    page.get_by_role("link", name="Easy read version").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_test_id("easy-read")).to_have_attribute("dir", "rtl")
    page.goto(f"{base}open-data/")
    check(page)
    expect(page.get_by_test_id("schema")).to_contain_text("pack_version")
    expect(page.get_by_test_id("licence")).to_contain_text("Open Government Licence v3.0")
