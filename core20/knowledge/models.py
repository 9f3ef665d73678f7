"""The knowledge hub and the stakeholder mailing list.

``Resource``: a learning report, webinar, co-design report or other resource, tagged by
clinical area, with an optional link (http or https only) and an optional file (PDF, Word or
OpenDocument text, up to 10 MB, checked by extension and content: core20.knowledge.files).
Files are stored without a public address and served by the hub's own view. Only webinars
have a date, and an optional start and end time (UK time; one still to come without a time
says "time to be confirmed"); a webinar needs its link (to join it, or its recording) unless
its date is still to come, when the page says joining details will follow. A webinar that
has taken place needs its recording's link to be published, but once it is on the hub it can
be changed without one (its date passing does not make it wrong), and its page says there is
no recording yet.

Readers see a resource once it is published and its "date published" has come: a later
date schedules it (``Resource.objects.visible_to(user)``, the one filter every page that
shows resources uses). People who manage the hub see drafts and scheduled resources too,
marked as such.

The mailing list keeps as little as it can (the sign-up page says so):

- ``Subscriber``: the email address, an optional name and organisation, the consent wording
  the person agreed to with when, and when they confirmed (double opt-in). Only confirmed
  subscribers are ever sent notices.
- ``Suppression``: when someone unsubscribes their ``Subscriber`` row is deleted and only a
  keyed hash of the address is kept, so that no notice can reach them again without a new
  sign-up they confirm themselves.
- ``Mailing``: a notice national admins sent (subject, text, when, by whom and to how many
  people), never the list of addresses.
"""

import hashlib
import hmac
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.programme.models import ClinicalArea


class PrivateStorage(FileSystemStorage):
    """MEDIA_ROOT on disk without a public address: files go out through the hub's view."""

    def url(self, name):
        raise ValueError("Knowledge hub files have no public URL: serve them through a view.")


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return private_storage


def resource_upload_to(instance, filename: str) -> str:
    return f"knowledge/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


# Webinar times are UK clock times: the service's TIME_ZONE.
UK_TIME = ZoneInfo(settings.TIME_ZONE)

RESERVED_SLUGS = frozenset({"new"})
# Links must be web pages: http or https, nothing else (no ftp:, javascript: or mailto:).
WEB_LINK = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address that starts with https:// or http://",
)


class ResourceQuerySet(models.QuerySet):
    def live(self) -> "ResourceQuerySet":
        """Published, with a date published of today or earlier (none counts as published)."""
        return self.filter(published=True).filter(
            models.Q(published_on__isnull=True) | models.Q(published_on__lte=timezone.localdate())
        )

    def visible_to(self, user) -> "ResourceQuerySet":
        """What ``user`` may see: everything for people who manage the hub (drafts and
        scheduled resources included), otherwise only what is live."""
        if has_permission(user, Permission.KNOWLEDGE_MANAGE):
            return self.all()
        return self.live()


class Resource(models.Model):
    class Kind(models.TextChoices):
        LEARNING_REPORT = "learning_report", "Learning report"
        WEBINAR = "webinar", "Webinar"
        CO_DESIGN_REPORT = "co_design_report", "Co-design report"
        RESOURCE = "resource", "Guide or resource"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        error_messages={"unique": "A resource with this web address already exists"},
    )
    summary = models.TextField()
    body = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True, validators=[WEB_LINK])
    link_text = models.CharField(max_length=120, blank=True)
    file = models.FileField(
        upload_to=resource_upload_to, storage=get_private_storage, blank=True, max_length=300
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    clinical_areas = models.ManyToManyField(ClinicalArea, blank=True, related_name="resources")
    published = models.BooleanField(default=False)
    published_on = models.DateField(null=True, blank=True)
    event_on = models.DateField(null=True, blank=True)
    # A webinar's start and end on ``event_on``, as UK clock times (Europe/London, the
    # service's TIME_ZONE): what the organisers announce, so British Summer Time is already in
    # them. ``event_starts`` and ``event_ends`` turn them into moments.
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:resource-detail", args=[self.slug])

    @property
    def is_upcoming_webinar(self) -> bool:
        """A webinar whose date is today or later."""
        return (
            self.kind == self.Kind.WEBINAR
            and self.event_on is not None
            and self.event_on >= timezone.localdate()
        )

    @property
    def event_starts(self) -> datetime | None:
        """When the webinar starts, as an aware datetime in UK time (None without a time)."""
        if self.event_on is None or self.starts_at is None:
            return None
        return datetime.combine(self.event_on, self.starts_at, tzinfo=UK_TIME)

    @property
    def event_ends(self) -> datetime | None:
        if self.event_on is None or self.ends_at is None:
            return None
        return datetime.combine(self.event_on, self.ends_at, tzinfo=UK_TIME)

    @property
    def event_when(self) -> str:
        """The webinar's date and time for people to read, for example "Tuesday 3 March 2026,
        14:30 to 15:30 (UK time)"; "…, time to be confirmed" for one still to come without a
        time; the date alone for one that has taken place without a time."""
        if self.event_on is None:
            return ""
        day = date_format(self.event_on, "l j F Y")
        if self.starts_at is None:
            return f"{day}, time to be confirmed" if self.is_upcoming_webinar else day
        times = f"{self.starts_at:%H:%M}"
        if self.ends_at is not None:
            times += f" to {self.ends_at:%H:%M}"
        return f"{day}, {times} (UK time)"

    @property
    def has_calendar_file(self) -> bool:
        """An "Add to calendar" file is offered for a webinar still to come with a time."""
        return self.is_upcoming_webinar and self.starts_at is not None

    @property
    def is_scheduled(self) -> bool:
        """Published, but hidden from readers until its date published."""
        return (
            self.published
            and self.published_on is not None
            and self.published_on > timezone.localdate()
        )

    @property
    def is_live(self) -> bool:
        """What readers can see now (the same rule as ``ResourceQuerySet.live``)."""
        return self.published and not self.is_scheduled

    @property
    def is_past_webinar_without_link(self) -> bool:
        return (
            self.kind == self.Kind.WEBINAR
            and self.event_on is not None
            and not self.is_upcoming_webinar
            and not self.link
        )

    @property
    def file_extension(self) -> str:
        return Path(self.file_name or self.file.name or "").suffix.lstrip(".").upper()


def email_hash(email: str) -> str:
    """A keyed hash (HMAC-SHA256) of the normalised address: enough to recognise an address
    again, not to recover it."""
    key = f"core20.knowledge.suppression:{settings.SECRET_KEY}".encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


class Subscriber(models.Model):
    email = models.EmailField(unique=True)
    email_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    consent_text = models.TextField()
    consented_at = models.DateTimeField()
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["consented_at"]

    def __str__(self) -> str:
        return "Mailing list subscriber"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        self.email_hash = email_hash(self.email)
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Suppression(models.Model):
    """An address that unsubscribed, kept only as its hash."""

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "Unsubscribed address (hash only)"


class Mailing(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    subject = models.CharField(max_length=150)
    body = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The service's address when the notice was sent, for the links in each message.
    base_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(null=True, blank=True)
    failed_count = models.PositiveIntegerField(default=0)
    task_id = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("knowledge:mailing-detail", args=[self.pk])
