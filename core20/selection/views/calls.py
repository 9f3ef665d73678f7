"""Calls: the public list and pages (with the prior information pack), and setting a call
up: its details, questions and scoring criteria (national admins, CALL_MANAGE)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.selection import actions
from core20.selection.forms import CallForm, CriterionForm, QuestionForm
from core20.selection.models import Application, Criterion, Question, Review
from core20.selection.views.common import (
    add_action_errors,
    call_crumbs,
    can_manage,
    get_managed_call,
    get_visible_call,
    manage_crumbs,
    selection_crumbs,
    visible_calls,
)


def call_list(request: HttpRequest) -> HttpResponse:
    calls = list(visible_calls(request.user).order_by("-opens_on", "title"))
    return render(
        request,
        "selection/call_list.html",
        {
            "draft_calls": [c for c in calls if c.state == "draft"],
            "open_calls": [c for c in calls if c.state == "open"],
            "upcoming_calls": [c for c in calls if c.state == "upcoming"],
            "closed_calls": [c for c in calls if c.state == "closed"],
            "can_manage": can_manage(request.user),
            "breadcrumbs": [("Home", reverse("web:home"))],
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_visible_call(request.user, pk)
    application = None
    if request.user.is_authenticated:
        application = Application.objects.filter(call=call, applicant=request.user).first()
    return render(
        request,
        "selection/call_detail.html",
        {
            "call": call,
            "questions": call.questions.all(),
            "criteria": call.criteria.all(),
            "application": application,
            "can_manage": can_manage(request.user),
            "breadcrumbs": selection_crumbs(),
        },
    )


# ---- setting up a call ----


def _form_page(request, form, *, title, submit_label, cancel_url, breadcrumbs, intro=""):
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


def _call_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in actions.CALL_FIELDS}


@login_required
def call_create(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    form = CallForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = actions.create_call(
                data=_call_data(form), pack=form.cleaned_data.get("pack"), by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(
                request,
                f"“{call.title}” has been created as a draft. Add its questions and scoring "
                "criteria, then open the call.",
            )
            return redirect("selection:call-manage", pk=call.pk)
    return _form_page(
        request,
        form,
        title="Create a call for expressions of interest",
        submit_label="Create call",
        cancel_url=reverse("selection:call-list"),
        breadcrumbs=selection_crumbs(),
    )


@login_required
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    form = CallForm(request.POST or None, request.FILES or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call = actions.update_call(
                call=call,
                data=_call_data(form),
                pack=form.cleaned_data.get("pack"),
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"Your changes to “{call.title}” have been saved.")
            return redirect("selection:call-manage", pk=call.pk)
    intro = ""
    if call.pack_name:
        intro = f"The current prior information pack is {call.pack_name}."
    return _form_page(
        request,
        form,
        title=f"Edit {call.title}",
        intro=intro,
        submit_label="Save changes",
        cancel_url=reverse("selection:call-manage", args=[call.pk]),
        breadcrumbs=manage_crumbs(call),
    )


@login_required
def call_manage(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    counts = dict(call.applications.values_list("status").annotate(n=Count("pk")).order_by())
    statuses = [(label, counts.get(value, 0), value) for value, label in Application.Status.choices]
    appointments = call.appointments.select_related("user").annotate(
        reviewed=Count("reviews", distinct=True),
        conflicts=Count("declarations", filter=Q(declarations__has_conflict=True), distinct=True),
    )
    return render(
        request,
        "selection/call_manage.html",
        {
            "call": call,
            "questions": call.questions.all(),
            "criteria": call.criteria.all(),
            "statuses": statuses,
            "submitted_count": sum(n for _, n, value in statuses if value != "draft"),
            "appointments": appointments,
            "questions_locked": call.applications.exclude(status=Application.Status.DRAFT).exists(),
            "criteria_locked": Review.objects.filter(application__call=call).exists(),
            "opening_problems": actions.opening_problems(call) if call.is_draft else [],
            "breadcrumbs": call_crumbs(call),
        },
    )


@login_required
@require_POST
def call_open(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    try:
        call = actions.open_call(call=call, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if call.is_open:
            messages.success(request, f"“{call.title}” is open. Applicants can now apply.")
        else:
            messages.success(
                request,
                f"“{call.title}” will open on {date_format(call.opens_on, 'j F Y')}. The public "
                "can see it and apply from then.",
            )
    return redirect("selection:call-manage", pk=call.pk)


# ---- questions ----


def _question_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in actions.QUESTION_FIELDS}


@login_required
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_question(call=call, data=_question_data(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The question has been added.")
            return redirect("selection:call-manage", pk=call.pk)
    return _form_page(
        request,
        form,
        title="Add a question",
        submit_label="Add question",
        cancel_url=reverse("selection:call-manage", args=[call.pk]),
        breadcrumbs=manage_crumbs(call),
    )


@login_required
def question_edit(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    question = get_object_or_404(Question, pk=question_pk, call=call)
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_question(question=question, data=_question_data(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Your changes to the question have been saved.")
            return redirect("selection:call-manage", pk=call.pk)
    return _form_page(
        request,
        form,
        title="Edit a question",
        submit_label="Save changes",
        cancel_url=reverse("selection:call-manage", args=[call.pk]),
        breadcrumbs=manage_crumbs(call),
    )


def _confirm_delete(request, call, *, what, label, action, done):
    """A confirmation page (GET), then the deletion (POST)."""
    if request.method == "POST":
        try:
            action()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
        return redirect("selection:call-manage", pk=call.pk)
    return render(
        request,
        "selection/confirm_delete.html",
        {
            "title": f"Delete this {what}?",
            "label": label,
            "cancel_url": reverse("selection:call-manage", args=[call.pk]),
            "submit_label": f"Delete {what}",
            "breadcrumbs": manage_crumbs(call),
        },
    )


@login_required
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    question = get_object_or_404(Question, pk=question_pk, call=call)
    return _confirm_delete(
        request,
        call,
        what="question",
        label=question.text,
        action=lambda: actions.delete_question(question=question, by=request.user),
        done="The question has been deleted.",
    )


# ---- scoring criteria ----


def _criterion_data(form) -> dict:
    return {name: form.cleaned_data[name] for name in actions.CRITERION_FIELDS}


@login_required
def criterion_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    form = CriterionForm(request.POST or None, initial={"weight": 1, "max_score": 5})
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_criterion(call=call, data=_criterion_data(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "The scoring criterion has been added.")
            return redirect("selection:call-manage", pk=call.pk)
    return _form_page(
        request,
        form,
        title="Add a scoring criterion",
        submit_label="Add criterion",
        cancel_url=reverse("selection:call-manage", args=[call.pk]),
        breadcrumbs=manage_crumbs(call),
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, call=call)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_criterion(
                criterion=criterion, data=_criterion_data(form), by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "Your changes to the scoring criterion have been saved.")
            return redirect("selection:call-manage", pk=call.pk)
    return _form_page(
        request,
        form,
        title=f"Edit {criterion.name}",
        submit_label="Save changes",
        cancel_url=reverse("selection:call-manage", args=[call.pk]),
        breadcrumbs=manage_crumbs(call),
    )


@login_required
def criterion_delete(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, call=call)
    return _confirm_delete(
        request,
        call,
        what="scoring criterion",
        label=criterion.name,
        action=lambda: actions.delete_criterion(criterion=criterion, by=request.user),
        done="The scoring criterion has been deleted.",
    )
