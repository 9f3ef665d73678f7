# ruff: noqa: E501 (messages are asserted whole)
"""Importing (all or nothing, row-level errors, idempotent by external id) and exporting
(streamed CSV, XLSX in the background) a site's activities."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core20.audit.models import AuditEvent
from core20.engagement import runs
from core20.engagement.models import Activity, ActivityRun
from tests.conftest import sign_in
from tests.engagement import helpers

pytestmark = pytest.mark.django_db

HEADER = "external_id,date,type,people_reached,postcode,clinical_areas,communities,age_0_17,age_18_24,bp_checks_offered,recorded_by"


def _upload(text, name="activities.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _import(user, site, text, name="activities.csv"):
    run = runs.start_import(by=user, site=site, upload=_upload(text, name))
    run.refresh_from_db()
    return run


def test_import_loads_rows_and_again_changes_nothing(make_user, site, real_places):
    coordinator = make_user("host_coordinator")
    connector = make_user("connector")
    helpers.areas()
    text = "\n".join(
        [
            HEADER,
            f"A1,2026-03-02,outreach,10,SR1 1AA,hypertension;severe-mental-illness,coastal-communities,4,6,3,{connector.email.upper()}",
            "A2,02/03/2026,Health-check promotion,5,,,,,,,",
        ]
    )
    run = _import(coordinator, site, text)
    assert run.status == ActivityRun.Status.SUCCEEDED, run.errors
    assert run.summary == "2 activities added"
    first = Activity.objects.get(external_id="A1")
    assert (first.kind, first.people_reached, first.lsoa, first.core20) == (
        "outreach",
        10,
        "E01008703",
        True,
    )
    assert first.breakdown == {"age": {"0_17": 4, "18_24": 6}} and first.case_finding == {
        "bp_checks_offered": 3
    }
    assert sorted(first.clinical_areas.values_list("code", flat=True)) == [
        "hypertension",
        "severe-mental-illness",
    ]
    assert first.recorded_by == connector and first.import_run_id == run.pk
    assert Activity.objects.get(external_id="A2").kind == "health_check"
    assert AuditEvent.objects.filter(verb="import", site_id=site.pk).count() == 1
    again = _import(coordinator, site, text)
    assert again.summary == "0 activities added; 2 already imported, left as they were"
    assert Activity.objects.count() == 2


def test_any_bad_row_loads_nothing_and_names_file_row_and_column(make_user, site):
    coordinator = make_user("host_coordinator")
    text = "\n".join(
        [
            "external_id,date,type,people_reached,age_0_17,age_18_24,clinical_areas,recorded_by",
            "B1,2026-03-02,outreach,10,,,,",
            "B2,2026-13-40,outreach,3,2,2,astrology,nobody@example.org",
            "B1,2026-03-02,dancing,x,,,,",
        ]
    )
    run = _import(coordinator, site, text, name="march.csv")
    assert run.status == ActivityRun.Status.FAILED
    assert not Activity.objects.exists()
    assert run.errors == [
        "march.csv, row 2, column external_id: This external id appears more than once in the file",
        "march.csv, row 3, column age_0_17 to age_65_plus: The numbers by age band add up to 4, "
        "more than the 3 people reached. Check the numbers, or change the number of people reached.",
        "march.csv, row 3, column clinical_areas: Unknown clinical area: astrology",
        "march.csv, row 3, column date: Enter a date like 2026-03-21",
        "march.csv, row 3, column recorded_by: No one with this email address records activities at this site",
        "march.csv, row 4, column external_id: This external id appears more than once in the file",
        "march.csv, row 4, column people_reached: Must be a whole number, like 12",
        "march.csv, row 4, column type: Enter a type of activity: "
        + ", ".join(
            Activity._meta.get_field("kind").choices
            and [c for c, _ in Activity._meta.get_field("kind").choices]
        ),
    ]
    assert run.summary == "Nothing was changed: 8 problems found in the file."


def test_missing_columns_and_xlsx(make_user, site):
    coordinator = make_user("host_coordinator")
    run = _import(coordinator, site, "external_id,date,colour\nC1,2026-03-02,red\n")
    assert run.errors == [
        "activities.csv: missing columns type, people_reached",
        "activities.csv: unknown column colour",
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(["External ID", "Date", "Type", "People reached"])
    sheet.append(["X1", "2026-03-04", "training", 7])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("sheet.xlsx", buffer.getvalue())
    run = runs.start_import(by=coordinator, site=site, upload=upload)
    run.refresh_from_db()
    assert run.status == "succeeded", run.errors
    assert Activity.objects.get(external_id="X1").people_reached == 7


def test_import_page_shows_progress_run(client, make_user, site):
    coordinator = make_user("host_coordinator")
    sign_in(client, coordinator)
    response = client.post(
        reverse("engagement:site-import", args=[site.slug]),
        {"file": _upload("external_id,date,type,people_reached\nD1,2026-03-02,event,4\n")},
    )
    run = ActivityRun.objects.get()
    assert response["Location"] == reverse("engagement:run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "1 activity added" in page and 'value="100"' in page


def test_csv_export_streams_every_activity(client, make_user, site, other_site):
    hypertension, _, _ = helpers.areas()
    first = helpers.activity(site, external_id="E1", breakdown={"sex": {"male": 2}}, notes="=1+1")
    first.clinical_areas.add(hypertension)
    helpers.activity(site)
    helpers.activity(other_site)
    sign_in(client, make_user("site_lead"))
    response = client.get(reverse("engagement:site-export-csv", args=[site.slug]))
    assert response.streaming
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert len(rows) == 2
    row = next(r for r in rows if r["external_id"] == "E1")
    assert (row["clinical_areas"], row["sex_male"], row["notes"]) == ("hypertension", "2", "'=1+1")
    assert AuditEvent.objects.filter(verb="export", site_id=site.pk).exists()


def test_xlsx_export_runs_in_the_background_and_downloads(client, make_user, site):
    helpers.activity(site, external_id="F1", people_reached=21)
    sign_in(client, make_user("host_coordinator"))
    response = client.post(reverse("engagement:site-export-xlsx", args=[site.slug]))
    run = ActivityRun.objects.get(kind="export")
    assert response["Location"] == reverse("engagement:run", args=[run.pk])
    assert run.status == "succeeded" and run.summary == "1 activity ready to download"
    download = client.get(reverse("engagement:run-download", args=[run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("activity_id", "external_id", "date") and values[1][1] == "F1"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: progress shows at commit"
)
def test_progress_of_the_writing_phases_is_seen_before_the_import_commits(
    make_user, site, monkeypatch
):
    coordinator = make_user("host_coordinator")
    helpers.areas()
    seen = []
    report = runs._Progress.__call__

    def report_and_look(self, done, total, phase):
        """After each report, read the run as the progress page would: another connection."""
        report(self, done, total, phase)
        other = connection.get_new_connection(connection.get_connection_params())
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT phase, rows_done FROM engagement_activityrun WHERE id = %s", [self.run_id]
            )
            seen.append(cursor.fetchone())
        other.close()

    monkeypatch.setattr(runs._Progress, "__call__", report_and_look)
    rows = [f"B{i},2026-03-02,outreach,{i},,hypertension,,,,," for i in range(1, 4)]
    run = _import(coordinator, site, "\n".join([HEADER, *rows]))
    assert run.status == ActivityRun.Status.SUCCEEDED, run.errors
    assert ("Writing activities", 3) in seen
    assert ("Writing clinical areas and communities", 3) in seen
