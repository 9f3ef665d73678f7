"""Insights and the bridge to decision-makers.

What connectors and coordinators hear (an ``Insight``, with anonymised ``Quote`` evidence
and ``Theme`` tags) is routed (``Routing``) to a site's decision-making organisations and
forums (``DecisionBody``, with named ``Contact`` people). They respond (``Response``), agree
``Action`` items, and the site tells the community what happened (``Feedback``); the site
lead publishes the insight with "what changed" on the public "you said, we did" page.
``CoDesignSession`` records co-design with communities (counts only, never names).

Forums are their own model (``DecisionBody``) rather than ``programme.Organisation`` alone:
one trust may be reached through several forums (its board, a screening programme board), and
each forum belongs to one organisation, whose decision-maker members (accounts.Membership with
role ``decision_maker`` scoped to that organisation) see what is routed to any of its forums.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

MAX_PEOPLE = 100_000


class InsightSettings(models.Model):
    """A site's defaults for the bridge (made on first use with the defaults below)."""

    site = models.OneToOneField(
        "programme.Site", on_delete=models.CASCADE, related_name="insight_settings"
    )
    response_working_days = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Working days a decision-maker has to respond (weekends and England bank "
        "holidays do not count)",
    )
    reminder_working_days = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Working days before the due date when contacts are reminded",
    )

    def __str__(self) -> str:
        return f"Insight settings for {self.site}"


class Theme(models.Model):
    """A managed tag: national themes (no site) for everyone, site themes for one site."""

    name = models.CharField(max_length=100)
    site = models.ForeignKey(
        "programme.Site",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="insight_themes",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(site__isnull=True),
                name="insights_unique_national_theme",
            ),
            models.UniqueConstraint(fields=["site", "name"], name="insights_unique_site_theme"),
        ]

    def __str__(self) -> str:
        return self.name


class DecisionBody(models.Model):
    """A decision-making organisation, or a forum within one, that a site routes insight to."""

    class Kind(models.TextChoices):
        PCN = "pcn", "Primary care network"
        TRUST = "trust", "NHS trust"
        ICB_BOARD = "icb_board", "ICB board or committee"
        SCREENING = "screening", "Screening service"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        OTHER = "other", "Other forum"

    site = models.ForeignKey(
        "programme.Site", on_delete=models.CASCADE, related_name="decision_bodies"
    )
    organisation = models.ForeignKey(
        "programme.Organisation", on_delete=models.PROTECT, related_name="decision_bodies"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "decision bodies"
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="insights_unique_body_name")
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A named person at a decision body, emailed when insight is routed there."""

    body = models.ForeignKey(DecisionBody, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["body", "email"], name="insights_unique_contact")
        ]

    def __str__(self) -> str:
        return self.name


class Insight(models.Model):
    class Kind(models.TextChoices):
        BARRIER = "barrier", "Barrier"
        ENABLER = "enabler", "Enabler"
        IDEA = "idea", "Idea"
        EXPERIENCE = "experience", "Experience"

    # Made by the browser for each submission (the offline form, a double click): the same
    # uuid posted twice stores one insight.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    site = models.ForeignKey("programme.Site", on_delete=models.PROTECT, related_name="insights")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.TextField()
    clinical_areas = models.ManyToManyField(
        "programme.ClinicalArea", blank=True, related_name="insights"
    )
    services = models.CharField(
        max_length=500, blank=True, help_text="Services concerned, for example a GP surgery"
    )
    organisations = models.ManyToManyField(
        "programme.Organisation", blank=True, related_name="insights_concerning"
    )
    communities = models.ManyToManyField("programme.PlusGroup", blank=True, related_name="insights")
    places = models.CharField(max_length=500, blank=True)
    people_count = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEOPLE)]
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="insights")
    source_activity = models.ForeignKey(
        "engagement.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="insights",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(db_index=True)
    # Published on the site's public "you said, we did" page by the site lead.
    public = models.BooleanField(default=False)
    public_title = models.CharField(max_length=200, blank=True)
    what_changed = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Kept without sending to decision-makers (kept as evidence for its themes, or dealt
    # with locally): it no longer waits to be sent. Sending it after all clears this.
    kept_at = models.DateTimeField(null=True, blank=True)
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kept_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["site", "-raised_at", "-id"], name="insights_site_recent"),
            models.Index(
                fields=["site", "-published_at"],
                name="insights_public_recent",
                condition=models.Q(public=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.short_summary}"

    def get_absolute_url(self) -> str:
        return reverse("insights:insight-detail", args=[self.pk])

    @property
    def short_summary(self) -> str:
        text = " ".join(self.summary.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"


class Quote(models.Model):
    """Anonymised evidence. Stored only when the person agreed to their words being recorded;
    shown publicly only when they also agreed to publication."""

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField()
    consent_public = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"Quote on insight {self.insight_id}"


class Routing(models.Model):
    """An insight sent to one decision body, with the date a response is due."""

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="routings")
    body = models.ForeignKey(DecisionBody, on_delete=models.PROTECT, related_name="routings")
    message = models.TextField(blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    routed_at = models.DateTimeField()
    due_on = models.DateField()
    # The address of this service when it was routed, for links in later reminders.
    base_url = models.CharField(max_length=200, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    # Each notice is sent once: the command stamps these when it sends.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-routed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["insight", "body"], name="insights_route_once")
        ]
        indexes = [models.Index(fields=["due_on"], name="insights_routing_due")]

    def __str__(self) -> str:
        return f"{self.insight} → {self.body}"

    def get_absolute_url(self) -> str:
        return reverse("insights:routing-detail", args=[self.pk])

    @property
    def overdue(self) -> bool:
        """No response yet and the due date has passed (the list filter and the dashboard
        count the same in the database: views.insight_list, home.py)."""
        return self.first_response_at is None and self.due_on < timezone.localdate()


class Response(models.Model):
    class Kind(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        ACTION_AGREED = "action_agreed", "Action agreed"
        DECLINED = "declined", "Declined"

    routing = models.ForeignKey(Routing, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField()

    class Meta:
        ordering = ["responded_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    routing = models.ForeignKey(Routing, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who is responsible, by name or role")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(null=True, blank=True)
    # What was done, once it is done (optional).
    outcome = models.TextField(blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 80 else text[:79].rstrip() + "…"

    @property
    def overdue(self) -> bool:
        """Planned or in progress and past its due date (the list's "Action overdue", the
        dashboard and the accountability figures count the same in the database)."""
        return self.status in self.OPEN and self.due_on < timezone.localdate()


class Feedback(models.Model):
    """What the site told the community about an insight, when and how."""

    class Channel(models.TextChoices):
        COMMUNITY_MEETING = "community_meeting", "Community meeting or event"
        CONNECTOR = "connector", "Connector conversations"
        NEWSLETTER = "newsletter", "Newsletter"
        SOCIAL_MEDIA = "social_media", "Social media"
        WEBSITE = "website", "Website"
        OTHER = "other", "Other"

    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="feedback")
    given_on = models.DateField()
    channel = models.CharField(max_length=30, choices=Channel.choices)
    summary = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_on", "id"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.given_on:%-d %B %Y}"


class CoDesignSession(models.Model):
    site = models.ForeignKey(
        "programme.Site", on_delete=models.PROTECT, related_name="codesign_sessions"
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    participants = models.PositiveIntegerField(
        validators=[MaxValueValidator(MAX_PEOPLE)], help_text="How many people took part"
    )
    community_participants = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_PEOPLE)],
        help_text="Of those, how many were members of the community (not staff)",
    )
    decisions = models.TextField()
    insights = models.ManyToManyField(Insight, blank=True, related_name="codesign_sessions")
    actions = models.ManyToManyField(Action, blank=True, related_name="codesign_sessions")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "co-design session"

    def __str__(self) -> str:
        return self.title
