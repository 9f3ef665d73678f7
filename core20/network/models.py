"""The connector network: connectors, their pipeline, checks, training and support.

A ``Connector`` is a person at a site, hosted by an organisation, from the moment they
express interest. They move through a pipeline (expressed interest → conversation → checks
→ training → active → paused → left); every move is kept as a ``StatusChange``. Once they
have an account, ``Connector.user`` links to it (the invite action creates the user and a
``connector`` membership at the site).

Checks (DBS, references, ...) are ``CheckType``s; training is ``TrainingModule``s. Both are
national (no site) or a site's own. What a site requires is its ``SiteRequirements`` if it
has set them, otherwise the national defaults (``required_by_default``). A connector is made
active only when every required check is clear and every required module is completed and
in date (core20.network.requirements).

Support: ``SupportNote`` (supervision and check-ins) and ``WellbeingFlag`` are confidential
to the site's host coordinators; ``DevelopmentGoal`` and ``PathwayStep`` are shared between
the host coordinators and the connector. Lived experience is special-category data, stored
only with consent and shown only to the host coordinators and the connector themself
(core20.network.visibility). Changes go through core20.network.actions, which checks and
audits them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core20.places.models import Ward
from core20.programme.models import Organisation, PlusGroup, Site


def _user_fk(related_name: str = "+", **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **kwargs,
    )


class RoleType(models.TextChoices):
    VOLUNTEER = "volunteer", "Volunteer"
    SESSIONAL = "sessional", "Sessional or paid"
    EMPLOYED = "employed", "Employed"


class ConnectorQuerySet(models.QuerySet):
    def for_user(self, user) -> "ConnectorQuerySet":
        """The connector records that belong to a signed-in person."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self) -> "ConnectorQuerySet":
        return self.filter(status=Connector.Status.ACTIVE)


class Connector(models.Model):
    class Status(models.TextChoices):
        INTERESTED = "interested", "Expressed interest"
        CONVERSATION = "conversation", "Conversation"
        CHECKS = "checks", "Checks"
        TRAINING = "training", "Training"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        LEFT = "left", "Left"

    class Source(models.TextChoices):
        INTEREST_FORM = "interest_form", "Expression of interest form"
        ADDED = "added", "Added by a coordinator"
        IMPORTED = "imported", "Imported from a list"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="connectors")
    host_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_connectors",
    )
    # Set once the person has an account (see actions.invite_connector).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="connector_records",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    role_type = models.CharField(
        max_length=20, choices=RoleType.choices, default=RoleType.VOLUNTEER
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INTERESTED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ADDED)
    communities = models.ManyToManyField(PlusGroup, blank=True, related_name="connectors")
    languages = models.JSONField(default=list, blank=True)
    wards = models.ManyToManyField(Ward, blank=True, related_name="connectors")
    skills = models.TextField(blank=True)
    interests = models.TextField(blank=True)
    # What they told us on the expression-of-interest form.
    motivation = models.TextField(blank=True)
    availability = models.CharField(max_length=300, blank=True)
    # Special-category data: kept only with explicit consent, shown only to the site's
    # host coordinators and the connector themself.
    lived_experience = models.TextField(blank=True)
    lived_experience_consent = models.BooleanField(default=False)
    lived_experience_consent_at = models.DateTimeField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # Set when their personal details were erased (on request or at the end of the retention
    # period, core20.network.personal_data); the record stays, anonymised, for the counts.
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConnectorQuerySet.as_manager()

    class Meta:
        ordering = ["site", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "email"],
                condition=~Q(email=""),
                name="one_connector_per_email_per_site",
                violation_error_message="There is already a connector with this email at the site",
            ),
            models.UniqueConstraint(
                fields=["site", "user"],
                condition=Q(user__isnull=False),
                name="one_connector_record_per_user_per_site",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:connector-detail", args=[self.site.slug, self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def not_yet_active(self) -> bool:
        """Before active (interested, conversation, checks, training): their checks and
        training are not done, so they hold no *Community connector* role at the site yet
        (``actions.sync_role`` gives it when they are made active)."""
        return self.status in NOT_YET_ACTIVE

    @property
    def stepped_back(self) -> bool:
        """Paused or left. Like every stage but active, their *Community connector* role at
        the site is not current (``actions.sync_role``), so they may not record activities,
        insights or hours there themselves."""
        return self.status in STEPPED_BACK

    @property
    def account_closed(self) -> bool:
        """Linked to an account that has since been anonymised (an account nobody used for
        ACCOUNT_RETENTION_MONTHS, core20.accounts.personal_data): nobody can sign in to it,
        so the record counts as having no account and they can be invited again."""
        return self.user_id is not None and self.user.erased_at is not None

    @property
    def has_account(self) -> bool:
        """Linked to an account the person can still use (invited or signed in)."""
        return self.user_id is not None and not self.account_closed


# The person's connector role at the site is current only while their record is active
# (``actions.sync_role``). The other stages are before it (checks and training not done yet)
# or after it (stepped back).
STEPPED_BACK = frozenset({Connector.Status.PAUSED, Connector.Status.LEFT})
NOT_YET_ACTIVE = frozenset(
    {
        Connector.Status.INTERESTED,
        Connector.Status.CONVERSATION,
        Connector.Status.CHECKS,
        Connector.Status.TRAINING,
    }
)


class StatusChange(models.Model):
    """One move through the pipeline, with its reason."""

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=Connector.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Connector.Status.choices)
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = _user_fk()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.connector}: {self.get_to_status_display()}"


# ---- checks and training ----


class CheckType(models.Model):
    """A check a connector needs, such as a DBS check. National when ``site`` is empty."""

    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.CASCADE, related_name="own_check_types"
    )
    valid_for_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty if it does not expire"
    )
    required_by_default = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(site__isnull=True), name="unique_national_check"
            ),
            models.UniqueConstraint(fields=["site", "code"], name="unique_site_check"),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingModule(models.Model):
    """A training module. National when ``site`` is empty, otherwise a site's own."""

    code = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True, help_text="Where to take the training, if online")
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.CASCADE, related_name="own_training"
    )
    valid_for_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty if it does not need renewing"
    )
    required_by_default = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(site__isnull=True), name="unique_national_module"
            ),
            models.UniqueConstraint(fields=["site", "code"], name="unique_site_module"),
        ]

    def __str__(self) -> str:
        return self.title


class SiteRequirements(models.Model):
    """What a site requires before a connector is active. Without one, the national defaults
    (and the site's own items marked required by default) apply."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="network_requirements")
    checks = models.ManyToManyField(CheckType, blank=True, related_name="+")
    modules = models.ManyToManyField(TrainingModule, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = _user_fk()

    class Meta:
        verbose_name_plural = "site requirements"

    def __str__(self) -> str:
        return f"Requirements for {self.site}"


class Check(models.Model):
    """A connector's check: one row per connector and check type, updated as it progresses
    (every change audited)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        CLEAR = "clear", "Clear"
        NOT_CLEAR = "not_clear", "Not clear"

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="checks")
    check_type = models.ForeignKey(CheckType, on_delete=models.PROTECT, related_name="checks")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    reference = models.CharField(max_length=100, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = _user_fk()

    class Meta:
        ordering = ["check_type__position", "check_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["connector", "check_type"], name="one_check_per_type_per_connector"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_type} for {self.connector}"

    def is_satisfied(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.CLEAR and (
            self.expires_on is None or self.expires_on >= today
        )


class TrainingCompletion(models.Model):
    """A connector completed a module on a date. Renewing adds a new completion; the latest
    counts. ``reminded_at`` makes the expiry reminder for this completion go out once."""

    connector = models.ForeignKey(
        Connector, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    evidence = models.CharField(max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.module} completed by {self.connector} on {self.completed_on}"

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.expires_on is None or self.expires_on >= today


# ---- support and development ----


class SupportNote(models.Model):
    """Supervision or a check-in. Confidential to the site's host coordinators."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", "Supervision"
        CHECK_IN = "check_in", "Check-in"

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="support_notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()

    class Meta:
        ordering = ["-happened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.connector} on {self.happened_on}"


class WellbeingFlag(models.Model):
    """A wellbeing concern the coordinator is following up. Confidential to the site's host
    coordinators."""

    class Level(models.TextChoices):
        WATCH = "watch", "Keep an eye on"
        CONCERN = "concern", "Concern"
        URGENT = "urgent", "Urgent"

    connector = models.ForeignKey(
        Connector, on_delete=models.CASCADE, related_name="wellbeing_flags"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    summary = models.TextField()
    raised_on = models.DateField(default=timezone.localdate)
    raised_by = _user_fk()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = _user_fk()
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["resolved_at", "-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} for {self.connector}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class DevelopmentGoal(models.Model):
    """Shared between the site's host coordinators and the connector."""

    class Status(models.TextChoices):
        OPEN = "open", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        DROPPED = "dropped", "No longer a goal"

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    achieved_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = _user_fk()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "target_date", "pk"]

    def __str__(self) -> str:
        return self.title


class PathwayStep(models.Model):
    """A step on the pathway (volunteer → sessional → employed): the role type from a date."""

    connector = models.ForeignKey(Connector, on_delete=models.CASCADE, related_name="pathway")
    from_role_type = models.CharField(max_length=20, choices=RoleType.choices, blank=True)
    role_type = models.CharField(max_length=20, choices=RoleType.choices)
    started_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = _user_fk()

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.connector}: {self.get_role_type_display()} from {self.started_on}"
