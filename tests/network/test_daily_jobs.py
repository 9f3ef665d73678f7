"""manage.py run_daily_jobs (core20.web.daily): reminders, escalations and retention in one
daily run; each job on its own, so one failing does not stop the others; safe to rerun."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from core20.network import actions, reminders
from core20.network.models import Connector, TrainingModule
from core20.web import daily

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_work(site, people, recruit):
    """A reminder to send (training expiring in 20 days) and a leaver to erase."""
    today = timezone.localdate()
    actions.record_training(
        connector=recruit,
        module=TrainingModule.objects.get(code="data-protection"),
        completed_on=today - datetime.timedelta(days=365 - 20),
        by=people["host"],
    )
    leaver = Connector.objects.create(
        site=site, name="Lena Leaver", status=Connector.Status.LEFT, email="lena@example.org"
    )
    Connector.objects.filter(pk=leaver.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=800)
    )
    return leaver


def _run() -> str:
    out = io.StringIO()
    call_command("run_daily_jobs", stdout=out)
    return out.getvalue()


def _reminders() -> list:
    """The emails sent other than the "waiting for you" digests (tests/web/test_digest.py),
    which go only on working days."""
    return [m for m in mail.outbox if not m.subject.startswith("Waiting for you")]


def test_one_run_sends_reminders_and_applies_retention(due_work):
    out = _run()

    assert "Check and training renewal reminders: reminded about 1 training completion" in out
    assert "Insight response reminders and escalations: 0 reminder(s)" in out
    assert "Personal data retention: erased the personal data of 1 record(s)" in out
    assert "Waiting for you emails: sent " in out
    assert len(_reminders()) == 2  # the connector and the host coordinator
    due_work.refresh_from_db()
    assert due_work.erased_at is not None and due_work.name.startswith("Former connector")


def test_a_second_run_the_same_day_does_nothing_new(due_work):
    _run()
    sent = len(mail.outbox)
    out = _run()

    assert len(mail.outbox) == sent and len(_reminders()) == 2
    assert "erased the personal data of 0 record(s)" in out
    assert 'Waiting for you emails: sent 0 "waiting for you" email(s)' in out


def test_a_failing_job_is_reported_and_the_others_still_run(due_work, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("mail server unreachable")

    monkeypatch.setattr(reminders, "send_reminders", broken)

    with pytest.raises(CommandError, match="1 daily job\\(s\\) failed: Check and training"):
        _run()
    due_work.refresh_from_db()
    assert due_work.erased_at is not None
    results = {r.name: r for r in daily.run_daily_jobs()}
    assert "mail server unreachable" in results["Check and training renewal reminders"].message
    assert results["Personal data retention"].ok


def test_the_task_runs_the_same_jobs(due_work):
    from core20.web.tasks import run_daily_jobs

    result = run_daily_jobs.call()

    assert [r["name"] for r in result] == [name for name, _ in daily.JOBS]
    assert all(r["ok"] for r in result)
    due_work.refresh_from_db()
    assert due_work.erased_at is not None
