"""Connectors' volunteer hours, time credits, expense claims and payments.

- ``TimeCreditSetting``: whether a site gives time credits for volunteer hours, and how many
  hours earn one credit.
- ``HoursEntry``: hours a connector volunteered on one day (logged by the connector or a
  coordinator), with the credits they earned; a coordinator may approve it (optional, shown).
- ``ExpenseClaim`` with ``ExpenseItem``s and ``Receipt``s: draft → submitted → approved or
  rejected (with a reason) → paid. A receipt's file and name are removed when its retention
  period ends (core20.hours.personal_data); its type, size and ``removed_at`` stay.
- ``Payment``: money paid to a connector in a paid or sessional role, with the benefits
  considerations (for example permitted-work limits) that only coordinators and the connector
  see.

Every amount is a Decimal in pounds and pence. Each record carries its ``site`` (the
connector's site when it was made) so that site-scoped permissions filter with one join-free
query. Changes go through core20.hours.actions, which checks permissions and audits them.
"""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core20.programme.models import Site

ZERO = Decimal("0.00")


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT on disk without a public address: receipts go out through a view that
    checks who is asking."""

    def url(self, name):
        raise ValueError("Receipts have no public URL: serve them through a view.")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return private_storage


def receipt_upload_to(instance, filename: str) -> str:
    return f"hours/receipts/{instance.claim_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class TimeCreditSetting(models.Model):
    """A site's time-credit scheme. No row, or ``enabled`` off, means no credits."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="time_credits")
    enabled = models.BooleanField(default=False)
    hours_per_credit = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        if not self.enabled:
            return f"No time credits at {self.site}"
        return f"One time credit per {self.hours_per_credit.normalize():f} hours at {self.site}"

    @property
    def credits_per_hour(self) -> Decimal:
        return (Decimal(1) / self.hours_per_credit).quantize(Decimal("0.01"))

    def credits_for(self, hours: Decimal) -> Decimal:
        """Credits earned for ``hours``, to two decimal places (0 when credits are off)."""
        if not self.enabled:
            return ZERO
        return (hours / self.hours_per_credit).quantize(Decimal("0.01"))


class HoursEntry(models.Model):
    """Hours a connector volunteered on one day. At most 24 hours per connector per day,
    across all their entries (checked by the actions)."""

    connector = models.ForeignKey(
        "network.Connector", on_delete=models.PROTECT, related_name="hours_entries"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="hours_entries")
    date = models.DateField()
    hours = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    activity = models.CharField("What the hours were for", max_length=300)
    credits = models.DecimalField(max_digits=6, decimal_places=2, default=ZERO)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name_plural = "hours entries"

    def __str__(self) -> str:
        return f"{self.hours.normalize():f} hours on {self.date:%-d %B %Y}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class ExpenseClaim(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        PAID = "paid", "Paid"

    connector = models.ForeignKey(
        "network.Connector", on_delete=models.PROTECT, related_name="expense_claims"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="expense_claims")
    title = models.CharField("What the claim is for", max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Who sent it for approval: the connector, or a coordinator on their behalf.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Expense claim {self.pk}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("hours:claim-detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ExpenseItem(models.Model):
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="items")
    date = models.DateField("Date of the expense")
    description = models.CharField(max_length=200)
    amount = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10000"))],
    )

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.description} (£{self.amount:,.2f})"


RECEIPT_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


class Receipt(models.Model):
    claim = models.ForeignKey(ExpenseClaim, on_delete=models.CASCADE, related_name="receipts")
    # Both emptied when the retention period ends (a file name can name the person).
    file = models.FileField(
        upload_to=receipt_upload_to, storage=get_private_storage, max_length=200
    )
    name = models.CharField(max_length=255)  # the file's own name, for showing and downloading
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # When the file was deleted at the end of its retention period (core20.hours.personal_data).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        if self.removed_at is not None:
            return f"Receipt removed on {timezone.localtime(self.removed_at):%-d %B %Y}"
        return self.name

    @property
    def kind(self) -> str:
        """What sort of file it was: "PDF", "JPEG" or "PNG"."""
        return RECEIPT_TYPES.get(self.content_type, "File")


class Payment(models.Model):
    """A payment to a connector in a paid or sessional role."""

    class Method(models.TextChoices):
        BANK = "bank", "Bank transfer"
        PAYROLL = "payroll", "Payroll"
        VOUCHER = "voucher", "Voucher"
        OTHER = "other", "Other"

    connector = models.ForeignKey(
        "network.Connector", on_delete=models.PROTECT, related_name="payments"
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="connector_payments")
    amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99999999"))],
    )
    period_start = models.DateField("Period from")
    period_end = models.DateField("Period to")
    paid_on = models.DateField("Date paid")
    method = models.CharField(max_length=20, choices=Method.choices)
    reference = models.CharField(max_length=100, blank=True)
    # Seen only by coordinators and the connector: for example permitted-work limits for
    # someone receiving benefits, or a reminder to tell the DWP.
    benefits_considerations = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "-pk"]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} paid on {self.paid_on:%-d %B %Y}"
