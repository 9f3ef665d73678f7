"""Funding figures: allocation, spend and variance per site per financial year.

Variance is allocation − spend (negative when a site has spent more than it was given), and
"% spent" is spend ÷ allocation × 100, rounded to one decimal place; it is None where
nothing was allocated. Every figure is a Decimal, worked out from the stored pounds and
pence: no floating point.

The summaries use a fixed number of queries whatever the number of sites.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, Sum

from core20.oversight.models import FundingAllocation, SpendReport
from core20.oversight.periods import year_label

ZERO = Decimal("0.00")


def percent_spent(allocated: Decimal | None, spent: Decimal | None) -> Decimal | None:
    if not allocated:
        return None
    value = (spent or ZERO) * 100 / allocated
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class YearFunding:
    """One site's funding in one financial year."""

    site: object
    financial_year: int
    allocated: Decimal = ZERO
    spent: Decimal = ZERO
    quarters: dict = field(default_factory=dict)  # quarter -> SpendReport
    allocations: list = field(default_factory=list)
    has_allocation: bool = False
    has_spend: bool = False

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)

    @property
    def variance(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def percent_spent(self) -> Decimal | None:
        return percent_spent(self.allocated, self.spent)

    @property
    def overspent(self) -> bool:
        return self.spent > self.allocated

    @property
    def quarter_rows(self) -> list:
        return [(q, self.quarters.get(q)) for q in (1, 2, 3, 4)]


def site_funding(site) -> list[YearFunding]:
    """Every financial year in which the site has an allocation or reported spend, newest
    first, with its allocation lines and quarterly spend (two queries)."""
    years: dict[int, YearFunding] = {}

    def year(y: int) -> YearFunding:
        return years.setdefault(y, YearFunding(site=site, financial_year=y))

    for allocation in FundingAllocation.objects.filter(site=site).order_by("pk"):
        row = year(allocation.financial_year)
        row.allocations.append(allocation)
        row.allocated += allocation.amount
        row.has_allocation = True
    for report in SpendReport.objects.filter(site=site).select_related("updated_by"):
        row = year(report.financial_year)
        row.quarters[report.quarter] = report
        row.spent += report.amount
        row.has_spend = True
    return [years[y] for y in sorted(years, reverse=True)]


def funding_by_site(site_ids, financial_year: int) -> dict[int, YearFunding]:
    """{site id: YearFunding} for one financial year (two queries)."""
    result = {}
    allocations = (
        FundingAllocation.objects.filter(site_id__in=site_ids, financial_year=financial_year)
        .values("site_id")
        .annotate(total=Sum("amount"))
    )
    for row in allocations:
        item = result.setdefault(
            row["site_id"], YearFunding(site=None, financial_year=financial_year)
        )
        item.allocated = row["total"]
        item.has_allocation = True
    spend = (
        SpendReport.objects.filter(site_id__in=site_ids, financial_year=financial_year)
        .values("site_id")
        .annotate(total=Sum("amount"))
    )
    for row in spend:
        item = result.setdefault(
            row["site_id"], YearFunding(site=None, financial_year=financial_year)
        )
        item.spent = row["total"]
        item.has_spend = True
    return result


def last_spend_reports(site_ids) -> dict[int, object]:
    """{site id: when its spend was last reported or corrected} (one query)."""
    rows = (
        SpendReport.objects.filter(site_id__in=site_ids)
        .values("site_id")
        .annotate(last=Max("updated_at"))
    )
    return {row["site_id"]: row["last"] for row in rows}


@dataclass
class Totals:
    allocated: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def variance(self) -> Decimal:
        return self.allocated - self.spent

    @property
    def percent_spent(self) -> Decimal | None:
        return percent_spent(self.allocated, self.spent)


def totals(rows) -> Totals:
    result = Totals()
    for row in rows:
        result.allocated += row.allocated
        result.spent += row.spent
    return result


def money(value: Decimal | None) -> str:
    """£1,234.50 (or "" for None)."""
    if value is None:
        return ""
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"
