"""Is the service working? ``/health/`` answers load balancers and uptime monitors (does the
database answer?); ``/status/`` shows national admins the background task queue (run by
``manage.py db_worker``) and when each daily job (core20.web.daily) last ran."""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, When
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.web import daily
from core20.web.models import JobRun

logger = logging.getLogger(__name__)

# A task waiting longer than this suggests that no worker is taking tasks from the queue.
WORKER_SILENT_AFTER = datetime.timedelta(minutes=15)
# The daily jobs run once a day: two hours' grace for a late or slow run.
DAILY_JOBS_DUE_WITHIN = datetime.timedelta(hours=26)
FAILURES_FOR = datetime.timedelta(days=7)
FAILURES_LISTED = 50


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not. No sign-in, no details: the
    error goes to the log, never into the response."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@dataclass
class TaskQueue:
    waiting: int
    oldest_due_at: datetime.datetime | None
    running: int
    failed: int  # in the last FAILURES_FOR
    failures: list[dict]  # the latest FAILURES_LISTED of them: task, when, error class

    @property
    def worker_silent(self) -> bool:
        return (
            self.oldest_due_at is not None
            and timezone.now() - self.oldest_due_at > WORKER_SILENT_AFTER
        )


def task_queue(now: datetime.datetime) -> TaskQueue:
    """The database task backend's queue, in two queries. Never the tasks' arguments or
    tracebacks, which may hold personal data."""
    never = get_date_max()  # the backend's run_after for "as soon as possible"
    due = Q(status=TaskResultStatus.READY) & (Q(run_after=never) | Q(run_after__lte=now))
    failed = Q(status=TaskResultStatus.FAILED, finished_at__gte=now - FAILURES_FOR)
    counts = DBTaskResult.objects.filter(due | Q(status=TaskResultStatus.RUNNING) | failed)
    counts = counts.aggregate(
        waiting=Count("pk", filter=due),
        oldest_due_at=Min(
            Case(
                When(run_after=never, then=F("enqueued_at")),
                default=Greatest("enqueued_at", "run_after"),
            ),
            filter=due,
        ),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=failed),
    )
    failures = [
        {
            "task": row["task_path"],
            "finished_at": row["finished_at"],
            "error": row["exception_class_path"].rpartition(".")[2],
        }
        for row in DBTaskResult.objects.filter(failed)
        .order_by("-finished_at")
        .values("task_path", "finished_at", "exception_class_path")[:FAILURES_LISTED]
    ]
    return TaskQueue(failures=failures, **counts)


@dataclass
class DailyJob:
    name: str
    last: JobRun | None  # the latest run, successful or not
    last_ok_at: datetime.datetime | None

    @property
    def overdue(self) -> bool:
        return self.last_ok_at is None or timezone.now() - self.last_ok_at > DAILY_JOBS_DUE_WITHIN


def daily_jobs() -> list[DailyJob]:
    """Each daily job, in the order they run, with its latest run: one query."""
    names = [name for name, _ in daily.JOBS]
    runs = JobRun.objects.filter(job=OuterRef("job")).order_by("-started_at")
    latest = JobRun.objects.filter(job__in=names, pk=Subquery(runs.values("pk")[:1])).annotate(
        last_ok_at=Subquery(runs.filter(ok=True).values("finished_at")[:1])
    )
    by_name = {run.job: run for run in latest}
    return [
        DailyJob(name, by_name.get(name), getattr(by_name.get(name), "last_ok_at", None))
        for name in names
    ]


@login_required
def status(request: HttpRequest) -> HttpResponse:
    # The national team only: with no site named, only national roles count (as the
    # retention page).
    require_permission(request.user, Permission.AUDIT_VIEW)
    jobs = daily_jobs()
    ran = [job.last.started_at for job in jobs if job.last]
    return render(
        request,
        "web/status.html",
        {
            "queue": task_queue(timezone.now()),
            "jobs": jobs,
            "overdue_jobs": [job for job in jobs if job.overdue],
            # When none ran within the day, say since when nothing has run at all.
            "last_ran_at": max(ran, default=None),
            "none_ran_lately": not ran or timezone.now() - max(ran) > DAILY_JOBS_DUE_WITHIN,
            "breadcrumbs": [("Home", reverse("web:home")), ("Audit log", reverse("audit:log"))],
        },
    )
