"""The insights list's filters with a value that is not one of their choices (typed into the
address, or from an old link): as on the other list pages (sites, services, resources,
returns), the page says which filter is wrong in plain words, next to the filter and in the
error summary, and does not filter by it."""

import html
import re

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.insights import helpers

pytestmark = pytest.mark.django_db

LIST = reverse("insights:insight-list")


def _field_error(page: str, name: str) -> str:
    """The message shown next to a field, as text, or "" when it has none."""
    found = re.search(rf'id="id_{name}_error">(.*?)</span>\s*$', page, re.M | re.S)
    if not found:
        return ""
    text = re.sub(r"<[^>]+>", " ", found.group(1)).replace("Error:", "")
    return html.unescape(" ".join(text.split()))


def _error_summary(page: str) -> str:
    start = page.find("nhsuk-error-summary__list")
    return html.unescape(page[start : page.find("</ul>", start)]) if start >= 0 else ""


@pytest.fixture
def lead_client(site, make_user):
    lead = make_user("site_lead")
    helpers.insight(site, make_user("connector"), summary="The bus stops before the clinic.")
    return client_for(lead)


@pytest.mark.parametrize(
    ("field", "message"),
    [("status", "Choose a status from the list"), ("kind", "Choose a kind from the list")],
)
def test_an_unknown_filter_value_is_explained_in_plain_words(lead_client, field, message):
    response = lead_client.get(LIST, {field: "bogus"})
    assert response.status_code == 200
    page = response.content.decode()
    assert _field_error(page, field) == message
    assert message in _error_summary(page)
    assert "<title>Error: Insights" in page
    assert "is not one of the available choices" not in page
    # Not filtered by it: the list still shows what the viewer may see.
    assert "The bus stops before the clinic." in page


def test_a_known_filter_value_shows_no_error(lead_client):
    page = lead_client.get(LIST, {"status": "new", "kind": "barrier"}).content.decode()
    assert "nhsuk-error-summary" not in page and "Choose a" not in _error_summary(page)
    assert "The bus stops before the clinic." in page
