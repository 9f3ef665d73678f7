"""Receipts of expense claims are deleted when their retention period ends: months after a
claim was paid or rejected (core20.hours.personal_data, core20.web.retention). The claim,
its amounts and the fact that there was a receipt stay; the file and its name go, and only
once the database change has committed."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core20.audit.models import AuditEvent
from core20.hours import actions
from core20.hours import personal_data as receipts_data
from core20.hours.models import ExpenseClaim, Receipt, get_private_storage
from core20.hours.personal_data import remove_receipts
from core20.web.retention import REASON, apply_retention
from tests.conftest import page_html
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = pytest.mark.django_db

MONTHS = 72
LONG_AGO = 365 * 6 + 40  # days: more than 72 months


@pytest.fixture(autouse=True)
def period(settings):
    settings.CLAIM_RECEIPT_RETENTION_MONTHS = MONTHS


def _paid(connector, people, *, days: int) -> ExpenseClaim:
    claim = helpers.approved_claim(connector, people["connector"], people["host"], "12.50")
    actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])
    ExpenseClaim.objects.filter(pk=claim.pk).update(paid_on=days_ago(days))
    return ExpenseClaim.objects.get(pk=claim.pk)


def _rejected(connector, people, *, days: int) -> ExpenseClaim:
    claim = helpers.submitted_claim(connector, people["connector"], "3.20")
    actions.reject_claim(claim=claim, reason="No ticket", by=people["host"])
    decided = timezone.now() - timedelta(days=days)
    ExpenseClaim.objects.filter(pk=claim.pk).update(decided_at=decided)
    return ExpenseClaim.objects.get(pk=claim.pk)


def _stored(claim: ExpenseClaim) -> list[str]:
    return [r.file.name for r in claim.receipts.all()]


@pytest.fixture
def claims(me, people):
    """Paid and rejected claims on either side of the period, and claims still in progress
    from long ago (never touched)."""
    made = {
        "paid_long_ago": _paid(me, people, days=LONG_AGO),
        "paid_recently": _paid(me, people, days=45),
        "rejected_long_ago": _rejected(me, people, days=LONG_AGO),
        "rejected_recently": _rejected(me, people, days=45),
        "approved": helpers.approved_claim(me, people["connector"], people["host"], "8.00"),
        "submitted": helpers.submitted_claim(me, people["connector"], "2.00"),
        "draft": helpers.draft_claim(me, people["connector"]),
    }
    old = timezone.now() - timedelta(days=LONG_AGO)
    ExpenseClaim.objects.filter(pk=made["approved"].pk).update(decided_at=old)
    return made


def test_only_settled_claims_past_the_period_are_due(claims):
    run = apply_retention(erase=False)
    assert run.due["claim_receipts_paid"] == [claims["paid_long_ago"].pk]
    assert run.due["claim_receipts_rejected"] == [claims["rejected_long_ago"].pk]
    assert run.erased["claim_receipts_paid"] == []
    # Looking erases nothing.
    assert not Receipt.objects.exclude(removed_at=None).exists()


def test_the_period_is_the_setting(claims, settings):
    settings.CLAIM_RECEIPT_RETENTION_MONTHS = 1
    run = apply_retention(erase=False)
    assert set(run.due["claim_receipts_paid"]) == {
        claims["paid_long_ago"].pk,
        claims["paid_recently"].pk,
    }
    assert set(run.due["claim_receipts_rejected"]) == {
        claims["rejected_long_ago"].pk,
        claims["rejected_recently"].pk,
    }


def test_the_run_deletes_the_files_and_keeps_the_claim(claims, django_capture_on_commit_callbacks):
    storage = get_private_storage()
    paid, rejected = claims["paid_long_ago"], claims["rejected_long_ago"]
    files = {c.pk: _stored(c) for c in claims.values()}
    before = [(r.content_type, r.size, r.uploaded_at) for r in paid.receipts.all()]

    with django_capture_on_commit_callbacks(execute=True):
        run = apply_retention(erase=True)

    assert run.erased["claim_receipts_paid"] == [paid.pk]
    assert run.erased["claim_receipts_rejected"] == [rejected.pk]
    for claim in (paid, rejected):
        assert not any(storage.exists(name) for name in files[claim.pk])
        for receipt in claim.receipts.all():
            assert (receipt.name, receipt.file.name) == ("", "")
            assert receipt.removed_at is not None
    assert [(r.content_type, r.size, r.uploaded_at) for r in paid.receipts.all()] == before
    paid.refresh_from_db()
    assert (paid.status, str(paid.total), paid.paid_on) == ("paid", "12.50", days_ago(LONG_AGO))
    assert paid.items.count() == 1
    # Every other claim keeps its files.
    for key in ("paid_recently", "rejected_recently", "approved", "submitted", "draft"):
        assert all(storage.exists(name) for name in files[claims[key].pk]), key


def test_the_removal_is_audited_as_the_system_without_file_names(claims, people):
    claim = claims["paid_long_ago"]
    file_name = claim.receipts.get().name
    apply_retention(erase=True)
    event = AuditEvent.objects.get(
        object_type="hours.ExpenseClaim", object_id=str(claim.pk), verb="delete"
    )
    assert event.actor_id is None
    assert event.summary.startswith(f"Receipts removed: {REASON}")
    assert event.changes == {"receipts": [1, 0]}
    assert file_name not in str(event.changes) + event.summary + event.object_label
    assert "Con Nector" not in event.object_label


def test_a_rerun_finds_nothing_new(claims):
    apply_retention(erase=True)
    events = AuditEvent.objects.count()
    run = apply_retention(erase=True)
    assert run.due["claim_receipts_paid"] == run.due["claim_receipts_rejected"] == []
    assert AuditEvent.objects.count() == events


def test_every_receipt_of_a_claim_goes(me, people, django_capture_on_commit_callbacks):
    claim = helpers.draft_claim(me, people["connector"])
    ticket = helpers.upload("ticket.png", helpers.PNG, "image/png")
    actions.add_receipt(claim=claim, upload=ticket, by=people["connector"])
    actions.submit_claim(claim=claim, by=people["connector"])
    actions.reject_claim(claim=claim, reason="Duplicate", by=people["host"])
    files = _stored(claim)

    with django_capture_on_commit_callbacks(execute=True):
        remove_receipts(claim=claim, by=None, reason="Retention period ended: test")

    assert len(files) == 2
    assert not any(get_private_storage().exists(name) for name in files)
    assert sorted(r.kind for r in claim.receipts.all()) == ["PDF", "PNG"]
    event = AuditEvent.objects.filter(verb="delete").get()
    assert event.changes == {"receipts": [2, 0]}


def test_a_rollback_keeps_the_files(claims, monkeypatch, django_capture_on_commit_callbacks):
    """The audit event fails after the receipts were updated: nothing is lost."""
    claim = claims["paid_long_ago"]
    files = _stored(claim)

    def fails(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(receipts_data, "record", fails)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        remove_receipts(claim=claim, by=None, reason="Retention period ended: test")

    assert callbacks == []
    assert all(get_private_storage().exists(name) for name in files)
    receipt = claim.receipts.get()
    assert receipt.removed_at is None and receipt.name == "receipt.pdf"


def test_the_file_goes_only_after_the_commit(claims, django_capture_on_commit_callbacks):
    claim = claims["paid_long_ago"]
    (name,) = _stored(claim)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        remove_receipts(claim=claim, by=None, reason="Retention period ended: test")
        assert get_private_storage().exists(name)
    assert len(callbacks) == 1
    callbacks[0]()
    assert not get_private_storage().exists(name)


@pytest.mark.parametrize("key", ["draft", "submitted", "approved"])
def test_claims_in_progress_keep_their_receipts(claims, key):
    with pytest.raises(ValidationError, match="only from claims that were paid or rejected"):
        remove_receipts(claim=claims[key], by=None, reason="Retention period ended: test")
    assert claims[key].receipts.get().removed_at is None


def test_removing_twice_is_refused(claims):
    claim = claims["rejected_long_ago"]
    remove_receipts(claim=claim, by=None, reason="Retention period ended: test")
    with pytest.raises(ValidationError, match="already been removed"):
        remove_receipts(claim=claim, by=None, reason="Retention period ended: test")


def test_a_reason_is_needed(claims):
    with pytest.raises(ValidationError):
        remove_receipts(claim=claims["paid_long_ago"], by=None, reason=" ")
    assert claims["paid_long_ago"].receipts.get().removed_at is None


# ---- what people see afterwards ----


@pytest.mark.parametrize("who", ["connector", "host", "lead", "admin"])
def test_the_claim_page_says_when_the_receipt_was_removed(claims, people, who):
    claim = claims["paid_long_ago"]
    receipt = claim.receipts.get()
    remove_receipts(claim=claim, by=None, reason="Retention period ended: test")

    html = page_html(people[who], claim.get_absolute_url())

    today = timezone.localdate()
    assert f"Receipt removed on {today:%-d %B %Y} when the retention period ended" in html
    assert "(PDF, " in html
    assert "receipt.pdf" not in html
    assert reverse("hours:receipt", args=[claim.pk, receipt.pk]) not in html
    assert "£12.50" in html


def test_a_removed_receipt_cannot_be_downloaded(claims, client_as):
    claim = claims["paid_long_ago"]
    receipt = claim.receipts.get()
    url = reverse("hours:receipt", args=[claim.pk, receipt.pk])
    assert client_as("host").get(url).status_code == 200
    remove_receipts(claim=claim, by=None, reason="Retention period ended: test")
    assert client_as("host").get(url).status_code == 404


def test_the_claim_page_of_others_still_links_their_receipts(claims, people):
    remove_receipts(claim=claims["paid_long_ago"], by=None, reason="Retention period ended: test")
    claim = claims["paid_recently"]
    receipt = claim.receipts.get()
    html = page_html(people["host"], claim.get_absolute_url())
    assert reverse("hours:receipt", args=[claim.pk, receipt.pk]) in html
    assert "Receipt removed" not in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_finance_exports_still_include_the_claim(me, people, site, client_as, fmt):
    claim = _paid(me, people, days=0)
    remove_receipts(claim=claim, by=None, reason="Retention period ended: test")

    response = client_as("host").get(
        reverse("hours:export", args=[site.slug]),
        {"start": days_ago(1).isoformat(), "end": days_ago(0).isoformat(), "format": fmt},
    )

    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [r for r in rows if r[1] == f"CLAIM-{claim.pk}"]
        assert cells and cells[0][-1] == "12.50"
    else:
        sheet = load_workbook(io.BytesIO(response.content))["Expense claims"]
        cells = [r for r in sheet.iter_rows(values_only=True) if r[1] == f"CLAIM-{claim.pk}"]
        assert cells and cells[0][-1] == 12.5


def test_the_retention_page_lists_the_rules(claims, people):
    html = page_html(people["admin"], reverse("web:retention"))
    for how in ("paid", "rejected"):
        text = f"Expense claim(s) {how} more than 72 months ago (their receipt files only)"
        assert text in html
        row = html.split(text)[1].split("</tr>")[0]
        assert "CLAIM_RECEIPT_RETENTION_MONTHS" in row
        assert row.rstrip().endswith("1</td>")


def test_the_retention_page_counts_a_removal_as_the_last_erasure(claims, people):
    remove_receipts(claim=claims["paid_long_ago"], by=None, reason=f"{REASON}: test")
    html = page_html(people["admin"], reverse("web:retention"))
    assert f"was erased on {timezone.localdate():%-d %B %Y}" in html


def test_the_privacy_notice_gives_the_period(client, settings):
    settings.CLAIM_RECEIPT_RETENTION_MONTHS = 60
    html = client.get(reverse("web:privacy")).content.decode()
    assert "receipts you upload with a claim are deleted 60 months after" in html


def test_the_command_lists_the_claims_due(claims, capsys):
    call_command("apply_retention")
    out = capsys.readouterr().out
    for how, key in (("paid", "paid_long_ago"), ("rejected", "rejected_long_ago")):
        line = f"1 expense claim(s) {how} more than 72 months ago (their receipt files only)"
        assert f"{line}: {claims[key].pk}" in out
    assert not Receipt.objects.exclude(removed_at=None).exists()


def test_the_commands_help_says_it_removes_receipts(capsys):
    with pytest.raises(SystemExit):
        call_command("apply_retention", "--help")
    help_text = " ".join(capsys.readouterr().out.split())
    assert "the receipt files of paid or rejected expense claims" in help_text
