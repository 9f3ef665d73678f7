"""No dead ends: every link a page shows its visitor leads somewhere that visitor may go.

For each visitor (anonymous and every role), every GET page of the permission matrix that the
visitor may open is rendered, and every site-internal link on it (``href="/..."``) is
followed once as the same visitor. A link answering 403, 404, 405 or a server error is a page
offering something the visitor cannot have (for example a breadcrumb to a list they may not
see). Redirects are fine: an anonymous visitor sent to sign in, or a link that moves on.
"""

import re
from html import unescape

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access import ANON, OK, VISITORS
from tests.conftest import sign_in
from tests.test_permission_matrix import MATRIX

HREF = re.compile(r'href="(/[^"#]*)')
# Not pages: files served by whitenoise/the media view, and the API's own documentation links.
NOT_PAGES = ("/static/", "/media/")
DIGIT = re.compile(r"\d")
BROKEN = {403: "forbidden", 404: "not found", 405: "method not allowed"}


def _links(html: str) -> set[str]:
    found = set()
    for href in HREF.findall(html):
        url = unescape(href)
        if url.startswith("//") or url.startswith(NOT_PAGES):
            continue
        found.add(url)
    return found


def _problem(response) -> str | None:
    code = response.status_code
    if code >= 500:
        return f"server error {code}"
    return BROKEN.get(code)


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_link_shown_leads_somewhere_the_visitor_may_go(visitor, world):
    client = Client()
    if visitor != ANON:
        sign_in(client, world.users[visitor])
    problems: list[str] = []
    checked: dict[str, str | None] = {}  # link -> problem, for links already followed
    for name, cases in sorted(MATRIX.items()):
        # Each route's objects are made for it alone (as in the permission matrix), then
        # rolled back, so that routes do not meet each other's.
        with transaction.atomic():
            for case in cases:
                if case.method == "get" and case.expect[visitor] == OK:
                    page = reverse(name, kwargs=case.kwargs(world))
                    problems += _check_page(client, page, checked)
            transaction.set_rollback(True)
        # Links naming records (with numbers in them) are checked again for the next route.
        checked = {link: found for link, found in checked.items() if not DIGIT.search(link)}
    assert not problems, f"as {visitor}:\n" + "\n".join(sorted(set(problems)))


def _check_page(client, page: str, checked: dict[str, str | None]) -> list[str]:
    response = client.get(page)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return []
    problems = []
    for link in sorted(_links(response.content.decode())):
        if link not in checked:
            checked[link] = _problem(client.get(link))
        if checked[link]:
            problems.append(f"{page} links to {link}: {checked[link]}")
    return problems
