"""Background tasks (django.tasks): the daily reminders, for deployments that schedule tasks
rather than cron."""

from django.tasks import task


@task()
def send_insight_reminders() -> dict:
    from core20.insights.actions import send_reminders

    return send_reminders()
