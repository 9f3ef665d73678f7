"""The pages: a connector's own space (only their own records), logging hours with the
error summary, claims with receipts, decisions, the site page for coordinators (bounded
queries), payments' benefits considerations, the finance export, and a connector's hours
approved apart from those waiting."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core20.hours import actions
from core20.hours.models import ExpenseClaim, HoursEntry
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = pytest.mark.django_db


def test_a_connector_sees_only_their_own_hours_claims_and_payments(
    client_as, me, bea, people, site
):
    actions.set_time_credits(
        site=site, enabled=True, hours_per_credit=Decimal("2"), by=people["host"]
    )
    helpers.log(me, people["connector"], "3", activity="Health fair stall")
    helpers.log(bea, people["bea_user"], "5", activity="Bea's walking group")
    helpers.draft_claim(me, people["connector"], title="My bus fares", receipt=False)
    helpers.draft_claim(bea, people["bea_user"], title="Bea's taxi", receipt=False)
    helpers.payment(me, people["host"], "80.00")
    helpers.payment(bea, people["host"], "999.99")
    page = client_as("connector").get(reverse("hours:mine")).content.decode()
    assert "Health fair stall" in page and "My bus fares" in page and "£80.00" in page
    assert "Bea" not in page and "£999.99" not in page
    # 3 hours at one credit per 2 hours.
    assert "1.5 (one credit for every 2 hours)" in page


def test_logging_hours_on_the_page(client_as, me):
    client = client_as("connector")
    url = reverse("hours:log-hours")
    response = client.post(url, {"date": "", "hours": "30", "activity": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and page.startswith("<!DOCTYPE html>")
    assert "Enter the date of the volunteering" in page
    assert "Hours must be 24 or fewer" in page
    assert "Enter what the hours were for" in page
    assert "<title>Error: Log your hours" in page
    response = client.post(
        url, {"date": days_ago(1).isoformat(), "hours": "2.5", "activity": "Coffee morning"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("hours:mine")
    entry = HoursEntry.objects.get()
    assert entry.connector == me and entry.hours == Decimal("2.50")
    assert entry.logged_by == me.user and not entry.approved
    page = client.get(reverse("hours:mine")).content.decode()
    assert "2.5 hours on" in page and "Coffee morning" in page and "Not yet" in page


def test_the_day_limit_is_shown_on_the_field(client_as, me, people):
    helpers.log(me, people["connector"], "23")
    response = client_as("connector").post(
        reverse("hours:log-hours"),
        {"date": days_ago(1).isoformat(), "hours": "2", "activity": "More"},
    )
    assert "you can add at most 1 more" in response.content.decode()
    assert HoursEntry.objects.count() == 1


def test_a_claim_from_start_to_submission(client_as, me, media):
    client = client_as("connector")
    response = client.post(reverse("hours:claim-create"), {"title": "Travel in May"})
    claim = ExpenseClaim.objects.get()
    assert response["Location"] == claim.get_absolute_url()
    client.post(
        reverse("hours:item-add", args=[claim.pk]),
        {"date": days_ago(2).isoformat(), "description": "Bus", "amount": "£3.40"},
    )
    client.post(
        reverse("hours:item-add", args=[claim.pk]),
        {"date": days_ago(2).isoformat(), "description": "Tea", "amount": "1.15"},
    )
    # Submitting without a receipt shows the problem on the claim page.
    response = client.post(reverse("hours:claim-submit", args=[claim.pk]))
    assert response.status_code == 200
    assert "Upload at least one receipt" in response.content.decode()
    bad = helpers.upload("receipt.pdf", b"not a pdf at all")
    response = client.post(reverse("hours:receipt-add", args=[claim.pk]), {"file": bad})
    assert "is not a real PDF file" in response.content.decode()
    good = helpers.upload("bus ticket.png", helpers.PNG, "image/png")
    client.post(reverse("hours:receipt-add", args=[claim.pk]), {"file": good})
    response = client.post(reverse("hours:claim-submit", args=[claim.pk]))
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.SUBMITTED and claim.total == Decimal("4.55")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "Submitted" in page and "£4.55" in page and "Submit claim" not in page
    # The receipt comes back as it went in, privately.
    receipt = claim.receipts.get()
    response = client.get(reverse("hours:receipt", args=[claim.pk, receipt.pk]))
    assert response.content == helpers.PNG
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert 'attachment; filename="bus ticket.png"' in response["Content-Disposition"]


def test_another_connectors_claim_and_receipt_are_not_found(client_as, me, bea, people):
    claim = helpers.submitted_claim(bea, people["bea_user"])
    receipt = claim.receipts.get()
    client = client_as("connector")
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert client.get(reverse("hours:receipt", args=[claim.pk, receipt.pk])).status_code == 404
    assert client.post(reverse("hours:claim-submit", args=[claim.pk])).status_code == 404


def test_deciding_on_a_claim(client_as, me, people):
    claim = helpers.submitted_claim(me, people["connector"], "12.00")
    client = client_as("host")
    url = reverse("hours:claim-decide", args=[claim.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert "Enter why the claim is rejected" in response.content.decode()
    client.post(url, {"decision": "reject", "reason": "Please add the bus times"})
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.REJECTED
    page = client_as("connector").get(claim.get_absolute_url()).content.decode()
    assert "Please add the bus times" in page and "Rejected" in page


def test_approving_and_paying_a_claim(client_as, me, people):
    claim = helpers.submitted_claim(me, people["connector"], "12.00")
    client = client_as("lead")
    client.post(reverse("hours:claim-decide", args=[claim.pk]), {"decision": "approve"})
    client.post(reverse("hours:claim-paid", args=[claim.pk]), {"paid_on": days_ago(0)})
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.PAID and claim.decided_by == people["lead"]


def test_a_coordinator_cannot_approve_a_claim_they_prepared(client_as, me, people):
    claim = helpers.submitted_claim(me, people["host"], "12.00")
    client = client_as("host")
    page = client.get(claim.get_absolute_url()).content.decode()
    assert "You prepared this claim for Con Nector, so someone else must approve it" in page
    assert "by Hal Host" in page  # submitted on the connector's behalf
    url = reverse("hours:claim-decide", args=[claim.pk])
    response = client.post(url, {"decision": "approve"})
    page = response.content.decode()
    assert response.status_code == 200 and "nhsuk-error-summary" in page
    assert "someone else must approve it" in page
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.SUBMITTED
    # The site lead sees no such note and approves it.
    lead = client_as("lead")
    assert "You prepared this claim" not in lead.get(claim.get_absolute_url()).content.decode()
    lead.post(url, {"decision": "approve"})
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.APPROVED and claim.decided_by == people["lead"]


def test_the_site_page_lists_waiting_claims_and_hours_in_fixed_queries(
    client_as, site, people, django_assert_max_num_queries
):
    client = client_as("host")
    url = reverse("hours:site", args=[site.slug])

    def add(n):
        for i in range(n):
            c = helpers.connector(site, name=f"Connector {i}-{n}")
            helpers.log(c, people["host"], "1")
            helpers.submitted_claim(c, people["host"], "2.00", title=f"Claim {i}-{n}")
            helpers.payment(c, people["host"], "10.00")

    add(1)
    client.get(url)  # warm caches (sessions, memberships)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Claim ") >= 7
    assert "Approve<span" in page


def test_coordinators_approve_hours_on_the_site_page(client_as, me, site, people):
    entry = helpers.log(me, people["connector"], "2")
    client = client_as("lead")
    response = client.post(reverse("hours:hours-approve", args=[entry.pk]))
    assert response["Location"] == reverse("hours:site", args=[site.slug])
    entry.refresh_from_db()
    assert entry.approved_by == people["lead"]
    # The connector cannot approve their own.
    other = helpers.log(me, people["connector"], "2", day=2)
    response = client_as("connector").post(reverse("hours:hours-approve", args=[other.pk]))
    assert response.status_code == 403


def test_coordinators_log_hours_for_a_connector_at_their_site_only(
    client_as, me, far, site, people
):
    client = client_as("host")
    url = reverse("hours:site-log-hours", args=[site.slug])
    data = {"date": days_ago(1).isoformat(), "hours": "3", "activity": "Outreach"}
    response = client.post(url, {**data, "connector": far.pk})
    assert "Choose a connector from the list" in response.content.decode()
    client.post(url, {**data, "connector": me.pk})
    entry = HoursEntry.objects.get()
    assert entry.connector == me and entry.logged_by == people["host"]
    page = client.get(reverse("hours:site", args=[site.slug])).content.decode()
    assert "(logged by Hal Host)" in page


def test_a_connector_corrects_and_removes_their_hours_until_approved(client_as, me, people):
    entry = helpers.log(me, people["connector"], "2", activity="Coffee mornin")
    client = client_as("connector")
    edit = reverse("hours:hours-edit", args=[entry.pk])
    assert edit in client.get(reverse("hours:mine")).content.decode()
    page = client.get(edit).content.decode()
    assert "<h1>Change your hours</h1>" in page and 'value="Coffee mornin"' in page
    assert 'value="2"' in page and "Remove these hours" in page
    response = client.post(edit, {"date": days_ago(1).isoformat(), "hours": "", "activity": ""})
    page = response.content.decode()
    assert "There is a problem" in page and "Enter what the hours were for" in page
    assert "<title>Error: Change your hours" in page
    response = client.post(
        edit, {"date": days_ago(1).isoformat(), "hours": "2.5", "activity": "Coffee morning"}
    )
    assert response["Location"] == reverse("hours:mine")
    entry.refresh_from_db()
    assert (entry.hours, entry.activity) == (Decimal("2.50"), "Coffee morning")
    response = client.post(reverse("hours:hours-remove", args=[entry.pk]), follow=True)
    assert "Removed: 2.5 hours on" in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_approved_hours_cannot_be_changed_and_others_hours_are_not_found(
    client_as, me, bea, site, people
):
    entry = helpers.log(me, people["connector"], "2")
    actions.approve_hours(entry=entry, by=people["host"])
    client = client_as("connector")
    assert (
        reverse("hours:hours-edit", args=[entry.pk])
        not in client.get(reverse("hours:mine")).content.decode()
    )
    response = client.get(reverse("hours:hours-edit", args=[entry.pk]), follow=True)
    assert "These hours have been approved" in response.content.decode()
    response = client.post(reverse("hours:hours-remove", args=[entry.pk]), follow=True)
    assert "These hours have been approved" in response.content.decode()
    assert HoursEntry.objects.filter(pk=entry.pk).exists()
    beas = helpers.log(bea, people["bea_user"], "1")
    assert client.get(reverse("hours:hours-edit", args=[beas.pk])).status_code == 404
    assert client.post(reverse("hours:hours-remove", args=[beas.pk])).status_code == 404
    # Bea's coordinators may correct them, from the site page, and go back there.
    site_page = client_as("host").get(reverse("hours:site", args=[site.slug])).content.decode()
    assert reverse("hours:hours-edit", args=[beas.pk]) in site_page
    response = client_as("host").post(
        reverse("hours:hours-edit", args=[beas.pk]),
        {"date": days_ago(1).isoformat(), "hours": "1.25", "activity": "Walking group"},
    )
    assert response["Location"] == reverse("hours:site", args=[site.slug])


def test_coordinators_start_a_claim_for_a_connector_at_their_site_only(
    client_as, me, far, site, people
):
    client = client_as("host")
    assert (
        reverse("hours:site-claim-create", args=[site.slug])
        in client.get(reverse("hours:site", args=[site.slug])).content.decode()
    )
    url = reverse("hours:site-claim-create", args=[site.slug])
    response = client.post(url, {"connector": far.pk, "title": "Bus fares"})
    assert "Choose a connector from the list" in response.content.decode()
    response = client.post(url, {"connector": "", "title": ""})
    page = response.content.decode()
    assert "Choose the connector" in page and "Enter what the claim is for" in page
    response = client.post(url, {"connector": me.pk, "title": "Bus fares in March"})
    claim = ExpenseClaim.objects.get()
    assert response["Location"] == claim.get_absolute_url()
    assert (claim.connector, claim.created_by, claim.status) == (
        me,
        people["host"],
        ExpenseClaim.Status.DRAFT,
    )
    # The connector sees the claim started for them.
    assert (
        "Bus fares in March" in client_as("connector").get(reverse("hours:mine")).content.decode()
    )


def test_time_credit_settings_page(client_as, site):
    client = client_as("lead")
    url = reverse("hours:credit-settings", args=[site.slug])
    response = client.post(url, {"enabled": "yes", "hours_per_credit": ""})
    assert "Enter how many hours earn one time credit" in response.content.decode()
    client.post(url, {"enabled": "yes", "hours_per_credit": "2"})
    setting = actions.credit_setting(site)
    assert setting.enabled and setting.hours_per_credit == Decimal("2.00")


def test_benefits_considerations_only_for_the_connector_and_coordinators(
    client_as, me, bea, people, site
):
    client = client_as("host")
    response = client.post(
        reverse("hours:payment-create", args=[site.slug]),
        {
            "connector": me.pk,
            "amount": "£120.50",
            "period_start": days_ago(30).isoformat(),
            "period_end": days_ago(1).isoformat(),
            "paid_on": days_ago(0).isoformat(),
            "method": "bank",
            "reference": "SESS-7",
            "benefits_considerations": "Permitted work: under £183.50 a week",
        },
    )
    assert response.status_code == 302
    payment = me.payments.get()
    assert payment.amount == Decimal("120.50")
    url = reverse("hours:payment-detail", args=[payment.pk])
    for who in ("connector", "host", "lead", "admin"):
        assert "Permitted work: under £183.50" in client_as(who).get(url).content.decode(), who
    for who in ("bea_user", "other_lead", "analyst"):
        assert client_as(who).get(url).status_code == 404, who


def test_your_hours_page_keeps_approved_hours_apart_from_those_waiting(client_as, me, people):
    """A connector's own page says, as their connector home does, how many of their hours a
    coordinator has approved and how many still wait: one "Hours volunteered" total counted
    both without saying so."""
    approved = helpers.log(me, people["connector"], "3", day=5)
    actions.approve_hours(entry=approved, by=people["host"])
    helpers.log(me, people["connector"], "1.5", day=1)
    page = client_as("connector").get(reverse("hours:mine")).content.decode()
    assert "Hours volunteered" not in page
    assert re.search(r"Hours approved by your coordinator</dt>\s*<dd[^>]*>3</dd>", page)
    assert re.search(r"Hours waiting for approval</dt>\s*<dd[^>]*>1.5</dd>", page)
