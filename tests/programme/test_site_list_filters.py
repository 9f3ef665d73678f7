"""The site list's filters, on the real Wave 1 and Wave 2 reference data."""

import pytest
from django.urls import reverse

from core20.programme.models import Site, Wave
from tests.programme.conftest import error_summary, field_error, text

pytestmark = pytest.mark.django_db

MIDLANDS = {
    "joined-up-care-derbyshire",
    "shropshire-telford-wrekin",
    "black-country-walsall",
    "leicester-leicestershire-rutland",
    "staffordshire-southwest-staffordshire",
}


def slugs(response) -> set[str]:
    return {site.slug for site in response.context["page"].object_list}


def get(client, **params):
    response = client.get(reverse("programme:site-list"), params)
    assert response.status_code == 200
    return response


def test_all_21_sites_unfiltered(client, reference_data):
    response = get(client)
    assert response.context["page"].paginator.count == 21
    assert "21 sites</h2>" in text(response)


def test_wave_1_has_13_sites_including_2_associates(client, reference_data):
    response = get(client, wave=Wave.objects.get(number=1).pk)
    sites = response.context["page"].object_list
    assert len(sites) == 13
    assert sorted(s.slug for s in sites if s.status == Site.Status.ASSOCIATE) == [
        "hampshire-isle-of-wight",
        "north-central-london",
    ]
    assert "13 sites match your filters" in text(response)


def test_wave_2_has_8_sites(client, reference_data):
    assert len(slugs(get(client, wave=Wave.objects.get(number=2).pk))) == 8


def test_filter_by_region_gives_that_regions_sites(client, reference_data):
    assert slugs(get(client, region="E40000011")) == MIDLANDS


def test_a_site_in_two_regions_appears_under_each(client, reference_data):
    assert "lancashire-south-cumbria" in slugs(get(client, region="E40000010"))  # North West
    assert "lancashire-south-cumbria" in slugs(get(client, region="E40000012"))  # NE and Yorkshire


def test_filter_by_clinical_area(client, reference_data):
    assert slugs(get(client, area="maternity")) == {
        "suffolk-north-east-essex",
        "west-yorkshire",
        "cheshire-merseyside-halton",
        "hertfordshire-west-essex",
        "kent-medway",
    }


def test_filter_by_community(client, reference_data):
    assert slugs(get(client, community="coastal-communities")) == {"devon"}


def test_a_community_group_includes_its_sub_groups(client, reference_data):
    found = slugs(get(client, community="inclusion-health-groups"))
    # Chosen directly …
    assert {"black-country-walsall", "hertfordshire-west-essex", "hampshire-isle-of-wight"} <= found
    # … or through a sub-group (refugees and asylum seekers, Gypsy and Traveller communities).
    assert {"west-yorkshire", "north-central-london"} <= found
    assert len(found) == len(set(found))


def test_filters_combine(client, reference_data):
    wave2 = Wave.objects.get(number=2).pk
    assert slugs(get(client, wave=wave2, region="E40000011", area="hypertension")) == {
        "leicester-leicestershire-rutland",
        "staffordshire-southwest-staffordshire",
    }


def test_text_search_on_name_and_place(client, reference_data):
    assert slugs(get(client, q="somerset")) == {"somerset"}
    assert slugs(get(client, q="Walsall")) == {"black-country-walsall"}  # name and place
    assert slugs(get(client, q="Bridgwater")) == {"somerset"}  # place only
    assert slugs(get(client, q="Cancer Champions")) == {"shropshire-telford-wrekin"}  # local name


def test_no_matches_says_so(client, reference_data):
    response = get(client, q="Atlantis")
    assert response.context["page"].paginator.count == 0
    assert "No sites match “Atlantis”." in text(response)


def test_an_unknown_filter_value_is_explained_not_ignored_silently(client, reference_data):
    response = get(client, region="E99999999")
    assert "Choose an NHS region from the list" in error_summary(response)
    assert field_error(response, "region") == "Choose an NHS region from the list"
    assert "Error: Sites" in text(response)


def test_filter_form_keeps_the_choices_made(client, reference_data):
    html = text(get(client, region="E40000011"))
    assert '<option value="E40000011" selected>Midlands</option>' in html


def test_unpublished_sites_are_filtered_for_the_public(client, reference_data):
    Site.objects.filter(slug="somerset").update(published=False)
    assert "somerset" not in slugs(get(client, q="somerset"))
    assert len(slugs(get(client, wave=Wave.objects.get(number=2).pk))) == 7
