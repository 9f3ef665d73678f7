"""Signed links for the mailing list (django.core.signing, keyed with SECRET_KEY).

- Confirmation: names the address (by its hash) and when consent was given, so a link from
  an earlier sign-up cannot confirm a later one; it expires after CONFIRM_DAYS.
- Unsubscribe: names the address by its hash and never expires, so the link in an old
  email still works. It is the only thing protecting the unsubscribe address (which mail
  programs POST to without a CSRF token), and it can only ever take someone off the list.
"""

from django.core import signing

CONFIRM_SALT = "core20.knowledge.confirm"
UNSUBSCRIBE_SALT = "core20.knowledge.unsubscribe"
CONFIRM_DAYS = 7


def confirm_token(subscriber) -> str:
    return signing.dumps(
        {"h": subscriber.email_hash, "c": subscriber.consented_at.timestamp()},
        salt=CONFIRM_SALT,
        compress=True,
    )


def read_confirm_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 24 * 60 * 60)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return data if isinstance(data, dict) and "h" in data and "c" in data else None


def unsubscribe_token(email_hash: str) -> str:
    return signing.dumps(email_hash, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, str) and len(value) == 64 else None
