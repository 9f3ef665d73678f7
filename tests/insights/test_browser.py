"""In Chromium, with axe (WCAG 2.2 AA) on every page: a connector records an insight (with
the error summary first), the site lead sends it to a PCN, the PCN's decision-maker signs in,
responds and adds an action, the site lead records feedback and publishes it, and the public
page shows it with the count disclosure-controlled."""

import pytest
from playwright.sync_api import expect

from core20.insights.models import Insight
from tests.browser.conftest import signed_in_as
from tests.insights import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_community_to_you_said_we_did(page, live_server, check, make_user, site, organisation):
    page.set_default_timeout(90_000)  # the shared test machine can be slow
    connector = make_user("connector", full_name="Cara Connector")
    lead = make_user("site_lead", full_name="Lee Lead")
    decider = make_user("decision_maker", full_name="Dee Decider")
    helpers.body(site, lead, organisation=organisation, name="Our PCN", contacts=["cd@example.org"])

    # A connector records an insight; the empty form first shows the error summary.
    signed_in_as(page, live_server, connector)
    page.goto(f"{live_server.url}/insights/sites/{site.slug}/new/")
    check(page)
    page.get_by_role("button", name="Save insight").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the kind of insight")
    page.get_by_label("Barrier", exact=True).check()
    page.get_by_label("What did people say?").fill("The phone line is jammed at 8am.")
    page.get_by_label("How many people raised it?").fill("3")
    page.get_by_label("A quote (optional)").fill("I gave up ringing.")
    page.get_by_label("The person agreed to their words being recorded").check()
    page.get_by_label("They also agreed to their words being published").check()
    page.get_by_role("button", name="Save insight").click()
    check(page)
    expect(page.get_by_text("The insight has been recorded")).to_be_visible()
    insight = Insight.objects.get()

    # The site lead sends it to the PCN.
    signed_in_as(page, live_server, lead)
    page.goto(f"{live_server.url}{insight.get_absolute_url()}")
    check(page)
    page.get_by_role("button", name="Send to decision-makers").click()
    check(page)
    page.get_by_label("Our PCN").check()
    page.get_by_role("button", name="Send", exact=True).click()
    check(page)
    expect(page.get_by_text("Sent to Our PCN")).to_be_visible()

    # The decision-maker signs in, finds it, responds and adds an action.
    signed_in_as(page, live_server, decider)
    page.goto(f"{live_server.url}/insights/")
    check(page)
    page.get_by_role("link", name="Our PCN").click()
    check(page)
    page.get_by_role("button", name="Respond").click()
    check(page)
    page.get_by_label("Action agreed").check()
    page.get_by_label("What you will do, or any other comment").fill("A 10am phone line.")
    page.get_by_role("button", name="Send response").click()
    # Agreeing an action leads straight to adding it.
    expect(page.get_by_role("heading", name="Add the action you agreed")).to_be_visible()
    check(page)
    page.get_by_label("What will be done").fill("Open a 10am phone line")
    page.get_by_label("Who is responsible").fill("Practice manager")
    page.get_by_label("Due date").fill("2027-02-01")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save action").click()
    check(page)
    expect(page.get_by_role("cell", name="Open a 10am phone line")).to_be_visible()

    # The site lead tells the community and publishes it.
    signed_in_as(page, live_server, lead)
    page.goto(f"{live_server.url}{insight.get_absolute_url()}")
    check(page)
    page.get_by_role("link", name="Record feedback to the community").click()
    check(page)
    page.get_by_label("When was the community told?").fill("2026-11-20")
    page.get_by_label("Newsletter").check()
    page.get_by_label("What were they told?").fill("The practice is opening a 10am line.")
    page.get_by_role("button", name="Save feedback").click()
    check(page)
    page.get_by_role("link", name="Change what the public page shows").click()
    check(page)
    page.get_by_label("Show this on the site's public").check()
    page.get_by_role("textbox", name="You said").fill("The phone line is jammed at 8am")
    page.get_by_role("textbox", name="We did").fill("The practice opened a 10am phone line.")
    page.get_by_role("button", name="Save").click()
    check(page)

    # Anyone can read it; the count of 3 people is not shown as 3.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/insights/sites/{site.slug}/you-said-we-did/")
    check(page)
    card = page.locator(".nhsuk-card")
    expect(card).to_contain_text("You said: The phone line is jammed at 8am")
    expect(card).to_contain_text("The practice opened a 10am phone line.")
    expect(card).to_contain_text("raised by fewer than 8 people")
    expect(card).to_contain_text("I gave up ringing.")
