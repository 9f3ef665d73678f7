"""What the API returns. Related things are named by their codes and names, so a client
needs no second request to make sense of a site; ``url`` is the matching HTML page."""

from datetime import date
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.api.auth import effective_user
from core20.programme.models import ClinicalArea, Organisation, Site, SiteOrganisation, Wave
from core20.programme.queries import can_view_internal

# ---- helpers ----


def choices(model_choices):
    """A model's TextChoices as a Literal of its values: OpenAPI then lists the values
    inline (the enums' own names collide: Site.Status, Wave.Status, Site.Kind...)."""
    return Literal[tuple(model_choices.values)]


AreaGroup = choices(ClinicalArea.Group)
OrganisationKind = choices(Organisation.Kind)
SiteOrganisationRole = choices(SiteOrganisation.Role)
WaveStatus = choices(Wave.Status)
SiteKind = choices(Site.Kind)
SiteStatus = choices(Site.Status)
SiteDeliveryModel = choices(Site.DeliveryModel)


def _absolute(context, path: str) -> str:
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


def _user(context):
    request = (context or {}).get("request")
    return effective_user(request) if request is not None else None


def _internal(obj: Site, context) -> bool:
    user = _user(context)
    return user is not None and can_view_internal(user, obj)


# ---- small references ----


class RegionOut(Schema):
    code: str = Field(description="ONS code of the NHS England region (E40…)")
    name: str


class IcbOut(Schema):
    code: str = Field(description="ONS code of the integrated care board (E54…)")
    ods_code: str = Field(description="ODS code of the integrated care board (Q…)")
    name: str


class FocusAreaOut(Schema):
    code: str
    name: str
    group: AreaGroup = Field(
        description="adult or cyp (Core20PLUS5), cross_cutting, or local (the site's own)"
    )


class CommunityOut(Schema):
    code: str = Field(description="PLUS group code")
    name: str


class SiteOrganisationOut(Schema):
    slug: str
    name: str
    kind: OrganisationKind
    role: SiteOrganisationRole = Field(description="What the organisation does for the site")

    @staticmethod
    def resolve_slug(obj: SiteOrganisation) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_name(obj: SiteOrganisation) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_kind(obj: SiteOrganisation) -> str:
        return obj.organisation.kind


class OrganisationSiteOut(Schema):
    slug: str
    name: str
    role: SiteOrganisationRole

    @staticmethod
    def resolve_slug(obj: SiteOrganisation) -> str:
        return obj.site.slug

    @staticmethod
    def resolve_name(obj: SiteOrganisation) -> str:
        return obj.site.name


class ProgrammeRef(Schema):
    slug: str
    name: str


class WaveRef(Schema):
    id: int
    number: int
    name: str
    period: str


# ---- resources ----


class ProgrammeOut(Schema):
    slug: str
    name: str
    summary: str
    description: str
    run_by: str
    partners: str
    started_on: date | None
    waves: list[WaveRef]
    url: str = Field(description="The programme overview page")

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, reverse("programme:overview"))


class WaveOut(Schema):
    id: int
    programme: ProgrammeRef
    number: int
    name: str
    period: str = Field(description="Financial year, for example 21/22")
    status: WaveStatus
    summary: str
    eois_received: int | None = Field(description="Expressions of interest received")
    selection_note: str
    url: str

    @staticmethod
    def resolve_url(obj: Wave, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class SiteOut(Schema):
    slug: str
    name: str
    local_name: str = Field(description="The site's own name for its connectors' programme")
    kind: SiteKind
    status: SiteStatus
    published: bool = Field(
        description="False only for sites not yet announced, which only national staff and "
        "the site's own team can see"
    )
    programme: ProgrammeRef
    wave: WaveRef
    place: str
    regions: list[RegionOut]
    icbs: list[IcbOut]
    summary: str
    detail: str
    focus_areas: list[FocusAreaOut] = Field(description="Clinical areas the site works on")
    communities: list[CommunityOut] = Field(description="PLUS groups the site works with")
    communities_note: str
    geography_types: list[str] = Field(description="Any of urban, rural, coastal")
    target_places: str
    delivery_model: SiteDeliveryModel
    organisations: list[SiteOrganisationOut]
    url: str
    internal_notes: str | None = Field(
        description="Internal: only for national staff and the site's own team; null for "
        "everyone else"
    )
    contact_email: str | None = Field(
        description="Internal: only for national staff and the site's own team; null for "
        "everyone else"
    )

    @staticmethod
    def resolve_programme(obj: Site):
        return obj.wave.programme

    @staticmethod
    def resolve_organisations(obj: Site):
        return obj.site_organisations.all()

    @staticmethod
    def resolve_url(obj: Site, context) -> str:
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_internal_notes(obj: Site, context) -> str | None:
        return obj.internal_notes if _internal(obj, context) else None

    @staticmethod
    def resolve_contact_email(obj: Site, context) -> str | None:
        return obj.contact_email if _internal(obj, context) else None


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: OrganisationKind
    description: str
    website: str
    charity_number: str
    ods_code: str
    sites: list[OrganisationSiteOut] = Field(
        description="The sites it works with, and how (only sites visible to the caller)"
    )
    url: str
    contact_email: str | None = Field(
        description="Internal: only for national staff; null for everyone else"
    )

    @staticmethod
    def resolve_contact_email(obj: Organisation, context) -> str | None:
        user = _user(context)
        if user is not None and has_permission(user, Permission.SITE_VIEW_INTERNAL):
            return obj.contact_email
        return None

    @staticmethod
    def resolve_sites(obj: Organisation):
        # Filled by the router's Prefetch("site_roles", to_attr="visible_site_roles").
        return obj.visible_site_roles

    @staticmethod
    def resolve_url(obj: Organisation, context) -> str:
        return _absolute(context, obj.get_absolute_url())


# ---- errors (for the OpenAPI document) ----


class ErrorOut(Schema):
    detail: str


# A connector who is paused or has left the site: ``code`` tells a client (the offline
# forms) that trying again will not help until their coordinator makes them active again.
NOT_ACTIVE_CONNECTOR = "not_active_connector"


class RefusedOut(ErrorOut):
    code: str | None = Field(
        None,
        description=f'"{NOT_ACTIVE_CONNECTOR}" when the caller\'s connector record at the site '
        "is paused or left (``detail`` says so); absent for any other refusal",
        examples=[NOT_ACTIVE_CONNECTOR],
    )


class FieldErrorOut(Schema):
    field: str = Field(description="The parameter or field, for example limit")
    message: str
    location: str = Field(description="query, path, body…")


class ValidationErrorOut(Schema):
    detail: str = Field(examples=["Invalid input"])
    errors: list[FieldErrorOut]


def responses(ok, *, not_found: bool = False) -> dict:
    """The response map for an operation: its 200 schema and the JSON errors it may give."""
    result = {200: ok, 401: ErrorOut, 422: ValidationErrorOut}
    if not_found:
        result[404] = ErrorOut
    return result
