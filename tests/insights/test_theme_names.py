"""Theme names are unambiguous: the API and the offline form look a theme up by its name
among the national themes and the site's own, so a site theme may not share a national
theme's name, nor a national theme any site's, ignoring case and extra spaces."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.insights import actions
from core20.insights.models import Theme
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

NATIONAL = "Transport and travel"  # seeded by migration


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


@pytest.fixture
def admin(make_user):
    return make_user("national_admin")


@pytest.fixture
def other_lead(make_user, other_site):
    return make_user("site_lead", scope_site=other_site)


def _refused(**kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        actions.create_theme(**kwargs)
    return caught.value.message_dict["name"]


@pytest.mark.parametrize("name", [NATIONAL, "transport AND travel", "  Transport   and travel "])
def test_a_site_theme_may_not_share_a_national_themes_name(site, lead, name):
    assert Theme.objects.filter(name=NATIONAL, site=None).exists()
    assert _refused(site=site, name=name, by=lead) == [
        "There is already a national theme called Transport and travel"
    ]
    assert not Theme.objects.filter(site=site).exists()


def test_the_name_is_compared_ignoring_extra_spaces(site, lead):
    assert _refused(site=site, name="  transport   and TRAVEL ", by=lead) == [
        "There is already a national theme called Transport and travel"
    ]


def test_a_national_theme_may_not_share_any_sites_theme_name(
    site, other_site, lead, other_lead, admin
):
    actions.create_theme(site=site, name="Parking at the hospital", by=lead)
    assert _refused(site=None, name="parking at the Hospital", by=admin) == [
        "Home Site already has a theme called Parking at the hospital"
    ]
    actions.create_theme(site=other_site, name="Parking at the hospital", by=other_lead)
    assert _refused(site=None, name="Parking at the hospital", by=admin) == [
        "Home Site and 1 other site already have a theme called Parking at the hospital"
    ]
    assert not Theme.objects.filter(site=None, name__iexact="parking at the hospital").exists()


def test_a_site_may_not_have_two_themes_of_one_name(site, lead):
    actions.create_theme(site=site, name="Parking at the hospital", by=lead)
    assert _refused(site=site, name="PARKING at the hospital", by=lead) == [
        "Home Site already has a theme called Parking at the hospital"
    ]
    assert Theme.objects.filter(site=site).count() == 1


def test_names_that_differ_are_allowed_and_sites_may_share_a_name(
    site, other_site, lead, other_lead, admin
):
    own = actions.create_theme(site=site, name="Parking at the hospital", by=lead)
    # Another site's theme is not among this site's: no ambiguity for the API.
    theirs = actions.create_theme(site=other_site, name="Parking at the hospital", by=other_lead)
    national = actions.create_theme(site=None, name="Mobile phone signal", by=admin)
    assert {own.site, theirs.site, national.site} == {site, other_site, None}
    assert AuditEvent.objects.filter(object_type="insights.Theme", verb="create").count() == 3


def test_the_api_finds_each_theme_by_its_one_name(site, lead):
    """What the rule protects: a name gives one theme at the site."""
    own = actions.create_theme(site=site, name="Parking at the hospital", by=lead)
    for name in (NATIONAL, own.name):
        assert actions.themes_for(site).filter(name=name).count() == 1


def _themes_page(site) -> str:
    return reverse("insights:themes", args=[site.slug])


def test_the_themes_page_shows_the_refusal_on_the_name(site, lead):
    response = client_for(lead).post(_themes_page(site), {"name": "transport and travel"})
    assert response.status_code == 200
    page = response.content.decode()
    message = "There is already a national theme called Transport and travel"
    assert "<title>Error: " in page
    assert "nhsuk-error-summary" in page
    assert f'<a href="#id_name">{message}</a>' in page  # in the summary, linking to the field
    assert "nhsuk-form-group--error" in page
    assert 'class="nhsuk-error-message"' in page and page.count(message) == 2
    assert not Theme.objects.filter(site=site).exists()


def test_the_themes_page_adds_a_theme_with_a_new_name(site, lead):
    url = _themes_page(site)
    response = client_for(lead).post(url, {"name": "Parking at the hospital"})
    assert response.status_code == 302 and response.url == url
    assert Theme.objects.filter(site=site, name="Parking at the hospital").exists()
