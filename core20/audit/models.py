"""The audit log: who did what to which object, and what changed.

Events hold text, not foreign keys, so they survive the deletion of what they describe
(after job-server's AuditableEvent). They cannot be edited or deleted through the ORM.
"""

from django.db import models


class ImmutableEventError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableEventError("Audit events cannot be changed.")

    def delete(self):
        raise ImmutableEventError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    class Verb(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"
        GRANT = "grant", "Granted role"
        REVOKE = "revoke", "Revoked role"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_OUT = "sign_out", "Signed out"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        TWO_FACTOR_ENROL = "two_factor_enrol", "Set up two-factor"
        TWO_FACTOR_RESET = "two_factor_reset", "Reset two-factor"
        PASSWORD_RESET = "password_reset", "Reset password"
        PASSWORD_CHANGE = "password_change", "Changed password"
        TOKEN_CREATE = "token_create", "Created API token"
        TOKEN_REVOKE = "token_revoke", "Revoked API token"
        IMPORT = "import", "Imported data"
        EXPORT = "export", "Exported data"
        SUBMIT = "submit", "Submitted"
        DECIDE = "decide", "Decided"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        STATUS = "status", "Changed status"
        PUBLISH = "publish", "Published"
        ROUTE = "route", "Routed"
        RESPOND = "respond", "Responded"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=300)
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=100, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    # The site the change concerns, so that site leads see their site's log.
    site_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    site_label = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_verb_display().lower()} {self.object_label}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableEventError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEventError("Audit events cannot be deleted.")
