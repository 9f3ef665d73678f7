"""The service directory: the same search, visibility and actions as the pages.

Reading is open to everyone (published services; a site's team also sees the services its
site keeps to itself). ``GET /directory/services/{id}`` answers in Open Referral UK's full
service shape. Importing and exporting ORUK JSON need a signed-in caller (token or session)
who manages the directory (DIRECTORY_MANAGE: site leads and host coordinators for their site,
national admins for every site and the national directory); both are audited.
"""

import json
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate

from core20.api.auth import WRITE_AUTH, effective_user
from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import ErrorOut, responses
from core20.directory import actions, oruk, queries
from core20.directory.forms import NATIONAL, SearchForm
from core20.directory.models import Service
from core20.programme.models import Site

router = Router(tags=["Service directory"])

Route = Literal[tuple(Service.ReferralRoute.values)]


class ServiceFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words in the name or description")
    clinical_area: str | None = Field(None, description="Clinical area code, e.g. diabetes")
    community: str | None = Field(None, description="PLUS group code; includes its sub-groups")
    place: str | None = Field(
        None, max_length=100, description="A postcode, or a ward or council area name or code"
    )
    site: str | None = Field(None, description="A site's slug: its services and national ones")
    route: Route | None = Field(None, description="How to refer")


class ServiceOut(Schema):
    id: int = Field(description="This directory's id (activities signpost to it)")
    oruk_id: str = Field(description="The Open Referral UK id")
    name: str
    description: str
    organization: str
    site: str | None = Field(description="The site's slug; null for a national service")
    status: str
    published: bool
    url: str
    clinical_areas: list[str]
    communities: list[str]
    referral_routes: list[str]

    @staticmethod
    def resolve_organization(obj: Service) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_site(obj: Service) -> str | None:
        return obj.site.slug if obj.site_id else None

    @staticmethod
    def resolve_clinical_areas(obj: Service) -> list[str]:
        return [a.code for a in obj.clinical_areas.all()]

    @staticmethod
    def resolve_communities(obj: Service) -> list[str]:
        return [g.code for g in obj.communities.all()]


class ImportIn(Schema):
    directory: str = Field(description='A site\'s slug, or "national"')
    publish: bool = Field(False, description="Show the imported services publicly")
    services: list[dict[str, Any]] = Field(
        description="ORUK services in the full shape of /services/{id}"
    )


class ImportOut(Schema):
    created: list[str]
    updated: list[str]
    unchanged: list[str] = Field(description="Services the file holds exactly as stored")


def _user_search(request, filters: ServiceFilters) -> QuerySet[Service]:
    user = effective_user(request)
    data = {
        "q": filters.q or "",
        "area": filters.clinical_area or "",
        "community": filters.community or "",
        "place": filters.place or "",
        "site": filters.site or "",
        "route": filters.route or "",
    }
    form = SearchForm(data, sites=Site.objects.all())
    if not form.is_valid():
        names = {"area": "clinical_area"}
        raise ValidationError(
            [
                {"loc": ("query", names.get(name, name)), "msg": message}
                for name, messages in form.errors.items()
                for message in messages
            ]
        )
    services = queries.visible_services(user).exclude(status=Service.Status.DEFUNCT)
    return queries.with_details(form.filter(services)).order_by("name", "id")


@router.get("/directory/services", response=responses(list[ServiceOut]), summary="Search services")
@paginate(ApiPagination)
def list_directory_services(request, filters: Query[ServiceFilters]):
    """Services you may see, as on the directory page: by words, clinical area, community,
    place (services covering it, delivered there, or tied to no place) and referral route.
    Defunct services are left out."""
    return _user_search(request, filters)


@router.get(
    "/directory/services/{id}",
    response=responses(dict[str, Any], not_found=True),
    summary="Get a service (ORUK)",
)
def get_directory_service(request, id: int):
    """One service in Open Referral UK's full service shape, with this directory's id."""
    service = (
        queries.with_details(queries.visible_services(effective_user(request)))
        .filter(pk=id)
        .first()
    )
    if service is None:
        raise NotFound("service", id)
    return {**oruk.service_document(service), "core20_id": service.pk}


def _directory(value: str):
    if value == NATIONAL:
        return None
    site = Site.objects.filter(slug=value).first()
    if site is None:
        raise NotFound("site", value)
    return site


@router.post(
    "/directory/import",
    auth=WRITE_AUTH,
    response={**responses(ImportOut), 403: ErrorOut, 404: ErrorOut},
    summary="Import ORUK services",
)
def import_directory(request, payload: ImportIn):
    """Import services into a directory you manage. All or nothing; every problem is listed
    (422). Matched by ORUK id, so posting the same services again changes nothing."""
    user = effective_user(request)
    site = _directory(payload.directory)
    if not actions.can_manage(user, site):
        raise PermissionDenied
    upload = oruk.Upload("request.json", json.dumps(payload.services).encode())
    try:
        result = actions.import_oruk(site=site, uploads=[upload], publish=payload.publish, by=user)
    except oruk.OrukError as exc:
        raise ValidationError(
            [{"loc": ("body", "services"), "msg": m} for m in exc.messages]
        ) from None
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.get(
    "/directory/export",
    auth=WRITE_AUTH,
    response={**responses(list[dict[str, Any]]), 403: ErrorOut, 404: ErrorOut},
    summary="Export ORUK services",
)
def export_directory(request, directory: str = Query(..., description='Site slug or "national"')):
    """A directory you manage, as a list of ORUK services (the CSV tables are on the
    directory's export page)."""
    user = effective_user(request)
    site = _directory(directory)
    return json.loads(actions.export_oruk(site=site, fmt="json", by=user))
