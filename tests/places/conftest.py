"""The places tests run on the real shipped data, loaded once for the package.

The load runs inside a transaction held open for the whole package (as Django's
TestCase.setUpClass does): each test runs in a savepoint within it and is rolled back, and
the package's teardown rolls the load back too, so other packages see an empty database.
"""

import time

import pytest
from django.db import transaction

from core20.places.importers.reference import load_reference


@pytest.fixture(scope="package")
def places_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            results = load_reference()
            seconds = time.monotonic() - started
            yield {"results": results, "seconds": seconds}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def places(places_data, db):
    """Use in a test to get the loaded reference data (and the database)."""
    return places_data
