"""Connector network actions: recruitment, the pipeline, checks, training, support,
development, invitations and site requirements.

Each action names who does it (``by``; None only for the public expression-of-interest
form), checks that they may, validates everything before saving anything, saves and records
an audit event, all in one transaction. A ValidationError leaves nothing half-saved; its
messages are keyed by field where there is one, so pages can show them there.

Audit events about connectors never carry lived experience or the text of confidential
notes: the log is seen by site leads and national staff, who may not read those.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core20.accounts import actions as account_actions
from core20.accounts.models import Membership, User
from core20.accounts.roles import Connector as ConnectorRole
from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.network import emails, requirements
from core20.network.models import (
    Check,
    CheckType,
    Connector,
    DevelopmentGoal,
    PathwayStep,
    RoleType,
    SiteRequirements,
    StatusChange,
    SupportNote,
    TrainingCompletion,
    TrainingModule,
    WellbeingFlag,
)
from core20.network.visibility import (
    is_host_coordinator,
    may_manage,
    may_see_development,
    require_manage,
)
from core20.programme.models import Site, SiteOrganisation

Status = Connector.Status
Verb = AuditEvent.Verb

# Fields anyone managing connectors may set; lived experience only through its own fields
# below, and only a host coordinator (or the person, on the public form) may set them.
DETAIL_FIELDS = (
    "name",
    "email",
    "phone",
    "role_type",
    "host_organisation",
    "languages",
    "skills",
    "interests",
    "availability",
    "started_on",
)
M2M_FIELDS = ("communities", "wards")
LIVED_FIELDS = ("lived_experience", "lived_experience_consent")
REASON_NEEDED = {Status.PAUSED, Status.LEFT}
MAX_TEXT = 5000


def _require_not_erased(connector: Connector) -> None:
    """An erased connector's record stays only for the counts: nothing more is added to it."""
    # Read from the database: the caller's copy may predate the erasure.
    if Connector.objects.filter(pk=connector.pk, erased_at__isnull=False).exists():
        raise ValidationError("This connector's personal details were erased; the record is closed")


def _full_clean(instance, exclude=None) -> None:
    instance.full_clean(exclude=exclude)


def _default_host(site: Site):
    """The site's host organisation when it has exactly one."""
    hosts = list(
        SiteOrganisation.objects.filter(site=site, role=SiteOrganisation.Role.HOST).values_list(
            "organisation_id", flat=True
        )[:2]
    )
    return hosts[0] if len(hosts) == 1 else None


def _lived(connector: Connector, data: Mapping) -> None:
    """Lived experience is kept only with explicit consent, and consent is dated."""
    text = (data.get("lived_experience") or "").strip()
    consent = bool(data.get("lived_experience_consent"))
    if text and not consent:
        raise ValidationError(
            {
                "lived_experience_consent": (
                    "Tick the box to agree to us keeping what you wrote about your lived "
                    "experience, or delete what you wrote if you would rather we did not keep it"
                )
            }
        )
    if consent and not connector.lived_experience_consent:
        connector.lived_experience_consent_at = timezone.now()
    if not consent:
        connector.lived_experience_consent_at = None
        text = ""
    connector.lived_experience = text
    connector.lived_experience_consent = consent


def _set_m2m(connector: Connector, data: Mapping) -> None:
    for name in M2M_FIELDS:
        if name in data:
            getattr(connector, name).set(data[name] or [])


def _languages(value) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    seen: list[str] = []
    for item in value or []:
        item = str(item).strip()
        if item and item.lower() not in [s.lower() for s in seen]:
            seen.append(item[:60])
    return seen


def _apply(connector: Connector, data: Mapping) -> None:
    for name in DETAIL_FIELDS:
        if name in data:
            value = data[name]
            if name == "languages":
                value = _languages(value)
            elif name == "email":
                value = (value or "").strip().lower()
            elif name == "host_organisation":
                connector.host_organisation = value
                continue
            elif value is None and name != "started_on":
                value = ""
            setattr(connector, name, value)


def _check_unknown(data: Mapping, allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")


# ---- recruitment ----


@transaction.atomic
def submit_interest(*, site: Site, data: Mapping, base_url: str | None = None) -> Connector:
    """Someone from the public expresses interest at a site (no account needed).

    With ``base_url`` (the public form gives it, for the links), once the transaction commits
    the person gets a confirmation and the site's team a notice (``emails``); a failed save
    sends nothing. Without it (the demo loader) no email is sent."""
    _check_unknown(data, (*DETAIL_FIELDS, *M2M_FIELDS, *LIVED_FIELDS, "motivation"))
    connector = Connector(
        site=site,
        source=Connector.Source.INTEREST_FORM,
        status=Status.INTERESTED,
        host_organisation_id=_default_host(site),
    )
    _apply(connector, data)
    connector.motivation = (data.get("motivation") or "").strip()
    _lived(connector, data)
    _unique_email(connector)
    _full_clean(connector)
    connector.save()
    _set_m2m(connector, data)
    StatusChange.objects.create(connector=connector, to_status=Status.INTERESTED)
    record(
        actor=None,
        verb=Verb.SUBMIT,
        obj=connector,
        site=site,
        summary="Expression of interest received",
    )
    if base_url is not None:
        transaction.on_commit(lambda: emails.send_interest_emails(connector, base_url))
    return connector


def _unique_email(connector: Connector) -> None:
    if not connector.email:
        return
    clash = Connector.objects.filter(site_id=connector.site_id, email=connector.email).exclude(
        pk=connector.pk
    )
    if clash.exists():
        raise ValidationError(
            {
                "email": (
                    "Someone with this email address has already been in touch with this "
                    "site. The coordinator will contact you"
                    if connector.source == Connector.Source.INTEREST_FORM and not connector.pk
                    else "There is already a connector with this email address at this site"
                )
            }
        )


@transaction.atomic
def create_connector(*, site: Site, data: Mapping, by: User) -> Connector:
    """A coordinator adds someone directly (for example after a phone call)."""
    require_manage(by, site)
    allowed = (*DETAIL_FIELDS, *M2M_FIELDS, "motivation")
    if is_host_coordinator(by, site):
        allowed = (*allowed, *LIVED_FIELDS)
    _check_unknown(data, allowed)
    connector = Connector(site=site, source=Connector.Source.ADDED, created_by=by)
    _apply(connector, data)
    if connector.host_organisation_id is None:
        connector.host_organisation_id = _default_host(site)
    connector.motivation = (data.get("motivation") or "").strip()
    if is_host_coordinator(by, site):
        _lived(connector, data)
    _unique_email(connector)
    _full_clean(connector)
    connector.save()
    _set_m2m(connector, data)
    StatusChange.objects.create(connector=connector, to_status=connector.status, changed_by=by)
    record(actor=by, verb=Verb.CREATE, obj=connector, site=site, summary="Connector added")
    return connector


@transaction.atomic
def update_connector(*, connector: Connector, data: Mapping, by: User) -> Connector:
    """Change a connector's details. Lived experience only by the site's host coordinators.
    A change of role type is a pathway step (see change_role_type), not done here."""
    require_manage(by, connector.site)
    _require_not_erased(connector)
    allowed = tuple(f for f in (*DETAIL_FIELDS, *M2M_FIELDS) if f != "role_type")
    if is_host_coordinator(by, connector.site):
        allowed = (*allowed, *LIVED_FIELDS)
    _check_unknown(data, allowed)
    before = {f: getattr(connector, f) for f in DETAIL_FIELDS if f in data}
    _apply(connector, data)
    if any(f in data for f in LIVED_FIELDS):
        _lived(connector, data)
    _unique_email(connector)
    _full_clean(connector)
    connector.save()
    _set_m2m(connector, data)
    changed = {
        f: [str(before[f] or ""), str(getattr(connector, f) or "")]
        for f in before
        if before[f] != getattr(connector, f)
    }
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=connector,
        site=connector.site,
        # Contact details may change; their values stay out of the site's audit log.
        changes={f: ["…", "…"] if f in ("email", "phone") else v for f, v in changed.items()},
        summary="Details changed",
    )
    return connector


@transaction.atomic
def change_status(*, connector: Connector, to: str, reason: str = "", by: User) -> Connector:
    """Move a connector through the pipeline. Active needs the site's checks and training;
    pausing and leaving need a reason."""
    require_manage(by, connector.site)
    _require_not_erased(connector)
    connector = Connector.objects.select_for_update().select_related("site").get(pk=connector.pk)
    reason = (reason or "").strip()
    if to not in Status.values:
        raise ValidationError({"status": "Choose a stage from the list"})
    if to == connector.status:
        raise ValidationError({"status": f"{connector.name} is already at this stage"})
    if to in REASON_NEEDED and not reason:
        raise ValidationError({"reason": f"Say why {connector.name} is {Status(to).label.lower()}"})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": f"Reason must be {MAX_TEXT} characters or fewer"})
    if to == Status.ACTIVE:
        ready = requirements.readiness(connector)
        if not ready.ready:
            raise ValidationError({"status": ready.message})
    before = connector.status
    now = timezone.now()
    connector.status = to
    connector.status_changed_at = now
    if to == Status.ACTIVE and connector.started_on is None:
        connector.started_on = timezone.localdate()
    connector.save(update_fields=["status", "status_changed_at", "started_on", "updated_at"])
    StatusChange.objects.create(
        connector=connector,
        from_status=before,
        to_status=to,
        reason=reason,
        changed_at=now,
        changed_by=by,
    )
    record(
        actor=by,
        verb=Verb.STATUS,
        obj=connector,
        site=connector.site,
        changes={"status": [Status(before).label, Status(to).label]},
        summary=f"Moved to {Status(to).label.lower()}",
    )
    sync_role(connector=connector, before=before, by=by)
    return connector


def sync_role(*, connector: Connector, before: str, by: User) -> None:
    """Keep the person's *Community connector* role at the site in step with their stage,
    after a move from ``before``: the role is current exactly while the record is active.
    Made active (from any stage), they get it, if they do not hold it already; moved to
    any other stage (checks, training, paused, left...), it ends, so ``has_permission`` no
    longer lets them record activities or insights there, and their home says why. Nobody
    records on the programme's behalf before their checks and training are done, or while
    stepped back. Each change is the accounts app's own action, audited in the caller's
    transaction (``change_status``, an import). A record with no account has no role to
    change. ``before`` is where they came from (the rule needs only where they are now)."""
    user = connector.user
    if user is None or user.erased_at is not None:
        return
    current = Membership.objects.filter(
        user=user, role=ConnectorRole.key, site=connector.site, ended_at__isnull=True
    ).select_related("user", "site")
    if connector.status != Status.ACTIVE:
        for membership in current:
            account_actions.revoke_role(membership=membership, by=by)
    elif not current.exists():
        account_actions.grant_role(user=user, role=ConnectorRole.key, site=connector.site, by=by)


# ---- checks and training ----


@transaction.atomic
def record_check(
    *,
    connector: Connector,
    check_type: CheckType,
    status: str,
    completed_on: date | None = None,
    reference: str = "",
    notes: str = "",
    by: User,
) -> Check:
    require_manage(by, connector.site)
    _require_not_erased(connector)
    if check_type.site_id not in (None, connector.site_id):
        raise ValidationError({"check_type": "This check is not used at this site"})
    if status not in Check.Status.values:
        raise ValidationError({"status": "Choose the check's status"})
    if status in (Check.Status.CLEAR, Check.Status.NOT_CLEAR) and completed_on is None:
        raise ValidationError({"completed_on": "Enter the date the check was completed"})
    if completed_on and completed_on > timezone.localdate():
        raise ValidationError(
            {"completed_on": "The date the check was completed must be today or in the past"}
        )
    check, created = Check.objects.get_or_create(connector=connector, check_type=check_type)
    before = check.get_status_display()
    check.status = status
    check.completed_on = completed_on
    check.expires_on = (
        requirements.expiry(completed_on, check_type.valid_for_months)
        if status == Check.Status.CLEAR
        else None
    )
    check.reference = (reference or "").strip()
    check.notes = (notes or "").strip()
    check.reminded_at = None
    check.updated_by = by
    _full_clean(check)
    check.save()
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=connector,
        site=connector.site,
        changes={check_type.name: [None if created else before, check.get_status_display()]},
        summary=f"{check_type.name}: {check.get_status_display().lower()}",
    )
    return check


@transaction.atomic
def record_training(
    *,
    connector: Connector,
    module: TrainingModule,
    completed_on: date,
    evidence: str = "",
    by: User,
) -> TrainingCompletion:
    """Record that a connector completed (or renewed) a module."""
    require_manage(by, connector.site)
    _require_not_erased(connector)
    if module.site_id not in (None, connector.site_id):
        raise ValidationError({"module": "This module is not used at this site"})
    if completed_on is None:
        raise ValidationError({"completed_on": "Enter the date the training was completed"})
    if completed_on > timezone.localdate():
        raise ValidationError(
            {"completed_on": "The date the training was completed must be today or in the past"}
        )
    completion = TrainingCompletion(
        connector=connector,
        module=module,
        completed_on=completed_on,
        expires_on=requirements.expiry(completed_on, module.valid_for_months),
        evidence=(evidence or "").strip(),
        recorded_by=by,
    )
    _full_clean(completion)
    completion.save()
    record(
        actor=by,
        verb=Verb.CREATE,
        obj=connector,
        site=connector.site,
        changes={module.title: [None, f"completed {completed_on.isoformat()}"]},
        summary=f"Training recorded: {module.title}",
    )
    return completion


@transaction.atomic
def record_training_modules(
    *,
    connector: Connector,
    modules: Iterable[TrainingModule],
    completed_on: date,
    evidence: str = "",
    by: User,
) -> list[TrainingCompletion]:
    """Record several modules a connector completed (or renewed) on the same date, as
    ``record_training`` records each, with its own audit event. All or none: a problem with
    any of them leaves none saved."""
    modules = list(dict.fromkeys(modules))
    if not modules:
        raise ValidationError({"module": "Choose at least one training module"})
    return [
        record_training(
            connector=connector,
            module=module,
            completed_on=completed_on,
            evidence=evidence,
            by=by,
        )
        for module in modules
    ]


@transaction.atomic
def create_module(*, site: Site | None, data: Mapping, by: User) -> TrainingModule:
    """A site's own module (site lead, host coordinator) or a national one (national admin)."""
    if site is None:
        if not may_manage(by, None):
            raise PermissionDenied
    else:
        require_manage(by, site)
    _check_unknown(
        data, ("code", "title", "description", "url", "valid_for_months", "required_by_default")
    )
    module = TrainingModule(site=site, **data)
    clash = TrainingModule.objects.filter(code=module.code, site=site)
    if clash.exists():
        raise ValidationError({"code": "There is already a module with this short name"})
    _full_clean(module)
    module.save()
    record(actor=by, verb=Verb.CREATE, obj=module, site=site, summary="Training module added")
    return module


@transaction.atomic
def set_requirements(
    *, site: Site, checks: Iterable[CheckType], modules: Iterable[TrainingModule], by: User
) -> SiteRequirements:
    require_manage(by, site)
    checks, modules = list(checks), list(modules)
    if any(c.site_id not in (None, site.pk) for c in checks) or any(
        m.site_id not in (None, site.pk) for m in modules
    ):
        raise ValidationError("Choose checks and training used at this site")
    saved, _ = SiteRequirements.objects.get_or_create(site=site)
    saved.updated_by = by
    saved.save()
    saved.checks.set(checks)
    saved.modules.set(modules)
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=saved,
        site=site,
        changes={
            "checks": [None, ", ".join(c.name for c in checks) or "none"],
            "training": [None, ", ".join(m.title for m in modules) or "none"],
        },
        summary="Required checks and training changed",
    )
    return saved


# ---- support and development ----


def _require_host(by: User, connector: Connector) -> None:
    if not is_host_coordinator(by, connector.site_id):
        raise PermissionDenied


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"Enter the {label}"})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: f"The {label} must be {MAX_TEXT} characters or fewer"})
    return value


@transaction.atomic
def add_support_note(
    *, connector: Connector, kind: str, happened_on: date, body: str, by: User
) -> SupportNote:
    """Supervision or a check-in. Only the site's host coordinators write and read these."""
    _require_host(by, connector)
    _require_not_erased(connector)
    if happened_on is None:
        raise ValidationError({"happened_on": "Enter the date it took place"})
    note = SupportNote(
        connector=connector,
        kind=kind,
        happened_on=happened_on,
        body=_text(body, "body", "note"),
        created_by=by,
    )
    _full_clean(note)
    note.save()
    # The note's words stay out of the audit log, which site leads can read.
    record(
        actor=by,
        verb=Verb.CREATE,
        object_type="network.SupportNote",
        object_id=note.pk,
        object_label=f"{note.get_kind_display()} with {connector.name}",
        site=connector.site,
        summary="Confidential note added",
    )
    return note


@transaction.atomic
def raise_flag(*, connector: Connector, level: str, summary: str, by: User) -> WellbeingFlag:
    _require_host(by, connector)
    _require_not_erased(connector)
    flag = WellbeingFlag(
        connector=connector,
        level=level,
        summary=_text(summary, "summary", "summary of the concern"),
        raised_by=by,
    )
    _full_clean(flag)
    flag.save()
    record(
        actor=by,
        verb=Verb.CREATE,
        object_type="network.WellbeingFlag",
        object_id=flag.pk,
        object_label=f"Wellbeing flag for {connector.name}",
        site=connector.site,
        summary="Wellbeing flag raised",
    )
    return flag


@transaction.atomic
def resolve_flag(*, flag: WellbeingFlag, resolution: str, by: User) -> WellbeingFlag:
    _require_host(by, flag.connector)
    if flag.resolved_at is not None:
        raise ValidationError("This flag has already been closed")
    flag.resolution = _text(resolution, "resolution", "what was done")
    flag.resolved_at = timezone.now()
    flag.resolved_by = by
    flag.save()
    record(
        actor=by,
        verb=Verb.UPDATE,
        object_type="network.WellbeingFlag",
        object_id=flag.pk,
        object_label=f"Wellbeing flag for {flag.connector.name}",
        site=flag.connector.site,
        summary="Wellbeing flag closed",
    )
    return flag


@transaction.atomic
def add_goal(
    *, connector: Connector, title: str, detail: str = "", target_date=None, by: User
) -> DevelopmentGoal:
    """A development goal, set by a host coordinator or by the connector themself."""
    if not may_see_development(by, connector):
        raise PermissionDenied
    _require_not_erased(connector)
    goal = DevelopmentGoal(
        connector=connector,
        title=_text(title, "title", "goal"),
        detail=(detail or "").strip(),
        target_date=target_date,
        created_by=by,
    )
    _full_clean(goal)
    goal.save()
    record(
        actor=by,
        verb=Verb.CREATE,
        object_type="network.DevelopmentGoal",
        object_id=goal.pk,
        object_label=f"Development goal for {connector.name}",
        site=connector.site,
        summary="Development goal added",
    )
    return goal


@transaction.atomic
def set_goal_status(*, goal: DevelopmentGoal, status: str, by: User) -> DevelopmentGoal:
    if not may_see_development(by, goal.connector):
        raise PermissionDenied
    if status not in DevelopmentGoal.Status.values:
        raise ValidationError({"status": "Choose where the goal has got to"})
    before = goal.get_status_display()
    goal.status = status
    goal.achieved_on = timezone.localdate() if status == DevelopmentGoal.Status.ACHIEVED else None
    goal.save()
    record(
        actor=by,
        verb=Verb.STATUS,
        object_type="network.DevelopmentGoal",
        object_id=goal.pk,
        object_label=f"Development goal for {goal.connector.name}",
        site=goal.connector.site,
        changes={"status": [before, goal.get_status_display()]},
        summary="Development goal updated",
    )
    return goal


@transaction.atomic
def change_role_type(
    *, connector: Connector, role_type: str, started_on: date, note: str = "", by: User
) -> PathwayStep:
    """A step on the pathway (volunteer → sessional → employed, or back): kept as history.
    The pathway is shared by the host coordinators and the connector, so they change it."""
    _require_host(by, connector)
    _require_not_erased(connector)
    if role_type not in RoleType.values:
        raise ValidationError({"role_type": "Choose the new role"})
    if role_type == connector.role_type:
        raise ValidationError({"role_type": f"{connector.name} is already in this role"})
    if started_on is None:
        raise ValidationError({"started_on": "Enter the date the new role starts"})
    return _role_step(
        connector=connector, role_type=role_type, started_on=started_on, note=note, by=by
    )


def _role_step(
    *, connector: Connector, role_type: str, started_on: date, note: str, by: User
) -> PathwayStep:
    """The new role, kept as a step on the pathway, and its audit event: what changing the
    role does once the caller has checked it may (``change_role_type``, and an import that
    changes someone's role, ``importing.import_connectors``)."""
    step = PathwayStep.objects.create(
        connector=connector,
        from_role_type=connector.role_type,
        role_type=role_type,
        started_on=started_on,
        note=(note or "").strip(),
        recorded_by=by,
    )
    before = connector.get_role_type_display()
    connector.role_type = role_type
    connector.save(update_fields=["role_type", "updated_at"])
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=connector,
        site=connector.site,
        changes={"role_type": [before, connector.get_role_type_display()]},
        summary=f"Pathway: now {connector.get_role_type_display().lower()}",
    )
    return step


# ---- accounts ----


def _require_not_stepped_back(connector: Connector) -> None:
    """No invitation while paused or left: the role it gives would not be current."""
    if connector.status == Status.LEFT:
        raise ValidationError(f"{connector.name} has left: they cannot be invited")
    if connector.status == Status.PAUSED:
        raise ValidationError(
            f"{connector.name} is paused: invite them once they are back (move them out of "
            "paused first)"
        )


@transaction.atomic
def invite_connector(*, connector: Connector, by: User, request=None) -> User:
    """Give the connector an account: create the user (or use the one with their email),
    link the record, and email a new person a link to choose their password. They can sign
    in to see their training, checks and goals at any stage before paused or left; the
    ``connector`` role at the site, which lets them record activities and insights, comes
    now only if the record is active, otherwise when they are made active (``sync_role``).
    A record whose account was anonymised (closed for not being used) counts as having
    none: the new account replaces that link."""
    require_manage(by, connector.site)
    _require_not_erased(connector)
    # Their stage decides the role: read it now, not from a copy loaded before a move.
    connector.refresh_from_db(fields=["status"])
    if not connector.email:
        raise ValidationError(
            {"email": f"Add an email address for {connector.name} before inviting them"}
        )
    if connector.has_account:
        raise ValidationError(f"{connector.name} already has an account")
    _require_not_stepped_back(connector)
    closed = connector.user if connector.account_closed else None
    user = User.objects.filter(email=connector.email).first()
    created = user is None
    if created:
        user = account_actions.create_user(
            email=connector.email, full_name=connector.name, password=None, by=by
        )
    elif Connector.objects.filter(site=connector.site, user=user).exists():
        raise ValidationError("The account with this email already has a connector record here")
    if (
        connector.status == Status.ACTIVE
        and not Membership.objects.filter(
            user=user, role=ConnectorRole.key, site=connector.site, ended_at__isnull=True
        ).exists()
    ):
        account_actions.grant_role(user=user, role=ConnectorRole.key, site=connector.site, by=by)
    connector.user = user
    connector.invited_at = timezone.now()
    connector.save(update_fields=["user", "invited_at", "updated_at"])
    summary = "Invited to sign in" if created else "Linked to their existing account"
    record(
        actor=by,
        verb=Verb.UPDATE,
        obj=connector,
        site=connector.site,
        # The closed account is named only by its anonymous label.
        changes={"account": [str(closed), str(user)]} if closed else {},
        summary=f"{summary}, in place of their account closed for not being used"
        if closed
        else summary,
    )
    if created and request is not None:
        from core20.accounts.people import send_invitation

        transaction.on_commit(lambda: send_invitation(user=user, request=request))
    return user


def reinvite_connector(*, connector: Connector, by: User, request) -> User:
    """Email the invitation to sign in again to a connector whose account has not been used
    yet (the first link runs out): ``core20.accounts.people.resend_invitation``, which audits
    it at the record's site. An active connector's invitation is for their connector role
    there; someone not active yet has no role to send it for (they get it when they are made
    active), so it is for the role they are invited towards."""
    from core20.accounts.people import resend_invitation

    require_manage(by, connector.site)
    _require_not_erased(connector)
    user = connector.user
    if user is None:
        raise ValidationError(f"{connector.name} has no account yet: invite them to sign in")
    if connector.account_closed:
        raise ValidationError(
            f"{connector.name}'s account was closed because it was not used: invite them to "
            "sign in again instead"
        )
    _require_not_stepped_back(connector)
    membership = (
        Membership.objects.filter(
            user=user, role=ConnectorRole.key, site=connector.site, ended_at__isnull=True
        )
        .select_related("user", "site")
        .first()
    )
    if membership is None and connector.status != Status.ACTIVE:
        # Not saved: it names whom the invitation is for and the site it is audited at.
        membership = Membership(user=user, role=ConnectorRole.key, site=connector.site)
    if membership is None:
        raise ValidationError(
            f"{connector.name}'s account no longer has the community connector role at "
            f"{connector.site.name}, so there is no invitation to send again"
        )
    resend_invitation(membership=membership, by=by, request=request)
    return user
