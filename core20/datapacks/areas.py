"""The areas a site can have a data pack for, besides all its target areas.

A site chooses its target areas as wards, LSOAs or local authority districts
(``core20.places.models_targets``). A pack can be made for:

- each **target ward**, the whole ward (``kind="ward"``, as packs always were);
- the target areas **in one ward** (``kind="in_ward"``): a site whose target areas are
  LSOAs gets one choice per ward its LSOAs are in (the LSOA's best-fit ward of the
  deprivation edition's vintage), covering only its own LSOAs there;
- the target areas **in one local authority district** (``kind="in_lad"``), where they lie
  in more than one.

A grouping that would cover exactly the same LSOAs as all the site's target areas, or as a
choice before it, is not offered (it would be the same pack again), nor a ward grouping for
a ward that is itself a target ward (its pack covers the whole ward). The LSOAs come from
``core20.places.target_areas.membership``, as the site's own profile's do.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from core20.places.models import LSOA, deprivation_edition_for
from core20.places.models_targets import SiteTargetArea
from core20.places.target_areas import membership

WARD, IN_WARD, IN_LAD = "ward", "in_ward", "in_lad"


@dataclass(frozen=True)
class PackArea:
    kind: str  # WARD, IN_WARD or IN_LAD
    code: str  # the ward's or district's ONS code
    name: str  # the ward's or district's name
    lsoas: frozenset[str]  # the LSOAs covered, of the site's deprivation edition's vintage
    targets: tuple[SiteTargetArea, ...]  # the site's target areas in it

    @property
    def label(self) -> str:
        return area_label(self.kind, self.name or self.code)

    @property
    def choice_label(self) -> str:
        """The words of its choice on the generate form."""
        if self.kind == WARD:
            return f"{self.name or self.code} ward ({self.code})"
        count = len(self.lsoas)
        places = f"{count} neighbourhood{'s' if count != 1 else ''} (LSOAs)"
        return f"{self.label} ({self.code}): {places}"


def area_label(kind: str, name: str) -> str:
    """What a pack of an area is called in lists: "North Tiny" for a target ward, "Target
    areas in North Tiny ward", "Target areas in Tinyshire"."""
    if kind == IN_WARD:
        return f"Target areas in {name} ward"
    if kind == IN_LAD:
        return f"Target areas in {name}"
    return name


def pack_areas(site) -> list[PackArea]:
    """Every area ``site`` may have a pack for, besides all its target areas: its target
    wards by name, then the wards and then the districts its target areas are in, by name.
    A few queries, whatever the number of areas."""
    targets = list(SiteTargetArea.objects.filter(site=site).order_by("name", "code"))
    if not targets:
        return []
    vintage = deprivation_edition_for(site).lsoa_vintage
    members = membership(targets, vintage)
    by_target: dict[str, set[str]] = {}
    for area, lsoa in members.itertuples(index=False):
        by_target.setdefault(area, set()).add(lsoa)
    everything = frozenset().union(*by_target.values()) if by_target else frozenset()
    places = {
        code: (ward, ward_name, lad, lad_name)
        for code, ward, ward_name, lad, lad_name in LSOA.objects.filter(
            vintage=vintage, code__in=everything
        ).values_list("code", "ward__code", "ward__name", "lad__code", "lad__name")
    }
    target_wards = [t for t in targets if t.kind == SiteTargetArea.Kind.WARD]
    found = [
        PackArea(WARD, t.code, t.name or t.code, frozenset(by_target.get(t.code, ())), (t,))
        for t in target_wards
    ]
    ward_codes = {t.code for t in target_wards}
    offered = {everything, *(area.lsoas for area in found)}
    for kind, column in ((IN_WARD, 0), (IN_LAD, 2)):
        groups: dict[str, tuple[str, set[str]]] = {}
        for lsoa, where in places.items():
            code, name = where[column], where[column + 1]
            if code:
                groups.setdefault(code, (name or code, set()))[1].add(lsoa)
        for code, (name, lsoas) in sorted(groups.items(), key=lambda g: (g[1][0], g[0])):
            # The same LSOAs as a pack already offered (all the site's target areas, a
            # target ward, a ward holding all of a district's) would be the same pack again.
            if frozenset(lsoas) in offered or (kind == IN_WARD and code in ward_codes):
                continue
            # A ward grouping is for the site's LSOA targets: a ward holding none of them
            # (only parts of target districts) is not one of the site's chosen places.
            lsoa_targets = [t for t in targets if t.kind == SiteTargetArea.Kind.LSOA]
            if kind == IN_WARD and not any(
                by_target.get(t.code, set()) & lsoas for t in lsoa_targets
            ):
                continue
            # The target areas wholly in it (a target district is only partly in a ward).
            inside = tuple(
                t for t in targets if by_target.get(t.code) and by_target[t.code] <= lsoas
            )
            found.append(PackArea(kind, code, name, frozenset(lsoas), inside))
            offered.add(frozenset(lsoas))
    return found


def site_lsoas(site) -> frozenset[str]:
    """The LSOAs of all ``site``'s target areas (its whole-site pack's), of its deprivation
    edition's vintage; empty when it has not chosen any."""
    targets = list(SiteTargetArea.objects.filter(site=site))
    if not targets:
        return frozenset()
    vintage = deprivation_edition_for(site).lsoa_vintage
    return frozenset(membership(targets, vintage)["lsoa"])


def find_area(site, code: str) -> PackArea | None:
    """The area of ``site`` with this ward or district code that a pack may be made for."""
    code = (code or "").strip().upper()
    return next((a for a in pack_areas(site) if a.code == code), None)


def indicator_codes(area: PackArea) -> set[str]:
    """The area codes indicator data may be given for, for a pack of ``area``: the codes of
    the target areas wholly in it and the LSOAs (both vintages) in those, and the area's own
    LSOAs (a grouping's LSOAs of a target district that is only partly in it)."""
    return _codes_of(area.targets) | set(area.lsoas)


def _codes_of(targets) -> set[str]:
    by_kind: dict[str, set[str]] = {kind: set() for kind in SiteTargetArea.Kind.values}
    for target in targets:
        by_kind[target.kind].add(target.code)
    if not any(by_kind.values()):
        return set()
    lsoas = LSOA.objects.filter(
        Q(code__in=by_kind[SiteTargetArea.Kind.LSOA])
        | Q(ward__code__in=by_kind[SiteTargetArea.Kind.WARD])
        | Q(lad__code__in=by_kind[SiteTargetArea.Kind.LAD])
    ).values_list("code", flat=True)
    return {t.code for t in targets} | set(lsoas)
