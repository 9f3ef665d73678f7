"""In Chromium, with axe (WCAG 2.2 AA) on every page: an active connector signs in, goes to
their home, logs hours (a mistake first, shown in the error summary), starts an expense
claim with an item and a receipt and submits it; then their host coordinator sees the
site's page, approves the claim and opens the time-credit, payment and export forms."""

import pytest
from playwright.sync_api import expect

from core20.hours.models import ExpenseClaim, HoursEntry
from tests.browser.conftest import sign_in_browser
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _go(page, check, action) -> None:
    action()
    page.wait_for_load_state("load")
    check(page)


def test_a_connector_logs_hours_and_claims_expenses(
    page, live_server, check, make_user, site, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A busy machine (the whole suite on two cores) can take a while to serve a page.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    person = make_user("connector", full_name="Con Nector")
    host = make_user("host_coordinator", full_name="Hal Host")
    helpers.connector(site, user=person, name="Con Nector")
    receipt = tmp_path / "ticket.png"
    receipt.write_bytes(helpers.PNG)

    sign_in_browser(page, live_server, person.email, check=check)
    check(page)  # where signing in lands
    page.goto(f"{live_server.url}/network/me/")
    check(page)
    expect(page.get_by_role("heading", name="Your hours and expenses")).to_be_visible()
    _go(page, check, lambda: page.get_by_role("link", name="Log your hours").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Log your hours")

    page.get_by_label("Date", exact=True).fill(days_ago(1).isoformat())
    page.get_by_label("Hours", exact=True).fill("30")
    _go(page, check, lambda: page.get_by_role("button", name="Log hours").click())
    expect(page.get_by_role("alert")).to_contain_text("Hours must be 24 or fewer")
    expect(page.get_by_role("alert")).to_contain_text("Enter what the hours were for")
    page.get_by_label("Hours", exact=True).fill("2.5")
    page.get_by_label("What the hours were for").fill("Health fair stall")
    _go(page, check, lambda: page.get_by_role("button", name="Log hours").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Your hours and expenses")
    expect(page.get_by_text("2.5 hours on")).to_be_visible()
    # A mistake in what the hours were for: corrected before a coordinator approves them.
    _go(page, check, lambda: page.get_by_role("link", name="Change").first.click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your hours")
    page.get_by_label("What the hours were for").fill("Health fair stall and leaflets")
    _go(page, check, lambda: page.get_by_role("button", name="Save changes").click())
    expect(page.get_by_text("Health fair stall and leaflets")).to_be_visible()
    expect(page.get_by_role("cell", name="Health fair stall")).to_be_visible()
    assert HoursEntry.objects.get().hours == 2.5

    # An expense claim with one item and a receipt.
    _go(page, check, lambda: page.get_by_role("button", name="Start an expense claim").click())
    page.get_by_label("What the claim is for").fill("Bus fares for the fair")
    _go(page, check, lambda: page.get_by_role("button", name="Start claim").click())
    _go(page, check, lambda: page.get_by_role("link", name="Add an item").click())
    page.get_by_label("Date of the expense").fill(days_ago(1).isoformat())
    page.get_by_label("What you spent money on").fill("Bus, both ways")
    page.get_by_label("Amount (£)").fill("4.60")
    _go(page, check, lambda: page.get_by_role("button", name="Add item").click())
    _go(page, check, lambda: page.get_by_role("link", name="Upload a receipt").click())
    page.get_by_label("Upload a receipt").set_input_files(str(receipt))
    _go(page, check, lambda: page.get_by_role("button", name="Upload receipt").click())
    _go(page, check, lambda: page.get_by_role("button", name="Submit claim").click())
    expect(page.get_by_text("Your claim for £4.60 has been sent")).to_be_visible()
    claim = ExpenseClaim.objects.get()
    assert claim.status == ExpenseClaim.Status.SUBMITTED

    # The host coordinator approves it.
    page.context.clear_cookies()
    sign_in_browser(page, live_server, host.email, check=check)
    check(page)
    page.goto(f"{live_server.url}/hours/sites/{site.slug}/")
    check(page)
    _go(page, check, lambda: page.get_by_role("link", name="Bus fares for the fair").click())
    _go(page, check, lambda: page.get_by_role("button", name="Approve or reject").click())
    _go(page, check, lambda: page.get_by_role("button", name="Save decision").click())
    expect(page.get_by_role("alert")).to_contain_text("Choose whether to approve or reject")
    page.get_by_label("Approve the claim").check()
    _go(page, check, lambda: page.get_by_role("button", name="Save decision").click())
    expect(page.get_by_text("The claim for £4.60 has been approved.")).to_be_visible()
    for path in ("time-credits/", "payments/new/", "export/", "claims/new/"):
        page.goto(f"{live_server.url}/hours/sites/{site.slug}/{path}")
        check(page)
