"""Sign-ins, sign-outs and failed attempts go into the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from core20.audit.models import AuditEvent
from core20.audit.recording import record


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    with transaction.atomic():
        record(actor=user, verb=AuditEvent.Verb.SIGN_IN, obj=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            record(actor=user, verb=AuditEvent.Verb.SIGN_OUT, obj=user)


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs):
    # The attempted username is recorded so admins can spot targeted guessing; never the password.
    with transaction.atomic():
        record(
            actor=None,
            verb=AuditEvent.Verb.SIGN_IN_FAILED,
            object_type="accounts.User",
            object_label=str(credentials.get("username", ""))[:300],
        )
