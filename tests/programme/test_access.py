"""Who may open each programme page: every visitor, page by page.

Reading is public (published programme information). Creating and editing need a role:
waves PROGRAMME_MANAGE, sites SITE_CREATE / SITE_EDIT, organisations ORGANISATION_MANAGE.
Anonymous visitors are sent to sign in; signed-in visitors without the right get a 403.
"""

import pytest
from django.urls import reverse

from tests.programme.conftest import VISITORS, h1_count

pytestmark = pytest.mark.django_db

OK, LOGIN, DENIED = 200, "login", 403


def outcome(response):
    if response.status_code == 302 and "/account/sign-in/" in response["Location"]:
        return LOGIN
    return response.status_code


def expect_only(*allowed):
    return {v: OK if v in allowed else (LOGIN if v == "anonymous" else DENIED) for v in VISITORS}


PUBLIC = dict.fromkeys(VISITORS, OK)

PAGES = {
    "overview": (lambda w: reverse("programme:overview"), PUBLIC),
    "wave-list": (lambda w: reverse("programme:wave-list"), PUBLIC),
    "wave-detail": (lambda w: reverse("programme:wave-detail", args=[w["site"].wave.pk]), PUBLIC),
    "site-list": (lambda w: reverse("programme:site-list"), PUBLIC),
    "site-detail": (lambda w: reverse("programme:site-detail", args=[w["site"].slug]), PUBLIC),
    "organisation-list": (lambda w: reverse("programme:organisation-list"), PUBLIC),
    "organisation-detail": (
        lambda w: reverse("programme:organisation-detail", args=[w["organisation"].slug]),
        PUBLIC,
    ),
    "wave-create": (lambda w: reverse("programme:wave-create"), expect_only("national_admin")),
    "wave-edit": (
        lambda w: reverse("programme:wave-edit", args=[w["site"].wave.pk]),
        expect_only("national_admin"),
    ),
    "site-create": (lambda w: reverse("programme:site-create"), expect_only("national_admin")),
    "site-edit (own site)": (
        lambda w: reverse("programme:site-edit", args=[w["site"].slug]),
        expect_only("national_admin", "site_lead"),
    ),
    "site-edit (another site)": (
        lambda w: reverse("programme:site-edit", args=[w["other_site"].slug]),
        expect_only("national_admin", "other_site_lead"),
    ),
    "organisation-create": (
        lambda w: reverse("programme:organisation-create"),
        expect_only("national_admin"),
    ),
    "organisation-edit": (
        lambda w: reverse("programme:organisation-edit", args=[w["organisation"].slug]),
        expect_only("national_admin"),
    ),
}


@pytest.fixture
def things(site, other_site, organisation):
    return {"site": site, "other_site": other_site, "organisation": organisation}


@pytest.mark.parametrize("page", list(PAGES))
def test_each_visitor_gets_what_their_role_allows(page, things, client_as):
    url_of, expected = PAGES[page]
    url = url_of(things)
    got = {visitor: outcome(client_as(visitor).get(url)) for visitor in VISITORS}
    assert got == expected


@pytest.mark.parametrize("page", list(PAGES))
def test_posting_is_guarded_like_reading(page, things, client_as):
    """A POST is checked before anything is read from it: no role, no change."""
    url_of, expected = PAGES[page]
    if expected is PUBLIC:
        return
    url = url_of(things)
    for visitor in VISITORS:
        if expected[visitor] == OK:
            continue
        response = client_as(visitor).post(url, {"name": "Sneaky", "summary": "x"})
        assert outcome(response) == expected[visitor], visitor


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_has_one_h1_and_breadcrumbs(page, things, client_as):
    url_of, expected = PAGES[page]
    visitor = next(v for v, status in expected.items() if status == OK)
    response = client_as(visitor).get(url_of(things))
    assert h1_count(response) == 1
    assert 'class="nhsuk-breadcrumb"' in response.content.decode()


def test_denied_page_is_the_projects_403_page(things, client_as):
    response = client_as("connector").get(reverse("programme:site-create"))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def test_anonymous_is_sent_to_sign_in_and_back(client, site):
    url = reverse("programme:site-edit", args=[site.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]
