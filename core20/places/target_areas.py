"""A site's target areas: choosing them (search, or a pasted list of codes), saving them
(all or nothing, audited), and the site's deprivation profile from them.

Areas are LSOAs (E01…), electoral wards (E05…) or local authority districts (E06-E09…).
For an edition, each area becomes the LSOAs of that edition's vintage: an LSOA itself, a
ward's or district's best-fit LSOAs, or — where the code is only known in the other vintage
— its LSOAs through the exact-fit 2011 → 2021 lookup. A site's LSOAs are the union (an LSOA
in two chosen areas counts once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core20.audit.recording import record
from core20.places import aggregation
from core20.places.aggregation import AreaDeprivation
from core20.places.lookup.shapes import wrong_length_shape
from core20.places.models import (
    CORE20_DECILES,
    EDITIONS,
    LSOA,
    Edition,
    LocalAuthorityDistrict,
    LSOALink,
    SiteSettings,
    Ward,
    deprivation_edition_for,
)
from core20.places.models_targets import SiteTargetArea

Kind = SiteTargetArea.Kind

PATTERNS = {
    Kind.LSOA: re.compile(r"^E01\d{6}$"),
    Kind.WARD: re.compile(r"^E05\d{6}$"),
    Kind.LAD: re.compile(r"^E0[6-9]\d{6}$"),
}
WELSH = re.compile(r"^W0[1-9]\d{6}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")
SEPARATORS = re.compile(r"[\s,;]+")
LIST_SEPARATORS = re.compile(r"[,;\t]+")
MAX_PASTE = 2000
MAX_AREAS = 5000
KIND_WORDS = {Kind.LSOA: "LSOA", Kind.WARD: "ward", Kind.LAD: "local authority district"}


def kind_of(code: str) -> str | None:
    for kind, pattern in PATTERNS.items():
        if pattern.match(code):
            return kind
    return None


@dataclass(frozen=True)
class LineError:
    line: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class PastedCodes:
    """Codes found in pasted text: (line, code, kind) in order, each code once.
    ``repeats`` counts, for each code given more than once, how many times it was given."""

    entries: list[tuple[int, str, str]] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    repeats: dict[str, int] = field(default_factory=dict)

    @property
    def repeated(self) -> int:
        """How many extra times codes were given (each is kept once)."""
        return sum(times - 1 for times in self.repeats.values())


def parse_codes(text: str) -> PastedCodes:
    """One code per line (commas, semicolons or spaces may separate several). Malformed
    codes are reported by line; repeats are counted and kept once."""
    result = PastedCodes()
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        for token in _tokens(line):
            code = token.upper()
            kind = kind_of(code)
            if kind is None:
                if POSTCODE.match(code):
                    message = (
                        f"“{token}” is a postcode, not an area code. Look it up on the "
                        "“Look up a postcode or area” page to find its ward (E05…) or "
                        "LSOA (E01…), and add that"
                    )
                elif WELSH.match(code):
                    message = (
                        f"“{token}” is in Wales. Choose areas in England: the English Indices "
                        "of Deprivation cover England only"
                    )
                elif (shape := wrong_length_shape(code)) is not None:
                    # "“E01028” looks like an LSOA code but is too short: …"
                    message = shape.problem(code, shown=f"“{token}”").rstrip(".")
                else:
                    message = (
                        f"“{token}” is not an LSOA, ward or local authority district code. "
                        "Codes have 9 characters: E01 for LSOAs, E05 for wards, E06 to E09 "
                        "for districts, for example E05009978"
                    )
                result.errors.append(LineError(number, token, message))
                continue
            if code in seen:
                result.repeats[code] = result.repeats.get(code, 1) + 1
                continue
            seen.add(code)
            result.entries.append((number, code, kind))
    return result


def _tokens(line: str) -> list[str]:
    """The codes on one line: split at commas, semicolons and tabs, then at spaces, except
    that a postcode ("TF3 4AB") stays whole so that it can be named as a postcode."""
    tokens = []
    for part in LIST_SEPARATORS.split(line.strip()):
        part = part.strip()
        if POSTCODE.match(part.upper()):
            tokens.append(" ".join(part.split()))
        else:
            tokens.extend(t for t in SEPARATORS.split(part) if t)
    return tokens


def known_names(codes_by_kind: dict[str, set[str]]) -> dict[str, str]:
    """{code: name} for the codes that exist (one query per kind given). LSOA names prefer
    the 2021 vintage's."""
    names: dict[str, str] = {}
    if codes_by_kind.get(Kind.LSOA):
        for _vintage, code, name in (
            LSOA.objects.filter(code__in=codes_by_kind[Kind.LSOA])
            .order_by("vintage")
            .values_list("vintage", "code", "name")
        ):
            names[code] = name or code
    if codes_by_kind.get(Kind.WARD):
        names.update(
            Ward.objects.filter(code__in=codes_by_kind[Kind.WARD]).values_list("code", "name")
        )
    if codes_by_kind.get(Kind.LAD):
        names.update(
            LocalAuthorityDistrict.objects.filter(code__in=codes_by_kind[Kind.LAD]).values_list(
                "code", "name"
            )
        )
    return names


@dataclass
class AddResult:
    added: list[SiteTargetArea]
    already: int
    repeats: dict[str, int] = field(default_factory=dict)

    @property
    def repeated(self) -> int:
        return sum(times - 1 for times in self.repeats.values())


def add_pasted(site, text: str, *, by) -> AddResult:
    """Add every code in ``text`` to the site's target areas, or none: raises
    ValidationError listing every malformed or unknown code by line. Audited."""
    parsed = parse_codes(text)
    errors = list(parsed.errors)
    if not parsed.entries and not errors:
        raise ValidationError("Enter at least one code")
    if len(parsed.entries) > MAX_PASTE:
        raise ValidationError(f"Enter {MAX_PASTE:,} codes or fewer at a time")
    by_kind: dict[str, set[str]] = {}
    for _line, code, kind in parsed.entries:
        by_kind.setdefault(kind, set()).add(code)
    names = known_names(by_kind)
    for line, code, kind in parsed.entries:
        if code not in names:
            errors.append(
                LineError(line, code, f"there is no {KIND_WORDS[kind]} with the code {code}")
            )
    if errors:
        errors.sort(key=lambda e: e.line)
        raise ValidationError([str(e) for e in errors])
    return _save(
        site,
        [(code, kind, names[code]) for _l, code, kind in parsed.entries],
        by=by,
        repeats=parsed.repeats,
    )


def add_one(site, code: str, *, by) -> AddResult:
    """Add one area (from the search results). Audited."""
    code = (code or "").strip().upper()
    kind = kind_of(code)
    if kind is None:
        raise ValidationError("Choose an LSOA, ward or local authority district")
    names = known_names({kind: {code}})
    if code not in names:
        raise ValidationError(f"There is no {KIND_WORDS[kind]} with the code {code}")
    return _save(site, [(code, kind, names[code])], by=by)


def _save(
    site, items: list[tuple[str, str, str]], *, by, repeats: dict[str, int] | None = None
) -> AddResult:
    with transaction.atomic():
        existing = set(
            SiteTargetArea.objects.select_for_update()
            .filter(site=site)
            .values_list("code", flat=True)
        )
        new = [(c, k, n) for c, k, n in items if c not in existing]
        if len(existing) + len(new) > MAX_AREAS:
            raise ValidationError(
                f"A site can have up to {MAX_AREAS:,} target areas. Remove some, or choose "
                "larger areas (wards or districts) instead of LSOAs"
            )
        added = SiteTargetArea.objects.bulk_create(
            [SiteTargetArea(site=site, kind=k, code=c, name=n, added_by=by) for c, k, n in new]
        )
        if added:
            shown = ", ".join(f"{a.name} ({a.code})" for a in added[:10])
            more = f" and {len(added) - 10} more" if len(added) > 10 else ""
            record(
                actor=by,
                verb="places.target_areas.add",
                obj=site,
                site=site,
                changes={"target_areas": {"added": [a.code for a in added]}},
                summary=f"Added {len(added)} target area{'s' if len(added) != 1 else ''}: "
                f"{shown}{more}",
            )
    return AddResult(added=added, already=len(items) - len(new), repeats=repeats or {})


def remove(site, area_id: int, *, by) -> SiteTargetArea:
    with transaction.atomic():
        area = SiteTargetArea.objects.select_for_update().get(site=site, pk=area_id)
        area.delete()
        record(
            actor=by,
            verb="places.target_areas.remove",
            obj=site,
            site=site,
            changes={"target_areas": {"removed": [area.code]}},
            summary=f"Removed target area {area.name} ({area.code})",
        )
    return area


def set_edition(site, edition: Edition, *, by) -> None:
    """Choose the edition of the IoD the site's figures use. Audited."""
    with transaction.atomic():
        before = deprivation_edition_for(site)
        SiteSettings.objects.update_or_create(site=site, defaults={"deprivation_edition": edition})
        if before.pk != edition.pk:
            record(
                actor=by,
                verb="places.site_edition.change",
                obj=site,
                site=site,
                changes={"deprivation_edition": [before.short_name, edition.short_name]},
                summary=f"Deprivation figures now use {edition.short_name}",
            )


# ---------------------------------------------------------------------------------------------
# Search


@dataclass(frozen=True)
class SearchResult:
    kind: str
    code: str
    name: str
    detail: str

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


MIN_SEARCH = 2


@dataclass
class AreaSearch:
    """What a search found: up to ``limit`` areas of each kind, and the kinds (as words,
    plural) that had more matches than were shown."""

    query: str
    results: list[SearchResult] = field(default_factory=list)
    more: list[str] = field(default_factory=list)

    @property
    def too_short(self) -> bool:
        return 0 < len(self.query) < MIN_SEARCH


def search_areas(query: str, *, limit: int = 10) -> AreaSearch:
    """Wards, districts and LSOAs whose code starts with, or name contains, ``query``
    (at least 2 characters). Up to ``limit`` of each kind, saying which kinds had more;
    three queries."""
    query = (query or "").strip()
    found = AreaSearch(query)
    if len(query) < MIN_SEARCH:
        return found
    code_query = query.upper().replace(" ", "")
    lads = list(
        LocalAuthorityDistrict.objects.filter(
            Q(code__startswith=code_query) | Q(name__icontains=query)
        ).order_by("name", "code")[: limit + 1]
    )
    found.results += [SearchResult(Kind.LAD, d.code, d.name, "") for d in lads[:limit]]
    if len(lads) > limit:
        found.more.append("districts")
    wards = list(
        Ward.objects.filter(Q(code__startswith=code_query) | Q(name__icontains=query))
        .select_related("lad")
        .order_by("name", "code")[: limit + 1]
    )
    # Wards are redrawn: say which year's boundaries each is (a 2019 and a 2024 ward can
    # share a name, or cover the same streets under different names).
    found.results += [
        SearchResult(
            Kind.WARD,
            w.code,
            w.name,
            ", ".join(
                part
                for part in (w.lad.name if w.lad else "", f"{w.year} wards" if w.year else "")
                if part
            ),
        )
        for w in wards[:limit]
    ]
    if len(wards) > limit:
        found.more.append("wards")
    # An LSOA code can be in both vintages: one row per code, the newer vintage's name.
    lsoas = (
        LSOA.objects.filter(Q(code__startswith=code_query) | Q(name__icontains=query))
        .order_by("code", "-vintage")
        .values_list("code", "name", "vintage")[: (limit + 1) * 2]
    )
    seen = set()
    for code, name, vintage in lsoas:
        if code in seen:
            continue
        if len(seen) == limit:
            found.more.append("LSOAs")
            break
        seen.add(code)
        found.results.append(SearchResult(Kind.LSOA, code, name or code, f"LSOA {vintage}"))
    return found


def search(query: str, *, limit: int = 10) -> list[SearchResult]:
    """The areas ``search_areas`` finds, as a list."""
    return search_areas(query, limit=limit).results


# ---------------------------------------------------------------------------------------------
# Areas → LSOAs


def membership(areas: list[SiteTargetArea], vintage: int) -> pd.DataFrame:
    """One row per (area code, LSOA code of ``vintage``) — two queries at most."""
    field_of = {Kind.LSOA: "code", Kind.WARD: "ward_code", Kind.LAD: "lad_code"}
    codes = {kind: {a.code for a in areas if a.kind == kind} for kind in field_of}
    if not areas:
        return pd.DataFrame(columns=["area", "lsoa"])
    rows = pd.DataFrame(
        list(
            LSOA.objects.filter(
                Q(code__in=codes[Kind.LSOA])
                | Q(ward__code__in=codes[Kind.WARD])
                | Q(lad__code__in=codes[Kind.LAD])
            ).values_list("vintage", "code", "ward__code", "lad__code")
        ),
        columns=["vintage", "code", "ward_code", "lad_code"],
    )
    parts = []
    needs_links: list[pd.DataFrame] = []
    for area in areas:
        column = field_of[area.kind]
        matched = rows[rows[column] == area.code]
        here = matched[matched["vintage"] == vintage]
        if len(here):
            parts.append(pd.DataFrame({"area": area.code, "lsoa": here["code"].to_numpy()}))
        elif len(matched):
            needs_links.append(
                pd.DataFrame({"area": area.code, "other": matched["code"].to_numpy()})
            )
    if needs_links:
        other = pd.concat(needs_links, ignore_index=True)
        if vintage == 2021:
            links = LSOALink.objects.filter(lsoa11__code__in=set(other["other"])).values_list(
                "lsoa11__code", "lsoa21__code"
            )
        else:
            links = LSOALink.objects.filter(lsoa21__code__in=set(other["other"])).values_list(
                "lsoa21__code", "lsoa11__code"
            )
        link_frame = pd.DataFrame(list(links), columns=["other", "lsoa"])
        parts.append(other.merge(link_frame, on="other")[["area", "lsoa"]])
    if not parts:
        return pd.DataFrame(columns=["area", "lsoa"])
    return pd.concat(parts, ignore_index=True).drop_duplicates()


# ---------------------------------------------------------------------------------------------
# The site's profile


@dataclass
class AreaRow:
    area: SiteTargetArea
    lsoas: int
    deciles: list[int]
    population: int
    core20_share: float | None

    @property
    def core20_text(self) -> str:
        return aggregation.share_text(self.core20_share)

    @property
    def decile_text(self) -> str:
        if not self.deciles:
            return "Not known"
        if len(self.deciles) == 1:
            return str(self.deciles[0])
        return "Mixed: " + ", ".join(str(d) for d in self.deciles[:-1]) + f" and {self.deciles[-1]}"


@dataclass
class SiteProfile:
    site: object
    edition: Edition
    areas: list[AreaRow]
    figures: AreaDeprivation | None
    national: AreaDeprivation | None
    summary: str

    @property
    def has_areas(self) -> bool:
        return bool(self.areas)

    @property
    def decile_table(self) -> list[dict]:
        """Rows for the chart and its table: decile, LSOAs, people, share, national share."""
        if self.figures is None:
            return []
        national = {r.decile: r for r in (self.national.deciles if self.national else [])}
        return [
            {
                "decile": r.decile,
                "core20": r.decile in CORE20_DECILES,
                "lsoas": r.lsoas,
                "population": r.population,
                "share": r.share,
                "national_share": national[r.decile].share if r.decile in national else None,
                "share_text": aggregation.share_text(r.share),
                "national_text": aggregation.share_text(national[r.decile].share)
                if r.decile in national
                else "Not known",
            }
            for r in self.figures.deciles
        ]


def summary_sentence(
    figures: AreaDeprivation | None, national: AreaDeprivation | None, *, where: str
) -> str:
    if figures is None or not figures.population or figures.core20_share is None:
        return f"There are no population figures for {where} yet."
    text = (
        f"{aggregation.share_text(figures.core20_share)} of the "
        f"{figures.population:,} people in {where} live in Core20 "
        f"neighbourhoods ({figures.edition_name} deciles 1–2)"
    )
    if national is not None and national.core20_share is not None:
        text += f", against {aggregation.share_text(national.core20_share)} nationally"
    return text + "."


def site_profile(site, edition: Edition | None = None) -> SiteProfile:
    """Everything the site's places page shows, in a fixed number of queries."""
    edition = edition or deprivation_edition_for(site)
    areas = list(SiteTargetArea.objects.filter(site=site).order_by("kind", "name", "code"))
    if not areas:
        return SiteProfile(site, edition, [], None, None, "")
    members = membership(areas, edition.lsoa_vintage)
    source = aggregation.population_source(edition)
    frame = aggregation.deprivation_frame(sorted(set(members["lsoa"])), edition, source)
    figures = aggregation.aggregate(
        frame,
        edition=edition.code,
        edition_name=edition.short_name,
        population_source=source.label,
        national_lsoas=edition.lsoa_count,
    )
    national = aggregation.national_cached(edition)
    by_lsoa = frame.set_index("lsoa")
    rows = []
    for area in areas:
        codes = members.loc[members["area"] == area.code, "lsoa"].tolist()
        sub = by_lsoa.reindex(codes)
        known = sub[sub["decile"].notna()]
        pop = float(known["population"].sum(skipna=True)) if len(known) else 0.0
        core = float(known.loc[known["decile"].isin(CORE20_DECILES), "population"].sum(skipna=True))
        rows.append(
            AreaRow(
                area=area,
                lsoas=len(codes),
                deciles=sorted({int(d) for d in known["decile"]}),
                population=round(pop),
                core20_share=(core / pop) if pop > 0 else None,
            )
        )
    summary = summary_sentence(figures, national, where="the target areas")
    return SiteProfile(site, edition, rows, figures, national, summary)


def edition_choices() -> list[tuple[str, str]]:
    return [(code, info["short_name"]) for code, info in EDITIONS.items()]
