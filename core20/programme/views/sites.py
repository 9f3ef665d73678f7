"""Sites: the list with its filters, one site, and creating and editing sites.

Every query starts from visible_sites(user), so an unpublished site is a 404 for anyone
who may not see it. National admins edit every field; a site lead edits their own site's
description with a smaller form (SiteLeadForm), so a crafted POST cannot change the rest.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.places.models import SiteTargetArea
from core20.programme import actions
from core20.programme.forms import (
    ErrorSummary,
    SiteFilterForm,
    SiteForm,
    SiteLeadForm,
    site_organisation_formset,
)
from core20.programme.models import ClinicalArea, SiteOrganisation
from core20.programme.queries import can_view_internal, visible_sites
from core20.programme.views.common import add_action_errors, form_data, programme_crumbs
from core20.web.site_links import community_links, team_links

PAGE_SIZE = 50
# The site list's filters other than "Name or place".
OTHER_FILTERS = ("wave", "region", "area", "community")


def site_list(request: HttpRequest) -> HttpResponse:
    form = SiteFilterForm(request.GET or None)
    sites = (
        visible_sites(request.user)
        .select_related("wave")
        .prefetch_related(
            "regions",
            Prefetch("focus_areas", ClinicalArea.objects.order_by("group", "position", "name")),
        )
        .order_by("wave__number", "name")
    )
    filtered = other_filters = False
    if form.is_bound and form.is_valid():
        sites = form.filter(sites)
        filtered = any(value for value in form.cleaned_data.values())
        other_filters = any(form.cleaned_data.get(f) for f in OTHER_FILTERS)
    page = Paginator(sites, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    suggestions = []
    if form.text and not page.object_list:
        suggestions = [
            (name, _with_text(query, name))
            for name in form.suggestions(visible_sites(request.user))
        ]
    return render(
        request,
        "programme/site_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(site, _places_covered(site, form)) for site in page.object_list],
            "query": query.urlencode(),
            "filtered": filtered,
            "text": form.text,
            "other_filters": other_filters,
            "suggestions": suggestions,
            "postcode": form.postcode,
            # With only a place searched for, no result means no site covers the place.
            "place_only": filtered and not other_filters,
            "can_create": has_permission(request.user, Permission.SITE_CREATE),
            "breadcrumbs": programme_crumbs(),
        },
    )


# The places a site in the list says it covers, before "and N more places".
PLACES_SHOWN = 3


def _places_covered(site, form: SiteFilterForm) -> str:
    """The places searched for that the site covers, for people: "Wellington ward,
    Somerset", or "SR1 1AA, in NHS North East and North Cumbria Integrated Care Board"
    for a postcode; "" for a site found by its name or region alone."""
    places = form.places.get(site.pk, [])
    if len(places) > PLACES_SHOWN:
        more = len(places) - PLACES_SHOWN
        places = [*places[:PLACES_SHOWN], f"{more} more place{'s' if more > 1 else ''}"]
    if len(places) > 1:
        return f"{'; '.join(places[:-1])} and {places[-1]}"
    return "".join(places)


def _with_text(query, text: str) -> str:
    """The list's address with ``text`` searched for instead, keeping the other filters."""
    query = query.copy()
    query["q"] = text
    return f"{reverse('programme:site-list')}?{query.urlencode()}"


def site_detail(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(
        visible_sites(request.user)
        .select_related("wave__programme")
        # The places page has figures only once the site has chosen its target areas.
        .annotate(has_target_areas=Exists(SiteTargetArea.objects.filter(site=OuterRef("pk"))))
        .prefetch_related(
            "regions",
            "icbs",
            "communities__parent",
            Prefetch("focus_areas", ClinicalArea.objects.order_by("group", "position", "name")),
            Prefetch(
                "site_organisations",
                SiteOrganisation.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            ),
        ),
        slug=slug,
    )
    focus_areas = list(site.focus_areas.all())
    return render(
        request,
        "programme/site_detail.html",
        {
            "site": site,
            "national_areas": [a for a in focus_areas if a.group != ClinicalArea.Group.LOCAL],
            "local_priorities": [a for a in focus_areas if a.group == ClinicalArea.Group.LOCAL],
            "show_internal": can_view_internal(request.user, site),
            "community_links": community_links(site, timezone.localdate()),
            "has_target_areas": site.has_target_areas,
            "team_links": team_links(request.user, site),
            "can_edit": has_permission(request.user, Permission.SITE_EDIT, site=site),
            "breadcrumbs": programme_crumbs(("Sites", reverse("programme:site-list"))),
        },
    )


def _render_form(request, form, formset, *, title, submit_label, cancel_url, breadcrumbs, intro=""):
    return render(
        request,
        "programme/site_form.html",
        {
            "form": form,
            "formset": formset,
            "error_summary": ErrorSummary(form, formset),
            "title": title,
            "intro": intro,
            "submit_label": submit_label,
            "cancel_url": cancel_url,
            "breadcrumbs": breadcrumbs,
        },
    )


@login_required
def site_create(request: HttpRequest) -> HttpResponse:
    require_permission(request.user, Permission.SITE_CREATE)
    data = request.POST if request.method == "POST" else None
    form = SiteForm(data)
    formset = site_organisation_formset(data)
    if request.method == "POST":
        valid = form.is_valid()
        valid = formset.is_valid() and valid
        if valid:
            try:
                site = actions.create_site(
                    data={**form_data(form), "organisations": formset.links()}, by=request.user
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, f"{site.name} has been added.")
                return redirect(site)
    return _render_form(
        request,
        form,
        formset,
        title="Add a site",
        submit_label="Add site",
        cancel_url=reverse("programme:site-list"),
        breadcrumbs=programme_crumbs(("Sites", reverse("programme:site-list"))),
    )


@login_required
def site_edit(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_object_or_404(visible_sites(request.user).select_related("wave"), slug=slug)
    require_permission(request.user, Permission.SITE_EDIT, site=site)
    title, url = f"Edit {site.name}", site.get_absolute_url()
    data = request.POST if request.method == "POST" else None
    if actions.may_edit_everything(request.user):
        form = SiteForm(data, instance=site)
        formset = site_organisation_formset(data, site=site)
        intro = ""
    else:
        # Site leads describe their site's work; the national team sets the rest.
        form = SiteLeadForm(data, instance=site)
        formset = None
        intro = (
            "You can change how your site describes its work. To change its name, wave or "
            "status, contact the national programme team."
        )
    if request.method == "POST":
        valid = form.is_valid()
        if formset is not None:
            valid = formset.is_valid() and valid
        if valid:
            changes = form_data(form)
            if formset is not None:
                changes["organisations"] = formset.links()
            try:
                site = actions.update_site(site=site, data=changes, by=request.user)
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, f"Your changes to {site.name} have been saved.")
                return redirect(site)
    return _render_form(
        request,
        form,
        formset,
        title=title,
        intro=intro,
        submit_label="Save changes",
        cancel_url=url,
        breadcrumbs=programme_crumbs(
            ("Sites", reverse("programme:site-list")), (title.removeprefix("Edit "), url)
        ),
    )
