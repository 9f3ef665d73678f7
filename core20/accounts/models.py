"""Users and their role memberships."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core20.accounts.roles import ROLE_CHOICES, ROLES, Role


class User(AbstractUser):
    """A person who signs in. The username is their email address, lower-cased."""

    class DigestFrequency(models.TextChoices):
        """How often the "waiting for you" email (core20.web.digest) is sent."""

        DAILY = "daily", "Every working day"
        WEEKLY = "weekly", "Weekly (Mondays, or Tuesday after a bank holiday)"
        NEVER = "never", "Never"

    full_name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    # Set when the account was anonymised (core20.accounts.actions.erase_account).
    erased_at = models.DateTimeField(null=True, blank=True)
    digest_frequency = models.CharField(
        max_length=10, choices=DigestFrequency.choices, default=DigestFrequency.DAILY
    )
    # The day the last digest was sent: claimed before sending, so it goes once a day.
    digest_sent_on = models.DateField(null=True, blank=True)

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        if not self.username:
            self.username = self.email
        super().save(*args, **kwargs)

    @property
    def awaiting_first_sign_in(self) -> bool:
        """Invited, and has not yet chosen a password and signed in."""
        return self.is_active and self.last_login is None and self.erased_at is None

    @property
    def roles(self) -> list[type[Role]]:
        return [ROLES[m.role] for m in self.cached_memberships]

    @property
    def cached_memberships(self) -> list["Membership"]:
        """Active memberships, loaded once per request (has_permission is called often)."""
        if not hasattr(self, "_memberships_cache"):
            self._memberships_cache = list(
                self.memberships.filter(ended_at__isnull=True).select_related(
                    "site", "organisation"
                )
            )
        return self._memberships_cache

    def sites_with_role(self, role: str) -> dict:
        """{site id: site} where the person holds ``role`` (a role key) at a site, from the
        cached memberships (no query)."""
        return {m.site_id: m.site for m in self.cached_memberships if m.role == role and m.site_id}

    def forget_memberships(self) -> None:
        self.__dict__.pop("_memberships_cache", None)

    @property
    def requires_two_factor(self) -> bool:
        return any(role.requires_two_factor for role in self.roles)

    @property
    def is_national(self) -> bool:
        return any(role.scope == "national" for role in self.roles)


class Membership(models.Model):
    """A role held by a user, scoped to the programme, a site or an organisation.

    Ending a membership keeps the row (with ``ended_at``) so that history stays readable.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=40, choices=ROLE_CHOICES)
    site = models.ForeignKey(
        "programme.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        "programme.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "site__name"]
        # One active membership per user, role and scope. Three partial constraints rather
        # than nulls_distinct=False, which SQLite does not support.
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(ended_at__isnull=True, site__isnull=True, organisation__isnull=True),
                name="one_active_national_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "site"],
                condition=Q(ended_at__isnull=True, site__isnull=False),
                name="one_active_site_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(ended_at__isnull=True, organisation__isnull=False),
                name="one_active_organisation_membership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.scope_label}"

    @property
    def role_class(self) -> type[Role]:
        return ROLES[self.role]

    @property
    def scope_label(self) -> str:
        if self.site_id:
            return self.site.name
        if self.organisation_id:
            return self.organisation.name
        return "National programme"

    def clean(self) -> None:
        scope = ROLES[self.role].scope if self.role in ROLES else None
        if scope == "national" and (self.site_id or self.organisation_id):
            raise ValidationError(
                "A national role applies to the whole programme: leave site and organisation empty."
            )
        if scope == "site" and not self.site_id:
            raise ValidationError({"site": "Choose the site this role is for."})
        if scope == "organisation" and not self.organisation_id:
            raise ValidationError({"organisation": "Choose the organisation this role is for."})


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash is stored; the token is shown once.

    Requests authenticate as the token's user and get exactly that user's permissions.
    """

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Every token stops working at a date its owner chose (LIFETIMES), so that one forgotten
    # in an old script or a leaked file does not work for ever.
    expires_at = models.DateTimeField()

    LIFETIMES = {30: "30 days", 90: "90 days", 365: "1 year"}
    DEFAULT_LIFETIME = 90

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.expired
