"""The selection panel.

National admins (CALL_MANAGE) appoint and remove a call's panel members. Panel members
(APPLICATION_SCORE, appointed to the call) see the submitted applications, declare any
conflict of interest for each, and score those they have no conflict with. Scores are
independent: a member sees the others' scores for an application only once they have
submitted their own. Once they have, they are taken on to the next application in the call
they have still to score, or back to their list when none is left; the message saying so
links back to the application just scored, where the others' scores now are.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core20.accounts.authorization import require_permission
from core20.accounts.permissions import Permission
from core20.places.icbs import marked_icbs
from core20.selection import actions, home
from core20.selection.forms import AppointForm, ConflictForm, ReviewForm
from core20.selection.models import (
    Answer,
    Application,
    ConflictDeclaration,
    PanelAppointment,
    Review,
)
from core20.selection.moderation import application_figures
from core20.selection.views.common import (
    add_action_errors,
    can_manage,
    get_managed_call,
    manage_crumbs,
)

# ---- appointing the panel (national admins) ----


@login_required
def panel_manage(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    appointments = call.appointments.select_related("user").annotate(
        reviewed=Count("reviews", distinct=True),
        conflicts=Count("declarations", filter=Q(declarations__has_conflict=True), distinct=True),
    )
    return render(
        request,
        "selection/panel_manage.html",
        {"call": call, "appointments": appointments, "breadcrumbs": manage_crumbs(call)},
    )


@login_required
def panel_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    form = AppointForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["user"]
        try:
            actions.appoint_panel_member(
                call=call,
                user=user,
                member_type=form.cleaned_data["member_type"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{user} has been appointed to the panel.")
            return redirect("selection:panel-manage", pk=call.pk)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Appoint a panel member",
            "intro": (
                "Panels include members of VCSE organisations and people with lived experience "
                "of healthcare inequalities, as well as NHS colleagues."
            ),
            "submit_label": "Appoint panel member",
            "cancel_url": reverse("selection:panel-manage", args=[call.pk]),
            "breadcrumbs": manage_crumbs(
                call, ("Panel", reverse("selection:panel-manage", args=[call.pk]))
            ),
        },
    )


@login_required
@require_POST
def panel_remove(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    require_permission(request.user, Permission.CALL_MANAGE)
    call = get_managed_call(pk)
    appointment = get_object_or_404(
        PanelAppointment.objects.select_related("user"), pk=appointment_pk, call=call
    )
    try:
        actions.remove_panel_member(appointment=appointment, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{appointment.user} has been removed from the panel.")
    return redirect("selection:panel-manage", pk=call.pk)


# ---- the panel member's pages ----


def _panel_crumbs(*more):
    return [("Home", reverse("web:home")), ("Your panels", reverse("selection:panel-home")), *more]


@login_required
def panel_home(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.APPLICATION_SCORE)
    appointments = list(
        PanelAppointment.objects.filter(user=request.user)
        .select_related("call__wave")
        .annotate(
            reviewed=Count("reviews", distinct=True),
            in_review=Count(
                "call__applications",
                filter=Q(call__applications__status__in=Application.IN_REVIEW),
                distinct=True,
            ),
        )
        .order_by("-call__opens_on")
    )
    # The same rule as the home page's "applications to score", so the two agree.
    to_score = home.to_score_by_call(request.user)
    for appointment in appointments:
        appointment.to_score = to_score.get(appointment.call_id, 0)
    return render(
        request,
        "selection/panel_home.html",
        {"appointments": appointments, "breadcrumbs": [("Home", reverse("web:home"))]},
    )


def _require_appointment(user, call) -> PanelAppointment:
    require_permission(user, Permission.APPLICATION_SCORE)
    appointment = actions.appointment_for(user, call)
    if appointment is None:
        raise PermissionDenied
    return appointment


@login_required
def panel_call(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.APPLICATION_SCORE)
    call = get_managed_call(pk)
    appointment = _require_appointment(request.user, call)
    applications = (
        call.applications.exclude(status=Application.Status.DRAFT)
        .prefetch_related(
            Prefetch(
                "declarations",
                ConflictDeclaration.objects.filter(appointment=appointment),
                to_attr="my_declarations",
            ),
            Prefetch(
                "reviews", Review.objects.filter(appointment=appointment), to_attr="my_reviews"
            ),
        )
        .order_by("submitted_at", "pk")
    )
    rows = []
    for application in applications:
        declaration = application.my_declarations[0] if application.my_declarations else None
        review = application.my_reviews[0] if application.my_reviews else None
        if review is not None:
            state, colour = "Scored", "green"
        elif declaration is not None and declaration.has_conflict:
            state, colour = "Conflict of interest", "grey"
        elif application.is_decided:
            state, colour = "Decided", "grey"
        elif declaration is not None:
            state, colour = "To score", "blue"
        else:
            state, colour = "Not started", "white"
        rows.append((application, state, colour))
    return render(
        request,
        "selection/panel_call.html",
        {
            "call": call,
            "appointment": appointment,
            "rows": rows,
            "breadcrumbs": _panel_crumbs(),
        },
    )


def _application_for_panel(pk: int) -> Application:
    return get_object_or_404(
        reviewed_applications_base().select_related("call__wave__programme", "applicant"), pk=pk
    )


def reviewed_applications_base():
    return Application.objects.exclude(status=Application.Status.DRAFT).prefetch_related(
        "regions",
        Prefetch("icbs", marked_icbs()),  # marks an ICB no longer in use
        "focus_areas",
        "communities",
        "attachments",
        Prefetch("answers", Answer.objects.select_related("question")),
    )


def _answers_in_order(application):
    answers = {a.question_id: a.text for a in application.answers.all()}
    return [
        (number, question, answers.get(question.pk, ""))
        for number, question in enumerate(application.call.questions.all(), start=1)
    ]


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """One submitted application: its content, and for a panel member their declaration and
    scores (and the others' once theirs are in); for a national admin, every member's."""
    application = _application_for_panel(pk)
    call = application.call
    appointment = actions.appointment_for(request.user, call)
    manager = can_manage(request.user)
    if appointment is None and not manager:
        raise PermissionDenied
    declaration = my_review = None
    form = None
    if appointment is not None:
        declaration = ConflictDeclaration.objects.filter(
            appointment=appointment, application=application
        ).first()
        my_review = (
            Review.objects.filter(appointment=appointment, application=application)
            .prefetch_related("scores__criterion")
            .first()
        )
        may_declare = (
            my_review is None
            and application.status in Application.IN_REVIEW
            and call.is_scoring_open
        )
        if may_declare:
            initial = {}
            if declaration is not None:
                initial = {
                    "has_conflict": "yes" if declaration.has_conflict else "no",
                    "details": declaration.details,
                }
            form = ConflictForm(request.POST or None, initial=initial)
        if request.method == "POST":
            if form is None:
                if not call.is_scoring_open and application.status in Application.IN_REVIEW:
                    messages.error(request, actions.scoring_not_open_message(call))
                else:
                    messages.error(request, "You can no longer change your declaration.")
                return redirect("selection:review", pk=application.pk)
            if form.is_valid():
                try:
                    declaration = actions.declare_conflict(
                        application=application,
                        has_conflict=form.cleaned_data["has_conflict"],
                        details=form.cleaned_data["details"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    add_action_errors(form, exc)
                else:
                    if declaration.has_conflict:
                        messages.success(
                            request,
                            "Your conflict of interest has been recorded. You will not score "
                            "this application.",
                        )
                        return redirect("selection:review", pk=application.pk)
                    return redirect("selection:review-score", pk=application.pk)
    elif request.method == "POST":
        raise PermissionDenied
    # Everyone's scores: national admins always; a panel member once theirs are submitted.
    figures = None
    if manager or my_review is not None:
        figures = application_figures(application)
    return render(
        request,
        "selection/review.html",
        {
            "application": application,
            "call": call,
            "answers": _answers_in_order(application),
            "appointment": appointment,
            "declaration": declaration,
            "my_review": my_review,
            "form": form,
            "figures": figures,
            "criteria": call.criteria.all(),
            "manager": manager,
            "in_review": application.status in Application.IN_REVIEW,
            "breadcrumbs": (
                _panel_crumbs((call.title, reverse("selection:panel-call", args=[call.pk])))
                if appointment is not None
                else manage_crumbs(
                    call, ("Moderation", reverse("selection:moderation", args=[call.pk]))
                )
            ),
        },
    )


def _next_to_score(user, application: Application) -> Application | None:
    """The application in the same call the member should score next: the first after this
    one in their list's order (panel_call) that they have neither scored nor declared a
    conflict with, going back to the top of the list when none comes after it."""
    in_order = (
        Application.objects.filter(call=application.call_id)
        .exclude(status=Application.Status.DRAFT)
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)
    )
    remaining = {
        a.pk: a
        for a in home.applications_to_score(user)
        .filter(call=application.call_id)
        .exclude(pk=application.pk)
    }
    pks = list(in_order)
    here = pks.index(application.pk)
    for pk in pks[here + 1 :] + pks[:here]:
        if pk in remaining:
            return remaining[pk]
    return None


@login_required
def review_score(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for_panel(pk)
    call = application.call
    appointment = _require_appointment(request.user, call)
    declaration = ConflictDeclaration.objects.filter(
        appointment=appointment, application=application
    ).first()
    if declaration is not None and declaration.has_conflict:
        raise PermissionDenied
    if (
        declaration is None
        or not call.is_scoring_open
        or application.status not in Application.IN_REVIEW
        or Review.objects.filter(appointment=appointment, application=application).exists()
    ):
        return redirect("selection:review", pk=application.pk)
    criteria = list(call.criteria.all())
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_review(
                application=application,
                scores=form.scores(),
                score_comments=form.score_comments(),
                comments=form.cleaned_data["comments"],
                by=request.user,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            # On to the next application to score (or back to the list when none is left),
            # with a link back to the one just scored, which now shows the others' scores.
            scores = format_html(
                '<a class="nhsuk-notification-banner__link" href="{}">See the other members\' '
                "scores for {}</a>",
                reverse("selection:review", args=[application.pk]),
                application,
            )
            done = format_html("Your scores for {} have been submitted. {}.", application, scores)
            following = _next_to_score(request.user, application)
            if following is None:
                messages.success(
                    request,
                    format_html("{} You have no more applications to score in this call.", done),
                )
                return redirect("selection:panel-call", pk=call.pk)
            messages.success(
                request, format_html("{} This is the next application for you to score.", done)
            )
            return redirect("selection:review", pk=following.pk)
    return render(
        request,
        "selection/review_score.html",
        {
            "form": form,
            "application": application,
            "call": call,
            "breadcrumbs": _panel_crumbs(
                (call.title, reverse("selection:panel-call", args=[call.pk])),
                (str(application), reverse("selection:review", args=[application.pk])),
            ),
        },
    )
