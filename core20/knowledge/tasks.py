"""Background tasks (Django 6.1 django.tasks: the database backend in production, the
immediate backend in tests)."""

from django.tasks import task


@task()
def send_mailing(mailing_id: int) -> dict:
    """Email a queued notice to every confirmed subscriber (core20.knowledge.actions.deliver)."""
    from core20.knowledge.actions import deliver

    mailing = deliver(mailing_id)
    return {"status": mailing.status, "sent": mailing.recipient_count or 0}
