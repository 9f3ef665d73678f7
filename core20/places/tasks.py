"""Background tasks (Django 6.1 django.tasks; the database backend in production, the
immediate backend in tests)."""

from django.tasks import task


@task()
def run_import_task(run_id: int, options: dict | None = None) -> str:
    """Run one ImportRun (see core20.places.runs.execute_run); returns its status."""
    from core20.places.runs import execute_run

    return execute_run(run_id, options).status
