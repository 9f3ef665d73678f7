"""Data pack tests run on the places tests' hand-made ``tiny`` fixture (four LSOAs in two
wards, hand-known populations and deciles), with PDFs written under pytest's tmp_path."""

import pytest

from tests.places_lookup.conftest import _fresh_caches, tiny  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
