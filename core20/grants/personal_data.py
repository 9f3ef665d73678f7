"""Micro-grant applicants' personal data: erasing an applicant's contact details once the
application is decided, on request or at the end of the retention period (docs/privacy.md).

Erased: the contact's name, email address and phone number, and the private status link
(a new one is made and never sent); the panel members' comments and their descriptions of a
conflict of interest, and the reason given for declining the application, which are free
text that may quote, name or describe the applicant. For an application from an individual,
also their name (shown as "An individual"), what they wrote about the purpose and the places
note, which describe the person. Kept: the fund, title, amounts, dates, decision (that it
was awarded or declined, and when), budget, panel scores (and that a member declared a
conflict), payments and outcome report, for the fund's accounts, the scoring summary and
the 360Giving open data (which never names individuals).
"""

import re
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.dates import add_months
from core20.grants.models import Application, new_token
from core20.web.retention import Rule

INDIVIDUAL = "An individual"


def masked_email(email: str) -> str:
    """An email address with most of it hidden, for the applicant's status page, which anyone
    holding its link can see: enough for the applicant to recognise their address, not
    enough to learn it (sam@example.org is s•••@e•••.org)."""
    name, at, domain = email.strip().rpartition("@")
    if not (name and at and domain):
        return "•••"
    host, dot, ending = domain.rpartition(".")
    hidden_domain = f"{host[:1]}•••.{ending}" if dot and host else f"{domain[:1]}•••"
    return f"{name[:1]}•••@{hidden_domain}"


def masked_name(name: str) -> str:
    """A person's name with all but the first letter of each part hidden, for the status
    page of an individual's application, which anyone holding its link can see: enough for
    the applicant to recognise, not enough to learn who they are (Sam Jones is S••• J•••)."""
    parts = name.split()
    return " ".join(f"{part[:1]}•••" for part in parts) if parts else "•••"


def phone_ending(phone: str) -> str:
    """The last 3 digits of a phone number, for the status page (not enough to call it), or
    "" when it has too few digits to hide the rest."""
    digits = re.sub(r"\D", "", phone)
    return digits[-3:] if len(digits) >= 6 else ""


def erasure_problem(application: Application) -> str | None:
    """Why the applicant's details cannot be erased yet, or None."""
    if application.erased_at is not None:
        return "The applicant's contact details have already been erased."
    if application.status == Application.Status.SUBMITTED:
        return "The application has not been decided. Decide it before erasing the details."
    return None


@transaction.atomic
def erase_application(*, application: Application, by, reason: str) -> Application:
    """Erase the applicant's contact details (see the module docstring). ``by`` is the person
    acting on a request (permission checked by the view), or None for the retention run."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why their details are being erased"})
    application = Application.objects.select_for_update().get(pk=application.pk)
    problem = erasure_problem(application)
    if problem:
        raise ValidationError({"reason": problem})
    application.contact_name = application.contact_email = application.contact_phone = ""
    if application.is_individual:
        application.group_name = INDIVIDUAL
        application.purpose = application.places_note = ""
    application.decline_reason = ""  # the status still says it was declined
    application.assessments.update(comments="", conflict_details="")
    application.token = new_token()
    application.erased_at = timezone.now()
    application.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=application,
        object_label=f"Application {application.pk}: {application.title}",
        site=application.fund.site_id,
        summary=f"Applicant's contact details erased: {reason}",
    )
    return application


# ---- retention (core20.web.retention) ----


def _decided(status: str) -> Callable[[datetime, int], QuerySet[Application]]:
    def due(now: datetime, months: int) -> QuerySet[Application]:
        cutoff = add_months(timezone.localdate(now), -months)
        return Application.objects.filter(
            erased_at__isnull=True, status=status, decided_on__lt=cutoff
        ).order_by("pk")

    return due


def _erase(application: Application, reason: str) -> Application:
    return erase_application(application=application, by=None, reason=reason)


def retention_rules() -> list[Rule]:
    return [
        Rule(
            "grants_declined",
            "micro-grant application(s) declined more than {months} months ago",
            "GRANT_DECLINED_RETENTION_MONTHS",
            _decided(Application.Status.DECLINED),
            _erase,
        ),
        Rule(
            "grants_awarded",
            "micro-grant application(s) awarded more than {months} months ago",
            "GRANT_AWARDED_RETENTION_MONTHS",
            _decided(Application.Status.AWARDED),
            _erase,
        ),
    ]
