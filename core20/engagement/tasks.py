"""Background tasks (Django's django.tasks; the database backend in production, the
immediate backend in tests)."""

from django.tasks import task


@task()
def run_activity_task(run_id: int) -> str:
    """Run one ActivityRun, an import or an XLSX export (see core20.engagement.runs)."""
    from core20.engagement.runs import execute_run

    return execute_run(run_id).status
