"""Background tasks (django.tasks) for deployments that schedule tasks rather than cron."""

from django.tasks import task


@task()
def run_daily_jobs() -> list[dict]:
    from core20.web.daily import run_daily_jobs as run

    # The summary, not the message: the task's return value is stored with its result.
    return [{"name": r.name, "ok": r.ok, "summary": r.summary} for r in run()]
