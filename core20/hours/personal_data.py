"""Receipts of expense claims: their files are deleted when the retention period ends
(docs/privacy.md). A receipt is a photo or scan that can show a name, an address or card
digits, and finance needs it only as long as HMRC says records must be kept.

Removed: the file and its name (a file name can name the person). Kept: the claim, its items,
amounts, dates and status, and for each receipt its type, size, when it was uploaded and when
it was removed, so that the claim page and the finance exports still make sense.

Both paid and rejected claims lose their receipts after ``CLAIM_RECEIPT_RETENTION_MONTHS``.
A rejected claim is not a payment record, but it may be queried later (a complaint, or a
counter-fraud check of repeated claims), and one period is simpler to set and explain.

A draft that nobody has changed for ``CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS`` loses its
receipts the same way: it never reached finance, so nothing requires them, and an abandoned
draft would otherwise keep them for ever. Its last change is the newest of when it was
started, when a receipt was uploaded to it, and any audit event a person recorded on it
(adding or removing an item or a receipt): the claim has no ``updated_at`` and its items no
dates, and every change to a draft is audited (core20.hours.actions). The draft stays a
draft; it cannot be submitted until receipts are uploaded again (``submit_claim``).

Submitted claims, and approved claims not yet paid, are never touched: they are finance's
work in progress.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.dates import add_months
from core20.files import remove_empty_folders
from core20.hours.models import ExpenseClaim, Receipt, get_private_storage
from core20.web.retention import Rule

logger = logging.getLogger(__name__)

Status = ExpenseClaim.Status
SETTLED = (Status.PAID, Status.REJECTED)


def _kept(claims: QuerySet[ExpenseClaim]) -> QuerySet[ExpenseClaim]:
    """The claims that still have a receipt file."""
    held = Receipt.objects.filter(claim=OuterRef("pk"), removed_at__isnull=True)
    return claims.filter(Exists(held))


def _untouched(claims: QuerySet[ExpenseClaim], since: datetime) -> QuerySet[ExpenseClaim]:
    """The claims nobody has changed since ``since``: started before it, with no receipt
    uploaded and no audit event recorded by a person on them from then on. (The retention
    run's own removal is recorded as the system, so it is not a change here.)"""
    uploads = Receipt.objects.filter(claim=OuterRef("pk"), uploaded_at__gte=since)
    changes = AuditEvent.objects.filter(
        object_type=ExpenseClaim._meta.label,
        object_id=Cast(OuterRef("pk"), CharField()),
        actor_id__isnull=False,
        created_at__gte=since,
    )
    return claims.filter(created_at__lt=since).exclude(Exists(uploads)).exclude(Exists(changes))


def removal_problem(claim: ExpenseClaim, *, untouched_since: datetime | None = None) -> str | None:
    """Why the claim's receipts cannot be removed, or None. A draft's can be only when
    ``untouched_since`` is given and nobody has changed the draft since then."""
    if claim.status == Status.DRAFT:
        if untouched_since is None:
            return (
                "This claim is a draft: receipts are removed only from claims that were paid "
                "or rejected, or from drafts left untouched for the retention period."
            )
        if not _untouched(ExpenseClaim.objects.filter(pk=claim.pk), untouched_since).exists():
            return (
                f"This draft was changed after {timezone.localtime(untouched_since):%-d %B %Y}: "
                "its receipts are kept."
            )
    elif claim.status not in SETTLED:
        return (
            f"This claim is {claim.get_status_display().lower()}: receipts are removed only "
            "from claims that were paid or rejected."
        )
    if not claim.receipts.filter(removed_at__isnull=True).exists():
        return "This claim's receipts have already been removed."
    return None


@transaction.atomic
def remove_receipts(
    *, claim: ExpenseClaim, by, reason: str, untouched_since: datetime | None = None
) -> ExpenseClaim:
    """Delete the receipt files of a paid or rejected claim, or of a draft nobody has changed
    since ``untouched_since``, and blank their names; the receipts stay as records of what
    there was. ``by`` is None for the retention run (the only caller today; a person acting
    on a request would need the caller to check their permission). The claim's row is locked
    before it is checked, so a draft submitted or changed while the run looks at it keeps
    its receipts (``submit_claim`` takes the same lock). The files go only once the database
    change has committed, so a rollback never loses a file that the records still point to."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the receipts are being removed"})
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    problem = removal_problem(claim, untouched_since=untouched_since)
    if problem:
        raise ValidationError({"reason": problem})
    receipts = list(claim.receipts.filter(removed_at__isnull=True))
    stored = [r.file.name for r in receipts if r.file.name]
    now = timezone.now()
    Receipt.objects.filter(pk__in=[r.pk for r in receipts]).update(file="", name="", removed_at=now)
    # No file names in the log: they are what is being removed.
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=claim,
        object_label=str(claim),
        site=claim.site_id,
        changes={"receipts": [len(receipts), 0]},
        summary=f"Receipts removed: {reason}",
    )
    transaction.on_commit(lambda: _delete_files(stored))
    return claim


def _delete_files(names: Iterable[str]) -> None:
    """After the commit: a file that cannot be deleted is logged and left, never retried
    (its record already says it is gone), so that the others still go. The claim's folder
    goes too once it is empty."""
    storage = get_private_storage()
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete the receipt file %s", name)
        else:
            remove_empty_folders(storage, name)


# ---- retention (core20.web.retention) ----


def _paid(now: datetime, months: int) -> QuerySet[ExpenseClaim]:
    cutoff = add_months(timezone.localdate(now), -months)
    claims = ExpenseClaim.objects.filter(status=Status.PAID, paid_on__lt=cutoff)
    return _kept(claims).order_by("pk")


def _rejected(now: datetime, months: int) -> QuerySet[ExpenseClaim]:
    claims = ExpenseClaim.objects.filter(
        status=Status.REJECTED, decided_at__lt=add_months(now, -months)
    )
    return _kept(claims).order_by("pk")


def _abandoned(now: datetime, months: int) -> QuerySet[ExpenseClaim]:
    claims = ExpenseClaim.objects.filter(status=Status.DRAFT)
    return _kept(_untouched(claims, add_months(now, -months))).order_by("pk")


def _remove(claim: ExpenseClaim, reason: str) -> ExpenseClaim:
    return remove_receipts(claim=claim, by=None, reason=reason)


def _remove_abandoned(claim: ExpenseClaim, reason: str) -> ExpenseClaim:
    """The run has checked, with the claim locked, that nobody changed the draft since it
    found it (core20.web.retention.erase_if_still_due); the action checks again itself."""
    months = settings.CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS
    return remove_receipts(
        claim=claim, by=None, reason=reason, untouched_since=add_months(timezone.now(), -months)
    )


def retention_rules() -> list[Rule]:
    return [
        Rule(
            "claim_receipts_paid",
            "expense claim(s) paid more than {months} months ago (their receipt files only)",
            "CLAIM_RECEIPT_RETENTION_MONTHS",
            _paid,
            _remove,
        ),
        Rule(
            "claim_receipts_rejected",
            "expense claim(s) rejected more than {months} months ago (their receipt files only)",
            "CLAIM_RECEIPT_RETENTION_MONTHS",
            _rejected,
            _remove,
        ),
        Rule(
            "claim_receipts_draft",
            "draft expense claim(s) untouched for {months} months (their receipt files only)",
            "CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS",
            _abandoned,
            _remove_abandoned,
        ),
    ]
