"""Hours, time credits, claims and payments through the actions: who may, what is checked,
what is saved (all or nothing) and what is audited."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core20.audit.models import AuditEvent
from core20.hours import actions
from core20.hours.models import ExpenseClaim, HoursEntry, Payment, Receipt
from core20.network.models import Connector
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = pytest.mark.django_db
Status = ExpenseClaim.Status


# ---- hours and time credits ----


def test_hours_earn_credits_only_where_the_site_gives_them(me, people, site):
    plain = helpers.log(me, people["connector"], "3")
    assert plain.credits == Decimal("0.00")
    actions.set_time_credits(
        site=site, enabled=True, hours_per_credit=Decimal("2"), by=people["host"]
    )
    # 3 hours at one credit per 2 hours = 1.5 credits; 0.5 hours = 0.25 credits.
    assert helpers.log(me, people["connector"], "3", day=2).credits == Decimal("1.50")
    assert helpers.log(me, people["connector"], "0.5", day=3).credits == Decimal("0.25")
    totals = actions.hours_totals(HoursEntry.objects.filter(connector=me))
    assert totals == {
        "hours": Decimal("6.50"),
        "approved": Decimal("0"),
        "waiting": Decimal("6.50"),
        "credits": Decimal("1.75"),
    }
    # Switching credits off keeps what was earned.
    actions.set_time_credits(site=site, enabled=False, hours_per_credit=None, by=people["lead"])
    assert actions.hours_totals(HoursEntry.objects.filter(connector=me))["credits"] == Decimal(
        "1.75"
    )


def test_time_credits_need_a_rate_and_a_coordinator(site, people):
    with pytest.raises(ValidationError) as exc:
        actions.set_time_credits(site=site, enabled=True, hours_per_credit=None, by=people["host"])
    assert "hours_per_credit" in exc.value.message_dict
    for who in ("connector", "analyst", "other_lead"):
        with pytest.raises(PermissionDenied):
            actions.set_time_credits(
                site=site, enabled=True, hours_per_credit=Decimal("1"), by=people[who]
            )
    setting = actions.set_time_credits(
        site=site, enabled=True, hours_per_credit=Decimal("1.5"), by=people["lead"]
    )
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, site_id=site.pk)
    assert event.changes["enabled"] == [False, True]
    assert setting.credits_per_hour == Decimal("0.67")


def test_no_more_than_24_hours_a_day_in_all(me, people):
    helpers.log(me, people["connector"], "20")
    with pytest.raises(ValidationError) as exc:
        helpers.log(me, people["host"], "5")
    assert exc.value.message_dict["hours"] == [
        f"20 hours are already logged for {days_ago(1):%-d %B %Y}: you can add at most 4 more"
    ]
    assert HoursEntry.objects.count() == 1
    helpers.log(me, people["host"], "4")  # exactly 24 is allowed
    helpers.log(me, people["connector"], "8", day=2)  # another day is separate
    assert HoursEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("hours", "day", "activity", "field", "message"),
    [
        ("0", 1, "Stall", "hours", "Hours must be at least 0.25 (15 minutes)"),
        ("-2", 1, "Stall", "hours", "Hours must be at least 0.25 (15 minutes)"),
        ("24.5", 1, "Stall", "hours", "Hours must be 24 or fewer"),
        ("1.555", 1, "Stall", "hours", "Hours can have at most two decimal places"),
        ("2", -1, "Stall", "date", "The date cannot be in the future"),
        ("2", 1, "   ", "activity", "Enter what the hours were for"),
    ],
)
def test_bad_hours_are_refused_with_a_message(me, people, hours, day, activity, field, message):
    with pytest.raises(ValidationError) as exc:
        helpers.log(me, people["connector"], hours, day=day, activity=activity)
    assert exc.value.message_dict[field] == [message]
    assert not HoursEntry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_who_may_log_hours_for_a_connector(me, bea, far, people):
    # Connectors log their own; never someone else's.
    with pytest.raises(PermissionDenied):
        helpers.log(bea, people["connector"])
    for who in ("analyst", "other_lead"):
        with pytest.raises(PermissionDenied):
            helpers.log(me, people[who])
    with pytest.raises(PermissionDenied):
        helpers.log(far, people["lead"])
    entry = helpers.log(bea, people["host"], "1.5")
    assert entry.logged_by == people["host"] and entry.site == bea.site
    helpers.log(far, people["admin"])
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE).first()
    assert event.site_id == far.site_id


def test_a_connector_who_is_not_active_asks_their_coordinator(me, people):
    me.status = Connector.Status.PAUSED
    me.save()
    with pytest.raises(ValidationError, match="only while you are an active connector"):
        helpers.log(me, people["connector"])
    with pytest.raises(ValidationError, match="only while you are an active connector"):
        actions.create_claim(connector=me, title="Bus", by=people["connector"])
    assert helpers.log(me, people["host"]).logged_by == people["host"]


def test_approving_hours_is_for_coordinators_and_never_your_own(me, site, people):
    entry = helpers.log(me, people["connector"])
    with pytest.raises(PermissionDenied):
        actions.approve_hours(entry=entry, by=people["connector"])
    with pytest.raises(PermissionDenied):
        actions.approve_hours(entry=entry, by=people["other_lead"])
    # A host coordinator who is also a connector cannot approve their own hours.
    host_record = helpers.connector(site, user=people["host"], name="Hal Host")
    own = helpers.log(host_record, people["host"])
    with pytest.raises(PermissionDenied):
        actions.approve_hours(entry=own, by=people["host"])
    actions.approve_hours(entry=entry, by=people["host"])
    entry.refresh_from_db()
    assert entry.approved and entry.approved_by == people["host"]
    with pytest.raises(actions.IllegalTransition):
        actions.approve_hours(entry=entry, by=people["lead"])
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.APPROVE).count() == 1


def test_hours_not_yet_approved_can_be_corrected_with_the_same_checks(me, site, people):
    entry = helpers.log(me, people["connector"], "2", activity="Coffee mornin")
    actions.set_time_credits(
        site=site, enabled=True, hours_per_credit=Decimal("2"), by=people["host"]
    )
    fixed = actions.correct_hours(
        entry=entry, date=days_ago(2), hours=Decimal("3"), activity=" Coffee morning ",
        by=people["connector"],
    )  # fmt: skip
    fixed.refresh_from_db()
    assert (fixed.date, fixed.hours) == (days_ago(2), Decimal("3.00"))
    assert fixed.activity == "Coffee morning"
    assert fixed.credits == Decimal("1.50")  # the site's rate now
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, object_type="hours.HoursEntry")
    assert event.changes["hours"] == ["2.00", "3.00"]
    assert event.changes["activity"] == ["Coffee mornin", "Coffee morning"]
    assert event.site_id == site.pk
    # The same checks as logging: not in the future, and 24 hours a day with other entries
    # (but not counting the entry's own old hours).
    with pytest.raises(ValidationError) as exc:
        actions.correct_hours(
            entry=fixed, date=days_ago(-1), hours=Decimal("3"), activity="Stall",
            by=people["connector"],
        )  # fmt: skip
    assert exc.value.message_dict["date"] == ["The date cannot be in the future"]
    helpers.log(me, people["connector"], "20", day=2)
    with pytest.raises(ValidationError) as exc:
        actions.correct_hours(
            entry=fixed, date=days_ago(2), hours=Decimal("5"), activity="Stall",
            by=people["connector"],
        )  # fmt: skip
    assert "you can add at most 4 more" in exc.value.message_dict["hours"][0]
    actions.correct_hours(
        entry=fixed, date=days_ago(2), hours=Decimal("4"), activity="Stall", by=people["host"]
    )
    fixed.refresh_from_db()
    assert fixed.hours == Decimal("4.00")


def test_only_the_connector_and_their_coordinators_change_hours_until_approved(
    me, bea, site, people
):
    entry = helpers.log(me, people["connector"])
    change = {"date": days_ago(1), "hours": Decimal("1"), "activity": "Stall"}
    for who in ("bea_user", "analyst", "other_lead"):
        with pytest.raises(PermissionDenied):
            actions.correct_hours(entry=entry, by=people[who], **change)
        with pytest.raises(PermissionDenied):
            actions.remove_hours(entry=entry, by=people[who])
    actions.approve_hours(entry=entry, by=people["host"])
    for who in ("connector", "lead"):
        with pytest.raises(actions.IllegalTransition, match="approved"):
            actions.correct_hours(entry=entry, by=people[who], **change)
        with pytest.raises(actions.IllegalTransition, match="approved"):
            actions.remove_hours(entry=entry, by=people[who])
    entry.refresh_from_db()
    assert entry.hours == Decimal("2.00")


def test_hours_logged_by_mistake_are_removed_with_an_audit_record(me, site, people):
    entry = helpers.log(me, people["connector"], "2.5")
    actions.remove_hours(entry=entry, by=people["host"])
    assert not HoursEntry.objects.exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE, object_type="hours.HoursEntry")
    assert event.object_id == str(entry.pk) and event.actor_id == people["host"].pk
    assert event.changes["hours"] == ["2.50", None] and event.site_id == site.pk


# ---- expense claims ----


def test_claim_totals_are_exact_to_the_penny(me, people):
    claim = helpers.draft_claim(me, people["connector"], "0.10", "0.20", "33.33", "33.33", "33.33")
    claim.refresh_from_db()
    assert claim.total == Decimal("100.29")
    actions.remove_item(item=claim.items.get(amount=Decimal("0.20")), by=people["connector"])
    claim.refresh_from_db()
    assert claim.total == Decimal("100.09")


def test_items_are_checked(me, people):
    claim = actions.create_claim(connector=me, title="Travel", by=people["connector"])
    with pytest.raises(ValidationError) as exc:
        actions.add_item(
            claim=claim, date=days_ago(-2), description="", amount=Decimal("0"), by=me.user
        )
    errors = exc.value.message_dict
    assert errors["date"] == ["The date of the expense cannot be in the future"]
    assert "description" in errors and "amount" in errors
    assert not claim.items.exists()


def test_claim_workflow_from_draft_to_paid(me, people):
    claim = helpers.draft_claim(me, people["connector"], "12.50", receipt=False)
    with pytest.raises(ValidationError) as exc:
        actions.submit_claim(claim=claim, by=people["connector"])
    assert exc.value.messages == ["Upload at least one receipt"]
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    actions.add_receipt(claim=claim, upload=helpers.upload(), by=people["connector"])
    actions.submit_claim(claim=claim, by=people["connector"])
    # Submitted claims cannot be changed.
    with pytest.raises(actions.IllegalTransition):
        actions.add_item(
            claim=claim, date=days_ago(1), description="More", amount=Decimal("1"), by=me.user
        )
    with pytest.raises(actions.IllegalTransition):
        actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])
    # The claimant, another site's lead and an analyst cannot approve.
    for who in ("connector", "other_lead", "analyst"):
        with pytest.raises(PermissionDenied):
            actions.approve_claim(claim=claim, by=people[who])
    actions.approve_claim(claim=claim, by=people["host"])
    assert claim.decided_by == people["host"]
    with pytest.raises(actions.IllegalTransition):
        actions.reject_claim(claim=claim, reason="Late", by=people["lead"])
    actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])
    claim.refresh_from_db()
    assert claim.status == Status.PAID and claim.paid_on == days_ago(0)
    verbs = list(
        AuditEvent.objects.filter(object_type="hours.ExpenseClaim")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs[0] == "create"
    assert verbs[-3:] == ["submit", "approve", "status"]


def test_rejecting_needs_a_reason_the_connector_sees(me, people):
    claim = helpers.submitted_claim(me, people["connector"])
    with pytest.raises(ValidationError) as exc:
        actions.reject_claim(claim=claim, reason="  ", by=people["lead"])
    assert exc.value.message_dict == {"reason": ["Enter why the claim is rejected"]}
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED
    actions.reject_claim(claim=claim, reason="No receipt for the taxi", by=people["lead"])
    claim.refresh_from_db()
    assert claim.status == Status.REJECTED
    assert claim.rejection_reason == "No receipt for the taxi"
    with pytest.raises(actions.IllegalTransition):
        actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])


def test_nobody_approves_or_pays_their_own_claim(site, people):
    # A site lead who is also a connector at their site.
    lead_record = helpers.connector(site, user=people["lead"], name="Lee Lead")
    claim = helpers.submitted_claim(lead_record, people["lead"])
    with pytest.raises(PermissionDenied, match="your own expense claim"):
        actions.approve_claim(claim=claim, by=people["lead"])
    actions.approve_claim(claim=claim, by=people["host"])
    with pytest.raises(PermissionDenied):
        actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])
    actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["admin"])


def test_whoever_prepares_a_claim_for_a_connector_does_not_approve_it(me, people):
    # The host coordinator fills in and submits a claim for the connector.
    claim = helpers.submitted_claim(me, people["host"], "30.00")
    assert claim.submitted_by == people["host"]
    with pytest.raises(ValidationError) as error:
        actions.approve_claim(claim=claim, by=people["host"])
    assert "someone else must approve it" in error.value.message_dict["decision"][0]
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED and claim.decided_by is None
    # Someone else at the site approves it; a national admin could too.
    actions.approve_claim(claim=claim, by=people["lead"])
    assert claim.status == Status.APPROVED and claim.decided_by == people["lead"]


def test_starting_a_claim_for_a_connector_counts_as_preparing_it(me, people):
    # The coordinator starts it; the connector adds the items and submits it.
    claim = actions.create_claim(connector=me, title="Bus fares", by=people["host"])
    actions.add_item(
        claim=claim, date=days_ago(2), description="Bus", amount=Decimal("3.10"),
        by=people["connector"],
    )  # fmt: skip
    actions.add_receipt(claim=claim, upload=helpers.upload(), by=people["connector"])
    actions.submit_claim(claim=claim, by=people["connector"])
    assert actions.prepared_for_connector(people["host"], claim)
    assert not actions.prepared_for_connector(people["lead"], claim)
    with pytest.raises(ValidationError):
        actions.approve_claim(claim=claim, by=people["host"])
    # Rejecting sends it back, so the preparer may do that.
    actions.reject_claim(claim=claim, reason="Add the date of the return trip", by=people["host"])
    assert claim.status == Status.REJECTED


def test_a_connectors_own_claim_is_approved_by_any_coordinator(me, people):
    claim = helpers.submitted_claim(me, people["connector"], "8.00")
    assert claim.submitted_by == people["connector"]
    assert not actions.prepared_for_connector(people["host"], claim)
    actions.approve_claim(claim=claim, by=people["host"])
    assert claim.status == Status.APPROVED


# ---- receipts ----


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("receipt.pdf", helpers.PDF, "application/pdf"),
        ("photo.JPG", helpers.JPEG, "image/jpeg"),
        ("photo.jpeg", helpers.JPEG, "image/jpeg"),
        ("scan.png", helpers.PNG, "image/png"),
    ],
)
def test_receipts_of_each_kind_are_accepted(me, people, name, content, content_type):
    claim = actions.create_claim(connector=me, title="Travel", by=people["connector"])
    receipt = actions.add_receipt(
        claim=claim, upload=helpers.upload(name, content, "text/plain"), by=people["connector"]
    )
    # The content type comes from what the file is, not from what the browser said.
    assert receipt.content_type == content_type
    assert receipt.name == name and receipt.size == len(content)
    with receipt.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("receipt.gif", b"GIF89a" + b"\x00" * 10, "The receipt must be a PDF, JPEG or PNG file"),
        ("receipt.pdf", b"MZ\x90\x00 a program", "is not a real PDF file"),
        ("photo.png", helpers.JPEG, "is not a real PNG file"),
        ("photo.jpg", b"<html>hello</html>", "is not a real JPEG file"),
        ("receipt.pdf", b"", "The selected file is empty"),
    ],
)
def test_bad_receipts_are_refused_and_nothing_is_stored(me, people, media, name, content, message):
    claim = actions.create_claim(connector=me, title="Travel", by=people["connector"])
    with pytest.raises(ValidationError) as exc:
        actions.add_receipt(claim=claim, upload=helpers.upload(name, content), by=me.user)
    assert message in exc.value.message_dict["file"][0]
    assert not Receipt.objects.exists()
    assert not (media / "hours").exists() or not any((media / "hours").rglob("*.*"))


def test_receipts_over_10_mb_are_refused(me, people):
    claim = actions.create_claim(connector=me, title="Travel", by=people["connector"])
    big = SimpleUploadedFile("scan.pdf", helpers.PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        actions.add_receipt(claim=claim, upload=big, by=people["connector"])
    assert exc.value.message_dict["file"][0].startswith("The receipt must be smaller than 10 MB")


def test_removing_a_receipt_deletes_the_file(me, people, django_capture_on_commit_callbacks):
    claim = helpers.draft_claim(me, people["connector"])
    receipt = claim.receipts.get()
    path = receipt.file.path
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_receipt(receipt=receipt, by=people["connector"])
    import os

    assert not os.path.exists(path)
    assert not claim.receipts.exists()


# ---- payments ----


def test_payments_keep_benefits_considerations_out_of_the_audit_log(bea, people):
    payment = helpers.payment(
        bea,
        people["host"],
        "275.40",
        method="payroll",
        benefits_considerations="Universal Credit: stay under the permitted-work limit",
    )
    assert payment.amount == Decimal("275.40") and payment.site == bea.site
    event = AuditEvent.objects.get(object_type="hours.Payment")
    assert event.changes["benefits_considerations"] == [None, "recorded"]
    assert "Universal Credit" not in str(event.changes) + event.summary + event.object_label


def test_payments_are_checked_and_only_coordinators_record_them(bea, far, people):
    with pytest.raises(ValidationError) as exc:
        helpers.payment(
            bea,
            people["lead"],
            period_start=days_ago(5),
            period_end=days_ago(10),
            paid_on=days_ago(-3),
        )
    errors = exc.value.message_dict
    assert errors["period_end"] == ["The end of the period must be on or after its start"]
    assert errors["paid_on"] == ["The date paid cannot be in the future"]
    with pytest.raises(PermissionDenied):
        helpers.payment(bea, people["connector"])
    with pytest.raises(PermissionDenied):
        helpers.payment(bea, people["bea_user"])  # not to yourself either
    with pytest.raises(PermissionDenied):
        helpers.payment(far, people["lead"])
    assert not Payment.objects.exists()


def test_a_claim_submitted_meanwhile_takes_no_more_changes(me, people):
    """The coordinator had the draft open while the connector submitted it: whatever the
    coordinator then adds or removes is refused, so a submitted claim stays as submitted."""
    claim = helpers.draft_claim(me, people["connector"], "12.50")
    item, receipt = claim.items.get(), claim.receipts.get()
    seen_by_coordinator = ExpenseClaim.objects.get(pk=claim.pk)  # loaded before submitting
    actions.submit_claim(claim=claim, by=people["connector"])
    attempts = [
        lambda: actions.add_item(
            claim=seen_by_coordinator,
            date=days_ago(1),
            description="Taxi",
            amount=Decimal("9"),
            by=people["host"],
        ),
        lambda: actions.add_receipt(
            claim=seen_by_coordinator, upload=helpers.upload(), by=people["host"]
        ),
        lambda: actions.remove_item(item=item, by=people["host"]),
        lambda: actions.remove_receipt(receipt=receipt, by=people["host"]),
    ]
    for attempt in attempts:
        with pytest.raises(actions.IllegalTransition, match="submitted: it can no longer"):
            attempt()
    claim.refresh_from_db()
    assert claim.total == Decimal("12.50")
    assert list(claim.items.all()) == [item] and list(claim.receipts.all()) == [receipt]
