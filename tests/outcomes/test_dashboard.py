"""The site dashboard's figures against hand-computed values, its charts' text alternatives,
and the CSV/XLSX/SVG downloads.

Data: ten LSOAs in the site's ICB, one per IMD decile, denominators 1,000. In 2024 LSOA d
has 500 − 30(d − 1) screened, so values fall by 3 points a decile from 50% to 23%: the gap
(most − least deprived) is 27 points and, with equal populations, the fitted line over the
relative rank (decile midpoints 0.05 … 0.95) has slope −30 points, so SII = −30. The target
areas (deciles 1 and 2) have 800, 880, 840 and 970 screened of 2,000 in 2021-2024: 40%, 44%,
42%, 48.5%.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core20.outcomes import actions, analysis
from core20.outcomes.models import Indicator
from tests.conftest import sign_in
from tests.outcomes import helpers

pytestmark = pytest.mark.django_db

PERIODS = ["2021", "2022", "2023", "2024"]
TARGET_X = {"2021": (400, 400), "2022": (440, 440), "2023": (420, 420)}


def rows_for(geo):
    rows = []
    for period in PERIODS:
        for d, code in enumerate(geo.lsoas, start=1):
            if period == "2024":
                x = 500 - 30 * (d - 1)
            elif d <= 2:
                x = TARGET_X[period][d - 1]
            else:
                x = 300
            rows.append((code, period, x, 1000))
        if period in ("2023", "2024"):
            for code in geo.outside:
                rows.append((code, period, 300 if period == "2023" else 310, 1000))
    return rows


@pytest.fixture
def data(site, make_user):
    analyst = make_user("national_analyst")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, analyst, rows_for(geo))
    return geo, ind


def test_figures_by_decile_gap_and_sii_match_the_hand_computation(site, data):
    _, ind = data
    figures = analysis.site_figures(site, ind)
    latest = figures.latest_quantiles()
    assert figures.latest_period == "2024"
    assert latest["quantile"].tolist() == list(range(1, 11))
    assert latest["value"].tolist() == pytest.approx([50 - 3 * i for i in range(10)])
    assert latest["denominator"].tolist() == [1000] * 10
    last = figures.inequality.iloc[-1]
    assert last["gap"] == pytest.approx(27.0)
    assert last["sii"] == pytest.approx(-30.0)
    assert last["sii_lower"] < -30 < last["sii_upper"]
    # Quintiles: deciles paired, (500 + 470)/2000 = 48.5% … (260 + 230)/2000 = 24.5%.
    quintiles = analysis.site_figures(site, ind, quantiles=5).latest_quantiles()
    assert quintiles["value"].tolist() == pytest.approx([48.5, 42.5, 36.5, 30.5, 24.5])


def test_target_areas_against_the_rest_of_the_ics(site, data):
    _, ind = data
    figures = analysis.site_figures(site, ind)
    assert figures.target["value"].tolist() == pytest.approx([40.0, 44.0, 42.0, 48.5])
    # Rest of the ICS in 2024: deciles 3-10, (440 + 410 + … + 230)/8000.
    assert figures.rest["value"].iloc[-1] == pytest.approx(
        sum(500 - 30 * k for k in range(2, 10)) / 80
    )


def test_spc_limits_and_trajectory(site, data, make_user):
    _, ind = data
    lead = make_user("site_lead")
    actions.set_trajectory_point(site=site, indicator=ind, period="2023", value=45, by=lead)
    actions.set_trajectory_point(site=site, indicator=ind, period="2024", value=47, by=lead)
    figures = analysis.site_figures(site, ind)
    chart = figures.spc.charts.iloc[0]
    # Mean 43.625; moving ranges 4, 2, 6.5, mean 25/6; limits 43.625 ± 2.66 × 25/6.
    assert chart["mean"] == pytest.approx(43.625)
    assert chart["upl"] == pytest.approx(43.625 + 2.66 * 25 / 6)
    assert chart["lpl"] == pytest.approx(43.625 - 2.66 * 25 / 6)
    rows = analysis.trajectory_rows(figures)
    assert [(r["period"], r["status"]) for r in rows] == [
        ("2021", ""),
        ("2022", ""),
        ("2023", "Behind"),
        ("2024", "On track"),
    ]


def test_dashboard_page_shows_charts_with_text_alternatives_tables_and_summaries(
    client, site, data, make_user, django_assert_max_num_queries
):
    _, ind = data
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()
    for key in ("by-quantile", "inequality", "target-vs-rest", "spc"):
        assert f'aria-labelledby="{key}-title {key}-desc"' in page
        assert f'<desc id="{key}-desc">' in page
        assert f'id="table-{key}"' in page
        assert f'id="{key}-summary"' in page
    assert "going from the most to the least deprived, was -30.0" in page
    assert "In 2024 the target areas&#x27; value was 48.5%" in page
    assert page.count("<h1") == 1


def test_exports_match_the_tables(client, site, data, make_user):
    _, ind = data
    sign_in(client, make_user("site_lead"))
    base = [site.slug, ind.code]
    csv = client.get(reverse("outcomes:site-indicator-export", args=[*base, "by-quantile", "csv"]))
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("IMD decile,Numerator,Denominator,Value (%)")
    assert lines[1].startswith("1,500,1000,50.0,")
    xlsx = client.get(reverse("outcomes:site-indicator-export", args=[*base, "areas", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == "Area code"
    assert sheet.max_row == 11  # ten areas in the ICB with 2024 figures
    svg = client.get(reverse("outcomes:site-indicator-chart", args=[*base, "by-quantile"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg") and b"<title" in svg.content
    missing = client.get(reverse("outcomes:site-indicator-export", args=[*base, "nope", "csv"]))
    assert missing.status_code == 404


def test_other_sites_figures_are_hidden(client, other_site, data, make_user):
    _, ind = data
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:site-indicator", args=[other_site.slug, ind.code])
    assert client.get(url).status_code == 403


def test_national_dashboard_drills_down_to_sites(client, site, data, make_user):
    _, ind = data
    sign_in(client, make_user("national_analyst"))
    page = client.get(reverse("outcomes:national") + f"?indicator={ind.code}").content.decode()
    assert reverse("outcomes:site-indicator", args=[site.slug, ind.code]) in page
    assert 'id="table-sites"' in page and 'id="table-by-quantile"' in page


def test_evaluation_matches_comparison_areas_and_estimates_did(client, site, data, make_user):
    _, ind = data
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:evaluation", args=[site.slug])
    page = client.get(url, {"indicator": ind.pk, "before": "2023", "after": "2024"})
    text = page.content.decode()
    # Targets 840 → 970 of 2,000; their nearest matches (LSOAs 11 and 12, the same deciles
    # outside the ICB) 600 → 620: (48.5 − 42) − (31 − 30) = 5.5 points.
    assert "Difference in differences: 5.50 percentage points (95% CI" in text
    assert ">Before (%)</th>" in text and ">Change (percentage points)</th>" in text
    assert "E01000011" in text and "E01000012" in text
    assert "Parallel trends" in text


def test_dsr_indicators_are_shown_as_supplied(site, make_user):
    analyst = make_user("national_analyst")
    helpers.geography(site)
    ind = helpers.indicator("copd", type=Indicator.Type.DSR, polarity="lower")
    content = (
        "area_code,period,numerator,denominator,breakdown,value,lower95,upper95\n"
        + "".join(
            f"E01000001,2023,,,IMD decile {d},{100 + d},{90 + d},{110 + d}\n" for d in range(1, 11)
        )
    ).encode()
    actions.upload_data(indicator=ind, site=None, file_name="dsr.csv", content=content, by=analyst)
    table = analysis.site_figures(site, ind).latest_quantiles()
    assert table["value"].tolist() == [101 + i for i in range(10)]
