"""Browser tests: Playwright in Debian's Chromium against the live server.

Every page a browser test visits is checked with axe (WCAG 2.2 AA rules): call `check(page)`
after each navigation; the `visited` bookkeeping fails the test if a page was loaded and not
checked.
"""

from pathlib import Path

import pytest_playwright_axe

from tests.factories import TEST_PASSWORD

WCAG_22AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"],
    },
    # Only violations are read: leaving out the details of every passing check makes each
    # run quicker and its result smaller to send back from the browser.
    "resultTypes": ["violations"],
}
#: axe-core as shipped (offline) by pytest-playwright-axe.
AXE_SOURCE = (Path(pytest_playwright_axe.__file__).parent / "resources" / "axe.min.js").read_text(
    encoding="utf-8"
)


def _violations_text(results: dict) -> str:
    lines = []
    for v in results.get("violations", []):
        targets = "; ".join(
            " ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
            for n in v["nodes"][:5]
        )
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {targets}")
    return "\n".join(lines)


def axe_violations(page) -> str:
    """axe's WCAG 2.2 AA violations on the page as it is now, a line each ("" for none).

    axe-core runs directly in the page. (pytest-playwright-axe's own runner opens a second
    browser context and loads axe twice for every check, to merge results from cross-origin
    frames; these pages have none, and that cost half a second a page.)"""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return _violations_text(page.evaluate("options => axe.run(document, options)", WCAG_22AA))


class A11yChecker:
    def __init__(self, page):
        self.page = page
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        # about:blank is where signed_in_as leaves a page between users: nothing to check.
        page.on("load", lambda p: p.url != "about:blank" and self.loaded.append(p.url))

    def __call__(self, page=None) -> None:
        page = page or self.page
        page.wait_for_load_state("load")
        violations = axe_violations(page)
        assert not violations, f"axe violations on {page.url}:\n{violations}"
        self.checked.add(page.url)

    def unchecked(self) -> list[str]:
        return [url for url in self.loaded if url not in self.checked]


def sign_in_browser(
    page, live_server, email: str, password: str = TEST_PASSWORD, check=None
) -> None:
    page.goto(f"{live_server.url}/account/sign-in/")
    if check:
        check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def signed_in_as(page, live_server, user) -> None:
    """Replace the browser's session with one for ``user`` (signed in without the form).

    The page is left for a blank one first, once its requests are over. On SQLite the test
    database is one in-memory connection that this thread shares with the live server's
    (as in Django's LiveServerTestCase), so the two must not use it at the same time:
    writing the session here while the page was still talking to the server (a form's
    offline sync, the service worker's update check) failed now and then with "database
    table is locked", or left the page's request unauthorised.
    """
    from django.conf import settings
    from django.test import Client

    from tests.conftest import sign_in

    if page.url != "about:blank":
        page.wait_for_load_state("networkidle")
        page.goto("about:blank")
    client = Client()
    sign_in(client, user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
