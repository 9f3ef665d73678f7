"""A site's places: its deprivation profile (public wherever the site is visible) and, for
people who may edit the site, choosing its target areas and its edition of the IoD.

Every page starts from visible_sites(user), so an unpublished site is a 404 for anyone who
may not see it. Changing target areas needs SITE_EDIT for the site (national admins; the
site's own lead); everyone else gets 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.places import target_areas
from core20.places.charts import decile_chart
from core20.places.models import Edition
from core20.places.models_targets import SiteTargetArea
from core20.programme.models import Site
from core20.programme.queries import visible_sites


class AreaSearchForm(forms.Form):
    q = forms.CharField(
        label="Search for a ward, district or LSOA",
        help_text="Type at least 2 letters of its name, or the start of its code",
        max_length=100,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class PasteForm(forms.Form):
    codes = forms.CharField(
        label="Paste a list of codes",
        help_text="One per line: LSOA codes (E01…), ward codes (E05…) or local authority "
        f"district codes (E06… to E09…), up to {target_areas.MAX_PASTE:,} at a time. If any "
        "code is wrong, none are added",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        error_messages={"required": "Enter at least one code"},
    )


class EditionForm(forms.Form):
    edition = forms.ChoiceField(
        label="Deprivation figures for this site use",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an edition", "invalid_choice": "Choose an edition"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = target_areas.edition_choices()


def _site(request: HttpRequest, slug: str) -> Site:
    return get_object_or_404(visible_sites(request.user).select_related("wave"), slug=slug)


def _crumbs(site: Site) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("web:home")),
        ("Programme", reverse("programme:overview")),
        ("Sites", reverse("programme:site-list")),
        (site.name, site.get_absolute_url()),
    ]


def site_places(request: HttpRequest, slug: str) -> HttpResponse:
    """The site's target areas and their deprivation (public for published sites)."""
    site = _site(request, slug)
    profile = target_areas.site_profile(site)
    chart = None
    if profile.figures is not None and profile.figures.deciles:
        edition = profile.edition.short_name
        table = profile.decile_table
        biggest = max(table, key=lambda r: r["share"] or 0)
        chart = decile_chart(
            table,
            chart_id="site-deciles",
            title=f"People in {site.name}'s target areas by {edition} decile",
            description=(
                f"Bar chart. {profile.summary} The largest share, "
                f"{round((biggest['share'] or 0) * 100)}%, is in decile {biggest['decile']}. "
                "The table below gives every value."
            ),
            edition_name=edition,
        )
    return render(
        request,
        "placesui/site_places.html",
        {
            "site": site,
            "profile": profile,
            "chart": chart,
            "decile_rows": profile.decile_table,
            "core20_text": target_areas.aggregation.share_text(
                profile.figures.core20_share if profile.figures else None
            ),
            "can_edit": has_permission(request.user, Permission.SITE_EDIT, site=site),
            "breadcrumbs": _crumbs(site),
        },
    )


def _areas_page(request, site, *, paste_form=None, edition_form=None, status=200):
    search_form = AreaSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    found = target_areas.search_areas(query)
    chosen = set(SiteTargetArea.objects.filter(site=site).values_list("code", flat=True))
    context = {
        "site": site,
        "search_form": search_form,
        "query": query,
        "results": found.results,
        "more": found.more,
        "too_short": found.too_short,
        "min_search": target_areas.MIN_SEARCH,
        "chosen": chosen,
    }
    if request.htmx and request.method == "GET":
        return render(request, "placesui/_area_search_results.html", context)
    profile_edition = target_areas.deprivation_edition_for(site)
    areas = list(SiteTargetArea.objects.filter(site=site).order_by("kind", "name", "code"))
    return render(
        request,
        "placesui/site_areas.html",
        {
            **context,
            "areas": areas,
            "paste_form": paste_form or PasteForm(),
            "edition_form": edition_form or EditionForm(initial={"edition": profile_edition.code}),
            "edition": profile_edition,
            "breadcrumbs": [
                *_crumbs(site),
                ("Places", reverse("placesui:site-places", args=[site.slug])),
            ],
        },
        status=status,
    )


@login_required
def site_areas(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose target areas: search (htmx fragment, or the whole page without script), the
    list of chosen areas, and the paste box."""
    site = _site(request, slug)
    require_permission(request.user, Permission.SITE_EDIT, site=site)
    return _areas_page(request, site)


def _back(site: Site, query: str = "") -> str:
    url = reverse("placesui:site-areas", args=[site.slug])
    return f"{url}?{urlencode({'q': query})}" if query else url


TIMES = {2: "twice", 3: "three times"}


def repeats_sentence(repeats: dict[str, int], *, shown: int = 5) -> str:
    """ "E01028001 was given twice; it is listed once." for codes pasted more than once
    ("" if none was)."""
    if not repeats:
        return ""
    if len(repeats) == 1:
        code, times = next(iter(repeats.items()))
        return f"{code} was given {TIMES.get(times, f'{times} times')}; it is listed once."
    codes = list(repeats)
    named = codes[:shown] + ([f"{len(codes) - shown:,} more"] if len(codes) > shown else [])
    listed = ", ".join(named[:-1]) + f" and {named[-1]}"
    return f"{len(codes):,} codes were given more than once ({listed}); each is listed once."


def paste_message(result: target_areas.AddResult, *, shown: int = 5) -> str:
    """What a paste did, naming the areas added (the first few), counting those that
    were already chosen and naming the codes given more than once."""
    added = len(result.added)
    already = result.already
    repeats = repeats_sentence(result.repeats)
    if not added:
        if already == 1:
            text = "Nothing was added: that area was already chosen."
        else:
            text = f"Nothing was added: all {already:,} areas were already chosen."
        return f"{text} {repeats}".strip()
    names = [f"{a.name} ({a.code})" for a in result.added[:shown]]
    if added > shown:
        names.append(f"{added - shown:,} more")
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    verb = "is" if added == 1 else "are"
    text = (
        f"{added:,} target area{'s' if added != 1 else ''} added. "
        f"{listed} {verb} now among the chosen areas."
    )
    if already:
        text += f" {already:,} {'was' if already == 1 else 'were'} already chosen."
    return f"{text} {repeats}".strip()


@login_required
@require_POST
def site_areas_paste(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    require_permission(request.user, Permission.SITE_EDIT, site=site)
    form = PasteForm(request.POST)
    if form.is_valid():
        try:
            result = target_areas.add_pasted(site, form.cleaned_data["codes"], by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("codes", message)
        else:
            if result.added:
                messages.success(request, paste_message(result))
            else:
                messages.info(request, paste_message(result))
            return redirect(_back(site))
    return _areas_page(request, site, paste_form=form)


@login_required
@require_POST
def site_areas_add(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    require_permission(request.user, Permission.SITE_EDIT, site=site)
    query = request.POST.get("q", "")[:100]
    try:
        result = target_areas.add_one(site, request.POST.get("code", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result.added:
            messages.success(request, f"{result.added[0]} added to the target areas.")
        else:
            messages.info(request, "That area was already chosen.")
    return redirect(_back(site, query))


@login_required
@require_POST
def site_areas_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = _site(request, slug)
    require_permission(request.user, Permission.SITE_EDIT, site=site)
    try:
        area = target_areas.remove(site, pk, by=request.user)
    except SiteTargetArea.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, f"{area} removed from the target areas.")
    return redirect(_back(site))


@login_required
@require_POST
def site_edition(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    require_permission(request.user, Permission.SITE_EDIT, site=site)
    form = EditionForm(request.POST)
    if not form.is_valid():
        return _areas_page(request, site, edition_form=form)
    edition = Edition.objects.by_code(form.cleaned_data["edition"])
    target_areas.set_edition(site, edition, by=request.user)
    messages.success(request, f"The site's deprivation figures now use {edition.short_name}.")
    return redirect(_back(site))
