"""Renewal reminders for checks and training that are about to expire.

For each connector still in the programme, each clear check (a DBS check, say) and the latest
completion of each module that expires within ``days`` (or has expired) and has not been
reminded about gets one email to the connector and one to the site's host coordinators (its
site leads when it has none);
``reminded_at`` is then set, so running it again sends nothing new. Renewing (the check
recorded again, a new completion) starts afresh.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core20.accounts.roles import HostCoordinator, SiteLead
from core20.mail import automated_email, role_emails
from core20.network.models import Check, Connector, TrainingCompletion
from core20.network.requirements import replaced

DEFAULT_DAYS = 30


@dataclass
class ReminderResult:
    completions: int = 0
    checks: int = 0
    emails: int = 0


def due_completions(days: int = DEFAULT_DAYS, today=None):
    today = today or timezone.localdate()
    return (
        TrainingCompletion.objects.filter(
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=days),
            reminded_at__isnull=True,
        )
        .exclude(connector__status=Connector.Status.LEFT)
        .exclude(replaced())
        .select_related("connector__site", "connector__user", "module")
        .order_by("connector__site_id", "expires_on", "pk")
    )


def due_checks(days: int = DEFAULT_DAYS, today=None):
    """Clear checks expiring within ``days`` (or expired) not yet reminded about. A check is
    one record per connector and type: recording it again clears ``reminded_at``."""
    today = today or timezone.localdate()
    return (
        Check.objects.filter(
            status=Check.Status.CLEAR,
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=days),
            reminded_at__isnull=True,
        )
        .exclude(connector__status=Connector.Status.LEFT)
        .select_related("connector__site", "connector__user", "check_type")
        .order_by("connector__site_id", "expires_on", "pk")
    )


def _when(item, today) -> str:
    expires = item.expires_on
    if expires < today:
        return f"expired on {expires:%-d %B %Y}"
    return f"expires on {expires:%-d %B %Y}"


def send_reminders(days: int = DEFAULT_DAYS, today=None) -> ReminderResult:
    today = today or timezone.localdate()
    result = ReminderResult()
    coordinators: dict[int, list[str]] = {}
    kinds: list[tuple[str, Iterable[Model], Callable[[Model], str]]] = [
        ("completions", due_completions(days, today), lambda c: f"{c.module.title} training"),
        ("checks", due_checks(days, today), lambda c: _check_name(c.check_type.name)),
    ]
    for counter, items, name in kinds:
        for item in items:
            if not _claim(item):
                continue
            connector = item.connector
            if connector.site_id not in coordinators:
                coordinators[connector.site_id] = role_emails(
                    connector.site_id, HostCoordinator.key, SiteLead.key
                )
            result.emails += _send(connector, name(item), _when(item, today), coordinators)
            setattr(result, counter, getattr(result, counter) + 1)
    return result


def _check_name(name: str) -> str:
    """ "DBS check" as it is; "Right to work" as "Right to work check"."""
    return name if "check" in name.lower() else f"{name} check"


def _claim(item: Model) -> bool:
    """Mark the reminder sent first, so that two runs at once cannot both send it."""
    with transaction.atomic():
        return bool(
            type(item)
            .objects.filter(pk=item.pk, reminded_at__isnull=True)
            .update(reminded_at=timezone.now())
        )


def _send(connector: Connector, what: str, when: str, coordinators: dict[int, list[str]]) -> int:
    """Email the connector and the site's host coordinators; the number of emails sent."""
    sent = 0
    to_connector = connector.user.email if connector.has_account else connector.email
    if to_connector:
        automated_email(
            subject=f"Your {what} {when.split(' on ')[0]}",
            body=f"Hello {connector.name},\n\nYour {what} {when}. Please talk to your "
            "coordinator about renewing it.\n\nCore20 Connect\n",
            to=to_connector,
        ).send()
        sent += 1
    if coordinators[connector.site_id]:
        automated_email(
            subject=f"To renew: {connector.name}'s {what}",
            body=f"{connector.name}'s {what} {when} ({connector.site.name}).\n\nRecord the "
            "renewal on their connector page.\n\nCore20 Connect\n",
            to=coordinators[connector.site_id],
        ).send()
        sent += 1
    return sent
