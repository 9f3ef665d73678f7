"""Fixes from walking the micro-grants journey: the team can email an applicant's private
link again; the emails greet and sign off like the service's others; the application form
shows every mistake at once; the applicant's page shows what they sent; a panel member is
taken on to the next application to assess."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.grants import actions
from core20.grants.models import Application, Assessment
from core20.grants.personal_data import erase_application
from core20.programme.models import PlusGroup
from tests.conftest import client_for, page_html
from tests.grants import helpers

pytestmark = pytest.mark.django_db

AGAIN = "Email the private link again"


# ---- 1. emailing the private link again ----


def test_the_team_emails_the_private_link_again(
    site, make_user, django_capture_on_commit_callbacks
):
    lead = make_user("site_lead", full_name="Lee Lead")
    application = helpers.application(helpers.fund(site))
    detail = reverse("grants:application-detail", args=[application.pk])
    page = page_html(lead, detail)
    assert AGAIN in page
    # The team never sees the link itself.
    assert application.token not in page
    client = client_for(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:status-link-again", args=[application.pk]), follow=True
        )
    assert response.redirect_chain[-1][0] == detail
    html = response.content.decode()
    assert "We have emailed the private link to the application to sam@example.org again" in html
    assert application.token not in html
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    body = mail.outbox[0].body
    assert f"/grants/status/{application.token}/" in body
    assert "sent you the private link to your application" in body
    event = AuditEvent.objects.get(summary="Private link emailed to the applicant again")
    assert event.actor_id == lead.pk and event.object_id == str(application.pk)


def test_the_private_link_is_not_offered_once_the_details_are_erased(
    site, make_user, django_capture_on_commit_callbacks
):
    lead = make_user("site_lead")
    application = helpers.award(helpers.application(helpers.fund(site)), lead)
    erase_application(application=application, by=lead, reason="They asked")
    page = page_html(lead, reverse("grants:application-detail", args=[application.pk]))
    assert AGAIN not in page
    assert "so their private link cannot be sent again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(lead).post(
            reverse("grants:status-link-again", args=[application.pk]), follow=True
        )
    assert "so their private link cannot be sent again" in response.content.decode()
    assert not mail.outbox
    assert not AuditEvent.objects.filter(summary__contains="emailed to the applicant").exists()


def test_panel_members_cannot_send_the_link_or_see_the_offer(site, make_user):
    fund = helpers.fund(site)
    member = make_user("community_member")
    helpers.appoint(fund, member)
    application = helpers.application(fund)
    assert AGAIN not in page_html(
        member, reverse("grants:application-detail", args=[application.pk])
    )
    response = client_for(member).post(reverse("grants:status-link-again", args=[application.pk]))
    assert response.status_code == 403
    assert not mail.outbox


# ---- 2. the emails greet and sign off ----


def test_the_grant_emails_say_hello_and_sign_off(site, make_user):
    fund = helpers.fund(site)
    lead = make_user("site_lead")
    link = "https://connect.example.org/grants/status/x/"
    awarded = helpers.award(helpers.application(fund), lead)
    declined = actions.decide(
        application=helpers.application(fund, title="Chair yoga"),
        awarded=False,
        reason="The fund is for new groups.",
        by=lead,
    )
    actions.email_status_link(awarded, link)
    actions.email_decision(awarded, link)
    actions.email_decision(declined, link)
    for message in mail.outbox:
        assert message.body.startswith("Hello Sam,\n\n"), message.body
        assert message.body.rstrip().endswith("\n\nCore20 Connect"), message.body
        assert link in message.body
    assert "You have been awarded £300.00" in mail.outbox[1].body
    assert "“Chair yoga” was not funded" in mail.outbox[2].body
    assert "The fund is for new groups." in mail.outbox[2].body


# ---- 3. every mistake on the application form at once ----


def test_the_application_form_shows_every_mistake_at_once(client, site):
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
    # The field's own mistake ...
    assert "Enter an email address in the correct format" in html
    # ... and those the fund, the dates and the budget find, in the same round.
    assert "You can ask for up to £400.00 from this fund" in html
    assert "The end date must be on or after the start date" in html
    assert "The budget lines add up to £350.00" in html
    assert not Application.objects.exists()


def test_a_field_with_a_mistake_is_not_reported_twice(client, site):
    fund = helpers.fund(site)
    response = client.post(
        reverse("grants:apply", args=[fund.pk]),
        helpers.application_form(amount_requested="lots", amount_2="a few"),
    )
    html = response.content.decode()
    assert "The amount must be a number in pounds" in html
    assert "Budget line 2 amount must be a number in pounds" in html
    # Not "cannot be blank", nor budget lines that cannot be added up.
    assert "cannot be blank" not in html and "The budget lines add up" not in html
    assert "Budget line 2: enter an amount" not in html


# ---- 4. the applicant's page shows what they sent ----


def test_the_applicant_sees_what_they_sent(site, make_user):
    fund = helpers.fund(site)
    helpers.criteria(fund)
    member = helpers.appoint(fund, make_user("community_member"))
    application = helpers.application(
        fund,
        purpose="Weekly walks with a health check-in for older men.",
        starts_on=timezone.localdate() + timedelta(days=10),
        ends_on=timezone.localdate() + timedelta(days=100),
        places_note="Riverside estate",
        charity_number="1234567",
    )
    group = PlusGroup.objects.create(code="carers-test", name="Unpaid carers test")
    application.communities.add(group)
    Assessment.objects.create(
        application=application, member=member, has_conflict=False, comments="A PANEL SECRET"
    )
    page = client_for(None).get(reverse("grants:status", args=[application.token]))
    html = page.content.decode()
    assert "Weekly walks with a health check-in for older men." in html
    assert "Riverside estate" in html and "Unpaid carers test" in html and "1234567" in html
    assert application.starts_on.strftime("%B %Y") in html
    assert "£300.00" in html and "Leaflets" in html
    assert "A PANEL SECRET" not in html


# ---- 5. on to the next application to assess ----


def _score(member, application, criteria):
    return client_for(member).post(
        reverse("grants:assess", args=[application.pk]),
        {"has_conflict": "no", **{f"score_{c.pk}": "3" for c in criteria}},
        follow=True,
    )


def test_after_scoring_a_panel_member_is_linked_to_the_next_application(site, make_user):
    fund = helpers.fund(site)
    criteria = helpers.criteria(fund)
    member = make_user("community_member")
    helpers.appoint(fund, member)
    now = timezone.now()
    first, second, third = (
        helpers.application(fund, title=title, submitted_at=now + timedelta(minutes=i))
        for i, title in enumerate(("First walk", "Second walk", "Third walk"))
    )
    other_fund = helpers.fund(site, name="Another fund")
    helpers.appoint(other_fund, member)
    helpers.application(other_fund, title="Elsewhere")

    def next_link(html: str) -> str:
        found = re.search(r'<a href="([^"]+)">Next application to assess: ([^<]+)</a>', html)
        assert found, "no link to the next application"
        return f"{found.group(1)} {found.group(2)}"

    detail = "grants:application-detail"
    response = _score(member, second, criteria)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(detail, args=[second.pk])
    assert "Your assessment has been saved." in html
    assert next_link(html) == f"{reverse(detail, args=[third.pk])} Third walk"
    # Then back round to the one before, never one already scored or in another fund.
    html = _score(member, third, criteria).content.decode()
    assert next_link(html) == f"{reverse(detail, args=[first.pk])} First walk"
    # Following the link, they can assess it.
    assert "Assess this application" in page_html(member, reverse(detail, args=[first.pk]))
    html = _score(member, first, criteria).content.decode()
    assert "Next application to assess" not in html
    assert f"You have assessed every application waiting in {fund.name}" in html
    assert f'href="{reverse("grants:panel-home")}">Back to your grant panels' in html
