"""The public expression-of-interest form, as a member of the public fills it in: a phone
number that is the only way to reach them must be one a coordinator can ring, the lived
experience consent error says what to do, and the form links to the privacy notice."""

import html as htmllib
import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from core20.network.forms import InterestForm
from core20.network.models import Connector

pytestmark = pytest.mark.django_db


def _send(client, site, **fields):
    data = {
        "name": "Sam Patel",
        "motivation": "I help at the food bank",
        "started": signing.dumps(time.time() - 60, salt=InterestForm.SALT),
        "website": "",
        **fields,
    }
    return client.post(reverse("network:interest", args=[site.slug]), data)


def _field_error(response, name: str) -> str:
    html = response.content.decode()
    match = re.search(rf'id="id_{name}_error">(.*?)</span>\s*$', html, re.S | re.M)
    assert match, f"no error shown next to {name}"
    text = re.sub(r"<[^>]+>", " ", match.group(1)).replace("Error:", "")
    return " ".join(htmllib.unescape(text).split())


@pytest.mark.parametrize("phone", ["12345", "hello", "call me on 07700 900982"])
def test_a_phone_number_nobody_could_ring_is_caught(client, site, phone):
    response = _send(client, site, phone=phone)
    assert response.status_code == 200
    assert _field_error(response, "phone") == (
        "Enter a phone number in the correct format, like 07700 900 982 or +44 7700 900 982"
    )
    page = response.content.decode()
    assert 'href="#id_phone"' in page
    # They gave a number: they are not also told to give an email address or a phone number.
    assert "Enter an email address or a phone number" not in page
    assert not Connector.objects.exists()


@pytest.mark.parametrize(
    ("phone", "kept"),
    [
        ("07700 900982", "07700 900982"),
        ("+44 (0)7700  900-982", "+44 (0)7700 900-982"),
        ("01952 123456", "01952 123456"),
    ],
)
def test_phone_numbers_as_people_write_them_are_accepted(client, site, phone, kept):
    response = _send(client, site, phone=phone)
    assert response.status_code == 302
    assert Connector.objects.get().phone == kept


def test_the_consent_error_says_what_to_do_about_the_words_written(client, site):
    response = _send(client, site, email="sam@example.org", lived_experience="I am a carer")
    assert _field_error(response, "lived_experience_consent") == (
        "Tick the box to agree to us keeping what you wrote about your lived experience, or "
        "delete what you wrote if you would rather we did not keep it"
    )


def test_the_form_links_to_the_privacy_notice_section_for_connectors(client, site):
    page = client.get(reverse("network:interest", args=[site.slug])).content.decode()
    assert 'href="/privacy/#connectors">privacy notice</a>' in page
    privacy = client.get("/privacy/").content.decode()
    assert '<h2 id="connectors">If you are, or want to become, a community connector</h2>' in (
        privacy
    )
