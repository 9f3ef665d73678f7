"""What a national analyst met on the outcomes pages: England's own figure over time on the
national dashboard, the inequality and SPC summaries in plain words, a way back from a
site's indicator page to the national dashboard, and a warning before an upload replaces
the current data."""

import io
import re

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core20.outcomes import analysis, dashboard
from inequalities.spc import SegmentNote
from inequalities.spc import chart as spc_chart
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = pytest.mark.django_db

ENGLAND = "E92000001"


def national_url(ind, **more) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"indicator": ind.code, **more}.items())
    return f"{reverse('outcomes:national')}?{query}"


def england_rows(periods) -> list[tuple]:
    """England's total: 600, 620, 640 … screened of 1,000 (60%, 62%, 64% …)."""
    return [(ENGLAND, period, 600 + 20 * i, 1000) for i, period in enumerate(periods)]


@pytest.fixture
def analyst(client, make_user):
    user = make_user("national_analyst")
    sign_in(client, user)
    return user


# --- 1. England over time ----------------------------------------------------------------


def test_the_national_dashboard_shows_england_over_time(client, site, analyst):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, analyst, rows_for(geo) + england_rows(["2022", "2023", "2024"]))
    page = client.get(national_url(ind)).content.decode()
    section = page.split('id="england"')[1].split("</section>")[0]
    assert "<h2" in section and "England over time" in section
    assert (
        "In 2024 the value for England was 64.0% (95% CI 61.0 to 66.9), against 60.0% in "
        "2022, the first of 3 periods." in section
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in section
    assert '<title id="england-title">Screening coverage in England over time</title>' in section
    rows = re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', section, re.S)
    assert len(rows) == 3 and "2023" in rows[1] and "62.0" in rows[1]
    # Every download the other sections have.
    csv = client.get(national_url(ind, table="england", export="csv")).content.decode()
    assert csv.splitlines()[0].startswith("Period,Numerator,Denominator,Value (%)")
    assert csv.splitlines()[3].startswith("2024,640,1000,64.0")
    book = load_workbook(
        io.BytesIO(client.get(national_url(ind, table="england", export="xlsx")).content)
    )
    assert [c.value for c in book.active[4]][:4] == ["2024", 640, 1000, 64.0]
    svg = client.get(national_url(ind, chart="england", export="svg"))
    assert svg["Content-Type"] == "image/svg+xml" and b"England with 95% CI" in svg.content
    png = client.get(national_url(ind, chart="england", export="png"))
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"
    for fmt in ("csv", "xlsx"):
        assert f"table=england&amp;export={fmt}" in page
    for fmt in ("svg", "png"):
        assert f"chart=england&amp;export={fmt}" in page


def test_england_over_time_needs_more_than_one_period(client, site, analyst):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, analyst, rows_for(geo) + england_rows(["2024"]))
    page = client.get(national_url(ind)).content.decode()
    assert 'id="england"' not in page and "England over time" not in page
    assert client.get(national_url(ind, table="england", export="csv")).status_code == 404


def test_england_over_time_takes_no_more_queries(client, site, analyst):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, analyst, rows_for(geo))
    client.get(national_url(ind))  # warm per-process caches
    with CaptureQueriesContext(connection) as without:
        client.get(national_url(ind))
    helpers.upload(ind, analyst, rows_for(geo) + england_rows(["2021", "2022", "2023", "2024"]))
    with CaptureQueriesContext(connection) as with_england:
        page = client.get(national_url(ind)).content.decode()
    assert "England over time" in page
    assert len(with_england) == len(without)


def test_england_over_time_prefers_the_row_without_an_age_group(site):
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                **dict.fromkeys(analysis.COLUMNS),
                "area_code": ENGLAND,
                "period": p,
                "period_start": s,
                "breakdown_type": "Total",
                "breakdown": b,
                "value": v,
            }
            for p, s, b, v in [
                ("2023", "2023-01-01", "25-64 yrs", 1.0),
                ("2023", "2023-01-01", "", 2.0),
                ("2024", "2024-01-01", "", 3.0),
                ("2024", "2024-01-01", "", None),
            ]
        ]
    )
    rows = analysis.england_over_time(frame)
    assert rows["period"].tolist() == ["2023", "2024"]
    assert rows["value"].tolist() == [2.0, 3.0]
    assert dashboard.england_section(helpers.indicator(), rows.iloc[:1]) is None


# --- 2. The gap and the SII in words, each with its direction --------------------------------


def summary_of(page: str, key: str) -> str:
    return page.split(f'id="{key}-summary">')[1].split("</p>")[0]


def test_the_inequality_summary_says_which_end_is_higher(client, site, analyst):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    # 2024: 50% in the most deprived decile falling to 23% in the least (gap +27, SII -30).
    helpers.upload(ind, analyst, rows_for(geo))
    page = client.get(reverse("outcomes:site-indicator", args=[site.slug, ind.code]))
    summary = summary_of(page.content.decode(), "inequality")
    assert summary.startswith(
        "In 2024, screening coverage was 27.0 percentage points higher in the most deprived "
        "decile than in the least deprived decile (50.0% against 23.0%)."
    )
    assert re.search(
        r"The slope index of inequality \(SII\), the modelled gap across the whole deprivation "
        r"range going from the most to the least deprived, was -30\.0 percentage points "
        r"\(95% CI -[\d.]+ to -[\d.]+\): the most deprived end is modelled 30\.0 percentage "
        r"points higher than the least deprived end\.$",
        summary,
    )
    assert "the gap between the most and least deprived deciles was" not in summary


def test_the_inequality_summary_agrees_when_the_most_deprived_are_lower(
    client, site, without_targets, make_user
):
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:site-indicator", args=[site.slug, without_targets.code])
    summary = summary_of(client.get(url).content.decode(), "inequality")
    # 2024: 30% in the most deprived decile rising to 39% in the least: gap -9, SII positive.
    assert "was 9.0 percentage points lower in the most deprived decile than in the" in summary
    assert re.search(r"was [\d.]+ percentage points \(95% CI [\d.]+ to [\d.]+\)", summary)
    assert "the most deprived end is modelled" in summary and "points lower than the" in summary
    assert "-9.0" not in summary


def test_an_sii_whose_interval_includes_zero_says_so():
    row = {
        "period": "2024",
        "most": 40.0,
        "least": 40.0,
        "gap": 0.01,
        "sii": 0.5,
        "sii_lower": -1.2,
        "sii_upper": 2.1,
    }
    words = dashboard.inequality_summary(row, "Coverage", "decile", "%")
    assert words.startswith(
        "In 2024, coverage was the same in the most deprived decile and the least deprived "
        "decile (40.0% against 40.0%)."
    )
    assert (
        "was 0.5 percentage points (95% CI -1.2 to 2.1): the most deprived end is "
        "modelled 0.5 percentage points lower than the least deprived end." in words
    )
    assert words.endswith("Its 95% confidence interval includes no difference.")


# --- 3. The SPC summary in plain words ---------------------------------------------------------


def test_the_spc_summary_says_the_limits_are_provisional_in_words(client, site, analyst):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, analyst, rows_for(geo))
    page = client.get(reverse("outcomes:site-indicator", args=[site.slug, ind.code]))
    summary = summary_of(page.content.decode(), "spc")
    assert summary.endswith(
        "The limits are provisional: they are worked out from the 4 years starting 2021, "
        "fewer than the 13 usually needed for settled limits."
    )
    assert "trial limits" not in summary and "segment starting" not in summary


def test_spc_caveats_name_the_periods_and_keep_unknown_messages():
    quarters = [("2024/25 Q3", "2024-10-01"), ("2024/25 Q4", "2025-01-01")]
    start = pd.Timestamp("2024-10-01")
    words = dashboard.spc_caveats(
        [
            SegmentNote("trial_limits", None, 1, start, 8, 13, "trial limits: whatever"),
            SegmentNote("something_new", None, 1, start, 8, None, "something new from the engine"),
        ],
        quarters,
    )
    assert words == (
        "The limits are provisional: they are worked out from the 8 quarters starting "
        "2024/25 Q3, fewer than the 13 usually needed for settled limits. "
        "Something new from the engine."
    )
    assert dashboard.spc_caveats([], quarters) == ""


def test_the_spc_caveats_come_from_the_codes_not_the_engines_words(
    client, site, analyst, monkeypatch
):
    """The engine may reword its warnings; the page's plain words stay the same."""
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, analyst, rows_for(geo))
    url = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    before = summary_of(client.get(url).content.decode(), "spc")
    monkeypatch.setattr(
        spc_chart,
        "NOTE_MESSAGES",
        dict.fromkeys(spc_chart.NOTE_MESSAGES, "reworded: {where}, {points} of {needed}"),
    )
    after = summary_of(client.get(url).content.decode(), "spc")
    assert after == before
    assert after.endswith(
        "The limits are provisional: they are worked out from the 4 years starting 2021, "
        "fewer than the 13 usually needed for settled limits."
    )
    assert "reworded" not in after


@pytest.mark.parametrize(
    ("labels", "kind"),
    [
        (["2024/25 Q3", "2025 Q1"], "quarters"),
        (["2023", "2023/24"], "years"),
        (["2024-05", "June 2024"], "months"),
        (["2023", "2024 Q1"], "periods"),
        (["2021 - 23"], "periods"),
    ],
)
def test_periods_are_named_by_their_kind(labels, kind):
    from core20.outcomes.periods import kind_of

    assert kind_of(labels) == kind


# --- 4. Back to the national dashboard from a site's indicator page --------------------------


def crumbs(page: str) -> list[tuple[str, str]]:
    nav = page.split('aria-label="Breadcrumb"')[1].split("</ol>")[0]
    return re.findall(r'<a class="nhsuk-breadcrumb__link" href="([^"]*)">([^<]*)</a>', nav)


def test_national_staff_have_the_national_dashboard_in_the_breadcrumbs(client, site, make_user):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, make_user("national_analyst"), rows_for(geo))
    url = reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    site_crumbs = [
        (reverse("web:home"), "Home"),
        (reverse("outcomes:home"), "Outcomes"),
        (reverse("outcomes:site", args=[site.slug]), site.name),
        (reverse("outcomes:site", args=[site.slug]) + "#indicators", "Indicators"),
    ]
    sign_in(client, make_user("national_analyst"))
    national = (
        f"{reverse('outcomes:national')}?indicator={ind.code}".replace("&", "&amp;"),
        "National dashboard",
    )
    assert crumbs(client.get(url).content.decode()) == [
        *site_crumbs[:2],
        national,
        *site_crumbs[2:],
    ]
    # The site's own people see the site's pages only, as before.
    sign_in(client, make_user("site_lead"))
    assert crumbs(client.get(url).content.decode()) == site_crumbs


# --- 5. Before uploading: the file replaces the current data ---------------------------------


def current_rows(page: str) -> list[list[str]]:
    """The current-data table: [indicator, whose data, rows now, current version]."""
    table = page.split('id="table-current"')[1].split("</table>")[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"</span>(.*?)</td>", row, re.S)]
        for row in re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', table, re.S)
    ]


def test_the_upload_page_says_the_file_replaces_the_current_data_and_its_rows(
    client, site, other_site, make_user
):
    analyst = make_user("national_analyst")
    ind = helpers.indicator()
    england = england_rows(["2022", "2023", "2024"])
    helpers.upload(ind, analyst, england)
    helpers.upload(ind, analyst, england[:2])  # version 2: two rows
    helpers.upload(ind, analyst, [("E01000001", "2024", 5, 10)], site=site)
    helpers.upload(ind, analyst, [("E01000002", "2024", 5, 10)], site=other_site)
    url = reverse("outcomes:upload-create")
    sign_in(client, analyst)
    page = client.get(url).content.decode()
    assert "Your file replaces the current data" in page
    assert "Rows of the current version that are not in your file are no longer used" in page
    assert page.index('id="replaces"') < page.index('type="file"')
    rows = current_rows(page)
    assert [r[:3] for r in rows] == [
        ["Screening coverage", "National", "2"],
        ["Screening coverage", "Home Site", "1"],
        ["Screening coverage", "Other Site", "1"],
    ]
    assert rows[0][3].startswith("Version 2")
    # A site lead sees their own site's current data only.
    sign_in(client, make_user("site_lead"))
    page = client.get(url).content.decode()
    assert [r[:3] for r in current_rows(page)] == [["Screening coverage", "Home Site", "1"]]


def test_the_upload_page_says_when_there_is_nothing_to_replace(client, make_user):
    sign_in(client, make_user("site_lead"))
    page = client.get(reverse("outcomes:upload-create")).content.decode()
    assert "Your file replaces the current data" in page
    assert "There is no data yet that an upload would replace." in page
    assert 'id="table-current"' not in page
