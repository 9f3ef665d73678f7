"""The application form's error summary links each budget line's mistake to that line:
"Budget line 2: enter what the money is for" goes to line 2's "what for" field, not to line 1.
The budget's own messages (no lines, a total that does not add up) still go to line 1."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from core20.grants.models import Application
from tests.grants import helpers

pytestmark = pytest.mark.django_db


def _summary(html: str) -> list[tuple[str, str]]:
    """The error summary's (link, message) pairs, in order."""
    summary = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html, flags=re.S)
    assert summary, "no error summary"
    return [
        (href, htmllib.unescape(message).strip())
        for href, message in re.findall(
            r'<li><a href="([^"]*)">(.*?)</a></li>', summary.group(0), flags=re.S
        )
    ]


def _apply(client, fund, **overrides) -> str:
    response = client.post(
        reverse("grants:apply", args=[fund.pk]), helpers.application_form(**overrides)
    )
    return response.content.decode()


def test_each_budget_lines_mistake_links_to_its_own_line(client, site):
    # Every other field is right: the lines' mistakes are found when the form is sent.
    fund = helpers.fund(site)
    html = _apply(client, fund, item_2="", item_3="Tea and biscuits", amount_3="")
    assert _summary(html) == [
        ("#id_item_2", "Budget line 2: enter what the money is for"),
        ("#id_amount_3", "Budget line 3: enter an amount in pounds and pence"),
    ]
    # The links lead to fields on the page.
    assert 'id="id_item_2"' in html and 'id="id_amount_3"' in html
    assert not Application.objects.exists()


def test_a_lines_mistake_links_to_its_line_alongside_other_mistakes(client, site):
    # A field's own mistake too: the lines are checked in the same round.
    fund = helpers.fund(site)
    html = _apply(client, fund, contact_email="not-an-email", item_2="")
    links = {message: link for link, message in _summary(html)}
    assert links["Budget line 2: enter what the money is for"] == "#id_item_2"


def test_the_budgets_own_messages_still_link_to_the_first_line(client, site):
    fund = helpers.fund(site)
    html = _apply(client, fund, item_1="", amount_1="", item_2="", amount_2="")
    assert _summary(html) == [("#id_item_1", "Enter at least one budget line")]
