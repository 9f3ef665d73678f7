"""Review fixes: the public home page's ways in, national analysts' shortcuts, and who is
shown "Your applications"."""

import pytest
from django.urls import reverse

from core20.selection.models import Application
from core20.web.dashboard import dashboard_for
from core20.web.navigation import navigation_for
from tests.conftest import opens, page_html
from tests.selection import helpers as selection

pytestmark = pytest.mark.django_db

# ---- the public home page ----


def test_the_public_home_page_offers_the_ways_in():
    html = page_html(None, reverse("web:home"))
    sites = reverse("programme:site-list")
    assert f'href="{sites}"><svg' in html and "Find a site near you" in html
    assert "Become a community connector" in html
    assert f'href="{reverse("grants:fund-list")}"><svg' in html
    assert "Apply for a micro-grant" in html
    for url in (sites, reverse("grants:fund-list")):
        assert opens(None, url)


def test_the_ways_in_are_for_visitors_not_the_signed_in_dashboard(make_user):
    html = page_html(make_user("connector"), reverse("web:home"))
    assert "Get involved" not in html and "Find a site near you" not in html


# ---- national analysts' shortcuts ----

ANALYST_SHORTCUTS = [
    ("Upload indicator data", reverse("outcomes:upload-create")),
    ("See outcomes across the programme", reverse("outcomes:national")),
    ("View national oversight", reverse("oversight:dashboard")),
    ("Import reference data", reverse("places:imports")),
]


def test_a_national_analyst_has_shortcuts_to_their_work_and_each_opens(make_user):
    analyst = make_user("national_analyst")
    shortcuts = [(s.label, s.url) for s in dashboard_for(analyst).shortcuts]
    for shortcut in ANALYST_SHORTCUTS:
        assert shortcut in shortcuts
        assert opens(analyst, shortcut[1]), shortcut
    html = page_html(analyst, reverse("web:home"))
    assert "Upload indicator data" in html and "Import reference data" in html


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator", "connector", "decision_maker"])
def test_people_without_national_work_are_not_given_those_shortcuts(make_user, role):
    labels = {s.label for s in dashboard_for(make_user(role)).shortcuts}
    assert not labels & {label for label, _ in ANALYST_SHORTCUTS}


def test_each_shortcut_is_offered_once(make_user):
    urls = [s.url for s in dashboard_for(make_user("national_admin")).shortcuts]
    assert len(urls) == len(set(urls))


# ---- "Your applications" ----


def _labels(user) -> list[str]:
    return [item.label for item in navigation_for(user).primary]


@pytest.mark.parametrize(
    "role", ["connector", "site_lead", "national_analyst", "panel_member", "community_member"]
)
def test_people_with_a_role_and_no_application_are_not_shown_your_applications(make_user, role):
    assert "Your applications" not in _labels(make_user(role))
    assert "Your applications" not in page_html(make_user(role), reverse("web:home"))


def test_an_applicant_account_is_shown_your_applications_before_applying(make_user):
    applicant = make_user(None)  # as selection:account-create makes: no role
    assert "Your applications" in _labels(applicant)
    assert opens(applicant, reverse("selection:my-applications"))


def test_someone_with_a_role_and_an_application_is_shown_it(make_user, site):
    lead = make_user("site_lead")
    Application.objects.create(call=selection.make_call(site.wave), applicant=lead)
    assert "Your applications" in _labels(lead)
    assert "Your applications" in page_html(lead, reverse("web:home"))


def test_the_application_check_is_one_query_once_per_request(
    make_user, site, django_assert_num_queries
):
    lead = make_user("site_lead")
    assert lead.cached_memberships  # as every page has them before the header is built
    with django_assert_num_queries(1):
        navigation_for(lead)
    with django_assert_num_queries(0):
        navigation_for(lead)
    # An account with no role is shown "Your applications" without asking; it asks once
    # whether it has a connector record (a paused or former connector whose only role has
    # ended still has a connector home).
    applicant = make_user(None)
    assert not applicant.cached_memberships
    with django_assert_num_queries(1):
        navigation_for(applicant)
    with django_assert_num_queries(0):
        navigation_for(applicant)
