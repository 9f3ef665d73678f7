from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.audit.forms import AuditFilterForm
from core20.audit.models import AuditEvent


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """National admins see every event; site leads see the events about their sites."""
    site_ids = sites_where(request.user, Permission.AUDIT_VIEW)
    if site_ids is not None and not site_ids:
        raise PermissionDenied
    events = AuditEvent.objects.all()
    if site_ids is not None:
        events = events.filter(site_id__in=site_ids)
    object_types = events.order_by("object_type").values_list("object_type", flat=True).distinct()
    form = AuditFilterForm(request.GET or None, object_types=list(object_types))
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_label__icontains=data["actor"])
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["text"]:
            events = events.filter(object_label__icontains=data["text"])
        if data["verb"]:
            events = events.filter(verb=data["verb"])
        if data["date_from"]:
            events = events.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(created_at__date__lte=data["date_to"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"form": form, "page": page, "query": query.urlencode(), "all_sites": site_ids is None},
    )
