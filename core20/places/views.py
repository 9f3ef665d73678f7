"""The reference data import page (national admins and analysts: REFERENCE_DATA_IMPORT).

Starting an import queues a background task; the run's page polls a progress fragment
with htmx every second until the run finishes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.places.forms import ImportForm
from core20.places.importers import IMPORTERS
from core20.places.models import ImportRun
from core20.places.runs import kind_label, start_run


def _breadcrumbs(*extra):
    return [("Home", reverse("web:home")), *extra]


@login_required
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.REFERENCE_DATA_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = start_run(
            kind=form.cleaned_data["kind"],
            user=request.user,
            upload=form.cleaned_data.get("file"),
            layout=form.cleaned_data.get("layout") or "",
            options=form.options(),
        )
        return redirect("places:import-run", pk=run.pk)
    runs = ImportRun.objects.select_related("started_by")[:20]
    return render(
        request,
        "places/imports.html",
        {
            "form": form,
            "runs": runs,
            "importers": IMPORTERS.values(),
            "breadcrumbs": _breadcrumbs(),
        },
    )


def _run_context(run: ImportRun) -> dict:
    return {"run": run, "kind_label": _safe_label(run.kind)}


def _safe_label(kind: str) -> str:
    try:
        return kind_label(kind)
    except ValueError:
        return kind


@login_required
@require_GET
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.REFERENCE_DATA_IMPORT)
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=pk)
    context = _run_context(run) | {
        "breadcrumbs": _breadcrumbs(("Reference data imports", reverse("places:imports")))
    }
    return render(request, "places/import_run.html", context)


@login_required
@require_GET
def import_run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment (htmx polls it; it stops polling once the run has finished)."""
    require_permission(request.user, Permission.REFERENCE_DATA_IMPORT)
    run = get_object_or_404(ImportRun.objects.select_related("started_by"), pk=pk)
    if not request.htmx:
        # Opened directly (no script, or a bookmarked link): the whole page, not a fragment.
        return import_run(request, pk)
    response = render(request, "places/_import_progress.html", _run_context(run))
    response["Cache-Control"] = "no-store"
    return response
