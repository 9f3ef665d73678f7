"""The connector home's cards for the person's own work (each drawn by its app), as tests
read them: the card's HTML under its heading, and its words."""

import re
from html import unescape

from django.urls import reverse

from tests.conftest import client_for

HOME = reverse("network:me")


def home_panel(user, heading: str) -> str | None:
    """The card's HTML on the person's connector home, or None if it is not there."""
    page = client_for(user).get(HOME)
    assert page.status_code == 200
    html = page.content.decode()
    start = html.find(f">{heading}</h2>")
    if start == -1:
        return None
    return html[start : html.index("\n</div>", start)]


def shown_panel(user, heading: str) -> str:
    panel = home_panel(user, heading)
    assert panel is not None, f"no “{heading}” panel on the connector home"
    return panel


def as_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
