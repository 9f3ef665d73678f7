"""A pack made before the site chose its target areas cannot say who lives there: it gives
the reader somewhere to go (the site's public page, the site's other data packs), by full
address in the PDF, and the publisher is warned before publishing it."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core20.datapacks.models import DataPack
from tests.conftest import sign_in
from tests.datapacks.helpers import make_pack

NO_AREAS = {"key": "places", "available": False, "reason": "no-areas", "tables": []}


def without_areas(site, status=DataPack.Status.PUBLISHED) -> DataPack:
    pack = make_pack(site, status=status)
    pack.content["sections"][0] = dict(NO_AREAS)
    pack.save(update_fields=["content"])
    return pack


def url(name, pack, **query) -> str:
    address = reverse(f"datapacks:{name}", args=[pack.site.slug, pack.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def link(page: str, testid: str) -> tuple[str, str] | None:
    """(href, words) of the link marked ``data-testid``, or None."""
    found = re.search(rf'<a href="([^"]*)" data-testid="{testid}">(.*?)</a>', page, re.S)
    return (found[1], found[2]) if found else None


def pdf_text_and_links(content: bytes) -> tuple[str, list[str]]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    links = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                links.append(str(action["/URI"]))
    return " ".join(text.split()), links


def test_the_public_pack_says_where_to_go_next(site):
    pack = without_areas(site)
    public = Client()
    page = public.get(url("pack", pack)).content.decode()
    assert (
        "This site has not chosen its target areas yet, so we cannot say who lives there." in page
    )
    assert "When it has, a newer version of this pack will say." in page
    site_page = reverse("programme:site-detail", args=[site.slug])
    packs = reverse("datapacks:site", args=[site.slug])
    assert link(page, "pack-site-packs") == (
        packs,
        "look for a newer version among the data packs for Home Site",
    )
    assert link(page, "pack-site-page") == (
        site_page,
        "find out what Home Site does and how to take part",
    )
    # Both open for someone without an account.
    assert public.get(site_page).status_code == 200
    assert public.get(packs).status_code == 200


def test_the_easy_read_says_where_to_go_next(site):
    pack = without_areas(site)
    page = Client().get(url("easy-read", pack)).content.decode()
    assert "We do not know this yet." in page and "A newer pack may tell you more." in page
    assert link(page, "pack-site-packs") == (
        reverse("datapacks:site", args=[site.slug]),
        "See all packs for Home Site",
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("pl", "dowiedzieć się, czym zajmuje się Home Site i jak się zaangażować"),
        ("ur", "جانیں کہ Home Site کیا کرتی ہے اور آپ کیسے حصہ لے سکتے ہیں"),
    ],
)
def test_the_way_on_is_translated(site, lang, words):
    pack = without_areas(site)
    page = Client().get(url("pack", pack, lang=lang)).content.decode()
    assert link(page, "pack-site-page") == (
        reverse("programme:site-detail", args=[site.slug]),
        words,
    )


@pytest.mark.parametrize("variant", ["full", "easy"])
def test_the_pdf_links_on_by_full_address(site, variant):
    pack = without_areas(site)
    text, links = pdf_text_and_links(Client().get(url("pack-pdf", pack, variant=variant)).content)
    packs = f"http://testserver{reverse('datapacks:site', args=[site.slug])}"
    assert packs in links
    if variant == "full":
        assert "find out what Home Site does and how to take part" in text
        assert f"http://testserver{reverse('programme:site-detail', args=[site.slug])}" in links
    else:
        assert "See all packs for Home Site" in text


def test_a_pack_with_figures_for_who_lives_here_does_not_send_readers_away(site):
    pack = make_pack(site, status=DataPack.Status.PUBLISHED)
    page = Client().get(url("pack", pack)).content.decode()
    assert "About 5,000 people live in the areas this site works in." in page
    assert link(page, "pack-site-packs") is None and link(page, "pack-site-page") is None


def test_the_preview_warns_the_publisher(site, client, make_user):
    pack = without_areas(site, status=DataPack.Status.READY)
    areas = reverse("placesui:site-areas", args=[site.slug])
    sign_in(client, make_user("site_lead"))
    page = client.get(url("pack", pack)).content.decode()
    assert page.count("<h1") == 1
    start = page.index('data-testid="preview-banner"')
    banner = page[start : page.index("</form>", start)]
    assert "This version cannot say who lives in Home Site's areas" in banner
    assert "readers are told so and pointed to the site's page" in banner
    assert f'<a href="{areas}">choose target areas' in banner
    assert "Publish version 1" in banner
    # National admins may publish too, and are warned the same way.
    sign_in(client, make_user("national_admin"))
    page = client.get(url("pack", pack)).content.decode()
    assert "This version cannot say who lives in Home Site's areas" in page
    assert f'<a href="{areas}">choose target areas' in page


def test_no_warning_once_published_or_with_figures(site, client, make_user):
    sign_in(client, make_user("site_lead"))
    published = without_areas(site)
    with_figures = make_pack(site, status=DataPack.Status.READY)
    for pack in (published, with_figures):
        page = client.get(url("pack", pack)).content.decode()
        assert "This version cannot say who lives" not in page


def test_the_health_section_gives_the_real_reason(site):
    """Not "when the figures are in Core20 Connect": they may be; the areas are missing."""
    pack = without_areas(site)
    sections = pack.content["sections"]
    clinical = {"key": "clinical", "available": False, "reason": "no-areas", "tables": []}
    pack.content["sections"] = [s for s in sections if s["key"] != "clinical"] + [clinical]
    pack.save(update_fields=["content"])
    page = " ".join(Client().get(url("pack", pack)).content.decode().split())
    assert (
        "Not yet available: the site has not chosen its target areas, so we cannot compare "
        "health here with England." in page
    )
    assert "when the figures are in Core20 Connect" not in page
    polish = " ".join(Client().get(url("pack", pack, lang="pl")).content.decode().split())
    assert "nie możemy porównać zdrowia tutaj z Anglią" in polish
