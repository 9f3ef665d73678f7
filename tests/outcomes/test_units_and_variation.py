"""Fixes from walking the demo: the SII is shown with its unit (percentage points for a
percentage, per 100,000 for a rate), and the national pages' sites table gives a short reason
where a site has no SPC chart, with the whole explanation under the table.

Data as in test_dashboard: in 2024 values fall by 3 points a decile from 50% to 23%, so the
SII is −30 percentage points (−30,000 per 100,000 for the same counts as a crude rate)."""

import csv
import io
import re

import pytest
from django.urls import reverse

from core20.outcomes.models import Indicator
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import data, rows_for  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

NO_TARGETS = "has not chosen its target areas, so area-level data cannot be summed for it"


def cells(page: str, table: str) -> dict[str, dict[str, str]]:
    """The table ``id="table-<table>"``: {first cell: {column heading: text as shown}}."""
    html = page.split(f'id="table-{table}"')[1].split("</table>")[0]
    headings = [
        re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<th [^>]*>(.*?)</th>", html, re.S)
    ]
    out = {}
    for row in re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', html, re.S):
        texts = [  # the words shown (an icon's own name is left out: the words repeat it)
            re.sub(r"<[^>]+>|\s+", " ", re.sub(r"<svg.*?</svg>", "", c, flags=re.S)).strip()
            for c in re.findall(r"</span>(.*?)</td>", row, re.S)
        ]
        out[texts[0]] = dict(zip(headings, texts, strict=True))
    return out


def site_page(client, site, ind) -> str:
    url = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    return client.get(url).content.decode()


# --- The SII's unit ---------------------------------------------------------------------------


def test_the_sii_of_a_percentage_is_in_percentage_points(client, site, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("site_lead"))
    page = site_page(client, site, ind)
    assert re.search(
        r"to the least deprived, was -30\.0 percentage points \(95% CI -[\d.]+ to "
        r"-[\d.]+\)",
        page,
    )
    latest = cells(page, "inequality")["2024"]
    assert latest["SII (percentage points)"] == "-30.0"
    assert latest["Gap, most minus least (percentage points)"] == "27.0"
    assert latest["Most deprived (%)"] == "50.0" and latest["Least deprived (%)"] == "23.0"
    assert "SII lower 95% (percentage points)" in latest
    assert "The gap and the SII are in percentage points." in page
    # The chart's axis says so too, and the download has the same headings.
    chart = page.split('id="inequality-title"')[1].split("</svg>")[0]
    assert ">percentage points</text>" in chart
    export = reverse(
        "outcomes:site-indicator-export", args=[site.slug, ind.code, "inequality", "csv"]
    )
    header = next(csv.reader(io.StringIO(client.get(export).content.decode())))
    assert "SII (percentage points)" in header and "SII upper 95% (percentage points)" in header


def test_the_sii_of_a_rate_is_per_100000(client, site, data, make_user):  # noqa: F811
    geo, _ = data
    rate = helpers.indicator(code="admissions", name="Admissions", type=Indicator.Type.RATE)
    helpers.upload(rate, make_user("national_analyst"), rows_for(geo))
    sign_in(client, make_user("site_lead"))
    page = site_page(client, site, rate)
    assert re.search(r"least deprived, was -[\d,.]+ per 100,000 \(95% CI", page)
    latest = cells(page, "inequality")["2024"]
    assert latest["SII (per 100,000)"].startswith("-")
    assert "percentage points" not in page


def test_the_national_dashboard_gives_englands_sii_its_unit(client, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("national_analyst"))
    page = client.get(reverse("outcomes:national"), {"indicator": ind.code}).content.decode()
    assert page.count("<h1") == 1
    assert re.search(r"least deprived, was -[\d.]+ percentage points", page)
    assert "SII (percentage points)" in cells(page, "inequality")["2024"]


# --- A short "Variation" cell on the national pages --------------------------------------------


def notes(page: str) -> str:
    """The text of the details component under the sites table."""
    html = page.split('data-testid="spc-notes">')[1].split("</details>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("name", ["outcomes:national", "outcomes:national-areas"])
def test_the_variation_cell_is_short_and_the_reason_is_under_the_table(
    client, site, without_targets, make_user, name
):
    sign_in(client, make_user("national_analyst"))
    if name == "outcomes:national":
        url = reverse(name) + f"?indicator={without_targets.code}"
    else:
        url = reverse(name, args=[without_targets.code])
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    row = cells(page, "sites")["Home Site"]
    assert row["Variation (SPC)"] == "No chart: no target areas"
    table = page.split('id="table-sites"')[1].split("</table>")[0]
    assert NO_TARGETS not in table
    assert notes(page) == (
        "Why a site has no SPC chart Home Site has not chosen its target areas, so area-level "
        "data cannot be summed for it: choose target areas to see an SPC chart."
    )
    # The download has the same short cell.
    csv_url = url + ("&" if "?" in url else "?") + "table=sites&export=csv"
    lines = list(csv.reader(io.StringIO(client.get(csv_url).content.decode())))
    assert lines[1][lines[0].index("Variation (SPC)")] == "No chart: no target areas"


def test_too_few_periods_gets_its_own_short_reason(client, site, make_user):
    geo = helpers.geography(site)  # target areas: deciles 1 and 2
    ind = helpers.indicator()
    rows = [(code, period, 300, 1000) for period in ("2023", "2024") for code in geo.lsoas]
    helpers.upload(ind, make_user("national_analyst"), rows)
    sign_in(client, make_user("national_analyst"))
    page = client.get(reverse("outcomes:national"), {"indicator": ind.code}).content.decode()
    assert cells(page, "sites")["Home Site"]["Variation (SPC)"] == "No chart: fewer than 3 periods"
    assert "Home Site: An SPC chart needs at least 3 periods of data." in notes(page)


def test_no_notes_where_every_site_has_a_chart(client, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("national_analyst"))
    page = client.get(reverse("outcomes:national"), {"indicator": ind.code}).content.decode()
    variation = cells(page, "sites")["Home Site"]["Variation (SPC)"]
    assert variation == "Common cause variation: no significant change"
    assert 'data-testid="spc-notes"' not in page
