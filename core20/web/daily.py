"""The jobs to run once a day, in one place: ``manage.py run_daily_jobs`` (cron or a systemd
timer) or the task ``core20.web.tasks.run_daily_jobs`` (a scheduler that enqueues tasks).

Each job is safe to run again the same day (reminders and digests are sent once, erased
records are not found again), and each runs on its own: one that fails is reported and the
others still run. Each run of each job is recorded (core20.web.models.JobRun) for the service
status page, and runs older than ``KEEP_RUNS_FOR`` are deleted.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError
from django.utils import timezone

from core20.web.models import JobRun

logger = logging.getLogger(__name__)


def _training_reminders() -> str:
    from core20.network.reminders import send_reminders

    result = send_reminders()
    return (
        f"reminded about {result.completions} training completion(s) and {result.checks} "
        f"check(s) ({result.emails} email(s))"
    )


def _insight_reminders() -> str:
    from core20.insights.actions import send_reminders

    sent = send_reminders()
    return f"{sent['reminders']} reminder(s) and {sent['escalations']} escalation(s) sent"


def _retention() -> str:
    from core20.web.retention import apply_retention

    run = apply_retention(erase=True)
    erased = sum(len(ids) for ids in run.erased.values())
    return f"erased the personal data of {erased} record(s) whose retention period ended"


def _digests() -> str:
    from core20.web.digest import send_digests

    result = send_digests()
    done = (
        f'sent {result.sent} "waiting for you" email(s); '
        f"{result.nothing_waiting} person(s) due one had nothing waiting"
    )
    if result.failed:
        raise RuntimeError(f"{result.failed} could not be sent ({done})")
    return done


def _unconfirmed_sign_ups() -> str:
    """A mailing-list sign-up nobody confirmed holds an address without consent confirmed:
    delete it once its link has expired, whether or not anyone else signs up."""
    from core20.knowledge.actions import purge_unconfirmed
    from core20.knowledge.tokens import CONFIRM_DAYS

    deleted = purge_unconfirmed()
    return f"deleted {deleted} mailing-list sign-up(s) not confirmed within {CONFIRM_DAYS} days"


KEEP_TASK_RESULTS_FOR = datetime.timedelta(days=30)


def _task_results() -> str:
    """Finished background tasks' rows hold their arguments (which can name a file or an
    email address) and, for failures, a traceback: keep them long enough for the status
    page and anyone looking into a failure, then delete them."""
    from django_tasks_db.models import DBTaskResult

    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=timezone.now() - KEEP_TASK_RESULTS_FOR)
        .delete()
    )
    return f"deleted {deleted} finished background task result(s) over 30 days old"


JOBS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("Check and training renewal reminders", _training_reminders),
    ("Insight response reminders and escalations", _insight_reminders),
    ("Personal data retention", _retention),
    ("Unconfirmed mailing-list sign-ups", _unconfirmed_sign_ups),
    ("Finished background tasks", _task_results),
    # Last, so that it counts what the jobs above changed.
    ("Waiting for you emails", _digests),
)


@dataclass
class JobResult:
    name: str
    ok: bool
    message: str  # for the command's output and the log: a failure's text may name people
    summary: str  # what is recorded and returned by the task: no error text


KEEP_RUNS_FOR = datetime.timedelta(days=90)


def run_daily_jobs() -> list[JobResult]:
    results = []
    for name, job in JOBS:
        started_at = timezone.now()
        try:
            done = job()
            result = JobResult(name, True, done, done)
            error = ""
        except Exception as exc:  # one job failing must not stop the others
            logger.exception("Daily job failed: %s", name)
            error = type(exc).__name__
            result = JobResult(name, False, f"failed: {error}: {exc}", f"failed: {error}")
        _record(result, error=error, started_at=started_at)
        results.append(result)
    _prune()
    return results


def _record(result: JobResult, *, error: str, started_at: datetime.datetime) -> None:
    """Record the run without the error's text, which may name people (the log has it)."""
    try:
        JobRun.objects.create(
            job=result.name,
            started_at=started_at,
            finished_at=timezone.now(),
            ok=result.ok,
            summary=result.summary,
            error=error,
        )
    except DatabaseError:  # not being able to record a run must not stop the other jobs
        logger.exception("Could not record the run of daily job: %s", result.name)


def _prune() -> None:
    try:
        JobRun.objects.filter(started_at__lt=timezone.now() - KEEP_RUNS_FOR).delete()
    except DatabaseError:
        logger.exception("Could not delete old daily job runs")
