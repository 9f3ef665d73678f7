"""The "waiting for you" email: the home page's list of what waits for someone
(core20.web.dashboard), sent to people who do not sign in every day.

Who gets it: active, not erased, holding a current role, with something waiting, and due by
their choice on the profile page (``User.digest_frequency``):

* every working day (the default): Monday to Friday except England bank holidays;
* weekly: on the first working day of the week: Monday, or Tuesday when Monday is a bank
  holiday (so a missed Monday does not skip the week);
* never.

Working days come from core20.insights.calendar, the project's one bank-holiday calendar.
Each send is claimed first (``digest_sent_on`` set to today), so running it again the same
day, or twice at once, sends nothing new. One that then fails to send is logged, counted
and not tried again that day.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core20.accounts.models import Membership, User
from core20.insights.calendar import is_working_day
from core20.mail import automated_email
from core20.web.absolute import absolute_url
from core20.web.dashboard import Waiting, dashboard_for

logger = logging.getLogger(__name__)

Frequency = User.DigestFrequency


@dataclass
class DigestResult:
    sent: int = 0
    nothing_waiting: int = 0  # due, but nothing waits for them: no email
    failed: int = 0


def first_working_day_of_week(day: date) -> date | None:
    """The first working day of ``day``'s week (Monday to Friday), or None for a week of
    bank holidays."""
    monday = day - timedelta(days=day.weekday())
    return next(
        (d for d in (monday + timedelta(days=n) for n in range(5)) if is_working_day(d)), None
    )


def frequencies_due(today: date) -> list[str]:
    """The digest frequencies to send for on ``today``."""
    if not is_working_day(today):
        return []
    if first_working_day_of_week(today) == today:
        return [Frequency.DAILY, Frequency.WEEKLY]
    return [Frequency.DAILY]


def recipients(today: date) -> QuerySet[User]:
    """People due a digest on ``today`` and not yet sent one, with their current roles loaded
    (as ``cached_memberships`` reads them): one query for the users, one for the roles."""
    current = Membership.objects.filter(ended_at__isnull=True)
    return (
        User.objects.filter(
            is_active=True,
            erased_at__isnull=True,
            digest_frequency__in=frequencies_due(today),
        )
        .filter(Exists(current.filter(user=OuterRef("pk"))))
        .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=current.select_related("site", "organisation"),
                to_attr="_memberships_cache",
            )
        )
        .order_by("pk")
    )


def _claim(user: User, today: date) -> bool:
    """Mark today's digest sent first, so that two runs at once cannot both send it."""
    with transaction.atomic():
        return bool(
            User.objects.filter(pk=user.pk)
            .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
            .update(digest_sent_on=today)
        )


def _link(url: str) -> str:
    return url if "://" in url else absolute_url(settings.SERVICE_URL, url)


def _things(count: int) -> str:
    return f"{count} thing{'' if count == 1 else 's'}"


def subject(items: list[Waiting]) -> str:
    total = sum(item.count for item in items)
    overdue = sum(item.overdue for item in items)
    return f"Waiting for you: {_things(total)}" + (f" ({overdue} overdue)" if overdue else "")


def body(user: User, items: list[Waiting]) -> str:
    lines = [f"Hello {user.full_name},", "", "Waiting for you in Core20 Connect:", ""]
    for item in items:
        overdue = f" ({item.overdue_text.lower()})" if item.overdue else ""
        lines += [f"- {item.text}{overdue}", f"  {_link(item.url)}"]
    lines += [
        "",
        "To change how often we email you this, or to stop these emails, go to your account:",
        _link(reverse("accounts:profile") + "#digest"),
        "",
        "Core20 Connect",
        "",
    ]
    return "\n".join(lines)


def message(user: User, items: list[Waiting]) -> EmailMessage:
    return automated_email(subject=subject(items), body=body(user, items), to=user.email)


def send_digests(*, today: date | None = None) -> DigestResult:
    """Email each person due one today what is waiting for them (see the module docstring)."""
    today = today or timezone.localdate()
    result = DigestResult()
    for user in recipients(today):
        items = dashboard_for(user).waiting
        if not items:
            result.nothing_waiting += 1
            continue
        if not _claim(user, today):
            continue
        try:
            message(user, items).send()
        except Exception:  # one unreachable address must not stop everyone else's
            logger.exception("Could not send the digest to user %s", user.pk)
            result.failed += 1
            continue
        result.sent += 1
    return result
