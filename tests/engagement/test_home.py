"""Activities on the home page: shortcuts to record an activity, the list and the site's
summary, each only for whoever the page lets in. Nothing waits: activities are nobody's to
approve."""

import pytest
from django.urls import reverse

from core20.engagement import home
from core20.programme.models import Site
from tests.conftest import sign_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

RECORD = ("Record an activity", reverse("engagement:activity-new"))
LIST = ("See activities", reverse("engagement:activity-list"))


def _shortcuts(user):
    return [(s.label, s.url) for s in home.shortcuts(user)]


def test_each_role_gets_the_activity_pages_it_may_open(client, make_user, site):
    summary = ("See the activity summary", reverse("engagement:site-dashboard", args=[site.slug]))
    expected = {
        "connector": [RECORD, LIST],
        "host_coordinator": [RECORD, LIST, summary],
        "site_lead": [LIST, summary],
        "national_admin": [RECORD, LIST],
        "national_analyst": [LIST],
        "decision_maker": [],
        "panel_member": [],
        "community_member": [],
    }
    for role, shortcuts in expected.items():
        user = make_user(role)
        assert _shortcuts(user) == shortcuts, role
        sign_in(client, user)
        for _, url in shortcuts:
            assert client.get(url).status_code == 200, (role, url)


def test_a_connector_is_told_the_list_is_their_own(make_user):
    shortcuts = {s.label: s.hint for s in home.shortcuts(make_user("connector"))}
    assert shortcuts["See activities"] == "The activities you have recorded"
    coordinator = {s.label: s.hint for s in home.shortcuts(make_user("host_coordinator"))}
    assert coordinator["See activities"] == ""
    assert coordinator["See the activity summary"] == "People reached at Home Site, month by month"


def test_someone_at_two_sites_picks_the_summary_from_the_list(make_user, other_site):
    user = make_user("site_lead")
    MembershipFactory(user=user, role="host_coordinator", site=other_site)
    assert _shortcuts(user) == [RECORD, LIST]


def test_a_national_role_gets_no_links_while_there_are_no_sites(make_user):
    admin, analyst = make_user("national_admin"), make_user("national_analyst")
    Site.objects.all().delete()
    assert home.shortcuts(admin) == [] and home.shortcuts(analyst) == []


def test_shortcuts_take_at_most_one_query(make_user, django_assert_max_num_queries):
    for role in ("connector", "host_coordinator", "national_admin", "national_analyst"):
        user = make_user(role)
        assert user.cached_memberships
        with django_assert_max_num_queries(1):
            home.shortcuts(user)
