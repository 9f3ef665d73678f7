"""Moderation and decisions (national admins, CALL_MANAGE).

The moderation page shows, per submitted application, each panel member's scores, the
weighted totals and how far the panel agrees (core20.selection.moderation). A decision is
made in two steps, each showing the panel's scores for the application: choose it, then edit
the feedback letter (prefilled from a template) and confirm. Selected and associate
applications become sites."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.selection import actions
from core20.selection.forms import DecisionChoiceForm, DecisionForm
from core20.selection.models import Application
from core20.selection.moderation import application_figures, moderate
from core20.selection.views.common import add_action_errors, get_managed_call, manage_crumbs


@login_required
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    figures = moderate(call)
    return render(
        request,
        "selection/moderation.html",
        {
            "call": call,
            "figures": figures,
            "criteria": list(call.criteria.all()),
            "appointment_count": call.appointments.count(),
            "flagged_count": sum(1 for f in figures if f.flagged),
            "breadcrumbs": manage_crumbs(call),
        },
    )


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    application = get_object_or_404(
        Application.objects.exclude(status=Application.Status.DRAFT).select_related(
            "call__wave__programme", "applicant", "site"
        ),
        pk=pk,
    )
    call = application.call
    crumbs = manage_crumbs(
        call,
        ("Moderation", reverse("selection:moderation", args=[call.pk])),
        (str(application), reverse("selection:review", args=[application.pk])),
    )
    context = {"application": application, "call": call, "breadcrumbs": crumbs}
    if application.is_decided:
        return render(request, "selection/decision_made.html", context)

    chosen = (
        request.POST.get("decision") if request.method == "POST" else request.GET.get("decision")
    )
    choice_form = DecisionChoiceForm({"decision": chosen} if chosen is not None else None)
    if not choice_form.is_valid():
        # The decision is made with the panel's scores in view, on both steps.
        context["figures"] = application_figures(application)
        return render(request, "selection/decision_choose.html", {**context, "form": choice_form})

    decision_value = choice_form.cleaned_data["decision"]
    if request.method == "POST":
        form = DecisionForm(request.POST, decision=decision_value)
    else:
        form = DecisionForm(
            decision=decision_value,
            initial={
                "decision": decision_value,
                "letter": actions.default_letter(application, decision_value),
                "site_name": application.area_name,
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            application = actions.decide_application(
                application=application,
                decision=decision_value,
                letter=form.cleaned_data["letter"],
                site_name=form.cleaned_data.get("site_name", ""),
                link=request.build_absolute_uri(application.get_absolute_url()),
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            message = (
                f"The decision has been recorded and the letter emailed to {application.applicant}."
            )
            if application.site_id:
                message += f" {application.site.name} has been added as a site (not yet published)."
            messages.success(request, message)
            return redirect("selection:moderation", pk=call.pk)
    return render(
        request,
        "selection/decision_letter.html",
        {
            **context,
            "figures": application_figures(application),
            "form": form,
            "decision_label": Application.Status(decision_value).label,
            "change_url": reverse("selection:decision", args=[application.pk]),
        },
    )
