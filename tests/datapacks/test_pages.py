"""The pack pages: preview and publish, what the public sees, languages (Urdu right to left,
Polish), easy read, the PDF's text, the progress fragment and query counts."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core20.datapacks import actions, rendering
from core20.datapacks.models import DataPack
from tests.conftest import sign_in
from tests.datapacks.helpers import choose, make_pack

NAMES = {"E05999991": "North Tiny", "E05999992": "South Tiny"}


def url(name, pack, **query):
    address = reverse(f"datapacks:{name}", args=[pack.site.slug, pack.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


@pytest.fixture
def lead_client(client, lead):
    sign_in(client, lead)
    return client


@pytest.fixture
def generated(tiny, site, lead):
    choose(site, "E05999991", "E05999992", names=NAMES)
    return actions.start_generation(site=site, by=lead, contact="connect@example.org")


def test_the_lead_previews_then_publishes_and_then_the_public_sees_it(generated, lead_client):
    public = Client()
    assert public.get(url("pack", generated)).status_code == 404
    page = lead_client.get(url("pack", generated)).content.decode()
    assert "Version 1 is not published" in page
    assert "Publish version 1" in page
    assert "About 5,000 people live in the areas this site works in." in page
    response = lead_client.post(url("publish", generated), follow=True)
    assert "Version 1 is published" in response.content.decode()
    page = public.get(url("pack", generated)).content.decode()
    assert "About 5,000 people" in page and "Publish version" not in page
    assert "connect@example.org" in page
    listing = public.get(reverse("datapacks:site", args=[generated.site.slug])).content.decode()
    assert "Version 1" in listing


def test_the_public_site_page_lists_only_published_versions(site, lead_client):
    make_pack(site, status=DataPack.Status.PUBLISHED, version=1)
    make_pack(site, status=DataPack.Status.READY, version=2)
    address = reverse("datapacks:site", args=[site.slug])
    public = Client().get(address).content.decode()
    assert re.findall(r">Version (\d)<", public) == ["1"]
    assert re.findall(r">Version (\d)<", lead_client.get(address).content.decode()) == ["2", "1"]


def test_the_urdu_pack_is_right_to_left_and_translated(generated, client, lead):
    actions.publish(pack=generated, by=lead)
    page = client.get(url("pack", generated, lang="ur")).content.decode()
    assert '<div class="app-pack" lang="ur" dir="rtl"' in page
    assert "یہاں کون رہتا ہے" in page  # "Who lives here"
    assert "5,000" in page
    assert '<html lang="en-GB">' in page  # the site around the pack stays as it is
    polish = client.get(url("pack", generated, lang="pl")).content.decode()
    assert 'lang="pl" dir="ltr"' in polish and "Kto tu mieszka" in polish
    # An unknown language falls back to English.
    assert "Who lives here" in client.get(url("pack", generated, lang="xx")).content.decode()


def test_easy_read_has_short_sentences_and_decorative_icons(generated, client, lead):
    actions.publish(pack=generated, by=lead)
    page = client.get(url("easy-read", generated)).content.decode()
    assert "About 5,000 people live here." in page
    assert "60% of them live in the poorest areas of England." in page
    icons = re.findall(r'<svg class="app-easy__icon"[^>]*>', page)
    assert len(icons) >= 5 and all('aria-hidden="true"' in i for i in icons)
    urdu = client.get(url("easy-read", generated, lang="ur")).content.decode()
    assert 'lang="ur" dir="rtl"' in urdu and "شامل ہوں" in urdu  # "Get involved"


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_packs_figures(generated, client, lead):
    actions.publish(pack=generated, by=lead)
    text = _pdf_text(client.get(url("pack-pdf", generated)))
    assert "About 5,000 people live in the areas this site works in." in text
    assert "60% of them (3,000 people) live in the most deprived 20%" in text
    for figure in ("1,000", "2,000", "1,500", "500", "Not yet available"):
        assert figure in text
    assert "Open Government Licence v3.0" in text


def test_the_urdu_pdf_is_laid_out_right_to_left(generated, client, lead):
    actions.publish(pack=generated, by=lead)
    response = client.get(url("pack-pdf", generated, lang="ur"))
    # pypdf reads this font's text back as UTF-16 code units: drop the NULs to compare.
    text = _pdf_text(response).replace("\x00", "")
    assert "5,000" in text and "Home Site" in text
    assert PdfReader(io.BytesIO(response.content)).trailer["/Root"]["/Lang"] == "ur"
    document = rendering.render_document(generated, "ur")
    assert '<html lang="ur" dir="rtl">' in document
    assert "یہاں کون رہتا ہے" in document


def test_the_urdu_pdf_embeds_a_font_with_urdu_letters(generated, client, lead):
    # DejaVu lacks ے, ہ and ۔ (they came out as empty boxes); scripts/test installs Noto.
    actions.publish(pack=generated, by=lead)
    response = client.get(url("pack-pdf", generated, lang="ur"))
    fonts = set()
    for page in PdfReader(io.BytesIO(response.content)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Nastaliq" in name or "Naskh" in name for name in fonts), fonts


def test_a_draft_pdf_is_for_publishers_only(generated, lead_client):
    assert Client().get(url("pack-pdf", generated)).status_code == 404
    assert lead_client.get(url("pack-pdf", generated)).status_code == 200


def test_progress_is_a_fragment_for_htmx_and_the_page_without_script(site, lead, lead_client):
    pack = DataPack.objects.create(site=site, version=1, steps_total=4, steps_done=1)
    page = lead_client.get(url("pack-progress", pack)).content.decode()
    assert page.count("<h1") == 1 and 'value="25"' in page
    fragment = lead_client.get(url("pack-progress", pack), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "<h1" not in body and 'hx-trigger="every 1s"' in body and "(25%)" in body
    DataPack.objects.filter(pk=pack.pk).update(status=DataPack.Status.READY)
    done = lead_client.get(url("pack-progress", pack), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and "hx-trigger" not in done.content.decode()


def test_the_generate_form_reports_a_bad_choice(tiny, site, lead_client):
    address = reverse("datapacks:generate", args=[site.slug])
    response = lead_client.post(address, {"area": "E05000000", "contact": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "target areas or one of the areas listed" in body
    response = lead_client.post(address, {"area": "", "contact": "team@example.org"})
    pack = DataPack.objects.get(site=site)
    assert response.status_code == 302 and response["Location"] == url("pack", pack)


def test_list_pages_make_a_fixed_number_of_queries(
    site, other_site, lead_client, django_assert_max_num_queries
):
    client = Client()
    for version in range(1, 4):
        make_pack(site, status=DataPack.Status.PUBLISHED, version=version)
        make_pack(other_site, status=DataPack.Status.PUBLISHED, version=version)
    with django_assert_max_num_queries(4):
        client.get(reverse("datapacks:index"))
    with django_assert_max_num_queries(6):
        client.get(reverse("datapacks:site", args=[site.slug]))
    with django_assert_max_num_queries(12):
        lead_client.get(reverse("datapacks:site", args=[site.slug]))


def test_a_sites_data_packs_page_leads_to_the_sites_own_page(site, client):
    html = client.get(reverse("datapacks:site", args=[site.slug])).content.decode()
    assert f'href="{reverse("programme:site-detail", args=[site.slug])}"' in html
