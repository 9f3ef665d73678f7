"""Data pack pages, at /data-packs/.

The public sees published versions only (of sites it may see: visible_sites); anyone with
DATA_PACK_PUBLISH for the site (its site lead, national admins) also sees drafts, generates
new versions and publishes them; the index tells them at which sites drafts wait. A version
someone may not see is a 404, as is another site's pack. Generation runs in the background;
the pack's page polls its progress with htmx.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.datapacks import across, actions, opendata, rendering
from core20.datapacks.forms import GenerateForm
from core20.datapacks.home import waiting_by_site
from core20.datapacks.models import DataPack
from core20.datapacks.presentation import language, language_choices, sections_by_key
from core20.places.models_targets import SiteTargetArea
from core20.programme.models import Site
from core20.programme.queries import visible_sites
from core20.web import absolute


def _site(request: HttpRequest, slug: str) -> Site:
    return get_object_or_404(visible_sites(request.user), slug=slug)


def _can_publish(request: HttpRequest, site: Site) -> bool:
    return has_permission(request.user, Permission.DATA_PACK_PUBLISH, site=site)


def _pack(request: HttpRequest, site: Site, pk: int) -> DataPack:
    pack = get_object_or_404(DataPack.objects.select_related("site"), site=site, pk=pk)
    if not pack.is_published and not _can_publish(request, site):
        raise Http404("No such data pack")
    return pack


def _crumbs(site: Site | None = None, *extra) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("web:home")), ("Data packs", reverse("datapacks:index"))]
    if site is not None:
        crumbs.append((site.name, reverse("datapacks:site", args=[site.slug])))
    return [*crumbs, *extra]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    sites = list(visible_sites(request.user).order_by("name"))
    published = set(
        DataPack.objects.filter(site__in=sites, status=DataPack.Status.PUBLISHED).values_list(
            "site_id", flat=True
        )
    )
    # Drafts are counted only where this person may publish them (the home page's rule).
    waiting = waiting_by_site(request.user)
    return render(
        request,
        "datapacks/index.html",
        {
            "with_packs": [s for s in sites if s.pk in published],
            "waiting": [(s, waiting[s.pk]) for s in sites if s.pk in waiting],
            "breadcrumbs": _crumbs()[:1],
        },
    )


@require_GET
def site_packs(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    can_publish = _can_publish(request, site)
    packs = DataPack.objects.filter(site=site).order_by("area_code", "-version")
    if not can_publish:
        packs = packs.filter(status=DataPack.Status.PUBLISHED)
    packs = list(packs)
    return render(
        request,
        "datapacks/site.html",
        {
            "site": site,
            "latest": opendata.latest_published(site),
            "packs": packs,
            "can_publish": can_publish,
            "breadcrumbs": _crumbs()[:2],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def generate(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    require_permission(request.user, Permission.DATA_PACK_PUBLISH, site=site)
    # The contact printed in the site's latest pack, so that a new version keeps it unless
    # the lead changes it.
    latest = DataPack.objects.filter(site=site).order_by("-created_at", "-pk").first()
    form = GenerateForm(
        request.POST or None,
        site=site,
        initial={"contact": latest.contact} if latest is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            pack = actions.start_generation(
                site=site,
                by=request.user,
                area_code=form.cleaned_data["area"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("datapacks:pack", slug=site.slug, pk=pack.pk)
    no_target_areas = not SiteTargetArea.objects.filter(site=site).exists()
    return render(
        request,
        "datapacks/generate.html",
        {
            "form": form,
            "site": site,
            "no_target_areas": no_target_areas,
            "areas_url": _areas_url(request, site),
            "title": f"Generate a data pack for {site.name}",
            "intro": "Each generation makes a new version with today's figures. You can "
            "preview it before you publish it; earlier versions are kept.",
            "submit_label": "Generate data pack",
            "cancel_url": reverse("datapacks:site", args=[site.slug]),
            "breadcrumbs": _crumbs(site),
        },
        status=400 if form.errors else 200,
    )


def _areas_url(request: HttpRequest, site: Site) -> str:
    """The site's target areas page, for those who may choose them ("" for others)."""
    if has_permission(request.user, Permission.SITE_EDIT, site=site):
        return reverse("placesui:site-areas", args=[site.slug])
    return ""


def _pack_context(request: HttpRequest, site: Site, pack: DataPack) -> dict:
    lang = language(request.GET.get("lang"))
    return {
        "site": site,
        "pack": pack,
        "lang": lang,
        "languages": language_choices(),
        "can_publish": _can_publish(request, site),
        "breadcrumbs": _crumbs(site),
    }


@require_GET
def pack(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = _site(request, slug)
    item = _pack(request, site, pk)
    ctx = _pack_context(request, site, item)
    if item.status in (DataPack.Status.READY, DataPack.Status.PUBLISHED):
        ctx["body"] = rendering.render_body(item, ctx["lang"])
        ctx["dir"] = rendering.direction(ctx["lang"])
    if not item.is_published and ctx["can_publish"]:
        # Warn before publishing a version that cannot say who lives in the site's areas.
        ctx["without_target_areas"] = (
            sections_by_key(item.content).get("places", {}).get("reason") == "no-areas"
        )
        ctx["areas_url"] = _areas_url(request, site)
        if item.status == DataPack.Status.READY:
            # What publishing now would hide, or why it would be refused, given the site's
            # published packs (disclosure control across packs).
            ctx["across"] = across.check(item)
    return render(request, "datapacks/pack.html", ctx)


@require_GET
def pack_progress(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress fragment (htmx polls it until the pack is generated)."""
    site = _site(request, slug)
    item = _pack(request, site, pk)
    if not request.htmx:
        return pack(request, slug, pk)
    response = render(request, "datapacks/_progress.html", {"pack": item, "site": site})
    if item.finished:
        # Reload the whole page so the finished pack appears.
        response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = _site(request, slug)
    item = _pack(request, site, pk)
    try:
        item = actions.publish(pack=item, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        message = f"Version {item.version} is published. Everyone can see it now."
        for other in item.content.get("across_packs", []):
            count = other["hidden"]
            message += (
                f" {count} figure{'s were' if count != 1 else ' was'} hidden because "
                f"{'they' if count != 1 else 'it'} could be worked out from the “"
                f"{other['title']}” pack (version {other['version']})."
            )
        messages.success(request, message)
    return redirect("datapacks:pack", slug=site.slug, pk=item.pk)


def _finished(item: DataPack) -> None:
    if item.status not in (DataPack.Status.READY, DataPack.Status.PUBLISHED):
        raise Http404("This data pack has not been generated")


@require_GET
def easy_read(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = _site(request, slug)
    item = _pack(request, site, pk)
    _finished(item)
    ctx = _pack_context(request, site, item)
    ctx["body"] = rendering.render_body(item, ctx["lang"], "easy")
    ctx["dir"] = rendering.direction(ctx["lang"])
    ctx["breadcrumbs"] = [
        *ctx["breadcrumbs"],
        (f"Version {item.version}", reverse("datapacks:pack", args=[site.slug, item.pk])),
    ]
    return render(request, "datapacks/easy_read.html", ctx)


@require_GET
def pack_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    site = _site(request, slug)
    item = _pack(request, site, pk)
    _finished(item)
    lang = language(request.GET.get("lang"))
    variant = "easy" if request.GET.get("variant") == "easy" else "full"
    data = rendering.pdf_bytes(item, lang, variant, base_url=absolute.base_url(request))
    suffix = "-easy-read" if variant == "easy" else ""
    name = f"{site.slug}-data-pack-v{item.version}-{lang}{suffix}"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@require_GET
def open_data(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    packs = opendata.latest_published(site)
    data = opendata.rows(site, packs)
    return render(
        request,
        "datapacks/open_data.html",
        {
            "site": site,
            "packs": packs,
            "rows": data,
            "schema": opendata.SCHEMA,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "breadcrumbs": _crumbs(site),
        },
    )


@require_GET
def open_data_csv(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    response = HttpResponse(
        opendata.as_csv(opendata.rows(site)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{site.slug}-open-data.csv"'
    return response


@require_GET
def open_data_json(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    body = {
        "site": site.slug,
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "schema": [{"field": f, "type": t, "description": d} for f, t, d in opendata.SCHEMA],
        "rows": opendata.rows(site),
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{site.slug}-open-data.json"'
    return response
