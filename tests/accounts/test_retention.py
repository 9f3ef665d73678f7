"""Accounts with no role and no sign-in for ACCOUNT_RETENTION_MONTHS are anonymised by the
retention run (core20.accounts.personal_data)."""

import datetime

import pytest
from django.utils import timezone

from core20.accounts.models import Membership, User
from core20.audit.models import AuditEvent
from core20.web.retention import apply_retention

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=800)
RECENTLY = timezone.now() - datetime.timedelta(days=200)


@pytest.fixture
def accounts(make_user, site):
    def person(name, *, ended=None, joined=LONG_AGO, signed_in=None, current=False, **extra):
        user = make_user(None, full_name=name, email=f"{name.lower()}@example.org", **extra)
        User.objects.filter(pk=user.pk).update(date_joined=joined, last_login=signed_in)
        if ended or current:
            Membership.objects.create(
                user=user, role="site_lead", site=site, ended_at=None if current else ended
            )
        return User.objects.get(pk=user.pk)

    return {
        "left_long_ago": person("Lena", ended=LONG_AGO, signed_in=LONG_AGO),
        "left_recently": person("Lucy", ended=RECENTLY, signed_in=LONG_AGO),
        "signed_in_recently": person("Sid", ended=LONG_AGO, signed_in=RECENTLY),
        "still_working": person("Will", current=True, signed_in=LONG_AGO),
        "never_had_a_role": person("Nina"),
        "new_without_a_role": person("Nell", joined=RECENTLY),
        "admin_account": person("Root", ended=LONG_AGO, is_staff=True),
    }


def test_only_long_unused_accounts_are_due(accounts):
    due = apply_retention(erase=False).due["accounts_unused"]
    assert set(due) == {accounts["left_long_ago"].pk, accounts["never_had_a_role"].pk}


def test_erasing_anonymises_and_switches_them_off(accounts):
    apply_retention(erase=True)

    lena = User.objects.get(pk=accounts["left_long_ago"].pk)
    assert lena.erased_at is not None and not lena.is_active
    assert lena.full_name == f"Former user {lena.pk}" and "lena" not in lena.email
    assert not lena.has_usable_password()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE, object_id=str(lena.pk))
    assert event.actor_label == "System" and "Lena" not in event.object_label
    assert User.objects.get(pk=accounts["still_working"].pk).full_name == "Will"
    # A second run finds nothing more.
    assert apply_retention(erase=False).due["accounts_unused"] == []
