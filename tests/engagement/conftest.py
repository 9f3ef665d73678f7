"""Fixtures for the activities tests: files under tmp_path, and the real places lookup
(built once per process from the shipped reference files, no database) where a test
needs postcodes resolved."""

import pytest

from core20.engagement import places
from core20.places.lookup.files import read_frames
from core20.places.lookup.table import build_lookup_table


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def _shipped_lookup():
    return build_lookup_table(read_frames())


@pytest.fixture
def real_places(monkeypatch, _shipped_lookup):
    """Postcodes and LSOA codes resolve against the shipped reference files."""
    monkeypatch.setattr(places, "get_lookup_table", lambda: _shipped_lookup)
    return _shipped_lookup
