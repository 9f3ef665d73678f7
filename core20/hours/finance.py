"""Finance exports: a site's approved (and paid) expense claims and its payments to
connectors over a date range, as CSV or XLSX.

A claim is in the range when it was approved in it; a payment when it was paid in it. The
benefits considerations recorded with a payment are never exported: they are for the
connector and their coordinators, not for the finance team.

Amounts are written to the penny: in CSV as text like ``12.50``, in XLSX as numbers with a
``£#,##0.00`` format (openpyxl stores the Decimal's exact value).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from core20.hours.models import ZERO, ExpenseClaim, Payment

HEADER = [
    "Type",
    "Reference",
    "Connector",
    "Description",
    "Date",
    "Period from",
    "Period to",
    "Status",
    "Method",
    "Amount (GBP)",
]
MONEY_FORMAT = '"£"#,##0.00'


@dataclass
class Row:
    kind: str
    reference: str
    connector: str
    description: str
    day: date | None
    period_start: date | None
    period_end: date | None
    status: str
    method: str
    amount: Decimal


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.max, tzinfo=zone),
    )


def export_rows(site, start: date, end: date) -> tuple[list[Row], list[Row]]:
    """(claim rows, payment rows) for the site and range (two queries)."""
    low, high = _day_bounds(start, end)
    claims = (
        ExpenseClaim.objects.filter(
            site=site,
            status__in=[ExpenseClaim.Status.APPROVED, ExpenseClaim.Status.PAID],
            decided_at__range=(low, high),
        )
        .select_related("connector")
        .order_by("decided_at", "pk")
    )
    payments = (
        Payment.objects.filter(site=site, paid_on__range=(start, end))
        .select_related("connector")
        .order_by("paid_on", "pk")
    )
    claim_rows = [
        Row(
            kind="Expense claim",
            reference=f"CLAIM-{c.pk}",
            connector=c.connector.name,
            description=c.title,
            day=timezone.localdate(c.decided_at),
            period_start=None,
            period_end=None,
            status=c.get_status_display(),
            method="",
            amount=c.total,
        )
        for c in claims
    ]
    payment_rows = [
        Row(
            kind="Payment",
            reference=p.reference or f"PAY-{p.pk}",
            connector=p.connector.name,
            description="Payment for a paid role",
            day=p.paid_on,
            period_start=p.period_start,
            period_end=p.period_end,
            status="Paid",
            method=p.get_method_display(),
            amount=p.amount,
        )
        for p in payments
    ]
    return claim_rows, payment_rows


def total(rows: list[Row]) -> Decimal:
    return sum((r.amount for r in rows), ZERO)


def _csv_safe(value: str) -> str:
    """Stop spreadsheet programs reading a cell as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def to_csv(claim_rows: list[Row], payment_rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in [*claim_rows, *payment_rows]:
        writer.writerow(
            [
                row.kind,
                _csv_safe(row.reference),
                _csv_safe(row.connector),
                _csv_safe(row.description),
                _iso(row.day),
                _iso(row.period_start),
                _iso(row.period_end),
                row.status,
                row.method,
                f"{row.amount:.2f}",
            ]
        )
    writer.writerow(["Total", *[""] * 8, f"{total(claim_rows + payment_rows):.2f}"])
    # A byte-order mark so that Excel reads the £ and names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet(workbook: Workbook, title: str, rows: list[Row], *, first: bool) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row.kind,
                row.reference,
                row.connector,
                row.description,
                row.day,
                row.period_start,
                row.period_end,
                row.status,
                row.method,
                row.amount,
            ]
        )
    # openpyxl reads text starting with "=" as a formula: names and descriptions stay text.
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
    sheet.append(["Total", None, None, None, None, None, None, None, None, total(rows)])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=10, max_col=10):
        cell.number_format = MONEY_FORMAT
    for column in (5, 6, 7):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHIJ", (14, 14, 24, 40, 12, 12, 12, 10, 14, 14), strict=True):
        sheet.column_dimensions[letter].width = width


def to_xlsx(claim_rows: list[Row], payment_rows: list[Row]) -> bytes:
    workbook = Workbook()
    _sheet(workbook, "Expense claims", claim_rows, first=True)
    _sheet(workbook, "Payments", payment_rows, first=False)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
