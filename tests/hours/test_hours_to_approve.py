"""Hours to approve: every entry the home page counts is listed, and approvable, on the site's
page its link leads to, however many there are (not only among the latest 50), never the
person's own; and hours of a connector whose details were erased are neither counted nor
approvable."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.hours import actions, home
from core20.hours.models import HoursEntry
from core20.network.models import Connector
from core20.network.personal_data import erase_connector
from tests.conftest import client_for, page_html
from tests.hours import helpers

pytestmark = pytest.mark.django_db

ERASED = (
    "These hours cannot be approved: the connector&#x27;s personal details were erased, so "
    "their record is closed."
)


def _to_approve(user) -> home.Waiting | None:
    """The "hours entries to approve" line of the user's "Waiting for you", if any."""
    found = [w for w in home.waiting(user) if "hours entr" in w.text]
    assert len(found) <= 1
    return found[0] if found else None


def _bulk_log(connector, days: range) -> list[HoursEntry]:
    today = timezone.localdate()
    return HoursEntry.objects.bulk_create(
        HoursEntry(
            connector=connector,
            site_id=connector.site_id,
            date=today - datetime.timedelta(days=day),
            hours=Decimal("1"),
            activity=f"Walking group {day}",
        )
        for day in days
    )


def _approve_url(entry: HoursEntry) -> str:
    return reverse("hours:hours-approve", args=[entry.pk])


def _erase(connector: Connector, by) -> Connector:
    Connector.objects.filter(pk=connector.pk).update(status=Connector.Status.LEFT)
    return erase_connector(connector=connector, by=by, reason="They asked us to")


def test_every_entry_counted_on_the_home_page_is_approvable_where_its_link_goes(
    people, me, bea, site
):
    # 60 of Bea's entries wait, more than the 50 latest hours the page shows; the host, who
    # is also a connector, has 3 of their own waiting, which someone else approves.
    beas = _bulk_log(bea, range(1, 61))
    host_record = helpers.connector(site, user=people["host"], name="Hal Host")
    own = _bulk_log(host_record, range(1, 4))
    waiting = _to_approve(people["host"])
    assert waiting is not None and waiting.text == "60 hours entries to approve"
    page = page_html(people["host"], waiting.url)
    assert '<h2 id="hours-to-approve">Hours to approve</h2>' in page
    assert page.count(">Approve<") == 60
    for entry in beas:
        assert _approve_url(entry) in page
    for entry in own:
        assert _approve_url(entry) not in page
    # The oldest, well beyond the latest 50, is approved from there like any other.
    oldest = min(beas, key=lambda e: e.date)
    response = client_for(people["host"]).post(_approve_url(oldest), follow=True)
    assert "approved" in response.content.decode()
    oldest.refresh_from_db()
    assert oldest.approved_by == people["host"]
    assert _to_approve(people["host"]).text == "59 hours entries to approve"
    # The lead may approve the host's hours too: they are counted and listed for them.
    lead = _to_approve(people["lead"])
    assert lead.text == "62 hours entries to approve"
    assert page_html(people["lead"], lead.url).count(">Approve<") == 62


def test_a_national_admin_reaches_each_sites_hours_to_approve_from_the_list(
    people, bea, far, site, other_site
):
    _bulk_log(bea, range(1, 56))
    _bulk_log(far, range(1, 3))
    waiting = _to_approve(people["admin"])
    assert waiting.text == "57 hours entries to approve"
    assert waiting.url == reverse("hours:sites")
    listed = page_html(people["admin"], waiting.url)
    assert "55 hours entries to approve" in listed and "2 hours entries to approve" in listed
    here = page_html(people["admin"], reverse("hours:site", args=[site.slug]))
    there = page_html(people["admin"], reverse("hours:site", args=[other_site.slug]))
    assert here.count(">Approve<") == 55 and there.count(">Approve<") == 2


def test_the_hours_to_approve_are_listed_in_a_fixed_number_of_queries(people, site):
    client = client_for(people["host"])
    url = reverse("hours:site", args=[site.slug])
    first = helpers.connector(site, name="Connector 0")
    _bulk_log(first, range(1, 2))
    client.get(url)  # warm caches (sessions, memberships)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(1, 8):
        _bulk_log(helpers.connector(site, name=f"Connector {i}"), range(1, 10))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count(">Approve<") == 64
    assert len(many.captured_queries) == len(few.captured_queries)


def test_nothing_to_approve_says_so(people, site):
    page = page_html(people["host"], reverse("hours:site", args=[site.slug]))
    assert "No hours are waiting for you to approve." in page


# ---- erased connectors ----


@pytest.fixture
def erased_hours(people, bea):
    """Hours Bea logged before she left and her details were erased, never approved."""
    entry = helpers.log(bea, people["bea_user"], "2", activity="Coffee morning")
    _erase(bea, people["host"])
    entry.refresh_from_db()
    return entry


def test_hours_of_an_erased_connector_are_not_waiting_for_anyone(erased_hours, people, site):
    for name in ("host", "lead", "admin"):
        assert _to_approve(people[name]) is None, name
    listed = page_html(people["admin"], reverse("hours:sites"))
    assert "hours entr" not in listed
    page = page_html(people["host"], reverse("hours:site", args=[site.slug]))
    assert "No hours are waiting for you to approve." in page
    assert _approve_url(erased_hours) not in page
    assert reverse("hours:hours-edit", args=[erased_hours.pk]) not in page
    assert "No: the connector's details were erased" in page


def test_approving_an_erased_connectors_hours_is_refused_with_a_message(erased_hours, people, site):
    # For example from a page opened before the erasure.
    response = client_for(people["host"]).post(_approve_url(erased_hours), follow=True)
    assert response.redirect_chain[-1][0] == reverse("hours:site", args=[site.slug])
    assert ERASED in response.content.decode()
    erased_hours.refresh_from_db()
    assert not erased_hours.approved
    assert not AuditEvent.objects.filter(
        verb=AuditEvent.Verb.APPROVE, object_type="hours.HoursEntry"
    ).exists()
    with pytest.raises(ValidationError, match="personal details were erased"):
        actions.approve_hours(entry=erased_hours, by=people["admin"])


def test_the_api_refuses_to_approve_an_erased_connectors_hours(erased_hours, client_as):
    response = client_as("host").post(
        f"/api/v1/hours/entries/{erased_hours.pk}/approve",
        json.dumps({}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "personal details were erased" in response.json()["errors"][0]["message"]
    erased_hours.refresh_from_db()
    assert not erased_hours.approved


def test_two_approvals_from_the_same_list_approve_once(people, bea):
    """Host and lead both had the list open and both press Approve: the second is told the
    hours are already approved, and the log shows one approval."""
    (entry,) = _bulk_log(bea, range(1, 2))
    seen_by_lead = HoursEntry.objects.get(pk=entry.pk)  # read before the host approves
    actions.approve_hours(entry=entry, by=people["host"])
    with pytest.raises(actions.IllegalTransition, match="already been approved"):
        actions.approve_hours(entry=seen_by_lead, by=people["lead"])
    entry.refresh_from_db()
    assert entry.approved_by == people["host"]
    approvals = AuditEvent.objects.filter(verb=AuditEvent.Verb.APPROVE, object_id=str(entry.pk))
    assert approvals.count() == 1
