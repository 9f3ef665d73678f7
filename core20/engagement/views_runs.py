"""Import and export pages for a site's activities, and the runs' progress pages (htmx
polls the progress fragment every second until the run finishes; without script the page
reloads by hand)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.engagement import access, exports, runs
from core20.engagement.forms import ImportForm
from core20.engagement.importer import COUNTS, OPTIONAL, REQUIRED
from core20.engagement.models import ActivityRun, ActivityType
from core20.engagement.views import _crumbs, _site


def _site_crumbs(site):
    return _crumbs((f"{site} summary", reverse("engagement:site-dashboard", args=[site.slug])))


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    if not access.can_manage_site(request.user, site):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = runs.start_import(by=request.user, site=site, upload=form.cleaned_data["file"])
        return redirect("engagement:run", pk=run.pk)
    recent = ActivityRun.objects.filter(site=site).select_related("started_by")[:10]
    return render(
        request,
        "engagement/import.html",
        {
            "form": form,
            "site": site,
            "runs": recent,
            "required": REQUIRED,
            "optional": [c for c in OPTIONAL if c not in COUNTS],
            "counts": COUNTS,
            "types": ActivityType.values,
            "breadcrumbs": _site_crumbs(site),
        },
    )


@login_required
@require_GET
def export_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    site = _site(request, slug)
    with transaction.atomic():
        record(
            actor=request.user,
            verb=AuditEvent.Verb.EXPORT,
            object_type="engagement.Activity",
            object_label=f"Activities of {site} (CSV)",
            site=site,
            summary="Exported activities as CSV",
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        exports.csv_chunks(site.activities.all()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="activities-{site.slug}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    run = runs.start_export(by=request.user, site=site)
    return redirect("engagement:run", pk=run.pk)


def _run(request: HttpRequest, pk: int) -> ActivityRun:
    run = get_object_or_404(ActivityRun.objects.select_related("site", "started_by"), pk=pk)
    allowed = (
        access.can_manage_site(request.user, run.site)
        if run.kind == ActivityRun.Kind.IMPORT
        else access.can_view_site(request.user, run.site)
    )
    if not allowed:
        raise Http404
    return run


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    return render(
        request, "engagement/run.html", {"run": run, "breadcrumbs": _site_crumbs(run.site)}
    )


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.htmx:
        return run_detail(request, pk)
    run = _run(request, pk)
    response = render(request, "engagement/_run_progress.html", {"run": run})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def run_download(request: HttpRequest, pk: int) -> FileResponse:
    run = _run(request, pk)
    if run.kind != ActivityRun.Kind.EXPORT or run.status != ActivityRun.Status.SUCCEEDED:
        raise Http404
    path = Path(run.file_path)
    if not path.is_file():
        raise Http404
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=run.file_name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
