"""Fixes for the application form's error summary (in the page's order, the budget's own
message with the budget), the applicant's status page (contact details only in part, as
anyone holding the link sees it) and the team's "Email the private link again" (at most once
every 10 minutes)."""

import html as htmllib
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.grants.forms import EMAIL_INVALID, ApplicationForm
from core20.grants.models import Application
from core20.grants.personal_data import masked_email, phone_ending
from tests.conftest import client_for, page_html
from tests.grants import helpers

pytestmark = pytest.mark.django_db

AGAIN = "Email the private link again"
SENT_AGAIN = "Private link emailed to the applicant again"


def _summary(html: str) -> list[tuple[str, str]]:
    """The error summary's (link, message) pairs, in order."""
    summary = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html, flags=re.S)
    assert summary, "no error summary"
    return [
        (href, htmllib.unescape(message).strip())
        for href, message in re.findall(
            r'<li><a href="([^"]*)">(.*?)</a></li>', summary.group(0), flags=re.S
        )
    ]


# ---- 1. the error summary in the page's order ----


def test_the_error_summary_lists_mistakes_in_the_order_of_the_page(client, site):
    fund = helpers.fund(site, max_award="400.00")
    start = timezone.localdate() + timedelta(days=30)
    response = client.post(
        reverse("grants:apply", args=[fund.pk]),
        helpers.application_form(
            contact_email="not-an-email",
            amount_requested="450",
            amount_2="300",
            starts_on=start.isoformat(),
            ends_on=(start - timedelta(days=1)).isoformat(),
        ),
    )
    html = response.content.decode()
    # The budget's total comes where the budget is: after the fields above it.
    assert _summary(html) == [
        ("#id_contact_email", EMAIL_INVALID),
        ("#id_amount_requested", "You can ask for up to £400.00 from this fund"),
        ("#id_ends_on", "The end date must be on or after the start date"),
        (
            "#id_item_1",
            "The budget lines add up to £350.00: they must add up to the £450.00 you are "
            "asking for",
        ),
    ]
    # On the page, the budget's message is in the budget's fieldset, before its lines.
    budget = html[html.index("Your budget") :]
    assert budget.index("The budget lines add up to £350.00") < budget.index('id="id_item_1"')
    assert 'aria-describedby="budget-hint budget-error"' in html
    assert not Application.objects.exists()


def test_a_budget_that_does_not_add_up_is_shown_with_the_budget_when_all_else_is_right(
    client, site
):
    # Every field is right, so the mistake is found when the application is saved.
    fund = helpers.fund(site)
    response = client.post(
        reverse("grants:apply", args=[fund.pk]), helpers.application_form(amount_2="300")
    )
    html = response.content.decode()
    assert _summary(html) == [
        (
            "#id_item_1",
            "The budget lines add up to £350.00: they must add up to the £450.00 you are "
            "asking for",
        )
    ]
    assert 'id="budget-error"' in html
    assert not Application.objects.exists()


def test_the_robot_check_message_stays_at_the_top_without_a_link(client, site):
    fund = helpers.fund(site)
    response = client.post(
        reverse("grants:apply", args=[fund.pk]),
        helpers.application_form(website="http://spam.example"),
    )
    html = response.content.decode()
    summary = re.search(r'<ul class="nhsuk-list nhsuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert "<li>" + ApplicationForm.SPAM_MESSAGE in " ".join(summary.group(1).split())
    assert 'id="budget-error"' not in html


# ---- 2. the status page hides the contact details ----


def test_masked_contact_details():
    assert masked_email("sam@example.org") == "s•••@e•••.org"
    assert masked_email("Jo.Bloggs@mail.nhs.uk") == "J•••@m•••.uk"
    assert masked_email("not an address") == "•••"
    assert phone_ending("07700 900123") == "123"
    assert phone_ending("123") == ""


def test_the_status_page_does_not_show_the_contact_details_in_full(site, make_user):
    fund = helpers.fund(site)
    application = helpers.application(
        fund, contact_name="Sam Contact", contact_phone="07700 900123"
    )
    status = client_for(None).get(reverse("grants:status", args=[application.token]))
    html = htmllib.unescape(status.content.decode())
    for detail in ("Sam Contact", "sam@example.org", "07700 900123", "900123"):
        assert detail not in html
    assert "We will email you at the address you gave us (s•••@e•••.org)" in html
    assert (
        "We will contact you at the email address you gave us, s•••@e•••.org, or on the phone "
        "number ending 123."
    ) in html
    # What they need to check their application is still there.
    assert "Riverside Walkers" in html and "Walk and talk group" in html
    # The site's team sees the details in full on their own page.
    lead = make_user("site_lead")
    team = page_html(lead, reverse("grants:application-detail", args=[application.pk]))
    for detail in ("Sam Contact", "sam@example.org", "07700 900123"):
        assert detail in team


# ---- 3. the private link again, at most once every 10 minutes ----


def test_the_private_link_can_be_emailed_again_once_every_ten_minutes(
    site, make_user, django_capture_on_commit_callbacks
):
    lead = make_user("site_lead", full_name="Lee Lead")
    application = helpers.application(helpers.fund(site))
    detail = reverse("grants:application-detail", args=[application.pk])
    again = reverse("grants:status-link-again", args=[application.pk])
    client = client_for(lead)
    # Yesterday: a time still to come today would outlast the session's idle limit and sign
    # the lead out (the test failed when run after midnight).
    yesterday = timezone.localtime() - timedelta(days=1)
    sent_at = yesterday.replace(hour=14, minute=5, second=0, microsecond=0)

    def send_at(moment):
        with (
            mock.patch("django.utils.timezone.now", return_value=moment),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return client.post(again, follow=True)

    response = send_at(sent_at)
    assert "We have emailed the private link" in response.content.decode()
    assert len(mail.outbox) == 1

    # Five minutes later: refused, saying when it can be sent; nothing sent or audited.
    response = send_at(sent_at + timedelta(minutes=5))
    assert response.redirect_chain[-1][0] == detail
    html = htmllib.unescape(response.content.decode())
    waiting = (
        "The private link was emailed to the applicant again at 2:05pm. It can be sent once "
        "every 10 minutes: you can send it again from 2:15pm."
    )
    assert "There is a problem" in html and waiting in html
    assert "We have emailed the private link" not in html
    # The application's page says so instead of offering the button.
    assert AGAIN not in html
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(summary=SENT_AGAIN).count() == 1

    # Ten minutes after the first: sent again, and audited again.
    response = send_at(sent_at + timedelta(minutes=10))
    html = htmllib.unescape(response.content.decode())
    assert "We have emailed the private link to the application to sam@example.org again" in html
    assert len(mail.outbox) == 2
    assert [e.actor_id for e in AuditEvent.objects.filter(summary=SENT_AGAIN)] == [lead.pk] * 2
    application.refresh_from_db()
    assert application.link_resent_at == sent_at + timedelta(minutes=10)


def test_the_button_is_back_once_ten_minutes_have_passed(site, make_user):
    lead = make_user("site_lead")
    application = helpers.application(helpers.fund(site))
    Application.objects.filter(pk=application.pk).update(
        link_resent_at=timezone.now() - timedelta(minutes=10, seconds=1)
    )
    assert AGAIN in page_html(lead, reverse("grants:application-detail", args=[application.pk]))
