"""What a national analyst (and a site lead) meets uploading indicator data and reading the
dashboard: errors that say which column is missing and which row holds a mistyped LSOA code,
every row of a version as a download that can be uploaded again, and an SPC assurance icon
that says which target it is judged against."""

import csv
import io

import pytest
from django.urls import reverse

from core20.outcomes import actions
from core20.outcomes.models import IndicatorValue, Upload
from tests.conftest import sign_in
from tests.outcomes import helpers
from tests.outcomes.test_dashboard import rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(site, make_user):
    """test_dashboard's data: target areas at 40%, 44%, 42% and 48.5% in 2021-2024."""
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, make_user("national_analyst"), rows_for(geo))
    return geo, ind


def _refused(ind, by, content: bytes, *, site=None, name="values.csv") -> list[str]:
    with pytest.raises(actions.UploadRejected) as caught:
        actions.upload_data(indicator=ind, site=site, file_name=name, content=content, by=by)
    assert not IndicatorValue.objects.exists()
    return [str(e) for e in caught.value.row_errors]


def test_a_misnamed_column_is_named_in_the_error(make_user):
    analyst = make_user("national_analyst")
    ind = helpers.indicator()
    messages = _refused(ind, analyst, b"area,period,numerator,denominator\nE01000001,2024,5,10\n")
    assert messages == [
        "values.csv, row 1: The header is missing the column “area_code” needed for the "
        "aggregated table (area_code, period, numerator, denominator). The file's columns "
        "are: “area”, “period”, “numerator”, “denominator”"
    ]
    # Nearer a Fingertips export: its missing columns are the ones named.
    header = helpers.FINGERTIPS_HEADER.replace('"Denominator"', '"Denom"')
    messages = _refused(ind, analyst, (header + "\n").encode())
    assert "missing the column “Denominator” needed for a Fingertips export" in messages[0]


def test_a_mistyped_lsoa_code_is_refused_with_its_row_and_column(site, make_user):
    analyst = make_user("national_analyst")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    content = helpers.simple_csv(
        [(geo.lsoas[0], "2024", 5, 10), ("E01999999", "2024", 5, 10), ("E92000001", "2024", 5, 10)]
    )
    messages = _refused(ind, analyst, content)
    assert messages == [
        "values.csv, row 3, column “area_code”: E01999999 is not an LSOA code in the 2011 or "
        "2021 census geography (check it for a typing mistake)"
    ]
    assert not Upload.objects.exists()
    # England (E92…) and the known LSOA are fine once the typing mistake is corrected.
    fixed = content.replace(b"E01999999", geo.lsoas[1].encode())
    upload = actions.upload_data(
        indicator=ind, site=None, file_name="values.csv", content=fixed, by=analyst
    )
    assert upload.row_count == 3


def test_an_area_outside_the_site_is_reported_at_its_line_in_the_file(site, make_user):
    lead = make_user("site_lead")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    # Line 3 is blank, so the outside LSOA is on line 4 of the file.
    content = (
        "area_code,period,numerator,denominator\n"
        f"{geo.targets[0]},2024,5,10\n"
        "\n"
        f"{geo.outside[0]},2024,5,10\n"
    ).encode()
    messages = _refused(ind, lead, content, site=site)
    assert messages == [
        f"values.csv, row 4, column “area_code”: {geo.outside[0]} is not one of Home Site's "
        "areas (its target areas, their LSOAs and its ICBs)"
    ]


def test_every_row_of_a_version_downloads_and_uploads_again(site, client, make_user):
    analyst = make_user("national_analyst")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    codes = geo.lsoas + geo.outside
    rows = [
        (code, str(year), 10 + i, 40) for year in range(2013, 2025) for i, code in enumerate(codes)
    ]
    upload = helpers.upload(ind, analyst, rows, name="screening.csv")
    assert upload.row_count == 240
    sign_in(client, analyst)

    page = client.get(upload.get_absolute_url()).content.decode()
    url = reverse("outcomes:upload-export", args=[upload.pk, "csv"])
    assert "The first 200 of 240 rows" in page
    assert f'href="{url}"' in page and "Download all 240 rows of this version" in page

    response = client.get(url)
    assert response.status_code == 200
    assert 'filename="screening-national-version-1.csv"' in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(table) == 240
    assert list(table[0]) == [
        "area_code",
        "area_name",
        "period",
        "breakdown_type",
        "breakdown",
        "numerator",
        "denominator",
        "value",
        "lower95",
        "upper95",
        "method",
    ]
    first = next(r for r in table if r["area_code"] == codes[0] and r["period"] == "2013")
    assert (first["numerator"], first["denominator"], first["value"]) == ("10", "40", "25.0")
    assert first["method"] == "Wilson" and float(first["lower95"]) < 25 < float(first["upper95"])
    assert (
        client.get(reverse("outcomes:upload-export", args=[upload.pk, "xlsx"])).status_code == 200
    )

    again = actions.upload_data(
        indicator=ind, site=None, file_name="again.csv", content=response.content, by=analyst
    )
    changes = actions.version_diff(again, upload)
    assert (len(changes["added"]), len(changes["changed"]), changes["unchanged"]) == (0, 0, 240)


def test_a_site_lead_cannot_download_another_sites_version(site, other_site, client, make_user):
    analyst = make_user("national_analyst")
    helpers.geography(other_site)
    ind = helpers.indicator()
    upload = actions.upload_data(
        indicator=ind,
        site=other_site,
        file_name="theirs.csv",
        content=helpers.simple_csv([(helpers.lsoa_code(1), "2024", 5, 10)]),
        by=analyst,
    )
    sign_in(client, make_user("site_lead"))
    response = client.get(reverse("outcomes:upload-export", args=[upload.pk, "csv"]))
    assert response.status_code == 404


def test_the_spc_assurance_says_which_target_it_is_judged_against(site, data, client, make_user):
    _, ind = data
    lead = make_user("site_lead")
    actions.set_trajectory_point(site=site, indicator=ind, period="2023", value=45, by=lead)
    actions.set_trajectory_point(site=site, indicator=ind, period="2024", value=47, by=lead)
    sign_in(client, lead)
    page = client.get(
        reverse("outcomes:site-indicator", args=[site.slug, ind.code])
    ).content.decode()
    assert (
        "Assurance icon: The process will sometimes hit and sometimes miss the target (the "
        "target is 47.0%, Home Site&#x27;s trajectory for 2024, its last period)."
    ) in page


def test_the_gap_of_every_period_comes_from_one_engine_call(site, data, monkeypatch):
    """The dashboard took seconds: the engine's gap was called once per period. Now once for
    all periods, with the same figures (2024: 50% against 23%, a gap of 27 points)."""
    from core20.outcomes import analysis

    calls = []
    gap = analysis.stats.gap

    def counted(*args, **kwargs):
        calls.append(kwargs.get("group_by"))
        return gap(*args, **kwargs)

    monkeypatch.setattr(analysis.stats, "gap", counted)
    figures = analysis.site_figures(site, data[1])
    assert calls == ["period"]
    rows = figures.inequality.set_index("period")
    assert rows.loc["2024", "most"] == pytest.approx(50)
    assert rows.loc["2024", "least"] == pytest.approx(23)
    assert rows.loc["2024", "gap"] == pytest.approx(27)
    assert rows.loc["2021", "gap"] == pytest.approx(40 - 30)
