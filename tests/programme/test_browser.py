"""Programme journeys in Chromium, with an axe (WCAG 2.2 AA) check of every page visited."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_browser
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_as(page, live_server, user) -> None:
    """Give the browser a session for ``user`` (two-factor already done)."""
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_visitor_filters_the_site_list_by_region(page, live_server, check, reference_data):
    page.goto(f"{live_server.url}/programme/")
    check(page)
    page.get_by_role("link", name="Midlands").click()
    check(page)
    expect(page.get_by_role("heading", name="5 sites match your filters")).to_be_visible()
    page.get_by_label("Wave").select_option(label="Wave 2 (22/23)")
    page.get_by_role("button", name="Apply filters").click()
    check(page)
    expect(page.get_by_role("heading", name="3 sites match your filters")).to_be_visible()
    page.get_by_role("link", name="Leicester, Leicestershire and Rutland ICS").click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Leicester, Leicestershire and Rutland ICS"
    )
    expect(page.get_by_text("Internal notes")).to_have_count(0)


def test_site_lead_fixes_a_mistake_and_saves(page, live_server, check, reference_data, make_user):
    from core20.programme.models import Site

    home = Site.objects.get(slug="somerset")
    lead = make_user("site_lead", scope_site=home)
    sign_in_browser(page, live_server, lead.email, check=check)
    check(page)  # the home page, where signing in lands
    page.goto(f"{live_server.url}{home.get_absolute_url()}")
    check(page)
    page.get_by_role("link", name="Edit site").click()
    check(page)
    page.get_by_label("Contact email address").fill("not an email")
    page.get_by_label("Summary").fill("")
    page.get_by_role("button", name="Save changes").click()
    check(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter a summary of the site's work")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(page).to_have_title("Error: Edit Somerset – Core20 Connect")
    summary.get_by_role("link", name="Enter a summary of the site's work").click()
    expect(page.get_by_label("Summary")).to_be_focused()
    page.get_by_label("Summary").fill("Paid connectors supporting people with COPD in Bridgwater.")
    page.get_by_label("Contact email address").fill("connectors@somerset.example.org")
    page.get_by_role("button", name="Save changes").click()
    check(page)
    expect(page.get_by_text("Your changes to Somerset have been saved.")).to_be_visible()
    expect(page.get_by_text("connectors@somerset.example.org")).to_be_visible()


def test_national_admin_site_form_with_errors_is_accessible(
    page, live_server, check, reference_data, make_user
):
    signed_in_as(page, live_server, make_user("national_admin"))
    page.goto(f"{live_server.url}/programme/sites/new/")
    check(page)
    page.get_by_role("button", name="Add site").click()
    check(page)
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter a site name")
    expect(summary).to_contain_text("Choose at least one NHS region")
    page.goto(f"{live_server.url}/programme/waves/new/")
    check(page)
    page.goto(f"{live_server.url}/programme/organisations/new/")
    check(page)
