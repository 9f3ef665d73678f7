"""The micro-grant journey in Chromium, with an axe (WCAG 2.2 AA) check of every page
visited: a community group applies with no account, two community panel members score it
(one after the other, each seeing the other's scores only after their own), the host
coordinator awards it within the budget and records a payment, and the group sends its
outcome report from its private status link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from core20.grants.forms import ApplicationForm
from core20.grants.models import Application, OutcomeReport, Payment
from core20.programme.models import ClinicalArea, PlusGroup
from tests.browser.conftest import signed_in_as
from tests.grants import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_score_award_pay_and_report(page, live_server, check, site, make_user, monkeypatch):
    monkeypatch.setattr(ApplicationForm, "MIN_SECONDS", 0)
    PlusGroup.objects.create(code="older-people", name="Older people", position=1)
    ClinicalArea.objects.create(code="hypertension", name="Hypertension", group="adult")
    fund = helpers.fund(site, name="Healthy Hearts grants", budget="1000.00", max_award="500.00")
    helpers.criteria(fund, ("Reaches the community", 5), ("Good value", 5))
    first = make_user("community_member", full_name="Pat Panel")
    second = make_user("community_member", full_name="Lou Lived-Experience")
    helpers.appoint(fund, first)
    helpers.appoint(fund, second)
    coordinator = make_user("host_coordinator", full_name="Cam Coordinator")

    # ---- the community group, with no account ----
    page.goto(f"{live_server.url}/grants/")
    check(page)
    page.get_by_role("link", name="Healthy Hearts grants").click()
    check(page)
    page.get_by_role("button", name="Apply for a grant").click()
    check(page)
    page.get_by_label("A group or organisation").check()
    page.get_by_label("Name of the group or person applying").fill("Riverside Walkers")
    page.get_by_label("Contact name").fill("Sam Walker")
    page.get_by_label("Contact email address").fill("sam@riverside.example.org")
    page.get_by_label("Project title").fill("Walk and talk")
    page.get_by_label("What will the grant pay for?").fill(
        "Weekly walks with blood pressure checks."
    )
    page.get_by_label("Older people").check()
    page.get_by_label("Hypertension").check()
    page.get_by_label("How much are you asking for?").fill("450")
    page.get_by_label("Budget line 1: what for").fill("Leaflets")
    page.get_by_label("Budget line 1: amount").fill("50")
    # The lines do not add up yet: the error summary says so, and its link goes to the
    # budget, where the message is too.
    page.get_by_role("button", name="Send application").click()
    check(page)
    page.get_by_role("link", name="The budget lines add up to £50.00").click()
    expect(page.get_by_label("Budget line 1: what for")).to_be_focused()
    expect(page.locator("#budget-error")).to_contain_text("The budget lines add up to £50.00")
    page.get_by_label("Budget line 2: what for").fill("Hall hire")
    page.get_by_label("Budget line 2: amount").fill("400")
    page.get_by_role("button", name="Send application").click()
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your application: Walk and talk")
    application = Application.objects.get()
    status_url = page.url
    assert status_url.endswith(f"/grants/status/{application.token}/")
    assert status_url.replace(live_server.url, "") in mail.outbox[0].body

    # ---- the panel, each on their own ----
    for member, scores in ((first, (4, 3)), (second, (2, 5))):
        signed_in_as(page, live_server, member)
        page.goto(f"{live_server.url}/grants/panel/")
        check(page)
        page.get_by_role("link", name="Walk and talk").click()
        check(page)
        expect(page.get_by_text("once you have made your own assessment")).to_be_visible()
        page.get_by_role("button", name="Assess this application").click()
        check(page)
        page.get_by_label("No", exact=True).check()
        page.get_by_label("Score for Reaches the community").fill(str(scores[0]))
        page.get_by_label("Score for Good value").fill(str(scores[1]))
        page.get_by_role("button", name="Send assessment").click()
        check(page)
        expect(page.get_by_text("Your assessment has been saved.")).to_be_visible()
    # Totals 7 and 7.
    expect(page.get_by_text("a mean total of 7.00 out of 10")).to_be_visible()

    # ---- the coordinator decides and pays ----
    signed_in_as(page, live_server, coordinator)
    page.goto(f"{live_server.url}/grants/funds/{fund.pk}/manage/")
    check(page)
    page.get_by_role("link", name="Riverside Walkers: Walk and talk").click()
    check(page)
    page.get_by_role("button", name="Record the decision").click()
    check(page)
    page.get_by_label("Award a grant").check()
    page.get_by_label("Amount awarded").fill("1200")
    page.get_by_role("button", name="Record decision").click()
    check(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("£500.00 maximum award")
    page.get_by_label("Amount awarded").fill("400")
    page.get_by_role("button", name="Record decision").click()
    check(page)
    expect(page.get_by_text("Awarded £400.00")).to_be_visible()
    page.get_by_role("link", name="Record a payment").click()
    check(page)
    page.get_by_label("Amount paid").fill("400")
    page.get_by_role("button", name="Record payment").click()
    check(page)
    expect(page.get_by_text("The payment has been recorded.")).to_be_visible()
    assert Payment.objects.get().amount == 400
    page.goto(f"{live_server.url}/grants/funds/{fund.pk}/manage/")
    check(page)
    expect(page.locator(".nhsuk-summary-list")).to_contain_text(
        re.compile(r"Left to award\s*£600\.00")
    )

    # ---- the group's outcome report, from its private link ----
    page.context.clear_cookies()
    page.goto(status_url)
    check(page)
    expect(page.get_by_text("You have been awarded £400.00")).to_be_visible()
    page.get_by_role("button", name="Send your outcome report").click()
    check(page)
    page.get_by_label("What happened?").fill(
        "Twelve walks; forty people had their blood pressure checked."
    )
    page.get_by_label("How many people took part or were reached?").fill("40")
    page.get_by_role("button", name="Send outcome report").click()
    check(page)
    expect(page.get_by_text("40 people were reached")).to_be_visible()
    assert OutcomeReport.objects.get().people_reached == 40
