"""The site's places page: the target areas table gives each area's people, and the
headline sentence gives the same exact number of people as the figures below it."""

import re

from django.urls import reverse

from core20.places.models import PopulationEstimate
from tests.places_lookup.test_target_areas import choose


def _target_area_rows(html: str) -> list[list[str]]:
    heading = html.index("<h2>Target areas</h2>")
    table = re.search(r"<table .*?</table>", html[heading:], re.S).group(0)
    table = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", table)
    rows = re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', table, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


def test_the_target_areas_table_gives_each_areas_people(tiny, site, client):
    # North Tiny: 1,000 + 2,000 people; Tinyshire 002A: 1,500.
    choose(site, "E05999991", "E01999993")
    html = client.get(reverse("placesui:site-places", args=[site.slug])).content.decode()
    assert (
        '<th role="columnheader" scope="col" class="nhsuk-table__header--numeric">People</th>'
        in html
    )
    people = {row[0].split(" <span")[0]: row[3] for row in _target_area_rows(html)}
    assert people == {"Tinyshire 002A": "1,500", "North Tiny": "3,000"}


def test_the_headline_and_the_figures_give_the_same_number_of_people(tiny, site, client):
    PopulationEstimate.objects.filter(lsoa__code="E01999993").update(total=1510)
    choose(site, "E05999991", "E01999993")
    html = client.get(reverse("placesui:site-places", args=[site.slug])).content.decode()
    headline = re.search(r'<p [^>]*id="places-summary">(.*?)</p>', html, re.S).group(1)
    assert headline.startswith("67% of the 4,510 people in the target areas")
    assert re.search(r"People in the target areas</dt>\s*<dd[^>]*>4,510<br>", html), (
        "the figures below the headline give the same number"
    )
    assert "4,500" not in html


def test_without_scores_the_page_leaves_out_the_score_instead_of_explaining_files(
    tiny, site, client
):
    # The shipped IMD 2019 files give ranks and deciles, not scores: the public page gives
    # the average rank (with what it means) and no "Not available" score row about files.
    from core20.places.models import Deprivation

    Deprivation.objects.update(imd_score=None)
    choose(site, "E05999991", "E01999993")
    html = client.get(reverse("placesui:site-places", args=[site.slug])).content.decode()
    assert "Population-weighted average rank" in html
    assert "Population-weighted average IMD score" not in html
    assert "not loaded" not in html and "shipped files" not in html
