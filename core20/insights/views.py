"""Pages for insights and the bridge to decision-makers.

Who sees what is decided in core20.insights.access: an insight or routing the user may not
see is a 404 (a decision-maker never learns that other organisations' insights exist);
site pages for managing the bridge are for INSIGHT_MANAGE at that site (403 otherwise).
"""

import re
from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.datapacks.models import DataPack
from core20.engagement.access import paused_sites
from core20.insights import actions, figures, public
from core20.insights.access import (
    may_manage,
    may_raise,
    may_raise_everywhere,
    may_respond,
    paused_notice,
    responder_organisations,
    visible_insights,
    visible_routings,
    why_not_raise,
)
from core20.insights.forms import (
    ActionForm,
    BodyForm,
    ContactForm,
    FeedbackForm,
    InsightFilterForm,
    InsightForm,
    KeepForm,
    PublishForm,
    QuoteForm,
    RaiseSiteForm,
    ResponseForm,
    RouteForm,
    SessionForm,
    SettingsForm,
    ThemeForm,
    ThemesForm,
)
from core20.insights.models import (
    MAX_PEOPLE,
    Action,
    CoDesignSession,
    DecisionBody,
    Insight,
    Response,
    Routing,
    Theme,
)
from core20.programme.models import Site
from core20.programme.views.common import add_action_errors
from core20.web.absolute import base_url
from core20.web.offline import OfflineForm, offline_form, offline_service_worker

PAGE_SIZE = 25


def _crumbs(*more) -> list[tuple[str, str]]:
    return [("Home", reverse("web:home")), ("Insights", reverse("insights:insight-list")), *more]


def _site_crumbs(site, *more) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("web:home")),
        ("Sites", reverse("programme:site-list")),
        (site.name, site.get_absolute_url()),
        *more,
    ]


def _form_page(request, form, title, *, breadcrumbs, cancel_url, submit_label="Save", intro=""):
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
        },
    )


def _managed_site(request, slug: str) -> Site:
    site = get_object_or_404(Site, slug=slug)
    if not may_manage(request.user, site):
        raise PermissionDenied
    return site


def _posted(request):
    """The POST data, or None for a GET (an empty POST is still a submission to check)."""
    return request.POST if request.method == "POST" else None


# ---- insights ----


def _may_use_insights(user) -> bool:
    managed = sites_where(user, Permission.INSIGHT_MANAGE)
    return (
        managed is None
        or bool(managed)
        or bool(sites_where(user, Permission.ACTIVITY_RECORD))
        or bool(responder_organisations(user))
        # A connector paused at a site sees the insights they raised there, read-only.
        or bool(paused_sites(user))
    )


def _with_status(insights, status: str, user):
    """Insights by where they stand on the bridge, judged on the routings this person sees
    (a decision-maker: only their organisation's). The home page counts the same things."""
    today = timezone.localdate()
    routings = visible_routings(user)
    if status == "new":
        return insights.filter(routings__isnull=True, kept_at__isnull=True)
    if status == "kept":
        return insights.filter(kept_at__isnull=False)
    if status == "awaiting":
        routings = routings.filter(first_response_at__isnull=True)
    elif status == "overdue":
        routings = routings.filter(first_response_at__isnull=True, due_on__lt=today)
    elif status == "actions_overdue":
        routings = routings.filter(actions__status__in=Action.OPEN, actions__due_on__lt=today)
    elif status == "feedback":
        routings = routings.filter(responses__kind=Response.Kind.ACTION_AGREED)
        insights = insights.filter(feedback__isnull=True)
    return insights.filter(pk__in=routings.values("insight_id"))


@login_required
def insight_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _may_use_insights(user):
        raise PermissionDenied
    # Someone who may record at every site chooses the site here, then gets its form.
    chooser = None
    if may_raise_everywhere(user):
        chooser = RaiseSiteForm(
            request.GET if "record" in request.GET else None, sites=Site.objects.order_by("name")
        )
        if chooser.is_bound and chooser.is_valid():
            return redirect("insights:insight-create", slug=chooser.cleaned_data["record"].slug)
    managed = sites_where(user, Permission.INSIGHT_MANAGE)
    responder = bool(responder_organisations(user))
    raising = [
        m.site
        for m in user.cached_memberships
        if chooser is None and m.site_id and may_raise(user, m.site_id)
    ]
    # A decision-maker who neither manages nor records is offered only what applies to them.
    only_responds = responder and managed is not None and not managed and not raising
    form = InsightFilterForm(request.GET or None, responder_only=only_responds)
    insights = visible_insights(user)
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            insights = insights.filter(kind=data["kind"])
        if data["status"] == "public":
            insights = insights.filter(public=True)
        elif data["status"]:
            insights = _with_status(insights, data["status"], user)
        filtered = any(data.values())
    if only_responds:
        # A decision-maker's work first: those awaiting their response, soonest due (so
        # overdue) first, then the rest newest first.
        next_due = (
            visible_routings(user)
            .filter(insight=OuterRef("pk"), first_response_at__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1]
        )
        insights = insights.annotate(next_due=Subquery(next_due)).order_by(
            F("next_due").asc(nulls_last=True), "-raised_at", "-id"
        )
    insights = insights.select_related("site").prefetch_related(
        Prefetch(
            "routings",
            queryset=visible_routings(user).select_related("body").order_by("body__name"),
        )
    )
    page = Paginator(insights, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("record", None)
    return render(
        request,
        "insights/insight_list.html",
        {
            "form": form,
            "chooser": chooser,
            "page": page,
            "query": query.urlencode(),
            "filtered": filtered,
            "raise_sites": sorted({s.pk: s for s in raising}.values(), key=lambda s: s.name),
            "managed_sites": sorted(
                {
                    m.site.pk: m.site
                    for m in user.cached_memberships
                    if m.site_id and (managed is None or m.site_id in managed)
                }.values(),
                key=lambda s: s.name,
            ),
            "national": managed is None,
            "responder": responder,
            "awaiting_first": only_responds,
            "paused": paused_notice(user),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


# How static/js/offline-form.js keeps the insight form and sends it to POST
# /api/v1/insights (InsightForm's choices carry the API's names: see forms.API_KEYS).
OFFLINE_BODY = {
    "numbers": ["people_count"],
    "booleans": ["quote_consent", "quote_public"],
    "lists": ["clinical_areas", "communities", "themes", "organisations"],
}
OFFLINE_CHECKS = [
    {"field": "kind", "message": "Choose the kind of insight"},
    {"field": "summary", "message": "Enter what people said"},
    {
        "field": "people_count",
        "min": 1,
        "max": MAX_PEOPLE,
        "message": "Enter how many people raised it, as a whole number like 12",
    },
    {
        "field": "quote_consent",
        "when": "quote",
        "message": "Confirm the person agreed to their words being recorded, or remove the quote",
    },
]
OFFLINE_MESSAGES = {
    "offline": "You are offline. Insights you save are kept on this phone.",
    "kept_one": "Saved on this phone. It will be sent when you are back online.",
    "kept_many": "{count} insights saved on this phone. They will be sent when you are back "
    "online.",
    "waiting_one": "1 insight saved on this phone is waiting to be sent.",
    "waiting_many": "{count} insights saved on this phone are waiting to be sent.",
    "sent_one": "Sent. The insight saved on this phone has been recorded.",
    "sent_many": "Sent. The {count} insights saved on this phone have been recorded.",
    "item": "Insight “{summary}”",
    "not_sent": "Some insights saved on this phone could not be sent",
}


def _offline_form(request, site: Site) -> OfflineForm:
    """The insight form's set-up for static/js/offline-form.js: saves go to this site."""
    return offline_form(
        request,
        name="insights",
        sw_url=reverse("insights:service-worker"),
        api_url=reverse("api-1.0.0:raise_insight"),
        body={**OFFLINE_BODY, "fixed": {"site": site.slug}},
        checks=OFFLINE_CHECKS,
        messages=OFFLINE_MESSAGES,
    )


@login_required
def insight_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(Site, slug=slug)
    if not may_raise(request.user, site):
        # A connector not active at the site (not yet, paused, left) goes home, told why.
        if reasons := why_not_raise(request.user, site):
            messages.error(request, reasons[0])
            return redirect("network:me")
        raise PermissionDenied
    form = InsightForm(_posted(request), site=site, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            insight, created = actions.raise_insight_once(
                uuid=form.cleaned_data["uuid"],
                site=site,
                data=form.action_data(),
                quote=form.cleaned_data["quote"],
                quote_consent=form.cleaned_data["quote_consent"],
                quote_public=form.cleaned_data["quote_public"],
                source_activity=form.cleaned_data["source_activity"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                "Thank you. The insight has been recorded."
                if created
                else "This insight was already recorded.",
            )
            return redirect(insight)
    return render(
        request,
        "insights/insight_form.html",
        {
            "form": form,
            "title": f"Record an insight for {site.name}",
            "offline": _offline_form(request, site),
            "cancel_url": reverse("insights:insight-list"),
            "breadcrumbs": _crumbs(),
        },
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The insights service worker, served from /insights/ so that its scope covers every
    site's form (/insights/sites/<slug>/new/). It is the same for everyone: it keeps a
    site's form when the form is first opened, not a list of the person's sites."""
    form_url = reverse("insights:insight-create", args=["SLUG"])
    pattern = "^" + re.escape(form_url).replace("SLUG", "[-a-zA-Z0-9_]+") + "$"
    return offline_service_worker(request, name="insights", pages=pattern)


def _visible_insight(request, pk: int) -> Insight:
    return get_object_or_404(
        visible_insights(request.user).select_related("site", "raised_by", "source_activity"),
        pk=pk,
    )


@login_required
def insight_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    # Whether any decision body is left to send it to, in the same query (the site's team
    # gets "Send to decision-makers" only then).
    left = actions.bodies_to_send_to(site=OuterRef("site_id"), insight=OuterRef(OuterRef("pk")))
    insight = get_object_or_404(
        visible_insights(user)
        .select_related("site", "raised_by", "source_activity")
        .annotate(may_send=Exists(left)),
        pk=pk,
    )
    manager = may_manage(user, insight.site)
    # The connector who raised it may add a quote while they record at its site; while
    # they are paused there they only see it, and are told why.
    own = insight.raised_by_id == user.pk and may_raise(user, insight.site_id)
    routings = (
        visible_routings(user, insight)
        .select_related("body__organisation")
        .prefetch_related("responses", "actions")
        .order_by("body__name")
    )
    if manager:
        # The site's team sees whom to chase when a response is overdue.
        routings = routings.prefetch_related("body__contacts")
    routings = list(routings)
    for routing in routings:
        routing.can_respond = may_respond(user, routing)
        routing.overdue_actions = sum(a.overdue for a in routing.actions.all())
    return render(
        request,
        "insights/insight_detail.html",
        {
            "insight": insight,
            "routings": routings,
            "quotes": insight.quotes.all(),
            "feedback": insight.feedback.all() if manager else [],
            "areas": insight.clinical_areas.all(),
            "communities": insight.communities.all(),
            "organisations": insight.organisations.all(),
            "themes": insight.themes.all(),
            "sessions": insight.codesign_sessions.all() if manager else [],
            "can_manage": manager,
            "can_add_quote": manager or own,
            "paused": "" if manager or own else paused_notice(user, insight.site_id),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def quote_add(request: HttpRequest, pk: int) -> HttpResponse:
    insight = _visible_insight(request, pk)
    own = insight.raised_by_id == request.user.pk and may_raise(request.user, insight.site_id)
    if not (may_manage(request.user, insight.site) or own):
        # A connector paused at its site sees it, but may not add to it (the page says why).
        raise PermissionDenied(*why_not_raise(request.user, insight.site_id)[:1])
    form = QuoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_quote(insight=insight, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The quote has been added.")
            return redirect(insight)
    return _form_page(
        request,
        form,
        "Add a quote",
        intro="Only with the person's agreement. Never include names.",
        submit_label="Add quote",
        cancel_url=insight.get_absolute_url(),
        breadcrumbs=_crumbs((insight.short_summary, insight.get_absolute_url())),
    )


def _managed_insight(request, pk: int) -> Insight:
    insight = _visible_insight(request, pk)
    if not may_manage(request.user, insight.site):
        raise PermissionDenied
    return insight


@login_required
def insight_themes(request: HttpRequest, pk: int) -> HttpResponse:
    """The site team tags an insight with themes when they review it."""
    insight = _managed_insight(request, pk)
    form = ThemesForm(_posted(request), insight=insight)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["themes"])
        try:
            actions.set_themes(insight=insight, themes=chosen, by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if chosen:
                names = ", ".join(sorted(t.name for t in chosen))
                messages.success(request, f"The themes have been saved: {names}.")
            else:
                messages.success(request, "This insight has no themes now.")
            return redirect(insight)
    return _form_page(
        request,
        form,
        "Change the themes",
        intro=f"{insight.get_kind_display()}: {insight.short_summary}",
        submit_label="Save themes",
        cancel_url=insight.get_absolute_url(),
        breadcrumbs=_crumbs((insight.short_summary, insight.get_absolute_url())),
    )


@login_required
def insight_route(request: HttpRequest, pk: int) -> HttpResponse:
    insight = _managed_insight(request, pk)
    form = RouteForm(_posted(request), insight=insight)
    if not form.fields["bodies"].queryset.exists():
        # Nothing left to choose: say why, and where to add one, not an empty form.
        return render(
            request,
            "insights/route_none.html",
            {
                "insight": insight,
                "site": insight.site,
                "sent_before": insight.routings.exists(),
                "breadcrumbs": _crumbs((insight.short_summary, insight.get_absolute_url())),
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            routings = actions.route_insight(
                insight=insight,
                bodies=form.cleaned_data["bodies"],
                message=form.cleaned_data["message"],
                base_url=base_url(request),
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"Sent to {', '.join(str(r.body) for r in routings)}. A response is due by "
                f"{routings[0].due_on:%-d %B %Y}.",
            )
            return redirect(insight)
    settings = actions.settings_for(insight.site)
    due_on = actions.response_due_on(insight.site, timezone.localdate())
    return _form_page(
        request,
        form,
        "Send this insight to decision-makers",
        intro=f"Their contacts and decision-makers are emailed. They have "
        f"{settings.response_working_days} working days to respond (weekends and bank "
        f"holidays do not count): sent today, a response is due by {due_on:%-d %B %Y}.",
        submit_label="Send",
        cancel_url=insight.get_absolute_url(),
        breadcrumbs=_crumbs((insight.short_summary, insight.get_absolute_url())),
    )


@login_required
def insight_keep(request: HttpRequest, pk: int) -> HttpResponse:
    insight = _managed_insight(request, pk)
    form = KeepForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.keep_insight(insight=insight, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "It is kept without sending: it no longer waits to be sent.")
            return redirect(insight)
    return _form_page(
        request,
        form,
        "Keep without sending to decision-makers",
        intro="It stays on record, with its themes, and stops waiting to be sent. You can "
        "still send it later.",
        submit_label="Keep without sending",
        cancel_url=insight.get_absolute_url(),
        breadcrumbs=_crumbs((insight.short_summary, insight.get_absolute_url())),
    )


@login_required
@require_POST
def insight_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    insight = _managed_insight(request, pk)
    try:
        actions.reopen_insight(insight=insight, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "It is waiting to be sent again.")
    return redirect(insight)


@login_required
def feedback_create(request: HttpRequest, pk: int) -> HttpResponse:
    insight = _managed_insight(request, pk)
    form = FeedbackForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_feedback(insight=insight, data=form.action_data(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The feedback has been recorded.")
            return redirect(insight)
    return _form_page(
        request,
        form,
        "Record feedback to the community",
        submit_label="Save feedback",
        cancel_url=insight.get_absolute_url(),
        breadcrumbs=_crumbs((insight.short_summary, insight.get_absolute_url())),
    )


@login_required
def insight_publish(request: HttpRequest, pk: int) -> HttpResponse:
    insight = _managed_insight(request, pk)
    form = PublishForm(
        _posted(request),
        initial={
            "public": insight.public,
            "public_title": insight.public_title,
            "what_changed": insight.what_changed,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.publish(insight=insight, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                "It is now on the public “you said, we did” page."
                if insight.public
                else "It is not on the public page.",
            )
            return redirect(insight)
    return _form_page(
        request,
        form,
        "You said, we did",
        intro="Anyone can read the public page without signing in. How many people raised "
        "it is shown only as a rounded number, and quotes only where the person agreed.",
        submit_label="Save",
        cancel_url=insight.get_absolute_url(),
        breadcrumbs=_crumbs((insight.short_summary, insight.get_absolute_url())),
    )


# ---- routings, responses, actions ----


def _visible_routing(request, pk: int) -> Routing:
    return get_object_or_404(
        visible_routings(request.user).select_related("insight__site", "body__organisation"),
        pk=pk,
    )


@login_required
def routing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    routing = _visible_routing(request, pk)
    responses = list(routing.responses.select_related("responded_by"))
    routing_actions = list(routing.actions.all())
    manager = may_manage(request.user, routing.insight.site)
    return render(
        request,
        "insights/routing_detail.html",
        {
            "routing": routing,
            "insight": routing.insight,
            "responses": responses,
            "actions": routing_actions,
            "quotes": routing.insight.quotes.all(),
            "can_respond": may_respond(request.user, routing),
            "can_manage": manager,
            "contacts": routing.body.contacts.all() if manager else [],
            "agreed_without_action": not routing_actions
            and any(r.kind == Response.Kind.ACTION_AGREED for r in responses),
            "breadcrumbs": _crumbs(
                (routing.insight.short_summary, routing.insight.get_absolute_url())
            ),
        },
    )


def _responding_routing(request, pk: int) -> Routing:
    routing = _visible_routing(request, pk)
    if not may_respond(request.user, routing):
        raise PermissionDenied
    return routing


@login_required
def routing_respond(request: HttpRequest, pk: int) -> HttpResponse:
    routing = _responding_routing(request, pk)
    form = ResponseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            response = actions.respond(routing=routing, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if response.kind == Response.Kind.ACTION_AGREED and not routing.actions.exists():
                messages.success(
                    request,
                    "Thank you. Your response has been recorded. Now add the action you "
                    "agreed, so the community can see it.",
                )
                return redirect("insights:action-create", pk=routing.pk)
            messages.success(request, "Thank you. Your response has been recorded.")
            return redirect(routing)
    return render(
        request,
        "insights/respond.html",
        {
            "form": form,
            # More responses may follow the first: each is added, none replaced.
            "title": f"Add another response for {routing.body}"
            if routing.first_response_at
            else f"Respond for {routing.body}",
            "routing": routing,
            "submit_label": "Send response",
            "cancel_url": routing.get_absolute_url(),
            "breadcrumbs": _crumbs((str(routing.body), routing.get_absolute_url())),
        },
    )


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    routing = _responding_routing(request, pk)
    form = ActionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_action(routing=routing, data=form.action_data(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The action has been added.")
            return redirect(routing)
    agreed = routing.responses.filter(kind=Response.Kind.ACTION_AGREED).last()
    return _form_page(
        request,
        form,
        "Add the action you agreed" if agreed else "Add an action",
        intro=f"You said: “{agreed.text}”" if agreed and agreed.text else "",
        submit_label="Save action",
        cancel_url=routing.get_absolute_url(),
        breadcrumbs=_crumbs((str(routing.body), routing.get_absolute_url())),
    )


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("routing"), pk=pk)
    routing = _responding_routing(request, action.routing_id)
    # The form fills in its own copy when it validates, so that the action below still holds
    # what was saved before: update_action records the difference in the audit log and checks
    # whether the due date was changed.
    form = ActionForm(_posted(request), instance=copy(action))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_action(action=action, data=form.action_data(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The action has been updated.")
            return redirect(routing)
    return _form_page(
        request,
        form,
        "Update the action",
        submit_label="Save changes",
        cancel_url=routing.get_absolute_url(),
        breadcrumbs=_crumbs((str(routing.body), routing.get_absolute_url())),
    )


# ---- the site's bridge: decision bodies, contacts, themes, settings ----


@login_required
def bridge(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    return render(
        request,
        "insights/bridge.html",
        {
            "site": site,
            "bodies": DecisionBody.objects.filter(site=site)
            .select_related("organisation")
            .prefetch_related("contacts"),
            "settings": actions.settings_for(site),
            "breadcrumbs": _site_crumbs(site),
        },
    )


@login_required
def body_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    form = BodyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_body(site=site, data=form.action_data(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The organisation or forum has been added.")
            return redirect("insights:bridge", slug=site.slug)
    bridge_url = reverse("insights:bridge", args=[site.slug])
    return _form_page(
        request,
        form,
        "Add a decision-making organisation or forum",
        submit_label="Save",
        cancel_url=bridge_url,
        breadcrumbs=_site_crumbs(site, ("Decision-makers", bridge_url)),
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(DecisionBody.objects.select_related("site"), pk=pk)
    site = _managed_site(request, body.site.slug)
    form = ContactForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_contact(body=body, data=form.action_data(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"The contact has been added to {body}.")
            return redirect("insights:bridge", slug=site.slug)
    bridge_url = reverse("insights:bridge", args=[site.slug])
    return _form_page(
        request,
        form,
        f"Add a contact at {body}",
        intro="They are emailed when an insight is sent to this organisation or forum.",
        submit_label="Save contact",
        cancel_url=bridge_url,
        breadcrumbs=_site_crumbs(site, ("Decision-makers", bridge_url)),
    )


@login_required
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    form = ThemeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_theme(site=site, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The theme has been added.")
            return redirect("insights:themes", slug=site.slug)
    return render(
        request,
        "insights/themes.html",
        {
            "site": site,
            "form": form,
            "national": Theme.objects.filter(site__isnull=True, active=True),
            "own": Theme.objects.filter(site=site),
            "breadcrumbs": _site_crumbs(
                site, ("Decision-makers", reverse("insights:bridge", args=[site.slug]))
            ),
        },
    )


@login_required
def site_settings(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    form = SettingsForm(_posted(request), instance=actions.settings_for(site))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_settings(site=site, data=form.action_data(), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The response times have been saved.")
            return redirect("insights:bridge", slug=site.slug)
    bridge_url = reverse("insights:bridge", args=[site.slug])
    return _form_page(
        request,
        form,
        "Response times",
        intro="Working days are Monday to Friday, not counting bank holidays in England.",
        submit_label="Save",
        cancel_url=bridge_url,
        breadcrumbs=_site_crumbs(site, ("Decision-makers", bridge_url)),
    )


# ---- accountability figures ----


@login_required
def national_figures(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (
        has_permission(user, Permission.INSIGHT_MANAGE)
        or has_permission(user, Permission.ANALYTICS_VIEW)
    ):
        raise PermissionDenied
    routings = Routing.objects.all()
    return render(
        request,
        "insights/figures.html",
        {
            "title": "Accountability: is the bridge working?",
            "total": figures.accountability(routings, by="national"),
            "by_site": figures.accountability(routings, by="site"),
            "by_organisation": figures.accountability(routings, by="organisation"),
            # Analysts see the figures but not the insights themselves.
            "breadcrumbs": _crumbs()
            if _may_use_insights(user)
            else [("Home", reverse("web:home"))],
        },
    )


@login_required
def site_figures(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(Site, slug=slug)
    user = request.user
    if not (may_manage(user, site) or has_permission(user, Permission.ANALYTICS_VIEW, site=site)):
        raise PermissionDenied
    routings = Routing.objects.filter(insight__site=site)
    return render(
        request,
        "insights/figures.html",
        {
            "title": f"Accountability at {site.name}",
            "site": site,
            "total": figures.accountability(routings, by="national", label=site.name),
            "by_organisation": figures.accountability(routings, by="organisation"),
            "breadcrumbs": _site_crumbs(site),
        },
    )


# ---- public "you said, we did" ----


def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    # Whether the site has a published data pack, in the same query, for the page's
    # "Find out more" links (the data packs page lists only published packs to the public).
    site = get_object_or_404(
        Site.objects.annotate(
            has_data_pack=Exists(
                DataPack.objects.filter(site=OuterRef("pk"), status=DataPack.Status.PUBLISHED)
            )
        ),
        slug=slug,
        published=True,
    )
    published = (
        Insight.objects.filter(site=site, public=True)
        .order_by("-published_at", "-id")
        .only("pk", "kind", "public_title", "what_changed", "people_count", "published_at")
    )
    page = Paginator(published, 20).get_page(request.GET.get("page"))
    items = list(page.object_list)
    ids = [i.pk for i in items]
    quotes: dict[int, list] = {}
    if ids:
        from core20.insights.models import Quote

        for quote in Quote.objects.filter(insight_id__in=ids, consent_public=True):
            quotes.setdefault(quote.insight_id, []).append(quote.text)
    people = public.protect([i.people_count for i in items])
    return render(
        request,
        "insights/public.html",
        {
            "site": site,
            "page": page,
            "entries": [
                {"insight": i, "people": p, "quotes": quotes.get(i.pk, [])}
                for i, p in zip(items, people, strict=True)
            ],
            "hidden_label": public.HIDDEN,
            "breadcrumbs": _site_crumbs(site),
        },
    )


# ---- co-design sessions ----


@login_required
def sessions(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    found = CoDesignSession.objects.filter(site=site).prefetch_related("insights", "actions")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/sessions.html",
        {"site": site, "page": page, "query": "", "breadcrumbs": _site_crumbs(site)},
    )


@login_required
def session_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _managed_site(request, slug)
    form = SessionForm(_posted(request), site=site)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_session(
                site=site,
                data=form.action_data(),
                insights=list(form.cleaned_data["insights"]),
                actions=list(form.cleaned_data["actions"].select_related("routing__insight")),
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The co-design session has been recorded.")
            return redirect("insights:sessions", slug=site.slug)
    sessions_url = reverse("insights:sessions", args=[site.slug])
    return _form_page(
        request,
        form,
        "Record a co-design session",
        intro="Counts only: never record the names of people who took part.",
        submit_label="Save session",
        cancel_url=sessions_url,
        breadcrumbs=_site_crumbs(site, ("Co-design sessions", sessions_url)),
    )
