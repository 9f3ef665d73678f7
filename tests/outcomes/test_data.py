"""Indicator data uploads: the Fingertips layout as it is, the plain table, row-level errors,
all-or-nothing, versions with diffs, and site leads limited to their site's areas."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.outcomes import actions
from core20.outcomes.ingest import deprivation_quantile
from core20.outcomes.models import Indicator, IndicatorValue, Upload
from core20.outcomes.periods import period_start
from tests.conftest import sign_in
from tests.outcomes import helpers

pytestmark = pytest.mark.django_db

Z = 1.959963984540054


def wilson(x, n):
    """Wilson limits written out (methods §1), as percentages."""
    centre = 2 * x + Z**2
    spread = Z * (Z**2 + 4 * x * (1 - x / n)) ** 0.5
    return 100 * (centre - spread) / (2 * (n + Z**2)), 100 * (centre + spread) / (2 * (n + Z**2))


def fingertips(rows) -> bytes:
    lines = [helpers.FINGERTIPS_HEADER]
    for area, category_type, category, period, count, denominator in rows:
        lines.append(
            f'90001,"Screening",E92000001,England,{area},"Area {area}",ICB,Persons,"25-64 yrs",'
            f'"{category_type}","{category}",{period},50.0,40.0,60.0,,,{count},{denominator},,,,,'
            "20230000,,,1y"
        )
    return ("\n".join(lines) + "\n").encode()


def test_fingertips_export_is_read_as_it_is_with_limits_recomputed(make_user):
    analyst = make_user("national_analyst")
    ind = helpers.indicator(fingertips_id="90001")
    content = fingertips(
        [
            ("QHM", "", "", "2022/23", 500, 1000),
            (
                "QHM",
                "ICB deprivation deciles (IMD2019)",
                "Most deprived decile (IMD2019)",
                "2022/23",
                30,
                100,
            ),
            (
                "QHM",
                "ICB deprivation deciles (IMD2019)",
                "Least deprived decile (IMD2019)",
                "2022/23",
                80,
                100,
            ),
        ]
    )
    upload = actions.upload_data(
        indicator=ind, site=None, file_name="fingertips.csv", content=content, by=analyst
    )
    assert upload.format == "fingertips" and upload.version == 1 and upload.row_count == 3
    total = IndicatorValue.objects.get(upload=upload, breakdown_type="Total")
    assert total.value == pytest.approx(50.0)
    lower, upper = wilson(500, 1000)
    assert (total.lower95, total.upper95) == (pytest.approx(lower), pytest.approx(upper))
    most = IndicatorValue.objects.get(upload=upload, breakdown__startswith="Most")
    assert (most.quantile, most.quantiles) == (1, 10)
    assert most.value == pytest.approx(30.0)
    assert most.period_start.isoformat() == "2022-04-01"
    least = IndicatorValue.objects.get(upload=upload, breakdown__startswith="Least")
    assert least.quantile == 10
    assert AuditEvent.objects.filter(verb="import", object_id=str(upload.pk)).exists()


def test_row_errors_name_the_file_row_and_column_and_nothing_is_stored(make_user):
    analyst = make_user("national_analyst")
    ind = helpers.indicator()
    content = helpers.simple_csv(
        [
            ("E01000001", "2023", 5, 10),
            ("E01000002", "2023", 12, 10),  # numerator > denominator
            ("E01000003", "spring", 1, 10),  # bad period
            ("E01000004", "2023", "x", 10),  # not a number
            ("E01000001", "2023", 5, 10),  # repeat
        ]
    )
    with pytest.raises(actions.UploadRejected) as caught:
        actions.upload_data(
            indicator=ind, site=None, file_name="bad.csv", content=content, by=analyst
        )
    messages = [str(e) for e in caught.value.row_errors]
    assert messages[0] == "bad.csv, row 3, column “numerator”: Is more than the denominator"
    assert messages[1].startswith("bad.csv, row 4, column “period”: “spring” is not a period")
    assert messages[2] == "bad.csv, row 5, column “numerator”: Must be a number"
    assert messages[3] == "bad.csv, row 6: Repeats row 2 (the same area, period and breakdown)"
    assert not Upload.objects.exists() and not IndicatorValue.objects.exists()


def test_unknown_layout_and_empty_files_are_refused(make_user):
    analyst = make_user("national_analyst")
    ind = helpers.indicator()
    for content, message in [
        (b"", "The file is empty"),
        (b"a,b,c\n1,2,3\n", "The header is missing the columns"),
        (b"area_code,period,numerator,denominator\n", "has a header but no rows"),
    ]:
        with pytest.raises(actions.UploadRejected) as caught:
            actions.upload_data(
                indicator=ind, site=None, file_name="f.csv", content=content, by=analyst
            )
        assert message in str(caught.value.row_errors[0])


def test_reupload_is_a_new_version_with_the_old_kept_and_a_diff(make_user, client):
    analyst = make_user("national_analyst")
    ind = helpers.indicator()
    first = helpers.upload(
        ind, analyst, [("E01000001", "2023", 5, 10), ("E01000002", "2023", 1, 10)]
    )
    second = helpers.upload(
        ind, analyst, [("E01000001", "2023", 6, 10), ("E01000003", "2023", 2, 10)]
    )
    assert (first.version, second.version) == (1, 2)
    assert IndicatorValue.objects.filter(upload=first).count() == 2  # the old version is kept
    changes = actions.version_diff(second, first)
    assert [v.area_code for v in changes["added"]] == ["E01000003"]
    assert [v.area_code for v in changes["removed"]] == ["E01000002"]
    assert changes["changed"][0]["before"].value == pytest.approx(50.0)
    assert changes["changed"][0]["after"].value == pytest.approx(60.0)
    sign_in(client, analyst)
    page = client.get(reverse("outcomes:upload-detail", args=[second.pk])).content.decode()
    assert "1 row added, 1 removed, 1 changed, 0 unchanged" in page


def test_site_lead_uploads_only_their_sites_areas(make_user, site, other_site):
    lead = make_user("site_lead")
    helpers.geography(site)
    ind = helpers.indicator()
    with pytest.raises(PermissionDenied):
        helpers.upload(ind, lead, [("E01000001", "2023", 5, 10)])  # national data
    with pytest.raises(PermissionDenied):
        helpers.upload(ind, lead, [("E01000001", "2023", 5, 10)], site=other_site)
    with pytest.raises(actions.UploadRejected) as caught:
        helpers.upload(
            ind, lead, [("E01000001", "2023", 5, 10), ("E01000011", "2023", 5, 10)], site=site
        )
    assert "row 3, column “area_code”: E01000011 is not one of Home Site's areas" in str(
        caught.value.row_errors[0]
    )
    upload = helpers.upload(ind, lead, [("E01000001", "2023", 5, 10)], site=site)
    assert upload.site == site


def test_upload_page_lists_row_errors_and_stores_nothing(make_user, client):
    analyst = make_user("national_analyst")
    ind = helpers.indicator()
    sign_in(client, analyst)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.csv", helpers.simple_csv([("E01000001", "2023", 12, 10)]))
    response = client.post(
        reverse("outcomes:upload-create"),
        {"indicator": ind.pk, "site": "national", "file": bad},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert "bad.csv, row 2, column “numerator”: Is more than the denominator" in page
    good = SimpleUploadedFile("good.csv", helpers.simple_csv([("E01000001", "2023", 5, 10)]))
    response = client.post(
        reverse("outcomes:upload-create"),
        {"indicator": ind.pk, "site": "national", "file": good},
    )
    assert response.status_code == 302
    assert Upload.objects.get().row_count == 1


def test_rates_and_counts_get_poisson_limits(make_user):
    analyst = make_user("national_analyst")
    rate = helpers.indicator("extractions", type=Indicator.Type.RATE)
    upload = helpers.upload(rate, analyst, [("E01000001", "2023", 5, 10_000)])
    value = upload.values.get()
    assert value.value == pytest.approx(50.0)  # per 100,000
    assert value.method == "Exact"
    # Exact Poisson limits for 5: χ²(0.025, 10)/2 = 1.6235, χ²(0.975, 12)/2 = 11.6683.
    assert value.lower95 == pytest.approx(16.235, abs=1e-3)
    assert value.upper95 == pytest.approx(116.683, abs=1e-3)


@pytest.mark.parametrize(
    ("breakdown_type", "label", "expected"),
    [
        (
            "County & UA deprivation deciles in England (IMD2019, 4/21 geog.)",
            "Most deprived decile (IMD2019)",
            (1, 10),
        ),
        ("", "Second most deprived decile (IMD2019)", (2, 10)),
        ("", "Second least deprived decile (IMD2019)", (9, 10)),
        ("", "Least deprived quintile (IMD2019)", (5, 5)),
        ("IMD quintile", "3", (3, 5)),
        ("", "IMD decile 7", (7, 10)),
        ("Ethnic groups", "Asian", None),
    ],
)
def test_deprivation_breakdowns_are_recognised(breakdown_type, label, expected):
    assert deprivation_quantile(breakdown_type, label) == expected


@pytest.mark.parametrize(
    ("label", "start"),
    [
        ("2023", "2023-01-01"),
        ("2023/24", "2023-04-01"),
        ("2023/24 Q4", "2024-01-01"),
        ("2023 Q2", "2023-04-01"),
        ("2023-05", "2023-05-01"),
        ("2021 - 23", "2021-01-01"),
    ],
)
def test_periods(label, start):
    assert period_start(label).isoformat() == start


def test_record_level_extract_is_counted_per_lsoa_by_the_profile(make_user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    analyst = make_user("national_analyst")
    ind = helpers.indicator(
        extract_numerator="bp_controlled = 1",
        extract_denominator="age >= 18 and hypertension_register = 1",
    )
    extract = (
        b"lsoa,age,bp_controlled,hypertension_register\n"
        b"E01000001,30,1,1\nE01000001,40,0,1\nE01000001,12,1,1\nE01000002,50,1,1\n"
        b"E01000002,60,1,0\n"
    )
    sign_in(client, analyst)
    url = reverse("outcomes:upload-create")
    missing = client.post(
        url,
        {
            "indicator": ind.pk,
            "site": "national",
            "kind": "extract",
            "file": SimpleUploadedFile("people.csv", extract),
        },
    )
    assert "Enter the period the extract covers" in missing.content.decode()
    response = client.post(
        url,
        {
            "indicator": ind.pk,
            "site": "national",
            "kind": "extract",
            "period": "2024/25",
            "file": SimpleUploadedFile("people.csv", extract),
        },
    )
    assert response.status_code == 302
    upload = Upload.objects.get()
    assert upload.format == "extract"
    values = {v.area_code: (v.numerator, v.denominator, v.value) for v in upload.values.all()}
    # E01000001: adults on the register 2 (the 12-year-old is not), controlled 1 → 50%.
    assert values["E01000001"] == (1, 2, pytest.approx(50.0))
    assert values["E01000002"] == (1, 1, pytest.approx(100.0))
