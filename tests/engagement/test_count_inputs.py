"""The activity form's counts are text inputs with the numeric keypad, as the NHS and GOV.UK
design systems advise (a number input changes its value when the page is scrolled over it
and takes "1e3"), with the same messages as before."""

import re

import pytest
from django.urls import reverse

from core20.engagement.models import Activity
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _input(page: str, name: str) -> str:
    (tag,) = re.findall(rf'<input [^>]*name="{name}"[^>]*>', page)
    return tag


def test_counts_are_text_inputs_with_the_numeric_keypad(client, make_user, site):
    sign_in(client, make_user("connector"))
    page = client.get(reverse("engagement:activity-new")).content.decode()
    for name, label in (
        ("people_reached", "Number of people reached"),
        ("age_0_17", "Under 18"),
        ("bp_checks_offered", "Blood pressure checks offered"),
        ("mecc_conversations", "MECC conversations"),
    ):
        tag = _input(page, name)
        assert 'type="text"' in tag and 'inputmode="numeric"' in tag, tag
        assert "nhsuk-input--width-5" in tag
        # What the offline script says for a value that is not a whole number.
        assert f'data-whole-number="{label} must be a whole number, like 12"' in tag
        assert 'type="number"' not in tag and "min=" not in tag


def test_counts_keep_their_messages(client, make_user, site):
    sign_in(client, make_user("connector"))
    response = client.post(
        reverse("engagement:activity-new"),
        {
            "site": site.slug,
            "date": "2026-03-02",
            "kind": "event",
            "people_reached": "1e3",
            "age_0_17": "-2",
            "sex_female": "4.5",
            "mecc_conversations": "2000000",
        },
    )
    page = response.content.decode()
    assert '<a href="#id_people_reached">Number of people reached must be a whole number' in page
    assert '<a href="#id_age_0_17">Under 18 must be 0 or more</a>' in page
    assert '<a href="#id_sex_female">Female must be a whole number, like 12</a>' in page
    assert '<a href="#id_mecc_conversations">MECC conversations must be 1,000,000 or fewer' in page
    # What was typed is shown again to be corrected.
    assert 'value="1e3"' in _input(page, "people_reached")
    assert not Activity.objects.exists()
    # Spaces around a number are fine.
    client.post(
        reverse("engagement:activity-new"),
        {"site": site.slug, "date": "2026-03-02", "kind": "event", "people_reached": " 12 "},
    )
    assert Activity.objects.get().people_reached == 12
