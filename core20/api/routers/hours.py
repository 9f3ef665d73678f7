"""API for hours, expenses and payments: the same actions as the pages, with the same checks.

Every endpoint needs a signed-in caller (token or session). A connector sees and changes only
their own records; a site's coordinators (CLAIM_APPROVE: site lead, host coordinator) and
national admins see and change those of their sites. Someone else's record is a 404, a step
the caller may not take a 403, a step the record's status does not allow a 409, and invalid
input a 422 naming the field.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.api.auth import WRITE_AUTH, effective_user
from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import ErrorOut, responses
from core20.hours import actions
from core20.hours.models import ExpenseClaim, HoursEntry, Payment, Receipt
from core20.network.models import Connector

router = Router(tags=["Hours, expenses and payments"], auth=WRITE_AUTH)

ClaimStatus = Literal[tuple(ExpenseClaim.Status.values)]
PaymentMethod = Literal[tuple(Payment.Method.values)]


def _with_errors(result: dict) -> dict:
    return {**result, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# ---- scoping ----


def _visible(queryset: QuerySet, user) -> QuerySet:
    """Records the caller may see: their own, and those of sites they manage."""
    where = sites_where(user, Permission.CLAIM_APPROVE)
    if where is None:
        return queryset
    return queryset.filter(Q(connector__user=user) | Q(site_id__in=where))


def _connector(user, connector_id: int | None) -> Connector:
    """The connector named, if the caller may act for them (404 otherwise); with no id, the
    caller's own connector record."""
    if connector_id is None:
        connector = actions.connector_for(user)
        if connector is None:
            raise ValidationError(
                [{"loc": ("body", "connector"), "msg": "You are not a connector: name one"}]
            )
        return connector
    connector = Connector.objects.select_related("site").filter(pk=connector_id).first()
    if connector is None or not actions.may_act_for(user, connector):
        raise NotFound("connector", connector_id)
    return connector


def _run(call, *args, **kwargs):
    """Run an action, answering its errors as the API does."""
    try:
        return call(*args, **kwargs)
    except actions.IllegalTransition as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            errors = [
                {"loc": ("body", field), "msg": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"loc": ("body",), "msg": message} for message in exc.messages]
        raise ValidationError(errors) from None


# ---- schemas ----


class HoursOut(Schema):
    id: int
    connector: int = Field(alias="connector_id")
    connector_name: str = Field(alias="connector.name")
    site: str = Field(alias="site.slug")
    date: date
    hours: Decimal
    activity: str = Field(description="What the hours were for")
    credits: Decimal = Field(description="Time credits earned (0 where the site gives none)")
    approved: bool
    approved_at: datetime | None


class HoursChange(Schema):
    date: date
    hours: Decimal = Field(gt=0, le=24, max_digits=4, decimal_places=2)
    activity: str = Field(min_length=1, max_length=300)


class HoursIn(HoursChange):
    connector: int | None = Field(
        None, description="The connector's id; leave out to log your own hours"
    )


class HoursFilters(Schema):
    site: str | None = Field(None, description="Only this site (slug)")
    connector: int | None = Field(None, description="Only this connector (id)")
    date_from: date | None = None
    date_to: date | None = None


class ItemOut(Schema):
    id: int
    date: date
    description: str
    amount: Decimal


class ReceiptOut(Schema):
    """A receipt uploaded with a claim. Its file and name are deleted when the retention
    period ends (docs/privacy.md): the receipt stays, with ``name`` null and ``removed_at``."""

    id: int
    name: str | None = Field(
        description="The uploaded file's name; null once the receipt has been removed"
    )
    content_type: str
    size: int
    removed_at: datetime | None = Field(
        description="When the file and its name were deleted at the end of the retention "
        "period; null while the receipt is held"
    )

    @staticmethod
    def resolve_name(obj: Receipt) -> str | None:
        return None if obj.removed_at is not None else obj.name


class ClaimOut(Schema):
    id: int
    connector: int = Field(alias="connector_id")
    connector_name: str = Field(alias="connector.name")
    site: str = Field(alias="site.slug")
    title: str
    status: ClaimStatus
    total: Decimal
    submitted_at: datetime | None
    decided_at: datetime | None
    rejection_reason: str
    paid_on: date | None
    items: list[ItemOut]
    receipts: list[ReceiptOut]


class ItemIn(Schema):
    date: date
    description: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(gt=0, max_digits=8, decimal_places=2)


class ClaimIn(Schema):
    connector: int | None = Field(
        None, description="The connector's id; leave out to claim for yourself"
    )
    title: str = Field(min_length=1, max_length=200)
    items: list[ItemIn] = Field(default_factory=list, max_length=50)


class DecisionIn(Schema):
    decision: Literal["approve", "reject"]
    reason: str = Field("", max_length=actions.MAX_REASON)


class PaidIn(Schema):
    paid_on: date


class PaymentOut(Schema):
    id: int
    connector: int = Field(alias="connector_id")
    connector_name: str = Field(alias="connector.name")
    site: str = Field(alias="site.slug")
    amount: Decimal
    period_start: date
    period_end: date
    paid_on: date
    method: PaymentMethod
    reference: str
    benefits_considerations: str = Field(
        description="Only the connector and their coordinators can see this"
    )


class PaymentIn(Schema):
    connector: int
    amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    period_start: date
    period_end: date
    paid_on: date
    method: PaymentMethod
    reference: str = Field("", max_length=100)
    benefits_considerations: str = Field("", max_length=5000)


# ---- hours ----


@router.get("/hours/entries", response=responses(list[HoursOut]), summary="List hours")
@paginate(ApiPagination)
def list_hours(request, filters: Query[HoursFilters]):
    """Your own hours if you are a connector, and every connector's hours at the sites you
    coordinate; newest first."""
    entries = _visible(HoursEntry.objects.all(), effective_user(request))
    if filters.site:
        entries = entries.filter(site__slug=filters.site)
    if filters.connector is not None:
        entries = entries.filter(connector_id=filters.connector)
    if filters.date_from:
        entries = entries.filter(date__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(date__lte=filters.date_to)
    return entries.select_related("connector", "site").order_by("-date", "-pk")


@router.post("/hours/entries", response=_with_errors(responses(HoursOut)), summary="Log hours")
def log_hours(request, payload: HoursIn):
    """Log hours a connector volunteered on one day (your own, or, as a coordinator, a
    connector's at your site). At most 24 hours a day in all; earns time credits where the
    site gives them."""
    user = effective_user(request)
    connector = _connector(user, payload.connector)
    return _run(
        actions.log_hours,
        connector=connector,
        date=payload.date,
        hours=payload.hours,
        activity=payload.activity,
        by=user,
    )


@router.post(
    "/hours/entries/{entry_id}/approve",
    response=_with_errors(responses(HoursOut)),
    summary="Approve hours",
)
def approve_hours(request, entry_id: int):
    """Approve a connector's hours (coordinators of their site; never your own)."""
    user = effective_user(request)
    return _run(actions.approve_hours, entry=_entry(user, entry_id), by=user)


def _entry(user, entry_id: int) -> HoursEntry:
    """An hours entry the caller may see (404 otherwise)."""
    entries = _visible(HoursEntry.objects.select_related("connector", "site"), user)
    return get_object_or_404(entries, pk=entry_id)


@router.put(
    "/hours/entries/{entry_id}",
    response=_with_errors(responses(HoursOut)),
    summary="Correct hours",
    url_name="hours_entry",
)
def correct_hours(request, entry_id: int, payload: HoursChange):
    """Correct hours not yet approved (your own, or a connector's at a site you coordinate):
    the same checks as logging them; time credits are worked out again. Approved hours
    cannot be changed (409)."""
    user = effective_user(request)
    return _run(
        actions.correct_hours, entry=_entry(user, entry_id), by=user, **payload.model_dump()
    )


@router.delete(
    "/hours/entries/{entry_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Remove hours",
    url_name="hours_entry",
)
def remove_hours(request, entry_id: int):
    """Remove hours logged by mistake, while they are not yet approved (409 once they are)."""
    user = effective_user(request)
    _run(actions.remove_hours, entry=_entry(user, entry_id), by=user)
    return Status(204, None)


# ---- claims ----


def _claims(user) -> QuerySet:
    return _visible(
        ExpenseClaim.objects.select_related("connector", "site").prefetch_related(
            "items", "receipts"
        ),
        user,
    )


def _claim(request, claim_id: int) -> ExpenseClaim:
    claim = _claims(effective_user(request)).filter(pk=claim_id).first()
    if claim is None:
        raise NotFound("claim", claim_id)
    return claim


def _fresh(claim: ExpenseClaim) -> ExpenseClaim:
    return _claims_for_output().get(pk=claim.pk)


def _claims_for_output() -> QuerySet:
    return ExpenseClaim.objects.select_related("connector", "site").prefetch_related(
        "items", "receipts"
    )


@router.get("/hours/claims", response=responses(list[ClaimOut]), summary="List expense claims")
@paginate(ApiPagination)
def list_expense_claims(request, status: ClaimStatus | None = None, site: str | None = None):
    """Your own claims, and every claim at the sites you coordinate; newest first."""
    claims = _claims(effective_user(request))
    if status:
        claims = claims.filter(status=status)
    if site:
        claims = claims.filter(site__slug=site)
    return claims.order_by("-created_at", "-pk")


@router.get(
    "/hours/claims/{claim_id}",
    response=responses(ClaimOut, not_found=True),
    summary="Get an expense claim",
)
def get_expense_claim(request, claim_id: int):
    """One claim: your own, or one at a site whose claims you manage."""
    return _claim(request, claim_id)


@router.post(
    "/hours/claims", response=_with_errors(responses(ClaimOut)), summary="Start an expense claim"
)
def create_expense_claim(request, payload: ClaimIn):
    """Start a draft claim (for yourself, or as a coordinator for a connector at your site),
    with its items if you have them. Upload receipts, then submit it."""
    from django.db import transaction

    user = effective_user(request)
    connector = _connector(user, payload.connector)
    with transaction.atomic():
        claim = _run(actions.create_claim, connector=connector, title=payload.title, by=user)
        for item in payload.items:
            _run(
                actions.add_item,
                claim=claim,
                date=item.date,
                description=item.description,
                amount=item.amount,
                by=user,
            )
    return _fresh(claim)


@router.post(
    "/hours/claims/{claim_id}/items",
    response=_with_errors(responses(ClaimOut)),
    summary="Add an item to a draft claim",
)
def add_expense_item(request, claim_id: int, payload: ItemIn):
    """Add a dated item to a draft claim (not in the future; pounds and pence)."""
    claim = _claim(request, claim_id)
    _run(
        actions.add_item,
        claim=claim,
        date=payload.date,
        description=payload.description,
        amount=payload.amount,
        by=effective_user(request),
    )
    return _fresh(claim)


@router.post(
    "/hours/claims/{claim_id}/receipts",
    response=_with_errors(responses(ClaimOut)),
    summary="Upload a receipt to a draft claim",
)
def add_expense_receipt(request, claim_id: int, file: File[UploadedFile]):
    """A PDF, JPEG or PNG, at most 10 MB, sent as multipart form data in ``file``."""
    claim = _claim(request, claim_id)
    _run(actions.add_receipt, claim=claim, upload=file, by=effective_user(request))
    return _fresh(claim)


@router.post(
    "/hours/claims/{claim_id}/submit",
    response=_with_errors(responses(ClaimOut)),
    summary="Submit a claim",
)
def submit_expense_claim(request, claim_id: int):
    """Send a draft claim (with at least one item and one receipt) for approval."""
    claim = _claim(request, claim_id)
    _run(actions.submit_claim, claim=claim, by=effective_user(request))
    return _fresh(claim)


@router.post(
    "/hours/claims/{claim_id}/decision",
    response=_with_errors(responses(ClaimOut)),
    summary="Approve or reject a claim",
)
def decide_expense_claim(request, claim_id: int, payload: DecisionIn):
    """Coordinators of the claim's site and national admins; never the claimant. A
    rejection needs a reason, which the connector sees."""
    claim = _claim(request, claim_id)
    user = effective_user(request)
    if payload.decision == "approve":
        _run(actions.approve_claim, claim=claim, by=user)
    else:
        _run(actions.reject_claim, claim=claim, reason=payload.reason, by=user)
    return _fresh(claim)


@router.post(
    "/hours/claims/{claim_id}/paid",
    response=_with_errors(responses(ClaimOut)),
    summary="Mark an approved claim as paid",
)
def pay_expense_claim(request, claim_id: int, payload: PaidIn):
    """Record the date an approved claim was paid (not in the future). Coordinators of the
    claim's site and national admins; never the claimant."""
    claim = _claim(request, claim_id)
    _run(actions.mark_claim_paid, claim=claim, paid_on=payload.paid_on, by=effective_user(request))
    return _fresh(claim)


# ---- payments ----


@router.get("/hours/payments", response=responses(list[PaymentOut]), summary="List payments")
@paginate(ApiPagination)
def list_connector_payments(request, site: str | None = None):
    """Payments to you, and payments at the sites you coordinate; newest first."""
    payments = _visible(
        Payment.objects.select_related("connector", "site"), effective_user(request)
    )
    if site:
        payments = payments.filter(site__slug=site)
    return payments.order_by("-paid_on", "-pk")


@router.post(
    "/hours/payments", response=_with_errors(responses(PaymentOut)), summary="Record a payment"
)
def record_connector_payment(request, payload: PaymentIn):
    """Record a payment to a connector in a paid or sessional role (coordinators of their
    site and national admins)."""
    user = effective_user(request)
    connector = _connector(user, payload.connector)
    data = payload.dict(exclude={"connector"})
    return _run(actions.record_payment, connector=connector, data=data, by=user)
