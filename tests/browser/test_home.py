"""The dashboard with the demo's sample work in it, in the browser: axe (WCAG 2.2 AA) at
320 px and 1024 px, no sideways scrolling at 320 px, and the waiting cards and shortcuts in
reach of the keyboard."""

import pytest
from django.conf import settings
from django.test import Client

from core20.web.demo import load_demo_content
from tests.browser.conftest import axe_violations
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", ["site_lead", "decision_maker", "connector"])
def test_the_dashboard_is_accessible_at_320_and_1024px(browser, live_server, demo_world, role):
    load_demo_content()
    client = Client()
    sign_in(client, demo_world.users[role])
    context = browser.new_context(viewport={"width": 320, "height": 640})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    cards = page.locator(".app-waiting .nhsuk-card__link")
    assert cards.count() > 0, f"nothing waiting for the demo {role}"
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    assert not axe_violations(page)
    page.set_viewport_size({"width": 1024, "height": 768})
    assert not axe_violations(page)
    # The first waiting card is a link the keyboard reaches and follows.
    first = cards.first
    target = first.get_attribute("href")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}{target}")
    context.close()
