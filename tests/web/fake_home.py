"""A dashboard provider for tests/web/test_home.py: what it returns is set by the test."""

from core20.web.dashboard import Shortcut, Waiting

WAITING: list[Waiting] = []
SHORTCUTS: list[Shortcut] = []


def waiting(user) -> list[Waiting]:
    return list(WAITING)


def shortcuts(user) -> list[Shortcut]:
    return list(SHORTCUTS)
