"""Fixes from the demo review: the pack's "get involved" link goes to the site's public
expression-of-interest form (absolute in the PDF, left out where the site is closed)."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core20.datapacks.models import DataPack
from core20.programme.models import Site
from tests.conftest import sign_in
from tests.datapacks.helpers import choose, make_pack


def url(name, pack, **query):
    address = reverse(f"datapacks:{name}", args=[pack.site.slug, pack.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def interest_links(page: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" data-testid="pack-interest"', page)


def pdf_links(content: bytes) -> list[str]:
    links = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return links


@pytest.fixture
def published(site):
    return make_pack(site, status=DataPack.Status.PUBLISHED)


@pytest.mark.parametrize("lang", ["en", "ur", "pl"])
@pytest.mark.parametrize("page", ["pack", "easy-read"])
def test_the_get_involved_link_opens_the_sites_public_interest_form(published, page, lang):
    form = reverse("network:interest", args=[published.site.slug])
    public = Client()
    html = public.get(url(page, published, lang=lang)).content.decode()
    assert interest_links(html) == [form]
    # The form itself opens for someone without an account (not a sign-in page).
    response = public.get(form)
    assert response.status_code == 200
    assert "Become a community connector" in response.content.decode()


@pytest.mark.parametrize("variant", ["full", "easy"])
def test_the_pdf_links_to_the_interest_form_by_its_full_address(published, variant):
    response = Client().get(url("pack-pdf", published, variant=variant))
    form = reverse("network:interest", args=[published.site.slug])
    assert pdf_links(response.content) == [f"http://testserver{form}"]


def test_a_closed_site_does_not_invite_people_to_become_connectors(published):
    Site.objects.filter(pk=published.site.pk).update(status=Site.Status.CLOSED)
    public = Client()
    pack = public.get(url("pack", published)).content.decode()
    easy = public.get(url("easy-read", published)).content.decode()
    assert "Become a community connector" not in pack
    assert "Tell us you want to help" not in easy
    assert pdf_links(public.get(url("pack-pdf", published)).content) == []


def test_the_public_contact_says_optional_once(site, client, make_user):
    sign_in(client, make_user("site_lead"))
    page = client.get(reverse("datapacks:generate", args=[site.slug])).content.decode()
    assert "(optional) (optional)" not in page
    assert re.search(r">Public contact\s+\(optional\)</label>", page)


def test_the_generate_page_warns_when_the_site_has_no_target_areas(site, client, make_user):
    sign_in(client, make_user("site_lead"))
    generate = reverse("datapacks:generate", args=[site.slug])
    areas = reverse("placesui:site-areas", args=[site.slug])
    page = client.get(generate).content.decode()
    assert "Home Site has not chosen its target areas" in page
    assert "there are no packs for a ward or district to choose" in page
    assert f'<a href="{areas}">Choose target areas' in page
    assert client.get(areas).status_code == 200  # the lead may choose them there
    choose(site, "E05999991", names={"E05999991": "North Tiny"})
    page = client.get(generate).content.decode()
    assert "has not chosen its target areas" not in page and areas not in page


def test_only_publishers_see_the_generate_page(site, client, make_user):
    sign_in(client, make_user("national_analyst"))
    assert client.get(reverse("datapacks:generate", args=[site.slug])).status_code == 403
