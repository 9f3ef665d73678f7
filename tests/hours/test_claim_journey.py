"""Fixes from a connector's walk through an expense claim on a phone: the home page's drafts
and rejections open "Your hours and expenses" at the claims (below up to 50 hours entries),
a draft says it is kept and where to find it again, and a rejected claim offers a new one."""

import re

import pytest
from django.urls import reverse

from core20.hours import actions, home
from core20.network.models import Connector
from tests.conftest import page_html
from tests.hours import helpers

pytestmark = pytest.mark.django_db


def _entries(user) -> dict[str, home.Waiting]:
    return {entry.text: entry for entry in home.waiting(user)}


def test_drafts_and_rejections_on_the_home_page_open_the_claims(people, me):
    user = people["connector"]
    for day in range(1, 20):
        helpers.log(me, user, day=day, activity=f"Drop-in {day}")
    helpers.draft_claim(me, user, title="Half written")
    rejected = helpers.submitted_claim(me, user, title="Turned down")
    actions.reject_claim(claim=rejected, reason="No receipt for the taxi", by=people["host"])

    entries = _entries(user)
    for text in ("1 draft expense claim to submit", "1 expense claim rejected recently"):
        assert entries[text].url == reverse("hours:mine") + "#claims"
    page = page_html(user, reverse("hours:mine"))
    heading = re.search(r'<h2 id="claims">([^<]*)</h2>', page)
    assert heading and heading.group(1) == "Expense claims"
    # The claims are below the hours, where the link now lands.
    assert page.index("Drop-in 19") < heading.start() < page.index("Half written")


def test_a_draft_says_it_is_kept_and_where_to_find_it(people, me, site):
    claim = helpers.draft_claim(me, people["connector"], title="Half written")
    page = page_html(people["connector"], claim.get_absolute_url())
    assert "The claim is saved as a draft as you go" in page
    assert f'from <a href="{reverse("hours:mine")}">Your hours and expenses</a>' in page
    # A coordinator preparing it for the connector finds it again on the site's page.
    page = page_html(people["host"], claim.get_absolute_url())
    site_url = reverse("hours:site", args=[site.slug])
    assert f'from <a href="{site_url}">{site.name}</a>' in page
    # Once submitted it is no longer a draft.
    actions.submit_claim(claim=claim, by=people["connector"])
    assert "saved as a draft" not in page_html(people["connector"], claim.get_absolute_url())


NEW_CLAIM = "start a new expense claim"


def test_a_rejected_claim_offers_a_new_one_to_its_connector(people, me):
    claim = helpers.submitted_claim(me, people["connector"], title="Turned down")
    assert NEW_CLAIM not in page_html(people["connector"], claim.get_absolute_url())
    actions.reject_claim(claim=claim, reason="Start again with the receipt", by=people["host"])

    page = page_html(people["connector"], claim.get_absolute_url())
    assert f'<a href="{reverse("hours:claim-create")}">{NEW_CLAIM}</a>' in page
    # Not to the coordinator (their claims for connectors start from the site's page), nor
    # to a connector who is no longer active (they cannot start one).
    assert NEW_CLAIM not in page_html(people["host"], claim.get_absolute_url())
    Connector.objects.filter(pk=me.pk).update(status=Connector.Status.PAUSED)
    assert NEW_CLAIM not in page_html(people["connector"], claim.get_absolute_url())
