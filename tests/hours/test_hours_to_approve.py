"""Hours to approve: every entry the home page counts is listed, and approvable, on the site's
page its link leads to, however many there are (not only among the latest 50), 50 a page,
never the person's own; and hours of a connector whose details were erased are neither
counted nor approvable."""

import datetime
import json
import re
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
from core20.hours.views import TO_APPROVE_PAGE
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


def _site_url(site, page=None) -> str:
    url = reverse("hours:site", args=[site.slug])
    return url if page is None else f"{url}?page={page}"


def _approve_buttons(page: str) -> int:
    return page.count(">Approve<")


def _every_page(user, url: str) -> str:
    """The site's page and every further page of its hours to approve, followed through the
    "Next" links, as one text; fails if a page has no Approve button or the pages never end."""
    pages = [page_html(user, url)]
    for _ in range(20):
        found = re.search(
            r'href="(\?page=\d+)#hours-to-approve">\s*<span class="nhsuk-pagination__title">Next',
            pages[-1],
        )
        if found is None:
            return "".join(pages)
        pages.append(page_html(user, url.split("?")[0] + found.group(1)))
        assert _approve_buttons(pages[-1]), found.group(1)
    raise AssertionError("The pages of hours to approve never end")


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
    # The total waiting, and 50 of them (the oldest) on the first page.
    assert "60 hours entries are waiting for you to approve, oldest first." in page
    assert "This is page 1 of 2: entries 1 to 50." in page
    assert _approve_buttons(page) == TO_APPROVE_PAGE == 50
    oldest_first = sorted(beas, key=lambda e: (e.date, e.pk))
    assert _approve_url(oldest_first[0]) in page
    assert _approve_url(oldest_first[50]) not in page
    # Every one of them is on one of the pages, and none of the host's own.
    every = _every_page(people["host"], waiting.url)
    assert _approve_buttons(every) == 60
    for entry in beas:
        assert _approve_url(entry) in every
    for entry in own:
        assert _approve_url(entry) not in every
    # The newest, on the second page, is approved from there like any other.
    newest = oldest_first[-1]
    response = client_for(people["host"]).post(_approve_url(newest), follow=True)
    assert "approved" in response.content.decode()
    newest.refresh_from_db()
    assert newest.approved_by == people["host"]
    assert _to_approve(people["host"]).text == "59 hours entries to approve"
    # The lead may approve the host's hours too: they are counted and listed for them.
    lead = _to_approve(people["lead"])
    assert lead.text == "62 hours entries to approve"
    lead_page = page_html(people["lead"], lead.url)
    assert "62 hours entries are waiting for you to approve, oldest first." in lead_page
    assert _approve_buttons(_every_page(people["lead"], lead.url)) == 62


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
    here = _every_page(people["admin"], _site_url(site))
    there = _every_page(people["admin"], _site_url(other_site))
    assert _approve_buttons(here) == 55 and _approve_buttons(there) == 2


def test_the_hours_to_approve_are_listed_in_a_fixed_number_of_queries(people, site):
    client = client_for(people["host"])
    url = _site_url(site)
    first = helpers.connector(site, name="Connector 0")
    _bulk_log(first, range(1, 2))
    client.get(url)  # warm caches (sessions, memberships)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(1, 15):
        _bulk_log(helpers.connector(site, name=f"Connector {i}"), range(1, 10))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert _approve_buttons(page) == 50
    assert "127 hours entries are waiting" in page
    assert len(many.captured_queries) == len(few.captured_queries)
    with CaptureQueriesContext(connection) as last:
        page = client.get(_site_url(site, 3)).content.decode()
    assert _approve_buttons(page) == 27
    assert len(last.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("1", 1), ("2", 2), ("3", 3), ("4", 3), ("999999", 3), ("0", 3), ("-1", 3), ("abc", 1)],
)
def test_a_page_that_is_not_there_gives_the_nearest(people, bea, site, asked, shown):
    """As on the project's other paged lists (``Paginator.get_page``): a number out of range,
    the last page; not a number, the first."""
    _bulk_log(bea, range(1, 121))
    page = page_html(people["host"], _site_url(site, asked))
    assert f"This is page {shown} of 3" in page
    assert _approve_buttons(page) == (20 if shown == 3 else 50)


def test_the_pages_link_to_each_other(people, bea, site):
    _bulk_log(bea, range(1, 121))
    first = page_html(people["host"], _site_url(site))
    assert 'class="nhsuk-pagination"' in first
    # The links jump to the list, below the rest of the site's hours page.
    assert 'href="?page=2#hours-to-approve"' in first and "Page 2 of 3" in first
    assert "nhsuk-pagination__link--prev" not in first
    middle = page_html(people["host"], _site_url(site, 2))
    assert 'href="?page=1#hours-to-approve"' in middle
    assert 'href="?page=3#hours-to-approve"' in middle
    last = page_html(people["host"], _site_url(site, 3))
    assert 'href="?page=2#hours-to-approve"' in last
    assert "nhsuk-pagination__link--next" not in last


def test_one_page_has_no_page_links(people, bea, site):
    _bulk_log(bea, range(1, 51))
    page = page_html(people["host"], _site_url(site))
    assert "50 hours entries are waiting for you to approve, oldest first." in page
    assert "This is page" not in page
    assert "nhsuk-pagination" not in page
    assert _approve_buttons(page) == 50


def test_one_entry_waiting_is_counted_in_the_singular(people, bea, site):
    _bulk_log(bea, range(1, 2))
    page = page_html(people["host"], _site_url(site))
    assert "1 hours entry is waiting for you to approve, oldest first." in page


def test_approving_returns_to_the_same_page_with_the_message(people, bea, site):
    beas = sorted(_bulk_log(bea, range(1, 121)), key=lambda e: (e.date, e.pk))
    on_page_2 = beas[60]
    page = page_html(people["host"], _site_url(site, 2))
    assert _approve_url(on_page_2) in page
    assert 'name="page" value="2"' in page
    response = client_for(people["host"]).post(_approve_url(on_page_2), {"page": "2"}, follow=True)
    assert response.redirect_chain == [(_site_url(site, 2), 302)]
    html = response.content.decode()
    assert f"{on_page_2} for Bea Connector approved." in html
    assert "This is page 2 of 3: entries 51 to 100." in html
    assert "119 hours entries are waiting" in html


@pytest.mark.parametrize("sent", ["", "1", "abc", "-2", "²", "1?x=y", "9" * 5000])
def test_approving_from_the_first_page_or_no_page_returns_to_the_site(people, bea, site, sent):
    (entry,) = _bulk_log(bea, range(1, 2))
    data = {"page": sent} if sent else {}
    response = client_for(people["host"]).post(_approve_url(entry), data)
    assert response.status_code == 302
    assert response["Location"] == _site_url(site)


def test_approving_the_last_entry_of_the_last_page_shows_the_page_before(people, bea, site):
    beas = sorted(_bulk_log(bea, range(1, 52)), key=lambda e: (e.date, e.pk))
    response = client_for(people["host"]).post(_approve_url(beas[-1]), {"page": "2"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(_site_url(site, 2), 302)]
    assert "approved." in html
    assert "50 hours entries are waiting for you to approve, oldest first." in html
    assert _approve_buttons(html) == 50


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


def test_changing_or_removing_an_entry_returns_to_the_page_it_was_on(people, bea, site):
    beas = sorted(_bulk_log(bea, range(1, 121)), key=lambda e: (e.date, e.pk))
    on_page_2 = beas[60]
    edit = reverse("hours:hours-edit", args=[on_page_2.pk])
    page = page_html(people["host"], _site_url(site, 2))
    assert f'href="{edit}?page=2"' in page
    # The first page's links carry no page.
    assert f'href="{reverse("hours:hours-edit", args=[beas[0].pk])}"' in page_html(
        people["host"], _site_url(site)
    )
    client = client_for(people["host"])
    form = client.get(f"{edit}?page=2").content.decode()
    assert f'href="{_site_url(site, 2)}"' in form  # Cancel
    remove = reverse("hours:hours-remove", args=[on_page_2.pk])
    assert f'action="{remove}?page=2"' in form
    data = {"date": on_page_2.date.isoformat(), "hours": "2", "activity": "Walking group"}
    response = client.post(f"{edit}?page=2", data)
    assert response["Location"] == _site_url(site, 2)
    response = client.post(f"{remove}?page=2")
    assert response["Location"] == _site_url(site, 2)
    assert not HoursEntry.objects.filter(pk=on_page_2.pk).exists()
