"""Is the service working? /health/ for load balancers and uptime monitors, the record of each
daily job's runs, and /status/ for national admins: the background task queue and the daily
jobs' last runs."""

import datetime
import io
import subprocess
import sys
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connections
from django.tasks import TaskResultStatus
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from core20.web import daily
from core20.web.models import JobRun
from tests.conftest import client_for, page_html, queries_of
from tests.production_env import production_env

HEALTH = reverse("ops:health")
STATUS = reverse("ops:status")
PERSONAL = "ada.lovelace@example.org"


def _when(moment: datetime.datetime) -> str:
    """A time as the page writes it: 24 November 2026 at 06:30."""
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


# ---- /health/ ----


def test_health_says_ok_when_the_database_answers(db):
    response = Client().get(HEALTH)

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_says_unavailable_without_the_reason_when_the_database_does_not(db, caplog):
    error = OperationalError(f"connection to db.internal failed for {PERSONAL}")
    with mock.patch.object(connections["default"], "cursor", side_effect=error):
        response = Client().get(HEALTH)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "no-store" in response["Cache-Control"]
    assert "db.internal" not in response.content.decode()
    assert "the database did not answer" in caplog.text  # the reason goes to the log


def test_health_answers_head_but_not_post(db):
    assert Client().head(HEALTH).status_code == 200
    assert Client().post(HEALTH).status_code == 405


def test_production_settings_let_a_plain_http_probe_reach_the_health_check(tmp_path):
    """SECURE_SSL_REDIRECT sends every other plain-HTTP request to HTTPS."""
    env = production_env(tmp_path)
    # Asks for /health/ and another page over plain HTTP, with those settings.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.test import Client; "
            "client = Client(HTTP_HOST='connect.example.nhs.uk'); "
            "print(client.get('/health/').status_code, client.get('/privacy/').status_code)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]


# ---- Recording the daily jobs' runs ----


def _fails() -> str:
    raise RuntimeError(f"could not email {PERSONAL}")


TWO_JOBS = (("Counting", lambda: "counted 3 thing(s)"), ("Emailing", _fails))


def _by_command() -> None:
    with pytest.raises(CommandError):
        call_command("run_daily_jobs", stdout=io.StringIO())


def _by_task() -> None:
    from core20.web.tasks import run_daily_jobs

    run_daily_jobs.call()


@pytest.mark.parametrize("run", [daily.run_daily_jobs, _by_command, _by_task])
def test_each_job_run_is_recorded_without_the_errors_text(db, monkeypatch, run):
    monkeypatch.setattr(daily, "JOBS", TWO_JOBS)
    before = timezone.now()

    run()

    ok, failed = JobRun.objects.get(job="Counting"), JobRun.objects.get(job="Emailing")
    assert ok.ok and ok.summary == "counted 3 thing(s)" and ok.error == ""
    assert before <= ok.started_at <= ok.finished_at <= timezone.now()
    assert not failed.ok and failed.error == "RuntimeError"
    assert failed.summary == "failed: RuntimeError"
    assert PERSONAL not in failed.summary


def test_runs_older_than_90_days_are_deleted(db, monkeypatch):
    monkeypatch.setattr(daily, "JOBS", TWO_JOBS[:1])
    now = timezone.now()
    for days in (91, 89):
        JobRun.objects.create(
            job="Counting",
            started_at=now - datetime.timedelta(days=days),
            finished_at=now - datetime.timedelta(days=days),
            ok=True,
            summary=f"{days} days ago",
        )

    daily.run_daily_jobs()

    assert sorted(JobRun.objects.values_list("summary", flat=True)) == [
        "89 days ago",
        "counted 3 thing(s)",
    ]


# ---- /status/ ----


def _task(status=TaskResultStatus.READY, *, waited=datetime.timedelta(0), **fields):
    """A task in the database backend's queue, enqueued ``waited`` ago."""
    task = DBTaskResult.objects.create(
        status=status,
        task_path=fields.pop("task_path", "core20.places.tasks.run_import_task"),
        args_kwargs={"args": [], "kwargs": {"email": PERSONAL}},
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        **fields,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - waited)
    return task


def _failed(ago: datetime.timedelta, task_path="core20.datapacks.tasks.generate_pack_task"):
    return _task(
        TaskResultStatus.FAILED,
        task_path=task_path,
        finished_at=timezone.now() - ago,
        exception_class_path="builtins.ValueError",
        traceback=f"Traceback (most recent call last):\nValueError: no pack for {PERSONAL}",
    )


def _ran(job: str, ago: datetime.timedelta, *, ok=True) -> JobRun:
    at = timezone.now() - ago
    return JobRun.objects.create(
        job=job,
        started_at=at,
        finished_at=at,
        ok=ok,
        summary="sent 2 email(s)" if ok else "failed: SMTPException",
        error="" if ok else "SMTPException",
    )


def _all_ran(ago: datetime.timedelta) -> None:
    for name, _ in daily.JOBS:
        _ran(name, ago)


NAMES = [name for name, _ in daily.JOBS]
WORKER_WARNING = "The background worker may not be running"


@pytest.fixture
def admin(make_user):
    return make_user("national_admin")


def test_with_nothing_recorded_it_says_the_daily_jobs_have_never_run(admin):
    html = page_html(admin, STATUS)

    assert "<h1>Service status</h1>" in html
    assert "Daily jobs have never run" in html
    assert WORKER_WARNING not in html
    assert "None waiting" in html


def test_a_task_waiting_over_15_minutes_warns_that_the_worker_may_be_stopped(admin):
    _task(waited=datetime.timedelta(minutes=5))
    _task(TaskResultStatus.RUNNING, waited=datetime.timedelta(hours=3))
    assert WORKER_WARNING not in page_html(admin, STATUS)

    _task(waited=datetime.timedelta(minutes=40))
    html = page_html(admin, STATUS)

    assert WORKER_WARNING in html
    assert "has waited 40\xa0minutes" in html
    queue = html.split("The task queue now")[1].split("</table>")[0]
    assert '>Waiting</th><td class="nhsuk-table__cell">2<' in queue
    assert '>Running</th><td class="nhsuk-table__cell">1<' in queue


def test_a_task_scheduled_for_later_is_not_waiting(admin):
    _task(
        waited=datetime.timedelta(days=1),
        run_after=timezone.now() + datetime.timedelta(hours=1),
    )
    html = page_html(admin, STATUS)

    assert WORKER_WARNING not in html
    assert "None waiting" in html


def test_failures_of_the_last_7_days_are_listed_without_arguments_or_traceback(admin):
    recent = _failed(datetime.timedelta(days=2))
    _failed(datetime.timedelta(days=8), task_path="core20.knowledge.tasks.send_mailing")

    html = page_html(admin, STATUS)

    assert "core20.datapacks.tasks.generate_pack_task" in html
    assert _when(recent.finished_at) in html
    assert "ValueError" in html
    assert "send_mailing" not in html  # more than 7 days ago
    assert PERSONAL not in html


def test_daily_jobs_that_all_succeeded_today_raise_no_warning(admin):
    _all_ran(datetime.timedelta(hours=2))
    html = page_html(admin, STATUS)

    assert "nhsuk-warning-callout" not in html
    assert html.count("Succeeded</strong> Sent 2 email(s)") == len(NAMES)


def test_it_warns_when_the_daily_jobs_have_not_run_for_over_26_hours(admin):
    _all_ran(datetime.timedelta(hours=30))
    latest = _ran(NAMES[0], datetime.timedelta(hours=27))

    html = page_html(admin, STATUS)

    assert f"Daily jobs have not run since {_when(latest.started_at)}" in html

    _all_ran(datetime.timedelta(hours=1))
    assert "Daily jobs have not run since" not in page_html(admin, STATUS)


def test_it_names_a_daily_job_that_has_not_succeeded_lately(admin):
    *others, failing = NAMES
    for name in others:
        _ran(name, datetime.timedelta(hours=1))
    last_ok = _ran(failing, datetime.timedelta(hours=30))
    _ran(failing, datetime.timedelta(minutes=10), ok=False)

    html = page_html(admin, STATUS)

    assert "Some daily jobs are failing" in html
    assert f"{failing} has not succeeded since {_when(last_ok.finished_at)}" in html
    assert "Error: SMTPException" in html
    for other in others:
        assert f"{other} has not succeeded" not in html


def test_a_daily_job_that_never_ran_is_named(admin):
    for name in NAMES[:-1]:
        _ran(name, datetime.timedelta(hours=1))

    html = page_html(admin, STATUS)

    assert f"{NAMES[-1]} has never succeeded" in html


def test_only_national_admins_see_the_page(make_user):
    assert client_for(make_user("national_admin")).get(STATUS).status_code == 200
    for role in ("national_analyst", "site_lead", "host_coordinator", "connector"):
        assert client_for(make_user(role)).get(STATUS).status_code == 403, role
    response = Client().get(STATUS)
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


def test_the_audit_log_links_to_it_for_national_admins_only(make_user):
    assert STATUS in page_html(make_user("national_admin"), reverse("audit:log"))
    assert STATUS not in page_html(make_user("site_lead"), reverse("audit:log"))


def test_a_fixed_number_of_queries(admin):
    def visit(user):
        assert client_for(user).get(STATUS).status_code == 200

    _task()
    _failed(datetime.timedelta(hours=1))
    _ran(NAMES[0], datetime.timedelta(hours=1))
    few = queries_of(visit, admin)
    for n in range(5):
        _task(waited=datetime.timedelta(minutes=n))
        _task(TaskResultStatus.RUNNING)
        _failed(datetime.timedelta(hours=n))
        _all_ran(datetime.timedelta(days=n, hours=1))
        _ran(NAMES[1], datetime.timedelta(minutes=n), ok=False)
    assert queries_of(visit, admin) == few


def test_the_task_returns_the_summaries_not_the_errors_text(db, monkeypatch):
    from core20.web.tasks import run_daily_jobs

    monkeypatch.setattr(daily, "JOBS", TWO_JOBS)

    result = run_daily_jobs.call()

    assert result == [
        {"name": "Counting", "ok": True, "summary": "counted 3 thing(s)"},
        {"name": "Emailing", "ok": False, "summary": "failed: RuntimeError"},
    ]


def test_finished_task_results_over_30_days_old_are_deleted(db):
    _failed(datetime.timedelta(days=31))
    recent_failure = _failed(datetime.timedelta(days=29))
    _task(TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - datetime.timedelta(days=40))
    waiting = _task(waited=datetime.timedelta(days=40))  # not finished: never deleted here

    results = {r.name: r for r in daily.run_daily_jobs()}

    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        recent_failure.pk,
        waiting.pk,
    }
    assert results["Finished background tasks"].summary == (
        "deleted 2 finished background task result(s) over 30 days old"
    )
