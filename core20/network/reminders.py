"""Renewal reminders for training that is about to expire.

For each connector still in the programme, the latest completion of each module that
expires within ``days`` (or has expired) and has not been reminded about gets one email to
the connector and one to the site's host coordinators; ``reminded_at`` is then set, so
running it again sends nothing new. Renewing (a new completion) starts afresh.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core20.accounts.models import User
from core20.accounts.roles import HostCoordinator
from core20.network.models import Connector, TrainingCompletion

DEFAULT_DAYS = 30


@dataclass
class ReminderResult:
    completions: int = 0
    emails: int = 0


def due_completions(days: int = DEFAULT_DAYS, today=None):
    today = today or timezone.localdate()
    newer = TrainingCompletion.objects.filter(
        connector=OuterRef("connector"),
        module=OuterRef("module"),
        completed_on__gt=OuterRef("completed_on"),
    )
    return (
        TrainingCompletion.objects.filter(
            expires_on__isnull=False,
            expires_on__lte=today + timedelta(days=days),
            reminded_at__isnull=True,
        )
        .exclude(connector__status=Connector.Status.LEFT)
        .exclude(Exists(newer))
        .select_related("connector__site", "connector__user", "module")
        .order_by("connector__site_id", "expires_on", "pk")
    )


def _coordinator_emails(site_id: int) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=HostCoordinator.key,
            memberships__site_id=site_id,
            memberships__ended_at__isnull=True,
        )
        .values_list("email", flat=True)
        .distinct()
    )


def _when(completion, today) -> str:
    expires = completion.expires_on
    if expires < today:
        return f"expired on {expires:%-d %B %Y}"
    return f"expires on {expires:%-d %B %Y}"


def send_reminders(days: int = DEFAULT_DAYS, today=None) -> ReminderResult:
    today = today or timezone.localdate()
    result = ReminderResult()
    coordinators: dict[int, list[str]] = {}
    for completion in due_completions(days, today):
        connector = completion.connector
        with transaction.atomic():
            # Claim the reminder first, so that two runs at once cannot both send it.
            claimed = TrainingCompletion.objects.filter(
                pk=completion.pk, reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if not claimed:
                continue
            when = _when(completion, today)
            to_connector = connector.user.email if connector.user_id else connector.email
            if to_connector:
                send_mail(
                    f"Your {completion.module.title} training {when.split(' on ')[0]}",
                    f"Hello {connector.name},\n\nYour {completion.module.title} training "
                    f"{when}. Please talk to your coordinator about renewing it.\n\n"
                    "Core20 Connect\n",
                    None,
                    [to_connector],
                )
                result.emails += 1
            if connector.site_id not in coordinators:
                coordinators[connector.site_id] = _coordinator_emails(connector.site_id)
            if coordinators[connector.site_id]:
                send_mail(
                    f"Training to renew: {connector.name}",
                    f"{connector.name}'s {completion.module.title} training {when} "
                    f"({connector.site.name}).\n\nRecord the renewal on their connector page.\n\n"
                    "Core20 Connect\n",
                    None,
                    coordinators[connector.site_id],
                )
                result.emails += 1
            result.completions += 1
    return result
