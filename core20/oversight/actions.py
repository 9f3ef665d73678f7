"""Oversight actions: funding allocations and spend, return templates, and quarterly
returns through their workflow.

Each action names who does it (``by``), checks that they may, validates everything before
saving anything, saves and records an audit event, all in one transaction: a change and its
audit event are stored together or not at all, and a ValidationError leaves nothing
half-saved. Errors are keyed by field (or question key) so the pages can show them there.

The return workflow::

    draft ──submit──▶ submitted ──accept──▶ accepted
      ▲                   │
      └──── returned ◀────┘ return (with comments); the site edits and submits again

Anything else (submitting an accepted return, accepting a draft, editing a submitted one)
raises ``IllegalTransition``, a ValidationError that says why.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.oversight import periods, prefill
from core20.oversight.answers import clean_answer
from core20.oversight.models import (
    FundingAllocation,
    QuarterlyReturn,
    ReturnComment,
    ReturnQuestion,
    ReturnSection,
    ReturnTemplate,
    ReturnTransition,
    ReturnVersion,
    SpendReport,
)
from core20.oversight.standard import STANDARD_SECTIONS

Status = QuarterlyReturn.Status

ALLOCATION_FIELDS = ("financial_year", "amount", "purpose", "notes")
SECTION_FIELDS = ("title", "description", "position")
QUESTION_FIELDS = (
    "section",
    "key",
    "text",
    "hint",
    "column_label",
    "kind",
    "prefill",
    "required",
    "active",
    "position",
)
# A question's key names its answers in every return: it cannot change once made.
QUESTION_EDIT_FIELDS = tuple(f for f in QUESTION_FIELDS if f != "key")
MAX_COMMENT = 5000


class IllegalTransition(ValidationError):
    """A workflow step the return's status does not allow."""


# ---- helpers ----


def _label(user) -> str:
    """Who did something, as the return's history shows it (the audit log has more)."""
    return str(user) if getattr(user, "is_authenticated", False) else "System"


def _check_fields(data: Mapping, allowed) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def _full_clean(instance, extra: Mapping | None = None, exclude=None) -> None:
    errors: dict[str, list] = {}
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        errors.update(exc.update_error_dict({}))
    for name, messages in (extra or {}).items():
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _readable(instance, fields) -> dict:
    data = snapshot(instance, fields)
    for name in fields:
        field = instance._meta.get_field(name)
        if field.choices and not field.many_to_many:
            data[name] = getattr(instance, f"get_{name}_display")()
    return data


def _created(after: Mapping) -> dict:
    return {k: [None, v] for k, v in after.items() if v not in (None, "", [])}


def _pounds(value):
    """An amount to the penny (Decimal("150") → Decimal("150.00")), so that the audit log
    and comparisons read the same however it was typed. Anything else is left for
    full_clean to refuse."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return value
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return amount
    return amount.quantize(Decimal("0.01"))


def _not_in_future(financial_year: int, quarter: int | None = None) -> dict:
    today = periods.today()
    if quarter is None:
        if financial_year > periods.financial_year_of(today) + 1:
            return {"financial_year": ["Choose this financial year, next year or an earlier one"]}
        return {}
    start, _ = periods.quarter_bounds(financial_year, quarter)
    if start > today:
        return {
            "quarter": [
                f"{periods.quarter_label(financial_year, quarter)} has not started yet. "
                "Choose a quarter that has started."
            ]
        }
    return {}


# ---- funding ----


@transaction.atomic
def create_allocation(*, site, data: Mapping, by) -> FundingAllocation:
    require_permission(by, Permission.FUNDING_MANAGE)
    _check_fields(data, ALLOCATION_FIELDS)
    allocation = FundingAllocation(site=site, created_by=by, updated_by=by)
    for name, value in data.items():
        setattr(allocation, name, _pounds(value) if name == "amount" else value)
    extra = _not_in_future(allocation.financial_year) if allocation.financial_year else {}
    _full_clean(allocation, extra)
    allocation.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=allocation,
        site=site,
        changes=_created(_readable(allocation, ALLOCATION_FIELDS)),
        summary=f"Funding allocation for {periods.year_label(allocation.financial_year)}",
    )
    return allocation


@transaction.atomic
def update_allocation(*, allocation: FundingAllocation, data: Mapping, by) -> FundingAllocation:
    require_permission(by, Permission.FUNDING_MANAGE)
    _check_fields(data, ALLOCATION_FIELDS)
    allocation = FundingAllocation.objects.select_for_update().get(pk=allocation.pk)
    before = _readable(allocation, ALLOCATION_FIELDS)
    for name, value in data.items():
        setattr(allocation, name, _pounds(value) if name == "amount" else value)
    extra = _not_in_future(allocation.financial_year) if allocation.financial_year else {}
    _full_clean(allocation, extra)
    changes = diff(before, _readable(allocation, ALLOCATION_FIELDS))
    if changes:
        allocation.updated_by = by
        allocation.save()
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=allocation,
            site=allocation.site,
            changes=changes,
        )
    return allocation


@transaction.atomic
def delete_allocation(*, allocation: FundingAllocation, by) -> None:
    require_permission(by, Permission.FUNDING_MANAGE)
    allocation = FundingAllocation.objects.select_for_update().get(pk=allocation.pk)
    before = _readable(allocation, ALLOCATION_FIELDS)
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=allocation,
        site=allocation.site,
        changes={k: [v, None] for k, v in before.items() if v not in (None, "")},
    )
    allocation.delete()


@transaction.atomic
def report_spend(
    *, site, financial_year: int, quarter: int, amount, notes: str = "", by
) -> SpendReport:
    """Report (or correct) what the site spent in a quarter. One report per quarter: a
    second report for the same quarter replaces the figure, and the audit log keeps both."""
    require_permission(by, Permission.SPEND_REPORT, site=site)
    existing = (
        SpendReport.objects.select_for_update()
        .filter(site=site, financial_year=financial_year, quarter=quarter)
        .first()
    )
    report = existing or SpendReport(
        site=site, financial_year=financial_year, quarter=quarter, reported_by=by
    )
    fields = ("financial_year", "quarter", "amount", "notes")
    before = _readable(report, fields) if existing else {}
    report.amount = _pounds(amount)
    report.notes = notes or ""
    report.updated_by = by
    extra = _not_in_future(financial_year, quarter) if financial_year and quarter else {}
    _full_clean(report, extra)
    after = _readable(report, fields)
    if existing is not None:
        changes = diff(before, after)
        if not changes:
            return report
        report.save()
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=report,
            site=site,
            changes=changes,
            summary=f"Corrected spend for {report.period_label}",
        )
    else:
        report.save()
        record(
            actor=by,
            verb=AuditEvent.Verb.CREATE,
            obj=report,
            site=site,
            changes=_created(after),
            summary=f"Reported spend for {report.period_label}",
        )
    return report


# ---- return templates ----


@transaction.atomic
def create_template(*, wave, intro: str = "", by) -> ReturnTemplate:
    """A wave's template, starting from the standard return (core20.oversight.standard)."""
    require_permission(by, Permission.RETURN_REVIEW)
    if ReturnTemplate.objects.filter(wave=wave).exists():
        raise ValidationError(f"{wave.name} already has a quarterly return template.")
    template = ReturnTemplate.objects.create(wave=wave, intro=intro, created_by=by)
    for s_position, (title, description, questions) in enumerate(STANDARD_SECTIONS, start=1):
        section = ReturnSection.objects.create(
            template=template, title=title, description=description, position=s_position * 10
        )
        for q_position, (key, text, hint, kind, source, required, column) in enumerate(
            questions, start=1
        ):
            ReturnQuestion.objects.create(
                template=template,
                section=section,
                key=key,
                text=text,
                hint=hint,
                kind=kind,
                prefill=source,
                required=required,
                column_label=column,
                position=q_position * 10,
            )
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=template,
        summary=f"Quarterly return template for {wave.name}, from the standard return",
    )
    return template


@transaction.atomic
def add_section(*, template: ReturnTemplate, data: Mapping, by) -> ReturnSection:
    require_permission(by, Permission.RETURN_REVIEW)
    _check_fields(data, SECTION_FIELDS)
    section = ReturnSection(template=template)
    for name, value in data.items():
        setattr(section, name, value)
    if "position" not in data:
        last = template.sections.order_by("-position").first()
        section.position = (last.position if last else 0) + 10
    _full_clean(section)
    section.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=section,
        changes=_created(_readable(section, SECTION_FIELDS)),
        summary=str(template),
    )
    return section


def _question_errors(question: ReturnQuestion) -> dict:
    errors: dict[str, list[str]] = {}
    if question.section_id and question.section.template_id != question.template_id:
        errors["section"] = ["Choose a section of this template"]
    if question.prefill:
        figure = prefill.FIGURES.get(question.prefill)
        if figure is None:
            errors["prefill"] = ["Choose a figure from the list"]
        elif question.kind == ReturnQuestion.Kind.NARRATIVE:
            errors["prefill"] = [
                "A written answer cannot be prefilled with a figure. Choose “Not prefilled”, "
                "or make the question a figure."
            ]
        elif figure.kind != question.kind:
            wanted = ReturnQuestion.Kind(figure.kind).label
            errors["prefill"] = [f"“{figure.label}” is a figure of another type: choose “{wanted}”"]
    if question.key and question.template_id:
        clash = ReturnQuestion.objects.filter(template_id=question.template_id, key=question.key)
        if question.pk:
            clash = clash.exclude(pk=question.pk)
        if clash.exists():
            errors["key"] = [f"This template already has a question with the key “{question.key}”"]
    return errors


@transaction.atomic
def add_question(*, template: ReturnTemplate, data: Mapping, by) -> ReturnQuestion:
    require_permission(by, Permission.RETURN_REVIEW)
    _check_fields(data, QUESTION_FIELDS)
    question = ReturnQuestion(template=template)
    for name, value in data.items():
        setattr(question, name, value)
    if "position" not in data:
        last = (
            template.questions.filter(section_id=question.section_id).order_by("-position").first()
        )
        question.position = (last.position if last else 0) + 10
    _full_clean(question, _question_errors(question), exclude=["template"])
    question.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=question,
        changes=_created(_readable(question, QUESTION_FIELDS)),
        summary=str(template),
    )
    return question


@transaction.atomic
def update_question(*, question: ReturnQuestion, data: Mapping, by) -> ReturnQuestion:
    require_permission(by, Permission.RETURN_REVIEW)
    _check_fields(data, QUESTION_EDIT_FIELDS)
    question = ReturnQuestion.objects.select_for_update().get(pk=question.pk)
    before = _readable(question, QUESTION_FIELDS)
    for name, value in data.items():
        setattr(question, name, value)
    _full_clean(question, _question_errors(question), exclude=["template"])
    changes = diff(before, _readable(question, QUESTION_FIELDS))
    if changes:
        question.save()
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=question, changes=changes)
    return question


# ---- quarterly returns ----


def questions_of(template: ReturnTemplate) -> list[ReturnQuestion]:
    """The template's active questions, in order, with their sections (one query)."""
    return list(
        template.questions.filter(active=True)
        .select_related("section")
        .order_by("section__position", "section_id", "position", "pk")
    )


def _new_version(qreturn: QuarterlyReturn, questions, by) -> ReturnVersion:
    last = qreturn.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return ReturnVersion.objects.create(
        qreturn=qreturn,
        number=last + 1,
        answers=dict(qreturn.answers),
        questions=[q.snapshot() for q in questions],
        status=qreturn.status,
        created_by=by,
        created_by_label=_label(by),
    )


def _transition(qreturn, from_status, to_status, by, version=None) -> ReturnTransition:
    return ReturnTransition.objects.create(
        qreturn=qreturn,
        from_status=from_status,
        to_status=to_status,
        version=version or qreturn.versions.order_by("-number").first(),
        created_by=by,
        created_by_label=_label(by),
    )


def may_review(user) -> bool:
    return has_permission(user, Permission.RETURN_REVIEW)


def may_submit(user, site) -> bool:
    return has_permission(user, Permission.RETURN_SUBMIT, site=site)


@transaction.atomic
def start_return(*, site, financial_year: int, quarter: int, by) -> QuarterlyReturn:
    """Start a draft return for a quarter, its figures prefilled from platform data. Only
    one return per site per quarter: if one exists, say so (and which state it is in)."""
    require_permission(by, Permission.RETURN_SUBMIT, site=site)
    errors: dict[str, list[str]] = {}
    template = ReturnTemplate.objects.filter(wave_id=site.wave_id).first()
    if template is None:
        raise ValidationError(
            f"There is no quarterly return template for {site.wave.name} yet. The national "
            "team will set one up."
        )
    if not (periods.FIRST_YEAR <= financial_year <= periods.LAST_YEAR):
        errors["financial_year"] = ["Choose a financial year from the list"]
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = ["Choose a quarter from the list"]
    if not errors:
        errors.update(_not_in_future(financial_year, quarter))
    if errors:
        raise ValidationError(errors)
    existing = (
        QuarterlyReturn.objects.select_for_update()
        .filter(site=site, financial_year=financial_year, quarter=quarter)
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "quarter": [
                    f"{site.name} already has a return for "
                    f"{periods.quarter_label(financial_year, quarter)} "
                    f"({existing.get_status_display().lower()}). Open that return instead."
                ]
            },
            code="exists",
        )
    questions = questions_of(template)
    keys = [q.prefill for q in questions if q.prefill]
    values = prefill.prefill_values(site, financial_year, quarter, keys)
    answers = {q.key: values.get(q.prefill) if q.prefill else None for q in questions}
    try:
        with transaction.atomic():
            qreturn = QuarterlyReturn.objects.create(
                site=site,
                template=template,
                financial_year=financial_year,
                quarter=quarter,
                due_on=periods.default_due_date(financial_year, quarter),
                answers=answers,
                prefilled={q.key: values.get(q.prefill) for q in questions if q.prefill},
                created_by=by,
            )
    except IntegrityError as exc:  # started at the same moment by someone else
        raise ValidationError(
            {"quarter": ["This site already has a return for this quarter. Open that return."]}
        ) from exc
    version = _new_version(qreturn, questions, by)
    _transition(qreturn, "", Status.DRAFT, by, version)
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=qreturn,
        site=site,
        changes={
            "status": [None, Status.DRAFT.label],
            "due_on": [None, qreturn.due_on.isoformat()],
            "prefilled": [None, {k: v for k, v in qreturn.prefilled.items() if v is not None}],
        },
        summary=f"Started the return for {qreturn.period_label}",
    )
    return qreturn


def _require_editable(qreturn: QuarterlyReturn, what: str) -> None:
    if qreturn.status not in QuarterlyReturn.EDITABLE:
        raise IllegalTransition(
            f"This return is {qreturn.get_status_display().lower()}, so you cannot {what}. "
            + (
                "The national team will accept it or return it to you with comments."
                if qreturn.status == Status.SUBMITTED
                else "It has been accepted and is now closed."
            ),
            code="illegal",
        )


def check_answers(questions, raw: Mapping) -> tuple[dict, dict]:
    """(clean answers, errors by question key) for the raw answers given."""
    clean, errors = {}, {}
    for question in questions:
        try:
            clean[question.key] = clean_answer(question, raw.get(question.key))
        except ValidationError as exc:
            errors[question.key] = exc.messages
    return clean, errors


@transaction.atomic
def save_answers(*, qreturn: QuarterlyReturn, answers: Mapping, by) -> QuarterlyReturn:
    """Save the site's answers (all of them or none). A save that changes something is kept
    as a new version; answers to questions not asked are refused."""
    require_permission(by, Permission.RETURN_SUBMIT, site=qreturn.site_id)
    qreturn = QuarterlyReturn.objects.select_for_update().select_related("site").get(pk=qreturn.pk)
    _require_editable(qreturn, "change its answers")
    questions = questions_of(qreturn.template)
    unknown = set(answers) - {q.key for q in questions}
    if unknown:
        raise ValueError(f"answers to unknown questions: {', '.join(sorted(unknown))}")
    clean, errors = check_answers(questions, answers)
    if errors:
        raise ValidationError(errors)
    # Keep answers to questions not shown in this save (retired ones stay as they were).
    new = {**qreturn.answers, **{k: clean[k] for k in answers}}
    changed = sorted(k for k in new if new.get(k) != qreturn.answers.get(k))
    if not changed:
        return qreturn
    qreturn.answers = new
    qreturn.save()
    version = _new_version(qreturn, questions, by)
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=qreturn,
        site=qreturn.site,
        changes={"answers changed": changed, "version": [version.number - 1, version.number]},
        summary=f"Saved version {version.number} of the return for {qreturn.period_label}",
    )
    return qreturn


def missing_required(qreturn: QuarterlyReturn, questions=None) -> dict:
    questions = questions if questions is not None else questions_of(qreturn.template)
    return {
        q.key: [f"Answer “{q.text}” before you submit the return"]
        for q in questions
        if q.required and qreturn.answers.get(q.key) in (None, "")
    }


def unanswered(qreturn: QuarterlyReturn, questions=None) -> list[ReturnQuestion]:
    """The questions with no answer, in the order the return asks them: the page lists
    them and asks the site to confirm before it submits."""
    questions = questions if questions is not None else questions_of(qreturn.template)
    return [q for q in questions if qreturn.answers.get(q.key) in (None, "")]


@transaction.atomic
def submit_return(*, qreturn: QuarterlyReturn, by) -> QuarterlyReturn:
    """Submit a draft or returned return to the national team: only once its quarter has
    reached its last day (returns are for a finished quarter), and with every required
    question answered."""
    require_permission(by, Permission.RETURN_SUBMIT, site=qreturn.site_id)
    qreturn = QuarterlyReturn.objects.select_for_update().select_related("site").get(pk=qreturn.pk)
    if qreturn.status not in QuarterlyReturn.EDITABLE:
        raise IllegalTransition(
            f"This return is {qreturn.get_status_display().lower()}: only a draft or a "
            "returned return can be submitted.",
            code="illegal",
        )
    opens = periods.submittable_from(qreturn.financial_year, qreturn.quarter)
    if periods.today() < opens:
        raise IllegalTransition(
            f"You can submit the return for "
            f"{periods.months_label(qreturn.financial_year, qreturn.quarter)} from "
            f"{periods.long_date(opens)}. Until then you can save your answers as a draft.",
            code="too_early",
        )
    missing = missing_required(qreturn)
    if missing:
        raise ValidationError(missing)
    before = qreturn.status
    qreturn.status = Status.SUBMITTED
    qreturn.submitted_at = timezone.now()
    qreturn.save()
    _transition(qreturn, before, Status.SUBMITTED, by)
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=qreturn,
        site=qreturn.site,
        changes={"status": [Status(before).label, Status.SUBMITTED.label]},
        summary=f"{'Resubmitted' if before == Status.RETURNED else 'Submitted'} the return "
        f"for {qreturn.period_label}",
    )
    return qreturn


ACCEPT = "accept"
RETURN = "return"


@transaction.atomic
def review_return(
    *, qreturn: QuarterlyReturn, decision: str, comment: str = "", by
) -> QuarterlyReturn:
    """The national team accepts a submitted return, or returns it with comments."""
    require_permission(by, Permission.RETURN_REVIEW)
    qreturn = QuarterlyReturn.objects.select_for_update().select_related("site").get(pk=qreturn.pk)
    comment = (comment or "").strip()
    errors = {}
    if decision not in (ACCEPT, RETURN):
        errors["decision"] = ["Choose whether to accept the return or return it for changes"]
    if decision == RETURN and not comment:
        errors["comment"] = ["Say what the site needs to change before you return it"]
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [f"Comments must be {MAX_COMMENT:,} characters or fewer"]
    if errors:
        raise ValidationError(errors)
    if qreturn.status != Status.SUBMITTED:
        raise IllegalTransition(
            f"This return is {qreturn.get_status_display().lower()}: only a submitted return "
            "can be accepted or returned.",
            code="illegal",
        )
    to_status = Status.ACCEPTED if decision == ACCEPT else Status.RETURNED
    qreturn.status = to_status
    qreturn.reviewed_at = timezone.now()
    qreturn.save()
    transition = _transition(qreturn, Status.SUBMITTED, to_status, by)
    if comment:
        ReturnComment.objects.create(
            qreturn=qreturn,
            transition=transition,
            text=comment,
            created_by=by,
            created_by_label=_label(by),
            by_national_team=True,
        )
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=qreturn,
        site=qreturn.site,
        changes={"status": [Status.SUBMITTED.label, to_status.label]},
        summary=(
            f"Accepted the return for {qreturn.period_label}"
            if to_status == Status.ACCEPTED
            else f"Returned the return for {qreturn.period_label} with comments"
        ),
    )
    return qreturn


@transaction.atomic
def add_comment(*, qreturn: QuarterlyReturn, text: str, by) -> ReturnComment:
    """A comment in the return's thread, from the national team or the site's lead."""
    national = has_permission(by, Permission.RETURN_REVIEW)
    if not (national or has_permission(by, Permission.RETURN_SUBMIT, site=qreturn.site_id)):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Enter your comment"]})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": [f"Comments must be {MAX_COMMENT:,} characters or fewer"]})
    comment = ReturnComment.objects.create(
        qreturn=qreturn,
        text=text,
        created_by=by,
        created_by_label=_label(by),
        by_national_team=national,
    )
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=comment,
        site=qreturn.site,
        summary=f"Commented on the return for {qreturn.period_label}",
    )
    return comment


@transaction.atomic
def set_due_date(*, qreturn: QuarterlyReturn, due_on, by) -> QuarterlyReturn:
    require_permission(by, Permission.RETURN_REVIEW)
    qreturn = QuarterlyReturn.objects.select_for_update().select_related("site").get(pk=qreturn.pk)
    _, quarter_end = periods.quarter_bounds(qreturn.financial_year, qreturn.quarter)
    if due_on is None:
        raise ValidationError({"due_on": ["Enter the date the return is due"]})
    if due_on <= quarter_end:
        raise ValidationError(
            {
                "due_on": [
                    "The due date must be after the quarter ends "
                    f"({periods.long_date(quarter_end)})"
                ]
            }
        )
    if due_on == qreturn.due_on:
        return qreturn
    before = qreturn.due_on
    qreturn.due_on = due_on
    qreturn.save(update_fields=["due_on"])
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=qreturn,
        site=qreturn.site,
        changes={"due_on": [before.isoformat(), due_on.isoformat()]},
    )
    return qreturn
