"""Fixtures for the lookup, aggregation and target-area tests.

``places`` gives the real shipped reference data, loaded into the test database once for
the package (inside a transaction held open for the package, as tests/places does: each
test runs in a savepoint and is rolled back, and the load is rolled back at the end).
``file_lookup`` is the lookup table built straight from the shipped files (no database).
``tiny`` is a hand-made fixture of four LSOAs for hand-computed figures.
"""

import time

import pytest
from django.db import transaction

from core20.places import aggregation
from core20.places.lookup import cache
from core20.places.lookup.files import read_frames
from core20.places.lookup.table import build_lookup_table


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test sees the data it made: test rows come and go inside rolled-back
    transactions, so ids (and so the cache marker) can repeat with different data."""
    cache.invalidate()
    aggregation._national_cache.clear()
    yield
    cache.invalidate()
    aggregation._national_cache.clear()


@pytest.fixture(scope="package")
def places_data(django_db_setup, django_db_blocker):
    from core20.places.importers.reference import load_reference

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            results = load_reference()
            yield {"results": results, "seconds": time.monotonic() - started}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def places(places_data, db):
    return places_data


@pytest.fixture(scope="session")
def shipped_frames():
    return read_frames()


@pytest.fixture(scope="session")
def file_lookup(shipped_frames):
    return build_lookup_table(shipped_frames)
