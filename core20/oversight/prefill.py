"""Figures a quarterly return can be prefilled with from what Core20 Connect already holds.

A small registry: one ``Figure`` per figure, each with a function that returns the value for
a site and quarter, or None when the platform does not hold it. The output figures
(connectors, activities, insights sent, micro-grants) come from core20.oversight.outputs. A figure
can be marked ``available=False`` (a capability not built yet): it then always gives None,
and the return form says "Not yet recorded in Core20 Connect" so the site enters the figure
itself.

A figure may also give a ``bulk`` function ({site id: value} for many sites in a fixed
number of queries); available figures with one become extra columns in the national
oversight table.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Sum

from core20.oversight import outputs
from core20.oversight.models import FundingAllocation, ReturnQuestion, SpendReport

NOT_RECORDED = "Not yet recorded in Core20 Connect"

Value = Decimal | int | None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # ReturnQuestion.Kind.NUMBER or MONEY
    capability: str  # where the figure comes from, in words
    fetch: Callable[..., Value]  # fetch(site, financial_year, quarter, cache) -> value
    available: bool = True
    bulk: Callable[..., dict] | None = None  # bulk(site_ids, year, cache) -> {id: value}
    column_label: str = ""


# ---- figures that exist now ----


def _funding_allocated(site, year, quarter, cache) -> Value:
    total = FundingAllocation.objects.filter(site=site, financial_year=year).aggregate(
        total=Sum("amount")
    )["total"]
    return total


def _spend_this_quarter(site, year, quarter, cache) -> Value:
    report = SpendReport.objects.filter(site=site, financial_year=year, quarter=quarter).first()
    return report.amount if report else None


def _spend_year_to_date(site, year, quarter, cache) -> Value:
    reports = SpendReport.objects.filter(site=site, financial_year=year, quarter__lte=quarter)
    total = reports.aggregate(total=Sum("amount"))["total"]
    return total


def _partner_organisations(site, year, quarter, cache) -> Value:
    count = site.site_organisations.values("organisation").distinct().count()
    return count or None


def _target_areas(site, year, quarter, cache) -> Value:
    from core20.places.models_targets import SiteTargetArea

    count = SiteTargetArea.objects.filter(site=site).count()
    return count or None


def _target_profile(site, cache):
    """The site's places profile (core20.places), worked out once per prefill."""
    if "profile" not in cache:
        cache["profile"] = None
        from core20.places.models_targets import SiteTargetArea

        if SiteTargetArea.objects.filter(site=site).exists():
            from core20.places.target_areas import site_profile

            try:
                cache["profile"] = site_profile(site)
            except ObjectDoesNotExist:  # no deprivation edition loaded: no figure
                cache["profile"] = None
    return cache["profile"]


def _target_population(site, year, quarter, cache) -> Value:
    profile = _target_profile(site, cache)
    if profile is None or profile.figures is None or not profile.figures.population:
        return None
    return int(profile.figures.population)


def _core20_population(site, year, quarter, cache) -> Value:
    profile = _target_profile(site, cache)
    if profile is None or profile.figures is None or not profile.figures.population:
        return None
    return int(profile.figures.core20_population)


NUMBER = ReturnQuestion.Kind.NUMBER.value
MONEY = ReturnQuestion.Kind.MONEY.value

FIGURES: dict[str, Figure] = {
    figure.key: figure
    for figure in (
        Figure(
            "funding_allocated",
            "Funding allocated for the financial year",
            MONEY,
            "Funding allocations set by the national team",
            _funding_allocated,
        ),
        Figure(
            "spend_this_quarter",
            "Spend reported for the quarter",
            MONEY,
            "Spend reported on the site's funding page",
            _spend_this_quarter,
        ),
        Figure(
            "spend_year_to_date",
            "Spend reported for the financial year to the end of the quarter",
            MONEY,
            "Spend reported on the site's funding page",
            _spend_year_to_date,
        ),
        Figure(
            "partner_organisations",
            "Organisations working with the site",
            NUMBER,
            "The site's organisations in the programme pages",
            _partner_organisations,
        ),
        Figure(
            "target_areas",
            "Target areas (wards, LSOAs or districts)",
            NUMBER,
            "The site's target areas on its places page",
            _target_areas,
        ),
        Figure(
            "target_population",
            "People living in the target areas",
            NUMBER,
            "Population estimates for the site's target areas",
            _target_population,
        ),
        Figure(
            "core20_population",
            "People in the target areas living in Core20 neighbourhoods",
            NUMBER,
            "Deprivation deciles for the site's target areas",
            _core20_population,
        ),
        Figure(
            "connectors_recruited",
            "Connectors recruited",
            NUMBER,
            "Connector records: made active for the first time in the period",
            outputs.connectors_recruited,
            bulk=outputs.connectors_recruited_bulk,
            column_label="Connectors recruited",
        ),
        Figure(
            "connectors_active",
            "Connectors active in the quarter",
            NUMBER,
            "Connector records: active at any time in the period",
            outputs.connectors_active,
            bulk=outputs.connectors_active_bulk,
            column_label="Connectors active",
        ),
        Figure(
            "activities_held",
            "Community activities held",
            NUMBER,
            "Activities recorded by the site's connectors and coordinators",
            outputs.activities_held,
            bulk=outputs.activities_held_bulk,
            column_label="Activities",
        ),
        Figure(
            "people_reached",
            "People reached",
            NUMBER,
            "People reached, as recorded on activities",
            outputs.people_reached,
            bulk=outputs.people_reached_bulk,
            column_label="People reached",
        ),
        Figure(
            "insights_recorded",
            "Insights sent to decision-makers",
            NUMBER,
            "Insights the site sent to at least one decision-making organisation or forum "
            "in the period",
            outputs.insights_recorded,
            bulk=outputs.insights_recorded_bulk,
            column_label="Insights sent",
        ),
        Figure(
            "micro_grants_awarded",
            "Micro-grants awarded (£)",
            MONEY,
            "Micro-grants awarded by decisions made in the period",
            outputs.micro_grants_awarded,
            bulk=outputs.micro_grants_awarded_bulk,
            column_label="Micro-grants",
        ),
    )
}

PREFILL_CHOICES = [("", "Not prefilled")] + [
    (f.key, f.label + ("" if f.available else " (not yet recorded in Core20 Connect)"))
    for f in FIGURES.values()
]


def as_text(value: Value) -> str | None:
    """How a figure is kept in a return's answers: a plain string, or None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    return str(value)


def prefill_values(site, financial_year: int, quarter: int, keys) -> dict[str, str | None]:
    """{figure key: value as text or None} for the figures named by ``keys``."""
    cache: dict = {}
    values = {}
    for key in keys:
        figure = FIGURES.get(key)
        if figure is None or not figure.available:
            values[key] = None
            continue
        values[key] = as_text(figure.fetch(site, financial_year, quarter, cache))
    return values


def output_columns() -> list[Figure]:
    """Figures from later capabilities shown as columns in the oversight table, once their
    capability exists and gives a ``bulk`` function."""
    return [f for f in FIGURES.values() if f.available and f.bulk is not None]
