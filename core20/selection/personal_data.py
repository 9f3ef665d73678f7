"""Contacts on applications to calls (expressions of interest from ICSs and places): erased
once an application was not selected, or a draft was left unsubmitted, for
SELECTION_RETENTION_MONTHS (core20.web.retention; docs/privacy.md).

Erased: the contact's name, email address and phone number. Kept: the application itself
(the area, answers, attachments, scores and decision), the programme's record of how sites
were chosen. Selected applications keep their contact, who works with the new site."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.dates import add_months
from core20.selection.models import Application
from core20.web.retention import Rule

Status = Application.Status
SETTING = "SELECTION_RETENTION_MONTHS"


@transaction.atomic
def erase_contact(*, application: Application, by, reason: str) -> Application:
    """Erase the application's contact details (the retention run: ``by`` is None)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.contact_name = application.contact_email = application.contact_phone = ""
    application.erased_at = timezone.now()
    application.save(update_fields=["contact_name", "contact_email", "contact_phone", "erased_at"])
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=application,
        site=application.site_id,
        summary=f"Contact details erased: {reason}",
    )
    return application


def _with_contact() -> QuerySet[Application]:
    """Not erased yet, and with a contact detail to erase."""
    return Application.objects.filter(erased_at__isnull=True).exclude(
        contact_name="", contact_email="", contact_phone=""
    )


def _not_selected(now: datetime, months: int) -> QuerySet[Application]:
    cutoff = add_months(now, -months)
    return _with_contact().filter(status=Status.NOT_SELECTED, decided_at__lt=cutoff).order_by("pk")


def _abandoned(now: datetime, months: int) -> QuerySet[Application]:
    cutoff = add_months(now, -months)
    return _with_contact().filter(status=Status.DRAFT, updated_at__lt=cutoff).order_by("pk")


def _erase(application: Application, reason: str) -> Application:
    return erase_contact(application=application, by=None, reason=reason)


def retention_rules() -> list[Rule]:
    return [
        Rule(
            "selection_not_selected",
            "application(s) to a call not selected more than {months} months ago (contact)",
            SETTING,
            _not_selected,
            _erase,
        ),
        # A draft the applicant saved or submitted after the run found it is no longer
        # due when the run checks again with its row locked (erase_if_still_due): it keeps
        # its contact.
        Rule(
            "selection_abandoned",
            "draft application(s) to a call untouched for {months} months (contact)",
            SETTING,
            _abandoned,
            _erase,
        ),
    ]
