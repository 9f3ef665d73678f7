"""The lookup page says once that an entry is not recognised: the status tag, not a "What
it is: Not recognised" row repeating it. Entries it recognises still say what they are."""

import html as htmllib
import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tiny")]


def answer(client, query: str) -> str:
    """The result section's text, as a reader hears it."""
    html = client.get(reverse("placesui:lookup"), {"q": query}).content.decode()
    section = re.search(r'<section aria-labelledby="result-heading">(.*?)</section>', html, re.S)
    assert section, "no result on the page"
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", section.group(1))).split())


def test_an_entry_that_is_not_recognised_says_so_once(client):
    text = answer(client, "nonsense!")
    assert text.count("Not recognised") == 1
    assert "What it is" not in text


def test_a_code_cut_short_says_so_once_and_what_it_looks_like(client):
    text = answer(client, "E01028")
    assert text.count("Not recognised") == 1
    assert "What it is" not in text
    assert "E01028 looks like an LSOA code but is too short" in text


def test_recognised_entries_still_say_what_they_are(client):
    assert "Found What it is Postcode" in answer(client, "ZZ1 1AA")
    assert "Not found What it is Postcode" in answer(client, "ZZ9 9ZZ")
