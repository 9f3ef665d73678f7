"""A pack's numbers as its reader's language writes them, and the generate form keeping the
site's public contact from one version to the next."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core20.datapacks import actions
from core20.datapacks.models import DataPack
from tests.conftest import sign_in
from tests.datapacks.helpers import choose

NAMES = {"E05999991": "North Tiny", "E05999992": "South Tiny"}
NBSP = "\xa0"


def url(name, pack, **query):
    address = reverse(f"datapacks:{name}", args=[pack.site.slug, pack.pk])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


@pytest.fixture
def generated(tiny, site, lead):
    choose(site, "E05999991", "E05999992", names=NAMES)
    pack = actions.start_generation(site=site, by=lead, contact="connect@example.org")
    actions.publish(pack=pack, by=lead)
    return pack


def _text(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.replace("&nbsp;", NBSP).split(" "))


def test_the_polish_pack_groups_thousands_with_a_space_not_a_comma(generated):
    """In Polish a comma is the decimal point: "5,000 osób" reads as five people."""
    public = Client()
    polish = _text(public.get(url("pack", generated, lang="pl")))
    assert f"5{NBSP}000" in polish and f"3{NBSP}000" in polish
    assert "5,000" not in polish and "3,000" not in polish
    english = _text(public.get(url("pack", generated)))
    assert "About 5,000 people live in the areas this site works in." in " ".join(english.split())
    easy = _text(public.get(url("easy-read", generated, lang="pl")))
    assert f"5{NBSP}000" in easy and "5,000" not in easy


def test_a_decimal_in_polish_has_a_comma():
    from django.utils import translation

    from core20.datapacks.presentation import fact_sentence

    fact = {"name": "Screening", "value": 66.1, "england": 1234.5, "unit": "per_100000"}
    fact["comparison"] = "similar"
    with translation.override("pl"):
        sentence = fact_sentence(fact)
    assert "66,1 na 100 000" in sentence and f"1{NBSP}234,5 na 100 000" in sentence
    with translation.override("en"):
        assert "66.1 per 100,000" in fact_sentence(fact)
        assert "1,234.5 per 100,000" in fact_sentence(fact)


def test_a_new_version_starts_with_the_contact_of_the_latest_one(generated, site, lead):
    client = Client()
    sign_in(client, lead)
    address = reverse("datapacks:generate", args=[site.slug])
    form = client.get(address).content.decode()
    assert re.search(r'<input[^>]*name="contact"[^>]*value="connect@example.org"', form)
    # Generating again without touching the field keeps the contact in the new version.
    response = client.post(address, {"area": "", "contact": "connect@example.org"})
    assert response.status_code == 302
    newest = DataPack.objects.filter(site=site).order_by("-version").first()
    assert newest.version == 2 and newest.contact == "connect@example.org"
    # A lead who clears it gets a blank field next time, not an older contact.
    client.post(address, {"area": "", "contact": ""})
    assert 'value="connect@example.org"' not in client.get(address).content.decode()
