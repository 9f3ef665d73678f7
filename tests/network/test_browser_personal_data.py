"""In Chromium, with axe (WCAG 2.2 AA) on every page, on a 320px screen: a host coordinator
opens a connector who has left, tries to erase without confirming, confirms, and lands back
on the closed record."""

import pytest
from playwright.sync_api import expect

from core20.network.models import Connector
from tests.browser.conftest import A11yChecker, signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_host_coordinator_erases_a_connectors_details(page, live_server, make_user, site):
    host = make_user("host_coordinator", full_name="Hal Host")
    leaver = Connector.objects.create(
        site=site, name="Lena Leaver", email="lena@example.org", status=Connector.Status.LEFT
    )
    check = A11yChecker(page)
    page.set_viewport_size({"width": 320, "height": 800})
    page.set_default_timeout(60_000)
    signed_in_as(page, live_server, host)

    page.goto(f"{live_server.url}{leaver.get_absolute_url()}")
    check(page)
    page.get_by_role("link", name="Erase Lena Leaver's personal details").click()
    page.wait_for_load_state("load")
    check(page)
    page.get_by_label("Why are their details being erased?").fill("She asked us to by email")
    page.get_by_role("button", name="Erase their details").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("alert")).to_contain_text("Tick the box to confirm")

    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Erase their details").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Former connector {leaver.pk}")
    expect(page.get_by_text("Their personal details have been erased.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not check.unchecked()


def test_the_national_team_reads_the_retention_page(page, live_server, make_user, site):
    admin = make_user("national_admin", full_name="Ada Admin")
    check = A11yChecker(page)
    page.set_viewport_size({"width": 320, "height": 800})
    signed_in_as(page, live_server, admin)

    page.goto(f"{live_server.url}/audit/")
    check(page)
    page.get_by_role("link", name="Personal data retention").click()
    page.wait_for_load_state("load")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Personal data retention")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
