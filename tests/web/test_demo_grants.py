"""The demo's micro-grants (core20/web/demo/grants.py): a fund open now with its criteria and
community panel, applications from made-up groups at each stage, and what the panel and the
site team then find waiting."""

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.grants.models import Application, Assessment, Fund, OutcomeReport, Payment
from core20.programme.models import ClinicalArea, PlusGroup
from core20.web.dashboard import dashboard_for
from core20.web.demo import grants
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

Status = Application.Status


@pytest.fixture
def loaded(demo_world):
    PlusGroup.objects.create(
        code="ethnic-minorities", name="Ethnic minority communities", position=1
    )
    ClinicalArea.objects.create(
        code="hypertension",
        name="Hypertension case-finding and lipid management",
        group="adult",
    )
    grants.load(demo_world)
    return demo_world


def page(user, url: str) -> int:
    client = Client()
    sign_in(client, user)
    return client.get(url).status_code


def test_the_site_lead_opens_a_fund_with_criteria_and_a_community_panel(loaded):
    fund = Fund.objects.get()
    assert fund == loaded.made["grant_fund"]
    assert fund.site == loaded.site
    assert fund.is_open
    assert fund.created_by == loaded.users["site_lead"]
    assert fund.budget == Decimal("8000.00") and fund.max_award == Decimal("1000.00")
    assert fund.criteria.count() == 3
    assert [m.user for m in fund.panel.all()] == [loaded.users["community_member"]]


def test_applications_at_each_stage(loaded):
    made = loaded.made["grant_applications"]
    assert Application.objects.count() == len(made) == 5
    by_status = {
        status: sorted(k for k, a in made.items() if a.status == status) for status in Status
    }
    assert by_status == {
        Status.AWARDED: ["food", "walk"],
        Status.DECLINED: ["football"],
        Status.SUBMITTED: ["coffee", "shed"],
    }
    for application in Application.objects.all():
        lines = application.budget_lines.all()
        assert sum(line.amount for line in lines) == application.amount_requested
        assert "Demo" in application.group_name and "Demo" in application.contact_name
        assert application.contact_email.endswith("@example.org")

    walk = Application.objects.get(pk=made["walk"].pk)
    assert walk.amount_awarded == Decimal("750.00") and walk.decided_on < loaded.today
    assert [p.amount for p in Payment.objects.filter(application=walk)] == [Decimal("750.00")]
    assert OutcomeReport.objects.get().application == walk
    assert walk.ends_on < loaded.today  # the work is done: its report is in
    assert [c.name for c in walk.communities.all()] == ["Ethnic minority communities"]
    assert walk.clinical_areas.count() == 1

    food = Application.objects.get(pk=made["food"].pk)
    assert food.amount_awarded == Decimal("800.00") < food.amount_requested
    assert not food.payments.exists()

    football = Application.objects.get(pk=made["football"].pk)
    assert football.amount_awarded is None
    assert "health care" in football.decline_reason

    coffee = Application.objects.get(pk=made["coffee"].pk)
    assert coffee.is_individual and not coffee.charity_number
    # The panel scored the three decided ones; two wait for the community member.
    assessed = set(Assessment.objects.values_list("application", flat=True))
    assert assessed == {made[k].pk for k in ("walk", "food", "football")}
    assert not Assessment.objects.filter(has_conflict=True).exists()
    assert not mail.outbox  # the demo emails no one


def test_every_step_is_audited(loaded):
    def count(verb, object_type, **kwargs):
        return AuditEvent.objects.filter(verb=verb, object_type=object_type, **kwargs).count()

    lead = loaded.users["site_lead"]
    assert count(AuditEvent.Verb.CREATE, "grants.Fund", actor_id=lead.pk) == 1
    assert count(AuditEvent.Verb.CREATE, "grants.Criterion", actor_id=lead.pk) == 3
    assert count(AuditEvent.Verb.CREATE, "grants.PanelMember", actor_id=lead.pk) == 1
    # Applicants have no account.
    assert count(AuditEvent.Verb.SUBMIT, "grants.Application", actor_id=None) == 5
    member = loaded.users["community_member"]
    assert count(AuditEvent.Verb.SUBMIT, "grants.Assessment", actor_id=member.pk) == 3
    assert count(AuditEvent.Verb.DECIDE, "grants.Application", actor_id=lead.pk) == 3
    assert count(AuditEvent.Verb.CREATE, "grants.Payment", actor_id=lead.pk) == 1
    assert count(AuditEvent.Verb.SUBMIT, "grants.OutcomeReport", actor_id=None) == 1
    # The individual's name never reaches the permanent log.
    assert not AuditEvent.objects.filter(object_label__contains="Priya").exists()


def test_the_panel_and_the_team_find_work_waiting(loaded):
    def waiting(role):
        return [w.text for w in dashboard_for(loaded.users[role]).waiting]

    assert "2 grant applications to assess" in waiting("community_member")
    for role in ("site_lead", "host_coordinator"):
        assert "2 grant applications to decide" in waiting(role)
        assert "1 awarded grant to pay" in waiting(role)
    assert not any("grant outcome report" in text for text in waiting("site_lead"))
    assert loaded.summary == [
        "Micro-grants: 1 fund open (£8,000.00 budget), 5 applications (2 awarded, 1 declined, "
        "2 waiting for the community panel); £1,550.00 awarded, £750.00 paid, 1 outcome report"
    ]


def test_the_pages_open(loaded):
    fund = loaded.made["grant_fund"]
    made = loaded.made["grant_applications"]
    member, lead = loaded.users["community_member"], loaded.users["site_lead"]
    assert page(member, reverse("grants:panel-home")) == 200
    assert page(member, reverse("grants:assess", args=[made["shed"].pk])) == 200
    assert page(lead, reverse("grants:fund-manage", args=[fund.pk])) == 200
    for application in made.values():
        assert page(lead, reverse("grants:application-detail", args=[application.pk])) == 200
    assert page(lead, reverse("grants:decide", args=[made["shed"].pk])) == 200
    assert page(lead, reverse("grants:payment-create", args=[made["food"].pk])) == 200
    # The public: the fund and each applicant's private status link.
    public = Client()
    assert public.get(reverse("grants:fund-detail", args=[fund.pk])).status_code == 200
    assert public.get(reverse("grants:apply", args=[fund.pk])).status_code == 200
    response = public.get(reverse("grants:status", args=[made["walk"].token]))
    assert response.status_code == 200
    assert "64 people were reached" in response.content.decode()


def test_applications_were_sent_before_they_were_scored_and_decided(loaded):
    made = loaded.made["grant_applications"]
    for application in made.values():
        sent = timezone.localtime(application.submitted_at)
        assert sent.date() < loaded.today
        if application.decided_on:
            assert sent.date() < application.decided_on
        for assessment in Assessment.objects.filter(application=application):
            assert application.submitted_at < assessment.submitted_at
