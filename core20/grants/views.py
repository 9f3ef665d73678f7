"""The micro-grant pages, mounted at /grants/.

- The public: funds from their opening date, the application form (no account needed), the
  applicant's private status page (its link is emailed to them) with the outcome report,
  and the 360Giving open data of awards.
- The site's team (GRANT_MANAGE: site lead, host coordinator; national admins): funds,
  criteria, the panel, applications with the panel's scores, decisions and payments, and
  spend against budget.
- Panel members (GRANT_SCORE at the site, appointed to the fund): declare conflicts and
  score each application on their own; they see the others' scores only after their own.

Who may see what: a fund nobody may see yet is a 404; a page the visitor has no right to
is a 403 (both checked here, once, with has_permission).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core20.accounts.authorization import at_some_site, has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.grants import actions, personal_data, threesixty
from core20.grants.forms import (
    ApplicationForm,
    AppointForm,
    AssessForm,
    CriterionForm,
    DecisionForm,
    FundForm,
    OutcomeForm,
    PaymentForm,
)
from core20.grants.models import Application, Assessment, Fund, PanelMember, Score
from core20.grants.summary import summarise
from core20.programme.models import Site
from core20.programme.queries import visible_sites
from core20.programme.views.common import add_action_errors
from core20.web.absolute import base_url
from core20.web.forms import EraseForm

# ---- who may see what ----


def _managed_site_ids(user):
    return sites_where(user, Permission.GRANT_MANAGE)


def visible_funds(user):
    """Published funds (from their opening date, at published sites) for everyone; every
    fund at the sites a user manages grants for."""
    funds = Fund.objects.select_related("site")
    public = Q(opens_on__lte=timezone.localdate(), site__published=True)
    managed = _managed_site_ids(user)
    if managed is None:
        return funds
    return funds.filter(public | Q(site_id__in=managed))


def may_manage(user, fund_or_site) -> bool:
    site_id = fund_or_site.site_id if isinstance(fund_or_site, Fund) else fund_or_site.pk
    return has_permission(user, Permission.GRANT_MANAGE, site=site_id)


def _fund(request, pk: int) -> Fund:
    return get_object_or_404(visible_funds(request.user), pk=pk)


def _managed_fund(request, pk: int) -> Fund:
    fund = _fund(request, pk)
    if not may_manage(request.user, fund):
        raise PermissionDenied
    return fund


def _application(request, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("fund__site"),
        pk=pk,
        fund__in=visible_funds(request.user),
    )
    return application


def _crumbs(*more):
    return [("Home", reverse("web:home")), ("Micro-grants", reverse("grants:fund-list")), *more]


def _fund_crumbs(fund, *more):
    return _crumbs((fund.name, fund.get_absolute_url()), *more)


def _manage_crumbs(fund, *more):
    return _fund_crumbs(fund, ("Manage", reverse("grants:fund-manage", args=[fund.pk])), *more)


def _status_link(request, application) -> str:
    return request.build_absolute_uri(reverse("grants:status", args=[application.token]))


# ---- public pages ----


def fund_list(request: HttpRequest) -> HttpResponse:
    funds = list(visible_funds(request.user).order_by("-opens_on", "name"))
    managed = _managed_site_ids(request.user)
    if managed is None:
        sites = Site.objects.order_by("name")
    else:
        sites = Site.objects.filter(pk__in=managed).order_by("name")
    return render(
        request,
        "grants/fund_list.html",
        {
            # The manage page's own check, per fund; from the user's memberships: no query.
            "manageable": {f.pk for f in funds if may_manage(request.user, f)},
            "open_funds": [f for f in funds if f.is_open],
            "other_funds": [f for f in funds if not f.is_open and f.is_published],
            "upcoming": [f for f in funds if not f.is_published],
            "manage_sites": list(sites) if managed is None or managed else [],
            "is_panel_member": at_some_site(request.user, Permission.GRANT_SCORE),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _fund(request, pk)
    return render(
        request,
        "grants/fund_detail.html",
        {
            "fund": fund,
            "criteria": list(fund.criteria.all()),
            "can_manage": may_manage(request.user, fund),
            "breadcrumbs": _crumbs(),
        },
    )


def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The public application form: no account needed."""
    fund = _fund(request, pk)
    if not fund.is_open:
        return render(
            request,
            "grants/fund_closed.html",
            {"fund": fund, "breadcrumbs": _fund_crumbs(fund)},
        )
    form = ApplicationForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.action_data()
        try:
            application = actions.submit_application(
                fund=fund,
                data=data,
                budget_lines=form.budget_lines(),
                communities=form.cleaned_data.get("communities") or [],
                wards=form.cleaned_data.get("wards") or [],
                clinical_areas=form.cleaned_data.get("clinical_areas") or [],
                by=None,
            )
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            link = _status_link(request, application)
            transaction.on_commit(lambda: actions.email_status_link(application, link))
            messages.success(
                request,
                "Your application has been sent. We have emailed you a private link to this "
                "page: keep it to follow your application.",
            )
            return redirect("grants:status", token=application.token)
    return render(
        request,
        "grants/apply.html",
        {"fund": fund, "form": form, "breadcrumbs": _fund_crumbs(fund)},
    )


def _by_token(token: str) -> Application:
    application = (
        Application.objects.select_related("fund__site")
        .filter(token=token)
        .annotate(paid=Sum("payments__amount"))
        .first()
    )
    if application is None:
        raise Http404
    return application


def status(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's own page, reached by the private link only."""
    application = _by_token(token)
    outcome = getattr(application, "outcome", None) if hasattr(application, "outcome") else None
    return render(
        request,
        "grants/status.html",
        {
            "application": application,
            "fund": application.fund,
            "outcome": outcome,
            # Anyone holding the link sees this page: the contact details only in part.
            "contact_email": personal_data.masked_email(application.contact_email),
            "phone_ending": personal_data.phone_ending(application.contact_phone),
            # An individual's name is theirs: in part too. A group's name is shown as given.
            "applicant_name": (
                personal_data.masked_name(application.group_name)
                if application.is_individual
                else application.group_name
            ),
            # What they sent, as they sent it: nothing the panel or the team wrote.
            "communities": list(application.communities.all()),
            "wards": list(application.wards.all()),
            "clinical_areas": list(application.clinical_areas.all()),
            "budget_lines": list(application.budget_lines.all()),
            "breadcrumbs": _crumbs(),
        },
    )


def outcome(request: HttpRequest, token: str) -> HttpResponse:
    application = _by_token(token)
    if application.status != Application.Status.AWARDED or hasattr(application, "outcome"):
        return redirect("grants:status", token=token)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_outcome(application=application, data=form.cleaned_data, by=None)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Thank you: your outcome report has been sent.")
            return redirect("grants:status", token=token)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Tell us how it went",
            "intro": (
                f"Your outcome report for “{application.title}”. Give numbers of people, "
                "never names."
            ),
            "submit_label": "Send outcome report",
            "cancel_url": reverse("grants:status", args=[token]),
            "breadcrumbs": _crumbs(("Your application", reverse("grants:status", args=[token]))),
        },
    )


def _export_awards(request):
    slug = request.GET.get("site")
    site = None
    if slug:
        site = visible_sites(request.user).filter(slug=slug).first()
        if site is None:
            raise Http404
    return threesixty.awards(site)


def export_json(request: HttpRequest) -> JsonResponse:
    """Every published award in the 360Giving JSON format (public open data)."""
    data = threesixty.package(_export_awards(request), request.build_absolute_uri("/"))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'inline; filename="core20-grants-360giving.json"'
    return response


def export_csv(request: HttpRequest) -> HttpResponse:
    text = threesixty.to_csv(_export_awards(request), request.build_absolute_uri("/"))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="core20-grants-360giving.csv"'
    return response


# ---- the site's team ----


@login_required
def fund_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(visible_sites(request.user), slug=slug)
    if not may_manage(request.user, site):
        raise PermissionDenied
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fund = actions.create_fund(
                site=site,
                data={n: form.cleaned_data[n] for n in actions.FUND_FIELDS},
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{fund} has been created. Add its scoring criteria next.")
            return redirect("grants:fund-manage", pk=fund.pk)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"New micro-grant fund for {site}",
            "submit_label": "Create fund",
            "cancel_url": reverse("grants:fund-list"),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _managed_fund(request, pk)
    form = FundForm(request.POST or None, instance=fund)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_fund(
                fund=fund,
                data={n: form.cleaned_data[n] for n in actions.FUND_FIELDS},
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The fund has been saved.")
            return redirect("grants:fund-manage", pk=fund.pk)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Edit {fund}",
            "submit_label": "Save fund",
            "cancel_url": reverse("grants:fund-manage", args=[fund.pk]),
            "breadcrumbs": _manage_crumbs(fund),
        },
    )


def _applications_with_scores(fund):
    return (
        fund.applications.annotate(paid=Sum("payments__amount"))
        .prefetch_related(
            Prefetch(
                "assessments",
                Assessment.objects.select_related("member__user").prefetch_related(
                    Prefetch("scores", Score.objects.order_by())
                ),
            )
        )
        .order_by("submitted_at", "pk")
    )


@login_required
def fund_manage(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _managed_fund(request, pk)
    criteria = list(fund.criteria.all())
    rows = [(a, summarise(a, criteria)) for a in _applications_with_scores(fund)]
    panel = list(
        fund.panel.select_related("user").annotate(
            assessed=Count("assessments", distinct=True),
            conflicts=Count("assessments", filter=Q(assessments__has_conflict=True), distinct=True),
        )
    )
    return render(
        request,
        "grants/fund_manage.html",
        {
            "fund": fund,
            "criteria": criteria,
            "rows": rows,
            "panel": panel,
            "spend": actions.spend(fund),
            "breadcrumbs": _fund_crumbs(fund),
        },
    )


@login_required
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _managed_fund(request, pk)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_criterion(
                fund=fund,
                data={n: form.cleaned_data[n] for n in ("name", "description", "max_score")},
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The criterion has been added.")
            return redirect("grants:fund-manage", pk=fund.pk)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add a scoring criterion",
            "submit_label": "Add criterion",
            "cancel_url": reverse("grants:fund-manage", args=[fund.pk]),
            "breadcrumbs": _manage_crumbs(fund),
        },
    )


@login_required
def panel_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _managed_fund(request, pk)
    form = AppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            actions.appoint_panel_member(fund=fund, user=user, by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{user} is now on the panel.")
            return redirect("grants:fund-manage", pk=fund.pk)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Appoint a panel member",
            "intro": (
                "Community panels are made up of local people with lived experience. Each "
                "member scores applications on their own."
            ),
            "submit_label": "Appoint",
            "cancel_url": reverse("grants:fund-manage", args=[fund.pk]),
            "breadcrumbs": _manage_crumbs(fund),
        },
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The team sees everything; a panel member sees the application without the contact
    details, and the others' scores only once they have assessed it themselves."""
    application = _application(request, pk)
    fund = application.fund
    manager = may_manage(request.user, fund)
    member = actions.member_for(request.user, fund)
    if not manager and not (
        member and has_permission(request.user, Permission.GRANT_SCORE, site=fund.site_id)
    ):
        raise PermissionDenied
    criteria = list(fund.criteria.all())
    application = _applications_with_scores(fund).get(pk=application.pk)
    summary = summarise(application, criteria)
    mine = next((a for a, _, _ in summary.members if member and a.member_id == member.pk), None)
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "fund": fund,
            "manager": manager,
            "member": member,
            "mine": mine,
            "show_scores": manager or mine is not None,
            "summary": summary,
            "budget_lines": list(application.budget_lines.all()),
            "link_problem": actions.status_link_problem(application) if manager else None,
            "link_wait": actions.status_link_wait(application) if manager else None,
            "next_to_assess": _next_to_assess(member, application) if mine else None,
            "payments": list(application.payments.all()),
            "outcome": getattr(application, "outcome", None)
            if hasattr(application, "outcome")
            else None,
            "breadcrumbs": _manage_crumbs(fund) if manager else _panel_crumbs(),
        },
    )


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    fund = application.fund
    if not may_manage(request.user, fund):
        raise PermissionDenied
    if application.status != Application.Status.SUBMITTED:
        messages.info(request, "This application has already been decided.")
        return redirect("grants:application-detail", pk=application.pk)
    form = DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = actions.decide(
                application=application,
                awarded=data["decision"] == "award",
                amount=data.get("amount"),
                reason=data.get("reason", ""),
                decided_on=data["decided_on"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            link = _status_link(request, application)
            transaction.on_commit(lambda: actions.email_decision(application, link))
            messages.success(
                request,
                f"The application has been {application.get_status_display().lower()} and the "
                "applicant emailed.",
            )
            return redirect("grants:application-detail", pk=application.pk)
    spend = actions.spend(fund)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Decide: {application.title}",
            "intro": (
                f"{application.group_name} asked for £{application.amount_requested:,.2f}. "
                f"£{spend.remaining:,.2f} of the £{fund.budget:,.2f} budget is left to award; "
                f"the most one application can get is £{fund.max_award:,.2f}."
            ),
            "submit_label": "Record decision",
            "cancel_url": reverse("grants:application-detail", args=[application.pk]),
            "breadcrumbs": _manage_crumbs(
                fund, (application.title, reverse("grants:application-detail", args=[pk]))
            ),
        },
    )


@login_required
def application_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Erase a decided application's contact details on request (core20.grants.personal_data)."""
    application = _application(request, pk)
    if not may_manage(request.user, application.fund):
        raise PermissionDenied
    problem = personal_data.erasure_problem(application)
    form = EraseForm(request.POST or None)
    detail = reverse("grants:application-detail", args=[application.pk])
    if request.method == "POST" and not problem and form.is_valid():
        try:
            personal_data.erase_application(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The applicant's contact details have been erased.")
            return redirect(detail)
    individual = application.is_individual
    return render(
        request,
        "includes/erase_page.html",
        {
            "form": form,
            "problem": problem,
            "title": "Erase the applicant's contact details",
            "intro": (
                f"{application.title}, from {application.group_name}. Do this when the "
                "applicant asks us to, or when we no longer need to contact them. It cannot "
                "be undone, and their private link to the application stops working."
            ),
            "erased": [
                "the contact's name, email address and phone number",
                "the applicant's private link to their application",
                "the reason given for declining it, and the panel's comments and conflict "
                "descriptions",
                *(
                    ["their name, and what they wrote about the purpose and the places"]
                    if individual
                    else []
                ),
            ],
            "kept": [
                "the application's title, amounts, dates and decision (awarded or declined)",
                *([] if individual else ["the group's name and what they wrote"]),
                "the budget, the panel's scores, payments and the outcome report",
                "the audit log, which records what was done and by whom",
            ],
            "cancel_url": detail,
            "breadcrumbs": _manage_crumbs(application.fund, (application.title, detail)),
        },
    )


@login_required
@require_POST
def status_link_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Email the applicant their private link again (the team never sees the link)."""
    application = _application(request, pk)
    if not may_manage(request.user, application.fund):
        raise PermissionDenied
    try:
        application = actions.email_status_link_again(
            application=application, base_url=base_url(request), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, f"{' '.join(exc.messages)}.")
    else:
        messages.success(
            request,
            f"We have emailed the private link to the application to "
            f"{application.contact_email} again.",
        )
    return redirect("grants:application-detail", pk=application.pk)


@login_required
def payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    fund = application.fund
    if not may_manage(request.user, fund):
        raise PermissionDenied
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_payment(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The payment has been recorded.")
            return redirect("grants:application-detail", pk=application.pk)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"Record a payment: {application.title}",
            "submit_label": "Record payment",
            "cancel_url": reverse("grants:application-detail", args=[application.pk]),
            "breadcrumbs": _manage_crumbs(
                fund, (application.title, reverse("grants:application-detail", args=[pk]))
            ),
        },
    )


# ---- panel members ----


def _panel_crumbs(*more):
    return _crumbs(("Your grant panels", reverse("grants:panel-home")), *more)


@login_required
def panel_home(request: HttpRequest) -> HttpResponse:
    if not at_some_site(request.user, Permission.GRANT_SCORE):
        raise PermissionDenied
    memberships = (
        PanelMember.objects.filter(user=request.user)
        .select_related("fund__site")
        .order_by("-fund__opens_on")
    )
    memberships = [
        m
        for m in memberships
        if has_permission(request.user, Permission.GRANT_SCORE, site=m.fund.site_id)
    ]
    done = set(
        Assessment.objects.filter(member__in=memberships).values_list("application_id", flat=True)
    )
    applications = (
        Application.objects.filter(fund__in=[m.fund_id for m in memberships])
        .select_related("fund")
        .order_by("fund_id", "submitted_at", "pk")
    )
    rows = {m.fund_id: (m.fund, []) for m in memberships}
    for application in applications:
        rows[application.fund_id][1].append((application, application.pk in done))
    return render(
        request,
        "grants/panel_home.html",
        {"rows": list(rows.values()), "breadcrumbs": _crumbs()},
    )


def _next_to_assess(member: PanelMember | None, after: Application) -> Application | None:
    """The member's next application in the fund still waiting for their assessment: the
    first after ``after`` in the panel's order (oldest first), else the first before it."""
    if member is None:
        return None
    waiting = (
        Application.objects.filter(fund_id=after.fund_id, status=Application.Status.SUBMITTED)
        .exclude(pk=after.pk)
        .exclude(assessments__member=member)
        .order_by("submitted_at", "pk")
    )
    later = waiting.filter(
        Q(submitted_at__gt=after.submitted_at) | Q(submitted_at=after.submitted_at, pk__gt=after.pk)
    )
    return later.first() or waiting.first()


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    fund = application.fund
    if not has_permission(request.user, Permission.GRANT_SCORE, site=fund.site_id):
        raise PermissionDenied
    member = actions.member_for(request.user, fund)
    if member is None:
        raise PermissionDenied
    if (
        application.status != Application.Status.SUBMITTED
        or Assessment.objects.filter(application=application, member=member).exists()
    ):
        return redirect("grants:application-detail", pk=application.pk)
    criteria = list(fund.criteria.all())
    form = AssessForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            actions.assess(
                application=application,
                has_conflict=form.cleaned_data["has_conflict"],
                conflict_details=form.cleaned_data.get("conflict_details", ""),
                scores=form.scores(),
                comments=form.cleaned_data.get("comments", ""),
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            # Their own page of it, now with the others' scores, links on to the next
            # application waiting for them (or says there are none left).
            messages.success(request, "Your assessment has been saved.")
            return redirect("grants:application-detail", pk=application.pk)
    return render(
        request,
        "grants/assess.html",
        {
            "application": application,
            "fund": fund,
            "form": form,
            "criteria": criteria,
            "breadcrumbs": _panel_crumbs(
                (application.title, reverse("grants:application-detail", args=[pk]))
            ),
        },
    )
