"""Create and check personal API tokens."""

import hashlib
import secrets
from datetime import datetime

from django.utils import timezone

from core20.accounts.models import ApiToken

TOKEN_PREFIX = "c20_"  # noqa: S105 (a public marker, not a secret)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ExpiredToken(Exception):
    """A token that would be valid but for its expiry date (``expires_at``)."""

    def __init__(self, expires_at: datetime) -> None:
        super().__init__(f"API token expired at {expires_at.isoformat()}")
        self.expires_at = expires_at


def user_for_token(raw: str):
    """The active user a token belongs to, or None. Marks the token as used. Raises
    ``ExpiredToken`` for a token past its expiry date, so the caller can say so."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        raise ExpiredToken(token.expires_at)
    # Write at most once a minute: the timestamp is for people reviewing their tokens.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
