"""Micro-grant fixtures: the browser tests' axe `check`."""

from tests.browser.conftest import check  # noqa: F401 (a fixture for test_browser.py)
