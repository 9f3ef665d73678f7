"""The public contact printed in a pack must be something people can use: an email
address, a UK phone number or a web address starting https://. Anything else is refused
with a message saying what to enter, and nothing is generated."""

import html as htmllib
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core20.datapacks import actions
from core20.datapacks.models import DataPack
from tests.conftest import sign_in
from tests.datapacks.helpers import choose

pytestmark = pytest.mark.django_db

ANY_CONTACT = "Enter an email address, a UK phone number or a web address starting https://"


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


@pytest.fixture
def lead_client(lead):
    client = Client()
    sign_in(client, lead)
    return client


def error_summary(response) -> list[str]:
    body = response.content.decode()
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', body, flags=re.S)
    if not match:
        return []
    return [
        htmllib.unescape(" ".join(re.sub(r"<[^>]+>", " ", item).split()))
        for item in re.findall(r"<li>(.*?)</li>", match.group(0), flags=re.S)
    ]


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("not an email", ANY_CONTACT),
        ("Ring the team on Mondays", ANY_CONTACT),
        ("team@", "Enter an email address in the correct format, like team@example.org"),
        (
            "team at example.org@",
            "Enter an email address in the correct format, like team@example.org",
        ),
        ("12345", "Enter a UK phone number, like 01632 960 001 or +44 1632 960 001"),
        ("+1 212 555 0100", "Enter a UK phone number, like 01632 960 001 or +44 1632 960 001"),
        (
            "http://www.example.org/get-involved",
            "Enter a web address that starts with https://, like "
            "https://www.example.org/get-involved",
        ),
        (
            "www.example.org",
            "Enter a web address that starts with https://, like "
            "https://www.example.org/get-involved",
        ),
        (
            "https://not a site",
            "Enter a web address in the correct format, like https://www.example.org/get-involved",
        ),
        ("x" * 201, "Public contact must be 200 characters or fewer"),
    ],
)
def test_a_contact_people_cannot_use_is_refused_with_a_clear_message(
    tiny, site, lead_client, contact, message
):
    address = reverse("datapacks:generate", args=[site.slug])
    response = lead_client.post(address, {"area": "", "contact": contact})
    assert response.status_code == 400
    assert error_summary(response) == [message]
    body = response.content.decode()
    assert 'href="#id_contact"' in body  # the summary links to the field
    assert re.search(r'id="id_contact-error"|nhsuk-error-message', body)
    assert not DataPack.objects.exists()


def test_the_form_reports_a_bad_contact_and_a_bad_area_together(tiny, site, lead_client):
    address = reverse("datapacks:generate", args=[site.slug])
    response = lead_client.post(address, {"area": "E05000000", "contact": "not an email"})
    summary = error_summary(response)
    assert ANY_CONTACT in summary and len(summary) == 2
    assert not DataPack.objects.exists()


@pytest.mark.parametrize(
    "contact",
    [
        "connectors@example.org",
        "01632 960 001",
        "+44 (0)1632 960001",
        "0044 20 7946 0000",
        "https://www.example.org/get-involved",
    ],
)
def test_an_email_address_uk_phone_number_or_https_address_is_printed_in_the_pack(
    tiny, site, lead, lead_client, contact
):
    choose(site, "E05999991", names={"E05999991": "North Tiny"})
    address = reverse("datapacks:generate", args=[site.slug])
    response = lead_client.post(address, {"area": "", "contact": f"  {contact} "})
    pack = DataPack.objects.get(site=site)
    assert response.status_code == 302 and pack.contact == contact
    actions.publish(pack=pack, by=lead)
    public = Client().get(reverse("datapacks:pack", args=[site.slug, pack.pk]))
    assert f'<span dir="ltr">{htmllib.escape(contact)}</span>' in public.content.decode()


def test_the_action_refuses_a_bad_contact_too(tiny, site, lead):
    with pytest.raises(ValidationError) as caught:
        actions.start_generation(site=site, by=lead, contact="not an email")
    assert caught.value.message_dict == {"contact": [ANY_CONTACT]}
    assert not DataPack.objects.exists()


def test_the_form_says_what_the_contact_may_be(site, lead_client):
    page = lead_client.get(reverse("datapacks:generate", args=[site.slug])).content.decode()
    assert "An email address, a UK phone number or a web address (starting https://)" in page
