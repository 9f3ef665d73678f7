"""The sections of a community data pack, each built by a small provider function.

A provider takes the site and the pack's area (None: all the site's target areas; else a
``core20.datapacks.areas.PackArea``: one target ward, or the target areas in one ward or
local authority district) and returns a plain, JSON-ready dict::

    {"key": "places", "available": True, "tables": [...], "data": {...}}

``tables`` hold counts only, each table a list of rows with a ``Total`` row, protected by
``core20.datapacks.disclosure.protect_rows`` before they are stored; ``data`` holds words
and national reference figures (shares for England, names, links), never local counts.
Sentences are written when the pack is rendered, from the protected counts, so that they
can be translated and cannot show more than the tables. A provider whose counts depend on
the pack's area also returns them unprotected under ``raw`` (per table: its rows with each
count's ``period``); generation moves them to ``DataPack.basis``, never into the content,
for disclosure control across the site's packs (``core20.datapacks.across``).

A provider whose data is not in Core20 Connect yet returns ``{"available": False}`` with a
``reason``: the pack says so honestly instead of leaving the section out.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.utils import timezone, translation

from core20.datapacks.areas import PackArea, indicator_codes
from core20.datapacks.disclosure import TOTAL, protect_each, protect_rows
from core20.datapacks.presentation import fact_sentence
from core20.places import aggregation
from core20.places.models import CORE20_DECILES, deprivation_edition_for
from core20.places.models_targets import SiteTargetArea
from core20.places.target_areas import membership

Provider = Callable[[object, PackArea | None], dict]


def unavailable(key: str, reason: str) -> dict:
    return {"key": key, "available": False, "reason": reason, "tables": [], "data": {}}


def places_section(site, area: PackArea | None) -> dict:
    """Who lives here: people by national deprivation decile (protected), the edition, the
    areas covered, and England's share per decile for comparison."""
    edition = deprivation_edition_for(site)
    if area is None:
        areas = list(SiteTargetArea.objects.filter(site=site).order_by("kind", "name", "code"))
        if not areas:
            return unavailable("places", "no-areas")
        lsoas = set(membership(areas, edition.lsoa_vintage)["lsoa"])
    else:
        areas, lsoas = list(area.targets), set(area.lsoas)
    source = aggregation.population_source(edition)
    frame = aggregation.deprivation_frame(sorted(lsoas), edition, source)
    figures = aggregation.aggregate(
        frame,
        edition=edition.code,
        edition_name=edition.short_name,
        population_source=source.label,
        national_lsoas=edition.lsoa_count,
    )
    if not figures.population:
        return unavailable("places", "no-population")
    national = aggregation.national_cached(edition)
    national_share = {r.decile: r.share for r in national.deciles}
    rows = [{"category": str(r.decile), "people": int(r.population)} for r in figures.deciles]
    # The counts before protection, for disclosure control across the site's packs
    # (core20.datapacks.across): generation moves them out of the pack's content.
    period = f"{edition.code}, {source.label}"
    raw = [
        *({**row, "period": period} for row in rows),
        {"category": TOTAL, "period": period, "people": sum(r["people"] for r in rows)},
    ]
    return {
        "key": "places",
        "available": True,
        "raw": [{"table": "deciles", "total": True, "counts": ["people"], "rows": raw}],
        "tables": [
            {
                "key": "deciles",
                "dimension": "decile",
                "counts": ["people"],
                "rows": protect_rows(rows, counts=["people"]),
            }
        ],
        "data": {
            "edition": edition.code,
            "edition_name": edition.short_name,
            "population_source": source.label,
            "areas": [{"code": a.code, "name": a.name or a.code, "kind": a.kind} for a in areas],
            "national_decile_shares": {str(k): v for k, v in national_share.items()},
            "national_core20_share": national.core20_share,
            "core20_deciles": list(CORE20_DECILES),
        },
    }


# The apps that will supply these sections are being built. Each provider looks for the
# app's public function for data packs and uses it once it exists.
def _from_app(key: str, module: str, function: str) -> Provider:
    def provider(site, area: PackArea | None) -> dict:
        try:
            found = getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError):
            return unavailable(key, "not-yet")
        section = found(site, area)
        if not section:
            return unavailable(key, "no-data")
        for table in section.get("tables", []):
            table["rows"] = protect_rows(table["rows"], counts=table["counts"])
        return {"key": key, "available": True, "tables": [], "data": {}, **section}

    provider.__name__ = f"{key}_section"
    return provider


ENGLAND = "E92000001"


def _area_codes(site, area: PackArea | None) -> set[str]:
    """The codes indicator data may be given for: the areas and the LSOAs in them."""
    from core20.outcomes import scope

    if area is None:
        return scope.target_lsoas(site) | set(
            SiteTargetArea.objects.filter(site=site).values_list("code", flat=True)
        )
    return indicator_codes(area)


def _compare(local: float, lower: float, upper: float, england: float, polarity: str) -> str:
    """Is the area's 95% confidence interval above, below or around England? A key of
    core20.datapacks.presentation.COMPARISONS, which holds the words."""
    if lower <= england <= upper:
        return "similar"
    higher = lower > england
    if polarity == "higher":
        return "better" if higher else "worse"
    if polarity == "lower":
        return "worse" if higher else "better"
    return "higher" if higher else "lower"


# The unit of an indicator's values, as a key: "percent", "per_100000" or "" (none).
UNITS = {"proportion": "percent", "rate": "per_100000", "dsr": "per_100000"}


def _sources(indicator, frame: pd.DataFrame, uploads: list, codes: set[str], latest) -> dict:
    """Where an indicator's figures in the pack come from: the catalogue's source, and each
    upload whose rows gave the figure here or England's figure in the latest period (the
    versions ``analysis.latest_uploads`` chose, as the figures were worked out from)."""
    from core20.outcomes import analysis
    from core20.outcomes.models import Upload

    by_site = {upload.site_id: upload.pk for upload in uploads}
    figures: dict[int, list[str]] = {}
    for role, areas in (("here", codes), ("england", {ENGLAND})):
        rows = analysis.total_rows(frame, areas)
        for source_site in rows[rows["period"] == latest["period"]]["source_site"].unique():
            site_id = None if pd.isna(source_site) else int(source_site)
            figures.setdefault(by_site[site_id], []).append(role)
    found = Upload.objects.in_bulk(list(figures))
    cited = []
    for pk, roles in figures.items():
        upload = found[pk]
        cited.append(
            {
                "upload": upload.pk,
                "version": upload.version,
                "file_name": upload.file_name,
                "by": "national" if upload.site_id is None else "site",
                "uploaded": timezone.localdate(upload.uploaded_at).isoformat(),
                "note": upload.note,
                "figures": roles,
            }
        )
    return {"source": indicator.source, "uploads": cited}


def clinical_section(site, area: PackArea | None) -> dict:
    """The clinical areas here against England, from the outcomes app's indicator data: for
    each active indicator with figures for these areas and for England in the same period,
    the latest period's value with words comparing it with England. The number of people
    counted (the numerator) is protected; where it is hidden the value is not given. Each
    indicator's sources (the catalogue's source and the uploads behind its figures) are
    kept with the figures, so that every rendering of this version cites the same ones."""
    from core20.outcomes import analysis
    from core20.outcomes.models import Indicator

    codes = _area_codes(site, area)
    if not codes:
        return unavailable("clinical", "no-areas")
    found = []
    for indicator in Indicator.objects.filter(active=True).order_by("clinical_area", "name"):
        # The uploads too, so that the pack can cite them.
        frame, uploads = analysis.values_and_uploads(indicator, [site])
        if frame.empty:
            continue
        local = analysis.overall(frame, indicator, codes)
        england = analysis.overall(frame, indicator, {ENGLAND})
        if local.empty or england.empty:
            continue
        both = local.merge(england, on=["period", "period_start"], suffixes=("", "_england"))
        if both.empty:
            continue
        latest = both.sort_values("period_start").iloc[-1]
        found.append((indicator, latest, _sources(indicator, frame, uploads, codes, latest)))
    if not found:
        return unavailable("clinical", "no-data")
    rows = [
        {"category": f"{i.clinical_area}: {i.name}", "people": round(float(r["numerator"]))}
        for i, r, _ in found
    ]
    protected = protect_each(rows, counts=["people"])
    raw = [
        {**row, "period": str(latest["period"])}
        for row, (_, latest, _) in zip(rows, found, strict=True)
    ]
    # Each comparison as facts, from which the pack's pages write the sentence in the
    # reader's language, and as its English sentence (written by the same code).
    sentences = []
    facts = []
    sources = []
    for (indicator, latest, source), row in zip(found, protected, strict=True):
        name = f"{indicator.name} ({indicator.clinical_area}, {latest['period']})"
        sources.append({"name": name, **source})
        if row["people"] is None:
            fact = {"name": name, "hidden": True}
        else:
            fact = {
                "name": name,
                "hidden": False,
                "value": round(float(latest["value"]), 1),
                "england": round(float(latest["value_england"]), 1),
                "unit": UNITS.get(indicator.type, ""),
                "comparison": _compare(
                    float(latest["value"]),
                    float(latest["lower95"]),
                    float(latest["upper95"]),
                    float(latest["value_england"]),
                    indicator.polarity,
                ),
            }
        facts.append(fact)
        with translation.override("en"):
            sentences.append(fact_sentence(fact))
    return {
        "key": "clinical",
        "available": True,
        "raw": [{"table": "indicators", "total": False, "counts": ["people"], "rows": raw}],
        "tables": [
            {
                "key": "indicators",
                "caption": "People counted by each indicator, latest period",
                "counts": ["people"],
                "rows": protected,
            }
        ],
        "data": {"sentences": sentences, "facts": facts, "sources": sources},
    }


LATEST_CHANGES = 5


def insights_section(site, area: PackArea | None) -> dict:
    """What connectors heard and what changed: the people behind the site's published
    insights by kind (protected), and its latest published "you said, we did" changes.
    Insights are recorded per site, not per area, so an area's pack shows the site's."""
    from core20.insights.models import Insight

    public = list(
        Insight.objects.filter(site=site, public=True)
        .order_by("-published_at", "-id")
        .only("kind", "people_count", "public_title", "what_changed", "published_at")
    )
    if not public:
        return unavailable("insights", "no-data")
    people = dict.fromkeys(Insight.Kind.values, 0)
    for insight in public:
        people[insight.kind] += insight.people_count
    labels = dict(Insight.Kind.choices)
    rows = [{"category": labels[kind], "people": n} for kind, n in people.items()]
    changes = [
        f"{i.public_title or labels[i.kind]}: {i.what_changed}".strip()
        for i in public
        if i.what_changed
    ][:LATEST_CHANGES]
    return {
        "key": "insights",
        "available": True,
        "tables": [
            {
                "key": "voices",
                "caption": "People whose views were heard, by kind of insight (whole site)",
                "counts": ["people"],
                "rows": protect_rows(rows, counts=["people"]),
            }
        ],
        "data": {"sentences": changes},
    }


def involved_section(site, area: PackArea | None, *, contact: str = "") -> dict:
    """How to get involved: the site's public contact (given when the pack is generated;
    the site's own contact email is internal). The link to the connector
    expression-of-interest form is worked out when the pack is shown
    (``rendering.interest_url``): it depends on the address and on whether the site recruits."""
    return {
        "key": "involved",
        "available": True,
        "tables": [],
        "data": {"contact": contact, "site_name": site.name},
    }


@dataclass(frozen=True)
class SectionSpec:
    key: str
    provider: Provider


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("places", places_section),
    SectionSpec("clinical", clinical_section),
    SectionSpec("insights", insights_section),
    SectionSpec("involved", involved_section),
)
