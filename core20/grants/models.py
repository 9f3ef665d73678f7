"""Micro-grants: small grants a site makes to community groups.

A site's team (GRANT_MANAGE) opens a ``Fund`` with a budget, dates, a maximum award and the
``Criterion``s its community panel scores against, and appoints ``PanelMember``s (people
holding GRANT_SCORE at the site: lived-experience community members). Community groups (or
individuals) apply publicly with no account: an ``Application`` with its ``BudgetLine``s;
its random ``token`` is the applicant's private status link, emailed to them. Each panel
member records an ``Assessment`` (a conflict declaration, and with no conflict a ``Score``
per criterion). The team decides (awarded with an amount, or declined with a reason),
records ``Payment``s, and the group sends an ``OutcomeReport`` through its status link.

Amounts are Decimal pounds to the penny. Changes go through core20.grants.actions.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core20.places.models import Ward
from core20.programme.models import ClinicalArea, PlusGroup, Site

MONEY = {"max_digits": 12, "decimal_places": 2}


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Fund(models.Model):
    """A site's micro-grant fund. Seen by the public from ``opens_on``; takes applications
    from ``opens_on`` to the end of ``closes_on``."""

    CURRENCY = "GBP"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="grant_funds")
    name = models.CharField(max_length=200)
    summary = models.TextField(help_text="Who can apply and what the fund pays for")
    budget = models.DecimalField(**MONEY)
    max_award = models.DecimalField(**MONEY)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:fund-detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = "The closing date must be the same as or after the opening date"
        if self.budget is not None and self.budget <= 0:
            errors["budget"] = "Budget must be more than £0"
        if self.max_award is not None and self.max_award <= 0:
            errors["max_award"] = "Maximum award must be more than £0"
        elif (
            self.max_award is not None and self.budget is not None and self.max_award > self.budget
        ):
            errors["max_award"] = "Maximum award must not be more than the budget"
        if errors:
            raise ValidationError(errors)

    @property
    def currency(self) -> str:
        return self.CURRENCY

    @property
    def is_published(self) -> bool:
        return self.opens_on <= timezone.localdate()

    @property
    def is_open(self) -> bool:
        return self.opens_on <= timezone.localdate() <= self.closes_on

    @property
    def state_label(self) -> str:
        today = timezone.localdate()
        if today < self.opens_on:
            return "Not open yet"
        return "Open" if today <= self.closes_on else "Closed"


class Criterion(models.Model):
    """What the panel scores, from 0 to ``max_score``."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    max_score = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.max_score is not None and not 1 <= self.max_score <= 100:
            raise ValidationError({"max_score": "Maximum score must be between 1 and 100"})


class PanelMember(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_panels"
    )
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "user"],
                name="grants_one_appointment_per_fund",
                violation_error_message="This person is already on the fund's panel",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        AWARDED = "awarded", "Awarded"
        DECLINED = "declined", "Declined"

    class RecipientType(models.TextChoices):
        ORGANISATION = "organisation", "A group or organisation"
        INDIVIDUAL = "individual", "An individual"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    # The applicant's private status link; never shown to anyone else.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    recipient_type = models.CharField(max_length=20, choices=RecipientType.choices)
    group_name = models.CharField(max_length=200)
    charity_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=20, blank=True)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    title = models.CharField(max_length=140)
    purpose = models.TextField()
    communities = models.ManyToManyField(PlusGroup, blank=True, related_name="+")
    wards = models.ManyToManyField(Ward, blank=True, related_name="+")
    places_note = models.CharField(max_length=300, blank=True)
    clinical_areas = models.ManyToManyField(ClinicalArea, blank=True, related_name="+")
    amount_requested = models.DecimalField(**MONEY)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    # The decision.
    amount_awarded = models.DecimalField(**MONEY, null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the applicant's contact details were erased (core20.grants.personal_data).
    erased_at = models.DateTimeField(null=True, blank=True)
    # When the team last emailed the private link again (actions.email_status_link_again,
    # which limits how often).
    link_resent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.group_name}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:application-detail", args=[self.pk])

    @property
    def is_individual(self) -> bool:
        return self.recipient_type == self.RecipientType.INDIVIDUAL

    @property
    def status_tag(self) -> str:
        return {"submitted": "blue", "awarded": "green", "declined": "grey"}[self.status]


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField(default=1)
    item = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.item}: £{self.amount}"


class Assessment(models.Model):
    """One panel member's part in one application: a conflict declaration and, with no
    conflict, their scores (``Score``) and comments. Made once; not changed afterwards."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT, related_name="assessments")
    has_conflict = models.BooleanField()
    conflict_details = models.TextField(blank=True)
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"],
                name="grants_one_assessment_per_member",
                violation_error_message="You have already assessed this application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} on {self.application}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="grants_one_score_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Payment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(**MONEY)
    paid_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]

    def __str__(self) -> str:
        return f"£{self.amount} on {self.paid_on:%-d %B %Y}"


class OutcomeReport(models.Model):
    """What happened, from the group, with the number of people reached (counts only: no
    one is named)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="outcome"
    )
    what_happened = models.TextField()
    people_reached = models.PositiveIntegerField()
    sessions_held = models.PositiveIntegerField(null=True, blank=True)
    learning = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Outcome report for {self.application}"
