"""The places tests run on the real shipped data, loaded once for the package with the
load_places_reference command.

The load runs inside a transaction held open for the whole package (as Django's
TestCase.setUpClass does): each test runs in a savepoint within it and is rolled back, and
the package's teardown rolls the load back too, so other packages see an empty database.
"""

import gzip
import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

REFERENCE = Path(settings.BASE_DIR) / "data" / "reference" / "places"


@pytest.fixture(scope="package")
def places_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            started = time.monotonic()
            call_command("load_places_reference", stdout=out)
            if connection.features.can_defer_constraint_checks:
                # PostgreSQL: check the load's deferred foreign keys now, once, rather than
                # in every test's teardown (Django checks them there, inside each savepoint).
                connection.check_constraints()
            yield {"output": out.getvalue(), "seconds": time.monotonic() - started}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def places(places_data, db):
    """The shipped reference data, loaded (and the database, for the test)."""
    return places_data


def shipped(name: str) -> Path:
    return REFERENCE / name


def read_text(name: str) -> str:
    """A shipped file's text, read directly (not through the importers)."""
    path = shipped(name)
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8-sig")
