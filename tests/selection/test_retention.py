"""Contacts on applications to calls are erased 12 months after a decision not to select, or
after a draft was left untouched (core20.selection.personal_data via core20.web.retention)."""

import datetime

import pytest
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.selection.models import Application
from core20.web.retention import apply_retention, erase_if_still_due
from tests.selection import helpers

pytestmark = pytest.mark.django_db
Status = Application.Status
LONG_AGO = timezone.now() - datetime.timedelta(days=400)
RECENTLY = timezone.now() - datetime.timedelta(days=100)


@pytest.fixture
def applications(site, make_user):
    call = helpers.make_call(site.wave, title="Wave 3", opens=-500, closes=-420)

    def made(name, status, *, decided=None, touched=None, filled=True):
        application = helpers.make_application(
            call, make_user(None, email=f"{name}@example.org"), status=status, filled=filled
        )
        Application.objects.filter(pk=application.pk).update(
            decided_at=decided, updated_at=touched or timezone.now()
        )
        return application

    return {
        "not_selected_long_ago": made("a", Status.NOT_SELECTED, decided=LONG_AGO),
        "not_selected_recently": made("b", Status.NOT_SELECTED, decided=RECENTLY),
        "selected_long_ago": made("c", Status.SELECTED, decided=LONG_AGO),
        "abandoned_draft": made("d", Status.DRAFT, touched=LONG_AGO),
        "recent_draft": made("e", Status.DRAFT, touched=RECENTLY),
        "empty_old_draft": made("f", Status.DRAFT, touched=LONG_AGO, filled=False),
    }


def test_the_contacts_due_are_found(applications):
    run = apply_retention(erase=False)
    assert run.due["selection_not_selected"] == [applications["not_selected_long_ago"].pk]
    assert run.due["selection_abandoned"] == [applications["abandoned_draft"].pk]


def test_erasing_removes_the_contact_and_keeps_the_application(applications):
    apply_retention(erase=True)

    erased = Application.objects.get(pk=applications["not_selected_long_ago"].pk)
    assert (erased.contact_name, erased.contact_email, erased.contact_phone) == ("", "", "")
    assert erased.erased_at is not None
    assert erased.summary == "Connectors in Eastby's most deprived wards."
    assert erased.status == Status.NOT_SELECTED
    kept = Application.objects.get(pk=applications["selected_long_ago"].pk)
    assert kept.contact_email == "pat@eastshire.example.org"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE, object_id=str(erased.pk))
    assert event.actor_label == "System" and "Pat" not in event.summary
    assert apply_retention(erase=False).due["selection_not_selected"] == []


def test_a_draft_saved_after_the_run_found_it_keeps_its_contact(applications):
    """The applicant saves their old draft just as the daily run reaches it (a call open for
    longer than the period): the run checks again with the row locked, leaves the contact
    and does not count it as erased."""
    from core20.selection import personal_data

    draft = applications["abandoned_draft"]
    rule = next(r for r in personal_data.retention_rules() if r.key == "selection_abandoned")
    (found,) = rule.due(timezone.now(), rule.months)
    Application.objects.filter(pk=draft.pk).update(updated_at=timezone.now())  # the save

    assert erase_if_still_due(rule, found, now=timezone.now()) is False
    draft.refresh_from_db()
    assert draft.erased_at is None and draft.contact_email
    assert apply_retention(erase=True).erased["selection_abandoned"] == []
