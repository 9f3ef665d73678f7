"""Dashboard figures for an indicator, from the latest version of each dataset.

Everything statistical is done by the ``inequalities`` engine: limits by
``inequalities.stats.proportion``/``rate``, the gap by ``stats.gap``, SII/RII by
``stats.sii``, SPC by ``inequalities.spc``. This module only chooses rows and sums counts.

Where figures by deprivation come from:
* rows whose breakdown is an IMD decile or quintile (Fingertips "Category" rows), summed
  over the areas in view; otherwise
* LSOA rows with no breakdown, each given its LSOA's national IMD decile (the site's edition),
  then summed per decile (and quintile = deciles 1-2, 3-4, …).
Only proportions, crude rates and counts can be summed; standardised rates and ratios are
shown as supplied, per area.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core20.outcomes import scope
from core20.outcomes.models import Indicator, IndicatorValue, TrajectoryPoint, Upload
from core20.places.models import LSOA, Deprivation, deprivation_edition_for
from inequalities import stats
from inequalities.errors import InputError
from inequalities.spc import spc

COLUMNS = [
    "area_code",
    "area_name",
    "period",
    "period_start",
    "breakdown_type",
    "breakdown",
    "quantile",
    "quantiles",
    "numerator",
    "denominator",
    "value",
    "lower95",
    "upper95",
]
SII_DRAWS = 20_000
SII_SEED = 20211125  # fixed, so a page shows the same limits every time
SPC_MIN_PERIODS = 3  # an XmR chart needs at least this many points
SPC_TREND_LENGTH = 7  # points in a row rising or falling for a trend (Making Data Count)
SPC_SHIFT_LENGTH = 7  # points in a row on one side of the mean for a shift


def latest_uploads(indicator: Indicator, sites=None) -> list[Upload]:
    """The latest national version, and the latest version for each of ``sites``."""
    uploads = Upload.objects.filter(indicator=indicator).order_by("site_id", "-version")
    site_ids = None if sites is None else {s.pk for s in sites}
    latest: dict = {}
    for upload in uploads.only("pk", "site_id", "version", "indicator_id"):
        if upload.site_id is not None and site_ids is not None and upload.site_id not in site_ids:
            continue
        latest.setdefault(upload.site_id, upload)
    return list(latest.values())


def values_frame(indicator: Indicator, sites=None) -> pd.DataFrame:
    """Rows of the latest versions; where a site's data and national data give the same
    area, period and breakdown, the site's row is used. (One site, or none: with several,
    use ``load_rows`` once and ``prefer_site_rows`` on each site's rows.)"""
    return values_and_uploads(indicator, sites)[0]


def values_and_uploads(indicator: Indicator, sites=None) -> tuple[pd.DataFrame, list[Upload]]:
    """``values_frame`` and the uploads (the latest versions) its rows come from, for a
    page that cites them (the data packs)."""
    uploads = latest_uploads(indicator, sites)
    return prefer_site_rows(load_rows(uploads)), uploads


def load_rows(uploads: list[Upload]) -> pd.DataFrame:
    """Every row of ``uploads`` in one query, with ``source_site`` (None for national)."""
    rows = list(
        IndicatorValue.objects.filter(upload__in=uploads).values("upload__site_id", *COLUMNS)
    )
    frame = pd.DataFrame(rows, columns=["upload__site_id", *COLUMNS])
    return frame.rename(columns={"upload__site_id": "source_site"})


def prefer_site_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """National rows and one site's rows: the site's row wins for the same area, period and
    breakdown."""
    if frame.empty:
        return frame
    frame = frame.assign(national=frame["source_site"].isna())
    frame = frame.sort_values("national").drop_duplicates(
        ["area_code", "period", "breakdown_type", "breakdown"], keep="first"
    )
    return frame.drop(columns="national").sort_values(["period_start", "area_code"])


def summable(indicator: Indicator) -> bool:
    return indicator.type in (
        Indicator.Type.PROPORTION,
        Indicator.Type.RATE,
        Indicator.Type.COUNT,
    )


def with_limits(sums: pd.DataFrame, indicator: Indicator, keys: list[str]) -> pd.DataFrame:
    """value and 95% limits for summed numerator/denominator rows, by the indicator's type."""
    if sums.empty:
        return sums.assign(value=[], lower95=[], upper95=[])
    frame = sums.reset_index(drop=True)
    if indicator.type == Indicator.Type.COUNT:
        lower, upper = stats.poisson_count_limits(frame["numerator"].to_numpy(float), 0.95)
        return frame.assign(value=frame["numerator"], lower95=lower, upper95=upper)
    function = stats.proportion if indicator.type == Indicator.Type.PROPORTION else stats.rate
    result = function(
        frame[[*keys, "numerator", "denominator"]],
        confidence=0.95,
        multiplier=indicator.multiplier,
    )
    return result.drop(columns=["confidence", "method"], errors="ignore")


def lsoa_deciles(codes, site=None) -> dict[str, int]:
    """National IMD decile of each LSOA code (the site's edition, or the default)."""
    edition = deprivation_edition_for(site) if site is not None else None
    rows = Deprivation.objects.national().filter(lsoa__code__in=list(codes))
    if edition is not None:
        rows = rows.filter(edition=edition)
    return dict(rows.values_list("lsoa__code", "imd_decile"))


def lsoa_names(codes) -> dict[str, str]:
    """Each LSOA code's name from the reference data, in one query (the newest census
    vintage's name where a code is in both)."""
    rows = (
        LSOA.objects.filter(code__in=list(codes))
        .exclude(name="")
        .order_by("vintage")
        .values_list("code", "name")
    )
    return dict(rows)


def by_quantile(
    frame: pd.DataFrame, indicator: Indicator, *, areas=None, quantiles: int = 10, site=None
) -> pd.DataFrame:
    """One row per period and quantile (1 = most deprived): numerator, denominator, value,
    lower95, upper95. ``areas``: restrict to these area codes (None: every area)."""
    empty = pd.DataFrame(columns=["period", "period_start", "quantile", *COLUMNS[8:]])
    if frame.empty:
        return empty
    rows = frame if areas is None else frame[frame["area_code"].isin(areas)]
    direct = rows[rows["quantile"].notna()]
    if len(direct):
        direct = direct.copy()
        if quantiles == 5:
            tens = direct["quantiles"] == 10
            direct.loc[tens, "quantile"] = np.ceil(direct.loc[tens, "quantile"] / 2)
            direct.loc[tens, "quantiles"] = 5
        direct = direct[direct["quantiles"] == quantiles]
    else:
        totals = rows[rows["breakdown_type"].isin(["Total", ""])]
        deciles = lsoa_deciles(set(totals["area_code"]), site)
        direct = totals.assign(quantile=totals["area_code"].map(deciles)).dropna(
            subset=["quantile"]
        )
        if quantiles == 5:
            direct = direct.assign(quantile=np.ceil(direct["quantile"].astype(float) / 2))
    if direct.empty:
        return empty
    direct = direct.assign(quantile=direct["quantile"].astype(int))
    if not summable(indicator):
        # As supplied: one area only (several areas' standardised rates cannot be summed).
        first = direct["area_code"].iloc[0]
        out = direct[direct["area_code"] == first]
        return out[["period", "period_start", "quantile", *COLUMNS[8:]]].sort_values(
            ["period_start", "quantile"]
        )
    direct = direct.dropna(subset=["numerator", "denominator"])
    sums = (
        direct.groupby(["period", "period_start", "quantile"], as_index=False)[
            ["numerator", "denominator"]
        ]
        .sum()
        .sort_values(["period_start", "quantile"])
    )
    return with_limits(sums, indicator, ["period", "period_start", "quantile"])


def inequality_over_time(table: pd.DataFrame, indicator: Indicator, quantiles: int) -> pd.DataFrame:
    """Per period: the gap (most − least deprived) and the SII/RII with 95% limits."""
    columns = [
        "period",
        "period_start",
        "most",
        "least",
        "gap",
        "ratio",
        "sii",
        "sii_lower",
        "sii_upper",
        "rii",
        "rii_lower",
        "rii_upper",
    ]
    if table.empty:
        return pd.DataFrame(columns=columns)
    # The gap of every period with all its quantiles in one call of the engine, grouped by
    # period: one call per period took most of the dashboard's time.
    complete = table.groupby("period")["quantile"].transform("nunique") == quantiles
    gaps = {}
    if complete.any():
        found = stats.gap(
            table[complete],
            quantile="quantile",
            value="value",
            quantiles=quantiles,
            group_by="period",
        )
        gaps = {r["period"]: r for r in found.to_dict("records")}
    out = []
    for (period, start), group in table.groupby(["period", "period_start"], sort=True):
        row = dict.fromkeys(columns)
        row.update(period=period, period_start=start)
        if period in gaps:
            first = gaps[period]
            row.update(
                most=float(first["most_deprived_value"]),
                least=float(first["least_deprived_value"]),
                gap=float(first["absolute_gap"]),
                ratio=float(first["relative_gap"]),
            )
            row.update(_sii(group, indicator))
        out.append(row)
    return pd.DataFrame(out, columns=columns)


def _sii(group: pd.DataFrame, indicator: Indicator) -> dict:
    if "denominator" not in group or group["denominator"].isna().any():
        return {}
    data = group[["quantile", "denominator", "value", "lower95", "upper95"]].rename(
        columns={"denominator": "population"}
    )
    if indicator.type == Indicator.Type.PROPORTION:
        data = data.assign(**{c: data[c] / 100 for c in ("value", "lower95", "upper95")})
        value_type, multiplier = 2, 100.0
    elif indicator.type in (Indicator.Type.RATE, Indicator.Type.DSR, Indicator.Type.COUNT):
        value_type, multiplier = 1, 1.0
    else:
        value_type, multiplier = 0, 1.0
    if value_type and ((data["value"] <= 0).any() or (data["lower95"] <= 0).any()):
        value_type = 0  # log/logit SEs need positive values; fall back to the identity scale
    if value_type == 2 and (data["upper95"] >= 1).any():
        value_type = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = stats.sii(
                data,
                value_type=value_type,
                draws=SII_DRAWS,
                seed=SII_SEED,
                confidence=0.95,
                multiplier=multiplier,
            )
    except InputError:
        return {}
    if result.empty:
        return {}
    r = result.iloc[0]
    return {
        "sii": float(r["sii"]),
        "sii_lower": float(r["sii_lower95"]),
        "sii_upper": float(r["sii_upper95"]),
        "rii": float(r["rii"]),
        "rii_lower": float(r["rii_lower95"]),
        "rii_upper": float(r["rii_upper95"]),
    }


def total_rows(frame: pd.DataFrame, areas) -> pd.DataFrame:
    """The rows ``overall`` sums: the total rows of ``areas`` with a numerator and a
    denominator."""
    rows = frame[frame["area_code"].isin(areas) & frame["breakdown_type"].isin(["Total", ""])]
    return rows.dropna(subset=["numerator", "denominator"])


def overall(frame: pd.DataFrame, indicator: Indicator, areas) -> pd.DataFrame:
    """Per period, the total rows of ``areas`` summed, with limits."""
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "period",
                "period_start",
                "numerator",
                "denominator",
                "value",
                "lower95",
                "upper95",
                "areas",
            ]
        )
    rows = total_rows(frame, areas)
    if rows.empty or not summable(indicator):
        return pd.DataFrame(
            columns=[
                "period",
                "period_start",
                "numerator",
                "denominator",
                "value",
                "lower95",
                "upper95",
                "areas",
            ]
        )
    sums = (
        rows.groupby(["period", "period_start"], as_index=False)
        .agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            areas=("area_code", "nunique"),
        )
        .sort_values("period_start")
    )
    return with_limits(sums, indicator, ["period", "period_start", "areas"])


ENGLAND = "E92000001"  # England's area code (ONS), as Fingertips exports give it


def england_over_time(frame: pd.DataFrame) -> pd.DataFrame:
    """England's own figure per period (the total rows for area ``ENGLAND``, as uploaded:
    one area, so nothing to sum), oldest first. Where a period has several total rows (a
    Fingertips export's age groups), the one with no breakdown is used."""
    columns = ["period", "period_start", *COLUMNS[8:]]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    rows = frame[
        (frame["area_code"] == ENGLAND) & frame["breakdown_type"].isin(["Total", ""])
    ].dropna(subset=["value"])
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(_aged=rows["breakdown"] != "").sort_values(["period_start", "_aged"])
    return rows.drop_duplicates("period", keep="first")[columns].reset_index(drop=True)


def no_target_areas_message(site_name: str) -> str:
    return (
        f"{site_name} has not chosen its target areas, so area-level data cannot be summed "
        "for it: choose target areas to see an SPC chart."
    )


@dataclass(frozen=True)
class NoChart:
    """Why there is no SPC chart: ``label`` short, for a table cell; ``message`` in full."""

    label: str
    message: str


def spc_chart(
    actual: pd.DataFrame,
    indicator: Indicator,
    target: float | None,
    *,
    site_name: str = "",
    areas_chosen: bool = True,
):
    """XmR chart of the target areas' value per period and None, or None and why not
    (``NoChart``). Without target areas there is nothing to sum, however many periods were
    uploaded: say so."""
    if not areas_chosen:
        return None, NoChart("No chart: no target areas", no_target_areas_message(site_name))
    if len(actual) < SPC_MIN_PERIODS:
        return None, NoChart(
            f"No chart: fewer than {SPC_MIN_PERIODS} periods",
            f"An SPC chart needs at least {SPC_MIN_PERIODS} periods of data.",
        )
    data = pd.DataFrame(
        {"date": pd.to_datetime(actual["period_start"]), "value": actual["value"].astype(float)}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = spc(
                data,
                improvement=indicator.improvement,
                target=target,
                trend_length=SPC_TREND_LENGTH,
                shift_length=SPC_SHIFT_LENGTH,
            )
    except InputError as exc:
        return None, NoChart("No chart", str(exc))
    return result, None


@dataclass
class SiteFigures:
    indicator: Indicator
    site: object
    quantiles: int
    frame: pd.DataFrame
    by_quantile: pd.DataFrame
    inequality: pd.DataFrame
    target: pd.DataFrame
    rest: pd.DataFrame
    trajectory: list[TrajectoryPoint]
    spc: object = None
    spc_message: str = ""
    areas: pd.DataFrame = field(default_factory=pd.DataFrame)
    target_lsoas: set = field(default_factory=set)

    @property
    def latest_period(self) -> str | None:
        if self.by_quantile.empty:
            return None
        return self.by_quantile.sort_values("period_start")["period"].iloc[-1]

    def latest_quantiles(self) -> pd.DataFrame:
        period = self.latest_period
        return self.by_quantile[self.by_quantile["period"] == period]


def site_figures(site, indicator: Indicator, *, quantiles: int = 10) -> SiteFigures:
    frame = values_frame(indicator, [site])
    targets = scope.target_lsoas(site) | set(site.target_areas.values_list("code", flat=True))
    icb = scope.icb_lsoas(site)
    in_view = targets | icb | scope.icb_codes(site)
    if not frame.empty:
        frame = frame[frame["area_code"].isin(in_view)]
    table = by_quantile(frame, indicator, quantiles=quantiles, site=site)
    target = overall(frame, indicator, targets)
    rest = overall(frame, indicator, icb - targets)
    trajectory = list(TrajectoryPoint.objects.filter(site=site, indicator=indicator))
    figures = SiteFigures(
        indicator=indicator,
        site=site,
        quantiles=quantiles,
        frame=frame,
        by_quantile=table,
        inequality=inequality_over_time(table, indicator, quantiles),
        target=target,
        rest=rest,
        trajectory=trajectory,
        target_lsoas=targets,
    )
    goal = trajectory[-1].value if trajectory else None
    figures.spc, no_chart = spc_chart(
        target, indicator, goal, site_name=site.name, areas_chosen=bool(targets)
    )
    figures.spc_message = no_chart.message if no_chart else ""
    figures.areas = area_table(frame, targets, site)
    return figures


def area_table(frame: pd.DataFrame, targets: set, site, deciles=None, names=None) -> pd.DataFrame:
    """The latest period's total row for every area in view (the drill-down). ``deciles``
    and ``names`` (LSOA names): where the caller has them already (else looked up). A name
    uploaded with the data stays; a blank one is filled from the reference data."""
    columns = [
        "area_code",
        "area_name",
        "decile",
        "target",
        "period",
        "numerator",
        "denominator",
        "value",
        "lower95",
        "upper95",
    ]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    totals = frame[frame["breakdown_type"].isin(["Total", ""])]
    if totals.empty:
        return pd.DataFrame(columns=columns)
    latest = totals["period_start"].max()
    rows = totals[totals["period_start"] == latest].copy()
    if deciles is None:
        deciles = lsoa_deciles(set(rows["area_code"]), site)
    rows["decile"] = rows["area_code"].map(deciles)
    if names is None:
        names = lsoa_names(set(rows["area_code"]))
    # A name that came with the data is kept; a missing one (NaN, or a column of nothing but
    # NaN, which pandas stores as numbers) comes from the reference data.
    rows["area_name"] = [
        given if isinstance(given, str) and given.strip() else names.get(code, "")
        for given, code in zip(rows["area_name"], rows["area_code"], strict=True)
    ]
    rows["target"] = rows["area_code"].isin(targets)
    return rows.sort_values(["target", "area_code"], ascending=[False, True])[columns]


def trajectory_rows(figures: SiteFigures) -> list[dict]:
    """Actual (target areas) against the trajectory, period by period."""
    actual = {r["period"]: r for r in figures.target.to_dict("records")}
    aims = {p.period: p for p in figures.trajectory}
    periods = sorted(
        {*actual, *aims},
        key=lambda p: actual[p]["period_start"] if p in actual else aims[p].period_start,
    )
    rows = []
    better = figures.indicator.polarity
    for period in periods:
        a = actual.get(period)
        aim = aims.get(period)
        row = {
            "period": period,
            "actual": a["value"] if a else None,
            "lower95": a["lower95"] if a else None,
            "upper95": a["upper95"] if a else None,
            "trajectory": aim.value if aim else None,
            "status": "",
        }
        if a and aim:
            if better == Indicator.Polarity.LOWER_BETTER:
                row["status"] = "On track" if a["value"] <= aim.value else "Behind"
            elif better == Indicator.Polarity.HIGHER_BETTER:
                row["status"] = "On track" if a["value"] >= aim.value else "Behind"
        rows.append(row)
    return rows
