"""Hours and expenses on the home page: claims to decide and to pay for the people who approve
them at a site, a connector's drafts and recent rejections, and the shortcuts to log hours and
claim expenses, each linking to a page that lists them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.hours import actions, home
from core20.hours.models import ExpenseClaim
from core20.network.models import Connector
from tests.conftest import page_html, queries_of
from tests.hours import helpers

pytestmark = pytest.mark.django_db

Status = ExpenseClaim.Status


def _entries(user) -> dict[str, home.Waiting]:
    return {entry.text: entry for entry in home.waiting(user)}


@pytest.fixture
def claims(people, bea, far):
    bea_user = people["bea_user"]
    helpers.submitted_claim(bea, bea_user, title="Bus to the fair")
    helpers.submitted_claim(bea, bea_user, title="Tea and biscuits")
    helpers.approved_claim(bea, bea_user, people["host"], title="Printing leaflets")
    helpers.draft_claim(bea, bea_user, title="Still writing")
    # At another site, prepared by its lead for a connector without an account: someone
    # else (here a national admin) approves it.
    helpers.submitted_claim(far, people["other_lead"], title="Far taxi")
    helpers.approved_claim(far, people["other_lead"], people["admin"], title="Far hall hire")


def test_claims_to_decide_and_pay_for_those_who_approve_at_the_site(claims, people, site):
    for name in ("host", "lead"):
        entries = _entries(people[name])
        assert set(entries) == {"2 expense claims to decide", "1 approved expense claim to pay"}
        url = entries["2 expense claims to decide"].url
        assert url == reverse("hours:site", args=[site.slug])
        page = page_html(people[name], url)
        assert "Bus to the fair" in page and "Printing leaflets" in page
        assert "Far taxi" not in page
    admin = _entries(people["admin"])
    assert set(admin) == {"3 expense claims to decide", "2 approved expense claims to pay"}
    assert admin["3 expense claims to decide"].url == reverse("hours:sites")
    page_html(people["admin"], reverse("hours:sites"))
    assert set(_entries(people["other_lead"])) == {
        "1 expense claim to decide",
        "1 approved expense claim to pay",
    }
    for name in ("analyst", "connector"):
        assert home.waiting(people[name]) == []
    # Bea's own draft is waiting for her, not for the people who approve.
    assert set(_entries(people["bea_user"])) == {"1 draft expense claim to submit"}


def test_a_connectors_drafts_and_recent_rejections(people, me, site):
    user = people["connector"]
    helpers.draft_claim(me, user, title="Half written")
    helpers.submitted_claim(me, user, title="With my coordinator")
    for title in ("Turned down", "Turned down long ago"):
        claim = helpers.submitted_claim(me, user, title=title)
        actions.reject_claim(claim=claim, reason="No receipt for the taxi", by=people["host"])
    ExpenseClaim.objects.filter(title="Turned down long ago").update(
        decided_at=timezone.now() - datetime.timedelta(days=45)
    )
    entries = _entries(user)
    assert set(entries) == {"1 draft expense claim to submit", "1 expense claim rejected recently"}
    page = page_html(user, entries["1 draft expense claim to submit"].url)
    assert "Half written" in page and "Turned down" in page
    # The connector's claims wait for the coordinators, not for them.
    assert set(_entries(people["host"])) == {"1 expense claim to decide"}


def test_nothing_waiting_gives_no_entries(people, me, bea, site):
    helpers.approved_claim(bea, people["bea_user"], people["host"], title="Approved")
    ExpenseClaim.objects.update(status=Status.PAID)
    for name in ("admin", "lead", "host", "connector", "bea_user", "analyst"):
        assert home.waiting(people[name]) == []


def _shortcuts(user) -> dict[str, str]:
    return {s.label: s.url for s in home.shortcuts(user)}


def test_shortcuts_for_those_who_may_use_them(people, site):
    connector = people["connector"]
    # A connector account without a connector record cannot log hours or claim.
    assert _shortcuts(connector) == {}
    me = helpers.connector(site, user=connector, name="Con Nector")
    assert _shortcuts(connector) == {
        "Log your hours": reverse("hours:log-hours"),
        "Claim expenses": reverse("hours:claim-create"),
    }
    for url in _shortcuts(connector).values():
        page_html(connector, url)
    # Connectors record for themselves only while active.
    Connector.objects.filter(pk=me.pk).update(status=Connector.Status.PAUSED)
    assert _shortcuts(connector) == {}
    site_page = {"Check hours and expenses": reverse("hours:site", args=[site.slug])}
    assert _shortcuts(people["host"]) == site_page
    assert _shortcuts(people["lead"]) == site_page
    assert _shortcuts(people["admin"]) == {"Check hours and expenses": reverse("hours:sites")}
    assert _shortcuts(people["analyst"]) == {}
    for name in ("host", "admin"):
        for url in _shortcuts(people[name]).values():
            page_html(people[name], url)


@pytest.mark.parametrize("name", ["admin", "host", "connector"])
def test_a_fixed_number_ofqueries_of(name, people, me, bea, far):
    user = people[name]
    few = {f: queries_of(f, user) for f in (home.waiting, home.shortcuts)}
    ExpenseClaim.objects.bulk_create(
        ExpenseClaim(connector=c, site_id=c.site_id, title=f"Claim {i}", status=status)
        for c in (me, bea, far)
        for i, status in enumerate([Status.DRAFT, Status.SUBMITTED, Status.APPROVED] * 5)
    )
    assert home.waiting(user)  # the claims are seen...
    many = {f: queries_of(f, user) for f in (home.waiting, home.shortcuts)}
    assert many == few  # ...in the same number of queries
    # Claims in one query, and hours to approve in a second for those who approve them.
    assert many[home.waiting] == (1 if name == "connector" else 2)
    assert many[home.shortcuts] == 1
