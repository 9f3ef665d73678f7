"""Accounts nobody uses any more: anonymised once they have held no role, and not signed in,
for ACCOUNT_RETENTION_MONTHS (core20.web.retention; docs/privacy.md). What the person
recorded keeps them as its author, under the anonymous label; the audit log keeps the name
each event was recorded under."""

from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from core20.accounts import actions
from core20.accounts.models import Membership, User
from core20.dates import add_months
from core20.web.retention import Rule


def unused_accounts(now: datetime, months: int) -> QuerySet[User]:
    """No current role, none ended (or, with none ever, joined) within ``months``, and no
    sign-in within them. Django admin accounts (staff, superusers) are left to their owners."""
    cutoff = add_months(now, -months)
    current = Membership.objects.filter(user=OuterRef("pk"), ended_at__isnull=True)
    return (
        User.objects.filter(erased_at__isnull=True, is_staff=False, is_superuser=False)
        .exclude(Exists(current))
        .annotate(last_role=Max("memberships__ended_at"))
        .filter(Q(last_role__lt=cutoff) | Q(last_role__isnull=True, date_joined__lt=cutoff))
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .order_by("pk")
    )


def _erase(user: User, reason: str) -> User:
    return actions.erase_account(user=user, by=None, reason=reason)


def retention_rules() -> list[Rule]:
    return [
        Rule(
            "accounts_unused",
            "account(s) with no role and no sign-in for more than {months} months",
            "ACCOUNT_RETENTION_MONTHS",
            unused_accounts,
            _erase,
        )
    ]
