"""The demo's hours and expenses (core20/web/demo/hours.py): the demo connector's hours and
claims at each stage, made through the actions, and what the demo users see."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core20.audit.models import AuditEvent
from core20.hours.models import ExpenseClaim, HoursEntry, Payment
from core20.web.dashboard import dashboard_for
from core20.web.demo import hours, network
from tests.conftest import client_for

Status = ExpenseClaim.Status


@pytest.fixture
def loaded(demo_world):
    network.load(demo_world)
    hours.load(demo_world)
    return demo_world


def test_the_demo_connector_logged_weeks_of_hours(loaded):
    connie = loaded.made["connector"]
    entries = HoursEntry.objects.filter(connector=connie)
    assert entries.count() >= 8
    assert {e.logged_by for e in entries} == {loaded.users["connector"]}
    dates = sorted(e.date for e in entries)
    assert dates[-1] < loaded.today and (loaded.today - dates[0]).days >= 40
    # Time credits are on: one per hour.
    assert all(e.credits == e.hours for e in entries)
    approved = entries.filter(approved_at__isnull=False)
    assert approved.exists() and approved.count() < entries.count()
    assert {e.approved_by for e in approved} == {loaded.users["host_coordinator"]}
    others = HoursEntry.objects.exclude(connector=connie)
    assert others.exists() and {e.logged_by for e in others} == {loaded.users["host_coordinator"]}
    assert Payment.objects.filter(site=loaded.site).count() == 1


def test_claims_at_each_stage(loaded):
    connie = loaded.made["connector"]
    host = loaded.users["host_coordinator"]
    claims = ExpenseClaim.objects.filter(connector=connie)
    assert sorted(c.status for c in claims) == sorted(
        [Status.PAID, Status.APPROVED, Status.SUBMITTED, Status.DRAFT]
    )
    assert loaded.made["claims"]["submitted"].status == Status.SUBMITTED
    for claim in claims:
        assert claim.total > Decimal(0)
        assert claim.created_by == loaded.users["connector"]
        if claim.status != Status.DRAFT:
            assert claim.submitted_by == loaded.users["connector"]
            assert claim.receipts.count() == 1
        if claim.status in (Status.APPROVED, Status.PAID):
            assert claim.decided_by == host
    paid = claims.get(status=Status.PAID)
    assert paid.paid_by == host and paid.paid_on < loaded.today


def test_receipts_are_real_pdfs(loaded):
    receipt = loaded.made["claims"]["submitted"].receipts.get()
    assert receipt.content_type == "application/pdf"
    with receipt.file.open("rb") as f:
        text = PdfReader(f).pages[0].extract_text()
    assert "RECEIPT" in text and "4.80" in text


def test_the_steps_were_audited(loaded):
    claim = loaded.made["claims"]["paid"]
    events = AuditEvent.objects.filter(object_type="hours.ExpenseClaim", object_id=str(claim.pk))
    verbs = {e.verb for e in events}
    assert {
        AuditEvent.Verb.CREATE,
        AuditEvent.Verb.SUBMIT,
        AuditEvent.Verb.APPROVE,
        AuditEvent.Verb.STATUS,
    } <= verbs
    assert AuditEvent.objects.filter(
        object_type="hours.HoursEntry", verb=AuditEvent.Verb.APPROVE
    ).exists()
    assert AuditEvent.objects.filter(summary="Time credits switched on").exists()


def test_waiting_for_the_coordinator_and_the_connector(loaded):
    host = [w.text for w in dashboard_for(loaded.users["host_coordinator"]).waiting]
    assert "1 expense claim to decide" in host
    assert "1 approved expense claim to pay" in host
    connie = [w.text for w in dashboard_for(loaded.users["connector"]).waiting]
    assert "1 draft expense claim to submit" in connie


def test_the_pages_open(loaded):
    connie = client_for(loaded.users["connector"])
    response = connie.get(reverse("hours:mine"))
    assert response.status_code == 200
    assert "Refreshments for the coffee morning" in response.content.decode()
    host = client_for(loaded.users["host_coordinator"])
    response = host.get(reverse("hours:site", args=[loaded.site.slug]))
    assert response.status_code == 200
    assert "Travel to the health check stall" in response.content.decode()
    for claim in loaded.made["claims"].values():
        assert connie.get(claim.get_absolute_url()).status_code == 200
        assert host.get(claim.get_absolute_url()).status_code == 200
    submitted = loaded.made["claims"]["submitted"]
    receipt = submitted.receipts.get()
    url = reverse("hours:receipt", args=[submitted.pk, receipt.pk])
    response = host.get(url)
    assert response.status_code == 200


def test_hours_and_claims_have_plausible_times(loaded):
    today = loaded.today
    entries = HoursEntry.objects.filter(connector=loaded.made["connector"])
    approved = entries.filter(approved_at__isnull=False)
    assert approved.exists() and entries.filter(approved_at__isnull=True).exists()
    for entry in entries:
        assert timezone.localtime(entry.logged_at).date() == entry.date
    for entry in approved:
        assert entry.date < timezone.localtime(entry.approved_at).date() < today
    claims = {c.status: c for c in ExpenseClaim.objects.filter(connector=loaded.made["connector"])}
    paid = claims[ExpenseClaim.Status.PAID]
    assert paid.created_at <= paid.submitted_at < paid.decided_at
    assert timezone.localtime(paid.decided_at).date() <= paid.paid_on < today
    assert claims[ExpenseClaim.Status.SUBMITTED].decided_at is None
