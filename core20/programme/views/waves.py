"""Waves: the list, one wave and its sites, and creating and editing them (national admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.programme import actions
from core20.programme.forms import WaveForm
from core20.programme.models import Programme, Site, Wave
from core20.programme.queries import visible_sites
from core20.programme.views.common import add_action_errors, form_data, programme_crumbs


def _waves_with_counts(user):
    sites = visible_sites(user)
    return Wave.objects.select_related("programme").annotate(
        site_count=Count("sites", filter=Q(sites__in=sites)),
        associate_count=Count(
            "sites", filter=Q(sites__in=sites, sites__status=Site.Status.ASSOCIATE)
        ),
    )


def wave_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programme/wave_list.html",
        {
            "waves": _waves_with_counts(request.user).order_by("programme__name", "number"),
            "can_manage": has_permission(request.user, Permission.PROGRAMME_MANAGE),
            "breadcrumbs": programme_crumbs(),
        },
    )


def wave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(_waves_with_counts(request.user), pk=pk)
    sites = (
        visible_sites(request.user).filter(wave=wave).prefetch_related("regions").order_by("name")
    )
    # The wave's calls for expressions of interest, as the calls page shows them to this
    # person: without them a wave still selecting its sites led nowhere.
    from core20.selection.views.common import visible_calls

    calls = visible_calls(request.user).filter(wave=wave).order_by("-opens_on", "title")
    return render(
        request,
        "programme/wave_detail.html",
        {
            "wave": wave,
            "sites": sites,
            "calls": calls,
            "can_manage": has_permission(request.user, Permission.PROGRAMME_MANAGE),
            "breadcrumbs": programme_crumbs(("Waves", reverse("programme:wave-list"))),
        },
    )


@login_required
def wave_create(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.PROGRAMME_MANAGE)
    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        raise Http404("The programme has not been set up: load the reference data first.")
    form = WaveForm(request.POST if request.method == "POST" else None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            wave = actions.create_wave(programme=programme, data=form_data(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{wave.name} has been added.")
            return redirect(wave)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add a wave",
            "submit_label": "Add wave",
            "cancel_url": reverse("programme:wave-list"),
            "breadcrumbs": programme_crumbs(("Waves", reverse("programme:wave-list"))),
        },
    )


@login_required
def wave_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_permission(request.user, Permission.PROGRAMME_MANAGE)
    wave = get_object_or_404(Wave.objects.select_related("programme"), pk=pk)
    title = f"Edit {wave.name}"
    form = WaveForm(
        request.POST if request.method == "POST" else None,
        instance=wave,
        programme=wave.programme,
    )
    if request.method == "POST" and form.is_valid():
        try:
            wave = actions.update_wave(wave=wave, data=form_data(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if form.has_changed():
                messages.success(request, f"Your changes to {wave.name} have been saved.")
            else:
                messages.info(request, "You did not change anything.")
            return redirect(wave)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": title,
            "submit_label": "Save changes",
            "cancel_url": reverse("programme:wave-detail", args=[pk]),
            "breadcrumbs": programme_crumbs(
                ("Waves", reverse("programme:wave-list")),
                (title.removeprefix("Edit "), reverse("programme:wave-detail", args=[pk])),
            ),
        },
    )
