"""National oversight: every site at a glance (national staff with OVERSIGHT_VIEW)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.oversight import dashboard, periods
from core20.oversight.forms import OversightFilterForm
from core20.oversight.models import QuarterlyReturn
from core20.oversight.views.common import own_site_returns
from core20.programme.models import Site


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.OVERSIGHT_VIEW):
        return own_site_returns(request.user)
    form = OversightFilterForm(request.GET or None)
    sites = Site.objects.order_by("wave__number", "name")
    options = {"group": "region"}
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("region"):
            sites = sites.filter(regions=data["region"])
            filtered = True
        if data.get("wave"):
            sites = sites.filter(wave=data["wave"])
            filtered = True
        options = {
            "financial_year": data.get("year") or None,
            "stale_days": data.get("stale_days") or None,
            "group": data.get("group") or "region",
        }
    result = dashboard.build(sites, **options)
    return render(
        request,
        "oversight/dashboard.html",
        {
            "form": form,
            "overview": result,
            "filtered": filtered,
            "year_label": periods.year_label(result.financial_year),
            "awaiting": QuarterlyReturn.objects.filter(
                status=QuarterlyReturn.Status.SUBMITTED
            ).count(),
            "can_review": has_permission(request.user, Permission.RETURN_REVIEW),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )
