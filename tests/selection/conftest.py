"""Selection fixtures: uploaded files go to a temporary MEDIA_ROOT (the storage follows
the setting as it changes), and the browser tests' axe `check`."""

import pytest

from tests.browser.conftest import check  # noqa: F401 (a fixture for test_browser.py)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
