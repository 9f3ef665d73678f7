"""A member of the public finding their local site: searching by region name or postcode,
being told where a postcode is (or that it was not found), and finding a wave's call for
expressions of interest and a site's places page only where they have something to show."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from core20.places.models_targets import SiteTargetArea
from core20.programme.models import Site, Wave
from core20.selection.models import Call
from tests.conftest import page_html
from tests.selection.helpers import close, make_call

pytestmark = pytest.mark.django_db

SHROPSHIRE = "shropshire-telford-wrekin"
SITE_LIST = "programme:site-list"


def search(client, **params) -> tuple[set[str], str]:
    """The slugs of the sites found, and the page's text."""
    response = client.get(reverse(SITE_LIST), params)
    assert response.status_code == 200
    found = {site.slug for site in response.context["page"].object_list}
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))
    return found, " ".join(text.split())


# ---- searching by region ----


def test_typing_a_region_name_finds_the_sites_in_that_region(client, reference_data):
    midlands = set(Site.objects.filter(regions__name="Midlands").values_list("slug", flat=True))
    assert SHROPSHIRE in midlands
    found, _ = search(client, q="Midlands")
    assert found == midlands
    found, _ = search(client, q="midlands")
    assert found == midlands
    assert "somerset" not in found


def test_a_site_in_two_matching_regions_is_listed_once(client, reference_data):
    response = client.get(reverse(SITE_LIST), {"q": "North"})
    slugs = [site.slug for site in response.context["page"].object_list]
    assert "lancashire-south-cumbria" in slugs  # North West, and North East and Yorkshire
    assert len(slugs) == len(set(slugs))


# ---- searching by postcode ----


def test_a_postcode_search_says_where_the_postcode_is(client, reference_data, shipped_postcodes):
    found, text = search(client, q="tf34ab")
    assert found == {SHROPSHIRE}
    assert (
        "TF3 4AB is in Ketley & Overdale, Telford and Wrekin, in the NHS region Midlands." in text
    )
    assert "could not find" not in text


def test_a_postcode_that_is_not_found_is_named_with_what_to_try(
    client,
    reference_data,
    shipped_postcodes,
):
    # In a district whose postcodes are held (TF3), so perhaps mistyped.
    found, text = search(client, q="tf3 9zz")
    assert found == set()
    assert "We could not find the postcode TF3 9ZZ. Check it is typed correctly" in text
    assert "search for your town, council or ward instead" in text


def test_a_postcode_no_site_covers_says_so_and_offers_the_region(
    client,
    reference_data,
    shipped_postcodes,
):
    Site.objects.get(slug=SHROPSHIRE).icbs.clear()
    response = client.get(reverse(SITE_LIST), {"q": "TF3 4AB"})
    found = {site.slug for site in response.context["page"].object_list}
    assert found == set()
    html = response.content.decode()
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", html))
    assert "TF3 4AB is in Ketley & Overdale, Telford and Wrekin" in text
    assert "No site's Connectors programme covers it yet." in text
    midlands = Site.objects.filter(regions__name="Midlands").first().regions.get(name="Midlands")
    region_link = f"{reverse(SITE_LIST)}?region={midlands.code}"
    assert f'href="{region_link}"' in html
    assert client.get(region_link).status_code == 200


def test_with_other_filters_no_result_does_not_claim_no_site_covers_the_postcode(
    client,
    reference_data,
    shipped_postcodes,
):
    wave_2 = Wave.objects.get(number=2)
    found, text = search(client, q="TF3 4AB", wave=wave_2.pk)
    assert found == set()
    assert "TF3 4AB is in Ketley & Overdale" in text
    assert "covers it yet" not in text


# ---- a wave's call for expressions of interest ----


def test_a_wave_page_links_to_its_call_for_expressions_of_interest(site):
    wave = site.wave
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.SELECTING)
    call = close(make_call(wave, title="Wave 9: join the programme"), days_ago=3)
    html = page_html(None, wave.get_absolute_url())
    assert f'href="{call.get_absolute_url()}"' in html
    assert "Wave 9: join the programme" in html
    assert f"Closed on {call.closes_on:%-d %B %Y}: a panel is choosing the sites" in html
    assert page_html(None, call.get_absolute_url())


def test_an_open_call_says_until_when_and_a_draft_call_is_not_shown(site):
    wave = site.wave
    open_call = make_call(wave, title="Apply now", closes=5)
    draft = make_call(wave, title="Not ready yet", status=Call.Status.DRAFT)
    html = page_html(None, wave.get_absolute_url())
    assert f'href="{open_call.get_absolute_url()}"' in html
    assert f"Open for applications until {open_call.closes_on:%-d %B %Y}" in html
    assert "Not ready yet" not in html and draft.get_absolute_url() not in html


def test_a_wave_with_no_call_has_no_call_section(site):
    assert "expressions of interest</h2>" not in page_html(None, site.wave.get_absolute_url())


# ---- a site's places page ----


def test_the_places_link_appears_once_the_site_has_target_areas(site, make_user):
    places = reverse("placesui:site-places", args=[site.slug])
    Site.objects.filter(pk=site.pk).update(target_places="")
    html = page_html(None, site.get_absolute_url())
    # The page would only say the site has not chosen its target areas.
    assert places not in html
    # Nothing stated: the row is left out rather than saying "Not stated".
    assert "Where the work is targeted</dt>" not in html and "Not stated" not in html
    # The site's lead still finds the way to choose them.
    assert places in page_html(make_user("site_lead"), site.get_absolute_url())

    SiteTargetArea.objects.create(site=site, kind=SiteTargetArea.Kind.LSOA, code="E01014163")
    assert places in page_html(None, site.get_absolute_url())
