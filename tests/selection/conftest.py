"""Selection fixtures: uploaded files go to a temporary MEDIA_ROOT (the storage follows
the setting as it changes)."""

import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
