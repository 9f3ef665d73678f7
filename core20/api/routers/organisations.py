"""Organisations (public, as on the organisation pages), each with the sites it works
with, limited to the sites the caller may see."""

from django.db.models import Prefetch, QuerySet
from ninja import Router
from ninja.pagination import paginate

from core20.api.auth import effective_user
from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import OrganisationOut, responses
from core20.programme.models import Organisation, SiteOrganisation
from core20.programme.queries import visible_sites

router = Router(tags=["Organisations"])


def organisations_for(request) -> QuerySet[Organisation]:
    site_roles = (
        SiteOrganisation.objects.filter(site__in=visible_sites(effective_user(request)))
        .select_related("site")
        .order_by("site__wave__number", "site__name", "role", "pk")
    )
    return Organisation.objects.prefetch_related(
        Prefetch("site_roles", queryset=site_roles, to_attr="visible_site_roles")
    ).order_by("name", "pk")


@router.get(
    "/organisations", response=responses(list[OrganisationOut]), summary="List organisations"
)
@paginate(ApiPagination)
def list_organisations(request):
    """Every organisation, by name."""
    return organisations_for(request)


@router.get(
    "/organisations/{slug}",
    response=responses(OrganisationOut, not_found=True),
    summary="Get an organisation",
)
def get_organisation(request, slug: str):
    """One organisation, by its slug, with its roles at the sites you may see."""
    organisation = organisations_for(request).filter(slug=slug).first()
    if organisation is None:
        raise NotFound("organisation", slug)
    return organisation
