"""The micro-grant pages over HTTP: the public application (spam checks, errors shown on
the form, the emailed private link), the status page and outcome report, the team's
decision and payment pages with the budget message, the panel's independent scoring, and
fixed query counts on the list pages."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail, signing
from django.urls import reverse

from core20.grants.forms import ApplicationForm
from core20.grants.models import Application, Assessment, OutcomeReport, Payment
from tests.conftest import sign_in
from tests.grants import helpers

pytestmark = pytest.mark.django_db


def _started(seconds_ago: float = 10) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=ApplicationForm.SALT)


def _form(**overrides) -> dict:
    data = {
        "recipient_type": "organisation",
        "group_name": "Riverside Walkers",
        "contact_name": "Sam Contact",
        "contact_email": "sam@example.org",
        "title": "Walk and talk",
        "purpose": "Weekly walks with blood pressure checks.",
        "amount_requested": "£450.50",
        "item_1": "Leaflets",
        "amount_1": "50.50",
        "item_2": "Hall hire",
        "amount_2": "£400",
        "started": _started(),
        "website": "",
    }
    data.update(overrides)
    return data


def test_a_group_applies_without_an_account_and_gets_a_private_link(
    client, site, django_capture_on_commit_callbacks
):
    fund = helpers.fund(site)
    page = client.get(reverse("grants:apply", args=[fund.pk]))
    assert page.status_code == 200 and b"Send application" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        with_mail = client.post(reverse("grants:apply", args=[fund.pk]), _form(), follow=True)
    application = Application.objects.get()
    assert application.amount_requested == Decimal("450.50")
    assert with_mail.redirect_chain[-1][0] == reverse("grants:status", args=[application.token])
    assert b"Submitted" in with_mail.content
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert f"/grants/status/{application.token}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "overrides",
    [{"website": "http://spam.example"}, {"started": "now"}, {"started": "forged"}],
    ids=["honeypot", "too-fast", "forged-timer"],
)
def test_robots_are_turned_away(client, site, overrides):
    if overrides.get("started") == "now":
        overrides = {"started": _started(0)}
    fund = helpers.fund(site)
    response = client.post(reverse("grants:apply", args=[fund.pk]), _form(**overrides))
    assert response.status_code == 200
    assert ApplicationForm.SPAM_MESSAGE.encode() in response.content
    assert not Application.objects.exists() and not mail.outbox


def test_problems_are_shown_on_the_form(client, site):
    fund = helpers.fund(site, max_award="400.00")
    response = client.post(
        reverse("grants:apply", args=[fund.pk]),
        _form(amount_requested="450.50", contact_email="not-an-email", amount_2="3"),
    )
    html = response.content.decode()
    assert "There is a problem" in html and html.count("<h1") == 1
    assert "Enter an email address in the correct format" in html
    assert not Application.objects.exists()
    response = client.post(
        reverse("grants:apply", args=[fund.pk]), _form(amount_requested="400", amount_2="300")
    )
    html = response.content.decode()
    assert "The budget lines add up to £350.50" in html


def test_a_fund_not_open_yet_is_hidden_and_a_closed_one_says_so(client, site):
    closed = helpers.fund(site, opens=-30, closes=-1)
    upcoming = helpers.fund(site, opens=5, closes=30)
    response = client.get(reverse("grants:apply", args=[closed.pk]))
    assert b"is not taking applications" in response.content
    assert client.post(reverse("grants:apply", args=[closed.pk]), _form()).status_code == 200
    assert not Application.objects.exists()
    assert client.get(reverse("grants:fund-detail", args=[upcoming.pk])).status_code == 404
    listing = client.get(reverse("grants:fund-list")).content.decode()
    assert closed.name in listing


def test_status_page_and_outcome_report(client, site, make_user):
    fund = helpers.fund(site)
    application = helpers.application(fund)
    status_url = reverse("grants:status", args=[application.token])
    assert b"Submitted" in client.get(status_url).content
    helpers.award(application, make_user("site_lead"), amount="250.00")
    page = client.get(status_url).content.decode()
    assert "You have been awarded £250.00" in page
    outcome_url = reverse("grants:outcome", args=[application.token])
    bad = client.post(outcome_url, {"what_happened": "", "people_reached": "-1"})
    assert b"Say what happened" in bad.content and b"cannot be negative" in bad.content
    response = client.post(
        outcome_url, {"what_happened": "Twelve walks.", "people_reached": "40"}, follow=True
    )
    assert b"40 people were reached" in response.content
    assert OutcomeReport.objects.get().people_reached == 40
    # A second report is not offered.
    assert client.get(outcome_url).status_code == 302


def test_the_team_decides_within_budget_and_records_payments(
    client, site, make_user, django_capture_on_commit_callbacks
):
    lead = make_user("host_coordinator")
    sign_in(client, lead)
    fund = helpers.fund(site, budget="600.00", max_award="500.00")
    helpers.award(helpers.application(fund, amount="400.00"), lead)
    application = helpers.application(fund, amount="300.00")
    url = reverse("grants:decide", args=[application.pk])
    page = client.get(url).content.decode()
    assert "£200.00 of the £600.00 budget is left to award" in page
    today = helpers.today().isoformat()
    refused = client.post(url, {"decision": "award", "amount": "300", "decided_on": today})
    assert "Only £200.00 of the fund&#x27;s £600.00 budget is left to award" in (
        refused.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "award", "amount": "200", "decided_on": today})
    application.refresh_from_db()
    assert application.status == "awarded" and application.amount_awarded == Decimal("200.00")
    assert "awarded £200.00" in mail.outbox[-1].body
    pay = reverse("grants:payment-create", args=[application.pk])
    client.post(pay, {"amount": "150", "paid_on": today, "reference": "BACS 1"})
    assert Payment.objects.get(application=application).amount == Decimal("150.00")
    manage = client.get(reverse("grants:fund-manage", args=[fund.pk])).content.decode()
    assert "£600.00" in manage and "£150.00" in manage  # budget, and paid
    assert "Left to award" in manage


def test_declining_needs_a_reason(client, site, make_user):
    sign_in(client, make_user("site_lead"))
    application = helpers.application(helpers.fund(site))
    url = reverse("grants:decide", args=[application.pk])
    response = client.post(url, {"decision": "decline", "decided_on": helpers.today().isoformat()})
    assert b"Enter the reason the application was declined" in response.content
    application.refresh_from_db()
    assert application.status == "submitted"


def test_panel_members_score_independently(client, site, make_user):
    fund = helpers.fund(site)
    reach, value = helpers.criteria(fund)
    first, second = make_user("community_member"), make_user("community_member")
    helpers.appoint(fund, first)
    helpers.appoint(fund, second)
    application = helpers.application(fund)
    detail = reverse("grants:application-detail", args=[application.pk])
    sign_in(client, first)
    client.post(
        reverse("grants:assess", args=[application.pk]),
        {
            "has_conflict": "no",
            f"score_{reach.pk}": "4",
            f"score_{value.pk}": "2",
            "comments": "Good",
        },
    )
    assert Assessment.objects.count() == 1
    sign_in(client, second)
    page = client.get(detail).content.decode()
    assert "once you have made your own assessment" in page
    assert "mean total" not in page
    # Panel members never see the applicant's contact details.
    assert "sam@example.org" not in page
    response = client.post(
        reverse("grants:assess", args=[application.pk]),
        {"has_conflict": "no", f"score_{reach.pk}": "9"},
    )
    assert b"Score for Reaches the community must be a whole number from 0 to 5" in response.content
    client.post(
        reverse("grants:assess", args=[application.pk]),
        {"has_conflict": "yes", "conflict_details": "I am in the group"},
    )
    page = client.get(detail).content.decode()
    assert "a mean total of 6.00 out of 10" in page
    assert "1 declared a conflict of interest" in page


def test_list_pages_take_a_fixed_number_of_queries(
    client, site, make_user, django_assert_max_num_queries
):
    lead = make_user("site_lead")
    fund = helpers.fund(site)
    criteria = helpers.criteria(fund)
    members = [make_user("community_member") for _ in range(3)]
    for m in members:
        helpers.appoint(fund, m)
    from core20.grants import actions

    for i in range(6):
        application = helpers.application(fund, amount="10.00", group_name=f"Group {i}")
        for m in members:
            actions.assess(
                application=application,
                has_conflict=False,
                scores={c.pk: 3 for c in criteria},
                by=m,
            )
        if i % 2:
            helpers.award(application, lead)
            Payment.objects.create(application=application, amount="5", paid_on=helpers.today())
    sign_in(client, lead)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("grants:fund-manage", args=[fund.pk]))
    assert response.content.decode().count("Group ") >= 6
    with django_assert_max_num_queries(15):
        client.get(reverse("grants:fund-list"))
    sign_in(client, members[0])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("grants:panel-home")).status_code == 200


def test_a_fund_is_created_through_its_form(client, site, make_user):
    sign_in(client, make_user("site_lead"))
    url = reverse("grants:fund-create", args=[site.slug])
    today = helpers.today()
    bad = client.post(url, {"name": "", "budget": "lots", "max_award": "10"})
    assert b"Enter the name of the fund" in bad.content
    assert b"The budget must be a number in pounds" in bad.content
    response = client.post(
        url,
        {
            "name": "Healthy Hearts",
            "summary": "For heart health.",
            "budget": "£2,000",
            "max_award": "250",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=10)).isoformat(),
        },
    )
    fund = site.grant_funds.get()
    assert response["Location"] == reverse("grants:fund-manage", args=[fund.pk])
    assert fund.budget == Decimal("2000.00")


def test_the_django_admin_is_view_only_without_contact_details(client, site):
    from tests.factories import UserFactory

    application = helpers.application(helpers.fund(site))
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    changelist = client.get("/django-admin/grants/application/")
    assert changelist.status_code == 200
    page = client.get(f"/django-admin/grants/application/{application.pk}/change/")
    assert page.status_code == 200
    assert b"sam@example.org" not in page.content
    assert application.token.encode() not in page.content
    assert client.get("/django-admin/grants/application/add/").status_code == 403
