"""API for community activities: the same actions and the same visibility as the pages.

Every endpoint needs a signed-in caller (token or session; the offline form syncs through
``POST /activities`` with the browser session and its CSRF token). A connector sees only
the activities they recorded; a site's host coordinators and national admins every
activity of their sites; site leads and national analysts read them. Someone else's
activity is a 404. Posting the same ``uuid`` twice stores one activity: the first post
answers 201, a repeat 200 with the activity already stored.
"""

from datetime import date
from typing import Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from core20.api.auth import WRITE_AUTH, effective_user
from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import NOT_ACTIVE_CONNECTOR, ErrorOut, RefusedOut, responses
from core20.engagement import access, actions
from core20.engagement.models import Activity, ActivityType
from core20.programme.models import Site

router = Router(tags=["Community activities"], auth=WRITE_AUTH)

Kind = Literal[tuple(ActivityType.values)]


class ActivityIn(Schema):
    uuid: UUID | None = Field(
        None, description="Made by the caller (the offline form does); repeats store nothing"
    )
    site: str = Field(description="The site's slug")
    date: date
    kind: Kind = Field(description="Type of activity")
    people_reached: int = Field(ge=0)
    place: str = Field("", max_length=20, description="Postcode or LSOA code")
    venue: str = Field("", max_length=200)
    clinical_areas: list[str] = Field(default_factory=list, description="Clinical area codes")
    communities: list[str] = Field(default_factory=list, description="PLUS group codes")
    breakdown: dict[str, dict[str, int | None]] = Field(
        default_factory=dict,
        description='Counts by "age", "sex" and "ethnicity" group; each set adds up to no '
        "more than people_reached",
    )
    mecc_conversations: int = Field(0, ge=0)
    case_finding: dict[str, int | None] = Field(default_factory=dict)
    signposting: dict[int, int | None] = Field(
        default_factory=dict, description="People signposted, by directory service id"
    )
    languages: str = Field("", max_length=300)
    partners: str = Field("", max_length=500)
    notes: str = Field("", max_length=2000)


class ActivityOut(Schema):
    id: int
    uuid: UUID
    site: str = Field(alias="site.slug")
    date: date
    kind: str
    people_reached: int
    place: str
    venue: str
    lsoa: str
    imd_decile: int | None
    core20: bool | None
    deprivation_edition: str
    breakdown: dict
    mecc_conversations: int
    case_finding: dict
    languages: str
    partners: str
    notes: str
    external_id: str


class ActivityFilters(Schema):
    site: str | None = Field(None, description="Site slug")
    date_from: date | None = None
    date_to: date | None = None


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


def _visible(request) -> QuerySet[Activity]:
    return access.visible_activities(effective_user(request)).select_related("site")


@router.get("/activities", response=responses(list[ActivityOut]), summary="List activities")
@paginate(ApiPagination)
def list_activities(request, filters: Query[ActivityFilters]):
    """The activities you may see, newest first."""
    activities = _visible(request)
    if filters.site:
        activities = activities.filter(site__slug=filters.site)
    if filters.date_from:
        activities = activities.filter(date__gte=filters.date_from)
    if filters.date_to:
        activities = activities.filter(date__lte=filters.date_to)
    return activities.order_by("-date", "-pk")


@router.get(
    "/activities/{uuid}",
    response=responses(ActivityOut, not_found=True),
    summary="Get an activity",
)
def get_activity(request, uuid: UUID):
    """One activity you may see, by the UUID it was recorded with."""
    activity = _visible(request).filter(uuid=uuid).first()
    if activity is None:
        raise NotFound("activity", uuid)
    return activity


@router.post(
    "/activities",
    response={**responses(ActivityOut), 201: ActivityOut, 403: RefusedOut, 404: ErrorOut},
    summary="Record an activity",
)
def record_activity(request, payload: ActivityIn):
    """Record an activity at a site where you record activities (connectors, host
    coordinators). Counts only: never names or details of members of the public."""
    user = effective_user(request)
    site = Site.objects.filter(slug=payload.site).first()
    if site is None:
        raise NotFound("site", payload.site)
    if not access.can_record(user, site):
        # A connector who is paused or has left the site is told why.
        if reasons := access.why_not(user, site):
            return Status(403, {"detail": reasons[0], "code": NOT_ACTIVE_CONNECTOR})
        raise PermissionDenied
    data = payload.dict(exclude={"uuid", "site"})
    try:
        activity, created = actions.record_activity(
            by=user, site=site, data=data, uuid=payload.uuid
        )
    except DjangoValidationError as exc:
        raise _errors(exc) from None
    return Status(201 if created else 200, activity)
