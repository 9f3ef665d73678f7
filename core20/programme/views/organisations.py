"""Organisations: the list, one organisation and its roles at sites, and creating and
editing them (national admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.programme import actions
from core20.programme.forms import OrganisationForm
from core20.programme.models import Organisation, SiteOrganisation
from core20.programme.queries import visible_sites
from core20.programme.views.common import add_action_errors, form_data, programme_crumbs

PAGE_SIZE = 50


def organisation_list(request: HttpRequest) -> HttpResponse:
    sites = visible_sites(request.user)
    organisations = Organisation.objects.annotate(
        site_count=Count("site_roles__site", filter=Q(site_roles__site__in=sites), distinct=True)
    ).order_by("name")
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/organisation_list.html",
        {
            "page": page,
            "can_manage": has_permission(request.user, Permission.ORGANISATION_MANAGE),
            "breadcrumbs": programme_crumbs(),
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    roles = (
        SiteOrganisation.objects.filter(
            organisation=organisation, site__in=visible_sites(request.user)
        )
        .select_related("site__wave")
        .order_by("site__wave__number", "site__name", "role")
    )
    return render(
        request,
        "programme/organisation_detail.html",
        {
            "organisation": organisation,
            "roles": roles,
            "can_manage": has_permission(request.user, Permission.ORGANISATION_MANAGE),
            # A contact address is for the national team, not the public.
            "show_contact": has_permission(request.user, Permission.SITE_VIEW_INTERNAL),
            "breadcrumbs": programme_crumbs(
                ("Organisations", reverse("programme:organisation-list"))
            ),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.ORGANISATION_MANAGE)
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.create_organisation(data=form_data(form), by=request.user)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"{organisation.name} has been added.")
            return redirect(organisation)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add an organisation",
            "submit_label": "Add organisation",
            "cancel_url": reverse("programme:organisation-list"),
            "breadcrumbs": programme_crumbs(
                ("Organisations", reverse("programme:organisation-list"))
            ),
        },
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require_permission(request.user, Permission.ORGANISATION_MANAGE)
    organisation = get_object_or_404(Organisation, slug=slug)
    title, url = f"Edit {organisation.name}", organisation.get_absolute_url()
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.update_organisation(
                organisation=organisation, data=form_data(form), by=request.user
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            if form.has_changed():
                messages.success(request, f"Your changes to {organisation.name} have been saved.")
            else:
                messages.info(request, "You did not change anything.")
            return redirect(organisation)
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": title,
            "submit_label": "Save changes",
            "cancel_url": url,
            "breadcrumbs": programme_crumbs(
                ("Organisations", reverse("programme:organisation-list")),
                (title.removeprefix("Edit "), url),
            ),
        },
    )
