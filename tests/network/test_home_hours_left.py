"""Someone who has left (or is paused) may no longer log hours or start an expense claim for
themself (core20.hours.actions): their connector home's hours card used to offer both links
anyway, and the hours form let them fill it all in before refusing. The card now says to ask
their coordinator, and the forms refuse at once, with the reason."""

import pytest
from django.urls import reverse

from core20.hours.models import ExpenseClaim, HoursEntry
from core20.network import actions
from core20.network.models import Connector
from tests.conftest import client_for
from tests.hours import helpers as hours
from tests.network.home_panels import as_text, shown_panel

pytestmark = pytest.mark.django_db

HEADING = "Your hours and expenses"
LOG = reverse("hours:log-hours")
CLAIM = reverse("hours:claim-create")
ACTIVE_ONLY = (
    "You can record hours and expenses only while you are an active connector. "
    "Ask your coordinator."
)


@pytest.fixture
def me(site, people):
    return hours.connector(site, user=people["connector"], name="Con Nector")


def _leave(connector, people, to="left") -> None:
    actions.change_status(connector=connector, to=to, reason="Moved away", by=people["host"])


def test_an_active_connector_is_offered_logging_hours_and_claims(me, people):
    panel = shown_panel(people["connector"], HEADING)

    assert f'href="{LOG}"' in panel and f'href="{CLAIM}"' in panel
    assert "only while you are an active connector" not in as_text(panel)


@pytest.mark.parametrize("stage", ["left", "paused"])
def test_someone_who_has_left_is_not_offered_logging_hours(me, people, stage):
    hours.log(me, people["connector"], hours="3")
    _leave(me, people, stage)

    panel = shown_panel(people["connector"], HEADING)

    assert f'href="{LOG}"' not in panel and f'href="{CLAIM}"' not in panel
    text = as_text(panel)
    assert (
        "You can log hours and start expense claims only while you are an active connector. "
        "Ask your coordinator." in text
    )
    # What they logged is still there, with the way to see it.
    assert "Hours waiting for approval 3 " in text
    assert f'href="{reverse("hours:mine")}"' in panel


@pytest.mark.parametrize("url", [LOG, CLAIM])
def test_the_hours_forms_refuse_someone_who_has_left_before_they_fill_them_in(me, people, url):
    _leave(me, people)
    client = client_for(people["connector"])

    response = client.get(url, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("hours:mine"), 302)]
    assert ACTIVE_ONLY in response.content.decode()


def test_their_hours_page_says_why_instead_of_offering_the_forms(me, people):
    hours.log(me, people["connector"], hours="3")
    client = client_for(people["connector"])
    page = client.get(reverse("hours:mine")).content.decode()
    assert f'href="{LOG}"' in page and ACTIVE_ONLY not in page

    _leave(me, people)

    page = client.get(reverse("hours:mine")).content.decode()
    assert f'href="{LOG}"' not in page and f'href="{CLAIM}"' not in page
    assert ACTIVE_ONLY in page
    assert "Coffee morning" in page  # what they logged is still listed


def test_a_post_from_someone_who_has_left_saves_nothing(me, people):
    _leave(me, people)
    client = client_for(people["connector"])

    client.post(LOG, {"date": hours.days_ago(1).isoformat(), "hours": "2", "activity": "Walk"})
    client.post(CLAIM, {"title": "Bus fares"})

    assert not HoursEntry.objects.filter(connector=me).exists()
    assert not ExpenseClaim.objects.filter(connector=me).exists()


def test_someone_with_an_active_record_elsewhere_is_still_offered_it(me, people, other_site):
    _leave(me, people)
    hours.connector(other_site, user=people["connector"], name="Con Nector")

    panel = shown_panel(people["connector"], HEADING)

    assert f'href="{LOG}"' in panel
    assert client_for(people["connector"]).get(LOG).status_code == 200


def test_a_site_lead_whose_own_record_has_left_may_still_log_hours(site, people):
    # The hours app lets the people who manage a site record for anyone there, themselves
    # included: the card follows the same rule.
    lead = people["lead"]
    Connector.objects.create(site=site, user=lead, name="Lee Lead", status="left")

    panel = shown_panel(lead, HEADING)

    assert f'href="{LOG}"' in panel
    assert client_for(lead).get(LOG).status_code == 200
