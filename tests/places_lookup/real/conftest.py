"""The real shipped reference data, loaded into the test database once for this
sub-package (inside a transaction held open for it, as tests/places does: each test runs in
a savepoint and is rolled back, and the load is rolled back at the end), so the tiny-fixture
tests in the parent package never see it."""

import time

import pytest
from django.db import connection, transaction


@pytest.fixture(scope="package")
def places_data(django_db_setup, django_db_blocker):
    from core20.places.importers.reference import load_reference

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            started = time.monotonic()
            results = load_reference()
            if connection.features.can_defer_constraint_checks:
                # PostgreSQL: check the load's deferred foreign keys now, once. Django checks
                # deferred constraints in every test's teardown, inside the test's savepoint,
                # so the whole load's checks were run again after every test (~3 s each).
                connection.check_constraints()
            yield {"results": results, "seconds": time.monotonic() - started}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def places(places_data, db):
    return places_data
