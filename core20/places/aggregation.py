"""Deprivation of larger areas (a ward, a LAD, a practice's patients, a site's target areas)
from their LSOAs.

The core is ``aggregate(frame, ...)``, a pure function over a data frame with one row per
LSOA (``lsoa``, ``population``, ``score``, ``rank``, ``decile``: the edition's published
national values). It gives:

- the population-weighted average IMD score (as Fingertips assigns deprivation to larger
  areas), or None with the reason where the edition's scores are not loaded (IMD 2019
  here: Files 5 and 7 are not shipped) — the population-weighted average national rank is
  given alongside, as the rank-based figure that needs no scores;
- the share of the population living in Core20 LSOAs (national deciles 1 and 2);
- the population (and LSOAs) per decile: national deciles as published (``method=
  "national"``), or deciles re-ranked within the area (``method="local"``, with
  ``inequalities.stats.quantile``: LSOA counts split equally, 1 = most deprived locally).

Each result records the edition and the decile method. ``deprivation_frame`` builds the
frame from querysets (one query for the values, one or two for the population), and
``population_source`` says which population weights an edition's figures use.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from core20.places.models import (
    CORE20_DECILES,
    LSOA,
    DecileMethod,
    Deprivation,
    Edition,
    LSOALink,
    PopulationEstimate,
)
from inequalities.stats import quantile

DECILES = tuple(range(1, 11))
FRAME_COLUMNS = ["lsoa", "population", "score", "rank", "decile"]
NATIONAL = DecileMethod.NATIONAL.value
LOCAL = DecileMethod.LOCAL.value
METHOD_LABELS = {
    NATIONAL: "National deciles (as published: each decile holds 10% of England's LSOAs)",
    LOCAL: "Local deciles (the area's LSOAs re-ranked within the area, 10% of them in each)",
}


@dataclass(frozen=True)
class DecileRow:
    decile: int
    lsoas: int
    population: int
    share: float | None  # of the area's population (0-1)


@dataclass
class AreaDeprivation:
    """Deprivation figures for one area under one edition and decile method."""

    edition: str
    edition_name: str
    method: str
    method_label: str
    ranking_area: str
    lsoas: int
    lsoas_without_deprivation: int
    lsoas_without_population: int
    population: int
    population_source: str
    weighted_score: float | None
    weighted_score_note: str
    weighted_rank: float | None
    weighted_rank_note: str
    core20_population: int
    core20_share: float | None
    deciles: list[DecileRow] = field(default_factory=list)
    deciles_note: str = ""

    @property
    def bottom_two_share(self) -> float | None:
        """Share of the population in deciles 1-2 under this result's method (Core20 when
        the method is national)."""
        if not self.population:
            return None
        return sum(r.population for r in self.deciles if r.decile in CORE20_DECILES) / (
            self.population
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data["bottom_two_share"] = self.bottom_two_share
        return data


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lsoa": pd.Series(dtype="str"),
            "population": pd.Series(dtype="Float64"),
            "score": pd.Series(dtype="Float64"),
            "rank": pd.Series(dtype="Int64"),
            "decile": pd.Series(dtype="Int64"),
        }
    )


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"The LSOA frame needs the columns {', '.join(missing)}.")
    out = frame[FRAME_COLUMNS].copy()
    out = out.drop_duplicates("lsoa")
    for column in ("population", "score"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Float64")
    for column in ("rank", "decile"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    return out.reset_index(drop=True)


def aggregate(
    frame: pd.DataFrame,
    *,
    edition: str,
    edition_name: str,
    method: str = NATIONAL,
    ranking_area: str = "",
    population_source: str = "",
    national_lsoas: int | None = None,
) -> AreaDeprivation:
    """Aggregate an area's LSOAs (see the module docstring). ``national_lsoas`` (the
    edition's LSOA count) only words the rank note."""
    if method not in METHOD_LABELS:
        raise ValueError(f"Unknown decile method {method!r}: use 'national' or 'local'.")
    data = _clean(frame)
    lsoas = len(data)
    has_values = data["decile"].notna()
    without_deprivation = int((~has_values).sum())
    data = data[has_values].reset_index(drop=True)
    has_population = data["population"].notna()
    without_population = int((~has_population).sum())
    weighted = data[has_population]
    population = float(weighted["population"].sum()) if len(weighted) else 0.0
    total = round(population)

    # Population-weighted average score (Fingertips' method), where every score is known.
    if not len(weighted) or population <= 0:
        score, score_note = None, "No population in the area, so no weighted average."
    elif weighted["score"].isna().all():
        score = None
        score_note = (
            f"{edition_name} scores are not loaded (the shipped files give ranks and deciles "
            "only), so there is no population-weighted average score; the weighted average "
            "rank is given instead."
        )
    elif weighted["score"].isna().any():
        missing = int(weighted["score"].isna().sum())
        score = None
        score_note = (
            f"{edition_name} scores are missing for {missing} of the area's LSOAs, so there "
            "is no population-weighted average score."
        )
    else:
        score = float((weighted["population"] * weighted["score"]).sum() / population)
        score_note = (
            "Population-weighted average of the LSOAs' IMD scores (higher = more deprived)."
        )

    # Population-weighted average national rank: the rank-based figure.
    if not len(weighted) or population <= 0 or weighted["rank"].isna().any():
        rank, rank_note = None, "Ranks are not available for every LSOA in the area."
    else:
        rank = float((weighted["population"] * weighted["rank"]).sum() / population)
        of = f" of {national_lsoas:,}" if national_lsoas else ""
        rank_note = (
            f"Population-weighted average of the LSOAs' national {edition_name} ranks "
            f"(1{of} = most deprived). An average of ranks, not a rank of the area."
        )

    in_core20 = float(weighted.loc[weighted["decile"].isin(CORE20_DECILES), "population"].sum())
    core20_population = round(in_core20)
    core20_share = in_core20 / population if population > 0 else None

    deciles_note = ""
    if method == NATIONAL:
        data["group"] = data["decile"]
    elif len(data) < len(DECILES):
        data["group"] = pd.array([pd.NA] * len(data), dtype="Int64")
        deciles_note = (
            f"Local deciles need at least 10 LSOAs with {edition_name} values; this area has "
            f"{len(data)}, so they are not given."
        )
    else:
        by_score = data["score"].notna().all()
        ranked = quantile(
            data.assign(value=data["score"] if by_score else data["rank"]),
            value="value",
            quantiles=len(DECILES),
            invert=bool(by_score),  # high score = most deprived; rank 1 = most deprived
            column="group",
        )
        data["group"] = ranked["group"].to_numpy()
        deciles_note = (
            "The area's LSOAs ranked by their "
            + ("IMD scores" if by_score else "national ranks")
            + " and split into 10 equal groups of LSOAs (1 = most deprived within the area)."
        )

    rows = []
    if data["group"].notna().any():
        grouped = data[data["group"].notna()]
        for decile in DECILES:
            members = grouped[grouped["group"] == decile]
            pop = float(members["population"].sum(skipna=True))
            rows.append(
                DecileRow(
                    decile=decile,
                    lsoas=len(members),
                    population=round(pop),
                    share=(pop / population) if population > 0 else None,
                )
            )
    return AreaDeprivation(
        edition=edition,
        edition_name=edition_name,
        method=method,
        method_label=METHOD_LABELS[method],
        ranking_area=ranking_area if method == LOCAL else "",
        lsoas=lsoas,
        lsoas_without_deprivation=without_deprivation,
        lsoas_without_population=without_population,
        population=total,
        population_source=population_source,
        weighted_score=score,
        weighted_score_note=score_note,
        weighted_rank=rank,
        weighted_rank_note=rank_note,
        core20_population=core20_population,
        core20_share=core20_share,
        deciles=rows,
        deciles_note=deciles_note,
    )


def practice_frame(patients: pd.DataFrame, lsoa_values: pd.DataFrame) -> pd.DataFrame:
    """A practice's LSOA frame: its registered patients per LSOA (``lsoa``, ``patients``,
    e.g. from NHS England's "Patients registered at a GP practice" LSOA file, which is not
    shipped) as the weights, with the LSOAs' values (``lsoa``, ``score``, ``rank``,
    ``decile``)."""
    merged = patients[["lsoa", "patients"]].merge(lsoa_values, on="lsoa", how="left")
    return merged.rename(columns={"patients": "population"})[FRAME_COLUMNS]


# ---------------------------------------------------------------------------------------------
# From the database


@dataclass(frozen=True)
class PopulationSource:
    kind: str  # "estimates", "denominators", "apportioned" or "none"
    year: int | None
    label: str


def population_source(edition: Edition) -> PopulationSource:
    """Which population an edition's figures are weighted by, best first: ONS mid-year
    estimates on the edition's LSOA vintage (the latest year loaded); the edition's own
    population denominators; ONS estimates for LSOA 2011 shared out to LSOA 2021 through the
    exact-fit lookup (a 2011 LSOA's people split equally between the 2021 LSOAs it became;
    merged LSOAs add up); else none. Two or three small queries."""
    vintage = edition.lsoa_vintage
    year = PopulationEstimate.objects.filter(lsoa__vintage=vintage, sex="persons").aggregate(
        year=Max("year")
    )["year"]
    if year:
        return PopulationSource(
            "estimates", year, f"ONS mid-{year} population estimates (LSOA {vintage})"
        )
    if Deprivation.objects.filter(edition=edition, population_total__isnull=False).exists():
        note = edition.denominators_note or "population denominators"
        return PopulationSource(
            "denominators", None, f"{edition.short_name} population denominators ({note})"
        )
    if vintage == 2021:
        year = PopulationEstimate.objects.filter(lsoa__vintage=2011, sex="persons").aggregate(
            year=Max("year")
        )["year"]
        if year:
            return PopulationSource(
                "apportioned",
                year,
                f"ONS mid-{year} population estimates for LSOA 2011, shared out to LSOA 2021 "
                "through the exact-fit lookup (split LSOAs share equally)",
            )
    return PopulationSource("none", None, "No population figures are loaded")


def _population(codes: list[str] | None, edition: Edition, source: PopulationSource) -> dict:
    """{LSOA code: population} for ``codes`` (None: every LSOA of the vintage)."""
    vintage = edition.lsoa_vintage
    if source.kind == "estimates":
        rows = PopulationEstimate.objects.filter(
            lsoa__vintage=vintage, sex="persons", year=source.year
        )
        if codes is not None:
            rows = rows.filter(lsoa__code__in=codes)
        return dict(rows.values_list("lsoa__code", "total"))
    if source.kind == "apportioned":
        children = (
            LSOALink.objects.filter(lsoa11=OuterRef("lsoa11"))
            .order_by()
            .values("lsoa11")
            .annotate(n=Count("pk"))
            .values("n")
        )
        estimate = PopulationEstimate.objects.filter(
            lsoa=OuterRef("lsoa11"), sex="persons", year=source.year
        ).values("total")
        links = LSOALink.objects.filter(lsoa21__vintage=2021)
        if codes is not None:
            links = links.filter(lsoa21__code__in=codes)
        shares: dict[str, float] = {}
        for code, total, n in links.annotate(
            total=Subquery(estimate), n=Subquery(children)
        ).values_list("lsoa21__code", "total", "n"):
            if total is not None and n:
                shares[code] = shares.get(code, 0.0) + total / n
        return shares
    return {}


def deprivation_frame(
    lsoas: QuerySet[LSOA] | list[str] | None,
    edition: Edition,
    source: PopulationSource | None = None,
) -> pd.DataFrame:
    """The LSOA frame for ``aggregate``: the LSOAs given (codes of the edition's vintage, or
    a queryset of LSOAs; None = all of England), their national values for ``edition`` and
    their population under ``source`` (``population_source(edition)`` by default). LSOAs
    without values are kept (``aggregate`` counts them)."""
    source = source or population_source(edition)
    vintage = edition.lsoa_vintage
    values = Deprivation.objects.national().filter(edition=edition, lsoa__vintage=vintage)
    if lsoas is None:
        codes = None
    elif isinstance(lsoas, QuerySet):
        codes = list(lsoas.filter(vintage=vintage).values_list("code", flat=True))
    else:
        codes = list(dict.fromkeys(lsoas))
    if codes is not None:
        values = values.filter(lsoa__code__in=codes)
    rows = list(
        values.values_list("lsoa__code", "imd_score", "imd_rank", "imd_decile", "population_total")
    )
    frame = pd.DataFrame(rows, columns=["lsoa", "score", "rank", "decile", "denominator"])
    if codes is not None:
        frame = pd.DataFrame({"lsoa": codes}).merge(frame, on="lsoa", how="left")
    if source.kind == "denominators":
        frame["population"] = frame["denominator"]
    else:
        population = _population(codes, edition, source)
        frame["population"] = frame["lsoa"].map(population)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").astype("Float64")
    if frame.empty:
        return empty_frame()
    return _clean(frame)


def aggregate_lsoas(
    lsoas: QuerySet[LSOA] | list[str] | None,
    edition: Edition,
    *,
    method: str = NATIONAL,
    ranking_area: str = "",
    source: PopulationSource | None = None,
) -> AreaDeprivation:
    """``aggregate`` for LSOAs in the database (see ``deprivation_frame``)."""
    source = source or population_source(edition)
    frame = deprivation_frame(lsoas, edition, source)
    return aggregate(
        frame,
        edition=edition.code,
        edition_name=edition.short_name,
        method=method,
        ranking_area=ranking_area,
        population_source=source.label,
        national_lsoas=edition.lsoa_count,
    )


def area_lsoas(kind: str, code: str, vintage: int) -> QuerySet[LSOA]:
    """The LSOAs of the given vintage in a ward or LAD (best fit), or one LSOA; where the
    code is only known in the other vintage, through the exact-fit lookup."""
    field_for = {"lsoa": "code", "ward": "ward__code", "lad": "lad__code"}
    if kind not in field_for:
        raise ValueError(f"Unknown area kind {kind!r}")
    direct = LSOA.objects.filter(vintage=vintage, **{field_for[kind]: code})
    if direct.exists():
        return direct
    other = LSOA.objects.filter(
        vintage=2021 if vintage == 2011 else 2011, **{field_for[kind]: code}
    )
    if vintage == 2021:
        return LSOA.objects.filter(vintage=2021, links_from_2011__lsoa11__in=other).distinct()
    return LSOA.objects.filter(vintage=2011, links_to_2021__lsoa21__in=other).distinct()


def national(edition: Edition, source: PopulationSource | None = None) -> AreaDeprivation:
    """England as a whole (for "against 20% nationally")."""
    return aggregate_lsoas(None, edition, source=source)


def share_text(share: float | None) -> str:
    """0.4567 → '46%' (whole per cent; '<1%' and '>99%' at the ends)."""
    if share is None or (isinstance(share, float) and np.isnan(share)):
        return "not known"
    percent = share * 100
    if 0 < percent < 0.5:
        return "less than 1%"
    if 99.5 <= percent < 100:
        return "more than 99%"
    return f"{round(percent):.0f}%"


_national_cache: dict = {}


def national_cached(edition: Edition) -> AreaDeprivation:
    """``national(edition)``, computed once per process until reference data changes."""
    from core20.places.lookup.cache import data_marker

    key = (edition.pk, data_marker())
    result = _national_cache.get(key)
    if result is None:
        result = national(edition)
        _national_cache.clear()
        _national_cache[key] = result
    return result
