"""Micro-grant actions: who may do what, spend against budget to the penny, budget lines,
independent assessment with conflicts, decisions, payments and outcome reports; every
refusal leaves nothing half-saved and every change is audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core20.audit.models import AuditEvent
from core20.grants import actions
from core20.grants.models import Application, Assessment, Fund, OutcomeReport, Payment
from core20.grants.summary import summarise
from tests.grants import helpers

pytestmark = pytest.mark.django_db

FUND_DATA = {
    "name": "Healthy Hearts grants",
    "summary": "For groups helping people check their blood pressure.",
    "budget": "2500.50",
    "max_award": "750",
    "opens_on": helpers.today(),
    "closes_on": helpers.today() + timedelta(days=30),
}


def _errors(exc) -> dict:
    return exc.value.message_dict


# ---- funds ----


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator", "national_admin"])
def test_the_sites_team_creates_a_fund_to_the_penny(make_user, site, role):
    user = make_user(role)
    fund = actions.create_fund(site=site, data=FUND_DATA, by=user)
    assert fund.budget == Decimal("2500.50") and fund.max_award == Decimal("750.00")
    assert fund.currency == "GBP"
    event = AuditEvent.objects.get(object_type="grants.Fund")
    assert event.verb == "create" and event.site_id == site.pk
    assert event.changes["budget"] == [None, "2500.50"]


@pytest.mark.parametrize("role", ["connector", "community_member", "national_analyst", None])
def test_others_cannot_create_a_fund(make_user, site, role):
    with pytest.raises(PermissionDenied):
        actions.create_fund(site=site, data=FUND_DATA, by=make_user(role))
    assert not Fund.objects.exists()


def test_a_site_lead_cannot_create_a_fund_at_another_site(make_user, other_site):
    with pytest.raises(PermissionDenied):
        actions.create_fund(site=other_site, data=FUND_DATA, by=make_user("site_lead"))


def test_fund_checks_dates_amounts_and_pence(make_user, site):
    data = {
        **FUND_DATA,
        "budget": "100.005",
        "max_award": "0",
        "closes_on": helpers.today() - timedelta(days=1),
    }
    with pytest.raises(ValidationError) as exc:
        actions.create_fund(site=site, data=data, by=make_user("site_lead"))
    errors = _errors(exc)
    assert errors["budget"] == ["Enter an amount in pounds and pence"]
    assert errors["max_award"] == ["Maximum award must be more than £0"]
    assert "closes_on" in errors
    with pytest.raises(ValidationError) as exc:
        actions.create_fund(
            site=site, data={**FUND_DATA, "max_award": "3000"}, by=make_user("site_lead")
        )
    assert _errors(exc)["max_award"] == ["Maximum award must not be more than the budget"]
    assert not Fund.objects.exists() and not AuditEvent.objects.exists()


def test_budget_cannot_drop_below_what_is_awarded(make_user, site):
    lead = make_user("site_lead")
    fund = helpers.fund(site, budget="1000.00")
    helpers.award(helpers.application(fund, amount="400.00"), lead)
    with pytest.raises(ValidationError) as exc:
        actions.update_fund(fund=fund, data={"budget": "399.99"}, by=lead)
    assert _errors(exc)["budget"] == ["Budget cannot be less than the £400.00 already awarded"]
    actions.update_fund(fund=fund, data={"budget": "400", "max_award": "400"}, by=lead)
    fund.refresh_from_db()
    assert fund.budget == Decimal("400.00")
    assert AuditEvent.objects.filter(verb="update").get().changes == {
        "budget": ["1000.00", "400.00"],
        "max_award": ["500.00", "400.00"],
    }


# ---- panel ----


def test_only_people_who_may_score_at_the_site_join_the_panel(make_user, site, other_site):
    lead = make_user("site_lead")
    fund = helpers.fund(site)
    member = make_user("community_member")
    actions.appoint_panel_member(fund=fund, user=member, by=lead)
    elsewhere = make_user("community_member", scope_site=other_site)
    for user, message in [
        (elsewhere, "cannot sit on this panel"),
        (make_user("connector"), "cannot sit on this panel"),
        (member, "already on this panel"),
    ]:
        with pytest.raises(ValidationError) as exc:
            actions.appoint_panel_member(fund=fund, user=user, by=lead)
        assert message in _errors(exc)["email"][0]
    with pytest.raises(PermissionDenied):
        actions.appoint_panel_member(fund=fund, user=member, by=make_user("connector"))
    assert fund.panel.count() == 1


# ---- applications ----


def _apply(fund, **overrides):
    data = {
        "recipient_type": "organisation",
        "group_name": "Riverside Walkers",
        "charity_number": "1234567",
        "company_number": "",
        "contact_name": "Sam",
        "contact_email": "sam@example.org",
        "contact_phone": "",
        "title": "Walk and talk",
        "purpose": "Weekly walks.",
        "places_note": "",
        "amount_requested": "450.50",
        "starts_on": None,
        "ends_on": None,
    }
    lines = overrides.pop(
        "budget_lines",
        [{"item": "Leaflets", "amount": "50.50"}, {"item": "Hall hire", "amount": "400"}],
    )
    data.update(overrides)
    return actions.submit_application(fund=fund, data=data, budget_lines=lines)


def test_a_public_application_is_saved_with_its_budget_and_audited_without_contact_details(site):
    fund = helpers.fund(site)
    application = _apply(fund)
    assert application.amount_requested == Decimal("450.50")
    assert [(line.item, line.amount) for line in application.budget_lines.all()] == [
        ("Leaflets", Decimal("50.50")),
        ("Hall hire", Decimal("400.00")),
    ]
    assert len(application.token) >= 32
    event = AuditEvent.objects.get()
    assert event.verb == "submit" and event.actor_label == "System"
    assert "sam@example.org" not in str(event.changes) + event.object_label


def test_budget_lines_must_add_up_and_the_amount_must_be_within_the_maximum(site):
    fund = helpers.fund(site, max_award="500.00")
    with pytest.raises(ValidationError) as exc:
        _apply(fund, budget_lines=[{"item": "Leaflets", "amount": "50"}])
    assert _errors(exc)["budget"] == [
        "The budget lines add up to £50.00: they must add up to the £450.50 you are asking for"
    ]
    with pytest.raises(ValidationError) as exc:
        _apply(fund, amount_requested="500.01", budget_lines=[{"item": "X", "amount": "500.01"}])
    assert _errors(exc)["amount_requested"] == ["You can ask for up to £500.00 from this fund"]
    with pytest.raises(ValidationError) as exc:
        _apply(fund, budget_lines=[{"item": "", "amount": "450.50"}])
    assert _errors(exc)["budget"] == ["Budget line 1: enter what the money is for"]
    assert not Application.objects.exists() and not AuditEvent.objects.exists()


def test_a_closed_fund_takes_no_applications(site):
    fund = helpers.fund(site, opens=-30, closes=-1)
    with pytest.raises(ValidationError, match="not taking applications"):
        _apply(fund)


def test_an_individual_gives_no_organisation_numbers_and_is_not_named_in_the_log(site):
    fund = helpers.fund(site)
    application = _apply(fund, recipient_type="individual", group_name="Jo Bloggs")
    assert application.charity_number == "" and application.company_number == ""
    event = AuditEvent.objects.get()
    assert "Jo Bloggs" not in event.object_label
    assert event.object_label == f"Grant application {application.pk} (individual)"


# ---- assessment ----


@pytest.fixture
def panel(make_user, site):
    fund = helpers.fund(site)
    criteria = helpers.criteria(fund, ("Reach", 5), ("Value", 10))
    members = [make_user("community_member") for _ in range(3)]
    for m in members:
        helpers.appoint(fund, m)
    return fund, criteria, members


def test_scores_are_summarised_with_mean_and_spread(panel):
    fund, (reach, value), (a, b, c) = panel
    application = helpers.application(fund)
    actions.assess(
        application=application, has_conflict=False, scores={reach.pk: 4, value.pk: 9}, by=a
    )
    actions.assess(
        application=application, has_conflict=False, scores={reach.pk: 1, value.pk: 6}, by=b
    )
    actions.assess(application=application, has_conflict=True, conflict_details="I run it", by=c)
    application = Application.objects.prefetch_related("assessments__scores").get()
    summary = summarise(application, [reach, value])
    # Totals 13 and 7: mean 10, spread 6; the conflicted member does not count.
    assert (summary.total.count, summary.total.mean, summary.total.spread) == (
        2,
        Decimal("10.00"),
        6,
    )
    assert summary.max_total == 15 and summary.conflicts == 1
    (_, reach_figures), (_, value_figures) = summary.criteria
    assert (reach_figures.mean, reach_figures.lowest, reach_figures.highest) == (
        Decimal("2.50"),
        1,
        4,
    )
    assert (value_figures.mean, value_figures.spread) == (Decimal("7.50"), 3)


def test_assessment_rules(panel, make_user):
    fund, (reach, value), (a, b, _) = panel
    application = helpers.application(fund)
    with pytest.raises(ValidationError) as exc:
        actions.assess(application=application, has_conflict=False, scores={reach.pk: 6}, by=a)
    errors = _errors(exc)
    assert errors[f"score_{reach.pk}"] == ["Score for Reach must be a whole number from 0 to 5"]
    assert errors[f"score_{value.pk}"] == ["Enter a score for Value"]
    with pytest.raises(ValidationError) as exc:
        actions.assess(application=application, has_conflict=True, conflict_details=" ", by=a)
    assert _errors(exc)["conflict_details"] == ["Describe your conflict of interest"]
    assert not Assessment.objects.exists()
    actions.assess(
        application=application, has_conflict=False, scores={reach.pk: 5, value.pk: 0}, by=a
    )
    with pytest.raises(ValidationError, match="already assessed"):
        actions.assess(application=application, has_conflict=True, conflict_details="x", by=a)
    # Not appointed, or not a scorer at all.
    with pytest.raises(PermissionDenied):
        actions.assess(
            application=application,
            has_conflict=True,
            conflict_details="x",
            by=make_user("community_member"),
        )
    with pytest.raises(PermissionDenied):
        actions.assess(
            application=application,
            has_conflict=True,
            conflict_details="x",
            by=make_user("site_lead"),
        )
    helpers.award(application, make_user("site_lead"))
    with pytest.raises(ValidationError, match="has been decided"):
        actions.assess(
            application=application, has_conflict=False, scores={reach.pk: 1, value.pk: 1}, by=b
        )


# ---- decisions, spend, payments, outcomes ----


def test_awards_cannot_go_over_the_remaining_budget(make_user, site):
    lead = make_user("host_coordinator")
    fund = helpers.fund(site, budget="1000.00", max_award="500.00")
    helpers.award(helpers.application(fund, amount="500.00"), lead)
    helpers.award(helpers.application(fund, amount="499.99"), lead)
    third = helpers.application(fund, amount="0.02")
    with pytest.raises(ValidationError) as exc:
        helpers.award(third, lead)
    assert _errors(exc)["amount"] == [
        "Only £0.01 of the fund's £1,000.00 budget is left to award: award £0.01 or less, "
        "or increase the budget"
    ]
    third.refresh_from_db()
    assert third.status == "submitted"
    helpers.award(third, lead, amount="0.01")
    spend = actions.spend(fund)
    assert (spend.committed, spend.remaining, spend.paid) == (
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal("0"),
    )


def test_decisions_check_amount_reason_date_and_can_be_made_once(make_user, site):
    lead = make_user("site_lead")
    fund = helpers.fund(site, max_award="500.00")
    application = helpers.application(fund)
    with pytest.raises(ValidationError) as exc:
        actions.decide(application=application, awarded=True, amount="500.01", by=lead)
    assert _errors(exc)["amount"] == [
        "Amount awarded must not be more than the £500.00 maximum award"
    ]
    with pytest.raises(ValidationError) as exc:
        actions.decide(application=application, awarded=False, reason="", by=lead)
    assert _errors(exc)["reason"] == ["Enter the reason the application was declined"]
    with pytest.raises(ValidationError) as exc:
        actions.decide(
            application=application,
            awarded=False,
            reason="Out of area",
            decided_on=helpers.today() + timedelta(days=1),
            by=lead,
        )
    assert "decided_on" in _errors(exc)
    with pytest.raises(PermissionDenied):
        actions.decide(
            application=application, awarded=False, reason="x", by=make_user("community_member")
        )
    actions.decide(application=application, awarded=False, reason="Out of area", by=lead)
    application.refresh_from_db()
    assert application.status == "declined" and application.decline_reason == "Out of area"
    with pytest.raises(ValidationError, match="already been declined"):
        helpers.award(application, lead)
    event = AuditEvent.objects.get(verb="decide")
    assert event.changes == {"status": ["Submitted", "Declined"]}


def test_payments_up_to_the_award(make_user, site):
    lead = make_user("site_lead")
    fund = helpers.fund(site)
    application = helpers.award(helpers.application(fund, amount="300.00"), lead)
    actions.record_payment(
        application=application, amount="200.00", paid_on=helpers.today(), by=lead
    )
    with pytest.raises(ValidationError) as exc:
        actions.record_payment(
            application=application, amount="100.01", paid_on=helpers.today(), by=lead
        )
    assert _errors(exc)["amount"] == [
        "£200.00 of the £300.00 awarded has been paid: pay £100.00 or less"
    ]
    with pytest.raises(ValidationError) as exc:
        actions.record_payment(
            application=application,
            amount="1",
            paid_on=helpers.today() + timedelta(days=1),
            by=lead,
        )
    assert _errors(exc)["paid_on"] == ["The payment date must be today or in the past"]
    with pytest.raises(PermissionDenied):
        actions.record_payment(
            application=application, amount="1", paid_on=helpers.today(), by=make_user("connector")
        )
    actions.record_payment(application=application, amount="100", paid_on=helpers.today(), by=lead)
    spend = actions.spend(fund)
    assert (spend.paid, spend.unpaid) == (Decimal("300.00"), Decimal("0.00"))
    unawarded = helpers.application(fund)
    with pytest.raises(ValidationError, match="only be recorded for awarded"):
        actions.record_payment(application=unawarded, amount="1", paid_on=helpers.today(), by=lead)
    assert Payment.objects.count() == 2


def test_outcome_reports_only_for_awards_and_once(make_user, site):
    fund = helpers.fund(site)
    application = helpers.application(fund)
    data = {
        "what_happened": "Twelve walks.",
        "people_reached": 40,
        "sessions_held": 12,
        "learning": "",
    }
    with pytest.raises(ValidationError, match="for awarded grants"):
        actions.submit_outcome(application=application, data=data)
    helpers.award(application, make_user("site_lead"))
    report = actions.submit_outcome(application=application, data=data)
    assert report.people_reached == 40
    with pytest.raises(ValidationError, match="already sent"):
        actions.submit_outcome(application=application, data=data)
    assert OutcomeReport.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="grants.OutcomeReport", verb="submit").exists()
