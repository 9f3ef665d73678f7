"""The connector network: a connector's own record and training; a site's connectors and
pipeline for the people who manage them. The same permission checks and actions as the pages
(core20.network.visibility and core20.network.actions). Token or session only: an anonymous
call is a 401. Another site's connectors are a 404 for people who manage connectors
elsewhere, a 403 for everyone else. Lived experience and confidential support notes are not
in the API."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from core20.api.auth import WRITE_AUTH, effective_user
from core20.api.pagination import ApiPagination
from core20.api.schemas import ErrorOut, responses
from core20.network import actions, home, requirements
from core20.network.models import Connector, TrainingCompletion
from core20.network.visibility import connector_to_manage, site_to_manage

router = Router(tags=["Connector network"], auth=WRITE_AUTH)

StageName = Literal["interested", "conversation", "checks", "training", "active", "paused", "left"]
TrainingState = Literal["expired", "renew soon", "not done", "later"]
DAYS = home.DEFAULT_DAYS  # the renewal window, as on the connector home and the dashboard


def _responses(ok, *, not_found: bool = True) -> dict:
    return {**responses(ok, not_found=not_found), 403: ErrorOut}


def _raise_422(exc: DjangoValidationError, location: str = "body") -> None:
    """An action's ValidationError as the API's 422, field by field."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": (location, field), "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": (location,), "msg": message} for message in exc.messages]
    raise ValidationError(errors) from exc


class TrainingDueOut(Schema):
    module: str
    module_code: str
    state: TrainingState = Field(
        description=(
            f"expired; renew soon (runs out within {DAYS} days); not done (required by your "
            f"site, never done); later (required, next due after those {DAYS} days)"
        )
    )
    due: datetime.date | None = Field(
        description="When it expired or runs out (its expiry date); null when not done"
    )


class CompletionOut(Schema):
    module: str
    module_code: str
    completed_on: datetime.date
    expires_on: datetime.date | None


class CheckOut(Schema):
    check_type: str
    check_code: str
    status: str
    completed_on: datetime.date | None
    expires_on: datetime.date | None


class ConnectorOut(Schema):
    id: int
    site: str
    name: str
    email: str
    phone: str
    role_type: str
    status: str
    status_changed_at: datetime.datetime
    host_organisation: str | None
    languages: list[str]
    has_account: bool
    erased_at: datetime.datetime | None = Field(
        description="When their personal details were erased (the record stays, anonymised)"
    )


class ConnectorDetailOut(ConnectorOut):
    ready_to_be_active: bool
    missing_checks: list[str]
    missing_training: list[str]
    checks: list[CheckOut]
    training: list[CompletionOut]


class OwnRecordOut(ConnectorOut):
    training_due: list[TrainingDueOut] = Field(
        description=(
            "What your connector home lists as due next: modules to renew (expired or "
            f"running out within {DAYS} days, optional modules too: the number on your "
            "dashboard), soonest first, then modules your site requires that you have not "
            "done. Empty once you have left."
        )
    )
    training_later: list[TrainingDueOut] = Field(
        description=(
            f"Required modules you have done that are next due after those {DAYS} days, "
            'soonest first (your connector home\'s "later")'
        )
    )


class StageCountOut(Schema):
    status: str
    label: str
    count: int


class PipelineOut(Schema):
    site: str
    stages: list[StageCountOut]


class StatusIn(Schema):
    status: StageName
    reason: str = Field("", max_length=5000)


class TrainingIn(Schema):
    module: str = Field(description="The module's code, for example safeguarding")
    completed_on: datetime.date
    evidence: str = Field("", max_length=300)


class CheckIn(Schema):
    check_type: str = Field(description="The check's code, for example dbs")
    status: Literal["not_started", "in_progress", "clear", "not_clear"]
    completed_on: datetime.date | None = None
    reference: str = Field("", max_length=100)


class StageFilter(Schema):
    stage: StageName | None = Field(None, description="Only connectors at this stage")


def _summary(c: Connector) -> dict:
    return {
        "id": c.pk,
        "site": c.site.slug,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "role_type": c.role_type,
        "status": c.status,
        "status_changed_at": c.status_changed_at,
        "host_organisation": c.host_organisation.name if c.host_organisation_id else None,
        "languages": c.languages,
        "has_account": c.user_id is not None,
        "erased_at": c.erased_at,
    }


def _completion(t: TrainingCompletion) -> dict:
    return {
        "module": t.module.title,
        "module_code": t.module.code,
        "completed_on": t.completed_on,
        "expires_on": t.expires_on,
    }


def _training(c: Connector) -> list[dict]:
    return [
        _completion(t)
        for t in c.training_completions.select_related("module").order_by("-completed_on", "pk")
    ]


def _detail(c: Connector) -> dict:
    ready = requirements.readiness(c)
    return {
        **_summary(c),
        "ready_to_be_active": ready.ready,
        "missing_checks": ready.missing_checks,
        "missing_training": ready.missing_modules,
        "checks": [
            {
                "check_type": k.check_type.name,
                "check_code": k.check_type.code,
                "status": k.status,
                "completed_on": k.completed_on,
                "expires_on": k.expires_on,
            }
            for k in c.checks.select_related("check_type")
        ],
        "training": _training(c),
    }


# ---- a connector's own ----


def _due(items: list[home.DueModule]) -> list[dict]:
    return [
        {
            "module": item.module.title,
            "module_code": item.module.code,
            "state": item.state,
            "due": item.expires_on,
        }
        for item in items
    ]


@router.get(
    "/network/me",
    response=_responses(list[OwnRecordOut], not_found=False),
    summary="Your connector records",
)
def network_my_records(request):
    """Your own connector records (one per site you connect at), with the training you
    need to do or renew next: the same as your connector home."""
    user = effective_user(request)
    records = list(
        Connector.objects.for_user(user)
        .select_related("site", "host_organisation")
        .prefetch_related("training_completions")
        .order_by("site__name", "pk")
    )
    due = home.own_training_due(user, timezone.localdate(), records)
    return [
        {
            **_summary(c),
            "training_due": _due(due[c.pk].now),
            "training_later": _due(due[c.pk].later),
        }
        for c in records
    ]


@router.get(
    "/network/me/training",
    response=_responses(list[CompletionOut], not_found=False),
    summary="Your training completions",
)
def network_my_training(request):
    """Every training completion on your own connector records, latest first."""
    user = effective_user(request)
    # One query for all of them: by record (as before), each record's latest first.
    completions = (
        TrainingCompletion.objects.filter(connector__in=Connector.objects.for_user(user))
        .select_related("module")
        .order_by("connector_id", "-completed_on", "pk")
    )
    return [_completion(t) for t in completions]


# ---- coordinators ----


@router.get(
    "/network/sites/{slug}/pipeline",
    response=_responses(PipelineOut),
    summary="A site's connectors by stage",
)
def network_pipeline(request, slug: str):
    """How many of the site's connectors are at each stage."""
    site = site_to_manage(effective_user(request), slug)
    counts = dict(Connector.objects.filter(site=site).values_list("status").annotate(n=Count("pk")))
    return {
        "site": site.slug,
        "stages": [
            {"status": value, "label": label, "count": counts.get(value, 0)}
            for value, label in Connector.Status.choices
        ],
    }


@router.get(
    "/network/sites/{slug}/connectors",
    response=_responses(list[ConnectorOut]),
    summary="List a site's connectors",
)
@paginate(ApiPagination)
def network_site_connectors(request, slug: str, filters: Query[StageFilter]):
    """The site's connectors by name, optionally at one stage."""
    site = site_to_manage(effective_user(request), slug)
    connectors = Connector.objects.filter(site=site).select_related("site", "host_organisation")
    if filters.stage:
        connectors = connectors.filter(status=filters.stage)
    return [_summary(c) for c in connectors.order_by("name", "pk")]


@router.get(
    "/network/sites/{slug}/connectors/{id}",
    response=_responses(ConnectorDetailOut),
    summary="Get a connector",
)
def network_get_connector(request, slug: str, id: int):
    """One connector, with their checks, training and what stands between them and being
    active."""
    return _detail(connector_to_manage(effective_user(request), slug, id))


@router.post(
    "/network/sites/{slug}/connectors/{id}/status",
    response=_responses(ConnectorDetailOut),
    summary="Change a connector's stage",
)
def network_change_status(request, slug: str, id: int, payload: StatusIn):
    """Move a connector to another stage. Active needs the site's checks and training (a
    422 names what is missing); paused and left need a reason."""
    user = effective_user(request)
    connector = connector_to_manage(user, slug, id)
    try:
        connector = actions.change_status(
            connector=connector, to=payload.status, reason=payload.reason, by=user
        )
    except DjangoValidationError as exc:
        _raise_422(exc)
    return _detail(connector)


@router.post(
    "/network/sites/{slug}/connectors/{id}/training",
    response=_responses(ConnectorDetailOut),
    summary="Record training",
)
def network_record_training(request, slug: str, id: int, payload: TrainingIn):
    """Record a module the connector completed (or renewed)."""
    user = effective_user(request)
    connector = connector_to_manage(user, slug, id)
    module = requirements.modules_for(connector.site).filter(code=payload.module).first()
    if module is None:
        raise ValidationError(
            [{"loc": ("body", "module"), "msg": f"No training module '{payload.module}' here"}]
        )
    try:
        actions.record_training(
            connector=connector,
            module=module,
            completed_on=payload.completed_on,
            evidence=payload.evidence,
            by=user,
        )
    except DjangoValidationError as exc:
        _raise_422(exc)
    return _detail(connector)


@router.post(
    "/network/sites/{slug}/connectors/{id}/checks",
    response=_responses(ConnectorDetailOut),
    summary="Record a check",
)
def network_record_check(request, slug: str, id: int, payload: CheckIn):
    """Record a check's status (a clear or not-clear check needs its completion date)."""
    user = effective_user(request)
    connector = connector_to_manage(user, slug, id)
    check_type = requirements.check_types_for(connector.site).filter(code=payload.check_type)
    check_type = check_type.first()
    if check_type is None:
        raise ValidationError(
            [{"loc": ("body", "check_type"), "msg": f"No check '{payload.check_type}' here"}]
        )
    try:
        actions.record_check(
            connector=connector,
            check_type=check_type,
            status=payload.status,
            completed_on=payload.completed_on,
            reference=payload.reference,
            by=user,
        )
    except DjangoValidationError as exc:
        _raise_422(exc)
    return _detail(connector)
