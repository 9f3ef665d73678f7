"""Data packs on the home page: each area's newest generated version, waiting to be previewed
and published by whoever may publish the site's packs."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core20.datapacks import home
from core20.datapacks.models import DataPack
from tests.conftest import opens
from tests.datapacks.helpers import make_pack
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

Status = DataPack.Status


def shown(entries) -> dict[str, tuple[int, str]]:
    """What the home page shows: entries with something waiting, by their wording."""
    return {w.plural: (w.count, w.url) for w in entries if w.count}


def versions(site, area_code: str, *statuses) -> None:
    for version, status in enumerate(statuses, start=1):
        make_pack(site, status=status, version=version, area_code=area_code)


def test_a_site_lead_sees_each_areas_newest_version_waiting_to_be_published(
    make_user, site, other_site
):
    versions(site, "", Status.PUBLISHED, Status.READY)  # waits
    versions(site, "E05999991", Status.READY, Status.READY)  # only version 2 waits
    versions(site, "E05999992", Status.READY, Status.PUBLISHED)  # overtaken: nothing
    versions(site, "E05999993", Status.READY, Status.FAILED)  # version 1 still waits
    versions(site, "E05999994", Status.QUEUED, Status.RUNNING)  # not generated yet
    versions(other_site, "", Status.READY)  # another site's
    lead = make_user("site_lead")
    url = reverse("datapacks:site", args=[site.slug])
    assert shown(home.waiting(lead)) == {"data packs to publish": (3, url)}
    assert opens(lead, url)


def test_nothing_to_publish_shows_nothing(make_user, site):
    versions(site, "", Status.READY, Status.PUBLISHED)
    assert shown(home.waiting(make_user("site_lead"))) == {}


def test_a_national_admin_sees_every_sites_packs(make_user, site, other_site):
    admin = make_user("national_admin")
    versions(site, "", Status.READY)
    url = reverse("datapacks:site", args=[site.slug])
    assert shown(home.waiting(admin)) == {"data packs to publish": (1, url)}
    assert opens(admin, url)
    versions(other_site, "", Status.READY)
    url = reverse("datapacks:index")
    assert shown(home.waiting(admin)) == {"data packs to publish": (2, url)}
    assert opens(admin, url)


@pytest.mark.parametrize("role", ["host_coordinator", "connector", "national_analyst"])
def test_people_who_do_not_publish_packs_see_none(make_user, site, role):
    versions(site, "", Status.READY)
    user = make_user(role)
    assert shown(home.waiting(user)) == {}
    assert home.shortcuts(user) == []


def test_the_lead_has_a_shortcut_to_generate_their_sites_pack(make_user, site):
    lead = make_user("site_lead")
    url = reverse("datapacks:generate", args=[site.slug])
    assert [(s.label, s.url) for s in home.shortcuts(lead)] == [("Generate a data pack", url)]
    assert opens(lead, url)
    # National admins publish for any site, so there is no one site to start from.
    assert home.shortcuts(make_user("national_admin")) == []


@pytest.mark.parametrize("sites", [1, 5])
def test_queries_do_not_grow_with_the_records(make_user, site, sites, django_assert_num_queries):
    lead, admin = make_user("site_lead"), make_user("national_admin")
    for place in [site] + [SiteFactory() for _ in range(sites - 1)]:
        versions(place, "", Status.PUBLISHED, Status.READY, Status.READY)
        versions(place, "E05999991", Status.READY)
    for user in (lead, admin):
        assert user.cached_memberships  # loaded once per request, before the home page asks
    with django_assert_num_queries(1):
        assert shown(home.waiting(lead))["data packs to publish"][0] == 2
    with django_assert_num_queries(1):
        assert shown(home.waiting(admin))["data packs to publish"][0] == 2 * sites
    with django_assert_num_queries(0):
        home.shortcuts(lead)


def test_an_anonymous_visitor_has_nothing_waiting_and_no_shortcuts():
    assert home.waiting(AnonymousUser()) == []
    assert home.shortcuts(AnonymousUser()) == []
