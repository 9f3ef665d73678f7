"""Selecting sites: calls for expressions of interest, applications, and selection panels.

A national admin sets up a ``Call`` for a wave, a draft until they open it, with its
``Question``s (answered in free text) and ``Criterion``s (what the panel scores, from the day
after the call closes). An applicant (any signed-in user) writes an
``Application``: structured details of the area (carried over to the ``Site`` if it is
selected), an ``Answer`` per question and up to five ``Attachment``s. National admins
appoint ``PanelAppointment``s; each panel member makes a ``ConflictDeclaration`` per
application and, with no conflict, submits a ``Review`` of ``Score``s (one per criterion).

Files (the prior information pack, attachments) are stored under MEDIA_ROOT with random
names and are only ever served through the service's own views (``PrivateStorage`` has no
public URL). Changes go through core20.selection.actions, which checks and audits them.
"""

import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core20.places.models import ICB, Region
from core20.programme.models import ClinicalArea, PlusGroup, Site, Wave


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT on disk, without a public address: files are served by views that check
    who is asking (core20.selection.views.files)."""

    def url(self, name):
        raise ValueError("Selection files have no public URL: serve them through a view.")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return private_storage


def _random_name(filename: str) -> str:
    """A random file name that keeps the (already validated) extension."""
    return f"{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def pack_upload_to(instance, filename: str) -> str:
    return f"selection/packs/{_random_name(filename)}"


def attachment_upload_to(instance, filename: str) -> str:
    return f"selection/applications/{instance.application_id}/{_random_name(filename)}"


def word_count(text: str) -> int:
    """Words as people count them: runs of characters between spaces or line breaks."""
    return len((text or "").split())


class Call(models.Model):
    """A call for expressions of interest for one wave. A new call is a draft, seen only by
    the national team, until it is opened (core20.selection.actions.open_call). Once opened,
    it is visible to the public and takes applications from ``opens_on`` to the end of
    ``closes_on`` (UK time); the panel scores from the day after it closes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(max_length=200)
    summary = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField()
    closes_on = models.DateField()
    # A criterion's scores are flagged for moderation when max − min reaches this.
    disagreement_threshold = models.DecimalField(max_digits=4, decimal_places=1, default=2)
    pack = models.FileField(
        upload_to=pack_upload_to, storage=get_private_storage, blank=True, max_length=200
    )
    pack_name = models.CharField(max_length=255, blank=True)
    pack_content_type = models.CharField(max_length=100, blank=True)
    pack_size = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("selection:call-detail", args=[self.pk])

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": "The closing date must be the same as or after the opening date"}
            )

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        """Visible to the public: opened, and its opening date has come."""
        return not self.is_draft and self.opens_on <= timezone.localdate()

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    @property
    def state(self) -> str:
        return self.state_on(timezone.localdate())

    def state_on(self, today: date) -> str:
        """The call's state on a day: draft, upcoming, open (to the end of its closing
        date) or closed. ``state`` is today's."""
        if self.is_draft:
            return "draft"
        if today < self.opens_on:
            return "upcoming"
        return "open" if today <= self.closes_on else "closed"

    @property
    def state_label(self) -> str:
        if self.state == "upcoming":
            return f"Opens on {date_format(self.opens_on, 'j F Y')}"
        return {"draft": "Draft", "open": "Open", "closed": "Closed"}[self.state]

    @property
    def scoring_opens_on(self) -> date:
        """The panel scores once applications can no longer change: the day after closing."""
        return self.closes_on + timedelta(days=1)

    @property
    def is_scoring_open(self) -> bool:
        return self.state == "closed"


class Question(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField(max_length=500)
    guidance = models.TextField(blank=True)
    word_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class Criterion(models.Model):
    """What the panel scores, from 0 to ``max_score``; a member's total is the sum of
    weight × score over the criteria."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=1)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    max_score = models.PositiveSmallIntegerField(default=5)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.weight is not None and self.weight <= 0:
            errors["weight"] = "Weight must be more than 0"
        if self.max_score is not None and not 1 <= self.max_score <= 100:
            errors["max_score"] = "Maximum score must be between 1 and 100"
        if errors:
            raise ValidationError(errors)


class Application(models.Model):
    """An expression of interest: one per applicant per call."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        UNDER_REVIEW = "under_review", "Under review"
        SELECTED = "selected", "Selected"
        ASSOCIATE = "associate", "Associate site"
        NOT_SELECTED = "not_selected", "Not selected"

    DECISIONS = (Status.SELECTED, Status.ASSOCIATE, Status.NOT_SELECTED)
    # Statuses the panel works on (submitted and not yet decided).
    IN_REVIEW = (Status.SUBMITTED, Status.UNDER_REVIEW)

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="selection_applications"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # About the area: carried over to the Site when the application is selected.
    organisation_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Site.Kind.choices, blank=True)
    ics_name = models.CharField(max_length=200, blank=True)
    place = models.CharField(max_length=200, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="+")
    icbs = models.ManyToManyField(ICB, blank=True, related_name="+")
    summary = models.TextField(blank=True)
    focus_areas = models.ManyToManyField(ClinicalArea, blank=True, related_name="+")
    communities = models.ManyToManyField(PlusGroup, blank=True, related_name="+")
    communities_note = models.TextField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The decision and its letter.
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_letter = models.TextField(blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="selection_applications",
    )
    # Set when the contact's details were erased (core20.selection.personal_data).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                name="one_application_per_applicant_per_call",
                violation_error_message="You have already started an application for this call",
            )
        ]

    def __str__(self) -> str:
        return self.area_name or f"Application {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("selection:application-detail", args=[self.pk])

    @property
    def area_name(self) -> str:
        """The ICS or place the application is for, as a site would be named."""
        if self.ics_name and self.place:
            return f"{self.ics_name}, {self.place}"
        return self.ics_name or self.place

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECISIONS

    @property
    def status_tag(self) -> str:
        """The NHS tag colour for the status."""
        return {
            self.Status.DRAFT: "grey",
            self.Status.SUBMITTED: "blue",
            self.Status.UNDER_REVIEW: "yellow",
            self.Status.SELECTED: "green",
            self.Status.ASSOCIATE: "aqua-green",
            self.Status.NOT_SELECTED: "red",
        }[self.status]


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__position", "question__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question}"

    @property
    def words(self) -> int:
        return word_count(self.text)


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        upload_to=attachment_upload_to, storage=get_private_storage, max_length=200
    )
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class PanelAppointment(models.Model):
    """A panel member appointed to a call, and the experience they bring to it."""

    class MemberType(models.TextChoices):
        VCSE = "vcse", "VCSE organisation"
        LIVED_EXPERIENCE = "lived_experience", "Lived experience of healthcare inequalities"
        NHS = "nhs", "NHS"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="appointments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_appointments"
    )
    member_type = models.CharField(max_length=20, choices=MemberType.choices)
    appointed_at = models.DateTimeField(auto_now_add=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"],
                name="one_appointment_per_call",
                violation_error_message="This person is already on the panel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_member_type_display()})"

    @property
    def experience(self) -> str:
        """What the member brings, to follow "for your": "for your NHS experience"."""
        return {
            self.MemberType.VCSE: "experience in a VCSE organisation",
            self.MemberType.LIVED_EXPERIENCE: "lived experience of healthcare inequalities",
            self.MemberType.NHS: "NHS experience",
        }[self.member_type]


class ConflictDeclaration(models.Model):
    """A panel member's answer to "do you have a conflict of interest?" for one application.
    With a conflict, they may not score it."""

    appointment = models.ForeignKey(
        PanelAppointment, on_delete=models.CASCADE, related_name="declarations"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "application"], name="one_declaration_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment.user}: {'conflict' if self.has_conflict else 'no conflict'}"


class Review(models.Model):
    """One panel member's submitted scores for one application. Final once submitted."""

    appointment = models.ForeignKey(
        PanelAppointment, on_delete=models.PROTECT, related_name="reviews"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["appointment__user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "application"], name="one_review_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment.user}'s scores for {self.application}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
