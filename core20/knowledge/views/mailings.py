"""Notices to the stakeholder mailing list (national admins, MAILING_LIST_SEND): write one,
check it, send it to every confirmed subscriber as a background task, and see what was sent
and to how many."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.knowledge import actions
from core20.knowledge.forms import MailingForm
from core20.knowledge.models import Mailing, Subscriber, Suppression
from core20.knowledge.views.resources import hub_crumbs
from core20.programme.views.common import add_action_errors


def _crumbs(*more):
    return hub_crumbs(("Mailing list notices", reverse("knowledge:mailing-list")), *more)


def _counts() -> dict:
    counts = Subscriber.objects.aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        pending=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )
    counts["recipients"] = actions.recipients().count()
    counts["unsubscribed"] = Suppression.objects.count()
    return counts


@login_required
def mailing_list(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.MAILING_LIST_SEND)
    return render(
        request,
        "knowledge/mailing_list.html",
        {
            "mailings": Mailing.objects.select_related("created_by", "queued_by"),
            "counts": _counts(),
            "breadcrumbs": hub_crumbs(),
        },
    )


@login_required
def mailing_create(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.MAILING_LIST_SEND)
    form = MailingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mailing = actions.create_mailing(data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect(mailing)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Write a notice to the mailing list",
            "intro": "You can check it before it is sent.",
            "submit_label": "Continue",
            "cancel_url": reverse("knowledge:mailing-list"),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def mailing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.MAILING_LIST_SEND)
    mailing = get_object_or_404(Mailing, pk=pk)
    if mailing.status != Mailing.Status.DRAFT:
        messages.info(request, "This notice has been sent, so it cannot be changed.")
        return redirect(mailing)
    form = MailingForm(request.POST if request.method == "POST" else None, instance=mailing)
    if request.method == "POST" and form.is_valid():
        try:
            mailing = actions.update_mailing(
                mailing=mailing, data=form.cleaned_data, by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            return redirect(mailing)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Change the notice",
            "submit_label": "Continue",
            "cancel_url": mailing.get_absolute_url(),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def mailing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.MAILING_LIST_SEND)
    mailing = get_object_or_404(Mailing.objects.select_related("created_by", "queued_by"), pk=pk)
    return render(
        request,
        "knowledge/mailing_detail.html",
        {"mailing": mailing, "counts": _counts(), "breadcrumbs": _crumbs()},
    )


@login_required
@require_POST
def mailing_send(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.MAILING_LIST_SEND)
    mailing = get_object_or_404(Mailing, pk=pk)
    try:
        actions.queue_mailing(
            mailing=mailing,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            "The notice is being sent to every confirmed subscriber. This page shows how many "
            "it reached when it has finished.",
        )
    return redirect(mailing)
