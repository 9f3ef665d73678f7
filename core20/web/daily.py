"""The jobs to run once a day, in one place: ``manage.py run_daily_jobs`` (cron or a systemd
timer) or the task ``core20.web.tasks.run_daily_jobs`` (a scheduler that enqueues tasks).

Each job is safe to run again the same day (reminders and digests are sent once, erased
records are not found again), and each runs on its own: one that fails is reported and the
others still run.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

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


JOBS: tuple[tuple[str, Callable[[], str]], ...] = (
    ("Check and training renewal reminders", _training_reminders),
    ("Insight response reminders and escalations", _insight_reminders),
    ("Personal data retention", _retention),
    # Last, so that it counts what the jobs above changed.
    ("Waiting for you emails", _digests),
)


@dataclass
class JobResult:
    name: str
    ok: bool
    message: str


def run_daily_jobs() -> list[JobResult]:
    results = []
    for name, job in JOBS:
        try:
            results.append(JobResult(name, True, job()))
        except Exception as error:  # one job failing must not stop the others
            logger.exception("Daily job failed: %s", name)
            results.append(JobResult(name, False, f"failed: {type(error).__name__}: {error}"))
    return results
