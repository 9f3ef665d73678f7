"""A closed site's expression-of-interest form, in the browser.

The demo has no closed site, so the sweep of every page (test_every_page.py) never sees the
410 "not looking for community connectors" page. This makes one: axe (WCAG 2.2 AA) at 320 px
and 1280 px, no sideways scrolling at 320 px, one h1, and a way on to the sites that do take
expressions of interest."""

import pytest
from playwright.sync_api import expect

from tests.factories import SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOBILE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("route", ["network:interest", "network:interest-sent"])
def test_a_closed_sites_interest_pages_are_accessible_and_point_to_open_sites(
    page, live_server, check, route
):
    from django.urls import reverse

    from core20.programme.models import Site

    closed = SiteFactory(
        name="Closed Valley Integrated Care System", status=Site.Status.CLOSED, published=True
    )
    still_open = SiteFactory(name="Open Hills", status=Site.Status.ACTIVE, published=True)
    assert not closed.takes_expressions_of_interest and still_open.takes_expressions_of_interest

    page.set_viewport_size(MOBILE)
    response = page.goto(f"{live_server.url}{reverse(route, args=[closed.slug])}")
    assert response.status == 410
    check(page)
    assert _overflow(page) <= 0, f"scrolls sideways by {_overflow(page)}px at 320px"

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).to_have_text(
        "Closed Valley Integrated Care System is not looking for community connectors"
    )
    expect(page.locator("main form")).to_have_count(0)  # nothing to fill in
    find_another = page.get_by_role("link", name="Find another site")
    expect(find_another).to_have_attribute("href", reverse("programme:site-list"))

    page.set_viewport_size(DESKTOP)
    check(page)

    # The link leads to the list of sites, where the open one can be found and its form used.
    find_another.click()
    page.wait_for_url(f"{live_server.url}{reverse('programme:site-list')}")
    check(page)
    page.get_by_role("link", name="Open Hills").click()
    page.wait_for_url(f"{live_server.url}{still_open.get_absolute_url()}")
    check(page)
    page.get_by_role("link", name="Become a community connector").click()
    page.wait_for_url(f"{live_server.url}{reverse('network:interest', args=[still_open.slug])}")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Become a community connector")
