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


def targets_by_site(sites) -> dict[int, set[str]]:
    """For many sites at once (two queries): each site's target-area codes and the LSOAs in
    them, as ``target_lsoas(site) | its target-area codes`` gives for one."""
    out: dict[int, set[str]] = {site.pk: set() for site in sites}
    areas = list(
        SiteTargetArea.objects.filter(site__in=list(out)).values_list("site_id", "kind", "code")
    )
    wards = {code for _, kind, code in areas if kind == "ward"}
    lads = {code for _, kind, code in areas if kind == "lad"}
    in_area: dict[tuple[str, str], set[str]] = {}
    if wards or lads:
        lsoas = LSOA.objects.filter(Q(ward__code__in=wards) | Q(lad__code__in=lads))
        for code, ward, lad in lsoas.values_list("code", "ward__code", "lad__code"):
            in_area.setdefault(("ward", ward), set()).add(code)
            in_area.setdefault(("lad", lad), set()).add(code)
    for site_id, kind, code in areas:
        out[site_id].add(code)
        out[site_id] |= in_area.get((kind, code), set())
    return out


def icb_areas_by_site(sites, on: date | None = None) -> dict[int, tuple[set[str], set[str]]]:
    """For many sites at once (two queries): (the codes of each site's ICBs, the LSOAs in
    them on ``on``), as ``icb_codes`` and ``icb_lsoas`` give for one."""
    on = on or date.today()
    out: dict[int, tuple[set[str], set[str]]] = {site.pk: (set(), set()) for site in sites}
    links = Site.icbs.through.objects.filter(site_id__in=list(out)).values_list(
        "site_id", "icb_id", "icb__code", "icb__ods_code"
    )
    sites_of: dict[int, list[int]] = {}
    for site_id, icb_id, code, ods in links:
        out[site_id][0].update(c for c in (code, ods) if c)
        sites_of.setdefault(icb_id, []).append(site_id)
    members = LSOAHealthMembership.objects.on(on).filter(icb_id__in=list(sites_of))
    for icb_id, lsoa in members.values_list("icb_id", "lsoa__code"):
        for site_id in sites_of[icb_id]:
            out[site_id][1].add(lsoa)
    return out


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
