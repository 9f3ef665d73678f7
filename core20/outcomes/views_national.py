"""The national dashboard and its drill-down to sites and their areas.

The national dashboard (national staff: ANALYTICS_VIEW everywhere) shows national data by
deprivation, then each site's target areas. The sites-and-areas page for an indicator goes
on from each site's figure to each of its target areas; it is open to anyone with
ANALYTICS_VIEW somewhere and shows only the sites ``has_permission`` lets them see (a site
lead sees their own site).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from core20.accounts.authorization import has_any_permission, has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.outcomes import analysis, dashboard, drilldown, scope
from core20.outcomes.models import Indicator
from core20.outcomes.views import (
    QUANTILE_CHOICES,
    _export,
    _home_crumbs,
    chart_response,
    choose_areas_url,
)


def sites_for(user) -> list:
    """The sites whose figures ``user`` may see, by name."""
    return [
        site
        for site in scope.analytics_sites(user).order_by("name")
        if has_permission(user, Permission.ANALYTICS_VIEW, site=site)
    ]


@login_required
def national(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.ANALYTICS_VIEW)
    code = request.GET.get("indicator")
    indicators = Indicator.objects.filter(uploads__isnull=False).distinct()
    indicator = get_object_or_404(Indicator, code=code) if code else indicators.first()
    sections, site_table, choose_areas, spc_notes = [], None, [], []
    export = request.GET.get("export")
    if indicator is not None:
        sections = _national_sections(request, indicator)
        if export in ("svg", "png"):
            charts = {s.key: s.chart for s in sections if s.chart}
            key = request.GET.get("chart", "")
            if key not in charts:
                raise Http404
            return chart_response(charts[key], f"national-{indicator.code}-{key}", export)
        drills = drilldown.drill(indicator, sites_for(request.user))
        links = {
            i: reverse("outcomes:site-indicator", args=[d.site.slug, indicator.code])
            for i, d in enumerate(drills)
        }
        site_table = drilldown.sites_table(indicator, drills, links)
        choose_areas = _choose_areas(request.user, drills)
        spc_notes = drilldown.spc_notes(drills)
    if export in ("csv", "xlsx") and indicator is not None:
        tables = {s.key: s.table for s in sections}
        tables["sites"] = site_table
        key = request.GET.get("table", "sites")
        if key not in tables:
            raise Http404
        return _export(tables[key], f"national-{indicator.code}-{key}", export)
    return render(
        request,
        "outcomes/national.html",
        {
            "indicator": indicator,
            "indicators": indicators,
            "sections": sections,
            "site_table": site_table,
            "choose_areas": choose_areas,
            "spc_notes": spc_notes,
            "breadcrumbs": _home_crumbs(),
        },
    )


def _choose_areas(user, drills) -> list[tuple[object, str]]:
    """(site, its target areas page) for the sites without target areas that ``user`` may
    choose them for."""
    urls = [(d.site, choose_areas_url(user, d.site)) for d in drills if not d.areas_chosen]
    return [(site, url) for site, url in urls if url]


def _national_sections(request, indicator) -> list[dashboard.Section]:
    frame = analysis.values_frame(indicator, sites=[])
    quantiles = QUANTILE_CHOICES.get(request.GET.get("by", "decile"), 10)
    table = analysis.by_quantile(frame, indicator, quantiles=quantiles)

    class National:
        name = "England"

    figures = analysis.SiteFigures(
        indicator=indicator,
        site=National,
        quantiles=quantiles,
        frame=frame,
        by_quantile=table,
        inequality=analysis.inequality_over_time(table, indicator, quantiles),
        target=analysis.overall(frame, indicator, []),
        rest=analysis.overall(frame, indicator, []),
        trajectory=[],
    )
    figures.spc_message = "SPC charts are drawn for each site's target areas."
    england = dashboard.england_section(indicator, analysis.england_over_time(frame))
    return [
        *([england] if england else []),
        *(
            s
            for s in dashboard.build(figures, user_may_see_areas=False)
            if s.key in ("by-quantile", "inequality")
        ),
    ]


@login_required
def national_areas(request: HttpRequest, code: str) -> HttpResponse:
    if not has_any_permission(request.user, Permission.ANALYTICS_VIEW):
        raise PermissionDenied
    indicator = get_object_or_404(Indicator, code=code)
    drills = drilldown.drill(indicator, sites_for(request.user))
    site_table = drilldown.sites_table(
        indicator, drills, {i: f"#site-{d.site.slug}" for i, d in enumerate(drills)}
    )
    parts = [
        {
            "drill": d,
            "table": drilldown.areas_table(indicator, d),
            "summary": drilldown.summary(indicator, d),
            "areas_url": "" if d.areas_chosen else choose_areas_url(request.user, d.site),
        }
        for d in drills
    ]
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        tables = {"sites": site_table, **{p["table"].key: p["table"] for p in parts}}
        key = request.GET.get("table", "sites")
        if key not in tables:
            raise Http404
        return _export(tables[key], f"{indicator.code}-{key}", export)
    national = has_permission(request.user, Permission.ANALYTICS_VIEW)
    crumbs = _home_crumbs()
    if national:
        crumbs.append(("National dashboard", reverse("outcomes:national")))
    return render(
        request,
        "outcomes/national_areas.html",
        {
            "indicator": indicator,
            "site_table": site_table,
            "sites_summary": drilldown.sites_summary(indicator, drills),
            "spc_notes": drilldown.spc_notes(drills),
            "parts": parts,
            "national": national,
            "breadcrumbs": crumbs,
        },
    )
