"""The coordinators' pages: a site's connectors and inbox, a connector's record, moving them
through the pipeline, checks, training, invitations, imports and the site's requirements.

Managing connectors needs CONNECTOR_MANAGE for the site (site lead, host coordinators,
national admins). Confidential support, lived experience, goals and pathway are for the
site's host coordinators only (core20.network.visibility).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core20.accounts.models import User
from core20.network import actions, home, importing, requirements
from core20.network.forms import (
    CheckForm,
    ConnectorForm,
    FlagForm,
    GoalForm,
    ImportForm,
    ModuleForm,
    PathwayForm,
    RequirementsForm,
    ResolveFlagForm,
    StatusForm,
    SupportNoteForm,
    TrainingForm,
)
from core20.network.models import (
    Check,
    Connector,
    DevelopmentGoal,
    WellbeingFlag,
)
from core20.network.views.common import (
    add_action_errors,
    connector_crumbs,
    network_crumbs,
    site_crumbs,
)
from core20.network.visibility import (
    connector_to_manage,
    has_own_record,
    is_host_coordinator,
    managed_sites,
    may_manage,
    may_see_confidential,
    may_see_development,
    may_see_lived_experience,
    site_to_manage,
)

PAGE_SIZE = 50
Status = Connector.Status
NEED_LABELS = {
    home.RENEWAL: "checks or training to renew",
    home.SUPPORT: "open wellbeing flags",
}


def _form_page(request, form, title, crumbs, **extra) -> HttpResponse:
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "title": title, "breadcrumbs": crumbs, **extra},
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where to start: the sites whose connectors you manage, and your own connector home."""
    sites = (
        managed_sites(request.user)
        .annotate(
            connector_count=Count("connectors", filter=~Q(connectors__status=Status.LEFT)),
            active_count=Count("connectors", filter=Q(connectors__status=Status.ACTIVE)),
            new_count=Count("connectors", filter=Q(connectors__status=Status.INTERESTED)),
        )
        .order_by("name")
    )
    return render(
        request,
        "network/index.html",
        {
            "sites": sites,
            "is_connector": has_own_record(request.user),
            "national": may_manage(request.user, None),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


@login_required
def site_connectors(request: HttpRequest, slug: str) -> HttpResponse:
    """A site's connectors by stage; the "Expressed interest" stage is the inbox."""
    site = site_to_manage(request.user, slug)
    counts = dict(
        Connector.objects.filter(site=site)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    stage = request.GET.get("stage", "")
    is_host = is_host_coordinator(request.user, site)
    connectors = Connector.objects.filter(site=site).select_related("host_organisation", "user")
    if stage in Status.values:
        connectors = connectors.filter(status=stage)
    else:
        stage = ""
        connectors = connectors.exclude(status=Status.LEFT)
    # What needs doing (the home page links here); wellbeing flags are for host coordinators.
    need = request.GET.get("need", "")
    if need == home.RENEWAL:
        connectors = connectors.filter(home.needs_renewal(timezone.localdate()))
    elif need == home.SUPPORT and is_host:
        connectors = connectors.filter(home.has_open_flag())
    else:
        need = ""
    connectors = connectors.order_by("status_changed_at", "name", "pk")
    if stage == "":
        connectors = connectors.order_by("name", "pk")
    page = Paginator(connectors, PAGE_SIZE).get_page(request.GET.get("page"))
    query = "&".join(f"{key}={value}" for key, value in (("stage", stage), ("need", need)) if value)
    return render(
        request,
        "network/site_connectors.html",
        {
            "site": site,
            "page": page,
            "stage": stage,
            "stage_label": Status(stage).label if stage else "",
            "need": need,
            "need_label": NEED_LABELS.get(need, ""),
            "renewal_days": home.DEFAULT_DAYS,
            "query": query,
            "stages": [(value, label, counts.get(value, 0)) for value, label in Status.choices],
            "is_host": is_host,
            "breadcrumbs": network_crumbs(),
        },
    )


def _details(form) -> dict:
    return dict(form.cleaned_data.items())


@login_required
def connector_add(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_to_manage(request.user, slug)
    show_lived = is_host_coordinator(request.user, site)
    form = ConnectorForm(request.POST or None, site=site, show_lived=show_lived)
    if request.method == "POST" and form.is_valid():
        try:
            connector = actions.create_connector(site=site, data=_details(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{connector.name} has been added.")
            return redirect(connector)
    return _form_page(
        request,
        form,
        "Add a connector",
        site_crumbs(site),
        intro="Someone who has been in touch another way. They start at “Expressed interest”.",
        submit_label="Add connector",
        cancel_url=reverse("network:site-connectors", args=[site.slug]),
    )


@login_required
def connector_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = connector_to_manage(request.user, slug, pk)
    user = request.user
    # Fetched once, for the tables here and for what ``requirements.readiness`` still needs.
    prefetch_related_objects(
        [connector],
        Prefetch("checks", queryset=Check.objects.select_related("updated_by")),
        "training_completions",
    )
    checks = {c.check_type_id: c for c in connector.checks.all()}
    # The site's requirements, looked up once for the tables and for what is still needed.
    checks_needed = requirements.required_checks(connector.site)
    modules_needed = requirements.required_modules(connector.site)
    required_checks = {c.pk for c in checks_needed}
    required_modules = {m.pk for m in modules_needed}
    check_rows = [
        {"type": t, "check": checks.get(t.pk), "required": t.pk in required_checks}
        for t in requirements.check_types_for(connector.site)
        if t.pk in required_checks or t.pk in checks
    ]
    latest = requirements.latest_completions(connector)
    training_rows = [
        {"module": m, "completion": latest.get(m.pk), "required": m.pk in required_modules}
        for m in requirements.modules_for(connector.site)
        if m.pk in required_modules or m.pk in latest
    ]
    development = may_see_development(user, connector)
    history = list(connector.history.select_related("changed_by")[:50])
    latest_change = history[0] if history else None
    return render(
        request,
        "network/connector_detail.html",
        {
            "connector": connector,
            "site": connector.site,
            "readiness": requirements.readiness(
                connector, checks=checks_needed, modules=modules_needed
            ),
            "check_rows": check_rows,
            "training_rows": training_rows,
            "history": history,
            # Why they are paused or have left, next to the stage rather than only in the
            # history at the foot of the page.
            "status_reason": (
                latest_change.reason
                if latest_change
                and latest_change.to_status == connector.status
                and connector.status in (Status.PAUSED, Status.LEFT)
                else ""
            ),
            "communities": connector.communities.all(),
            "wards": connector.wards.all(),
            "show_lived": may_see_lived_experience(user, connector),
            "show_confidential": may_see_confidential(user, connector),
            "show_development": development,
            "goals": connector.goals.all() if development else [],
            "pathway": connector.pathway.select_related("recorded_by") if development else [],
            "open_flags": (
                connector.wellbeing_flags.filter(resolved_at__isnull=True).count()
                if may_see_confidential(user, connector)
                else 0
            ),
            "today": timezone.localdate(),
            # Their account has never been used: the invitation can be sent again.
            "send_again": (
                connector.user is not None
                and connector.user.awaiting_first_sign_in
                and not connector.stepped_back
            ),
            # How long an account goes unused before it is closed (anonymised).
            "account_retention_months": settings.ACCOUNT_RETENTION_MONTHS,
            "breadcrumbs": site_crumbs(connector.site),
        },
    )


@login_required
def connector_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = connector_to_manage(request.user, slug, pk)
    show_lived = is_host_coordinator(request.user, connector.site)
    initial = {
        "name": connector.name,
        "email": connector.email,
        "phone": connector.phone,
        "languages": ", ".join(connector.languages),
        "communities": list(connector.communities.all()),
        "wards": [w.pk for w in connector.wards.all()],
        "skills": connector.skills,
        "interests": connector.interests,
        "availability": connector.availability,
        "host_organisation": connector.host_organisation_id,
        "started_on": connector.started_on,
    }
    if show_lived:
        initial["lived_experience"] = connector.lived_experience
        initial["lived_experience_consent"] = connector.lived_experience_consent
    form = ConnectorForm(
        request.POST or None,
        site=connector.site,
        show_lived=show_lived,
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_connector(connector=connector, data=_details(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{connector.name}'s details have been saved.")
            return redirect(connector)
    return _form_page(
        request,
        form,
        f"Change {connector.name}'s details",
        connector_crumbs(connector),
        submit_label="Save details",
        cancel_url=connector.get_absolute_url(),
    )


@login_required
def connector_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = connector_to_manage(request.user, slug, pk)
    form = StatusForm(request.POST or None, current=connector.status)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_status(
                connector=connector,
                to=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            connector.refresh_from_db()
            messages.success(
                request, f"{connector.name} is now at “{connector.get_status_display()}”."
            )
            return redirect(connector)
    return _form_page(
        request,
        form,
        f"Move {connector.name} to another stage",
        connector_crumbs(connector),
        intro=f"Now: {connector.get_status_display()}.",
        submit_label="Change stage",
        cancel_url=connector.get_absolute_url(),
    )


@login_required
def connector_check(request: HttpRequest, slug: str, pk: int, check_type: int) -> HttpResponse:
    connector = connector_to_manage(request.user, slug, pk)
    check_type = get_object_or_404(requirements.check_types_for(connector.site), pk=check_type)
    existing = Check.objects.filter(connector=connector, check_type=check_type).first()
    initial = (
        {
            "status": existing.status,
            "completed_on": existing.completed_on,
            "reference": existing.reference,
            "notes": existing.notes,
        }
        if existing
        else {}
    )
    form = CheckForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_check(
                connector=connector, check_type=check_type, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            saved = Check.Status(form.cleaned_data["status"]).label.lower()
            # "saved: clear", not "has been saved": check names may be plural ("References").
            messages.success(request, f"{check_type.name} for {connector.name} saved: {saved}.")
            return redirect(connector)
    return _form_page(
        request,
        form,
        f"{check_type.name} for {connector.name}",
        connector_crumbs(connector),
        intro=check_type.description,
        submit_label="Save check",
        cancel_url=connector.get_absolute_url(),
    )


@login_required
def connector_training(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = connector_to_manage(request.user, slug, pk)
    # ``?module=<id>`` (a module's row on their page) ticks that module.
    form = TrainingForm(
        request.POST or None,
        site=connector.site,
        initial={"module": request.GET.getlist("module")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            completions = actions.record_training_modules(
                connector=connector,
                modules=data["module"],
                completed_on=data["completed_on"],
                evidence=data["evidence"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            titles = [c.module.title for c in completions]
            if len(titles) == 1:
                done = f"{titles[0]} has been recorded for {connector.name}."
            else:
                done = (
                    f"{len(titles)} training modules have been recorded for {connector.name}: "
                    f"{', '.join(titles[:-1])} and {titles[-1]}."
                )
            messages.success(request, done)
            return redirect(connector)
    return _form_page(
        request,
        form,
        f"Record training for {connector.name}",
        connector_crumbs(connector),
        intro="Record the modules they have completed, or renewed, on one date.",
        submit_label="Record training",
        cancel_url=connector.get_absolute_url(),
    )


def _link_lasts() -> str:
    """How long the link in an invitation works, in words ("3 days")."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
    return f"{days} day{pluralize(days)}"


def _account_with_email(connector: Connector) -> User | None:
    """The account an invitation would link to (invite_connector's own lookup), if any."""
    if not connector.email:
        return None
    return User.objects.filter(email=connector.email).first()


@login_required
def connector_invite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Give a connector an account, or link the one they have. The page says beforehand, and
    the message afterwards, which it is: only a new account is emailed a link."""
    connector = connector_to_manage(request.user, slug, pk)
    existing = _account_with_email(connector)
    if request.method == "POST":
        try:
            user = actions.invite_connector(connector=connector, by=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _invited_message(connector, user, created=existing is None))
        return redirect(connector)
    return render(
        request,
        "network/connector_invite.html",
        {
            "connector": connector,
            "existing": existing,
            "link_lasts": _link_lasts(),
            "breadcrumbs": connector_crumbs(connector),
        },
    )


# After inviting someone who is not active yet: what the account gives them until then.
NOT_ACTIVE_YET = (
    "They can sign in now to see their training and checks. They can record activities and "
    "insights once you make them active."
)
RECORD_ONCE_ACTIVE = "They can record activities and insights once you make them active."


def _invited_message(connector: Connector, user: User, *, created: bool) -> str:
    """What happened, and for someone not active yet, what their account lets them do."""
    waiting = not connector.is_active
    if created:
        message = (
            f"We have emailed {connector.name} a link to choose a password (it works for "
            f"{_link_lasts()}). Once they have chosen it, they can sign in"
        )
        if waiting:
            return f"{message} to see their training and checks. {RECORD_ONCE_ACTIVE}"
        return f"{message}."
    if user.awaiting_first_sign_in:
        message = (
            f"{connector.name} already had an account: it is now linked to this record. No "
            "email was sent, and they have not signed in yet: use “Send invitation again” "
            "to email them a link to choose a password."
        )
        return f"{message} {RECORD_ONCE_ACTIVE}" if waiting else message
    message = (
        f"{connector.name} already had an account: it is now linked to this record. No email "
        "was sent: they sign in as usual."
    )
    return f"{message} {NOT_ACTIVE_YET}" if waiting else message


@login_required
@require_POST
def connector_reinvite(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Email the invitation again to a connector whose account has not been used yet."""
    connector = connector_to_manage(request.user, slug, pk)
    try:
        actions.reinvite_connector(connector=connector, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"We have emailed {connector.name} a new invitation to sign in. Its link works "
            f"for {_link_lasts()}.",
        )
    return redirect(connector)


# ---- host coordinators only: support, goals and pathway ----


def _connector_for_host(request, slug, pk) -> Connector:
    connector = connector_to_manage(request.user, slug, pk)
    if not is_host_coordinator(request.user, connector.site):
        raise PermissionDenied
    return connector


@login_required
def connector_support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Supervision and check-in notes and wellbeing flags: confidential to host coordinators."""
    connector = _connector_for_host(request, slug, pk)
    form = SupportNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_support_note(connector=connector, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The note has been added.")
            return redirect("network:connector-support", slug=slug, pk=pk)
    return render(
        request,
        "network/connector_support.html",
        {
            "connector": connector,
            "form": form,
            "notes": connector.support_notes.select_related("created_by"),
            "flags": connector.wellbeing_flags.select_related("raised_by", "resolved_by"),
            "breadcrumbs": connector_crumbs(connector),
        },
    )


@login_required
def flag_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = _connector_for_host(request, slug, pk)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.raise_flag(connector=connector, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The wellbeing flag has been raised.")
            return redirect("network:connector-support", slug=slug, pk=pk)
    support_url = reverse("network:connector-support", args=[slug, pk])
    return _form_page(
        request,
        form,
        f"Raise a wellbeing flag for {connector.name}",
        connector_crumbs(connector, ("Support", support_url)),
        intro="Only host coordinators at this site can see wellbeing flags.",
        submit_label="Raise flag",
        cancel_url=support_url,
    )


@login_required
def flag_resolve(request: HttpRequest, slug: str, pk: int, flag: int) -> HttpResponse:
    connector = _connector_for_host(request, slug, pk)
    flag = get_object_or_404(WellbeingFlag, connector=connector, pk=flag)
    form = ResolveFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.resolve_flag(flag=flag, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The wellbeing flag has been closed.")
            return redirect("network:connector-support", slug=slug, pk=pk)
    support_url = reverse("network:connector-support", args=[slug, pk])
    return _form_page(
        request,
        form,
        "Close a wellbeing flag",
        connector_crumbs(connector, ("Support", support_url)),
        intro=flag.summary,
        submit_label="Close flag",
        cancel_url=support_url,
    )


@login_required
def goal_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = _connector_for_host(request, slug, pk)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_goal(connector=connector, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The goal has been added.")
            return redirect(connector)
    return _form_page(
        request,
        form,
        f"Add a development goal for {connector.name}",
        connector_crumbs(connector),
        intro="Goals are shared between host coordinators and the connector.",
        submit_label="Add goal",
        cancel_url=connector.get_absolute_url(),
    )


@login_required
@require_POST
def goal_status(request: HttpRequest, slug: str, pk: int, goal: int) -> HttpResponse:
    connector = _connector_for_host(request, slug, pk)
    goal = get_object_or_404(DevelopmentGoal, connector=connector, pk=goal)
    try:
        actions.set_goal_status(goal=goal, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"“{goal.title}” is now “{goal.get_status_display()}”.")
    return redirect(connector)


@login_required
def connector_pathway(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    connector = _connector_for_host(request, slug, pk)
    form = PathwayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_role_type(connector=connector, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{connector.name}'s role has been changed.")
            return redirect(connector)
    return _form_page(
        request,
        form,
        f"Change {connector.name}'s role",
        connector_crumbs(connector),
        intro=(
            f"Now: {connector.get_role_type_display()}. "
            "The change is kept as a step on their pathway."
        ),
        submit_label="Change role",
        cancel_url=connector.get_absolute_url(),
    )


# ---- the site's set-up ----


@login_required
def site_requirements(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_to_manage(request.user, slug)
    initial = {
        "checks": requirements.required_checks(site),
        "modules": requirements.required_modules(site),
    }
    form = RequirementsForm(request.POST or None, site=site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_requirements(site=site, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The site's requirements have been saved.")
            return redirect("network:site-connectors", slug=site.slug)
    return _form_page(
        request,
        form,
        f"What connectors at {site.name} need before they are active",
        site_crumbs(site),
        intro="Until you save this page, the national defaults apply.",
        submit_label="Save requirements",
        cancel_url=reverse("network:site-connectors", args=[site.slug]),
    )


@login_required
def site_training(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_to_manage(request.user, slug)
    required = {m.pk for m in requirements.required_modules(site)}
    modules = [
        {"module": m, "required": m.pk in required}
        for m in requirements.modules_for(site).select_related("site")
    ]
    return render(
        request,
        "network/site_training.html",
        {"site": site, "modules": modules, "breadcrumbs": site_crumbs(site)},
    )


def _create_module(request: HttpRequest, form: ModuleForm, site):
    """The module from a valid form (site None: a national one), or None with the action's
    errors put on the form."""
    data = dict(form.cleaned_data.items())
    data["description"] = data.get("description") or ""
    data["url"] = data.get("url") or ""
    try:
        return actions.create_module(site=site, data=data, by=request.user)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None


@login_required
def module_add(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_to_manage(request.user, slug)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        module = _create_module(request, form, site)
        if module is not None:
            messages.success(request, f"“{module.title}” has been added.")
            return redirect("network:site-training", slug=site.slug)
    training_url = reverse("network:site-training", args=[site.slug])
    return _form_page(
        request,
        form,
        f"Add a training module for {site.name}",
        site_crumbs(site, ("Training", training_url)),
        submit_label="Add module",
        cancel_url=training_url,
    )


@login_required
def national_module_add(request: HttpRequest) -> HttpResponse:
    """A national training module, offered to every site (national admins)."""
    if not may_manage(request.user, None):
        raise PermissionDenied
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        module = _create_module(request, form, None)
        if module is not None:
            messages.success(request, f"“{module.title}” has been added for every site.")
            return redirect("network:index")
    index_url = reverse("network:index")
    return _form_page(
        request,
        form,
        "Add a national training module",
        [("Home", reverse("web:home")), ("Connector network", index_url)],
        submit_label="Add module",
        cancel_url=index_url,
    )


@login_required
def connector_import(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_to_manage(request.user, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.import_connectors(
                site=site, name=upload.name, content=upload.read(), by=request.user
            )
        except importing.ImportFailed as exc:
            row_errors = exc.row_errors
            form.add_error("file", "The file has problems, listed below. Nothing was imported")
        else:
            messages.success(
                request,
                f"Imported {upload.name}: {result.created} added, {result.updated} updated, "
                f"{result.unchanged} unchanged.",
            )
            return redirect("network:site-connectors", slug=site.slug)
    return render(
        request,
        "network/connector_import.html",
        {
            "site": site,
            "form": form,
            "row_errors": row_errors,
            "columns": importing.COLUMNS,
            "breadcrumbs": site_crumbs(site),
        },
    )
