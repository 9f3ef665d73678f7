"""The migration that records who submitted each claim fills it in for claims sent before
it, from their audit events."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core20.hours.models import ExpenseClaim
from tests.hours import helpers


def _migrate(target: str) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("hours", target)])


@pytest.fixture(autouse=True)
def _latest_afterwards(transactional_db):
    """Leave the schema at the latest migration, as the tests that run next expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("hours"))


@pytest.mark.django_db(transaction=True)
def test_claims_submitted_before_the_field_existed_learn_who_submitted_them(me, bea, people):
    for_connector = helpers.submitted_claim(me, people["host"], "9.00")
    own = helpers.submitted_claim(bea, people["bea_user"], "4.00")
    draft = helpers.draft_claim(me, people["connector"])
    _migrate("0001_initial")
    _migrate("0002_claim_submitted_by")
    submitted_by = dict(ExpenseClaim.objects.values_list("pk", "submitted_by"))
    assert submitted_by == {
        for_connector.pk: people["host"].pk,
        own.pk: people["bea_user"].pk,
        draft.pk: None,
    }
