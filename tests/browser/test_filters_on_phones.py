"""List pages' filters in Chromium, with axe on every page: on a 375 px phone they start
folded under a summary, so the first result is in view without scrolling past the form; a
connector opens them, filters, and sees the results (and how many filters are applied)
first again. On a wide screen the form is in view as it always was."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in_as
from tests.engagement import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
WIDE = {"width": 1280, "height": 800}


def _in_view(page, locator) -> bool:
    """Whether the top of ``locator`` is on the screen without scrolling."""
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


def _open(page, live_server, user, path: str, viewport: dict) -> None:
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    page.set_viewport_size(viewport)
    signed_in_as(page, live_server, user)
    page.goto(f"{live_server.url}{path}")


def test_on_a_phone_the_first_activity_is_in_view_and_filters_fold(
    page, live_server, check, make_user, site
):
    connie = make_user("connector", full_name="Connie Connector")
    for day in range(1, 13):
        kind = "event" if day == 5 else "outreach"
        helpers.activity(site, connie, date=date(2026, 3, day), kind=kind, people_reached=day)
    _open(page, live_server, connie, "/activities/", PHONE)
    check(page)

    summary = page.get_by_text("Filter activities", exact=True)
    expect(summary).to_be_visible()
    expect(page.get_by_label("Type of activity")).to_be_hidden()
    first_result = page.get_by_test_id("activity-table").get_by_role("link").first
    assert _in_view(page, page.get_by_role("heading", name="12 activities"))
    assert _in_view(page, first_result), "the first activity is below the fold"

    # She opens the filters, chooses a type and applies it.
    summary.click()
    page.get_by_label("Type of activity").select_option(label="Event")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    check(page)
    # Folded again: the result comes first, and the summary says the list is filtered.
    expect(page.get_by_text("Filter activities (1 applied)", exact=True)).to_be_visible()
    expect(page.get_by_label("Type of activity")).to_be_hidden()
    assert _in_view(page, page.get_by_role("heading", name="1 activity matches your filters"))
    assert _in_view(page, page.get_by_role("link", name="5 Mar 2026"))


def test_on_a_phone_filters_with_a_mistake_stay_open(page, live_server, check, make_user, site):
    connie = make_user("connector")
    _open(page, live_server, connie, "/activities/?date_from=31/2/2026", PHONE)
    check(page)
    expect(page.get_by_label("Date from")).to_be_visible()
    page.get_by_role("link", name="Date from must be a real date").click()
    expect(page.get_by_label("Date from")).to_be_focused()


def test_on_a_wide_screen_the_filters_are_in_view(page, live_server, check, make_user, site):
    lead = make_user("site_lead")
    helpers.activity(site, lead)
    _open(page, live_server, lead, "/account/people/", WIDE)
    check(page)
    expect(page.get_by_label("Name or email address")).to_be_visible()
    page.goto(f"{live_server.url}/activities/?kind=outreach")
    check(page)
    expect(page.get_by_text("Filter activities (1 applied)", exact=True)).to_be_visible()
    expect(page.get_by_label("Type of activity")).to_be_visible()
    # A phone turned sideways is wide enough for the filters: narrowing the window folds
    # them, widening it opens them again.
    page.set_viewport_size(PHONE)
    expect(page.get_by_label("Type of activity")).to_be_hidden()
    page.set_viewport_size(WIDE)
    expect(page.get_by_label("Type of activity")).to_be_visible()
