"""In Chromium, with axe on every page: a connector records two activities with the
network switched off (the form reloads from the service worker's copy; submissions wait in
the browser), the network comes back, and both are stored exactly once; then the site
lead's dashboard."""

import pytest
from playwright.sync_api import expect

from core20.engagement.models import Activity
from tests.browser.conftest import signed_in_as
from tests.engagement import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    # The shared test machine can be slow; give pages time rather than fail on load.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    signed_in_as(page, live_server, user)


def _record(page, kind: str, people: str) -> None:
    page.get_by_label("Date").fill("2026-03-02")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Number of people reached").fill(people)
    page.get_by_role("button", name="Save activity").click()


def test_offline_recording_syncs_each_activity_once(page, live_server, check, make_user, site):
    connector = make_user("connector", full_name="Connie Connector")
    _sign_in(page, live_server, connector)
    page.goto(f"{live_server.url}/activities/new/")
    check(page)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.context.set_offline(True)
    page.reload()  # served from the service worker's copy
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Record an activity")
    _record(page, "Outreach", "7")
    status = page.get_by_test_id("offline-status")
    expect(status).to_contain_text("1 activity is saved on this device")
    _record(page, "Vaccination", "12")
    expect(status).to_contain_text("2 activities are saved on this device")
    check(page)
    assert Activity.objects.count() == 0

    page.context.set_offline(False)
    expect(status).not_to_contain_text("saved on this device", timeout=60_000)
    stored = sorted(Activity.objects.values_list("kind", "people_reached", "recorded_by"))
    assert stored == [("outreach", 7, connector.pk), ("vaccination", 12, connector.pk)]
    # Opening the form again (which syncs anything left) stores nothing twice.
    page.goto(f"{live_server.url}/activities/new/")
    check(page)
    page.goto(f"{live_server.url}/activities/")
    check(page)
    expect(page.get_by_test_id("activity-table").get_by_role("row")).to_have_count(3)
    assert Activity.objects.count() == 2


def test_site_dashboard_passes_axe(page, live_server, check, make_user, site):
    helpers.activity(site, people_reached=40, core20=True)
    _sign_in(page, live_server, make_user("site_lead"))
    page.goto(f"{live_server.url}/activities/sites/{site.slug}/")
    check(page)
    expect(page.get_by_test_id("total-people")).to_have_text("40")


def test_saves_wait_for_the_person_who_made_them(page, live_server, check, make_user, site):
    """Two connectors share a phone: what one saved offline is not sent under the other's
    sign-in; it goes when its own author opens the form again. Saves left by an earlier
    version under the one shared key are taken over and sent."""
    connie = make_user("connector", full_name="Connie Connector")
    sam = make_user("connector", full_name="Sam Second")
    _sign_in(page, live_server, connie)
    page.goto(f"{live_server.url}/activities/new/")
    check(page)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    page.reload()
    check(page)
    _record(page, "Outreach", "7")
    expect(page.get_by_test_id("offline-status")).to_contain_text("1 activity is saved")

    # Connie closes the browser; later, back online, Sam signs in on the same phone.
    context = page.context
    page.close()
    page = context.new_page()
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    signed_in_as(page, live_server, sam)
    context.set_offline(False)
    page.goto(f"{live_server.url}/activities/new/")
    check(page)
    expect(page.get_by_test_id("offline-status")).not_to_contain_text("saved on this device")
    # Nothing of Connie's goes under Sam's name (her saves stay on the phone for her).
    assert not Activity.objects.filter(recorded_by=sam).exists()

    signed_in_as(page, live_server, connie)
    page.goto(f"{live_server.url}/activities/new/")
    check(page)
    expect(page.get_by_test_id("offline-status")).not_to_contain_text(
        "saved on this device", timeout=60_000
    )
    assert list(Activity.objects.values_list("people_reached", "recorded_by")) == [(7, connie.pk)]

    # An earlier version kept every save under one key for everyone.
    page.context.set_offline(True)
    page.reload()
    check(page)
    _record(page, "Vaccination", "12")
    own_key = f"core20.activities.queue.{connie.pk}"
    page.evaluate(
        """key => {
            localStorage.setItem("core20.activities.queue", localStorage.getItem(key));
            localStorage.removeItem(key);
        }""",
        own_key,
    )
    page.context.set_offline(False)
    page.reload()
    check(page)
    expect(page.get_by_test_id("offline-status")).not_to_contain_text(
        "saved on this device", timeout=60_000
    )
    assert Activity.objects.count() == 2
    assert page.evaluate('localStorage.getItem("core20.activities.queue")') is None


def test_offline_counts_that_are_not_whole_numbers_are_refused_with_the_servers_message(
    page, live_server, check, make_user, site
):
    """The counts are text inputs with the numeric keypad (not type=number), so the phone
    itself says when one is not a whole number, rather than keeping a save the server
    would refuse."""
    connector = make_user("connector")
    _sign_in(page, live_server, connector)
    page.goto(f"{live_server.url}/activities/new/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.context.set_offline(True)
    page.reload()
    check(page)
    page.get_by_text("Who you reached (optional counts)").click()
    page.get_by_label("Under 18").fill("1e3")
    _record(page, "Outreach", "12 people")
    errors = page.get_by_test_id("offline-errors")
    expect(errors).to_contain_text("Number of people reached must be a whole number, like 12")
    expect(errors).to_contain_text("Under 18 must be a whole number, like 12")
    expect(errors).not_to_contain_text("Enter the number of people reached")
    expect(page.get_by_test_id("offline-status")).not_to_contain_text("saved on this device")
    check(page)

    page.get_by_label("Under 18").fill("3")
    _record(page, "Outreach", "12")
    expect(page.get_by_test_id("offline-status")).to_contain_text("1 activity is saved")
    page.context.set_offline(False)
    expect(page.get_by_test_id("offline-status")).not_to_contain_text(
        "saved on this device", timeout=60_000
    )
    activity = Activity.objects.get()
    assert (activity.people_reached, activity.breakdown) == (12, {"age": {"0_17": 3}})
