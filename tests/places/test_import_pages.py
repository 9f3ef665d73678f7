"""The reference data import page: who may use it, starting an import as a background task,
and the progress fragment that htmx polls."""

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core20.accounts.roles import ROLES
from core20.audit.models import AuditEvent
from core20.places.models import ImportRun, LocalAuthorityDistrict
from tests.conftest import sign_in
from tests.places.conftest import shipped

pytestmark = pytest.mark.urls("tests.places.urls")

ALLOWED = {"national_admin", "national_analyst"}


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def a_run(db):
    return ImportRun.objects.create(kind="lad_regions", file_name="lads.csv")


def page_urls(run):
    return [
        reverse("places:imports"),
        reverse("places:import-run", args=[run.pk]),
        reverse("places:import-run-progress", args=[run.pk]),
    ]


@pytest.mark.parametrize("role", list(ROLES))
def test_only_national_admins_and_analysts_may_import(client, world, a_run, role):
    sign_in(client, world.users[role])
    for url in page_urls(a_run):
        response = client.get(url)
        assert response.status_code == (200 if role in ALLOWED else 403), (role, url)


def test_anonymous_visitors_are_sent_to_sign_in(client, a_run):
    for url in page_urls(a_run):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/")


def test_a_post_is_refused_without_permission(client, world):
    sign_in(client, world.users["site_lead"])
    response = client.post(reverse("places:imports"), {"kind": "reference"})
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def lad_region_upload():
    data = shipped("geography/lad24_region24_EN.csv.gz").read_bytes()
    return SimpleUploadedFile("lad24_region24_EN.csv", gzip.decompress(data), "text/csv")


def test_starting_an_import_creates_a_run_that_the_progress_fragment_reports(client, world):
    user = world.users["national_admin"]
    sign_in(client, user)
    response = client.post(
        reverse("places:imports"), {"kind": "lad_regions", "file": lad_region_upload()}
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("places:import-run", args=[run.pk])
    # The test settings use the immediate task backend: the run has already finished.
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.started_by == user and run.file_name == "lad24_region24_EN.csv"
    assert run.layout == "geographr_lad_region"
    assert run.rows_total == run.rows_done == 296 and run.percent == 100
    assert run.counts["created"] + run.counts["updated"] + run.counts["unchanged"] == 296
    assert run.started_at and run.finished_at and run.task_id
    assert LocalAuthorityDistrict.objects.filter(region__isnull=False).count() >= 296
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.IMPORT)
    assert event.actor_id == user.pk and event.object_label.endswith("lad24_region24_EN.csv")

    fragment = client.get(
        reverse("places:import-run-progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "Finished" in html and run.summary in html
    assert "hx-trigger" not in html  # finished: polling stops

    page = client.get(reverse("places:import-run", args=[run.pk])).content.decode()
    assert "Import: lad24_region24_EN.csv" in page and 'id="import-progress"' in page
    listing = client.get(reverse("places:imports")).content.decode()
    assert "lad24_region24_EN.csv" in listing


def test_the_progress_address_opened_directly_is_the_whole_page(client, world, a_run):
    # Without htmx (no script, or a copied link) the address must not show a bare fragment.
    sign_in(client, world.users["national_admin"])
    html = client.get(reverse("places:import-run-progress", args=[a_run.pk])).content.decode()
    assert html.count("<h1") == 1 and "<html" in html
    assert 'id="import-progress"' in html and "Reference data imports" in html
    fragment = client.get(
        reverse("places:import-run-progress", args=[a_run.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<h1" not in fragment and "<html" not in fragment


def test_a_run_in_progress_polls_every_second(client, world, a_run):
    ImportRun.objects.filter(pk=a_run.pk).update(
        status=ImportRun.Status.RUNNING, rows_done=120, rows_total=480, phase="Checking rows"
    )
    sign_in(client, world.users["national_analyst"])
    html = client.get(reverse("places:import-run-progress", args=[a_run.pk])).content.decode()
    url = reverse("places:import-run-progress", args=[a_run.pk])
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert '<progress id="import-progress-bar" class="app-progress" max="100" value="25">' in html
    assert "120 of 480" in html and "Checking rows" in html


def test_a_bad_file_fails_the_run_and_lists_the_problems(client, world):
    sign_in(client, world.users["national_admin"])
    upload = SimpleUploadedFile(
        "lads.csv",
        b"ltla24_name,ltla24_code,region24_name,region24_code\nX,E0600000Q,North,E12000001\n",
    )
    client.post(reverse("places:imports"), {"kind": "lad_regions", "file": upload})
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert run.summary == "Nothing was changed: 1 problem found in the file."
    assert run.errors == [
        "lads.csv, row 2, column 'ltla24_code': 'E0600000Q' is not a local authority district "
        "code (E06, E07, E08 or E09 and six digits)"
    ]
    html = client.get(reverse("places:import-run", args=[run.pk])).content.decode()
    assert "The file was not loaded" in html and "E0600000Q" in html


def test_the_form_asks_for_a_file_and_a_matching_layout(client, world):
    sign_in(client, world.users["national_admin"])
    response = client.post(
        reverse("places:imports"), {"kind": "postcodes", "layout": "ods_epraccur"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Choose the file to load." in html
    assert "That layout is not one for Postcodes (ONS Postcode Directory)" in html
    assert not ImportRun.objects.exists()


def test_the_database_task_backend_runs_the_import_in_the_worker(
    client, world, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes "old" connections between tasks; inside this test's transaction on
    # PostgreSQL that would close the test's own connection, so keep it open here.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    sign_in(client, world.users["national_admin"])
    client.post(reverse("places:imports"), {"kind": "lad_regions", "file": lad_region_upload()})
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.QUEUED
    html = client.get(reverse("places:import-run-progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and "Queued" in html
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    html = client.get(reverse("places:import-run-progress", args=[run.pk])).content.decode()
    assert "hx-trigger" not in html and run.summary in html
