"""On a site's funding page the "Reported" cell is one value (date, who, and the link to correct
it), so that on a small screen it does not fall apart into narrow columns beside its heading."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core20.oversight import actions
from tests.oversight import helpers

pytestmark = pytest.mark.django_db


def one_element(cell: str) -> bool:
    """Whether the cell's value (after its heading) is a single element, with no loose text
    or second element beside it: what the responsive table needs to lay it out as one value."""
    depth, tops = 0, 0
    for match in re.finditer(r"<(/?)(\w+)[^>]*>|([^<]+)", cell.strip()):
        closing, name, text = match.groups()
        if text is not None:
            if depth == 0 and text.strip():
                return False
        elif name in ("br", "img", "input", "wbr"):
            if depth == 0:
                return False
        elif closing:
            depth -= 1
        else:
            tops += depth == 0
            depth += 1
    return tops == 1 and depth == 0


def test_the_reported_cell_is_one_value(client_as, site, people):
    year, quarter = helpers.last_quarter()
    actions.report_spend(
        site=site, financial_year=year, quarter=quarter, amount=Decimal("100"), by=people["lead"]
    )
    html = client_as("lead").get(reverse("oversight:site-funding", args=[site.slug])).content
    cells = re.findall(r'aria-hidden="true">Reported </span>(.*?)</td>', html.decode(), re.S)
    reported = [c for c in cells if "Lee Lead" in c]
    assert reported, cells
    for cell in reported:
        assert one_element(cell), cell
        assert "Correct" in cell
