"""On a site's funding page the "Reported" cell is one value (date, who, and the link to correct
it), so that on a small screen it does not fall apart into narrow columns beside its heading."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core20.oversight import actions
from tests.conftest import one_element
from tests.oversight import helpers

pytestmark = pytest.mark.django_db


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
