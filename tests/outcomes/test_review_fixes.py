"""Fixes from the demo review of the outcomes pages."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core20.hours.models import HoursEntry
from core20.insights import actions as insight_actions
from core20.insights.models import Routing
from core20.network.models import Connector
from core20.outcomes import outputs
from core20.places.models import LSOA
from tests.conftest import sign_in
from tests.insights import helpers as insights
from tests.outcomes import helpers

pytestmark = pytest.mark.django_db


def output_cells(html: str) -> dict[str, str]:
    """The outputs table on a site's outcomes page: {output: value as shown}."""
    table = html.split('id="table-outputs"')[1].split("</table>")[0]
    rows = re.findall(r"<tr role=\"row\" class=\"nhsuk-table__row\">(.*?)</tr>", table, re.S)
    cells = {}
    for row in rows:
        texts = [
            re.sub(r"<[^>]+>|\s+", " ", c).strip()
            for c in re.findall(r"</span>(.*?)</td>", row, re.S)
        ]
        cells[texts[0]] = texts[1]
    return cells


def _sent_on(insight, day: date) -> None:
    when = timezone.make_aware(datetime(day.year, day.month, day.day, 12))
    Routing.objects.filter(insight=insight).update(routed_at=when)


def test_only_insights_sent_to_decision_makers_are_counted_as_sent(site, client, make_user):
    lead = make_user("site_lead")
    board = insights.body(site, lead)
    sent = insights.insight(site, lead, summary="Sent to the board")
    insights.route(sent, [board], lead)
    _sent_on(sent, date(2025, 5, 10))
    kept = insights.insight(site, lead, summary="Kept as evidence")
    insight_actions.keep_insight(insight=kept, reason="Evidence for the theme", by=lead)
    insights.insight(site, lead, summary="Not sent yet")
    later = insights.insight(site, lead, summary="Sent in June")
    insights.route(later, [board], lead)
    _sent_on(later, date(2025, 6, 10))
    sign_in(client, lead)
    page = client.get(reverse("outcomes:site", args=[site.slug])).content.decode()
    assert output_cells(page)["Insights sent to decision-makers"] == "2"
    assert "Insights raised" not in page
    may = outputs.site_outputs(site, date(2025, 5, 1), date(2025, 5, 31))
    assert {r["key"]: r["value"] for r in may}["insights_raised"] == 1


# --- The SPC chart's reason when a site has no target areas ---------------------------------

NO_TARGETS = "has not chosen its target areas, so area-level data cannot be summed for it"


def test_the_spc_section_says_the_site_has_no_target_areas(
    client, site, without_targets, make_user
):
    areas = reverse("placesui:site-areas", args=[site.slug])
    url = reverse("outcomes:site-indicator", args=[site.slug, without_targets.code])
    sign_in(client, make_user("site_lead"))
    page = client.get(url).content.decode()
    assert f"Home Site {NO_TARGETS}" in page
    assert "at least 3 periods" not in page
    assert f'<a href="{areas}" id="spc-link">Choose target areas</a>' in page
    # The site lead may choose them: the link opens the target areas page.
    assert client.get(areas).status_code == 200


def test_only_those_who_may_choose_target_areas_get_the_link(
    client, site, without_targets, make_user
):
    areas = reverse("placesui:site-areas", args=[site.slug])
    sign_in(client, make_user("national_analyst"))
    page = client.get(
        reverse("outcomes:site-indicator", args=[site.slug, without_targets.code])
    ).content.decode()
    assert f"Home Site {NO_TARGETS}" in page
    assert areas not in page
    assert client.get(areas).status_code == 403


def test_the_national_pages_give_the_same_reason(client, site, without_targets, make_user):
    areas = reverse("placesui:site-areas", args=[site.slug])
    national = reverse("outcomes:national") + f"?indicator={without_targets.code}"
    by_site = reverse("outcomes:national-areas", args=[without_targets.code])
    sign_in(client, make_user("national_analyst"))
    for address in (national, by_site):
        page = client.get(address).content.decode()
        assert NO_TARGETS in page and "at least 3 periods" not in page
        assert areas not in page
    sign_in(client, make_user("site_lead"))
    page = client.get(by_site).content.decode()
    assert NO_TARGETS in page and areas in page


# --- The indicator page: the gap's unit and the areas' names --------------------------------


def area_names(page: str) -> dict[str, str]:
    """The areas table: {area code: area name as shown}."""
    table = page.split('id="table-areas"')[1].split("</table>")[0]
    out = {}
    for row in re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', table, re.S):
        code, name = [c.strip() for c in re.findall(r"</span>(.*?)</td>", row, re.S)[:2]]
        out[code] = name
    return out


def test_the_gap_between_two_percentages_is_in_percentage_points(
    client, site, without_targets, make_user
):
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:site-indicator", args=[site.slug, without_targets.code])
    page = client.get(url).content.decode()
    # 2024: most deprived 300/1000 = 30%, least deprived 390/1000 = 39%.
    assert (
        "was 9.0 percentage points lower in the most deprived decile than in the least "
        "deprived decile" in page
    )
    assert "was -9.0%" not in page


def test_the_areas_table_names_each_area_from_the_reference_data(
    client, site, without_targets, make_user
):
    LSOA.objects.filter(code=helpers.lsoa_code(1)).update(name="Telford and Wrekin 011A")
    lead = make_user("site_lead")
    sign_in(client, lead)
    url = reverse("outcomes:site-indicator", args=[site.slug, without_targets.code])
    with CaptureQueriesContext(connection) as ten_areas:
        page = client.get(url).content.decode()
    names = area_names(page)
    assert names[helpers.lsoa_code(1)] == "Telford and Wrekin 011A"
    assert names[helpers.lsoa_code(2)] == "L2"
    assert len(names) == 10 and all(names.values())
    # A name is one query for every area, not one per area: two areas cost the same.
    fewer = helpers.indicator(code="fewer", name="Fewer areas")
    helpers.upload(
        fewer,
        make_user("national_analyst"),
        [(helpers.lsoa_code(d), "2024", 300, 1000) for d in (1, 2)],
    )
    sign_in(client, lead)
    with CaptureQueriesContext(connection) as two_areas:
        page = client.get(
            reverse("outcomes:site-indicator", args=[site.slug, fewer.code])
        ).content.decode()
    assert len(area_names(page)) == 2
    assert len(ten_areas) == len(two_areas)


# --- Volunteer hours: the same figure as the hours page -------------------------------------


def test_volunteer_hours_show_the_same_figure_as_the_hours_page(site, client, make_user):
    connector = Connector.objects.create(site=site, name="Sam", status="active")
    for day, logged in [(1, "20"), (2, "18.5")]:
        HoursEntry.objects.create(
            connector=connector,
            site=site,
            date=date(2025, 5, day),
            hours=Decimal(logged),
            activity="Coffee morning",
        )
    sign_in(client, make_user("site_lead"))
    hours_page = client.get(reverse("hours:site", args=[site.slug])).content.decode()
    assert "38.5 hours logged in all" in hours_page
    page = client.get(reverse("outcomes:site", args=[site.slug])).content.decode()
    assert output_cells(page)["Volunteer hours"] == "38.5"
    csv = client.get(reverse("outcomes:outputs-export", args=[site.slug, "csv"]))
    assert "Volunteer hours,38.5," in csv.content.decode()
    # Whole numbers stay whole.
    assert output_cells(page)["Connectors active"] == "1"


# --- "(optional)" once ----------------------------------------------------------------------


def test_optional_fields_say_optional_once(site, client, make_user):
    sign_in(client, make_user("national_analyst"))
    upload = client.get(reverse("outcomes:upload-create")).content.decode()
    assert "(optional) (optional)" not in upload
    assert re.search(r">Note\s+\(optional\)</label>", upload)
    # The period is required for extracts: its label does not call it optional.
    assert re.search(r">Period \(for extracts\)</label>", upload)
    sign_in(client, make_user("site_lead"))
    client.post(reverse("outcomes:logic-model-start", args=[site.slug]))
    element = client.get(reverse("outcomes:element-create", args=[site.slug]))
    assert element.status_code == 200
    html = element.content.decode()
    assert "(optional) (optional)" not in html
    assert re.search(r">Indicators\s+\(optional\)</legend>", html)
