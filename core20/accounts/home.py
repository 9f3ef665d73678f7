"""Accounts on the home page (and so in the "waiting for you" email): API tokens about to
stop working, so that a script's owner makes a new one before it fails."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import has_any_permission
from core20.accounts.models import ApiToken
from core20.accounts.permissions import Permission
from core20.web.dashboard import Waiting

#: How far ahead a token's expiry is shown.
EXPIRY_WARNING_DAYS = 14


def waiting(user) -> list[Waiting]:
    """One query for people who may have tokens; none for the rest."""
    if not has_any_permission(user, Permission.API_TOKEN_MANAGE):
        return []
    now = timezone.now()
    expiring = ApiToken.objects.filter(
        user=user,
        revoked_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=EXPIRY_WARNING_DAYS),
    ).count()
    return [
        Waiting(
            expiring,
            f"API token stops working within {EXPIRY_WARNING_DAYS} days",
            f"API tokens stop working within {EXPIRY_WARNING_DAYS} days",
            reverse("accounts:tokens"),
        )
    ]
