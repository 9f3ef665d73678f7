"""From national figures to each site's figures and on to its areas, for one indicator.

For every site the viewer may see: the target areas' value per period (summed as on the
site's dashboard), the rest of its ICS, the Making Data Count icons of the target areas' SPC
chart, and each target area's latest figures. Built for many sites with a fixed number of
queries (one per table, not one per site): the rows of the latest national and site uploads,
the sites' target areas and ICBs, their deprivation editions and deciles, and trajectories.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core20.outcomes import analysis, mdc, scope
from core20.outcomes.dashboard import fmt, fmt_interval, unit_text, value_columns
from core20.outcomes.models import Indicator, TrajectoryPoint
from core20.outcomes.tables import Column, Table
from core20.places.models import Deprivation, Edition, SiteSettings


@dataclass
class SiteDrill:
    site: object
    target: pd.DataFrame  # per period: the target areas summed (analysis.overall)
    rest: pd.DataFrame  # per period: the rest of the site's ICS
    areas: pd.DataFrame  # latest period: each target area (analysis.area_table)
    spc: list[mdc.Shown] = field(default_factory=list)  # variation and assurance, if charted
    no_chart: analysis.NoChart | None = None  # why there is no SPC chart, if none
    areas_chosen: bool = True

    @property
    def spc_message(self) -> str:
        return self.no_chart.message if self.no_chart else ""

    def latest(self) -> dict:
        return self.target.iloc[-1].to_dict() if len(self.target) else {}

    def latest_rest(self) -> dict:
        period = self.latest().get("period")
        rows = self.rest[self.rest["period"] == period] if period else self.rest.iloc[0:0]
        return rows.iloc[-1].to_dict() if len(rows) else {}


def _deciles(sites, targets: dict[int, set[str]]) -> dict[int, dict[str, int]]:
    """Each site's target LSOAs' national IMD deciles in the site's edition: one query for
    the editions and one per edition in use."""
    chosen = dict(
        SiteSettings.objects.filter(site__in=sites).values_list("site_id", "deprivation_edition")
    )
    default = None
    if len(chosen) < len(sites):
        default = Edition.objects.get_default().pk
    by_edition: dict[int, list[int]] = {}
    for site in sites:
        by_edition.setdefault(chosen.get(site.pk, default), []).append(site.pk)
    out: dict[int, dict[str, int]] = {}
    for edition, site_ids in by_edition.items():
        codes = set().union(*(targets[s] for s in site_ids))
        found = dict(
            Deprivation.objects.national()
            .filter(edition_id=edition, lsoa__code__in=list(codes))
            .values_list("lsoa__code", "imd_decile")
        )
        for s in site_ids:
            out[s] = {c: found[c] for c in targets[s] if c in found}
    return out


def drill(indicator: Indicator, sites: list) -> list[SiteDrill]:
    """Each of ``sites`` (the caller has checked the viewer may see them): those with figures
    for their target areas first, then the rest, each group in the order given. With most
    sites yet to upload, an analyst would otherwise scroll past rows of dashes to find the
    sites that have something to compare."""
    if not sites:
        return []
    every = analysis.load_rows(analysis.latest_uploads(indicator, sites))
    targets = scope.targets_by_site(sites)
    icbs = scope.icb_areas_by_site(sites)
    deciles = _deciles(sites, targets)
    names = analysis.lsoa_names(set().union(*targets.values()))
    goals: dict[int, float] = {}
    for point in TrajectoryPoint.objects.filter(indicator=indicator, site__in=sites):
        goals[point.site_id] = point.value  # ordered by period: the latest stays
    out = []
    for site in sites:
        mine = targets[site.pk]
        codes, lsoas = icbs[site.pk]
        frame = every
        if not frame.empty:
            own = frame["source_site"].isna() | (frame["source_site"] == site.pk)
            frame = analysis.prefer_site_rows(frame[own])
            frame = frame[frame["area_code"].isin(mine | lsoas | codes)]
        target = analysis.overall(frame, indicator, mine)
        drill_ = SiteDrill(
            site=site,
            target=target,
            rest=analysis.overall(frame, indicator, lsoas - mine),
            areas=analysis.area_table(
                frame[frame["area_code"].isin(mine)] if not frame.empty else frame,
                mine,
                site,
                deciles[site.pk],
                names,
            ),
            areas_chosen=bool(mine),
        )
        result, drill_.no_chart = analysis.spc_chart(
            target, indicator, goals.get(site.pk), site_name=site.name, areas_chosen=bool(mine)
        )
        if result is not None:
            chart = result.charts.iloc[0]
            drill_.spc = mdc.spc_shown(chart["variation_icon"], chart["assurance_icon"])
        out.append(drill_)
    return sorted(out, key=lambda d: d.target.empty)  # stable: the given order within each


def sites_table(indicator: Indicator, drills: list[SiteDrill], links: dict[int, str]) -> Table:
    """One row per site: its target areas' latest figure, the rest of its ICS, and the
    Making Data Count icons; ``links``: row index to where the site's row leads."""
    rows = []
    for d in drills:
        last, rest = d.latest(), d.latest_rest()
        shown = {s.name: s for s in d.spc}
        rows.append(
            {
                "site": d.site.name,
                "period": last.get("period"),
                "value": last.get("value"),
                "lower95": last.get("lower95"),
                "upper95": last.get("upper95"),
                "areas": last.get("areas"),
                "rest": rest.get("value"),
                "variation": shown.get("Variation") or no_chart_label(d),
                "assurance": shown.get("Assurance"),
            }
        )
    return Table(
        "sites",
        f"{indicator.name} in each site's target areas, latest period",
        [
            Column("site", "Site"),
            Column("period", "Period"),
            Column("value", "Value", True),
            Column("lower95", "Lower 95%", True),
            Column("upper95", "Upper 95%", True),
            Column("areas", "Areas", True, 0),
            Column("rest", "Rest of the ICS", True),
            Column("variation", "Variation (SPC)"),
            Column("assurance", "Assurance (SPC)"),
        ],
        rows,
        links,
    )


def no_chart_label(d: SiteDrill) -> str | None:
    """A short reason for a site's sites-table cell where there is no SPC chart (the whole
    explanation is under the table: ``spc_notes``); None where there is a chart."""
    return d.no_chart.label if d.no_chart and not d.spc else None


def spc_notes(drills: list[SiteDrill]) -> list[str]:
    """Why each site without an SPC chart has none, in full, as sentences that name it: for
    under the sites table, whose cells give only the short reason (``no_chart_label``)."""
    notes = []
    for d in drills:
        if no_chart_label(d) is None:
            continue
        # The no-target-areas message names the site already.
        notes.append(d.spc_message if not d.areas_chosen else f"{d.site.name}: {d.spc_message}")
    return notes


def areas_table(indicator: Indicator, d: SiteDrill) -> Table:
    """Each of the site's target areas with figures in the latest period."""
    return Table(
        f"site-{d.site.slug}",
        f"{indicator.name} in each of {d.site.name}'s target areas, latest period",
        [
            Column("area_code", "Area code"),
            Column("area_name", "Area"),
            Column("decile", "IMD decile", True, 0),
            Column("period", "Period"),
            *value_columns(indicator.unit),
        ],
        d.areas.to_dict("records"),
    )


def summary(indicator: Indicator, d: SiteDrill) -> str:
    """The site's figure in words, for beside its areas table."""
    last, rest = d.latest(), d.latest_rest()
    unit = unit_text(indicator.unit)
    if not last:
        return (
            f"{d.site.name} has no figures for its target areas yet (upload LSOA-level data, "
            "or choose target areas on the site's places page)."
        )
    text = (
        f"In {last['period']} {d.site.name}'s target areas had a value of "
        f"{fmt(last['value'])}{unit} (95% CI {fmt_interval(last['lower95'], last['upper95'])}) "
        f"across {int(last['areas'])} "
        f"area{'s' if last['areas'] != 1 else ''}"
    )
    if rest:
        text += f", against {fmt(rest['value'])}{unit} in the rest of the ICS"
    return text + "."


def sites_summary(indicator: Indicator, drills: list[SiteDrill]) -> str:
    """The sites table in words: how many sites have figures, and the highest and lowest."""
    if not drills:
        return "You do not see any site's figures."
    known = [(d.latest()["value"], d.site.name) for d in drills if d.latest()]
    text = (
        f"{len(known)} of the {len(drills)} site{'s' if len(drills) != 1 else ''} shown "
        f"{'has' if len(known) == 1 else 'have'} figures for their target areas"
    )
    if len(known) > 1:
        unit = unit_text(indicator.unit)
        high, low = max(known), min(known)
        text += (
            f": the highest value is {fmt(high[0])}{unit} ({high[1]}) and the lowest "
            f"{fmt(low[0])}{unit} ({low[1]})"
        )
    return text + "."
