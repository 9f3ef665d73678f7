"""Micro-grant actions: funds, criteria and panels; public applications; assessment;
decisions, payments and outcome reports.

Each action names who does it (``by``; None for the public applicant, who has no account),
checks that they may, validates everything before saving anything, saves and records an
audit event in one transaction. A ValidationError leaves nothing half-saved; its errors are
keyed by field so that the pages can show them there.

Audit events never hold an applicant's contact details, and an individual's application is
labelled by its number only (the log is permanent).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.grants.models import (
    Application,
    Assessment,
    BudgetLine,
    Criterion,
    Fund,
    OutcomeReport,
    PanelMember,
    Payment,
    Score,
)
from core20.mail import automated_email
from core20.network.emails import first_name
from core20.web.absolute import absolute_url

FUND_FIELDS = ("name", "summary", "budget", "max_award", "opens_on", "closes_on")
CRITERION_FIELDS = ("name", "description", "max_score", "position")
APPLICATION_FIELDS = (
    "recipient_type",
    "group_name",
    "charity_number",
    "company_number",
    "contact_name",
    "contact_email",
    "contact_phone",
    "title",
    "purpose",
    "places_note",
    "amount_requested",
    "starts_on",
    "ends_on",
)
APPLICATION_M2M = ("communities", "wards", "clinical_areas")
PENNY = Decimal("0.01")
# The team can email an applicant their private link again at most this often.
RESEND_INTERVAL = timedelta(minutes=10)


# ---- helpers ----


def pounds(value) -> Decimal | None:
    """An amount to the penny, or None when it is not a number of pounds and pence."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not amount.is_finite() or amount != amount.quantize(PENNY):
        return None
    return amount.quantize(PENNY)


def money(amount: Decimal) -> str:
    """£1,234.50 as the pages say it."""
    return f"£{amount:,.2f}"


def _check_fields(data: Mapping, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def _full_clean(instance, extra: Mapping | None = None, exclude=None) -> None:
    errors: dict[str, list] = {}
    # A field that already has a problem (an amount that is not pounds and pence) is not
    # checked again, so that it is not also reported as empty.
    exclude = [*(exclude or []), *(extra or {})]
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.update(exc.update_error_dict({}))
    for name, messages in (extra or {}).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _created(after: Mapping) -> dict:
    return {k: [None, v] for k, v in after.items() if v not in (None, "", [])}


def application_label(application: Application) -> str:
    """How the audit log names an application: never an individual's name."""
    if application.is_individual:
        return f"Grant application {application.pk} (individual)"
    return f"Grant application {application.pk}: {application.group_name}"


def _set_money(instance, data: Mapping, names: Sequence[str], errors: dict) -> None:
    for name in names:
        if name in data and data[name] not in (None, ""):
            amount = pounds(data[name])
            if amount is None:
                errors.setdefault(name, []).append("Enter an amount in pounds and pence")
            else:
                setattr(instance, name, amount)


# ---- spend against budget ----


@dataclass(frozen=True)
class Spend:
    budget: Decimal
    committed: Decimal  # awarded
    paid: Decimal
    requested: Decimal  # still undecided

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def unpaid(self) -> Decimal:
        return self.committed - self.paid


def total(queryset, field: str) -> Decimal:
    """The sum of an amount field, to the penny (SQLite's SUM drops trailing zeros)."""
    value = queryset.aggregate(s=Sum(field))["s"]
    return Decimal(str(value or 0)).quantize(PENNY)


def spend(fund: Fund) -> Spend:
    awarded = Application.objects.filter(fund=fund, status=Application.Status.AWARDED)
    undecided = Application.objects.filter(fund=fund, status=Application.Status.SUBMITTED)
    return Spend(
        budget=fund.budget,
        committed=total(awarded, "amount_awarded"),
        paid=total(Payment.objects.filter(application__fund=fund), "amount"),
        requested=total(undecided, "amount_requested"),
    )


def spend_by_fund(funds) -> dict[int, Spend]:
    """``spend`` for many funds in three queries, whatever their number."""
    funds = list(funds)
    ids = [f.pk for f in funds]

    def sums(queryset, key: str, field: str) -> dict[int, Decimal]:
        rows = queryset.values(key).annotate(s=Sum(field)).order_by()
        return {r[key]: Decimal(str(r["s"] or 0)).quantize(PENNY) for r in rows}

    applications = Application.objects.filter(fund_id__in=ids)
    committed = sums(
        applications.filter(status=Application.Status.AWARDED), "fund_id", "amount_awarded"
    )
    requested = sums(
        applications.filter(status=Application.Status.SUBMITTED), "fund_id", "amount_requested"
    )
    paid = sums(
        Payment.objects.filter(application__fund_id__in=ids), "application__fund_id", "amount"
    )
    zero = Decimal("0.00")
    return {
        f.pk: Spend(
            f.budget, committed.get(f.pk, zero), paid.get(f.pk, zero), requested.get(f.pk, zero)
        )
        for f in funds
    }


# ---- funds, criteria and panels ----


@transaction.atomic
def create_fund(*, site, data: Mapping, by) -> Fund:
    require_permission(by, Permission.GRANT_MANAGE, site=site)
    _check_fields(data, FUND_FIELDS)
    fund = Fund(site=site, created_by=by)
    errors: dict = {}
    for name, value in data.items():
        if name not in ("budget", "max_award"):
            setattr(fund, name, value)
    _set_money(fund, data, ("budget", "max_award"), errors)
    _full_clean(fund, errors)
    fund.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=fund,
        site=site,
        changes=_created(snapshot(fund, FUND_FIELDS)),
        summary="Micro-grant fund",
    )
    return fund


@transaction.atomic
def update_fund(*, fund: Fund, data: Mapping, by) -> Fund:
    require_permission(by, Permission.GRANT_MANAGE, site=fund.site_id)
    _check_fields(data, FUND_FIELDS)
    fund = Fund.objects.select_for_update().select_related("site").get(pk=fund.pk)
    before = snapshot(fund, FUND_FIELDS)
    errors: dict = {}
    for name, value in data.items():
        if name not in ("budget", "max_award"):
            setattr(fund, name, value)
    _set_money(fund, data, ("budget", "max_award"), errors)
    if fund.budget is not None and not errors.get("budget"):
        committed = spend(fund).committed
        if fund.budget < committed:
            errors.setdefault("budget", []).append(
                f"Budget cannot be less than the {money(committed)} already awarded"
            )
    _full_clean(fund, errors)
    changes = diff(before, snapshot(fund, FUND_FIELDS))
    if changes:
        fund.save()
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=fund, site=fund.site, changes=changes)
    return fund


@transaction.atomic
def add_criterion(*, fund: Fund, data: Mapping, by) -> Criterion:
    require_permission(by, Permission.GRANT_MANAGE, site=fund.site_id)
    _check_fields(data, CRITERION_FIELDS)
    if Assessment.objects.filter(application__fund=fund, has_conflict=False).exists():
        raise ValidationError(
            "The panel has started scoring: criteria cannot change now, so that every "
            "application is scored against the same ones"
        )
    criterion = Criterion(fund=fund, **data)
    if "position" not in data:
        criterion.position = fund.criteria.count() + 1
    _full_clean(criterion, exclude=["fund"])
    criterion.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=criterion,
        site=fund.site_id,
        changes=_created(snapshot(criterion, CRITERION_FIELDS)),
        summary=f"Scoring criterion for {fund}",
    )
    return criterion


def may_sit_on_panel(user, fund: Fund) -> bool:
    return has_permission(user, Permission.GRANT_SCORE, site=fund.site_id)


@transaction.atomic
def appoint_panel_member(*, fund: Fund, user, by) -> PanelMember:
    require_permission(by, Permission.GRANT_MANAGE, site=fund.site_id)
    if not may_sit_on_panel(user, fund):
        raise ValidationError(
            {
                "email": f"{user} cannot sit on this panel: give them the community member "
                f"role at {fund.site} first"
            }
        )
    if PanelMember.objects.filter(fund=fund, user=user).exists():
        raise ValidationError({"email": f"{user} is already on this panel"})
    member = PanelMember.objects.create(fund=fund, user=user)
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=member,
        site=fund.site_id,
        summary=f"Appointed to the panel for {fund}",
    )
    return member


# ---- public applications ----


def _line_error(message: str, *, line: int, part: str) -> ValidationError:
    """A mistake in one budget line: its ``params`` say which line (from 1) and which part
    of it ("item" or "amount"), so that a form can point at that line's field."""
    return ValidationError(message, code="budget_line", params={"line": line, "part": part})


def _budget_errors(lines: Sequence[Mapping], requested: Decimal | None) -> tuple[list, dict]:
    """Budget lines as (item, amount) pairs, and errors keyed ``budget`` (a line's own
    mistakes say which line and part, ``_line_error``)."""
    cleaned, problems = [], []
    for number, line in enumerate(lines, start=1):
        item = (line.get("item") or "").strip()
        raw = line.get("amount")
        if not item and raw in (None, ""):
            continue
        amount = pounds(raw) if raw not in (None, "") else None
        if not item:
            problems.append(
                _line_error(
                    f"Budget line {number}: enter what the money is for", line=number, part="item"
                )
            )
        if amount is None or amount <= 0:
            problems.append(
                _line_error(
                    f"Budget line {number}: enter an amount in pounds and pence",
                    line=number,
                    part="amount",
                )
            )
        else:
            cleaned.append((item[:200], amount))
    if not cleaned and not problems:
        problems.append("Enter at least one budget line")
    if not problems and requested is not None:
        total = sum((a for _, a in cleaned), Decimal(0))
        if total != requested:
            problems.append(
                f"The budget lines add up to {money(total)}: they must add up to the "
                f"{money(requested)} you are asking for"
            )
    return cleaned, ({"budget": problems} if problems else {})


def check_application(
    *, fund: Fund, data: Mapping, budget_lines: Sequence[Mapping] | None
) -> tuple[Application, list[tuple[str, Decimal]]]:
    """The application ``data`` would make, and its budget lines as (item, amount) pairs,
    checked against the fund (its maximum award), the dates and the budget; nothing is
    saved. Raises a ValidationError keyed by field (``budget`` for the budget lines).
    ``budget_lines`` None leaves the budget unchecked (the form could not read them)."""
    _check_fields(data, APPLICATION_FIELDS)
    application = Application(fund=fund)
    errors: dict = {}
    for name, value in data.items():
        if name != "amount_requested":
            setattr(application, name, value.strip() if isinstance(value, str) else value)
    _set_money(application, data, ("amount_requested",), errors)
    requested = application.amount_requested
    if requested is not None:
        if requested <= 0:
            errors.setdefault("amount_requested", []).append("Amount must be more than £0")
        elif requested > fund.max_award:
            errors.setdefault("amount_requested", []).append(
                f"You can ask for up to {money(fund.max_award)} from this fund"
            )
    if application.is_individual:
        # Grants to individuals carry no organisation numbers (360Giving privacy rules).
        application.charity_number = application.company_number = ""
    if (
        application.starts_on
        and application.ends_on
        and application.ends_on < application.starts_on
    ):
        errors.setdefault("ends_on", []).append("The end date must be on or after the start date")
    lines: list[tuple[str, Decimal]] = []
    if budget_lines is not None:
        lines, budget_problems = _budget_errors(budget_lines, requested)
        errors.update(budget_problems)
    _full_clean(application, errors, exclude=["fund", "token"])
    return application, lines


@transaction.atomic
def submit_application(
    *,
    fund: Fund,
    data: Mapping,
    budget_lines: Sequence[Mapping],
    communities=(),
    wards=(),
    clinical_areas=(),
    by=None,
) -> Application:
    """A public application (``by`` is None: applicants have no account). The view emails
    the applicant their private status link once it is saved."""
    _check_fields(data, APPLICATION_FIELDS)
    fund = Fund.objects.select_related("site").get(pk=fund.pk)
    if not fund.is_open:
        raise ValidationError("This fund is not taking applications")
    application, lines = check_application(fund=fund, data=data, budget_lines=budget_lines)
    application.save()
    application.communities.set(communities)
    application.wards.set(wards)
    application.clinical_areas.set(clinical_areas)
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, position=i, item=item, amount=amount)
        for i, (item, amount) in enumerate(lines, start=1)
    )
    record(
        actor=by,
        verb=AuditEvent.Verb.SUBMIT,
        obj=application,
        object_label=application_label(application),
        site=fund.site,
        changes={"amount_requested": [None, str(application.amount_requested)]},
        summary=f"Applied to {fund}",
    )
    return application


# ---- emails to the applicant ----


def _email_context(application: Application, link: str) -> dict:
    return {
        "first_name": first_name(application.contact_name),
        "fund": application.fund.name,
        "site": application.fund.site.name,
        "title": application.title,
        "status": application.status,
        "link": link,
    }


def email_status_link(application: Application, link: str, *, again: bool = False) -> None:
    """Email the applicant their private status ``link`` (``again``: sent by the team)."""
    automated_email(
        subject=(
            f"The private link to your application to {application.fund}"
            if again
            else f"Your application to {application.fund}"
        ),
        template="grants/email/status_link.txt",
        context={**_email_context(application, link), "again": again},
        to=application.contact_email,
    ).send()


def status_link_problem(application: Application) -> str | None:
    """Why the applicant's private link cannot be emailed to them again, or None."""
    if application.erased_at is not None:
        erased = timezone.localtime(application.erased_at)
        return (
            f"The applicant's contact details were erased on {erased.day} {erased:%B %Y}, "
            "so their private link "
            "cannot be sent again: there is no email address to send it to, and the link "
            "no longer works"
        )
    if not application.contact_email:
        return "There is no email address on the application to send the private link to"
    return None


def _clock(moment: datetime) -> str:
    """A time as the pages say it: 9:05am, 2:15pm."""
    local = timezone.localtime(moment)
    return f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def status_link_wait(application: Application, now: datetime | None = None) -> str | None:
    """Why the team cannot email the private link again just yet, saying when they can, or
    None: at most once every RESEND_INTERVAL, so that a double click or an impatient
    colleague does not send the applicant a pile of the same email."""
    if application.link_resent_at is None:
        return None
    allowed_from = application.link_resent_at + RESEND_INTERVAL
    if (now or timezone.now()) >= allowed_from:
        return None
    minutes = int(RESEND_INTERVAL.total_seconds() // 60)
    return (
        f"The private link was emailed to the applicant again at "
        f"{_clock(application.link_resent_at)}. It can be sent once every {minutes} minutes: "
        f"you can send it again from {_clock(allowed_from)}"
    )


@transaction.atomic
def email_status_link_again(*, application: Application, base_url: str, by) -> Application:
    """The site's team sends the applicant their private status link again, to the email
    address on the application (when the first email is lost). It is the same link, sent
    only to the applicant and never shown to the team, and at most once every
    RESEND_INTERVAL. The email goes once the audit event is stored."""
    require_permission(by, Permission.GRANT_MANAGE, site=application.fund.site_id)
    application = (
        Application.objects.select_for_update().select_related("fund__site").get(pk=application.pk)
    )
    now = timezone.now()
    problem = status_link_problem(application) or status_link_wait(application, now)
    if problem:
        raise ValidationError(problem)
    application.link_resent_at = now
    application.save(update_fields=["link_resent_at"])
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=application,
        object_label=application_label(application),
        site=application.fund.site_id,
        summary="Private link emailed to the applicant again",
    )
    link = absolute_url(base_url, reverse("grants:status", args=[application.token]))
    transaction.on_commit(lambda: email_status_link(application, link, again=True))
    return application


# ---- assessment ----


def member_for(user, fund: Fund) -> PanelMember | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return PanelMember.objects.filter(fund=fund, user=user).first()


@transaction.atomic
def assess(
    *,
    application: Application,
    has_conflict: bool,
    conflict_details: str = "",
    scores: Mapping[int, int] | None = None,
    comments: str = "",
    by,
) -> Assessment:
    """A panel member's conflict declaration and, with no conflict, a score per criterion.
    Made once, independently: nothing here depends on other members' scores."""
    fund = application.fund
    require_permission(by, Permission.GRANT_SCORE, site=fund.site_id)
    member = member_for(by, fund)
    if member is None:
        raise PermissionDenied
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError("This application has been decided: it can no longer be scored")
    if Assessment.objects.filter(application=application, member=member).exists():
        raise ValidationError("You have already assessed this application")
    errors: dict = {}
    criteria = list(fund.criteria.all())
    if has_conflict:
        if not (conflict_details or "").strip():
            errors["conflict_details"] = ["Describe your conflict of interest"]
        scores = {}
    else:
        scores = dict(scores or {})
        for criterion in criteria:
            value = scores.get(criterion.pk)
            if value is None:
                errors[f"score_{criterion.pk}"] = [f"Enter a score for {criterion.name}"]
            elif not 0 <= value <= criterion.max_score:
                errors[f"score_{criterion.pk}"] = [
                    f"Score for {criterion.name} must be a whole number from 0 to "
                    f"{criterion.max_score}"
                ]
        if not criteria:
            errors["__all__"] = ["The fund has no scoring criteria yet"]
    if errors:
        raise ValidationError(errors)
    assessment = Assessment.objects.create(
        application=application,
        member=member,
        has_conflict=has_conflict,
        conflict_details=(conflict_details or "").strip() if has_conflict else "",
        comments=(comments or "").strip() if not has_conflict else "",
    )
    Score.objects.bulk_create(
        Score(assessment=assessment, criterion=c, score=scores[c.pk])
        for c in criteria
        if not has_conflict
    )
    record(
        actor=by,
        verb=AuditEvent.Verb.SUBMIT,
        obj=assessment,
        object_label=f"Assessment of {application_label(application)}",
        site=fund.site_id,
        changes={"has_conflict": [None, has_conflict]},
        summary="Declared a conflict of interest" if has_conflict else "Scored",
    )
    return assessment


# ---- decisions, payments and outcomes ----


@transaction.atomic
def decide(
    *,
    application: Application,
    awarded: bool,
    amount=None,
    reason: str = "",
    decided_on: date | None = None,
    by,
) -> Application:
    """Award (with an amount no more than they asked for, within the maximum award and the
    fund's remaining budget) or decline (with a reason the applicant sees)."""
    require_permission(by, Permission.GRANT_MANAGE, site=application.fund.site_id)
    # Lock the fund so that two awards at once cannot together go over its budget.
    fund = Fund.objects.select_for_update().select_related("site").get(pk=application.fund_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(
            f"This application has already been {application.get_status_display().lower()}"
        )
    decided_on = decided_on or timezone.localdate()
    errors: dict = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = ["The decision date must be today or in the past"]
    if awarded:
        value = pounds(amount) if amount not in (None, "") else None
        if value is None:
            errors["amount"] = ["Enter the amount awarded in pounds and pence"]
        elif value <= 0:
            errors["amount"] = ["Amount awarded must be more than £0"]
        elif value > fund.max_award:
            errors["amount"] = [
                f"Amount awarded must not be more than the {money(fund.max_award)} maximum award"
            ]
        elif value > application.amount_requested:
            # Their budget lines add up to what they asked for: more is almost always a typo.
            errors["amount"] = [
                f"{application.group_name} asked for {money(application.amount_requested)}: "
                f"award {money(application.amount_requested)} or less"
            ]
        else:
            remaining = spend(fund).remaining
            if value > remaining:
                errors["amount"] = [
                    f"Only {money(remaining)} of the fund's {money(fund.budget)} budget is left "
                    f"to award: award {money(remaining)} or less, or increase the budget"
                ]
        application.status = Application.Status.AWARDED
        application.amount_awarded = value
        application.decline_reason = ""
    else:
        if not (reason or "").strip():
            errors["reason"] = ["Enter the reason the application was declined"]
        application.status = Application.Status.DECLINED
        application.amount_awarded = None
        application.decline_reason = (reason or "").strip()
    if errors:
        raise ValidationError(errors)
    application.decided_on = decided_on
    application.decided_by = by
    application.save()
    changes = {"status": ["Submitted", application.get_status_display()]}
    if awarded:
        changes["amount_awarded"] = [None, str(application.amount_awarded)]
    record(
        actor=by,
        verb=AuditEvent.Verb.DECIDE,
        obj=application,
        object_label=application_label(application),
        site=fund.site,
        changes=changes,
    )
    return application


def email_decision(application: Application, link: str) -> None:
    awarded = application.status == Application.Status.AWARDED
    automated_email(
        subject=f"Decision on your application to {application.fund}",
        template="grants/email/decision.txt",
        context={
            **_email_context(application, link),
            "awarded": awarded,
            "amount": money(application.amount_awarded) if awarded else "",
            "reason": application.decline_reason,
        },
        to=application.contact_email,
    ).send()


@transaction.atomic
def record_payment(
    *, application: Application, amount, paid_on: date, reference: str = "", by
) -> Payment:
    require_permission(by, Permission.GRANT_MANAGE, site=application.fund.site_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.AWARDED:
        raise ValidationError("Payments can only be recorded for awarded grants")
    errors: dict = {}
    value = pounds(amount) if amount not in (None, "") else None
    paid = total(application.payments.all(), "amount")
    if value is None:
        errors["amount"] = ["Enter the amount paid in pounds and pence"]
    elif value <= 0:
        errors["amount"] = ["Amount paid must be more than £0"]
    elif paid + value > application.amount_awarded:
        errors["amount"] = [
            f"{money(paid)} of the {money(application.amount_awarded)} awarded has been paid: "
            f"pay {money(application.amount_awarded - paid)} or less"
        ]
    if paid_on is None:
        errors["paid_on"] = ["Enter the date it was paid"]
    elif paid_on > timezone.localdate():
        errors["paid_on"] = ["The payment date must be today or in the past"]
    elif application.decided_on and paid_on < application.decided_on:
        errors["paid_on"] = ["The payment date must be on or after the award date"]
    if errors:
        raise ValidationError(errors)
    payment = Payment.objects.create(
        application=application,
        amount=value,
        paid_on=paid_on,
        reference=(reference or "").strip(),
        recorded_by=by,
    )
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=payment,
        object_label=f"Payment to {application_label(application)}",
        site=application.fund.site_id,
        changes={"amount": [None, str(value)], "paid_on": [None, paid_on.isoformat()]},
    )
    return payment


OUTCOME_FIELDS = ("what_happened", "people_reached", "sessions_held", "learning")


@transaction.atomic
def submit_outcome(*, application: Application, data: Mapping, by=None) -> OutcomeReport:
    """The group's outcome report, sent through its status link (``by`` is None)."""
    _check_fields(data, OUTCOME_FIELDS)
    application = (
        Application.objects.select_for_update().select_related("fund").get(pk=application.pk)
    )
    if application.status != Application.Status.AWARDED:
        raise ValidationError("Outcome reports are for awarded grants")
    if OutcomeReport.objects.filter(application=application).exists():
        raise ValidationError("You have already sent your outcome report")
    report = OutcomeReport(application=application, **data)
    _full_clean(report, exclude=["application"])
    report.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.SUBMIT,
        obj=report,
        object_label=f"Outcome report for {application_label(application)}",
        site=application.fund.site_id,
        changes={"people_reached": [None, report.people_reached]},
    )
    return report
