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


def _phone(browser, live_server, user):
    """A browser context 320 px wide, signed in as ``user``."""
    client = Client()
    sign_in(client, user)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("role", ["site_lead", "decision_maker", "connector"])
def test_the_dashboard_is_accessible_at_320_and_1024px(browser, live_server, demo_world, role):
    load_demo_content()
    context = _phone(browser, live_server, demo_world.users[role])
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


# Pages whose real content (long email addresses, tables of scores) once pushed them past a
# 320 px screen, with the demo's sample work in them, as the user who would open them.
CONTENT_PAGES = [
    ("site_lead", "/audit/"),
    ("host_coordinator", "/account/"),
    ("host_coordinator", "/insights/sites/shropshire-telford-wrekin/decision-makers/"),
    ("host_coordinator", "grant-application"),
]


def test_pages_full_of_sample_work_fit_a_320px_screen(browser, live_server, demo_world):
    from core20.grants.models import Application

    load_demo_content()
    scored = Application.objects.filter(assessments__isnull=False).distinct().first()
    problems = []
    for role, path in CONTENT_PAGES:
        if path == "grant-application":
            path = f"/grants/applications/{scored.pk}/"
        context = _phone(browser, live_server, demo_world.users[role])
        page = context.new_page()
        assert page.goto(f"{live_server.url}{path}").status == 200, path
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{path} as {role} scrolls sideways by {overflow}px")
        context.close()
    assert not problems, "\n".join(problems)
