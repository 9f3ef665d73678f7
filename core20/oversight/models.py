"""Funding, quarterly returns and what national oversight reads from them.

Funding: a ``FundingAllocation`` is money the national programme gives a site for a
financial year (there may be several lines a year, each with its purpose); a
``SpendReport`` is what the site spent in one quarter (one per site per quarter, corrected
in place, every change audited). Variance is worked out from them (core20.oversight.funding).

Quarterly returns: each wave has a ``ReturnTemplate`` of ``ReturnSection``s holding
``ReturnQuestion``s (narrative text or figures; a figure may be prefilled from platform data,
see core20.oversight.prefill). A site writes one ``QuarterlyReturn`` per quarter. It moves
draft → submitted → accepted, or → returned (with comments) → submitted again. Every save
of the answers is kept as a ``ReturnVersion`` (with who and when, and the questions as they
were worded then), every move as a ``ReturnTransition``, and the conversation about it as
``ReturnComment``s. Changes go through core20.oversight.actions, which checks and audits
them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core20.oversight.periods import FIRST_YEAR, LAST_YEAR, quarter_label, year_label
from core20.programme.models import Site, Wave

YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
QUARTER_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]
MAX_AMOUNT = Decimal("9999999999.99")


def _user_fk(related_name: str = "+", **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **kwargs,
    )


# ---- funding ----


class FundingAllocation(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="funding_allocations")
    financial_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
    )
    purpose = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = _user_fk()

    class Meta:
        ordering = ["site", "-financial_year", "pk"]

    def __str__(self) -> str:
        return f"£{self.amount:,.2f} for {self.site} in {year_label(self.financial_year)}"

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)


class SpendReport(models.Model):
    """What a site spent of its programme funding in one quarter."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="spend_reports")
    financial_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(validators=QUARTER_VALIDATORS)
    amount = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )
    notes = models.TextField(blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)
    reported_by = _user_fk()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = _user_fk()

    class Meta:
        ordering = ["site", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "financial_year", "quarter"],
                name="one_spend_report_per_site_quarter",
                violation_error_message="Spend has already been reported for this quarter",
            )
        ]

    def __str__(self) -> str:
        return f"Spend for {self.site} in {quarter_label(self.financial_year, self.quarter)}"

    @property
    def period_label(self) -> str:
        return quarter_label(self.financial_year, self.quarter)


# ---- quarterly return templates ----


class ReturnTemplate(models.Model):
    wave = models.OneToOneField(Wave, on_delete=models.PROTECT, related_name="return_template")
    intro = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()

    class Meta:
        ordering = ["wave__number"]

    def __str__(self) -> str:
        return f"Quarterly return for {self.wave.name}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:template-detail", args=[self.wave_id])


class ReturnSection(models.Model):
    template = models.ForeignKey(ReturnTemplate, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ReturnQuestion(models.Model):
    class Kind(models.TextChoices):
        NARRATIVE = "narrative", "Narrative (written answer)"
        NUMBER = "number", "Figure (a whole number)"
        MONEY = "money", "Figure (an amount in pounds)"

    template = models.ForeignKey(ReturnTemplate, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(ReturnSection, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=60)
    text = models.CharField(max_length=300)
    hint = models.TextField(blank=True)
    column_label = models.CharField(
        max_length=60, blank=True, help_text="A short name for the oversight table's column"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    prefill = models.CharField(max_length=60, blank=True)
    required = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__position", "section_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "key"],
                name="unique_return_question_key",
                violation_error_message="This template already has a question with this key",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_figure(self) -> bool:
        return self.kind != self.Kind.NARRATIVE

    @property
    def short_label(self) -> str:
        return self.column_label or self.text

    def snapshot(self) -> dict:
        """The question as worded now, kept with each version of the answers."""
        return {
            "key": self.key,
            "text": self.text,
            "kind": self.kind,
            "section": self.section.title,
            "required": self.required,
        }


# ---- quarterly returns ----


class QuarterlyReturn(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    # Statuses in which the site may still change its answers.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="quarterly_returns")
    template = models.ForeignKey(ReturnTemplate, on_delete=models.PROTECT, related_name="returns")
    financial_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(validators=QUARTER_VALIDATORS)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    due_on = models.DateField()
    # The current answers ({question key: text, or a figure as a string, or None}); every
    # earlier set is kept in ReturnVersion.
    answers = models.JSONField(default=dict, blank=True)
    # What the platform held when the return was started: {key: value as a string or None}.
    prefilled = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-financial_year", "-quarter", "site__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "financial_year", "quarter"],
                name="one_return_per_site_quarter",
                violation_error_message="This site already has a return for this quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} return for {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("oversight:return-detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return quarter_label(self.financial_year, self.quarter)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def is_overdue(self, on) -> bool:
        """Past its due date and not yet with the national team."""
        return self.status in self.EDITABLE and self.due_on < on


class ReturnVersion(models.Model):
    """One saved set of answers. Version 1 is the prefilled start; each save that changes
    something adds one."""

    qreturn = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    answers = models.JSONField(default=dict)
    questions = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=QuarterlyReturn.Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()
    created_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["qreturn", "number"]
        constraints = [
            models.UniqueConstraint(fields=["qreturn", "number"], name="unique_return_version")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.qreturn}"


class ReturnTransition(models.Model):
    qreturn = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="transitions"
    )
    # Blank for the first transition: the return being started as a draft.
    from_status = models.CharField(
        max_length=20, choices=QuarterlyReturn.Status.choices, blank=True
    )
    to_status = models.CharField(max_length=20, choices=QuarterlyReturn.Status.choices)
    version = models.ForeignKey(
        ReturnVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()
    created_by_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["qreturn", "created_at", "pk"]

    def __str__(self) -> str:
        if not self.from_status:
            return f"Started as {self.get_to_status_display().lower()}"
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReturnComment(models.Model):
    qreturn = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="comments")
    transition = models.ForeignKey(
        ReturnTransition, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()
    created_by_label = models.CharField(max_length=300, blank=True)
    by_national_team = models.BooleanField(default=False)

    class Meta:
        ordering = ["qreturn", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment on {self.qreturn} by {self.created_by_label}"
