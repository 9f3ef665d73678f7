"""Building hours, claims and payments for tests (through the actions, so they are real)."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core20.hours import actions
from core20.network.models import Connector

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def connector(site, *, user=None, name="Bea Connector", status=Connector.Status.ACTIVE, **kw):
    return Connector.objects.create(site=site, user=user, name=name, status=status, **kw)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def upload(name="receipt.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def log(connector, by, hours="2", day=1, activity="Coffee morning"):
    return actions.log_hours(
        connector=connector, date=days_ago(day), hours=Decimal(hours), activity=activity, by=by
    )


def draft_claim(connector, by, *amounts: str, title="Travel in March", receipt=True):
    claim = actions.create_claim(connector=connector, title=title, by=by)
    for i, amount in enumerate(amounts or ("4.50",)):
        actions.add_item(
            claim=claim,
            date=days_ago(3),
            description=f"Bus fare {i + 1}",
            amount=Decimal(amount),
            by=by,
        )
    if receipt:
        actions.add_receipt(claim=claim, upload=upload(), by=by)
    return claim


def submitted_claim(connector, by, *amounts: str, **kw):
    claim = draft_claim(connector, by, *amounts, **kw)
    return actions.submit_claim(claim=claim, by=by)


def approved_claim(connector, by, approver, *amounts: str, **kw):
    claim = submitted_claim(connector, by, *amounts, **kw)
    return actions.approve_claim(claim=claim, by=approver)


def payment(connector, by, amount="150.00", paid=2, **extra):
    data = {
        "amount": Decimal(amount),
        "period_start": days_ago(40),
        "period_end": days_ago(10),
        "paid_on": days_ago(paid),
        "method": "bank",
        "reference": "",
        "benefits_considerations": "",
        **extra,
    }
    return actions.record_payment(connector=connector, data=data, by=by)
