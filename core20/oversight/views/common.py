"""Helpers shared by the oversight pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.programme.queries import visible_sites
from core20.programme.views.common import add_action_errors  # noqa: F401 (re-exported)


def oversight_crumbs(user, *more: tuple[str, str]) -> list[tuple[str, str]]:
    """Home, then the oversight page for national staff, then ``more``."""
    crumbs = [("Home", reverse("web:home"))]
    if has_permission(user, Permission.OVERSIGHT_VIEW):
        crumbs.append(("National oversight", reverse("oversight:dashboard")))
    return [*crumbs, *more]


def site_crumbs(user, site, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return oversight_crumbs(user, (site.name, site.get_absolute_url()), *more)


def site_for(request, slug: str, permission: Permission = Permission.SITE_VIEW_INTERNAL):
    """The site, if the user may see it (404 otherwise) and holds ``permission`` for it
    (403 otherwise)."""
    site = get_object_or_404(visible_sites(request.user).select_related("wave"), slug=slug)
    if not has_permission(request.user, permission, site=site):
        raise PermissionDenied
    return site


def may_see_site_internals(user, site) -> bool:
    """Funding and returns: the site's own team and national staff."""
    return has_permission(user, Permission.SITE_VIEW_INTERNAL, site=site)


def own_site_returns(user) -> HttpResponseRedirect:
    """Where the national pages (oversight, every site's returns) send someone without
    OVERSIGHT_VIEW: a site's own team, at just one site, to that site's returns. Anyone
    else is refused."""
    from core20.web.dashboard import one_site_slug

    slug = one_site_slug(user, sites_where(user, Permission.SITE_VIEW_INTERNAL))
    if slug is None:
        raise PermissionDenied
    return redirect("oversight:site-returns", slug=slug)
