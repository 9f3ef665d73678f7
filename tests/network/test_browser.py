"""In Chromium, with axe (WCAG 2.2 AA) on every page: someone expresses interest on the
public form; the host coordinator finds them in the inbox, records their checks and training,
makes them active and invites them; the connector chooses a password from the invitation
link, signs in and sees their home."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from core20.network.forms import InterestForm
from core20.network.models import Connector
from tests.browser.conftest import signed_in_as
from tests.network.conftest import complete_requirements

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "a long and unusual passphrase 42"


def _go(page, check, click) -> None:
    click()
    page.wait_for_load_state("load")
    check(page)


def test_from_expression_of_interest_to_the_connectors_home(
    page, live_server, check, make_user, site, monkeypatch
):
    monkeypatch.setattr(InterestForm, "MIN_SECONDS", 0)
    host = make_user("host_coordinator", full_name="Hal Host")
    page.set_viewport_size({"width": 360, "height": 800})
    # Generous limits: the shared test machine can be slow under load.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(120_000)

    # The public form: a mistake first, then sent.
    page.goto(f"{live_server.url}/network/sites/{site.slug}/interest/")
    check(page)
    _go(page, check, page.get_by_role("button", name="Send").click)
    expect(page.get_by_role("alert")).to_contain_text("Enter your full name")
    page.get_by_label("Full name").fill("Priya Shah")
    page.get_by_label("Email address").fill("priya@example.org")
    page.get_by_label("Why would you like to be a connector?").fill("I already help neighbours.")
    _go(page, check, page.get_by_role("button", name="Send").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your details")
    priya = Connector.objects.get(email="priya@example.org")

    # The host coordinator's inbox and the person's record.
    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in_as(page, live_server, host)
    page.goto(f"{live_server.url}/network/sites/{site.slug}/?stage=interested")
    check(page)
    _go(page, check, page.get_by_role("link", name="Priya Shah").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Shah")

    # A DBS check and the induction through the pages; the rest recorded directly.
    _go(page, check, page.get_by_role("link", name="Update DBS check").click)
    page.get_by_label("Clear", exact=True).check()
    page.get_by_label("Date completed").fill("2025-06-01")
    _go(page, check, page.get_by_role("button", name="Save check").click)
    _go(page, check, page.get_by_role("button", name="Record training").click)
    page.get_by_label("Connector induction").check()
    page.get_by_label("Date completed").fill("2025-06-02")
    _go(page, check, page.get_by_role("button", name="Record training").click)
    expect(page.get_by_text("Connector induction has been recorded")).to_be_visible()
    complete_requirements(priya, host)

    _go(page, check, page.get_by_role("button", name="Change stage").click)
    page.get_by_label("Active", exact=True).check()
    _go(page, check, page.get_by_role("button", name="Change stage").click)
    expect(page.get_by_text("Priya Shah is now at “Active”")).to_be_visible()

    _go(page, check, page.get_by_role("button", name="Invite to sign in").click)
    _go(page, check, page.get_by_role("button", name="Send invitation").click)
    expect(page.get_by_text("We have emailed Priya Shah a link to choose")).to_be_visible()

    # The connector follows the invitation link, chooses a password and signs in.
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[-1].body).group(0)
    page.context.clear_cookies()
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, link))
    check(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    _go(page, check, page.get_by_role("button", name="Save new password").click)
    page.goto(f"{live_server.url}/account/sign-in/?next=/network/me/")
    check(page)
    page.get_by_label("Email address").fill("priya@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    _go(page, check, page.get_by_role("button", name="Sign in").click)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your connector home")
    expect(page.locator("main")).to_contain_text("Data protection and confidentiality: renew by")
