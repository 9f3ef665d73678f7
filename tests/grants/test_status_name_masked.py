"""The applicant's private status page can be forwarded with its link, so it shows the
contact details only in part. An individual's own name (given as "Name of the group or
person applying") is personal too: it is shown only by its first letters, as the email
address is. A group's or organisation's name is shown as given."""

import html as htmllib

import pytest
from django.urls import reverse

from core20.grants.models import Application
from core20.grants.personal_data import masked_name
from tests.conftest import client_for, page_html
from tests.grants import helpers

pytestmark = pytest.mark.django_db


def _status(application: Application) -> str:
    response = client_for(None).get(reverse("grants:status", args=[application.token]))
    return " ".join(htmllib.unescape(response.content.decode()).split())


def test_masked_name():
    assert masked_name("Jane Smith") == "J••• S•••"
    assert masked_name("  Jo   Anne-Marie  Bloggs ") == "J••• A••• B•••"
    assert masked_name("") == "•••"


def test_an_individuals_name_is_shown_only_by_its_first_letters(site, make_user):
    application = helpers.application(
        helpers.fund(site),
        recipient_type=Application.RecipientType.INDIVIDUAL,
        group_name="Jane Smith",
        contact_name="Jane Smith",
    )

    page = _status(application)

    assert "Jane" not in page and "Smith" not in page
    assert (
        "J••• S••• (an individual). To keep it private, this page shows only the first "
        "letters of your name."
    ) in page
    # What they need to recognise their application is still there.
    assert "Walk and talk group" in page
    # The site's team sees the name in full on their own page.
    team = page_html(
        make_user("site_lead"), reverse("grants:application-detail", args=[application.pk])
    )
    assert "Jane Smith" in team


def test_a_groups_name_is_shown_as_given(site):
    application = helpers.application(helpers.fund(site))

    page = _status(application)

    assert "Riverside Walkers (a group or organisation)" in page
    assert "first letters of your name" not in page
