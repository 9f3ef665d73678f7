"""Fixes from the demo review: hours waiting for approval on the home page, "every hour" not
"every 1 hours", every field's error at once, and no "(optional)" on a field that is needed in
some cases."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.hours import actions, home
from core20.hours.models import HoursEntry
from tests.conftest import client_for, page_html, queries_of
from tests.hours import helpers

pytestmark = pytest.mark.django_db

TO_APPROVE = "hours entries to approve"


def _texts(user) -> dict[str, home.Waiting]:
    return {entry.text: entry for entry in home.waiting(user)}


# ---- 1. hours waiting for approval ----


@pytest.fixture
def hours(people, me, bea, far, site):
    """Two entries by Bea and one by the host (also a connector) at the site, waiting; one of
    Bea's approved; one at another site."""
    helpers.log(bea, people["bea_user"], day=1)
    helpers.log(bea, people["bea_user"], day=2)
    approved = helpers.log(bea, people["bea_user"], day=3)
    actions.approve_hours(entry=approved, by=people["lead"])
    host_record = helpers.connector(site, user=people["host"], name="Hal Host")
    helpers.log(host_record, people["host"], day=1)
    helpers.log(far, people["other_lead"], day=1)


def test_hours_to_approve_wait_for_those_who_may_approve_them(hours, people, site):
    # The lead approves all three at the site, the host's included.
    lead = _texts(people["lead"])
    assert "3 hours entries to approve" in lead
    url = lead["3 hours entries to approve"].url
    assert url == reverse("hours:site", args=[site.slug])
    assert lead["3 hours entries to approve"].overdue == 0
    page = page_html(people["lead"], url)
    assert page.count(">Approve<") == 3
    # The host may not approve their own hours, so only Bea's two wait for them.
    host = _texts(people["host"])
    assert "2 hours entries to approve" in host
    assert page_html(people["host"], url).count(">Approve<") == 2
    # The other site's lead sees only theirs; a national admin every site's, through the list.
    assert "1 hours entry to approve" in _texts(people["other_lead"])
    admin = _texts(people["admin"])
    assert admin["4 hours entries to approve"].url == reverse("hours:sites")
    sites_page = page_html(people["admin"], reverse("hours:sites"))
    assert "3 hours entries to approve" in sites_page
    assert "1 hours entry to approve" in sites_page
    # Connectors and analysts approve nothing.
    for name in ("connector", "bea_user", "analyst"):
        assert not any(TO_APPROVE in text or "hours entry" in text for text in _texts(people[name]))


def test_no_entry_once_the_hours_are_approved(hours, people):
    for entry in HoursEntry.objects.filter(approved_at__isnull=True):
        actions.approve_hours(entry=entry, by=people["admin"])
    for name in ("lead", "host", "admin", "other_lead"):
        assert not any("hours entr" in text for text in _texts(people[name]))


@pytest.mark.parametrize("name", ["admin", "host"])
def test_hours_to_approve_are_counted_in_a_fixed_number_of_queries(name, people, me, bea, far):
    user = people[name]
    few = queries_of(home.waiting, user)
    today = timezone.localdate()
    HoursEntry.objects.bulk_create(
        HoursEntry(
            connector=c,
            site_id=c.site_id,
            date=today - datetime.timedelta(days=i),
            hours=Decimal("1"),
            activity="Coffee morning",
        )
        for c in (me, bea, far)
        for i in range(10)
    )
    assert any("hours entries to approve" in text for text in _texts(user))
    assert queries_of(home.waiting, user) == few == 2


# ---- 2. "every hour", not "every 1 hours" ----


@pytest.mark.parametrize(("rate", "said"), [("1", "hour"), ("2", "2 hours"), ("1.5", "1.5 hours")])
def test_the_time_credit_rate_reads_well(rate, said, people, me, site):
    actions.set_time_credits(
        site=site, enabled=True, hours_per_credit=Decimal(rate), by=people["host"]
    )
    mine = page_html(people["connector"], reverse("hours:mine"))
    site_page = page_html(people["host"], reverse("hours:site", args=[site.slug]))
    for page in (mine, site_page):
        assert re.search(rf"credit for every {said}\b", page)
        assert "every 1 hours" not in page


# ---- 3. every field's error at once ----


def test_an_item_shows_the_amount_and_date_errors_together(people, me):
    claim = actions.create_claim(connector=me, title="Travel", by=people["connector"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(people["connector"]).post(
        reverse("hours:item-add", args=[claim.pk]),
        {"date": tomorrow.isoformat(), "description": "Bus fare", "amount": "-5"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The amount must be at least £0.01" in page
    assert "The date of the expense cannot be in the future" in page
    assert not claim.items.exists()


def test_hours_show_the_hours_and_date_errors_together(people, me):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(people["connector"]).post(
        reverse("hours:log-hours"),
        {"date": tomorrow.isoformat(), "hours": "30", "activity": "Coffee morning"},
    )
    page = response.content.decode()
    assert "Hours must be 24 or fewer" in page
    assert "The date cannot be in the future" in page
    assert not HoursEntry.objects.exists()


# ---- 4. no "(optional)" on a field needed in some cases ----


def test_the_rejection_reason_is_not_called_optional(people, bea):
    claim = helpers.submitted_claim(bea, people["bea_user"])
    page = page_html(people["host"], reverse("hours:claim-decide", args=[claim.pk]))
    assert "Why the claim is rejected</label>" in page
    assert "Why the claim is rejected (optional)" not in page
    # Rejecting without a reason is still refused.
    response = client_for(people["host"]).post(
        reverse("hours:claim-decide", args=[claim.pk]), {"decision": "reject", "reason": ""}
    )
    assert "Enter why the claim is rejected" in response.content.decode()


def test_the_hours_for_a_credit_are_not_called_optional(people, site):
    page = page_html(people["host"], reverse("hours:credit-settings", args=[site.slug]))
    assert "Hours for one time credit</label>" in page
    assert "Hours for one time credit (optional)" not in page
    assert "Needed if the site gives time credits" in page
