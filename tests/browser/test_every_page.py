"""Every page of the permission matrix, in the browser: axe (WCAG 2.2 AA) at 320 px and at
1024 px; on a 320 px screen, also no sideways scrolling (WCAG 1.4.10, reflow) and no
responsive-table cell whose value falls apart into narrow columns.

The journeys check the pages their users pass through; this sweep checks the rest, each as
the first visitor the matrix lets see it, with the matrix's own objects (`world`). Pages
that are not HTML (downloads, the API) are left out."""

from collections import defaultdict

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.access import ANON, first_allowed
from tests.browser.conftest import axe_violations
from tests.conftest import sign_in
from tests.test_permission_matrix import MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The innermost elements that reach past the right edge of the screen, for the message.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth;
  const wide = [...document.body.querySelectorAll('*')].filter(
    e => e.getBoundingClientRect().right > edge + 0.5);
  const innermost = wide.filter(e => !wide.some(o => o !== e && e.contains(o)));
  return innermost.slice(0, 3).map(e => {
    const r = e.getBoundingClientRect();
    const classes = String(e.className || '').trim().split(/\\s+/).filter(Boolean);
    const name = [e.tagName.toLowerCase(), ...classes].join('.');
    return `${name} "${(e.textContent || '').trim().slice(0, 30)}" to ${Math.round(r.right)}px`;
  });
}"""
# Responsive tables lay each cell out on small screens as its heading and its value side by
# side (a flex row): a value of several parts (a link, a tag, a line of text) becomes several
# narrow columns. Cells whose value is not one element or one run of text:
SPLIT_CELLS = """() => [...document.querySelectorAll(
    '.nhsuk-table-responsive td, .nhsuk-table-responsive th')]
  .filter(cell => cell.querySelector(':scope > .nhsuk-table-responsive__heading'))
  .filter(cell => [...cell.childNodes].filter(n =>
      !(n.nodeType === 1 && n.classList.contains('nhsuk-table-responsive__heading'))
      && !(n.nodeType === 3 && !n.textContent.trim())
      && n.nodeType !== 8).length > 1)
  .slice(0, 3)
  .map(cell => cell.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60))"""
# Pages left out of the axe check, and why (each is named in the accessibility statement).
AXE_EXEMPT = {
    "api-1.0.0:openapi-view": "the API documentation is third-party Swagger UI",
}
DESKTOP = {"width": 1024, "height": 768}
MOBILE = {"width": 320, "height": 640}


def _namespace(name: str) -> str:
    return name.split(":")[0]


# One test per namespace, each with a world of its own: the apps' matrix helpers each make
# their own objects for the same people (a connector record for the connector user, say).
# The API answers JSON; of its routes only the documentation pages are pages.
NAMESPACES = [*sorted({_namespace(n) for n in MATRIX if not n.startswith("api-")}), "api"]


def _routes(namespace: str) -> list[str]:
    if namespace == "api":
        return [n for n in sorted(MATRIX) if n.startswith("api-") and "openapi" in n]
    return [n for n in sorted(MATRIX) if _namespace(n) == namespace]


def _pages(world, namespace: str) -> dict[str, list[tuple[str, str]]]:
    """{visitor: [(route name, path), ...]} for every page a GET case lets someone see."""
    pages = defaultdict(list)
    for name in _routes(namespace):
        for case in MATRIX[name]:
            if case.method != "get":
                continue
            visitor = first_allowed(case)
            if visitor is not None:
                pages[visitor].append((name, reverse(name, kwargs=case.kwargs(world))))
    return pages


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_page_passes_axe_and_fits_a_320px_screen(browser, live_server, world, namespace):
    problems = []
    checked = 0
    for visitor, pages in _pages(world, namespace).items():
        client = Client()
        if visitor != ANON:
            sign_in(client, world.users[visitor])
        context = browser.new_context(viewport=MOBILE)
        if visitor != ANON:
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        page = context.new_page()
        for name, path in pages:
            where = f"{name} ({path}) as {visitor}"
            # Loaded at 320 px (a page laid out at one width and then narrowed may still be
            # settling, for example the header's menu); axe runs at both widths.
            page.set_viewport_size(MOBILE)
            try:
                loaded = page.goto(f"{live_server.url}{path}")
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file, not a page
                raise
            if not loaded.headers.get("content-type", "").startswith("text/html"):
                continue
            if loaded.status != 200:
                problems.append(f"{where}: the browser got {loaded.status}")
                continue
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                widest = page.evaluate(WIDEST)
                problems.append(
                    f"{where}: scrolls sideways by {overflow}px at 320px ({'; '.join(widest)})"
                )
            split = page.evaluate(SPLIT_CELLS)
            if split:
                problems.append(f"{where}: table cells in several parts at 320px: {split}")
            checked += 1
            if name in AXE_EXEMPT:
                continue
            for size in (MOBILE, DESKTOP):
                page.set_viewport_size(size)
                violations = axe_violations(page)
                if violations:
                    problems.append(f"{where} at {size['width']}px:\n{violations}")
        context.close()
    assert checked or namespace == "api", f"no pages checked in {namespace}"
    assert not problems, f"{len(problems)} problems on {checked} pages:\n" + "\n".join(problems)
