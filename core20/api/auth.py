"""Who is calling the API.

Three ways in, tried in this order (``API_AUTH``):

1. ``Authorization: Bearer <token>``: a personal token from the account page, checked with
   ``user_for_token``. A request that sends an Authorization header gets either that
   token's user or a 401 — never a silent fall-back to anonymous — so a revoked or mistyped
   token is noticed.
2. The signed-in browser session (so the docs page's "Try it out" works), with Django's
   CSRF check on unsafe methods. A session that has not finished two-factor sign-in is
   refused (the two-factor middleware leaves /api/ to this module).
3. Nobody: anonymous callers may read what the public pages show.

Whichever way, ``request.auth`` and ``request.user`` are the effective user (an
``AnonymousUser`` for anonymous calls), and handlers check permissions against it.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from core20.accounts.tokens import ExpiredToken, user_for_token
from core20.api.errors import INCOMPLETE_TWO_FACTOR, InvalidToken


class BearerToken(HttpBearer):
    openapi_bearerFormat = "c20_…"
    openapi_description = (
        "A personal API token. Create one on your account's API tokens page and send it as "
        "`Authorization: Bearer <token>`. The API then acts as you, with your permissions. "
        "A revoked, expired or malformed token is refused with 401."
    )

    def __call__(self, request: HttpRequest):
        value = request.headers.get(self.header)
        if not value:
            return None
        scheme, _, token = value.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise InvalidToken()
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str):
        try:
            user = user_for_token(token)
        except ExpiredToken as expired:
            day = timezone.localdate(expired.expires_at)
            raise InvalidToken(
                f"This API token expired on {day:%-d %B %Y}. Create a new one on your "
                "account's API tokens page."
            ) from None
        if user is None:
            raise InvalidToken()
        request.user = user
        return user


class BrowserSession(NinjaSessionAuth):
    openapi_description = (
        "The Core20 Connect sign-in cookie, for trying the API from this site's docs page. "
        "Unsafe methods also need the CSRF token."
    )

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if _two_factor_pending(user):
            raise AuthenticationError(401, INCOMPLETE_TWO_FACTOR)
        return user


class Anonymous:
    """Last in the list: a caller with no credentials reads as the anonymous public.

    Not a security scheme, so OpenAPI shows it only as the optional ``{}`` entry."""

    is_async = False

    def __call__(self, request: HttpRequest):
        user = AnonymousUser()
        request.user = user
        return user  # truthy, so ninja accepts it


def _two_factor_pending(user) -> bool:
    """The same rule as RequireTwoFactorMiddleware, which leaves /api/ to us."""
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    from core20.accounts.two_factor import confirmed_totp_device

    return user.requires_two_factor or confirmed_totp_device(user) is not None


def effective_user(request: HttpRequest):
    """The user to check permissions against: the token's, the session's, or anonymous."""
    return getattr(request, "auth", None) or AnonymousUser()


#: Reading endpoints: token, session or nobody.
READ_AUTH = [BearerToken(), BrowserSession(), Anonymous()]
#: Endpoints that change things (none yet): token or session only.
WRITE_AUTH = [BearerToken(), BrowserSession()]
