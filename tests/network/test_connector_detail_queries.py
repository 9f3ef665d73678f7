"""A coordinator's page for one connector looks up the site's required checks and training
once each, and the connector's own checks and training completions once each, and uses them
for the checks and training tables and for what still stands between the connector and being
active."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core20.network.models import Check, SiteRequirements, TrainingCompletion, TrainingModule
from tests.network.conftest import complete_requirements

pytestmark = pytest.mark.django_db


def _from(model) -> str:
    return f'FROM "{model._meta.db_table}"'


def _page(client, connector) -> tuple[str, int, int]:
    page, counts, total = _page_counts(client, connector)
    return page, counts[SiteRequirements], total


def _page_counts(client, connector) -> tuple[str, dict, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(connector.get_absolute_url())
    assert response.status_code == 200
    counts = {
        model: sum(_from(model) in q["sql"] for q in queries)
        for model in (SiteRequirements, Check, TrainingCompletion)
    }
    return response.content.decode(), counts, len(queries)


@pytest.mark.parametrize("saved", [False, True], ids=["national defaults", "saved requirements"])
def test_the_connector_page_looks_up_the_sites_requirements_once(site, recruit, client_as, saved):
    own = TrainingModule.objects.create(
        site=site, code="own", title="Home site induction", required_by_default=True
    )
    if saved:
        SiteRequirements.objects.create(site=site).modules.set([own])
    client = client_as("host")
    client.get(recruit.get_absolute_url())  # warm caches (session, memberships)

    page, lookups, total = _page(client, recruit)

    # Once for the checks and once for the training, not again for what is still needed.
    assert lookups == 2
    assert total <= 21
    assert "Home site induction (required)" in page
    assert "Training still needed:" in page and "Home site induction" in page
    if saved:
        assert "Checks still needed" not in page
        assert "Connector induction (required)" not in page
    else:
        assert "Checks still needed: DBS check" in page


def test_the_connector_page_reads_their_checks_and_training_once(site, recruit, client_as, people):
    """The tables and "what is still needed" share one read of each: the page shows both
    from the same records."""
    complete_requirements(recruit, people["host"])
    client = client_as("host")
    client.get(recruit.get_absolute_url())  # warm caches (session, memberships)

    page, counts, total = _page_counts(client, recruit)

    assert counts[Check] == 1
    assert counts[TrainingCompletion] == 1
    assert total <= 21
    assert "can be made active" in page
    assert "Not started" not in page and "Not done" not in page
