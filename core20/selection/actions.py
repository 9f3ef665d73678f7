"""Selection actions: calls, applications, panels, scores and decisions.

Each action names who does it (``by``), checks that they may (PermissionDenied if not),
validates (ValidationError, with a message per field where there is a field), saves and
records an audit event, all in one transaction. ``data`` maps field names to values as a
form's ``cleaned_data`` gives them.

Who may do what:
- national admins (CALL_MANAGE): calls (a draft until opened), questions, criteria, panels,
  decisions;
- applicants (any signed-in user): their own applications, only while the call is open;
- panel members (APPLICATION_SCORE and appointed to the call): declare conflicts of interest
  and score submitted applications, from the day after the call closes.

The actions whose rules depend on the date (a call open, scoring open) take ``now``: the
moment the action happens, for those rules and for the times it stamps (when an application
was started, saved, submitted or scored). It defaults to the real time and the pages never
pass it; the demo (core20/web/demo/selection.py) uses it to run a call in the past. The audit
events keep the real time.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from core20.accounts import actions as account_actions
from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.models import Membership, User
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.mail import automated_email
from core20.places.icbs import current_icbs
from core20.programme import actions as programme_actions
from core20.programme.models import Site
from core20.selection.files import MAX_ATTACHMENTS, validate_document
from core20.selection.models import (
    Answer,
    Application,
    Attachment,
    Call,
    ConflictDeclaration,
    Criterion,
    PanelAppointment,
    Question,
    Review,
    Score,
    word_count,
)
from core20.web.uploads import display_name

CALL_FIELDS = ("wave", "title", "summary", "opens_on", "closes_on", "disagreement_threshold")
QUESTION_FIELDS = ("position", "text", "guidance", "word_limit")
CRITERION_FIELDS = ("position", "name", "description", "weight", "max_score")
APPLICATION_FIELDS = (
    "organisation_name",
    "kind",
    "ics_name",
    "place",
    "regions",
    "icbs",
    "summary",
    "focus_areas",
    "communities",
    "communities_note",
    "contact_name",
    "contact_email",
    "contact_phone",
)
APPLICATION_M2M = ("regions", "icbs", "focus_areas", "communities")
SUMMARY_WORD_LIMIT = 150
PANEL_ROLE = "panel_member"


def answer_field(question: Question | int) -> str:
    """The form field (and error key) for a question's answer."""
    return f"answer_{getattr(question, 'pk', question)}"


def score_field(criterion: Criterion | int) -> str:
    return f"score_{getattr(criterion, 'pk', criterion)}"


# ---- helpers ----


def _readable(instance: Model, fields: Iterable[str]) -> dict:
    data = snapshot(instance, fields)
    for name in fields:
        field = instance._meta.get_field(name)
        if field.choices and not field.many_to_many:
            data[name] = getattr(instance, f"get_{name}_display")()
    return data


def _created(after: Mapping) -> dict:
    return {k: [None, v] for k, v in after.items() if v not in (None, "", [])}


def _check_fields(data: Mapping, allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


def _full_clean(instance: Model, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise ValidationError(exc.update_error_dict({})) from None


def _stamp(instance: Model, now: datetime | None, *fields: str) -> None:
    """Set fields Django stamps itself (auto_now, auto_now_add) to ``now`` when the action
    is given one; without it they keep Django's stamp, the real time."""
    if now is None:
        return
    type(instance)._default_manager.filter(pk=instance.pk).update(**dict.fromkeys(fields, now))
    for name in fields:
        setattr(instance, name, now)


def _delete_file_later(field_file) -> None:
    """Delete a stored file once the transaction that stopped using it has committed."""
    if field_file and field_file.name:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


def closed_message(call: Call) -> str:
    return (
        f"This call closed on {date_format(call.closes_on, 'j F Y')}. Applications can no "
        "longer be started, changed or submitted."
    )


def scoring_not_open_message(call: Call) -> str:
    return (
        f"Scoring opens on {date_format(call.scoring_opens_on, 'j F Y')}, the day after the "
        "call closes."
    )


# ---- calls ----


def _store_pack(call: Call, pack) -> None:
    try:
        content_type = validate_document(pack)
    except ValidationError as exc:
        raise ValidationError({"pack": exc.messages}) from None
    old_name = call.pack.name if call.pack else ""
    name = display_name(pack.name)
    call.pack.save(name, pack, save=False)
    if old_name and old_name != call.pack.name:
        storage = call.pack.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    call.pack_name = name
    call.pack_content_type = content_type
    call.pack_size = pack.size


@transaction.atomic
def create_call(*, data: Mapping, pack=None, by, now: datetime | None = None) -> Call:
    require_permission(by, Permission.CALL_MANAGE)
    _check_fields(data, CALL_FIELDS)
    call = Call(created_by=by, **data)
    _full_clean(call, exclude=["pack"])
    if pack is not None:
        _store_pack(call, pack)
    call.save()
    _stamp(call, now, "created_at")
    changes = _created(_readable(call, CALL_FIELDS))
    if call.pack_name:
        changes["prior information pack"] = [None, call.pack_name]
    record(actor=by, verb=AuditEvent.Verb.CREATE, obj=call, changes=changes, summary=str(call))
    return call


@transaction.atomic
def update_call(*, call: Call, data: Mapping, pack=None, by) -> Call:
    require_permission(by, Permission.CALL_MANAGE)
    _check_fields(data, CALL_FIELDS)
    call = Call.objects.select_for_update().get(pk=call.pk)
    before = _readable(call, CALL_FIELDS)
    before_pack = call.pack_name
    for name, value in data.items():
        setattr(call, name, value)
    _full_clean(call, exclude=["pack"])
    if pack is not None:
        _store_pack(call, pack)
    changes = diff(before, _readable(call, CALL_FIELDS))
    if pack is not None:
        changes["prior information pack"] = [before_pack or None, call.pack_name]
    if changes:
        call.save()
        record(actor=by, verb=AuditEvent.Verb.UPDATE, obj=call, changes=changes)
    return call


def opening_problems(call: Call, today: date | None = None) -> list[str]:
    """Why the call cannot be opened (on ``today``, the real date unless given) yet:
    applicants need questions to answer, the panel needs criteria to score against, and
    there must be time left to apply."""
    problems = []
    if not call.questions.exists():
        problems.append("Add at least one question for applicants to answer.")
    if not call.criteria.exists():
        problems.append("Add at least one scoring criterion for the panel.")
    if call.closes_on < (today or timezone.localdate()):
        problems.append("The closing date has passed. Change the call's dates.")
    return problems


@transaction.atomic
def open_call(*, call: Call, by, now: datetime | None = None) -> Call:
    """Publish a draft call: the public see it, and can apply, from its opening date."""
    require_permission(by, Permission.CALL_MANAGE)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call.is_draft:
        raise ValidationError("This call has already been opened.")
    problems = opening_problems(call, timezone.localdate(now))
    if problems:
        raise ValidationError(["The call cannot be opened yet.", *problems])
    call.status = Call.Status.PUBLISHED
    call.save(update_fields=["status"])
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=call,
        changes={"status": [Call.Status.DRAFT.label, Call.Status.PUBLISHED.label]},
        summary=f"Opened the call: applications from {date_format(call.opens_on, 'j F Y')}",
    )
    return call


# ---- questions and criteria ----


def _check_questions_editable(call: Call) -> None:
    if call.applications.exclude(status=Application.Status.DRAFT).exists():
        raise ValidationError(
            "Questions cannot be changed once an application has been submitted: applicants "
            "must all answer the same questions."
        )


def _check_criteria_editable(call: Call) -> None:
    if Review.objects.filter(application__call=call).exists():
        raise ValidationError(
            "Scoring criteria cannot be changed once the panel has started scoring."
        )


def _next_position(items) -> int:
    last = items.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def create_question(*, call: Call, data: Mapping, by) -> Question:
    require_permission(by, Permission.CALL_MANAGE)
    _check_fields(data, QUESTION_FIELDS)
    _check_questions_editable(call)
    question = Question(call=call, **data)
    if not data.get("position"):  # blank: at the end
        question.position = _next_position(call.questions)
    _full_clean(question)
    question.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=question,
        changes=_created(_readable(question, QUESTION_FIELDS)),
        summary=f"Question for “{call}”",
    )
    return question


@transaction.atomic
def update_question(*, question: Question, data: Mapping, by) -> Question:
    require_permission(by, Permission.CALL_MANAGE)
    _check_fields(data, QUESTION_FIELDS)
    question = Question.objects.select_for_update().select_related("call").get(pk=question.pk)
    _check_questions_editable(question.call)
    before = _readable(question, QUESTION_FIELDS)
    if "position" in data and not data["position"]:  # blank: keep its place
        data = {k: v for k, v in data.items() if k != "position"}
    for name, value in data.items():
        setattr(question, name, value)
    _full_clean(question)
    changes = diff(before, _readable(question, QUESTION_FIELDS))
    if changes:
        question.save()
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=question,
            changes=changes,
            summary=f"Question for “{question.call}”",
        )
    return question


@transaction.atomic
def delete_question(*, question: Question, by) -> None:
    """Drafts' answers to the question go with it (no submitted application has any)."""
    require_permission(by, Permission.CALL_MANAGE)
    _check_questions_editable(question.call)
    label = str(question)
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=question,
        changes={"text": [label, None]},
        summary=f"Question for “{question.call}”",
    )
    Answer.objects.filter(question=question).delete()
    question.delete()


@transaction.atomic
def create_criterion(*, call: Call, data: Mapping, by) -> Criterion:
    require_permission(by, Permission.CALL_MANAGE)
    _check_fields(data, CRITERION_FIELDS)
    _check_criteria_editable(call)
    criterion = Criterion(call=call, **data)
    if not data.get("position"):  # blank: at the end
        criterion.position = _next_position(call.criteria)
    _full_clean(criterion)
    criterion.save()
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=criterion,
        changes=_created(_readable(criterion, CRITERION_FIELDS)),
        summary=f"Scoring criterion for “{call}”",
    )
    return criterion


@transaction.atomic
def update_criterion(*, criterion: Criterion, data: Mapping, by) -> Criterion:
    require_permission(by, Permission.CALL_MANAGE)
    _check_fields(data, CRITERION_FIELDS)
    criterion = Criterion.objects.select_for_update().select_related("call").get(pk=criterion.pk)
    _check_criteria_editable(criterion.call)
    before = _readable(criterion, CRITERION_FIELDS)
    if "position" in data and not data["position"]:  # blank: keep its place
        data = {k: v for k, v in data.items() if k != "position"}
    for name, value in data.items():
        setattr(criterion, name, value)
    _full_clean(criterion)
    changes = diff(before, _readable(criterion, CRITERION_FIELDS))
    if changes:
        criterion.save()
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=criterion,
            changes=changes,
            summary=f"Scoring criterion for “{criterion.call}”",
        )
    return criterion


@transaction.atomic
def delete_criterion(*, criterion: Criterion, by) -> None:
    require_permission(by, Permission.CALL_MANAGE)
    _check_criteria_editable(criterion.call)
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=criterion,
        changes={"name": [criterion.name, None]},
        summary=f"Scoring criterion for “{criterion.call}”",
    )
    criterion.delete()


# ---- applicant accounts ----


@transaction.atomic
def create_applicant_account(*, full_name: str, email: str, password: str) -> User:
    """An account for someone applying: no role, so it sees only public pages and its own
    applications. The password has already passed Django's validators (the form)."""
    user = account_actions.create_user(email=email, full_name=full_name, password=password, by=None)
    record(
        actor=user,
        verb=AuditEvent.Verb.CREATE,
        obj=user,
        changes={"email": user.email, "full_name": user.full_name},
        summary="Applicant account created on the “Create an applicant account” page",
    )
    return user


# ---- applications (the applicant's side) ----


def _require_owner(application: Application, by) -> None:
    if by is None or not by.is_authenticated or application.applicant_id != by.pk:
        raise PermissionDenied


def _require_open_draft(application: Application, now: datetime | None = None) -> None:
    if not application.is_draft:
        raise ValidationError("This application has been submitted and can no longer be changed.")
    if application.call.state_on(timezone.localdate(now)) != "open":
        raise ValidationError(closed_message(application.call))


@transaction.atomic
def start_application(*, call: Call, by, now: datetime | None = None) -> Application:
    """The applicant's application for the call: their existing one, or a new draft."""
    if by is None or not by.is_authenticated:
        raise PermissionDenied
    existing = Application.objects.filter(call=call, applicant=by).first()
    if existing is not None:
        return existing
    if call.state_on(timezone.localdate(now)) != "open":
        raise ValidationError(closed_message(call))
    application = Application.objects.create(
        call=call, applicant=by, contact_name=by.full_name, contact_email=by.email
    )
    _stamp(application, now, "created_at", "updated_at")
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=application,
        changes={"status": [None, application.get_status_display()]},
        summary=f"Started an application to “{call}”",
    )
    return application


def _application_snapshot(application: Application) -> dict:
    return _readable(application, APPLICATION_FIELDS)


@transaction.atomic
def save_application(
    *,
    application: Application,
    data: Mapping,
    answers: Mapping[int, str],
    by,
    now: datetime | None = None,
) -> Application:
    """Save a draft: any field may be empty and answers may be over their word limits
    (submit_application checks those). ``answers`` maps question ids to text."""
    _require_owner(application, by)
    _check_fields(data, APPLICATION_FIELDS)
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    _require_open_draft(application, now)
    before = _application_snapshot(application)
    later = {}
    for name, value in data.items():
        if name in APPLICATION_M2M:
            later[name] = list(value or [])
        else:
            setattr(application, name, value)
    _full_clean(application, exclude=["call", "applicant", *APPLICATION_M2M])
    application.save()
    _stamp(application, now, "updated_at")
    for name, values in later.items():
        getattr(application, name).set(values)
    questions = {q.pk: q for q in application.call.questions.all()}
    existing = {a.question_id: a for a in application.answers.all()}
    changed_answers = []
    for question_id, text in answers.items():
        if question_id not in questions:
            raise ValueError(f"question {question_id} is not in this call")
        text = (text or "").strip()
        answer = existing.get(question_id)
        if answer is None:
            if text:
                Answer.objects.create(application=application, question_id=question_id, text=text)
                changed_answers.append(question_id)
        elif answer.text != text:
            answer.text = text
            answer.save(update_fields=["text", "updated_at"])
            changed_answers.append(question_id)
    changes = diff(before, _application_snapshot(application))
    if changed_answers:
        numbers = {q.pk: n for n, q in enumerate(questions.values(), start=1)}
        changes["answers changed"] = [
            None,
            [f"Question {numbers[q]}" for q in sorted(changed_answers, key=numbers.get)],
        ]
    if changes:
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=application,
            changes=changes,
            summary=f"Saved a draft application to “{application.call}”",
        )
    return application


def submission_errors(application: Application, today: date | None = None) -> dict[str, list[str]]:
    """What stops the application being submitted, by form field: the required details,
    ICBs in force on ``today`` (a site made from it would carry an out-of-use code), an
    answer to every question, and the word limits."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not application.organisation_name.strip():
        add("organisation_name", "Enter the name of the organisation applying")
    if not application.kind:
        add("kind", "Choose whether you are applying as an integrated care system or a place")
    if not application.ics_name.strip():
        add("ics_name", "Enter the name of your integrated care system")
    if application.kind == Site.Kind.PLACE and not application.place.strip():
        add("place", "Enter the name of the place")
    regions = list(application.regions.all())
    icbs = list(application.icbs.select_related("region"))
    if not regions:
        add("regions", "Choose at least one NHS region")
    if not icbs:
        add("icbs", "Choose at least one integrated care board (ICB)")
    region_ids = {r.pk for r in regions}
    in_force = set(
        current_icbs(today).filter(pk__in=[i.pk for i in icbs]).values_list("pk", flat=True)
    )
    for icb in icbs:
        if icb.pk not in in_force:
            add(
                "icbs",
                f"{icb.name} ({icb.code}) is no longer in use. Untick it and choose the ICB "
                "that covers your area now.",
            )
        if region_ids and icb.region_id not in region_ids:
            add(
                "icbs",
                f"{icb.name} is in the {icb.region} region. Choose that region too, or untick "
                "this ICB.",
            )
    if not application.summary.strip():
        add("summary", "Enter a summary of your proposal")
    elif (words := word_count(application.summary)) > SUMMARY_WORD_LIMIT:
        add(
            "summary",
            f"Summary must be {SUMMARY_WORD_LIMIT} words or fewer. It has {words} words.",
        )
    if not application.focus_areas.exists():
        add("focus_areas", "Choose at least one clinical area you will focus on")
    if not application.communities.exists():
        add("communities", "Choose at least one community you will work with")
    if not application.contact_name.strip():
        add("contact_name", "Enter the name of the person we should contact")
    if not application.contact_email.strip():
        add("contact_email", "Enter the contact's email address")
    answers = {a.question_id: a.text for a in application.answers.all()}
    for number, question in enumerate(application.call.questions.all(), start=1):
        text = answers.get(question.pk, "").strip()
        if not text:
            add(answer_field(question), f"Enter an answer to question {number}")
        elif question.word_limit and (words := word_count(text)) > question.word_limit:
            add(
                answer_field(question),
                f"Your answer to question {number} must be {question.word_limit} words or "
                f"fewer. It has {words} words.",
            )
    return errors


@transaction.atomic
def submit_application(*, application: Application, by, now: datetime | None = None) -> Application:
    _require_owner(application, by)
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    _require_open_draft(application, now)
    errors = submission_errors(application, timezone.localdate(now))
    if errors:
        raise ValidationError(errors)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now or timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    _stamp(application, now, "updated_at")
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=application,
        changes={"status": ["Draft", "Submitted"]},
        summary=f"Submitted an application to “{application.call}”",
    )
    return application


@transaction.atomic
def add_attachment(*, application: Application, upload, by) -> Attachment:
    _require_owner(application, by)
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    _require_open_draft(application)
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "file": f"You can attach up to {MAX_ATTACHMENTS} files. Remove one before "
                "adding another"
            }
        )
    try:
        content_type = validate_document(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    name = display_name(upload.name)
    attachment = Attachment(
        application=application,
        name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=attachment,
        changes={"name": [None, name], "size": [None, upload.size]},
        summary=f"Attached a file to the application to “{application.call}”",
    )
    return attachment


@transaction.atomic
def remove_attachment(*, attachment: Attachment, by) -> None:
    application = attachment.application
    _require_owner(application, by)
    _require_open_draft(application)
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=attachment,
        changes={"name": [attachment.name, None]},
        summary=f"Removed a file from the application to “{application.call}”",
    )
    _delete_file_later(attachment.file)
    attachment.delete()


# ---- the panel ----


def has_panel_role(user: User) -> bool:
    return Membership.objects.filter(user=user, role=PANEL_ROLE, ended_at__isnull=True).exists()


@transaction.atomic
def appoint_panel_member(
    *, call: Call, user: User, member_type: str, by, now: datetime | None = None
) -> PanelAppointment:
    """Appoint someone to the call's panel, granting them the panel member role if they do
    not hold it yet (core20.accounts.actions.grant_role, audited there)."""
    require_permission(by, Permission.CALL_MANAGE)
    if not user.is_active:
        raise ValidationError({"email": f"{user}'s account is switched off"})
    if PanelAppointment.objects.filter(call=call, user=user).exists():
        raise ValidationError({"user": f"{user} is already on this panel"})
    if not has_panel_role(user):
        account_actions.grant_role(user=user, role=PANEL_ROLE, by=by)
    appointment = PanelAppointment(call=call, user=user, member_type=member_type, appointed_by=by)
    _full_clean(appointment, exclude=["call", "user"])
    appointment.save()
    _stamp(appointment, now, "appointed_at")
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=appointment,
        changes={
            "panel member": [None, f"{user} <{user.email}>"],
            "member_type": [None, appointment.get_member_type_display()],
        },
        summary=f"Appointed to the panel for “{call}”",
    )
    return appointment


@transaction.atomic
def remove_panel_member(*, appointment: PanelAppointment, by) -> None:
    """Only before they have scored anything: submitted scores stay with the panel."""
    require_permission(by, Permission.CALL_MANAGE)
    if appointment.reviews.exists():
        raise ValidationError(
            f"{appointment.user} has already submitted scores, so they stay on the panel."
        )
    record(
        actor=by,
        verb=AuditEvent.Verb.DELETE,
        obj=appointment,
        changes={"panel member": [f"{appointment.user} <{appointment.user.email}>", None]},
        summary=f"Removed from the panel for “{appointment.call}”",
    )
    appointment.delete()


def appointment_for(user, call: Call) -> PanelAppointment | None:
    """The user's appointment to the call's panel, if they may act on it now."""
    if not has_permission(user, Permission.APPLICATION_SCORE):
        return None
    return PanelAppointment.objects.filter(call=call, user=user).first()


def _require_appointment(by, call: Call) -> PanelAppointment:
    appointment = appointment_for(by, call)
    if appointment is None:
        raise PermissionDenied
    return appointment


def _require_in_review(application: Application) -> None:
    if application.status not in Application.IN_REVIEW:
        if application.is_decided:
            raise ValidationError(
                "A decision has been made on this application, so the panel's work on it is "
                "finished."
            )
        raise ValidationError("This application has not been submitted.")


def _require_scoring_open(application: Application, now: datetime | None = None) -> None:
    """Applicants are told the panel reviews applications after the call closes."""
    if application.call.state_on(timezone.localdate(now)) != "closed":
        raise ValidationError(scoring_not_open_message(application.call))


@transaction.atomic
def declare_conflict(
    *,
    application: Application,
    has_conflict: bool,
    details: str = "",
    by,
    now: datetime | None = None,
) -> ConflictDeclaration:
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    appointment = _require_appointment(by, application.call)
    _require_in_review(application)
    _require_scoring_open(application, now)
    if Review.objects.filter(appointment=appointment, application=application).exists():
        raise ValidationError(
            "You have already submitted scores for this application. If you have since found a "
            "conflict of interest, tell the national team."
        )
    details = (details or "").strip()
    if has_conflict and not details:
        raise ValidationError({"details": "Describe your conflict of interest"})
    declaration, created = ConflictDeclaration.objects.update_or_create(
        appointment=appointment,
        application=application,
        defaults={"has_conflict": has_conflict, "details": details if has_conflict else ""},
    )
    _stamp(declaration, now, "declared_at")
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.UPDATE,
        obj=declaration,
        object_label=f"Conflict of interest declaration for {application}",
        changes={
            "conflict of interest": [None, "Yes" if has_conflict else "No"],
            **({"details": [None, details]} if has_conflict else {}),
        },
        summary=f"Panel for “{application.call}”",
    )
    return declaration


@transaction.atomic
def submit_review(
    *,
    application: Application,
    scores: Mapping[int, int],
    comments: str = "",
    score_comments: Mapping[int, str] | None = None,
    by,
    now: datetime | None = None,
) -> Review:
    """Submit one panel member's scores (criterion id -> score) and comments. Refused with a
    declared conflict of interest (PermissionDenied), or before declaring, or twice."""
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    appointment = _require_appointment(by, application.call)
    _require_in_review(application)
    _require_scoring_open(application, now)
    declaration = ConflictDeclaration.objects.filter(
        appointment=appointment, application=application
    ).first()
    if declaration is None:
        raise ValidationError(
            "Declare whether you have a conflict of interest before scoring this application."
        )
    if declaration.has_conflict:
        raise PermissionDenied(
            "You declared a conflict of interest with this application, so you cannot score it."
        )
    if Review.objects.filter(appointment=appointment, application=application).exists():
        raise ValidationError("You have already submitted your scores for this application.")
    criteria = list(application.call.criteria.all())
    if not criteria:
        raise ValidationError("This call has no scoring criteria yet.")
    score_comments = score_comments or {}
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        message = (
            f"Score for {criterion.name} must be a whole number from 0 to {criterion.max_score}"
        )
        if value is None:
            errors[score_field(criterion)] = [f"Enter a score for {criterion.name}"]
        elif (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= criterion.max_score
        ):
            errors[score_field(criterion)] = [message]
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        raise ValueError(f"criteria not in this call: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        appointment=appointment,
        application=application,
        comments=(comments or "").strip(),
        submitted_at=now or timezone.now(),
    )
    Score.objects.bulk_create(
        Score(
            review=review,
            criterion=criterion,
            score=scores[criterion.pk],
            comment=(score_comments.get(criterion.pk) or "").strip(),
        )
        for criterion in criteria
    )
    record(
        actor=by,
        verb=AuditEvent.Verb.CREATE,
        obj=review,
        changes={criterion.name: [None, scores[criterion.pk]] for criterion in criteria},
        summary=f"Scored an application to “{application.call}”",
    )
    if application.status == Application.Status.SUBMITTED:
        application.status = Application.Status.UNDER_REVIEW
        application.save(update_fields=["status", "updated_at"])
        _stamp(application, now, "updated_at")
        record(
            actor=by,
            verb=AuditEvent.Verb.UPDATE,
            obj=application,
            changes={"status": ["Submitted", "Under review"]},
            summary="The panel started scoring",
        )
    return review


# ---- decisions ----


# Where the default letter leaves room for the panel's feedback. A letter still holding it
# is not sent: the applicant would get the placeholder instead of the feedback.
FEEDBACK_PLACEHOLDER = "[Add the panel's feedback here]"


def default_letter(application: Application, decision: str) -> str:
    """The feedback letter's starting text for a decision, for the admin to edit."""
    return render_to_string(
        f"selection/letters/{decision}.txt",
        {
            "feedback_placeholder": FEEDBACK_PLACEHOLDER,
            "application": application,
            "applicant": application.applicant,
            "call": application.call,
            "wave": application.call.wave,
            "decision": Application.Status(decision).label,
        },
    ).strip()


def site_data(application: Application, decision: str, *, name: str = "") -> dict:
    """What a selected or associate application carries over to its new site."""
    call = application.call
    notes = [f"Selected through “{call.title}” (application {application.pk})."]
    if application.organisation_name:
        notes.append(f"Lead organisation: {application.organisation_name}.")
    contact = ", ".join(p for p in (application.contact_name, application.contact_phone) if p)
    if contact:
        notes.append(f"Contact: {contact}.")
    return {
        "wave": call.wave,
        "name": (name or application.area_name).strip(),
        "kind": application.kind or Site.Kind.ICS,
        "status": Site.Status.SELECTED
        if decision == Application.Status.SELECTED
        else Site.Status.ASSOCIATE,
        "published": False,
        "place": application.place,
        "regions": list(application.regions.all()),
        "icbs": list(application.icbs.all()),
        "summary": application.summary,
        "focus_areas": list(application.focus_areas.all()),
        "communities": list(application.communities.all()),
        "communities_note": application.communities_note,
        "contact_email": application.contact_email,
        "internal_notes": " ".join(notes),
        "source": f"Expression of interest to “{call.title}”",
    }


def _send_letter(application_id: int, link: str) -> None:
    application = Application.objects.select_related("applicant", "call").get(pk=application_id)
    context = {"application": application, "call": application.call, "link": link}
    subject = render_to_string("selection/email/decision_subject.txt", context).strip()
    automated_email(
        subject=subject,
        template="selection/email/decision.txt",
        context=context,
        to=application.applicant.email,
    ).send()
    Application.objects.filter(pk=application_id).update(letter_sent_at=timezone.now())


@transaction.atomic
def decide_application(
    *,
    application: Application,
    decision: str,
    letter: str,
    site_name: str = "",
    link: str = "",
    by,
) -> Application:
    """Record the decision and its letter; a selected or associate application becomes a
    site (programme.actions.create_site). The letter is emailed to the applicant once the
    transaction commits. ``link`` is the applicant's status page, for the email."""
    require_permission(by, Permission.CALL_MANAGE)
    application = (
        Application.objects.select_for_update()
        .select_related("call__wave", "applicant")
        .get(pk=application.pk)
    )
    _require_in_review(application)
    if decision not in Application.DECISIONS:
        raise ValidationError({"decision": "Choose a decision"})
    letter = (letter or "").strip()
    if not letter:
        raise ValidationError({"letter": "Enter the feedback letter"})
    if FEEDBACK_PLACEHOLDER in letter:
        raise ValidationError(
            {"letter": f"Replace “{FEEDBACK_PLACEHOLDER}” with the panel's feedback"}
        )
    site = None
    if decision in (Application.Status.SELECTED, Application.Status.ASSOCIATE):
        try:
            site = programme_actions.create_site(
                data=site_data(application, decision, name=site_name), by=by
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {}
                for field, messages in exc.error_dict.items():
                    if field == "slug" and "name" in exc.error_dict:
                        continue  # the same clash, said once
                    target = "site_name" if field in ("name", "slug") else field
                    errors.setdefault(target, []).extend(messages)
                raise ValidationError(errors) from None
            raise
    before = application.get_status_display()
    application.status = decision
    application.decided_at = timezone.now()
    application.decided_by = by
    application.decision_letter = letter
    application.site = site
    application.save()
    changes = {"status": [before, application.get_status_display()]}
    if site is not None:
        changes["site"] = [None, site.name]
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=application,
        site=site,
        changes=changes,
        summary=f"Decision on an application to “{application.call}”; feedback letter sent",
    )
    application_id = application.pk
    transaction.on_commit(lambda: _send_letter(application_id, link))
    return application
