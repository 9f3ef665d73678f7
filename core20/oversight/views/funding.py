"""Funding: a site's page (allocations, quarterly spend and variance per year), setting
allocations (national admins), reporting spend (the site's lead or national admins), and
the national summary with its CSV export (national staff)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.oversight import actions, funding, periods
from core20.oversight.forms import AllocationForm, ConfirmDeleteForm, FundingFilterForm, SpendForm
from core20.oversight.models import FundingAllocation, SpendReport
from core20.oversight.views.common import (
    add_action_errors,
    oversight_crumbs,
    site_crumbs,
    site_for,
)
from core20.programme.models import Site


def _funding_url(site) -> str:
    return reverse("oversight:site-funding", args=[site.slug])


@login_required
def site_funding(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_for(request, slug)
    years = funding.site_funding(site)
    return render(
        request,
        "oversight/site_funding.html",
        {
            "site": site,
            "years": years,
            "can_allocate": has_permission(request.user, Permission.FUNDING_MANAGE),
            "can_report": has_permission(request.user, Permission.SPEND_REPORT, site=site),
            "current_year": periods.financial_year_of(periods.today()),
            "breadcrumbs": site_crumbs(request.user, site),
        },
    )


@login_required
def allocation_create(request: HttpRequest, slug: str) -> HttpResponse:
    require_permission(request.user, Permission.FUNDING_MANAGE)
    site = site_for(request, slug)
    form = AllocationForm(
        request.POST if request.method == "POST" else None,
        initial={"financial_year": periods.financial_year_of(periods.today())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            allocation = actions.create_allocation(
                site=site, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"£{allocation.amount:,.2f} has been allocated to {site.name} for "
                f"{allocation.year_label}.",
            )
            return redirect(_funding_url(site))
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Allocate funding to {site.name}",
            "submit_label": "Save allocation",
            "cancel_url": _funding_url(site),
            "breadcrumbs": site_crumbs(request.user, site, ("Funding", _funding_url(site))),
        },
    )


def _allocation(request, slug, pk) -> tuple[Site, FundingAllocation]:
    require_permission(request.user, Permission.FUNDING_MANAGE)
    site = site_for(request, slug)
    return site, get_object_or_404(FundingAllocation, pk=pk, site=site)


@login_required
def allocation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site, allocation = _allocation(request, slug, pk)
    form = AllocationForm(request.POST if request.method == "POST" else None, instance=allocation)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_allocation(
                allocation=allocation, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if form.has_changed():
                messages.success(request, "Your changes to the allocation have been saved.")
            else:
                messages.info(request, "You did not change anything.")
            return redirect(_funding_url(site))
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Change an allocation to {site.name}",
            "submit_label": "Save changes",
            "cancel_url": _funding_url(site),
            "breadcrumbs": site_crumbs(request.user, site, ("Funding", _funding_url(site))),
        },
    )


@login_required
def allocation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site, allocation = _allocation(request, slug, pk)
    form = ConfirmDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.delete_allocation(allocation=allocation, by=request.user)
        messages.success(request, f"The allocation of £{allocation.amount:,.2f} has been removed.")
        return redirect(_funding_url(site))
    return render(
        request,
        "oversight/allocation_delete.html",
        {
            "form": form,
            "site": site,
            "allocation": allocation,
            "breadcrumbs": site_crumbs(request.user, site, ("Funding", _funding_url(site))),
        },
    )


def _quarter_to_report(site) -> tuple[int, int]:
    """The quarter "Report spend" opens on: the last quarter, unless the site has reported
    it already, then this quarter, unless that is reported too. Opening on a quarter already
    reported would fill the form with its figures, which then go to whichever quarter is
    chosen."""
    current = periods.quarter_of(periods.today())
    last = periods.previous_quarter(*current)
    for year, quarter in (last, current):
        if not SpendReport.objects.filter(site=site, financial_year=year, quarter=quarter).exists():
            return year, quarter
    return last


@login_required
def spend_report(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_for(request, slug, Permission.SPEND_REPORT)
    initial_year, initial_quarter = _quarter_to_report(site)
    existing = None
    if request.method == "GET":
        try:
            initial_year = int(request.GET.get("year", initial_year))
            initial_quarter = int(request.GET.get("quarter", initial_quarter))
        except ValueError:
            pass
        existing = SpendReport.objects.filter(
            site=site, financial_year=initial_year, quarter=initial_quarter
        ).first()
    initial = {"financial_year": initial_year, "quarter": initial_quarter}
    if existing is not None:
        initial.update(amount=existing.amount, notes=existing.notes)
    form = SpendForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = actions.report_spend(
                site=site,
                financial_year=data["financial_year"],
                quarter=data["quarter"],
                amount=data["amount"],
                notes=data["notes"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request, f"Spend of £{report.amount:,.2f} for {report.period_label} has been saved."
            )
            return redirect(_funding_url(site))
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Report spend for {site.name}",
            "intro": "Report what your site spent of its programme funding in one quarter. "
            "If you have already reported that quarter, this replaces the figure (the change "
            "is kept in the audit log).",
            "submit_label": "Save spend",
            "cancel_url": _funding_url(site),
            "breadcrumbs": site_crumbs(request.user, site, ("Funding", _funding_url(site))),
        },
    )


# ---- the national summary ----


def _summary(request):
    if not has_permission(request.user, Permission.OVERSIGHT_VIEW):
        raise PermissionDenied
    form = FundingFilterForm(request.GET or None)
    year = periods.financial_year_of(periods.today())
    sites = Site.objects.select_related("wave").order_by("wave__number", "name")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        year = data.get("year") or year
        if data.get("region"):
            sites = sites.filter(regions=data["region"])
        if data.get("wave"):
            sites = sites.filter(wave=data["wave"])
    sites = list(sites.prefetch_related("regions"))
    by_site = funding.funding_by_site([s.pk for s in sites], year)
    rows = []
    for site in sites:
        row = by_site.get(site.pk) or funding.YearFunding(site=site, financial_year=year)
        row.site = site
        rows.append(row)
    return form, year, rows


@login_required
def funding_summary(request: HttpRequest) -> HttpResponse:
    form, year, rows = _summary(request)
    totals = funding.totals(rows)
    query = request.GET.urlencode()
    return render(
        request,
        "oversight/funding_summary.html",
        {
            "form": form,
            "year": year,
            "year_label": periods.year_label(year),
            "rows": rows,
            "totals": totals,
            "funded": sum(1 for r in rows if r.has_allocation),
            "overspent": [r for r in rows if r.overspent],
            "csv_url": reverse("oversight:funding-summary-csv") + (f"?{query}" if query else ""),
            "breadcrumbs": oversight_crumbs(request.user),
        },
    )


CSV_HEADER = [
    "Site",
    "Wave",
    "NHS regions",
    "Financial year",
    "Allocated (GBP)",
    "Spent (GBP)",
    "Variance (GBP)",
    "Percent spent",
]


def _csv_safe(value: str) -> str:
    """Stop spreadsheet programs reading a cell as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_http_methods(["GET"])
@login_required
def funding_summary_csv(request: HttpRequest) -> HttpResponse:
    _, year, rows = _summary(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="funding-summary-{periods.year_label(year).replace("/", "-")}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                _csv_safe(row.site.name),
                _csv_safe(row.site.wave.name),
                _csv_safe("; ".join(r.name for r in row.site.regions.all())),
                periods.year_label(year),
                f"{row.allocated:.2f}",
                f"{row.spent:.2f}",
                f"{row.variance:.2f}",
                "" if row.percent_spent is None else f"{row.percent_spent}",
            ]
        )
    totals = funding.totals(rows)
    writer.writerow(
        [
            "All sites",
            "",
            "",
            periods.year_label(year),
            f"{totals.allocated:.2f}",
            f"{totals.spent:.2f}",
            f"{totals.variance:.2f}",
            "" if totals.percent_spent is None else f"{totals.percent_spent}",
        ]
    )
    return response
