"""Which areas belong to a site, and which sites a person may see figures for.

A site's areas are its target areas (LSOAs, wards, districts), the LSOAs in them (2011 and
2021 vintages) and its ICBs. Site leads may upload data only for these areas; dashboards
compare the site's target LSOAs with the rest of its ICBs.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.places.models import LSOA, LSOAHealthMembership
from core20.places.models_targets import SiteTargetArea
from core20.programme.models import Site
from core20.programme.queries import visible_sites


def target_lsoas(site) -> set[str]:
    """LSOA codes (both vintages) in the site's target areas."""
    areas = list(SiteTargetArea.objects.filter(site=site).values_list("kind", "code"))
    if not areas:
        return set()
    by_kind: dict[str, set[str]] = {"lsoa": set(), "ward": set(), "lad": set()}
    for kind, code in areas:
        by_kind.setdefault(kind, set()).add(code)
    return (
        set(
            LSOA.objects.filter(
                Q(code__in=by_kind["lsoa"])
                | Q(ward__code__in=by_kind["ward"])
                | Q(lad__code__in=by_kind["lad"])
            ).values_list("code", flat=True)
        )
        | by_kind["lsoa"]
    )


def icb_codes(site) -> set[str]:
    codes = set()
    for code, ods in site.icbs.values_list("code", "ods_code"):
        codes.add(code)
        if ods:
            codes.add(ods)
    return codes


def icb_lsoas(site, on: date | None = None) -> set[str]:
    """LSOA codes in the site's ICBs (health geography memberships current on ``on``)."""
    on = on or date.today()
    return set(
        LSOAHealthMembership.objects.on(on)
        .filter(icb__in=site.icbs.all())
        .values_list("lsoa__code", flat=True)
    )


def site_area_codes(site) -> set[str]:
    """Every area code a site lead may upload data for."""
    codes = set(SiteTargetArea.objects.filter(site=site).values_list("code", flat=True))
    return codes | target_lsoas(site) | icb_codes(site) | icb_lsoas(site)


def analytics_sites(user):
    """Sites whose figures the user may see (ANALYTICS_VIEW), as a queryset."""
    where = sites_where(user, Permission.ANALYTICS_VIEW)
    sites = visible_sites(user)
    if where is None:
        return sites
    return sites.filter(pk__in=where)


def upload_sites(user):
    """Sites the user may upload data for; None means national data too (every site)."""
    where = sites_where(user, Permission.INDICATOR_DATA_UPLOAD)
    if where is None:
        return None
    return Site.objects.filter(pk__in=where)
