"""The migration that clears the decline reason of applications erased before erasure did."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core20.grants import actions
from core20.grants.models import Application
from tests.grants import helpers


def _migrate(target: str) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("grants", target)])


@pytest.fixture(autouse=True)
def _latest_afterwards(transactional_db):
    """Leave the schema at the latest migration, as the tests that run next expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("grants"))


@pytest.mark.django_db(transaction=True)
def test_erased_applications_lose_their_decline_reason_and_others_keep_it(site, make_user):
    lead = make_user("site_lead")
    fund = helpers.fund(site)
    erased, _kept = (
        actions.decide(
            application=helpers.application(fund, title=title),
            awarded=False,
            reason=f"Reason for {title}",
            by=lead,
        )
        for title in ("Erased one", "Kept one")
    )
    # Erased before erasure cleared the reason: the reason is still stored.
    Application.objects.filter(pk=erased.pk).update(erased_at=timezone.now())

    _migrate("0002_application_erased_at")
    _migrate("0003_clear_erased_decline_reasons")

    reasons = dict(Application.objects.values_list("title", "decline_reason"))
    assert reasons == {"Erased one": "", "Kept one": "Reason for Kept one"}
