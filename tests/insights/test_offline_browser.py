"""In Chromium, with axe on every page: a connector opens the insight form, the network goes
off (the form reloads from the insights service worker's copy), they save an insight with a
consented quote and are told it is saved on the phone; the network comes back, it is sent,
and it is stored exactly once, with the quote and its consent."""

import pytest
from playwright.sync_api import expect

from core20.insights.models import Insight
from tests.browser.conftest import signed_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_insight_saved_offline_is_sent_once(page, live_server, check, make_user, site):
    # The shared test machine can be slow; give pages time rather than fail on load.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    connector = make_user("connector", full_name="Cara Connector")
    signed_in_as(page, live_server, connector)
    form_url = f"{live_server.url}/insights/sites/{site.slug}/new/"
    page.goto(form_url)
    check(page)
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    page.context.set_offline(True)
    page.reload()  # served from the service worker's copy
    check(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Record an insight for {site}")
    status = page.get_by_test_id("offline-status")
    expect(status).to_contain_text("You are offline")

    # The few checks made on the phone come first, in the error summary.
    page.get_by_label("A quote (optional)").fill("I walk an hour to get there.")
    page.get_by_role("button", name="Save insight").click()
    problems = page.get_by_test_id("offline-errors")
    expect(problems).to_contain_text("Choose the kind of insight")
    expect(problems).to_contain_text("Confirm the person agreed to their words being recorded")
    check(page)

    page.get_by_label("Barrier", exact=True).check()
    page.get_by_label("What did people say?").fill("No bus reaches the clinic before 10am.")
    page.get_by_label("How many people raised it?").fill("4")
    page.get_by_label("The person agreed to their words being recorded").check()
    page.get_by_label("They also agreed to their words being published").check()
    page.get_by_role("button", name="Save insight").click()
    expect(status).to_have_text("Saved on this phone. It will be sent when you are back online.")
    expect(problems).to_be_hidden()
    expect(page.get_by_label("What did people say?")).to_have_value("")
    check(page)
    assert not Insight.objects.exists()

    page.context.set_offline(False)
    expect(status).to_contain_text("Sent", timeout=60_000)
    check(page)
    insight = Insight.objects.get()
    assert (insight.kind, insight.summary, insight.people_count, insight.site) == (
        "barrier",
        "No bus reaches the clinic before 10am.",
        4,
        site,
    )
    assert insight.raised_by == connector
    (quote,) = insight.quotes.all()
    assert quote.text == "I walk an hour to get there." and quote.consent_public

    # Opening the form again (which sends anything left) stores nothing twice.
    page.goto(form_url)
    check(page)
    expect(status).to_be_empty()
    page.goto(f"{live_server.url}/insights/")
    check(page)
    expect(page.get_by_text("No bus reaches the clinic before 10am.")).to_be_visible()
    assert Insight.objects.count() == 1
    queue = page.evaluate(f"localStorage.getItem('core20.insights.queue.{connector.pk}')")
    assert queue == "[]"
