"""Sites: exactly the sites the caller could see on the site pages (``visible_sites``)."""

from django.db.models import Prefetch, Q, QuerySet
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from core20.api.auth import effective_user
from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import SiteOut, SiteStatus, responses
from core20.places.models import ICB, Region
from core20.programme.models import ClinicalArea, PlusGroup, Site, SiteOrganisation
from core20.programme.queries import visible_sites

router = Router(tags=["Sites"])


class SiteFilters(Schema):
    q: str | None = Field(
        None, max_length=100, description="Part of the site's name, local name or place"
    )
    programme: str | None = Field(None, description="Programme slug")
    wave: int | None = Field(None, description="Wave number, for example 1")
    region: str | None = Field(None, description="NHS England region ONS code, e.g. E40000011")
    icb: str | None = Field(
        None, description="Integrated care board, by ONS code (E54…) or ODS code (Q…)"
    )
    clinical_area: str | None = Field(
        None, description="Clinical area (focus area) code, for example hypertension"
    )
    plus_group: str | None = Field(
        None,
        description="PLUS group code, for example inclusion-health-groups; a group also "
        "matches sites that work with one of its sub-groups",
    )
    status: SiteStatus | None = Field(None, description="Site status")


def sites_for(request) -> QuerySet[Site]:
    """The caller's visible sites, with everything SiteOut reads loaded in a fixed number
    of queries, in a stable order."""
    return (
        visible_sites(effective_user(request))
        .select_related("wave__programme")
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by("name", "pk")),
            Prefetch("icbs", queryset=ICB.objects.order_by("name", "pk")),
            Prefetch(
                "focus_areas",
                queryset=ClinicalArea.objects.order_by("group", "position", "name", "pk"),
            ),
            Prefetch("communities", queryset=PlusGroup.objects.order_by("position", "name", "pk")),
            Prefetch(
                "site_organisations",
                queryset=SiteOrganisation.objects.select_related("organisation").order_by(
                    "role", "organisation__name", "pk"
                ),
            ),
        )
        .order_by("wave__programme__name", "wave__number", "name", "pk")
    )


def apply_filters(sites: QuerySet[Site], filters: SiteFilters) -> QuerySet[Site]:
    # The same filters as the site list page; many-to-many ones go through pk__in so that
    # no site is listed twice.
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        sites = sites.filter(
            Q(name__icontains=q)
            | Q(local_name__icontains=q)
            | Q(place__icontains=q)
            | Q(target_places__icontains=q)
        )
    if filters.programme:
        sites = sites.filter(wave__programme__slug=filters.programme)
    if filters.wave is not None:
        sites = sites.filter(wave__number=filters.wave)
    if filters.region:
        sites = sites.filter(pk__in=Site.objects.filter(regions__code=filters.region).values("pk"))
    if filters.icb:
        sites = sites.filter(
            pk__in=Site.objects.filter(
                Q(icbs__code=filters.icb) | Q(icbs__ods_code=filters.icb)
            ).values("pk")
        )
    if filters.clinical_area:
        sites = sites.filter(
            pk__in=Site.objects.filter(focus_areas__code=filters.clinical_area).values("pk")
        )
    if filters.plus_group:
        sites = sites.filter(
            pk__in=Site.objects.filter(
                Q(communities__code=filters.plus_group)
                | Q(communities__parent__code=filters.plus_group)
            ).values("pk")
        )
    if filters.status:
        sites = sites.filter(status=filters.status)
    return sites


@router.get("/sites", response=responses(list[SiteOut]), summary="List sites")
@paginate(ApiPagination)
def list_sites(request, filters: Query[SiteFilters]):
    """The sites you may see, by programme, wave and name. Anonymous callers and most roles
    see published sites; national staff also see unpublished ones, and a site's own team
    sees its own. Filters combine with AND."""
    return apply_filters(sites_for(request), filters)


@router.get("/sites/{slug}", response=responses(SiteOut, not_found=True), summary="Get a site")
def get_site(request, slug: str):
    """One site. An unknown site and one you may not see are both 404."""
    site = sites_for(request).filter(slug=slug).first()
    if site is None:
        raise NotFound("site", slug)
    return site
