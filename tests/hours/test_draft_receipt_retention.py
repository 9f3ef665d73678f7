"""Receipts on draft expense claims that nobody has changed for
CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS are deleted by the retention run, the same way as those
of paid or rejected claims (core20.hours.personal_data). The draft stays a draft and cannot
be submitted until receipts are uploaded again. Submitted and approved claims, however old,
are finance's work in progress and keep theirs."""

import json
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.dates import add_months
from core20.hours import actions
from core20.hours.models import ExpenseClaim, Receipt, get_private_storage
from core20.hours.personal_data import remove_receipts
from core20.settings import base
from core20.web import retention
from core20.web.retention import REASON, apply_retention, erase_if_still_due, rules
from tests.conftest import page_html
from tests.hours import helpers

pytestmark = pytest.mark.django_db

MONTHS = 24
KEY = "claim_receipts_draft"
REMOVED = "Receipt removed on {:%-d %B %Y} when the retention period ended"


@pytest.fixture(autouse=True)
def period(settings):
    settings.CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS = MONTHS


@contextmanager
def clock(moment: datetime):
    """Everything done inside happens at ``moment``: the claim's dates, its receipts' upload
    times and its audit events (which cannot be changed afterwards)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def period_start() -> datetime:
    return add_months(timezone.now(), -MONTHS)


def _draft(me, people, *, at: datetime) -> ExpenseClaim:
    with clock(at):
        return helpers.draft_claim(me, people["connector"])


def _abandoned(me, people) -> ExpenseClaim:
    return _draft(me, people, at=period_start() - timedelta(days=3))


def _stored(claim: ExpenseClaim) -> list[str]:
    return [r.file.name for r in claim.receipts.all()]


def _rule():
    return next(rule for rule in rules() if rule.key == KEY)


def test_the_default_period_is_two_years():
    assert base.CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS == 24


def test_a_draft_is_due_once_untouched_for_the_whole_period(me, people):
    over = _draft(me, people, at=period_start() - timedelta(minutes=1))
    under = _draft(me, people, at=period_start() + timedelta(minutes=1))

    run = apply_retention(erase=False)

    assert run.due[KEY] == [over.pk]
    assert under.pk not in run.due[KEY]
    # Looking erases nothing.
    assert not Receipt.objects.exclude(removed_at=None).exists()


def test_the_period_is_the_setting(me, people, settings):
    claim = _draft(me, people, at=timezone.now() - timedelta(days=200))
    assert apply_retention(erase=False).due[KEY] == []
    settings.CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS = 6
    assert apply_retention(erase=False).due[KEY] == [claim.pk]


def _upload(claim, people):
    ticket = helpers.upload("ticket.png", helpers.PNG, "image/png")
    actions.add_receipt(claim=claim, upload=ticket, by=people["connector"])


def _add_item(claim, people):
    actions.add_item(
        claim=claim,
        date=helpers.days_ago(1),
        description="Taxi",
        amount=Decimal("7.00"),
        by=people["connector"],
    )


def _remove_item(claim, people):
    actions.remove_item(item=claim.items.first(), by=people["connector"])


def _coordinator_adds_item(claim, people):
    actions.add_item(
        claim=claim,
        date=helpers.days_ago(1),
        description="Parking",
        amount=Decimal("2.00"),
        by=people["host"],
    )


@pytest.mark.parametrize("change", [_upload, _add_item, _remove_item, _coordinator_adds_item])
def test_any_recent_change_keeps_the_draft_out_of_the_run(me, people, change):
    claim = _abandoned(me, people)
    if change is _remove_item:
        with clock(period_start() - timedelta(days=2)):
            _add_item(claim, people)
    assert apply_retention(erase=False).due[KEY] == [claim.pk]

    with clock(period_start() + timedelta(days=1)):
        change(claim, people)

    assert apply_retention(erase=False).due[KEY] == []


def test_a_draft_with_no_receipts_is_not_due(me, people):
    with clock(period_start() - timedelta(days=3)):
        helpers.draft_claim(me, people["connector"], receipt=False)
    assert apply_retention(erase=False).due[KEY] == []


def test_submitted_and_approved_claims_are_never_due_however_old(me, people):
    with clock(period_start() - timedelta(days=400)):
        helpers.submitted_claim(me, people["connector"], "2.00")
        helpers.approved_claim(me, people["connector"], people["host"], "8.00")

    run = apply_retention(erase=False)

    assert run.due[KEY] == []
    assert run.due["claim_receipts_paid"] == run.due["claim_receipts_rejected"] == []


def test_the_run_deletes_the_files_and_keeps_the_draft(
    me, people, django_capture_on_commit_callbacks
):
    claim = _abandoned(me, people)
    recent = _draft(me, people, at=timezone.now() - timedelta(days=30))
    with clock(period_start() - timedelta(days=400)):
        submitted = helpers.submitted_claim(me, people["connector"], "2.00")
    files = {c.pk: _stored(c) for c in (claim, recent, submitted)}
    before = [(r.content_type, r.size, r.uploaded_at) for r in claim.receipts.all()]
    storage = get_private_storage()

    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(erase=True)

    assert run.erased[KEY] == [claim.pk]
    assert not any(storage.exists(name) for name in files[claim.pk])
    receipt = claim.receipts.get()
    assert (receipt.name, receipt.file.name) == ("", "")
    assert receipt.removed_at is not None
    assert [(r.content_type, r.size, r.uploaded_at) for r in claim.receipts.all()] == before
    claim.refresh_from_db()
    assert (claim.status, str(claim.total), claim.items.count()) == ("draft", "4.50", 1)
    for other in (recent, submitted):
        assert all(storage.exists(name) for name in files[other.pk])
        assert other.receipts.get().removed_at is None


def test_the_removal_is_audited_as_the_system_without_file_names(me, people):
    claim = _abandoned(me, people)
    apply_retention(erase=True)
    event = AuditEvent.objects.get(
        object_type="hours.ExpenseClaim", object_id=str(claim.pk), verb="delete"
    )
    assert event.actor_id is None
    assert event.summary.startswith(f"Receipts removed: {REASON}")
    assert "untouched for 24 months" in event.summary
    assert event.changes == {"receipts": [1, 0]}
    assert "receipt.pdf" not in str(event.changes) + event.summary + event.object_label


def test_a_rerun_does_nothing(me, people):
    _abandoned(me, people)
    apply_retention(erase=True)
    events = AuditEvent.objects.count()
    removed = list(Receipt.objects.values_list("pk", "removed_at"))

    run = apply_retention(erase=True)

    assert run.due[KEY] == run.erased[KEY] == []
    assert AuditEvent.objects.count() == events
    assert list(Receipt.objects.values_list("pk", "removed_at")) == removed


# ---- the race: the connector changes the draft while the run is removing its receipts ----


def test_a_draft_changed_after_the_run_found_it_keeps_its_receipts(me, people):
    claim = _abandoned(me, people)
    rule = _rule()
    (found,) = rule.due(timezone.now(), rule.months)
    _add_item(claim, people)  # the connector, at this moment

    assert erase_if_still_due(rule, found, now=timezone.now()) is False

    assert claim.receipts.get().removed_at is None
    assert not AuditEvent.objects.filter(verb="delete").exists()


def test_a_draft_submitted_after_the_run_found_it_keeps_its_receipts(me, people):
    claim = _abandoned(me, people)
    rule = _rule()
    (found,) = rule.due(timezone.now(), rule.months)
    actions.submit_claim(claim=claim, by=people["connector"])

    assert erase_if_still_due(rule, found, now=timezone.now()) is False

    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert claim.receipts.get().removed_at is None


def test_the_removal_checks_again_under_the_lock(me, people):
    claim = _abandoned(me, people)
    since = period_start()
    _upload(claim, people)

    with pytest.raises(ValidationError, match="This draft was changed after"):
        remove_receipts(claim=claim, by=None, reason="test", untouched_since=since)

    assert not claim.receipts.exclude(removed_at=None).exists()


def test_a_draft_changed_during_the_run_does_not_stop_it(me, people, monkeypatch):
    """The connector edits the first draft just as the run reaches it: it keeps its
    receipts and the run goes on to the next draft."""
    first = _abandoned(me, people)
    second = _abandoned(me, people)
    erase = retention.erase_if_still_due

    def connector_edits_first(rule, record, **kwargs):
        if record.pk == first.pk:
            _add_item(first, people)
        return erase(rule, record, **kwargs)

    monkeypatch.setattr(retention, "erase_if_still_due", connector_edits_first)

    run = apply_retention(erase=True)

    assert first.receipts.get().removed_at is None
    assert second.receipts.get().removed_at is not None
    assert run.due[KEY] == [first.pk, second.pk]
    assert run.erased[KEY] == [second.pk]  # the summary counts only what went


# ---- what the connector sees afterwards ----


def test_the_draft_page_says_the_receipt_was_removed_and_to_upload_it_again(me, people):
    claim = _abandoned(me, people)
    receipt = claim.receipts.get()
    apply_retention(erase=True)

    html = page_html(people["connector"], claim.get_absolute_url())

    assert REMOVED.format(timezone.localdate()) in html
    assert "Upload the receipt again before you submit the claim" in html
    assert "receipt.pdf" not in html
    assert reverse("hours:receipt", args=[claim.pk, receipt.pk]) not in html
    assert reverse("hours:receipt-add", args=[claim.pk]) in html


def test_a_settled_claim_page_does_not_ask_for_the_receipt_again(me, people):
    claim = helpers.submitted_claim(me, people["connector"], "3.20")
    actions.reject_claim(claim=claim, reason="No ticket", by=people["host"])
    remove_receipts(claim=claim, by=None, reason="test")

    html = page_html(people["connector"], claim.get_absolute_url())

    assert REMOVED.format(timezone.localdate()) in html
    assert "Upload the receipt again" not in html


def test_the_draft_cannot_be_submitted_until_receipts_are_uploaded_again(me, people, client_as):
    claim = _abandoned(me, people)
    apply_retention(erase=True)
    client = client_as("connector")

    response = client.post(reverse("hours:claim-submit", args=[claim.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert (
        "Upload the receipts again: the ones on this draft were removed on "
        f"{timezone.localdate():%-d %B %Y} because the draft had not been changed for a long time"
    ) in html
    claim.refresh_from_db()
    assert claim.status == "draft"

    ticket = helpers.upload("ticket.png", helpers.PNG, "image/png")
    client.post(reverse("hours:receipt-add", args=[claim.pk]), {"file": ticket})
    response = client.post(reverse("hours:claim-submit", args=[claim.pk]))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_the_api_refuses_to_submit_it_with_the_same_message(me, people, client_as):
    claim = _abandoned(me, people)
    apply_retention(erase=True)

    response = client_as("connector").post(
        f"/api/v1/hours/claims/{claim.pk}/submit", json.dumps({}), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("Upload the receipts again")


# ---- the retention page and the command pick the rule up ----


def test_the_retention_page_lists_the_rule(me, people):
    _abandoned(me, people)
    html = page_html(people["admin"], reverse("web:retention"))
    text = "Draft expense claim(s) untouched for 24 months (their receipt files only)"
    assert text in html
    row = html.split(text)[1].split("</tr>")[0]
    assert "CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS" in row
    assert row.rstrip().endswith("1</td>")


def test_the_command_lists_the_drafts_due(me, people, capsys):
    claim = _abandoned(me, people)
    call_command("apply_retention")
    out = capsys.readouterr().out
    line = "1 draft expense claim(s) untouched for 24 months (their receipt files only)"
    assert f"{line}: {claim.pk}" in out
    assert claim.receipts.get().removed_at is None


def test_the_privacy_notice_gives_the_drafts_period(client, settings):
    settings.CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS = 18
    html = client.get(reverse("web:privacy")).content.decode()
    assert "or 18 months after you last changed a claim you never sent" in html
