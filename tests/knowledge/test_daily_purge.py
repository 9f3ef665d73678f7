"""The daily jobs delete mailing-list sign-ups nobody confirmed once the link has expired,
whether or not anyone else signs up (before, they went only at the next sign-up)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core20.knowledge import tokens
from core20.knowledge.models import Subscriber
from core20.web import daily

from .helpers import subscriber

pytestmark = pytest.mark.django_db


def _aged(email: str, *, days: int, confirmed: bool) -> Subscriber:
    person = subscriber(email, confirmed=confirmed)
    Subscriber.objects.filter(pk=person.pk).update(
        consented_at=timezone.now() - timedelta(days=days)
    )
    return person


def test_the_daily_run_deletes_expired_unconfirmed_sign_ups_only():
    _aged("expired@example.org", days=tokens.CONFIRM_DAYS + 1, confirmed=False)
    _aged("waiting@example.org", days=tokens.CONFIRM_DAYS - 1, confirmed=False)
    _aged("confirmed@example.org", days=400, confirmed=True)

    results = {r.name: r for r in daily.run_daily_jobs()}

    job = results["Unconfirmed mailing-list sign-ups"]
    assert job.ok
    assert job.message == "deleted 1 mailing-list sign-up(s) not confirmed within 7 days"
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "confirmed@example.org",
        "waiting@example.org",
    ]
