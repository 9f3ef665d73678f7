"""Finance exports: approved claims and payments in a date range, per site, as CSV and XLSX,
amounts to the penny, never the benefits considerations, every export audited."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core20.audit.models import AuditEvent
from core20.hours.models import ExpenseClaim
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(me, bea, far, people):
    """At the home site: an approved claim (£12.34 + £0.66), a paid one (£100.01), a
    submitted one and an approved one from long ago (both left out), two payments in range
    and one before it; at the other site an approved claim (left out)."""
    host, lead = people["host"], people["lead"]
    in_range = helpers.approved_claim(me, people["connector"], host, "12.34", "0.66", title="Bus")
    paid = helpers.approved_claim(bea, people["bea_user"], host, "100.01", title="=HYPERLINK(1)")
    from core20.hours import actions

    actions.mark_claim_paid(claim=paid, paid_on=days_ago(0), by=lead)
    helpers.submitted_claim(me, people["connector"], "5.00", title="Waiting")
    old = helpers.approved_claim(me, people["connector"], host, "7.00", title="Old")
    ExpenseClaim.objects.filter(pk=old.pk).update(decided_at=timezone.now() - timedelta(days=90))
    helpers.approved_claim(far, people["admin"], people["other_lead"], "50.00", title="Far away")
    p1 = helpers.payment(
        bea, host, "250.00", paid=3, reference="PAY-A", benefits_considerations="ESA limit"
    )
    helpers.payment(bea, host, "0.10", paid=1, reference="PAY-B")
    helpers.payment(bea, host, "400.00", paid=60, reference="PAY-OLD")
    return {"in_range": in_range, "paid": paid, "payment": p1}


def _export(client, site, fmt, start=7, end=0):
    return client.get(
        reverse("hours:export", args=[site.slug]),
        {"start": days_ago(start).isoformat(), "end": days_ago(end).isoformat(), "format": fmt},
    )


def test_csv_export(client_as, site, books):
    response = _export(client_as("host"), site, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = f"{site.slug}-finance-{days_ago(7):%Y%m%d}-{days_ago(0):%Y%m%d}.csv"
    assert f'filename="{name}"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Type" and rows[0][-1] == "Amount (GBP)"
    body = {(r[0], r[1]): r for r in rows[1:-1]}
    assert set(body) == {
        ("Expense claim", f"CLAIM-{books['in_range'].pk}"),
        ("Expense claim", f"CLAIM-{books['paid'].pk}"),
        ("Payment", "PAY-A"),
        ("Payment", "PAY-B"),
    }
    assert body[("Expense claim", f"CLAIM-{books['in_range'].pk}")][-1] == "13.00"
    paid_row = body[("Expense claim", f"CLAIM-{books['paid'].pk}")]
    assert paid_row[3] == "'=HYPERLINK(1)"  # never read as a formula
    assert paid_row[7] == "Paid"
    assert body[("Payment", "PAY-A")][2] == "Bea Connector"
    # 13.00 + 100.01 + 250.00 + 0.10
    assert rows[-1] == ["Total", "", "", "", "", "", "", "", "", "363.11"]
    assert "ESA limit" not in text and "Far away" not in text


def test_xlsx_export_keeps_amounts_exact(client_as, site, books):
    response = _export(client_as("lead"), site, "xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Expense claims", "Payments"]
    claims = list(workbook["Expense claims"].iter_rows(values_only=True))
    payments = list(workbook["Payments"].iter_rows(values_only=True))
    # Numbers in the sheet, read back exactly as written.
    amounts = [Decimal(str(r[-1])) for r in claims[1:]]
    assert amounts == [Decimal("13.00"), Decimal("100.01"), Decimal("113.01")]
    assert claims[-1][0] == "Total"
    assert workbook["Expense claims"].cell(row=3, column=4).data_type == "s"
    assert claims[2][3] == "=HYPERLINK(1)"
    assert [r[1] for r in payments[1:-1]] == ["PAY-A", "PAY-B"]
    assert Decimal(str(payments[-1][-1])) == Decimal("250.10")
    assert workbook["Payments"].cell(row=2, column=10).number_format == '"£"#,##0.00'
    assert all("ESA" not in str(v) for row in payments for v in row)


def test_each_export_is_audited(client_as, site, books):
    _export(client_as("host"), site, "xlsx")
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.site_id == site.pk and event.actor_label.startswith("Hal Host")
    assert event.changes["format"] == [None, "xlsx"]
    assert event.changes["claims"] == [None, 2] and event.changes["payments"] == [None, 2]


def test_bad_ranges_show_the_form_with_problems(client_as, site):
    response = _export(client_as("host"), site, "csv", start=0, end=5)
    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "The last day must be on or after the first day" in page and "There is a problem" in page
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


def test_another_sites_lead_cannot_export(client_as, site, books):
    assert _export(client_as("other_lead"), site, "csv").status_code == 403
    assert _export(client_as("connector"), site, "csv").status_code == 403
