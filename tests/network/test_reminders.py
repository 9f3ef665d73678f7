"""Training renewal reminders: sent once per completion, to the connector and the site's
host coordinators; renewing starts afresh; people who have left are not reminded."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core20.network import actions
from core20.network.models import TrainingModule

pytestmark = pytest.mark.django_db


def test_reminders_are_sent_once_and_again_after_renewal(recruit, people):
    host = people["host"]
    module = TrainingModule.objects.get(code="data-protection")  # renewed every 12 months
    today = timezone.localdate()
    # Expires in 20 days: inside the 30-day window.
    done = today - datetime.timedelta(days=365 - 20)
    actions.record_training(connector=recruit, module=module, completed_on=done, by=host)
    # Safeguarding lasts 36 months: not due, no email.
    actions.record_training(
        connector=recruit,
        module=TrainingModule.objects.get(code="safeguarding"),
        completed_on=today,
        by=host,
    )
    call_command("send_training_reminders", stdout=io.StringIO())
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == sorted([(host.email,), ("rita@example.org",)])
    assert all("Data protection" in m.subject + m.body for m in mail.outbox)

    call_command("send_training_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # nothing new

    # Renewed long enough ago that it too is due: a fresh reminder for the new completion.
    actions.record_training(
        connector=recruit, module=module, completed_on=done + datetime.timedelta(days=1), by=host
    )
    call_command("send_training_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 4


def test_no_reminders_for_people_who_have_left_or_outside_the_window(recruit, people):
    host = people["host"]
    module = TrainingModule.objects.get(code="data-protection")
    today = timezone.localdate()
    actions.record_training(
        connector=recruit, module=module, completed_on=today - datetime.timedelta(days=300), by=host
    )
    call_command("send_training_reminders", "--days", "30", stdout=io.StringIO())
    assert mail.outbox == []  # expires in about 65 days
    call_command("send_training_reminders", "--days", "90", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    other = recruit.__class__.objects.create(site=recruit.site, name="Gone", email="g@example.org")
    actions.record_training(
        connector=other, module=module, completed_on=today - datetime.timedelta(days=400), by=host
    )
    actions.change_status(connector=other, to="left", reason="Moved", by=host)
    call_command("send_training_reminders", stdout=io.StringIO())
    assert mail.outbox == []
