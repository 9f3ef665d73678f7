"""A second provider with shortcuts only (no ``waiting``), for tests/web/test_home.py."""

from core20.web.dashboard import Shortcut


def shortcuts(user) -> list[Shortcut]:
    return [Shortcut("Record an activity", "/activities/new/"), Shortcut("Oversight", "/o/")]
