"""What the programme pages show, to whom, and at what cost in queries."""

import pytest
from django.urls import reverse

from core20.programme.models import (
    ClinicalArea,
    Organisation,
    PlusGroup,
    Site,
    SiteOrganisation,
    Wave,
)
from tests.factories import OrganisationFactory, SiteFactory
from tests.programme.conftest import h1_count, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_site(site):
    """The home site, with internal notes and a contact address the public must not see."""
    site.internal_notes = "Budget under review: confidential"
    site.contact_email = "lead@home-site.example.org"
    site.save()
    return site


@pytest.fixture
def hidden_site(site):
    """An unpublished site in the same wave as the home site."""
    return SiteFactory(name="Secret Site", wave=site.wave, published=False)


# ---- overview and waves ----


def test_overview_summarises_the_real_programme(client, reference_data):
    html = text(client.get(reverse("programme:overview")))
    assert "<h1>Core20PLUS Connectors</h1>" in html
    assert "NHS South, Central and West Commissioning Support Unit" in html  # who runs it
    assert "Healthwatch England" in html  # partners
    assert "13 sites, including 2 associate sites" in html  # wave 1
    assert "8 sites" in html  # wave 2
    # Sites by region link to the filtered list.
    assert f'{reverse("programme:site-list")}?region=E40000011">Midlands</a>' in html
    assert f'href="{reverse("programme:site-list")}"' in html


def test_overview_explains_the_programme_s_terms_in_plain_words(client, reference_data):
    """The programme's own summary says "ICS", "Core20PLUS5" and "assets-based community
    development" without explaining them; the page explains each once."""
    html = text(client.get(reverse("programme:overview")))
    assert "What these terms mean" in html
    assert "20% of people who live in the most deprived" in html  # Core20
    assert "Integrated Care System (ICS)</dt>" in html
    assert "Starting from what a community already has" in html


def test_overview_counts_sites_by_region(client, reference_data):
    response = client.get(reverse("programme:overview"))
    midlands = next(r for r in response.context["regions"] if r.name == "Midlands")
    assert midlands.site_count == 5
    assert response.context["site_count"] == 21


def test_overview_without_a_programme_still_renders(client, db):
    response = client.get(reverse("programme:overview"))
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert "have not been added yet" in text(response)


def test_wave_list_and_detail(client, reference_data):
    html = text(client.get(reverse("programme:wave-list")))
    assert "Wave 1 (21/22)" in html and "Wave 2 (22/23)" in html
    wave = Wave.objects.get(number=1)
    response = client.get(reverse("programme:wave-detail", args=[wave.pk]))
    html = text(response)
    assert response.context["wave"].site_count == 13
    assert len(response.context["sites"]) == 13
    assert "26" in html  # EOIs received
    assert "A total of 26 EOIs were received" in html  # the selection note
    assert html.count("Associate site</strong>") == 2
    assert "Edit wave" not in html


def test_wave_detail_counts_only_visible_sites(client, site, hidden_site, make_user):
    response = client.get(reverse("programme:wave-detail", args=[site.wave.pk]))
    assert response.context["wave"].site_count == 1
    assert "Secret Site" not in text(response)


def test_unknown_wave_is_404(client, db):
    assert client.get(reverse("programme:wave-detail", args=[999])).status_code == 404


def test_wave_edit_link_only_for_national_admins(client_as, site):
    url = reverse("programme:wave-detail", args=[site.wave.pk])
    assert "Edit wave" in text(client_as("national_admin").get(url))
    assert "Edit wave" not in text(client_as("site_lead").get(url))
    assert "Add a wave" in text(client_as("national_admin").get(reverse("programme:wave-list")))
    assert "Add a wave" not in text(
        client_as("national_analyst").get(reverse("programme:wave-list"))
    )


# ---- site detail ----


def test_site_detail_shows_the_published_description(client, reference_data):
    response = client.get(reverse("programme:site-detail", args=["shropshire-telford-wrekin"]))
    html = text(response)
    assert "<h1" in html and "Shropshire, Telford and Wrekin</h1>" in html
    assert "Cancer Champions" in html  # local name
    assert "Wave 1 (21/22)" in html
    assert "Selected" in html  # status
    assert "Integrated care system" in html  # kind
    assert "Midlands" in html  # region
    assert "Shropshire, Telford and Wrekin Integrated Care Board" in html  # ICB
    assert "Early cancer diagnosis" in html  # focus area
    assert "highest cancer burden" in html  # communities note
    assert "Lingen Davies Cancer Fund" in html and "Delivery partner" in html  # organisations
    assert "page last updated 31 August 2023" in html  # source


def test_site_detail_separates_national_and_local_priorities(client, reference_data):
    response = client.get(reverse("programme:site-detail", args=["north-east-london"]))
    assert [a.name for a in response.context["national_areas"]] == ["Early cancer diagnosis"]
    assert {a.name for a in response.context["local_priorities"]} == {
        "Health checks for people over 50",
        "GP registration",
    }
    assert "Local priorities" in text(response)


def test_site_detail_shows_communities_and_geography(client, reference_data):
    html = text(client.get(reverse("programme:site-detail", args=["devon"])))
    assert "Coastal communities with pockets of hidden deprivation" in html
    assert "Rural, Coastal" in html
    assert "Two distinct communities in two geographies." in html


@pytest.mark.parametrize(
    "visitor, sees_internal",
    [
        ("anonymous", False),
        ("national_admin", True),
        ("national_analyst", True),
        ("site_lead", True),
        ("other_site_lead", False),
        ("host_coordinator", True),
        ("connector", False),
        ("decision_maker", False),
        ("panel_member", False),
        ("community_member", False),
    ],
)
def test_internal_notes_and_contact_only_for_the_sites_team_and_national_staff(
    visitor, sees_internal, client_as, secret_site
):
    html = text(client_as(visitor).get(reverse("programme:site-detail", args=[secret_site.slug])))
    assert ("Budget under review: confidential" in html) is sees_internal
    assert ("lead@home-site.example.org" in html) is sees_internal
    page = client_as(visitor).get(reverse("programme:site-detail", args=[secret_site.slug]))
    for route in ("oversight:site-funding", "oversight:site-returns"):
        link = f'href="{reverse(route, args=[secret_site.slug])}"'
        assert (link in page.content.decode()) is sees_internal


@pytest.mark.parametrize(
    "visitor, can_edit",
    [
        ("anonymous", False),
        ("national_admin", True),
        ("national_analyst", False),
        ("site_lead", True),
        ("other_site_lead", False),
        ("host_coordinator", False),
        ("connector", False),
        ("community_member", False),
    ],
)
def test_edit_site_link_only_for_those_who_may_edit(visitor, can_edit, client_as, site):
    html = text(client_as(visitor).get(reverse("programme:site-detail", args=[site.slug])))
    assert ("Edit site" in html) is can_edit


@pytest.mark.parametrize(
    "visitor, status",
    [
        ("anonymous", 404),
        ("national_admin", 200),
        ("national_analyst", 200),
        ("site_lead", 404),  # leads `site`, not the hidden one
        ("connector", 404),
        ("community_member", 404),
    ],
)
def test_unpublished_site_is_404_for_those_who_may_not_see_it(
    visitor, status, client_as, hidden_site
):
    url = reverse("programme:site-detail", args=[hidden_site.slug])
    assert client_as(visitor).get(url).status_code == status


def test_unpublished_site_is_visible_to_its_own_lead(client, make_user, hidden_site):
    from tests.conftest import sign_in

    sign_in(client, make_user("site_lead", scope_site=hidden_site))
    response = client.get(reverse("programme:site-detail", args=[hidden_site.slug]))
    assert response.status_code == 200
    assert "Not published" in text(response)
    assert client.get(reverse("programme:site-edit", args=[hidden_site.slug])).status_code == 200
    assert "Secret Site" in text(client.get(reverse("programme:site-list")))


def test_unpublished_site_is_left_out_of_public_lists(client, hidden_site, organisation):
    SiteOrganisation.objects.create(site=hidden_site, organisation=organisation, role="host")
    assert "Secret Site" not in text(client.get(reverse("programme:site-list")))
    assert "Secret Site" not in text(client.get(reverse("programme:wave-list")))
    response = client.get(reverse("programme:organisation-detail", args=[organisation.slug]))
    assert "Secret Site" not in text(response)
    assert list(response.context["roles"]) == []
    org_list = client.get(reverse("programme:organisation-list"))
    assert {o.name: o.site_count for o in org_list.context["page"]}[organisation.name] == 0
    # Anonymous visitors are sent to sign in before anything about the site is looked up.
    assert client.get(reverse("programme:site-edit", args=[hidden_site.slug])).status_code == 302


def test_unknown_site_is_404(client, db):
    assert client.get(reverse("programme:site-detail", args=["no-such-site"])).status_code == 404


# ---- organisations ----


def test_organisation_list_and_detail(client, reference_data):
    response = client.get(reverse("programme:organisation-list"))
    counts = {o.name: o.site_count for o in response.context["page"]}
    assert counts["Qube"] == 1 and counts["NHS England"] == 0
    html = text(client.get(reverse("programme:organisation-detail", args=["qube"])))
    assert "Shropshire, Telford and Wrekin" in html and "Delivery partner" in html
    assert "Community partner for the Shropshire, Telford &amp; Wrekin Cancer Champions." in html


def test_organisation_contact_email_only_for_national_staff(client_as, organisation):
    organisation.contact_email = "hello@trust.example.org"
    organisation.save()
    url = reverse("programme:organisation-detail", args=[organisation.slug])
    assert "hello@trust.example.org" in text(client_as("national_analyst").get(url))
    assert "hello@trust.example.org" not in text(client_as("anonymous").get(url))
    assert "hello@trust.example.org" not in text(client_as("decision_maker").get(url))


def test_unknown_organisation_is_404(client, db):
    assert client.get(reverse("programme:organisation-detail", args=["nobody"])).status_code == 404


# ---- queries ----


def _grow(n):
    organisation = Organisation.objects.first() or OrganisationFactory()
    wave = Wave.objects.first()
    for _ in range(n):
        site = SiteFactory(wave=wave)
        SiteOrganisation.objects.create(site=site, organisation=organisation, role="partner")
        site.focus_areas.set(ClinicalArea.objects.all()[:2])
        site.communities.set(PlusGroup.objects.all()[:2])


def test_site_list_runs_a_bounded_number_of_queries(
    client, reference_data, django_assert_max_num_queries
):
    _grow(30)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programme:site-list"))
    assert response.context["page"].paginator.count == 51
    with django_assert_max_num_queries(12):
        client.get(reverse("programme:site-list"), {"region": "E40000011", "q": "a"})


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("programme:overview"),
        lambda: reverse("programme:wave-list"),
        lambda: reverse("programme:wave-detail", args=[Wave.objects.first().pk]),
        lambda: reverse("programme:organisation-list"),
        lambda: reverse("programme:organisation-detail", args=[Organisation.objects.first().slug]),
        lambda: reverse("programme:site-detail", args=[Site.objects.first().slug]),
    ],
)
def test_pages_run_a_bounded_number_of_queries(
    url, client, reference_data, django_assert_max_num_queries
):
    _grow(30)
    with django_assert_max_num_queries(10):
        assert client.get(url()).status_code == 200


def test_signed_in_site_list_queries_are_bounded_too(
    client_as, reference_data, django_assert_max_num_queries
):
    _grow(20)
    lead = client_as("site_lead")
    with django_assert_max_num_queries(20):
        assert lead.get(reverse("programme:site-list")).status_code == 200
