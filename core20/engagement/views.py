"""Activity pages: the list, the quick form (works offline, see static/js/offline-form.js
and the service worker below), an activity, editing it, and a site's dashboard.

Someone else's activity is a 404 (a connector cannot tell it exists); a site's dashboard
is for its team and national staff (403 for anyone else). A connector paused at a site
sees their own activities there, read-only, and is told once why they cannot change them."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core20.engagement import access, actions, dashboard
from core20.engagement.charts import monthly_chart
from core20.engagement.forms import ActivityFilterForm, ActivityForm
from core20.engagement.models import CASE_FINDING, Activity
from core20.programme.models import Site
from core20.web.offline import offline_form, offline_service_worker

PAGE_SIZE = 25


def _crumbs(*extra) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("web:home")),
        ("Activities", reverse("engagement:activity-list")),
        *extra,
    ]


def _activity(request: HttpRequest, pk: int) -> Activity:
    activity = get_object_or_404(
        access.visible_activities(request.user).select_related("site", "recorded_by", "connector"),
        pk=pk,
    )
    return activity


def _site(request: HttpRequest, slug: str) -> Site:
    site = get_object_or_404(Site, slug=slug)
    if not access.can_view_site(request.user, site):
        raise PermissionDenied
    return site


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    sites = access.recording_sites(request.user)
    activities = access.visible_activities(request.user)
    # Sites whose dashboard this person may open (memberships are cached: no query each).
    viewing = [s for s in Site.objects.order_by("name") if access.can_view_site(request.user, s)]
    # A connector paused at a site still sees what they recorded there, read-only.
    paused = access.paused_notice(request.user, "activities")
    if not sites.exists() and not viewing and not paused:
        raise PermissionDenied
    show_site = not access.sees_one_site(request.user)
    form = ActivityFilterForm(
        request.GET or None, sites=access.activity_sites(request.user) if show_site else None
    )
    filtered = False
    if form.is_bound and form.is_valid():
        activities = form.filter(activities)
        filtered = any(form.cleaned_data.values())
    page = Paginator(
        activities.select_related("site", "recorded_by").order_by("-date", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    # The pages' links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagement/activity_list.html",
        {
            "form": form,
            "filtered": filtered,
            "page": page,
            "query": query.urlencode(),
            "can_record": sites.exists(),
            "paused": paused,
            "show_site": show_site,
            # Every one (folded on the page under "Summaries by site (N)").
            "dashboard_sites": viewing,
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


# How static/js/offline-form.js keeps this form and sends it to POST /api/v1/activities
# (field names as in core20.engagement.forms.ActivityForm).
OFFLINE_BODY = {
    "numbers": ["people_reached", "mecc_conversations"],
    "lists": ["clinical_areas", "communities"],
    "groups": [
        {"match": "^(age|sex|ethnicity)_(.+)$", "into": "breakdown"},
        {"match": "^service_(.+)$", "into": "signposting"},
        {"match": f"^({'|'.join(map(re.escape, CASE_FINDING))})$", "into": "case_finding"},
    ],
    "defaults": {
        "breakdown": {"age": {}, "sex": {}, "ethnicity": {}},
        "case_finding": {},
        "signposting": {},
        "mecc_conversations": 0,
    },
}
OFFLINE_CHECKS = [
    {"field": "date", "message": "Enter the date of the activity"},
    {"field": "kind", "message": "Select the type of activity"},
    {
        "field": "people_reached",
        "min": 0,
        "message": "Enter the number of people reached, or 0",
    },
    # Every count (text inputs: see forms._count) holds a whole number, like the server says.
    {"whole_numbers": True},
]
OFFLINE_MESSAGES = {
    "offline": "You are offline. Activities you save are kept on this device.",
    "kept_one": "1 activity is saved on this device, to be sent when you are back online.",
    "kept_many": "{count} activities are saved on this device, "
    "to be sent when you are back online.",
    "waiting_one": "1 activity is saved on this device, waiting to be sent.",
    "waiting_many": "{count} activities are saved on this device, waiting to be sent.",
    "item": "Activity on {date}",
    "not_sent": "Some activities saved on this device could not be sent",
}


def _form_context(request, form, *, offline: bool, **extra) -> dict:
    """The form page's context; ``offline``: the quick form, which works with no
    connection (editing an activity needs one)."""
    return {
        "form": form,
        # Earlier versions kept everyone's saves under one shared key: they are taken over.
        "offline": offline_form(
            request,
            name="activities",
            sw_url=reverse("engagement:service-worker"),
            api_url=reverse("api-1.0.0:record_activity"),
            body=OFFLINE_BODY,
            checks=OFFLINE_CHECKS,
            messages=OFFLINE_MESSAGES,
            adopt_shared_queue=True,
        )
        if offline
        else None,
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    sites = access.recording_sites(request.user)
    if not sites.exists():
        # A connector who is not active (not yet, paused, left) goes home, told why.
        if reasons := access.why_not(request.user):
            for reason in reasons:
                messages.error(request, reason)
            return redirect("network:me")
        raise PermissionDenied
    form = ActivityForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        try:
            activity, created = actions.record_activity(
                by=request.user,
                site=form.cleaned_data["site"],
                data=form.activity_data(),
                uuid=form.cleaned_data.get("uuid"),
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(
                request,
                "Activity recorded" if created else "This activity was already recorded",
            )
            return redirect(activity)
    return render(
        request,
        "engagement/activity_form.html",
        _form_context(
            request,
            form,
            title="Record an activity",
            offline=True,
            breadcrumbs=_crumbs(),
        ),
    )


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    can_edit = access.can_edit(request.user, activity)
    return render(
        request,
        "engagement/activity_detail.html",
        {
            "activity": activity,
            "clinical_areas": activity.clinical_areas.order_by("name"),
            "communities": activity.communities.order_by("name"),
            "signposting": activity.signposting.select_related("service"),
            "can_edit": can_edit,
            # Why a connector paused at its site may see it but not change it.
            "paused": ""
            if can_edit
            else access.paused_notice(request.user, "activities", activity.site_id),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not access.can_edit(request.user, activity):
        # A connector paused at its site sees it, but may not change it (the page says why).
        raise PermissionDenied(*access.why_not(request.user, activity.site_id)[:1])
    sites = Site.objects.filter(pk=activity.site_id)
    form = ActivityForm(
        request.POST or None,
        sites=sites,
        site=activity.site,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_activity(by=request.user, activity=activity, data=form.activity_data())
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, "Activity changed")
            return redirect(activity)
    return render(
        request,
        "engagement/activity_form.html",
        _form_context(
            request,
            form,
            title="Change an activity",
            offline=False,
            breadcrumbs=_crumbs((str(activity), activity.get_absolute_url())),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    if not access.can_edit(request.user, activity):
        # A connector paused at its site sees it, but may not change it (the page says why).
        raise PermissionDenied(*access.why_not(request.user, activity.site_id)[:1])
    if request.method == "POST":
        actions.delete_activity(by=request.user, activity=activity)
        messages.success(request, "Activity deleted")
        return redirect("engagement:activity-list")
    return render(
        request,
        "engagement/activity_delete.html",
        {
            "activity": activity,
            "breadcrumbs": _crumbs((str(activity), activity.get_absolute_url())),
        },
    )


@login_required
@require_GET
def site_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    summary = dashboard.site_summary(site, today=timezone.localdate())
    text = dashboard.text_summary(site, summary)
    chart = monthly_chart(
        summary.by_month,
        chart_id="reach-by-month",
        title=f"People reached each month by {site}'s activities, last 12 months",
        description=text,
    )
    return render(
        request,
        "engagement/site_dashboard.html",
        {
            "site": site,
            "summary": summary,
            "text": text,
            "chart": chart,
            "can_import": access.can_manage_site(request.user, site),
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The activities service worker, served from /activities/ so that its scope covers
    the form."""
    form_url = reverse("engagement:activity-new")
    return offline_service_worker(
        request, name="activities", pages=f"^{re.escape(form_url)}$", precache=[form_url]
    )
