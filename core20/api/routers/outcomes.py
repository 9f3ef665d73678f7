"""API for outcomes and evaluation: the indicator catalogue (public) and a site's figures by
deprivation (ANALYTICS_VIEW for the site), computed by the same code as the dashboard."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.api.auth import effective_user
from core20.api.errors import NotFound
from core20.api.schemas import responses
from core20.outcomes import analysis
from core20.outcomes.models import Indicator
from core20.programme.queries import visible_sites

router = Router(tags=["Outcomes and evaluation"])


class IndicatorOut(Schema):
    code: str
    name: str
    clinical_area: str
    definition: str
    numerator: str
    denominator: str
    type: str = Field(description="proportion, rate, dsr, ratio or count")
    polarity: str = Field(description="higher, lower or neutral (which direction is better)")
    source: str
    national_ambition: str


class QuantileOut(Schema):
    period: str
    quantile: int = Field(description="1 = most deprived")
    numerator: float | None
    denominator: float | None
    value: float | None
    lower95: float | None
    upper95: float | None


class FiguresIn(Schema):
    by: str = Field("decile", description="decile or quintile", pattern="^(decile|quintile)$")


@router.get("/outcomes/indicators", response=responses(list[IndicatorOut]), summary="Indicators")
def list_indicators(request):
    """The Core20PLUS5 indicator catalogue (active indicators)."""
    return list(Indicator.objects.filter(active=True))


@router.get(
    "/outcomes/sites/{slug}/indicators/{code}/by-deprivation",
    response=responses(list[QuantileOut], not_found=True),
    summary="A site's indicator by IMD decile or quintile",
)
def site_by_deprivation(request, slug: str, code: str, params: Query[FiguresIn]):
    """Every period's figures by deprivation quantile, with 95% limits, as on the site's
    dashboard. Needs analytics access to the site; an unknown site is 404."""
    user = effective_user(request)
    site = visible_sites(user).filter(slug=slug).first()
    if site is None:
        raise NotFound("site", slug)
    require_permission(user, Permission.ANALYTICS_VIEW, site=site)
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise NotFound("indicator", code)
    figures = analysis.site_figures(site, indicator, quantiles=10 if params.by == "decile" else 5)
    return [
        {k: (None if v != v else v) for k, v in row.items()}  # NaN → null
        for row in figures.by_quantile[
            ["period", "quantile", "numerator", "denominator", "value", "lower95", "upper95"]
        ].to_dict("records")
    ]
