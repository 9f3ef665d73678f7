"""API for insights and the bridge to decision-makers: the same actions and the same
visibility as the pages (core20.insights.access).

Reading and writing insights needs a signed-in caller (token or session). A decision-maker
sees only the insights and routings sent to their organisation; anything else is a 404.
The "you said, we did" list is public, with the same disclosure control as the page.

Recording an insight takes a ``uuid`` made by the caller (the offline insight form syncs
through ``POST /insights`` with the browser session and its CSRF token): posting the same
``uuid`` twice stores one insight, the first post answering 201 and a repeat 200 with the
insight already stored. A ``uuid`` already used by someone else is refused (422).
"""

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from core20.api.auth import READ_AUTH, WRITE_AUTH, effective_user
from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import NOT_ACTIVE_CONNECTOR, ErrorOut, RefusedOut, responses
from core20.engagement.models import Activity
from core20.insights import actions, public
from core20.insights.access import may_raise, visible_insights, visible_routings, why_not_raise
from core20.insights.forms import organisations_for
from core20.insights.models import Insight, Response
from core20.programme.models import ClinicalArea, PlusGroup, Site

router = Router(tags=["Insights and the bridge to decision-makers"], auth=WRITE_AUTH)

Kind = Literal[tuple(Insight.Kind.values)]
ResponseKind = Literal[tuple(Response.Kind.values)]


class RoutingOut(Schema):
    id: int
    insight: int = Field(alias="insight_id")
    body: str = Field(alias="body.name")
    organisation: str = Field(alias="body.organisation.name")
    routed_at: datetime
    due_on: date
    first_response_at: datetime | None
    overdue: bool = Field(description="No response yet and the due date has passed")


class InsightOut(Schema):
    id: int
    uuid: UUID
    site: str = Field(alias="site.slug")
    kind: str
    summary: str
    people_count: int
    services: str
    places: str
    raised_at: datetime
    public: bool
    kept_at: datetime | None = Field(
        None, description="When it was kept without sending to decision-makers, if it was"
    )
    kept_reason: str = Field("", description="Why it was kept without sending")
    routings: list[RoutingOut] = Field(alias="visible_routings")


class InsightIn(Schema):
    uuid: UUID | None = Field(
        None,
        description="Made by the caller (the offline form does): posting the same uuid again "
        "stores nothing and answers 200 with the insight already stored",
    )
    site: str = Field(description="The site's slug")
    kind: Kind
    summary: str = Field(min_length=1, max_length=5000)
    people_count: int = Field(ge=1, le=100_000, description="How many people raised it")
    services: str = Field("", max_length=500)
    places: str = Field("", max_length=500)
    clinical_areas: list[str] = Field(default_factory=list, description="Clinical area codes")
    communities: list[str] = Field(default_factory=list, description="PLUS group codes")
    themes: list[str] = Field(default_factory=list, description="Theme names")
    organisations: list[str] = Field(
        default_factory=list,
        description="Slugs of the organisations concerned, from the site's decision bodies",
    )
    source_activity: UUID | None = Field(
        None, description="The uuid of one of your activities at the site where you heard it"
    )
    quote: str = Field("", max_length=2000, description="An anonymised quote")
    quote_consent: bool = Field(
        False, description="The person agreed to their words being recorded (required with a quote)"
    )
    quote_public: bool = Field(False, description="They also agreed to publication")


class InsightFilters(Schema):
    site: str | None = Field(None, description="Site slug")
    kind: Kind | None = None


class RoutingFilters(Schema):
    responded: bool | None = Field(
        None, description="true: those with a response; false: those still waiting for one"
    )
    overdue: bool | None = Field(
        None, description="true: no response and past the due date; false: the rest"
    )


class ResponseIn(Schema):
    kind: ResponseKind
    text: str = Field("", max_length=5000)
    reason: str = Field("", max_length=5000, description="Required when declining")


class ResponseOut(Schema):
    id: int
    kind: str
    text: str
    reason: str
    responded_at: datetime


class PublicEntryOut(Schema):
    you_said: str
    we_did: str
    kind: str
    people: str = Field(description="Disclosure-controlled: 'fewer than 8' or rounded to 5")
    published_at: datetime | None


def _errors(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            [
                {"loc": ("body", field), "msg": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        )
    return ValidationError([{"loc": ("body",), "msg": m} for m in exc.messages])


def _insights(request) -> QuerySet[Insight]:
    user = effective_user(request)
    return (
        visible_insights(user)
        .select_related("site")
        .prefetch_related(
            Prefetch(
                "routings",
                queryset=visible_routings(user).select_related("body__organisation"),
                to_attr="visible_routings",
            )
        )
    )


@router.get("/insights", response=responses(list[InsightOut]), summary="List insights")
@paginate(ApiPagination)
def list_insights(request, filters: Query[InsightFilters]):
    """The insights you may see, newest first, each with the routings you may see."""
    insights = _insights(request)
    if filters.site:
        insights = insights.filter(site__slug=filters.site)
    if filters.kind:
        insights = insights.filter(kind=filters.kind)
    return insights.order_by("-raised_at", "-pk")


@router.get(
    "/insights/{id}", response=responses(InsightOut, not_found=True), summary="Get an insight"
)
def get_insight(request, id: int):
    """One insight you may see, with the routings you may see."""
    insight = _insights(request).filter(pk=id).first()
    if insight is None:
        raise NotFound("insight", id)
    return insight


def _by_codes(model, codes: list[str], field: str, name: str) -> list:
    """The rows named by ``codes`` (``model``: a model or a queryset), or a 422 naming
    those not found."""
    rows = model.objects.all() if hasattr(model, "objects") else model
    found = list(rows.filter(**{f"{field}__in": codes}))
    missing = set(codes) - {getattr(o, field) for o in found}
    if missing:
        raise ValidationError(
            [{"loc": ("body", name), "msg": f"Unknown: {', '.join(sorted(missing))}"}]
        )
    return found


def _source_activity(user, site, uuid: UUID | None) -> Activity | None:
    if uuid is None:
        return None
    activity = Activity.objects.filter(site=site, recorded_by=user, uuid=uuid).first()
    if activity is None:
        raise ValidationError(
            [{"loc": ("body", "source_activity"), "msg": "Choose one of your activities here"}]
        )
    return activity


@router.post(
    "/insights",
    response={**responses(InsightOut), 201: InsightOut, 403: RefusedOut, 404: ErrorOut},
    summary="Record an insight",
)
def raise_insight(request, payload: InsightIn):
    """Record an insight at a site where you record activities or manage insight
    (connectors, host coordinators, site leads, national admins; anyone else 403). A quote
    is stored only with ``quote_consent``. 201 with the insight stored; 200 with the insight
    already stored when you posted this ``uuid`` before; 422 naming the field when something
    is wrong (the same checks as the page), or ``uuid`` when someone else used it."""
    user = effective_user(request)
    site = Site.objects.filter(slug=payload.site).first()
    if site is None:
        raise NotFound("site", payload.site)
    if not may_raise(user, site):
        # A connector who is paused or has left the site is told why.
        if reasons := why_not_raise(user, site):
            return Status(403, {"detail": reasons[0], "code": NOT_ACTIVE_CONNECTOR})
        raise PermissionDenied
    try:
        if payload.uuid is not None:
            stored = actions.already_raised(uuid=payload.uuid, site=site, by=user)
            if stored is not None:
                return Status(200, _insights(request).get(pk=stored.pk))
    except DjangoValidationError as exc:
        raise _errors(exc) from exc
    themes = list(actions.themes_for(site).filter(name__in=payload.themes))
    if len(themes) != len(set(payload.themes)):
        raise ValidationError(
            [{"loc": ("body", "themes"), "msg": "Use theme names from the national or site list"}]
        )
    data = {
        "kind": payload.kind,
        "summary": payload.summary,
        "people_count": payload.people_count,
        "services": payload.services,
        "places": payload.places,
        # National ones and this site's own: another site's local priorities and groups are
        # "unknown" here, as they are not offered on the page.
        "clinical_areas": _by_codes(
            ClinicalArea.objects.national_or_site(site),
            payload.clinical_areas,
            "code",
            "clinical_areas",
        ),
        "communities": _by_codes(
            PlusGroup.objects.national_or_site(site),
            payload.communities,
            "code",
            "communities",
        ),
        "organisations": _by_codes(
            organisations_for(site), payload.organisations, "slug", "organisations"
        ),
        "themes": themes,
    }
    try:
        insight, created = actions.raise_insight_once(
            uuid=payload.uuid,
            site=site,
            data=data,
            quote=payload.quote,
            quote_consent=payload.quote_consent,
            quote_public=payload.quote_public,
            source_activity=_source_activity(user, site, payload.source_activity),
            by=user,
        )
    except DjangoValidationError as exc:
        raise _errors(exc) from exc
    return Status(201 if created else 200, _insights(request).get(pk=insight.pk))


@router.get("/routings", response=responses(list[RoutingOut]), summary="List routings")
@paginate(ApiPagination)
def list_routings(request, filters: Query[RoutingFilters]):
    """Insights sent to decision-makers that you may see (a decision-maker: those sent to
    their organisation), due soonest first. Fetch the insight itself from
    ``/insights/{insight}``."""
    routings = visible_routings(effective_user(request)).select_related("body__organisation")
    if filters.responded is not None:
        routings = routings.filter(first_response_at__isnull=not filters.responded)
    if filters.overdue is not None:
        late = Q(first_response_at__isnull=True, due_on__lt=timezone.localdate())
        routings = routings.filter(late if filters.overdue else ~late)
    return routings.order_by("due_on", "pk")


@router.post(
    "/routings/{id}/responses",
    response={**responses(ResponseOut), 201: ResponseOut, 403: ErrorOut, 404: ErrorOut},
    summary="Respond to a routed insight",
)
def respond_to_routing(request, id: int, payload: ResponseIn):
    """Acknowledge, agree an action, or decline with a reason (decision-makers of the
    organisation it was sent to)."""
    routing = (
        visible_routings(effective_user(request))
        .select_related("insight", "body")
        .filter(pk=id)
        .first()
    )
    if routing is None:
        raise NotFound("routing", id)
    try:
        response = actions.respond(
            routing=routing,
            kind=payload.kind,
            text=payload.text,
            reason=payload.reason,
            by=effective_user(request),
        )
    except DjangoValidationError as exc:
        raise _errors(exc) from exc
    return Status(201, response)


@router.get(
    "/sites/{slug}/you-said-we-did",
    response=responses(list[PublicEntryOut], not_found=True),
    summary="You said, we did",
    auth=READ_AUTH,
)
@paginate(ApiPagination)
def you_said_we_did(request, slug: str):
    """What a site published, with how many people raised it disclosure-controlled (counts
    of 1 to 7 are not given; the rest are rounded to the nearest 5)."""
    site = get_object_or_404(Site, slug=slug, published=True)
    return _PublicEntries(
        Insight.objects.filter(site=site, public=True).order_by("-published_at", "-pk")
    )


class _PublicEntries:
    """A sliceable view of published insights that protects each page's counts together."""

    def __init__(self, queryset: QuerySet[Insight]) -> None:
        self.queryset = queryset

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict]:
        items = list(self.queryset[window])
        people = public.protect([i.people_count for i in items])
        return [
            {
                "you_said": i.public_title,
                "we_did": i.what_changed,
                "kind": i.kind,
                "people": p,
                "published_at": i.published_at,
            }
            for i, p in zip(items, people, strict=True)
        ]
