"""A person who connects at several sites has a record at each. Their connector home and
``GET /api/v1/network/me`` (training due next) and ``GET /api/v1/network/me/training`` read
every record's site requirements and training in a fixed number of queries, however many
sites they connect at, and still show each site's own requirements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core20.network import actions, requirements
from core20.network.models import Connector, SiteRequirements, TrainingModule
from tests.conftest import client_for
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

PAGES = (reverse("network:me"), "/api/v1/network/me", "/api/v1/network/me/training")


def _record(site, user, by, module_title: str, *, saved: bool) -> Connector:
    """An active record at ``site`` with one module done. The site has its own required
    module, ``module_title``: listed in saved requirements (``saved``), or required by
    default (the site has saved none)."""
    connector = Connector.objects.create(
        site=site, name="Con Nector", user=user, status=Connector.Status.ACTIVE
    )
    own = TrainingModule.objects.create(
        site=site,
        code=f"own-{site.pk}",
        title=module_title,
        valid_for_months=12,
        required_by_default=not saved,
    )
    if saved:
        SiteRequirements.objects.create(site=site).modules.set([own])
    national = TrainingModule.objects.filter(site__isnull=True).first()
    actions.record_training(
        connector=connector, module=national, completed_on=timezone.localdate(), by=by
    )
    return connector


def _queries(client) -> dict[str, int]:
    counts = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def test_own_records_take_a_fixed_number_of_queries_however_many_sites(site, other_site, people):
    me = people["connector"]
    # Two to start with: one site with saved requirements, one with the defaults.
    _record(site, me, people["admin"], "Home site module", saved=False)
    _record(other_site, me, people["admin"], "Other site module", saved=True)
    client = client_for(me)
    for url in PAGES:
        client.get(url)  # warm caches (sessions, memberships)
    few = _queries(client)
    titles = []
    for n in range(4):
        title = f"Far site {n} module"
        _record(SiteFactory(name=f"Far Site {n}"), me, people["admin"], title, saved=n % 2 == 0)
        titles.append(title)
    many = _queries(client)
    page = client.get(reverse("network:me")).content.decode()
    assert all(title in page for title in ["Home site module", "Other site module", *titles])
    assert len(client.get("/api/v1/network/me/training").json()) == 6
    assert many == few


def test_required_modules_by_site_agrees_with_required_modules(site, other_site, people):
    _record(site, people["connector"], people["admin"], "Saved module", saved=True)
    _record(other_site, people["connector"], people["admin"], "Default module", saved=False)
    third = SiteFactory(name="Third Site")  # nothing of its own: the national defaults
    by_site = requirements.required_modules_by_site([site.pk, other_site.pk, third.pk])
    for each in (site, other_site, third):
        assert by_site[each.pk] == requirements.required_modules(each), each.name
    assert [m.title for m in by_site[site.pk]] == ["Saved module"]
    assert "Default module" in [m.title for m in by_site[other_site.pk]]
    assert "Default module" not in [m.title for m in by_site[third.pk]]
