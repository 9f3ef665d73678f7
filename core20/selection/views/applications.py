"""The applicant's pages: creating an account, starting an application, writing it (saved
as a draft until it is submitted), attaching files, and following its status.

An applicant is any signed-in user; they see only their own applications (anyone else's
is a 404)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core20.places.icbs import marked_icbs
from core20.selection import actions
from core20.selection.files import MAX_ATTACHMENTS
from core20.selection.forms import ApplicantAccountForm, ApplicationForm, AttachmentForm
from core20.selection.models import Answer, Application, Attachment
from core20.selection.views.common import (
    add_action_errors,
    call_crumbs,
    get_visible_call,
    own_application,
    selection_crumbs,
)


def _my_applications_crumbs(*more):
    return [
        ("Home", reverse("web:home")),
        ("Your applications", reverse("selection:my-applications")),
        *more,
    ]


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def account_create(request: HttpRequest) -> HttpResponse:
    """Create an applicant account (no role) and sign in with it."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "selection:my-applications")
    form = ApplicantAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = actions.create_applicant_account(
            full_name=data["full_name"], email=data["email"], password=data["password"]
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account has been created and you are signed in.")
        return redirect(next_url or "selection:my-applications")
    return render(
        request,
        "selection/account_create.html",
        {
            "form": form,
            "title": "Create an applicant account",
            "next": next_url,
            "breadcrumbs": selection_crumbs(),
        },
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("call__wave")
        .order_by("-created_at")
    )
    return render(
        request,
        "selection/my_applications.html",
        {"applications": applications, "breadcrumbs": [("Home", reverse("web:home"))]},
    )


@login_required
def call_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The start page (GET) and starting the application (POST). Someone who has already
    started one is taken to it."""
    call = get_visible_call(request.user, pk)
    existing = Application.objects.filter(call=call, applicant=request.user).first()
    if existing is not None:
        if existing.is_draft and call.is_open:
            return redirect("selection:application-edit", pk=existing.pk)
        return redirect(existing)
    if not call.is_open:
        if call.state == "draft":
            messages.info(request, "This call is a draft. Open it before anyone can apply.")
        elif call.state == "upcoming":
            messages.info(request, f"Applications open on {date_format(call.opens_on, 'j F Y')}.")
        else:
            messages.error(request, actions.closed_message(call))
        return redirect(call)
    if request.method == "POST":
        try:
            application = actions.start_application(call=call, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(call)
        return redirect("selection:application-edit", pk=application.pk)
    return render(
        request,
        "selection/apply_start.html",
        {
            "call": call,
            "questions": call.questions.all(),
            "breadcrumbs": call_crumbs(call),
        },
    )


def _with_answers(queryset):
    return queryset.prefetch_related(
        "regions",
        Prefetch("icbs", marked_icbs()),  # marks an ICB no longer in use
        "focus_areas",
        "communities",
        "attachments",
        Prefetch("answers", Answer.objects.select_related("question")),
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request.user, pk)
    application = _with_answers(Application.objects.select_related("call__wave")).get(
        pk=application.pk
    )
    return render(
        request,
        "selection/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "answers": _answers_in_order(application),
            "can_edit": application.is_draft and application.call.is_open,
            "breadcrumbs": _my_applications_crumbs(),
        },
    )


def _answers_in_order(application):
    """(number, question, answer text) for every question, answered or not."""
    answers = {a.question_id: a.text for a in application.answers.all()}
    return [
        (number, question, answers.get(question.pk, ""))
        for number, question in enumerate(application.call.questions.all(), start=1)
    ]


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request.user, pk)
    call = application.call
    if not application.is_draft:
        messages.info(
            request, "This application has been submitted, so it can no longer be changed."
        )
        return redirect(application)
    if not call.is_open:
        messages.error(request, actions.closed_message(call))
        return redirect(application)
    questions = list(call.questions.all())
    if request.method == "POST":
        form = ApplicationForm(request.POST, questions=questions, application=application)
    else:
        form = ApplicationForm(
            initial=ApplicationForm.initial_for(application),
            questions=questions,
            application=application,
        )
    saved_but_not_submitted = False
    if request.method == "POST" and form.is_valid():
        submitting = request.POST.get("action") == "submit"
        try:
            application = actions.save_application(
                application=application,
                data=form.data_for_action(),
                answers=form.answers_for_action(),
                by=request.user,
            )
            if submitting:
                actions.submit_application(application=application, by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
            saved_but_not_submitted = submitting
        else:
            if submitting:
                messages.success(
                    request,
                    "Your application has been submitted. We will email you when the panel "
                    "has made its decision.",
                )
                return redirect(application)
            if request.POST.get("action") == "files":
                return redirect("selection:application-files", pk=application.pk)
            messages.success(
                request,
                "Your application has been saved as a draft. You can come back to it until "
                f"{date_format(call.closes_on, 'j F Y')}.",
            )
            return redirect("selection:my-applications")
    return render(
        request,
        "selection/application_form.html",
        {
            "form": form,
            "application": application,
            "call": call,
            "attachments": application.attachments.all(),
            "saved_but_not_submitted": saved_but_not_submitted,
            "breadcrumbs": _my_applications_crumbs(),
        },
    )


@login_required
def application_files(request: HttpRequest, pk: int) -> HttpResponse:
    application = own_application(request.user, pk)
    can_change = application.is_draft and application.call.is_open
    form = AttachmentForm(request.POST or None, request.FILES or None) if can_change else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "This application can no longer be changed.")
            return redirect(application)
        if form.is_valid():
            try:
                attachment = actions.add_attachment(
                    application=application, upload=form.cleaned_data["file"], by=request.user
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, f"{attachment.name} has been attached.")
                return redirect("selection:application-files", pk=application.pk)
    attachments = list(application.attachments.all())
    return render(
        request,
        "selection/application_files.html",
        {
            "form": form,
            "application": application,
            "attachments": attachments,
            "can_change": can_change,
            "room_for_more": len(attachments) < MAX_ATTACHMENTS,
            "max_attachments": MAX_ATTACHMENTS,
            "breadcrumbs": _my_applications_crumbs(
                (str(application.call), reverse("selection:application-edit", args=[pk]))
                if can_change
                else (str(application.call), application.get_absolute_url())
            ),
        },
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    application = own_application(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=file_pk, application=application)
    try:
        actions.remove_attachment(attachment=attachment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{attachment.name} has been removed.")
    return redirect("selection:application-files", pk=application.pk)
