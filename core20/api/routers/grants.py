"""API for micro-grants: funds (public from their opening date; the spend figures only for
the site's team), awards for the site's team, and the public 360Giving JSON of awards."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import paginate

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.api.auth import effective_user
from core20.api.errors import NotFound
from core20.api.pagination import ApiPagination
from core20.api.schemas import ErrorOut, responses
from core20.grants import actions, threesixty
from core20.grants.models import Application
from core20.grants.views import may_manage, visible_funds
from core20.programme.queries import visible_sites

router = Router(tags=["Micro-grants"])


class SpendOut(Schema):
    budget: Decimal
    committed: Decimal = Field(description="Awarded so far")
    paid: Decimal
    remaining: Decimal = Field(description="Left to award")


class FundOut(Schema):
    id: int
    site: str = Field(description="The site's slug")
    name: str
    summary: str
    currency: str
    budget: Decimal
    max_award: Decimal
    opens_on: date
    closes_on: date
    is_open: bool
    spend: SpendOut | None = Field(
        None, description="Only for the site's team (GRANT_MANAGE): committed, paid, remaining"
    )


class AwardOut(Schema):
    id: int
    fund: int
    identifier: str = Field(description="The 360Giving grant identifier")
    title: str
    recipient_type: str
    recipient_name: str
    amount_requested: Decimal
    amount_awarded: Decimal
    award_date: date
    paid: Decimal
    outcome_reported: bool
    people_reached: int | None


class FundFilters(Schema):
    site: str | None = Field(None, description="Site slug")


@router.get("/grants/funds", response=responses(list[FundOut]), summary="List micro-grant funds")
@paginate(ApiPagination)
def list_grant_funds(request, filters: Query[FundFilters]):
    """Funds the caller may see: every fund from its opening date, and all of a site's
    funds for its team. The spend against budget is given to the site's team only."""
    user = effective_user(request)
    funds = visible_funds(user).order_by("-opens_on", "name", "pk")
    if filters.site:
        funds = funds.filter(site__slug=filters.site)
    funds = list(funds)
    spends = actions.spend_by_fund(f for f in funds if may_manage(user, f))
    result = []
    for fund in funds:
        spend = spends.get(fund.pk)
        result.append(
            {
                "id": fund.pk,
                "site": fund.site.slug,
                "name": fund.name,
                "summary": fund.summary,
                "currency": fund.currency,
                "budget": fund.budget,
                "max_award": fund.max_award,
                "opens_on": fund.opens_on,
                "closes_on": fund.closes_on,
                "is_open": fund.is_open,
                "spend": None
                if spend is None
                else {
                    "budget": spend.budget,
                    "committed": spend.committed,
                    "paid": spend.paid,
                    "remaining": spend.remaining,
                },
            }
        )
    return result


@router.get(
    "/grants/awards",
    response={**responses(list[AwardOut]), 403: ErrorOut},
    summary="List awards (site teams)",
)
@paginate(ApiPagination)
def list_grant_awards(request, filters: Query[FundFilters]):
    """Awards at the sites where the caller manages micro-grants (site leads and host
    coordinators at their site; national admins everywhere), with payments and outcomes."""
    user = effective_user(request)
    if not user.is_authenticated:
        raise AuthenticationError()
    where = sites_where(user, Permission.GRANT_MANAGE)
    if where is not None and not where:
        raise PermissionDenied
    awards = Application.objects.filter(status=Application.Status.AWARDED)
    if where is not None:
        awards = awards.filter(fund__site_id__in=where)
    if filters.site:
        awards = awards.filter(fund__site__slug=filters.site)
    awards = (
        awards.select_related("fund__site", "outcome")
        .annotate(total_paid=Sum("payments__amount"))
        .order_by("decided_on", "pk")
    )
    result = []
    for a in awards:
        outcome = getattr(a, "outcome", None) if hasattr(a, "outcome") else None
        result.append(
            {
                "id": a.pk,
                "fund": a.fund_id,
                "identifier": f"{threesixty.PREFIX}-{a.fund.site.slug}-{a.pk}",
                "title": a.title,
                "recipient_type": a.recipient_type,
                "recipient_name": a.group_name,
                "amount_requested": a.amount_requested,
                "amount_awarded": a.amount_awarded,
                "award_date": a.decided_on,
                "paid": Decimal(str(a.total_paid or 0)).quantize(Decimal("0.01")),
                "outcome_reported": outcome is not None,
                "people_reached": outcome.people_reached if outcome else None,
            }
        )
    return result


@router.get(
    "/grants/360giving",
    response=responses(dict, not_found=True),
    summary="Awards in the 360Giving Data Standard",
)
def grants_360giving(request, filters: Query[FundFilters]):
    """Every published award as 360Giving JSON (``{"grants": [...]}``): open data, with
    grants to individuals anonymised under 360Giving's rules for individual recipients."""
    site = None
    if filters.site:
        site = visible_sites(effective_user(request)).filter(slug=filters.site).first()
        if site is None:
            raise NotFound("site", filters.site)
    return threesixty.package(threesixty.awards(site), request.build_absolute_uri("/"))
