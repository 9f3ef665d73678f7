"""The service directory's pages, mounted at /directory/.

The directory is public: anyone can search published services by keyword, clinical area,
community, place and referral route, and open one. A site's team (connectors included) also
sees the services their site keeps to itself; DIRECTORY_MANAGE holders (site leads and host
coordinators for their site, national admins for every site and the national directory) add,
change, remove, import and export services. Filters are plain GET forms, so search works
without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from core20.accounts.authorization import has_any_permission
from core20.accounts.permissions import Permission
from core20.directory import actions, oruk, queries
from core20.directory.forms import (
    DeleteForm,
    ExportForm,
    ImportForm,
    SearchForm,
    ServiceForm,
    directory_site,
)
from core20.directory.models import Service
from core20.programme.models import Site
from core20.programme.views.common import add_action_errors

PAGE_SIZE = 20


def crumbs(*more) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("web:home")),
        ("Service directory", reverse("directory:search")),
        *more,
    ]


def _visible_sites(user):
    """Sites to filter by: published ones, and the user's own."""
    own = queries.team_site_ids(user)
    sites = Site.objects.filter(published=True)
    if own:
        sites = sites | Site.objects.filter(pk__in=own)
    return sites.order_by("name")


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, sites=_visible_sites(request.user))
    services = queries.visible_services(request.user).exclude(status=Service.Status.DEFUNCT)
    filtered = False
    if form.is_bound:
        if form.is_valid():
            services = form.filter(services)
            filtered = any(v for v in form.cleaned_data.values())
        else:
            services = services.none()
    page = Paginator(queries.with_details(services).order_by("name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # Carried to each service (?from=), so that the way back keeps the search.
            "search_query": request.GET.urlencode(),
            "filtered": filtered,
            "place": form.cleaned_data.get("place") if form.is_bound and form.is_valid() else None,
            "can_manage": has_any_permission(request.user, Permission.DIRECTORY_MANAGE),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


def _service(request, pk: int) -> Service:
    return get_object_or_404(queries.with_details(queries.visible_services(request.user)), pk=pk)


def _search_url(request: HttpRequest) -> str | None:
    """The search a service was opened from (``?from=``), rebuilt from the search's own
    fields only, so that the way back keeps the search and can lead nowhere else."""
    opened_from = QueryDict(request.GET.get("from", ""))
    kept = QueryDict(mutable=True)
    for name in [*SearchForm.base_fields, "page"]:
        value = opened_from.get(name, "")[:100]
        if value:
            kept[name] = value
    return f"{reverse('directory:search')}?{kept.urlencode()}" if kept else None


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    search_url = _search_url(request)
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "locations": [link.location for link in service.at_locations.all()],
            "phones": [p for c in service.contacts.all() for p in c.phones.all()],
            "can_manage": actions.can_manage(request.user, service.site),
            "breadcrumbs": crumbs(("Search results", search_url)) if search_url else crumbs(),
        },
    )


def _form_page(request, form, title, submit, cancel, breadcrumbs, intro=""):
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit,
            "cancel_url": cancel,
            "breadcrumbs": breadcrumbs,
        },
    )


@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    if not has_any_permission(request.user, Permission.DIRECTORY_MANAGE):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            service = actions.create_service(
                site=directory_site(form.cleaned_data["directory"]),
                data=form.action_data(),
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"“{service.name}” has been added to the directory.")
            return redirect(service)
    return _form_page(
        request, form, "Add a service", "Save service", reverse("directory:search"), crumbs()
    )


@login_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    if not actions.can_manage(request.user, service.site):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, instance=service, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            service = actions.update_service(
                service=service, data=form.action_data(), by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Your changes to “{service.name}” have been saved.")
            return redirect(service)
    return _form_page(
        request,
        form,
        f"Change “{service.name}”",
        "Save changes",
        service.get_absolute_url(),
        crumbs((service.name, service.get_absolute_url())),
    )


@login_required
def service_delete(request: HttpRequest, pk: int) -> HttpResponse:
    service = _service(request, pk)
    if not actions.can_manage(request.user, service.site):
        raise PermissionDenied
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = service.name
        try:
            actions.delete_service(service=service, by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"“{name}” has been removed from the directory.")
            return redirect("directory:search")
    return _form_page(
        request,
        form,
        f"Remove “{service.name}”",
        "Remove service",
        service.get_absolute_url(),
        crumbs((service.name, service.get_absolute_url())),
        intro="Connectors will no longer find it. Activities that signposted to it keep their "
        "counts. To keep it but stop people being sent there, change its status instead.",
    )


@login_required
def import_services(request: HttpRequest) -> HttpResponse:
    if not has_any_permission(request.user, Permission.DIRECTORY_MANAGE):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    problems: list[str] = []
    more = 0
    if request.method == "POST" and form.is_valid():
        uploads = [oruk.Upload(f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            result = actions.import_oruk(
                site=directory_site(form.cleaned_data["directory"]),
                uploads=uploads,
                publish=form.cleaned_data["publish"],
                by=request.user,
            )
        except oruk.OrukError as exc:
            problems, more = exc.messages, exc.more
            form.add_error(
                "files",
                f"The file could not be imported: {len(problems) + more} problem"
                f"{'s' if len(problems) + more != 1 else ''} found. Nothing was imported.",
            )
        else:
            messages.success(request, f"{result.describe()}.")
            return redirect("directory:import-result", pk=result.event_id)
    return render(
        request,
        "directory/import.html",
        {"form": form, "problems": problems, "more": more, "breadcrumbs": crumbs()},
    )


@login_required
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    """What an import added, changed and left as it was, with a way to publish (POST) the
    drafts it added, all at once, and the drafts from before it, one at a time (``service``)."""
    batch = queries.import_batch(pk)
    if batch is None:
        raise Http404("No directory import has this number.")
    if not actions.can_manage(request.user, batch.site):
        raise PermissionDenied
    if request.method == "POST":
        one = None
        if "service" in request.POST:
            earlier = {str(s.pk): s for s in batch.earlier_drafts}
            one = earlier.get(request.POST["service"])
            if one is None:
                messages.info(request, "That service is not a draft from before this import.")
                return redirect("directory:import-result", pk=pk)
        try:
            published = actions.publish_import(batch=batch, by=request.user, service=one)
        except ValidationError as exc:
            messages.info(request, exc.messages[0])
        else:
            n = len(published)
            messages.success(
                request,
                f"“{one.name}” is now in the public directory."
                if one is not None
                else f"{n} service{'s' if n != 1 else ''} this import added "
                f"{'are' if n != 1 else 'is'} now in the public directory.",
            )
        return redirect("directory:import-result", pk=pk)
    return render(
        request,
        "directory/import_result.html",
        {
            "batch": batch,
            "sections": [
                ("Added", batch.added),
                ("Changed", batch.updated),
                ("Already up to date", batch.unchanged),
            ],
            "breadcrumbs": crumbs(("Import services", reverse("directory:import"))),
        },
    )


@login_required
def export_services(request: HttpRequest) -> HttpResponse:
    if not has_any_permission(request.user, Permission.DIRECTORY_MANAGE):
        raise PermissionDenied
    form = ExportForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        site = directory_site(form.cleaned_data["directory"])
        fmt = form.cleaned_data["format"]
        content = actions.export_oruk(site=site, fmt=fmt, by=request.user)
        stem = f"directory-{site.slug if site else 'national'}-{timezone.localdate():%Y-%m-%d}"
        response = HttpResponse(
            content, content_type="application/json" if fmt == "json" else "application/zip"
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{stem}.{'json' if fmt == 'json' else 'zip'}"
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "directory/export.html",
        {"form": form, "breadcrumbs": crumbs()},
    )
