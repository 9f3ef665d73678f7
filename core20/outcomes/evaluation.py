"""A site's evaluation: matched comparison areas and a difference-in-differences estimate.

Targets are the site's target LSOAs (in its deprivation edition's vintage) that have figures
for the indicator in both periods. Candidates are LSOAs with figures in both periods that
are outside every site's target areas. Each target is matched to its nearest candidate on
the standardised IMD score and population (``inequalities.evaluation.match_areas``); the
DiD compares the targets' summed counts with the matched areas' (each matched area counted
once, however many targets it serves).

Where the edition's IMD scores are not loaded (the shipped IMD 2019 is MHCLG's File 1, ranks
and deciles only; File 5 has the scores), the IMD rank stands in for the score: it orders
the areas the same way, and matching on standardised ranks still pairs each target with an
area of similar deprivation. The result says which was used (``Evaluation.measure``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core20.outcomes import analysis, scope
from core20.outcomes.models import Indicator
from core20.places.models import Deprivation, deprivation_edition_for
from core20.places.models_targets import SiteTargetArea
from core20.programme.models import Site
from inequalities.errors import InputError
from inequalities.evaluation import DiD, difference_in_differences, match_areas

CAVEATS = [
    "Parallel trends: the estimate assumes the target areas would have changed as the "
    "comparison areas did without the programme. It cannot be checked with two periods.",
    "Matching is on deprivation (IMD score, or IMD rank where the scores are not loaded) and "
    "population only; other differences between the areas (age, ethnicity, services, other "
    "programmes) are not balanced.",
    "The confidence interval treats the four figures as independent and allows only "
    "binomial (or Poisson) variation: it ignores the correlation of the same areas over time "
    "and extra variation between areas, so it may be too narrow.",
    "Comparison areas may be touched by similar work elsewhere; areas in any site's target "
    "areas are excluded, but not areas near them.",
    "An association, not proof that the programme caused the difference.",
]


@dataclass
class Evaluation:
    matches: pd.DataFrame
    did: DiD | None
    treated_areas: int
    control_areas: int
    message: str = ""
    measure: str = "imd_score"  # the deprivation matched on: "imd_score", or "imd_rank"

    @property
    def measure_label(self) -> str:
        return MEASURES[self.measure]


MEASURES = {"imd_score": "IMD score", "imd_rank": "IMD rank"}


def all_target_lsoas() -> set[str]:
    codes: set[str] = set()
    for site in Site.objects.filter(pk__in=SiteTargetArea.objects.values("site")):
        codes |= scope.target_lsoas(site)
    return codes


def evaluate(site, indicator: Indicator, before: str, after: str) -> Evaluation:
    frame = analysis.values_frame(indicator, [site])
    empty = Evaluation(pd.DataFrame(), None, 0, 0)
    if frame.empty:
        empty.message = "There are no figures for this indicator."
        return empty
    totals = frame[frame["breakdown_type"].isin(["Total", ""])].dropna(
        subset=["numerator", "denominator"]
    )
    wide = totals[totals["period"].isin([before, after])].pivot_table(
        index="area_code", columns="period", values=["numerator", "denominator"], aggfunc="sum"
    )
    if wide.empty or before not in wide["numerator"] or after not in wide["numerator"]:
        empty.message = f"There are no area figures for both {before} and {after}."
        return empty
    wide = wide.dropna()
    edition = deprivation_edition_for(site)
    deprivation = pd.DataFrame(
        list(
            Deprivation.objects.national()
            .filter(edition=edition, lsoa__code__in=list(wide.index))
            .values_list("lsoa__code", "imd_score", "imd_rank", "population_total")
        ),
        columns=["area", "imd_score", "imd_rank", "population"],
    )
    # Scores where every area with a rank has one; otherwise the rank (see the docstring).
    ranked = deprivation.dropna(subset=["imd_rank", "population"])
    measure = "imd_score" if ranked["imd_score"].notna().all() else "imd_rank"
    deprivation = deprivation[["area", measure, "population"]].dropna()
    empty.measure = measure
    targets_codes = scope.target_lsoas(site)
    excluded = all_target_lsoas()
    targets = deprivation[deprivation["area"].isin(targets_codes)]
    candidates = deprivation[~deprivation["area"].isin(excluded)]
    if targets.empty:
        empty.message = (
            f"None of {site.name}'s target areas has figures (and deprivation data) for both "
            "periods."
        )
        return empty
    try:
        matches = match_areas(targets, candidates, id="area", features=(measure, "population"))
    except InputError as exc:
        empty.message = str(exc)
        return empty

    def sums(codes, period):
        rows = wide.loc[list(codes)]
        return (
            float(rows[("numerator", period)].sum()),
            float(rows[("denominator", period)].sum()),
        )

    controls = set(matches["match"])
    treated = set(targets["area"])
    kind = "proportion" if indicator.type == Indicator.Type.PROPORTION else "rate"
    try:
        did = difference_in_differences(
            sums(treated, before),
            sums(treated, after),
            sums(controls, before),
            sums(controls, after),
            kind=kind,
            multiplier=indicator.multiplier,
        )
    except InputError as exc:
        return Evaluation(matches, None, len(treated), len(controls), str(exc), measure)
    return Evaluation(matches, did, len(treated), len(controls), measure=measure)
