"""The site team deciding an application: an award is never more than the group asked for,
and the application page says when no places were given rather than leaving a blank."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core20.grants.models import Application
from core20.places.models import LocalAuthorityDistrict, Ward
from tests.conftest import sign_in
from tests.grants import helpers

pytestmark = pytest.mark.django_db


def test_an_award_more_than_they_asked_for_is_refused_on_the_decision_page(client, site, make_user):
    """A coordinator types 700 for a group that asked for 600 (and whose budget lines add
    up to 600): the page says so, and nothing is awarded."""
    lead = make_user("host_coordinator")
    sign_in(client, lead)
    fund = helpers.fund(site, budget="8000.00", max_award="1000.00")
    application = helpers.application(fund, amount="600.00", group_name="Hadley Walkers")
    url = reverse("grants:decide", args=[application.pk])
    today = helpers.today().isoformat()

    refused = client.post(url, {"decision": "award", "amount": "700", "decided_on": today})

    assert refused.status_code == 200
    assert "Hadley Walkers asked for £600.00: award £600.00 or less" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.amount_awarded is None

    client.post(url, {"decision": "award", "amount": "600", "decided_on": today})
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED
    assert application.amount_awarded == Decimal("600.00")


def _places(client, application) -> str:
    page = client.get(reverse("grants:application-detail", args=[application.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    return html.split(">Places</dt>")[1].split("</dd>")[0]


def test_the_application_says_when_no_places_were_given(client, site, make_user):
    sign_in(client, make_user("host_coordinator"))
    fund = helpers.fund(site)

    nowhere = helpers.application(fund)
    assert _places(client, nowhere).endswith(">Not given")

    estate = helpers.application(fund, places_note="Sutton Hill estate")
    assert _places(client, estate).endswith(">Sutton Hill estate")


def test_wards_and_other_places_are_shown_apart(client, site, make_user):
    sign_in(client, make_user("host_coordinator"))
    telford = LocalAuthorityDistrict.objects.create(code="E06000020", name="Telford and Wrekin")
    ward = Ward.objects.create(code="E05009999", name="Hadley and Leegomery", lad=telford)
    application = helpers.application(helpers.fund(site), places_note="The library")
    application.wards.set([ward])

    assert _places(client, application).endswith(f">{ward.name}<br>The library")
