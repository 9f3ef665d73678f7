"""List pages' filters (includes/filters.html): the form sits in an NHS details component
whose summary says how many filters are applied, so that on a phone (where app.js folds it)
the person still sees that the list is filtered. The HTML has it open, so it works without
JavaScript; a form with errors is marked to stay open. Paging is not a filter."""

import re

import pytest
from django import forms
from django.urls import reverse

from core20.programme.models import Site
from core20.web.templatetags.list_filters import applied_filter_count
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

# (route, who may see it, its summary, two filters it accepts)
PAGES = [
    (
        "engagement:activity-list",
        "connector",
        "Filter activities",
        {"kind": "outreach", "date_from": "2026-01-01"},
    ),
    ("programme:site-list", None, "Filter sites", {"q": "Home", "region": ""}),
    ("directory:search", "connector", "Search services", {"q": "walking", "route": "gp"}),
    ("insights:insight-list", "connector", "Filter insights", {"kind": "idea", "status": "new"}),
    ("knowledge:resource-list", None, "Filter resources", {"q": "report", "kind": "webinar"}),
    ("accounts:people", "site_lead", "Filter people", {"q": "connie", "role": "connector"}),
]
IDS = [route for route, *_ in PAGES]


def _summary(page: str) -> str:
    found = re.search(r'data-testid="filters-summary">([^<]*)</span>', page)
    assert found, "the page has no filters summary"
    return found.group(1)


def _details(page: str) -> str:
    found = re.search(r'<details class="nhsuk-details app-filters"[^>]*>', page)
    assert found, "the page's filters are not in a details component"
    return found.group(0)


def _get(client, make_user, role, route, data=None) -> str:
    if role:
        sign_in(client, make_user(role))
    response = client.get(reverse(route), data or {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("route", "role", "title", "filters"), PAGES, ids=IDS)
def test_the_summary_says_how_many_filters_are_applied(
    client, make_user, route, role, title, filters
):
    page = _get(client, make_user, role, route, filters)
    applied = sum(1 for value in filters.values() if value)
    assert _summary(page) == f"{title} ({applied} applied)"
    # The filters are still in the page, open in the HTML (app.js folds them on phones),
    # and can be cleared.
    assert " open " in _details(page)
    for name in filters:
        assert f'name="{name}"' in page
    assert f'href="{reverse(route)}">Clear' in page


@pytest.mark.parametrize(("route", "role", "title", "filters"), PAGES, ids=IDS)
def test_an_unfiltered_list_says_no_count_and_offers_no_clearing(
    client, make_user, route, role, title, filters
):
    page = _get(client, make_user, role, route)
    assert _summary(page) == title
    # Folded on a phone, except a search page's form before any search (the site list is
    # where "Find a site near you" leads, to search by postcode or place).
    folded = "open" if route in ("directory:search", "programme:site-list") else "fold"
    assert f'data-app-filters="{folded}"' in _details(page)
    assert f'href="{reverse(route)}">Clear' not in page
    # Empty filters, and the page number, narrow nothing.
    page = _get(client, make_user, None, route, {**dict.fromkeys(filters, ""), "page": "2"})
    assert _summary(page) == title


def test_the_directory_search_stays_open_on_phones_until_a_search_is_made(client, make_user):
    """Searching is what the directory is for: its form is not folded away before a
    search, and is folded once there are results to read."""
    page = _get(client, make_user, None, "directory:search")
    assert 'data-app-filters="open"' in _details(page)
    page = _get(client, make_user, None, "directory:search", {"q": "walking"})
    assert 'data-app-filters="fold"' in _details(page)


def test_filters_with_an_error_stay_open_and_count_nothing(client, make_user):
    page = _get(
        client,
        make_user,
        "connector",
        "engagement:activity-list",
        {"date_from": "not a date", "kind": "outreach"},
    )
    # The list is not filtered while the form has an error, so nothing is "applied"; the
    # error is beside its field, which stays in view on a phone too.
    assert _summary(page) == "Filter activities"
    assert 'data-app-filters="errors"' in _details(page)
    assert "Date from must be a real date" in page
    assert 'href="/activities/">Clear filters</a>' in page


def test_a_chosen_site_counts_as_one_filter(client, make_user, site, other_site):
    """Someone who sees more than one site's activities can filter by site."""
    sign_in(client, make_user("national_admin"))
    page = client.get(
        reverse("engagement:activity-list"), {"site": site.slug, "kind": "outreach"}
    ).content.decode()
    assert _summary(page) == "Filter activities (2 applied)"


class _Form(forms.Form):
    q = forms.CharField(required=False)
    when = forms.DateField(required=False)
    number = forms.IntegerField(required=False)
    mine = forms.BooleanField(required=False)
    sites = forms.ModelMultipleChoiceField(Site.objects.all(), required=False, to_field_name="slug")
    page = forms.IntegerField(required=False)
    sort = forms.CharField(required=False)


def test_the_count_leaves_out_empty_values_paging_and_sorting(site):
    assert applied_filter_count(_Form()) == 0
    assert applied_filter_count(_Form({"q": "  ", "mine": "", "page": "3", "sort": "name"})) == 0
    full = {"q": "x", "when": "2026-01-02", "number": "0", "mine": "on", "sites": [site.slug]}
    assert applied_filter_count(_Form(full)) == 5
    assert applied_filter_count(_Form({**full, "when": "nonsense"})) == 0
