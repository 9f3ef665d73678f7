"""Hours, expense claims and payments: every change, checked and audited.

Each action names who does it (``by``), checks that they may, validates everything before
saving anything, then saves and records an audit event in one transaction. A
ValidationError (keyed by field where there is one) leaves nothing half-saved.

Who may do what:

- a connector (a ``network.Connector`` whose ``user`` is the person signed in) logs their own
  hours and writes, fills in and submits their own expense claims;
- CLAIM_APPROVE holders at the connector's site (its site lead and host coordinator) and
  national admins do the same for any connector at the site, and also approve hours,
  approve, reject and pay claims, record payments, set time credits and export;
- nobody approves, rejects or pays their own claim, nor approves their own hours;
- nobody approves a claim they prepared for a connector (started or submitted it on the
  connector's behalf): someone else at the site, or a national admin, must approve it. They
  may still reject it, which sends it back.

Claims move draft ──submit──▶ submitted ──approve──▶ approved ──pay──▶ paid, or
submitted ──reject (with a reason)──▶ rejected. Anything else raises ``IllegalTransition``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.files import remove_empty_folders
from core20.hours.files import display_name, validate_receipt
from core20.hours.models import (
    ZERO,
    ExpenseClaim,
    ExpenseItem,
    HoursEntry,
    Payment,
    Receipt,
    TimeCreditSetting,
)

if TYPE_CHECKING:
    from core20.network.models import Connector

Status = ExpenseClaim.Status
MAX_HOURS_PER_DAY = Decimal("24")
MIN_HOURS = Decimal("0.25")
MAX_REASON = 2000


class IllegalTransition(ValidationError):
    """A step the claim's status does not allow."""


# ---- who may ----


def connector_for(user):
    """The connector record of the person signed in, or None."""
    from core20.network.models import Connector

    if user is None or not user.is_authenticated:
        return None
    return own_record(Connector.objects.for_user(user).select_related("site"))


def own_record(records: Iterable) -> Connector | None:
    """Which of a person's connector records their own hours and claims go on: their first
    active one (by id), else their first; None when they have none."""
    records = sorted(records, key=lambda c: c.pk)
    return next((c for c in records if c.is_active), records[0] if records else None)


def is_self(user, connector) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and connector.user_id is not None
        and connector.user_id == user.pk
    )


def may_manage(user, site) -> bool:
    """Coordinators of the site (site lead, host coordinator) and national admins."""
    return has_permission(user, Permission.CLAIM_APPROVE, site=site)


def may_act_for(user, connector) -> bool:
    """The connector themself, or someone who manages their site."""
    return is_self(user, connector) or may_manage(user, connector.site_id)


def may_record_on(user, connector) -> bool:
    """Connectors record for themselves only while active; their coordinators may still
    record for them (for example hours from before a pause)."""
    return connector.is_active or may_manage(user, connector.site_id)


def _require_active_self(user, connector) -> None:
    if not may_record_on(user, connector):
        raise ValidationError(
            "You can record hours and expenses only while you are an active connector. "
            "Ask your coordinator."
        )


def may_see_claim(user, claim: ExpenseClaim) -> bool:
    return is_self(user, claim.connector) or may_manage(user, claim.site_id)


def may_see_payment(user, payment: Payment) -> bool:
    return is_self(user, payment.connector) or may_manage(user, payment.site_id)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_manager_not_claimant(user, claim: ExpenseClaim) -> None:
    _require(may_manage(user, claim.site_id))
    if is_self(user, claim.connector):
        raise PermissionDenied("You cannot decide on or pay your own expense claim.")


def prepared_for_connector(user, claim: ExpenseClaim) -> bool:
    """Whether ``user`` started or submitted ``claim`` on the connector's behalf."""
    if user is None or not user.is_authenticated or is_self(user, claim.connector):
        return False
    return user.pk in (claim.created_by_id, claim.submitted_by_id)


# ---- time credits ----


def credit_setting(site) -> TimeCreditSetting:
    """The site's setting (an unsaved, switched-off one when there is none)."""
    site_id = getattr(site, "pk", site)
    found = TimeCreditSetting.objects.filter(site_id=site_id).first()
    return found or TimeCreditSetting(site_id=site_id, enabled=False)


def set_time_credits(*, site, enabled: bool, hours_per_credit: Decimal | None, by):
    """Switch time credits on or off for a site and set how many hours earn one credit.
    Credits already earned are kept as they were."""
    _require(may_manage(by, site))
    setting = credit_setting(site)
    before = {"enabled": setting.enabled, "hours_per_credit": str(setting.hours_per_credit)}
    setting.enabled = bool(enabled)
    if hours_per_credit is not None:
        setting.hours_per_credit = hours_per_credit
    elif enabled:
        raise ValidationError({"hours_per_credit": "Enter how many hours earn one time credit"})
    setting.updated_by = by
    setting.full_clean(exclude=["site", "updated_by"])
    with transaction.atomic():
        setting.save()
        after = {"enabled": setting.enabled, "hours_per_credit": str(setting.hours_per_credit)}
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=setting,
            site=site,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
            summary="Time credits " + ("switched on" if setting.enabled else "switched off"),
        )
    return setting


# ---- hours ----


def _checked_entry(date: date | None, hours: Decimal | None, activity: str) -> str:
    """The entry's activity text, stripped; a ValidationError naming each field otherwise.
    At most 24 hours a day, never in the future, quarter hours at least."""
    errors: dict[str, list[str]] = {}
    activity = (activity or "").strip()
    if not activity:
        errors.setdefault("activity", []).append("Enter what the hours were for")
    elif len(activity) > 300:
        errors.setdefault("activity", []).append(
            "What the hours were for must be 300 characters or fewer"
        )
    if date is None:
        errors.setdefault("date", []).append("Enter the date you volunteered")
    elif date > timezone.localdate():
        errors.setdefault("date", []).append("The date cannot be in the future")
    if hours is None or not isinstance(hours, Decimal) or not hours.is_finite():
        errors.setdefault("hours", []).append("Enter the number of hours, like 2 or 1.5")
    elif hours < MIN_HOURS:
        errors.setdefault("hours", []).append("Hours must be at least 0.25 (15 minutes)")
    elif hours > MAX_HOURS_PER_DAY:
        errors.setdefault("hours", []).append("Hours must be 24 or fewer")
    elif hours != hours.quantize(Decimal("0.01")):
        errors.setdefault("hours", []).append("Hours can have at most two decimal places")
    if errors:
        raise ValidationError(errors)
    return activity


def _lock_day(connector, date: date, hours: Decimal, *, leaving_out: int | None = None) -> None:
    """Lock the connector (so that two entries for one day cannot both pass) and refuse
    ``hours`` that would take the day over 24 hours with their other entries."""
    from core20.network.models import Connector

    Connector.objects.select_for_update().filter(pk=connector.pk).first()
    others = HoursEntry.objects.filter(connector=connector, date=date).exclude(pk=leaving_out)
    already = others.aggregate(total=Sum("hours"))["total"] or ZERO
    if already + hours > MAX_HOURS_PER_DAY:
        left = MAX_HOURS_PER_DAY - already
        raise ValidationError(
            {
                "hours": f"{already.normalize():f} hours are already logged for "
                f"{date:%-d %B %Y}: you can add at most {left.normalize():f} more"
            }
        )


def log_hours(*, connector, date: date, hours: Decimal, activity: str, by) -> HoursEntry:
    """Log hours a connector volunteered on one day; earns time credits where the site
    gives them. At most 24 hours a day in all, never in the future."""
    _require_may_record(by, connector)
    activity = _checked_entry(date, hours, activity)
    with transaction.atomic():
        _lock_day(connector, date, hours)
        setting = credit_setting(connector.site_id)
        entry = HoursEntry.objects.create(
            connector=connector,
            site_id=connector.site_id,
            date=date,
            hours=hours.quantize(Decimal("0.01")),
            activity=activity,
            credits=setting.credits_for(hours),
            logged_by=by,
        )
        _record_entry(entry, AuditEvent.Verb.CREATE, by, connector, {}, _entry_values(entry))
    return entry


APPROVED_HOURS = "These hours have been approved, so they can no longer be changed or removed."


ERASED = "This connector's personal details were erased; the record is closed."


def _require_not_erased(connector) -> None:
    if connector.erased_at is not None:
        raise ValidationError(ERASED)


def _require_may_record(by, connector) -> None:
    """The connector themself (while active) or their coordinators, never for a connector
    whose details were erased (core20.network.personal_data)."""
    _require(may_act_for(by, connector))
    _require_active_self(by, connector)
    _require_not_erased(connector)


def _require_unapproved(entry: HoursEntry) -> HoursEntry:
    """The entry, re-read and locked, as long as it is not approved (approved hours stand,
    as the site's records rely on them)."""
    current = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if current.approved:
        raise IllegalTransition(APPROVED_HOURS)
    return current


def _entry_values(entry: HoursEntry) -> dict[str, str]:
    return {
        "date": entry.date.isoformat(),
        "hours": str(entry.hours),
        "activity": entry.activity,
        "credits": str(entry.credits),
    }


def _record_entry(entry: HoursEntry, verb: str, by, connector, before: dict, after: dict):
    """Audit a change to an hours entry: each field that changed, as [before, after] (None
    where the entry did not exist)."""
    changes = {
        k: [before.get(k), after.get(k)]
        for k in dict.fromkeys([*before, *after])
        if before.get(k) != after.get(k)
    }
    record(
        actor=by,
        verb=verb,
        obj=entry,
        object_label=f"{entry} for {connector.name}",
        site=connector.site,
        changes=changes,
    )


def correct_hours(
    *, entry: HoursEntry, date: date, hours: Decimal, activity: str, by
) -> HoursEntry:
    """Correct hours not yet approved: the date, the hours (time credits follow the site's
    rate now) or what they were for. The same checks as logging them."""
    connector = entry.connector
    _require_may_record(by, connector)
    activity = _checked_entry(date, hours, activity)
    with transaction.atomic():
        current = _require_unapproved(entry)
        _lock_day(connector, date, hours, leaving_out=current.pk)
        before = _entry_values(current)
        current.date = date
        current.hours = hours.quantize(Decimal("0.01"))
        current.activity = activity
        current.credits = credit_setting(current.site_id).credits_for(hours)
        current.save(update_fields=["date", "hours", "activity", "credits"])
        after = _entry_values(current)
        _record_entry(current, AuditEvent.Verb.UPDATE, by, connector, before, after)
    return current


def remove_hours(*, entry: HoursEntry, by) -> None:
    """Remove hours logged by mistake, while they are not yet approved."""
    _require_may_record(by, entry.connector)
    with transaction.atomic():
        current = _require_unapproved(entry)
        before = _entry_values(current)
        _record_entry(current, AuditEvent.Verb.DELETE, by, entry.connector, before, {})
        current.delete()


APPROVE_ERASED = (
    "These hours cannot be approved: the connector's personal details were erased, so their "
    "record is closed."
)


def approve_hours(*, entry: HoursEntry, by) -> HoursEntry:
    """Approve a connector's hours: a coordinator of their site or a national admin, never
    their own hours, nor those of a connector whose details were erased (their record is
    closed, as for logging, changing or removing hours)."""
    _require(may_manage(by, entry.site_id))
    if is_self(by, entry.connector):
        raise PermissionDenied("You cannot approve your own hours.")
    if entry.approved:
        raise IllegalTransition("These hours have already been approved.")
    from core20.network.models import Connector

    with transaction.atomic():
        # Read again under a lock (as erasing takes it), so an erasure cannot slip in between.
        locked = Connector.objects.select_for_update().only("erased_at")
        if locked.get(pk=entry.connector_id).erased_at is not None:
            raise ValidationError(APPROVE_ERASED)
        # Approve only if no one has meanwhile (two coordinators on the same list): one
        # approval, one audit event.
        now = timezone.now()
        still_waiting = HoursEntry.objects.filter(pk=entry.pk, approved_at__isnull=True)
        if not still_waiting.update(approved_by=by, approved_at=now):
            raise IllegalTransition("These hours have already been approved.")
        entry.approved_by = by
        entry.approved_at = now
        record(
            actor=by,
            verb=AuditEvent.Verb.APPROVE,
            obj=entry,
            object_label=f"{entry} for {entry.connector.name}",
            site=entry.site,
        )
    return entry


def hours_totals(entries) -> dict:
    """{"hours", "approved", "waiting", "credits"} (Decimals) for a queryset of entries, in
    one query: all hours, those a coordinator has approved, those still waiting for approval
    and the time credits (earned when hours are logged, so waiting hours count there too)."""
    totals = entries.aggregate(
        # Not named "hours": a later aggregate could not then sum the field of that name.
        all_hours=Sum("hours"),
        approved=Sum("hours", filter=Q(approved_at__isnull=False)),
        waiting=Sum("hours", filter=Q(approved_at__isnull=True)),
        credits=Sum("credits"),
    )
    return {
        "hours": totals["all_hours"] or ZERO,
        "approved": totals["approved"] or ZERO,
        "waiting": totals["waiting"] or ZERO,
        "credits": totals["credits"] or ZERO,
    }


# ---- expense claims ----


def _claim_label(claim: ExpenseClaim) -> str:
    return f"{claim} ({claim.connector.name})"


def create_claim(*, connector, title: str, by) -> ExpenseClaim:
    _require_may_record(by, connector)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Enter what the claim is for"})
    if len(title) > 200:
        raise ValidationError({"title": "What the claim is for must be 200 characters or fewer"})
    with transaction.atomic():
        claim = ExpenseClaim.objects.create(
            connector=connector, site_id=connector.site_id, title=title, created_by=by
        )
        record(
            actor=by,
            verb=AuditEvent.Verb.CREATE,
            obj=claim,
            object_label=_claim_label(claim),
            site=connector.site,
            changes={"title": [None, title]},
        )
    return claim


def _require_editable(claim: ExpenseClaim, by) -> None:
    _require(may_act_for(by, claim.connector))
    _check_editable(claim)


def _check_editable(claim: ExpenseClaim) -> None:
    if not claim.editable:
        raise IllegalTransition(
            f"This claim is {claim.get_status_display().lower()}: it can no longer be changed."
        )


def _lock_editable(claim: ExpenseClaim) -> None:
    """Inside the change's transaction: lock the claim's row and check again that it can be
    changed, so an item or receipt never lands on a claim submitted (or approved) by someone
    else since the page was loaded (submitting takes the same lock)."""
    _check_editable(ExpenseClaim.objects.select_for_update().get(pk=claim.pk))


def _retotal(claim: ExpenseClaim) -> None:
    claim.total = claim.items.aggregate(total=Sum("amount"))["total"] or ZERO
    claim.save(update_fields=["total"])


def add_item(
    *, claim: ExpenseClaim, date: date, description: str, amount: Decimal, by
) -> ExpenseItem:
    _require_editable(claim, by)
    item = ExpenseItem(
        claim=claim, date=date, description=(description or "").strip(), amount=amount
    )
    errors = {}
    try:
        item.full_clean(exclude=["claim"])
    except ValidationError as exc:
        errors = exc.update_error_dict({})
    if date is not None and date > timezone.localdate():
        errors.setdefault("date", []).append("The date of the expense cannot be in the future")
    if isinstance(amount, Decimal) and amount != amount.quantize(Decimal("0.01")):
        errors.setdefault("amount", []).append("The amount can only have pence, like 4.50")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock_editable(claim)
        item.save()
        _retotal(claim)
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=claim,
            object_label=_claim_label(claim),
            site=claim.site,
            changes={"item": [None, str(item)], "total": [None, str(claim.total)]},
            summary="Added an item",
        )
    return item


def remove_item(*, item: ExpenseItem, by) -> None:
    claim = item.claim
    _require_editable(claim, by)
    with transaction.atomic():
        _lock_editable(claim)
        label = str(item)
        item.delete()
        _retotal(claim)
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=claim,
            object_label=_claim_label(claim),
            site=claim.site,
            changes={"item": [label, None], "total": [None, str(claim.total)]},
            summary="Removed an item",
        )


def add_receipt(*, claim: ExpenseClaim, upload, by) -> Receipt:
    """Attach a receipt (PDF, JPEG or PNG, checked by content, at most 10 MB)."""
    _require_editable(claim, by)
    try:
        content_type = validate_receipt(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = display_name(upload.name)
    with transaction.atomic():
        _lock_editable(claim)
        receipt = Receipt(
            claim=claim,
            name=name,
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        receipt.file.save(name, upload, save=False)
        try:
            receipt.save()
            record(
                actor=by,
                verb=AuditEvent.Verb.UPDATE,
                obj=claim,
                object_label=_claim_label(claim),
                site=claim.site,
                changes={"receipt": [None, name]},
                summary="Added a receipt",
            )
        except Exception:
            # Nothing half-written: no file left behind without its record.
            receipt.file.delete(save=False)
            raise
    return receipt


def remove_receipt(*, receipt: Receipt, by) -> None:
    claim = receipt.claim
    _require_editable(claim, by)
    with transaction.atomic():
        _lock_editable(claim)
        name = receipt.name
        stored = receipt.file.name
        receipt.delete()
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=claim,
            object_label=_claim_label(claim),
            site=claim.site,
            changes={"receipt": [name, None]},
            summary="Removed a receipt",
        )
        transaction.on_commit(lambda: _delete_file(receipt.file.storage, stored))


def _delete_file(storage, name: str) -> None:
    """After the commit: the receipt's file, and its claim's folder if that is now empty."""
    storage.delete(name)
    remove_empty_folders(storage, name)


# The codes of the problems that stop a draft being submitted.
NO_ITEMS = "no_items"
NO_RECEIPT = "no_receipt"


def _receipt_problem(claim: ExpenseClaim) -> str | None:
    """A claim needs a receipt it still holds: one whose file was removed at the end of the
    retention period (an abandoned draft, core20.hours.personal_data) does not count."""
    if claim.receipts.filter(removed_at__isnull=True).exists():
        return None
    removed = claim.receipts.exclude(removed_at=None).order_by("-removed_at").first()
    if removed is None:
        return "Upload at least one receipt"
    return (
        "Upload the receipts again: the ones on this draft were removed on "
        f"{timezone.localtime(removed.removed_at):%-d %B %Y} because the draft had not been "
        "changed for a long time"
    )


def submit_claim(*, claim: ExpenseClaim, by) -> ExpenseClaim:
    _require(may_act_for(by, claim.connector))
    with transaction.atomic():
        # Locked, then checked: the retention run may be removing an old draft's receipts
        # at this moment (core20.hours.personal_data.remove_receipts takes the same lock).
        locked = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != Status.DRAFT:
            raise IllegalTransition(
                f"This claim is {locked.get_status_display().lower()}: only a draft can be "
                "submitted."
            )
        # Each with a code, so that the claim page can link it to where it is put right.
        problems = []
        if not locked.items.exists():
            problems.append(ValidationError("Add at least one item to the claim", code=NO_ITEMS))
        receipt_problem = _receipt_problem(locked)
        if receipt_problem:
            problems.append(ValidationError(receipt_problem, code=NO_RECEIPT))
        if problems:
            raise ValidationError(problems)
        claim.status = Status.SUBMITTED
        claim.submitted_at = timezone.now()
        claim.submitted_by = by
        claim.save(update_fields=["status", "submitted_at", "submitted_by"])
        record(
            actor=by,
            verb=AuditEvent.Verb.SUBMIT,
            obj=claim,
            object_label=_claim_label(claim),
            site=claim.site,
            changes={"status": ["Draft", "Submitted"], "total": [None, str(claim.total)]},
        )
    return claim


def approve_claim(*, claim: ExpenseClaim, by) -> ExpenseClaim:
    _require_manager_not_claimant(by, claim)
    if claim.status != Status.SUBMITTED:
        raise IllegalTransition(
            f"This claim is {claim.get_status_display().lower()}: only a submitted claim "
            "can be approved."
        )
    if prepared_for_connector(by, claim):
        # Four eyes on money: whoever prepares a claim for a connector does not also approve it.
        raise ValidationError(
            {
                "decision": f"You prepared this claim for {claim.connector.name}, so someone "
                "else must approve it: the site lead, another coordinator or a national admin. "
                "You can still reject it."
            }
        )
    with transaction.atomic():
        claim.status = Status.APPROVED
        claim.decided_by = by
        claim.decided_at = timezone.now()
        claim.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            actor=by,
            verb=AuditEvent.Verb.APPROVE,
            obj=claim,
            object_label=_claim_label(claim),
            site=claim.site,
            changes={"status": ["Submitted", "Approved"], "total": [None, str(claim.total)]},
        )
    return claim


def reject_claim(*, claim: ExpenseClaim, reason: str, by) -> ExpenseClaim:
    _require_manager_not_claimant(by, claim)
    if claim.status != Status.SUBMITTED:
        raise IllegalTransition(
            f"This claim is {claim.get_status_display().lower()}: only a submitted claim "
            "can be rejected."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the claim is rejected"})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"The reason must be {MAX_REASON} characters or fewer"})
    with transaction.atomic():
        claim.status = Status.REJECTED
        claim.decided_by = by
        claim.decided_at = timezone.now()
        claim.rejection_reason = reason
        claim.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
        record(
            actor=by,
            verb=AuditEvent.Verb.REJECT,
            obj=claim,
            object_label=_claim_label(claim),
            site=claim.site,
            changes={"status": ["Submitted", "Rejected"], "reason": [None, reason]},
        )
    return claim


def mark_claim_paid(*, claim: ExpenseClaim, paid_on: date, by) -> ExpenseClaim:
    _require_manager_not_claimant(by, claim)
    if claim.status != Status.APPROVED:
        raise IllegalTransition(
            f"This claim is {claim.get_status_display().lower()}: only an approved claim "
            "can be paid."
        )
    if paid_on is None:
        raise ValidationError({"paid_on": "Enter the date the claim was paid"})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": "The date paid cannot be in the future"})
    with transaction.atomic():
        claim.status = Status.PAID
        claim.paid_by = by
        claim.paid_on = paid_on
        claim.save(update_fields=["status", "paid_by", "paid_on"])
        record(
            actor=by,
            verb=AuditEvent.Verb.STATUS,
            obj=claim,
            object_label=_claim_label(claim),
            site=claim.site,
            changes={"status": ["Approved", "Paid"], "paid_on": [None, paid_on.isoformat()]},
        )
    return claim


# ---- payments ----

PAYMENT_FIELDS = (
    "amount",
    "period_start",
    "period_end",
    "paid_on",
    "method",
    "reference",
    "benefits_considerations",
)


def record_payment(*, connector, data: dict, by) -> Payment:
    """Record a payment to a connector in a paid or sessional role."""
    _require(may_manage(by, connector.site_id))
    if is_self(by, connector):
        raise PermissionDenied("You cannot record a payment to yourself.")
    _require_not_erased(connector)
    unknown = set(data) - set(PAYMENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    payment = Payment(connector=connector, site_id=connector.site_id, recorded_by=by, **data)
    errors = {}
    try:
        payment.full_clean(exclude=["connector", "site", "recorded_by"])
    except ValidationError as exc:
        errors = exc.update_error_dict({})
    if payment.period_start and payment.period_end and payment.period_end < payment.period_start:
        errors.setdefault("period_end", []).append(
            "The end of the period must be on or after its start"
        )
    if payment.paid_on and payment.paid_on > timezone.localdate():
        errors.setdefault("paid_on", []).append("The date paid cannot be in the future")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        payment.save()
        record(
            actor=by,
            verb=AuditEvent.Verb.CREATE,
            obj=payment,
            object_label=f"{payment} to {connector.name}",
            site=connector.site,
            # The benefits considerations are personal: the log says only that there are some.
            changes={
                "amount": [None, str(payment.amount)],
                "period": [None, f"{payment.period_start} to {payment.period_end}"],
                "method": [None, payment.get_method_display()],
                "benefits_considerations": [
                    None,
                    "recorded" if payment.benefits_considerations.strip() else "",
                ],
            },
        )
    return payment


# ---- exports ----


def record_export(*, site, start: date, end: date, fmt: str, claims: int, payments: int, by):
    """Audit a finance export (the file itself is built by core20.hours.finance)."""
    _require(may_manage(by, site))
    with transaction.atomic():
        record(
            actor=by,
            verb=AuditEvent.Verb.EXPORT,
            object_type="hours.FinanceExport",
            object_label=f"Finance export for {site}, {start:%-d %b %Y} to {end:%-d %b %Y}",
            site=site,
            changes={
                "format": [None, fmt],
                "from": [None, start.isoformat()],
                "to": [None, end.isoformat()],
                "claims": [None, claims],
                "payments": [None, payments],
            },
        )
