"""The knowledge hub: learning reports, webinars, co-design reports and other resources,
filtered by type and clinical area. Everyone reads what is published and whose date
published has come; national admins (KNOWLEDGE_MANAGE) also see drafts and scheduled
resources, and add and change resources. Every page here finds resources through
``Resource.objects.visible_to(user)``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.knowledge import actions, calendar, files
from core20.knowledge.forms import ResourceFilterForm, ResourceForm
from core20.knowledge.models import Resource
from core20.programme.views.common import add_action_errors

PAGE_SIZE = 20


def hub_crumbs(*more) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("web:home")),
        ("Knowledge hub", reverse("knowledge:resource-list")),
        *more,
    ]


def _scheduled(resource: Resource) -> str:
    if not resource.is_scheduled:
        return ""
    return f" It is scheduled: readers will see it from {resource.published_on:%-d %B %Y}."


def resource_list(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    resources = Resource.objects.visible_to(request.user).prefetch_related("clinical_areas")
    filtered = False
    if form.is_bound and form.is_valid():
        resources = form.filter(resources)
        filtered = any(form.cleaned_data.values())
    page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "knowledge/resource_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": filtered,
            "can_manage": has_permission(request.user, Permission.KNOWLEDGE_MANAGE),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(
        Resource.objects.visible_to(request.user).prefetch_related("clinical_areas"), slug=slug
    )
    return render(
        request,
        "knowledge/resource_detail.html",
        {
            "resource": resource,
            "areas": sorted(resource.clinical_areas.all(), key=lambda a: (a.group, a.position)),
            "can_manage": has_permission(request.user, Permission.KNOWLEDGE_MANAGE),
            "breadcrumbs": hub_crumbs(),
        },
    )


@require_GET
def resource_file(request: HttpRequest, slug: str) -> HttpResponse:
    """The resource's file, as a download. Files are at most 10 MB, so it is read whole
    (and the file closed) rather than streamed."""
    resource = get_object_or_404(Resource.objects.visible_to(request.user), slug=slug)
    if not resource.file:
        raise Http404("This resource has no file.")
    extension = "." + resource.file_extension.lower()
    try:
        with resource.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc
    response = HttpResponse(
        content, content_type=files.CONTENT_TYPES.get(extension, "application/octet-stream")
    )
    response["Content-Disposition"] = content_disposition_header(
        True, resource.file_name or f"{resource.slug}{extension}"
    )
    response["Cache-Control"] = "public, max-age=300" if resource.is_live else "private, no-store"
    return response


@require_GET
def resource_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The "Add to calendar" file: iCalendar, for a webinar still to come with a start time
    (page not found for anything else, as for a resource the person may not see)."""
    resource = get_object_or_404(Resource.objects.visible_to(request.user), slug=slug)
    if not resource.has_calendar_file:
        raise Http404("Only a webinar still to come with a start time has a calendar file.")
    content = calendar.webinar_ics(
        resource,
        page_url=request.build_absolute_uri(resource.get_absolute_url()),
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{resource.slug}.ics")
    response["Cache-Control"] = "public, max-age=300" if resource.is_live else "private, no-store"
    return response


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.KNOWLEDGE_MANAGE)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            resource = actions.create_resource(data=form.action_data(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"“{resource.title}” has been added to the knowledge hub." + _scheduled(resource),
            )
            return redirect(resource)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add to the knowledge hub",
            "submit_label": "Save resource",
            "cancel_url": reverse("knowledge:resource-list"),
            "breadcrumbs": hub_crumbs(),
        },
    )


@login_required
def resource_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require_permission(request.user, Permission.KNOWLEDGE_MANAGE)
    resource = get_object_or_404(Resource, slug=slug)
    form = ResourceForm(request.POST or None, request.FILES or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            resource = actions.update_resource(
                resource=resource, data=form.action_data(), by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"Your changes to “{resource.title}” have been saved." + _scheduled(resource),
            )
            return redirect(resource)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Change “{resource.title}”",
            "submit_label": "Save changes",
            "cancel_url": resource.get_absolute_url(),
            "breadcrumbs": hub_crumbs((resource.title, resource.get_absolute_url())),
        },
    )
