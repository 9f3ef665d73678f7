"""Background tasks (django.tasks) for deployments that schedule tasks rather than cron."""

from django.tasks import task


@task()
def run_daily_jobs() -> list[dict]:
    from core20.web.daily import run_daily_jobs as run

    return [{"name": r.name, "ok": r.ok, "message": r.message} for r in run()]
