"""The oversight filters show the values the page is using. With no year in the address the
page shows this financial year's funding, so the year list must have it chosen: a list with
nothing chosen shows its first entry (next year), which told national staff they were looking
at next year's figures, and "Apply" then switched them to it. The stale-days box shows the
number of days the page uses instead of being empty."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from core20.oversight import periods

pytestmark = pytest.mark.django_db

THIS_YEAR = periods.financial_year_of(periods.today())


def _chosen_year(html: str) -> str:
    select = re.search(r'<select name="year".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\d+)"[^>]*selected', select).group(1)


@pytest.mark.parametrize("name", ["oversight:dashboard", "oversight:funding-summary"])
@pytest.mark.parametrize("query", [{}, {"wave": ""}, {"region": ""}])
def test_with_no_year_given_this_year_is_chosen(client_as, name, query):
    html = client_as("analyst").get(reverse(name), query).content.decode()
    assert _chosen_year(html) == str(THIS_YEAR)
    assert periods.year_label(THIS_YEAR) in html


def test_a_year_given_stays_chosen(client_as):
    url = reverse("oversight:dashboard")
    html = client_as("analyst").get(url, {"year": THIS_YEAR - 1}).content.decode()
    assert _chosen_year(html) == str(THIS_YEAR - 1)


@override_settings(OVERSIGHT_STALE_DAYS=45)
@pytest.mark.parametrize("query", [{}, {"group": "wave"}])
def test_the_stale_days_box_shows_the_days_in_use(client_as, query):
    html = client_as("analyst").get(reverse("oversight:dashboard"), query).content.decode()
    box = re.search(r'<input[^>]*name="stale_days"[^>]*>', html).group(0)
    assert 'value="45"' in box
