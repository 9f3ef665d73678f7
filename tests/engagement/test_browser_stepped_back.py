"""In Chromium: a connector saves an activity with no connection; before it is sent their
coordinator moves them to *Left*. When the connection comes back the sync is refused, and
the page says why (it used to keep retrying in silence on every visit), keeping the save
on the phone."""

import pytest
from playwright.sync_api import expect

from core20.engagement.models import Activity
from core20.network import actions as network_actions
from core20.network.models import Connector
from tests.browser.conftest import signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_save_refused_because_they_left_says_why(page, live_server, check, make_user, site):
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    user = make_user("connector", full_name="Connie Connector")
    host = make_user("host_coordinator", full_name="Hal Host")
    record = Connector.objects.create(
        site=site, user=user, name="Connie Connector", status=Connector.Status.ACTIVE
    )
    signed_in_as(page, live_server, user)
    page.goto(f"{live_server.url}/activities/new/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.context.set_offline(True)
    page.reload()  # served from the service worker's copy
    page.get_by_label("Date").fill("2026-03-02")
    page.get_by_label("Outreach", exact=True).check()
    page.get_by_label("Number of people reached").fill("7")
    page.get_by_role("button", name="Save activity").click()
    status = page.get_by_test_id("offline-status")
    expect(status).to_contain_text("1 activity is saved on this device")

    network_actions.change_status(connector=record, to="left", reason="Moved away", by=host)
    page.context.set_offline(False)

    problems = page.get_by_test_id("offline-errors")
    expect(problems).to_contain_text(
        "Some activities saved on this device could not be sent", timeout=60_000
    )
    expect(problems).to_contain_text(
        "Activity on 2026-03-02: You can record activities only while you are an active "
        "connector at Home Site. Ask your coordinator."
    )
    check(page)
    # Kept on the phone (nothing is lost), and nothing stored.
    expect(status).to_contain_text("1 activity is saved on this device, waiting to be sent")
    assert not Activity.objects.exists()
