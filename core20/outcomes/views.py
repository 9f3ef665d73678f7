"""Outcomes pages: the indicator catalogue, indicator data uploads and versions, each site's
logic model, success measures, dashboards, trajectories and evaluation, and the national
dashboard.

Site pages start from the sites the viewer may see (404 otherwise) and need ANALYTICS_VIEW for
the site (403 otherwise); changes need OUTCOMES_MANAGE for the site.
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core20.accounts.authorization import has_any_permission, has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.outcomes import (
    actions,
    analysis,
    dashboard,
    evaluation,
    ingest,
    outputs,
    png,
    scope,
)
from core20.outcomes.forms import (
    ElementForm,
    EvaluationForm,
    EvidenceForm,
    IndicatorForm,
    SuccessMeasureForm,
    TrajectoryForm,
    UploadForm,
)
from core20.outcomes.models import (
    Element,
    Indicator,
    IndicatorValue,
    LogicModel,
    SuccessMeasure,
    TrajectoryPoint,
    Upload,
)
from core20.outcomes.tables import Column, Table, csv_response, xlsx_response
from core20.programme.queries import visible_sites
from core20.programme.views.common import add_action_errors

QUANTILE_CHOICES = {"decile": 10, "quintile": 5}


def _home_crumbs(*more):
    return [("Home", reverse("web:home")), ("Outcomes", reverse("outcomes:home")), *more]


def _site(request, slug, permission=Permission.ANALYTICS_VIEW):
    site = get_object_or_404(visible_sites(request.user), slug=slug)
    if not has_permission(request.user, permission, site=site):
        raise PermissionDenied
    return site


def _site_crumbs(site, *more):
    return _home_crumbs((site.name, reverse("outcomes:site", args=[site.slug])), *more)


def _may_use_outcomes(user) -> bool:
    return any(
        has_any_permission(user, p)
        for p in (Permission.ANALYTICS_VIEW, Permission.INDICATOR_DATA_UPLOAD)
    )


# --- Home and catalogue ------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not _may_use_outcomes(request.user):
        raise PermissionDenied
    return render(
        request,
        "outcomes/home.html",
        {
            "sites": scope.analytics_sites(request.user).select_related("wave"),
            "national": has_permission(request.user, Permission.ANALYTICS_VIEW),
            "can_upload": has_any_permission(request.user, Permission.INDICATOR_DATA_UPLOAD),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = (
        Indicator.objects.all()
        if has_permission(request.user, Permission.INDICATOR_MANAGE)
        else Indicator.objects.filter(active=True)
    )
    return render(
        request,
        "outcomes/indicator_list.html",
        {
            "indicators": indicators,
            "can_manage": has_permission(request.user, Permission.INDICATOR_MANAGE),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, code=code)
    if not indicator.active and not has_permission(request.user, Permission.INDICATOR_MANAGE):
        raise Http404
    # For people who use outcomes: the latest version of this indicator's data they may see
    # (England's, then each site's), so the definition leads on to the figures.
    data = None
    if request.user.is_authenticated and _may_use_outcomes(request.user):
        latest = {}
        for upload in (
            _visible_uploads(request.user)
            .filter(indicator=indicator)
            .order_by("site__name", "-version")
        ):
            latest.setdefault(upload.site_id, upload)
        data = {
            "latest": sorted(latest.values(), key=lambda u: (u.site is not None, str(u.site))),
            "national": has_any_permission(request.user, Permission.ANALYTICS_VIEW),
            "can_upload": has_any_permission(request.user, Permission.INDICATOR_DATA_UPLOAD),
        }
    return render(
        request,
        "outcomes/indicator_detail.html",
        {
            "indicator": indicator,
            "data": data,
            "can_manage": has_permission(request.user, Permission.INDICATOR_MANAGE),
            "breadcrumbs": [
                ("Home", reverse("web:home")),
                ("Indicators", reverse("outcomes:indicator-list")),
            ],
        },
    )


@login_required
def indicator_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    require_permission(request.user, Permission.INDICATOR_MANAGE)
    indicator = get_object_or_404(Indicator, code=code) if code else None
    form = IndicatorForm(request.POST if request.method == "POST" else None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_indicator(
                data=form.cleaned_data, by=request.user, indicator=indicator
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"“{saved.name}” has been saved.")
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Change {indicator.name}" if indicator else "Add an indicator",
            "submit_label": "Save indicator",
            "cancel_url": reverse("outcomes:indicator-list"),
            "breadcrumbs": [
                ("Home", reverse("web:home")),
                ("Indicators", reverse("outcomes:indicator-list")),
            ],
        },
    )


# --- Indicator data --------------------------------------------------------------------------


def _upload_choices(user):
    sites = scope.upload_sites(user)
    if sites is None:
        return True, list(visible_sites(user).order_by("name"))
    return False, list(sites.order_by("name"))


@login_required
def upload_create(request: HttpRequest) -> HttpResponse:
    if not has_any_permission(request.user, Permission.INDICATOR_DATA_UPLOAD):
        raise PermissionDenied
    national, sites = _upload_choices(request.user)
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        sites=sites,
        national=national,
    )
    row_errors = []
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["site"]
        site = None if choice == "national" else next(s for s in sites if str(s.pk) == choice)
        file = form.cleaned_data["file"]
        indicator = form.cleaned_data["indicator"]
        content = file.read()
        try:
            rows, fmt = None, None
            if form.cleaned_data["kind"] == "extract":
                parsed = ingest.parse_extract(
                    file.name, content, indicator, form.cleaned_data["period"]
                )
                if parsed.errors:
                    raise actions.UploadRejected(parsed.errors)
                rows, fmt, content = parsed.rows, "extract", b""
            upload = actions.upload_data(
                indicator=indicator,
                site=site,
                file_name=file.name,
                content=content,
                by=request.user,
                note=form.cleaned_data["note"],
                rows=rows,
                format=fmt,
            )
        except actions.UploadRejected as exc:
            row_errors = exc.row_errors
            form.add_error(
                "file",
                f"The file has {len(row_errors)} problem{'s' if len(row_errors) != 1 else ''} "
                "(listed below); nothing has been stored",
            )
        else:
            messages.success(
                request,
                f"{upload.row_count:,} rows stored as version {upload.version} of "
                f"{upload.indicator.name}.",
            )
            return redirect(upload.get_absolute_url())
    return render(
        request,
        "outcomes/upload_form.html",
        {
            "form": form,
            "row_errors": row_errors,
            "current": _current_data(national, sites),
            "title": "Upload indicator data",
            "breadcrumbs": _home_crumbs(("Indicator data", reverse("outcomes:upload-list"))),
        },
    )


def _current_data(national: bool, sites) -> list[Upload]:
    """The current (latest) version of each dataset an upload on this page would replace:
    national data (where ``national``) and the data of ``sites``, by indicator name, national
    first. One query."""
    uploads = Upload.objects.filter(site__in=sites)
    if national:
        uploads = uploads | Upload.objects.filter(site__isnull=True)
    latest: dict = {}
    for upload in uploads.select_related("indicator", "site", "uploaded_by").order_by(
        "indicator_id", "site_id", "-version"
    ):
        latest.setdefault((upload.indicator_id, upload.site_id), upload)
    return sorted(
        latest.values(),
        key=lambda u: (u.indicator.name, u.site is not None, u.site.name if u.site else ""),
    )


def _visible_uploads(user):
    sites = scope.analytics_sites(user)
    uploads = Upload.objects.select_related("indicator", "site", "uploaded_by")
    if has_permission(user, Permission.ANALYTICS_VIEW) or has_permission(
        user, Permission.INDICATOR_DATA_UPLOAD
    ):
        return uploads.filter(site__isnull=True) | uploads.filter(site__in=sites)
    return uploads.filter(site__in=sites) | uploads.filter(site__isnull=True)


@login_required
def upload_list(request: HttpRequest) -> HttpResponse:
    if not _may_use_outcomes(request.user):
        raise PermissionDenied
    uploads = _visible_uploads(request.user).order_by("indicator__name", "site__name", "-version")[
        :500
    ]
    return render(
        request,
        "outcomes/upload_list.html",
        {
            "uploads": uploads,
            "can_upload": has_any_permission(request.user, Permission.INDICATOR_DATA_UPLOAD),
            "breadcrumbs": _home_crumbs(),
        },
    )


@login_required
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_use_outcomes(request.user):
        raise PermissionDenied
    upload = get_object_or_404(_visible_uploads(request.user), pk=pk)
    before = actions.previous_version(upload)
    changes = actions.version_diff(upload, before) if before else None
    values = list(upload.values.all()[:200])
    versions = Upload.objects.filter(indicator=upload.indicator, site=upload.site).select_related(
        "uploaded_by"
    )
    return render(
        request,
        "outcomes/upload_detail.html",
        {
            "upload": upload,
            "before": before,
            "changes": changes,
            "values": values,
            "versions": versions,
            "breadcrumbs": _home_crumbs(("Indicator data", reverse("outcomes:upload-list"))),
        },
    )


UPLOAD_COLUMNS = [
    Column("area_code", "area_code"),
    Column("area_name", "area_name"),
    Column("period", "period"),
    Column("breakdown_type", "breakdown_type"),
    Column("breakdown", "breakdown"),
    Column("numerator", "numerator", True, None),
    Column("denominator", "denominator", True, None),
    Column("value", "value", True, 4),
    Column("lower95", "lower95", True, 4),
    Column("upper95", "upper95", True, 4),
    Column("method", "method"),
]


@login_required
def upload_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every row of one version, in the aggregated-table layout (so a corrected copy can be
    uploaded again), with the value and 95% limits worked out when it was uploaded."""
    if not _may_use_outcomes(request.user):
        raise PermissionDenied
    upload = get_object_or_404(_visible_uploads(request.user), pk=pk)
    rows = list(upload.values.values(*(c.key for c in UPLOAD_COLUMNS)))
    table = Table(
        "rows", f"{upload.indicator.name}, version {upload.version}", UPLOAD_COLUMNS, rows
    )
    whose = upload.site.slug if upload.site else "national"
    return _export(table, f"{upload.indicator.code}-{whose}-version-{upload.version}", fmt)


# --- A site's outcomes: logic model, success measures, indicators ----------------------------


@login_required
def site_outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    model = LogicModel.objects.filter(site=site).first()
    elements = list(model.elements.prefetch_related("indicators")) if model else []
    stages = [
        (label, [e for e in elements if e.stage == value]) for value, label in Element.Stage.choices
    ]
    measures = SuccessMeasure.objects.filter(site=site).prefetch_related("evidence")
    with_data = Indicator.objects.filter(
        uploads__in=Upload.objects.filter(site__isnull=True) | Upload.objects.filter(site=site)
    ).distinct()
    output_rows = outputs.site_outputs(site)
    output_table = Table(
        "outputs",
        f"Outputs recorded on the platform for {site.name}",
        [
            Column("name", "Output"),
            Column("value", "Value", True, None),
            Column("description", "How it is counted"),
        ],
        output_rows,
    )
    return render(
        request,
        "outcomes/site.html",
        {
            "site": site,
            "model": model,
            "stages": stages,
            "measures": measures,
            "indicators": with_data,
            "output_table": output_table,
            "can_manage": has_permission(request.user, Permission.OUTCOMES_MANAGE, site=site),
            "breadcrumbs": _home_crumbs(),
        },
    )


@login_required
def outputs_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    site = _site(request, slug)
    table = Table(
        "outputs",
        "Outputs",
        [
            Column("name", "Output"),
            Column("value", "Value", True, None),
            Column("description", "How it is counted"),
        ],
        outputs.site_outputs(site),
    )
    return _export(table, f"{site.slug}-outputs", fmt)


@login_required
@require_POST
def logic_model_start(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, Permission.OUTCOMES_MANAGE)
    actions.start_logic_model(site=site, by=request.user)
    messages.success(request, "The logic model has been started from the national template.")
    return redirect("outcomes:site", slug=site.slug)


@login_required
def element_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    site = _site(request, slug, Permission.OUTCOMES_MANAGE)
    element = get_object_or_404(Element, pk=pk, logic_model__site=site) if pk is not None else None
    form = ElementForm(request.POST if request.method == "POST" else None, instance=element)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_element(
                site=site, data=form.cleaned_data, by=request.user, element=element
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The logic model has been saved.")
            return redirect(reverse("outcomes:site", args=[site.slug]) + "#logic-model")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Change a logic model element" if element else "Add to the logic model",
            "submit_label": "Save",
            "cancel_url": reverse("outcomes:site", args=[site.slug]),
            "breadcrumbs": _site_crumbs(site),
        },
    )


@login_required
def element_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = _site(request, slug, Permission.OUTCOMES_MANAGE)
    element = get_object_or_404(Element, pk=pk, logic_model__site=site)
    if request.method == "POST":
        actions.delete_element(element=element, by=request.user)
        messages.success(request, f"“{element.text}” has been removed from the logic model.")
        return redirect("outcomes:site", slug=site.slug)
    return render(
        request,
        "outcomes/confirm.html",
        {
            "title": "Remove this from the logic model?",
            "text": element.text,
            "button": "Remove",
            "cancel_url": reverse("outcomes:site", args=[site.slug]),
            "breadcrumbs": _site_crumbs(site),
        },
    )


@login_required
def measure_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, Permission.OUTCOMES_MANAGE)
    form = SuccessMeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_success_measure(site=site, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The success measure has been added.")
            return redirect(reverse("outcomes:site", args=[site.slug]) + "#success")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add a community-defined success measure",
            "intro": "Write it as the community said it. Do not name or describe individuals.",
            "submit_label": "Add measure",
            "cancel_url": reverse("outcomes:site", args=[site.slug]),
            "breadcrumbs": _site_crumbs(site),
        },
    )


@login_required
def evidence_create(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = _site(request, slug, Permission.OUTCOMES_MANAGE)
    measure = get_object_or_404(SuccessMeasure, pk=pk, site=site)
    form = EvidenceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_evidence(measure=measure, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The evidence has been added.")
            return redirect(reverse("outcomes:site", args=[site.slug]) + "#success")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add evidence",
            "intro": f"For: “{measure.statement}”",
            "submit_label": "Add evidence",
            "cancel_url": reverse("outcomes:site", args=[site.slug]),
            "breadcrumbs": _site_crumbs(site),
        },
    )


# --- Dashboards ------------------------------------------------------------------------------


def choose_areas_url(user, site) -> str:
    """The site's target areas page, for those who may choose them (else "")."""
    if has_permission(user, Permission.SITE_EDIT, site=site):
        return reverse("placesui:site-areas", args=[site.slug])
    return ""


def _figures(request, site, indicator):
    quantiles = QUANTILE_CHOICES.get(request.GET.get("by", "decile"), 10)
    return analysis.site_figures(site, indicator, quantiles=quantiles)


@login_required
def site_indicator(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site = _site(request, slug)
    indicator = get_object_or_404(Indicator, code=code)
    figures = _figures(request, site, indicator)
    sections = dashboard.build(figures, areas_url=choose_areas_url(request.user, site))
    by = "quintile" if figures.quantiles == 5 else "decile"
    return render(
        request,
        "outcomes/site_indicator.html",
        {
            "site": site,
            "indicator": indicator,
            "sections": sections,
            # Each section with the first rows of its table where it is long (first_rows).
            "shown_sections": [(section, first_rows(section)) for section in sections],
            "by": by,
            "compare": scope.analytics_sites(request.user).count() > 1,
            "can_manage": has_permission(request.user, Permission.OUTCOMES_MANAGE, site=site),
            "breadcrumbs": _indicator_crumbs(request.user, site, indicator),
        },
    )


def first_rows(section: dashboard.Section) -> Table | None:
    """The first ``dashboard.FIRST_ROWS`` rows of a long table (``Section.long``), for the
    page, or None where the section's whole table is shown. The areas table has a row for every area
    of the ICS with figures (target areas first): hundreds of rows made a site's indicator
    page about 600 KB, so the page shows these and its CSV and Excel downloads (built from
    the whole table) give every row."""
    if not section.long:
        return None
    table = section.table
    total = len(table.rows)
    return dataclasses.replace(
        table,
        caption=f"{table.caption}: the first {dashboard.FIRST_ROWS} of {total}",
        rows=table.rows[: dashboard.FIRST_ROWS],
        links={i: url for i, url in table.links.items() if i < dashboard.FIRST_ROWS},
    )


def _indicator_crumbs(user, site, indicator) -> list[tuple[str, str]]:
    """A site's indicator page's breadcrumbs: the site's list of indicators (the page one
    level up, where the indicator was chosen) last, so that the back link small screens
    show instead of the trail goes there too, not to the top of the site's outcomes page.
    For national staff (ANALYTICS_VIEW everywhere), who also reach it from the national
    dashboard, that dashboard for the same indicator before the site."""
    crumbs = _site_crumbs(
        site, ("Indicators", reverse("outcomes:site", args=[site.slug]) + "#indicators")
    )
    if has_permission(user, Permission.ANALYTICS_VIEW):
        national = f"{reverse('outcomes:national')}?indicator={indicator.code}"
        crumbs.insert(-2, ("National dashboard", national))
    return crumbs


def _export(table: Table, name: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        return csv_response(table, name)
    if fmt == "xlsx":
        return xlsx_response(table, name)
    raise Http404


@login_required
def site_indicator_export(
    request: HttpRequest, slug: str, code: str, table: str, fmt: str
) -> HttpResponse:
    site = _site(request, slug)
    indicator = get_object_or_404(Indicator, code=code)
    sections = {s.key: s for s in dashboard.build(_figures(request, site, indicator))}
    if table not in sections:
        raise Http404
    return _export(sections[table].table, f"{site.slug}-{indicator.code}-{table}", fmt)


@login_required
def site_indicator_chart(
    request: HttpRequest, slug: str, code: str, chart: str, fmt: str = "svg"
) -> HttpResponse:
    site = _site(request, slug)
    indicator = get_object_or_404(Indicator, code=code)
    sections = {s.key: s for s in dashboard.build(_figures(request, site, indicator))}
    if chart not in sections or not sections[chart].chart:
        raise Http404
    return chart_response(sections[chart].chart, f"{site.slug}-{indicator.code}-{chart}", fmt)


def chart_response(svg: str, name: str, fmt: str) -> HttpResponse:
    """A chart as an SVG or PNG download."""
    if fmt == "svg":
        response = HttpResponse(str(svg), content_type="image/svg+xml")
    elif fmt == "png":
        response = HttpResponse(png.svg_to_png(str(svg)), content_type="image/png")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def trajectory(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site = _site(request, slug, Permission.OUTCOMES_MANAGE)
    indicator = get_object_or_404(Indicator, code=code)
    form = TrajectoryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_trajectory_point(
                site=site, indicator=indicator, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"The trajectory for {form.cleaned_data['period']} has been set to "
                f"{form.cleaned_data['value']:g}.",
            )
            return redirect("outcomes:trajectory", slug=site.slug, code=indicator.code)
    points = TrajectoryPoint.objects.filter(site=site, indicator=indicator)
    return render(
        request,
        "outcomes/trajectory.html",
        {
            "site": site,
            "indicator": indicator,
            "form": form,
            "points": points,
            "breadcrumbs": _site_crumbs(
                site,
                (indicator.name, reverse("outcomes:site-indicator", args=[site.slug, code])),
            ),
        },
    )


@login_required
@require_POST
def trajectory_remove(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    site = _site(request, slug, Permission.OUTCOMES_MANAGE)
    point = get_object_or_404(TrajectoryPoint, pk=pk, site=site, indicator__code=code)
    actions.remove_trajectory_point(point=point, by=request.user)
    messages.success(request, f"The trajectory point for {point.period} has been removed.")
    return redirect("outcomes:trajectory", slug=site.slug, code=code)


@login_required
def site_evaluation(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    periods = [
        p
        for p, _ in IndicatorValue.objects.order_by("period_start")
        .values_list("period", "period_start")
        .distinct()
    ]
    periods = list(dict.fromkeys(periods))
    form = EvaluationForm(request.GET or None, periods=periods)
    result = None
    match_table = None
    units = {}
    if request.GET and form.is_valid():
        data = form.cleaned_data
        result = evaluation.evaluate(site, data["indicator"], data["before"], data["after"])
        unit = data["indicator"].unit
        # Values in the indicator's unit; changes and their difference in the unit of a
        # difference (percentage points for percentages).
        units = {
            "before": dashboard.with_unit("Before", unit),
            "after": dashboard.with_unit("After", unit),
            "change": dashboard.with_unit("Change", dashboard.difference_unit(unit)),
            "difference": dashboard.gap_unit_text(unit),
        }
        # A rank is a whole number; a score is given to one decimal place.
        digits = 0 if result.measure == "imd_rank" else 1
        match_table = Table(
            "matches",
            "Each target area and its matched comparison area",
            [
                Column("target", "Target area"),
                Column(f"target_{result.measure}", f"Target {result.measure_label}", True, digits),
                Column("target_population", "Target population", True, 0),
                Column("match", "Comparison area"),
                Column(
                    f"match_{result.measure}", f"Comparison {result.measure_label}", True, digits
                ),
                Column("match_population", "Comparison population", True, 0),
                Column("distance", "Distance", True, 2),
            ],
            result.matches.to_dict("records"),
        )
        if request.GET.get("export") in ("csv", "xlsx"):
            return _export(match_table, f"{site.slug}-matched-areas", request.GET["export"])
    return render(
        request,
        "outcomes/evaluation.html",
        {
            "site": site,
            "form": form,
            "result": result,
            "match_table": match_table,
            "units": units,
            "caveats": evaluation.CAVEATS,
            "query": request.GET.urlencode(),
            "breadcrumbs": _site_crumbs(site),
        },
    )
