"""Renewal reminders for training and checks: sent once per completion or check, to the
connector and the site's host coordinators; renewing starts afresh; people who have left are
not reminded."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core20.network import actions, requirements
from core20.network.models import Check, CheckType, TrainingModule

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


def test_a_dbs_check_running_out_is_reminded_about_once_until_it_is_renewed(recruit, people):
    host = people["host"]
    dbs = CheckType.objects.get(code="dbs")  # lasts 36 months
    today = timezone.localdate()
    # Cleared so long ago that it runs out in about ten days.
    cleared = requirements.add_months(today + datetime.timedelta(days=10), -36)
    actions.record_check(
        connector=recruit, check_type=dbs, status=Check.Status.CLEAR, completed_on=cleared, by=host
    )
    # References never expire: nothing to say about them.
    actions.record_check(
        connector=recruit,
        check_type=CheckType.objects.get(code="references"),
        status=Check.Status.CLEAR,
        completed_on=cleared,
        by=host,
    )
    out = io.StringIO()
    call_command("send_training_reminders", stdout=out)
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        [(host.email,), ("rita@example.org",)]
    )
    assert all("DBS check expires" in m.subject + m.body for m in mail.outbox)
    assert "1 checks (2 emails)" in out.getvalue()

    call_command("send_training_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2  # nothing new

    # Renewed today: good for three more years, so no reminder.
    actions.record_check(
        connector=recruit, check_type=dbs, status=Check.Status.CLEAR, completed_on=today, by=host
    )
    call_command("send_training_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2


def test_an_expired_check_of_someone_who_left_or_not_cleared_is_not_reminded(recruit, people):
    host = people["host"]
    dbs = CheckType.objects.get(code="dbs")
    long_ago = requirements.add_months(timezone.localdate(), -40)
    actions.record_check(
        connector=recruit,
        check_type=dbs,
        status=Check.Status.NOT_CLEAR,
        completed_on=long_ago,
        by=host,
    )
    call_command("send_training_reminders", stdout=io.StringIO())
    assert mail.outbox == []
    actions.record_check(
        connector=recruit, check_type=dbs, status=Check.Status.CLEAR, completed_on=long_ago, by=host
    )
    actions.change_status(connector=recruit, to="left", reason="Moved away", by=host)
    call_command("send_training_reminders", stdout=io.StringIO())
    assert mail.outbox == []


def test_two_completions_on_the_same_day_get_one_reminder(recruit, people):
    host = people["host"]
    module = TrainingModule.objects.get(code="data-protection")
    done = timezone.localdate() - datetime.timedelta(days=365 - 20)
    for _ in range(2):  # recorded twice by mistake
        actions.record_training(connector=recruit, module=module, completed_on=done, by=host)

    call_command("send_training_reminders", stdout=io.StringIO())

    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        [(host.email,), ("rita@example.org",)]
    )


def test_a_site_with_no_host_coordinator_has_its_leads_reminded(recruit, people):
    lead, host = people["lead"], people["host"]
    host.memberships.update(ended_at=timezone.now())
    module = TrainingModule.objects.get(code="data-protection")
    done = timezone.localdate() - datetime.timedelta(days=365 - 20)
    actions.record_training(connector=recruit, module=module, completed_on=done, by=lead)

    call_command("send_training_reminders", stdout=io.StringIO())

    team = [m for m in mail.outbox if m.subject.startswith("To renew")]
    assert [m.to for m in team] == [[lead.email]]
