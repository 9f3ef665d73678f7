"""Building blocks for permission-matrix entries (used by tests/test_permission_matrix.py and
by each app's tests/<app>/matrix.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from core20.accounts.roles import ROLES

ANON = "anonymous"
VISITORS = [ANON, *ROLES]

OK = "ok"  # 200
LOGIN = "login"  # redirected to sign in
DENIED = "denied"  # 403
GONE = "not found"  # 404 (hidden, or someone else's)
METHOD = "method not allowed"  # 405
REDIRECT = "redirect"  # 302 somewhere other than sign-in
UNAUTHORISED = "unauthorised"  # 401 (API)


def public(status=OK) -> dict:
    return dict.fromkeys(VISITORS, status)


def signed_in(status=OK) -> dict:
    return {ANON: LOGIN, **dict.fromkeys(ROLES, status)}


def only(*roles: str, anon=LOGIN, others=DENIED) -> dict:
    return {ANON: anon, **{r: OK if r in roles else others for r in ROLES}}


@dataclass
class Case:
    expect: dict
    kwargs: Callable[[object], dict] = lambda w: {}  # given the `world` fixture
    method: str = "get"
    data: dict = field(default_factory=dict)


def first_allowed(case: Case) -> str | None:
    """The first visitor ``case`` lets see its page (status OK), or None."""
    return next((v for v, status in case.expect.items() if status == OK), None)
