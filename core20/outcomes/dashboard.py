"""What the site dashboard shows for one indicator: tables, charts and text summaries, built
once from ``analysis.SiteFigures`` so the page, the CSV/XLSX downloads and the SVG downloads
agree."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import reverse

from core20.outcomes import analysis, mdc
from core20.outcomes.charts import Series, bar_chart, line_chart
from core20.outcomes.periods import kind_of as period_kind
from core20.outcomes.tables import Column, Table
from inequalities.spc import SHORT_BASELINE, SINGLE_POINT, TRIAL_LIMITS, SegmentNote

QUANTILE_NAMES = {10: "decile", 5: "quintile"}


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def fmt(v, digits=1) -> str:
    v = _num(v)
    return "not available" if v is None else f"{v:,.{digits}f}"


# How many decimals past ``digits`` an interval may take to tell its limits apart.
EXTRA_INTERVAL_DIGITS = 3


def fmt_interval(lower, upper, digits: int = 1) -> str:
    """A confidence interval in words, "57.5 to 57.7": the one way outcomes writes an
    interval. Where both limits would show as the same number (England's figures, from
    denominators of millions, have intervals far narrower than 0.1), more decimals are
    shown, as many as tell the limits apart ("66.91 to 66.93"); an interval narrower still
    is said to be so ("narrower than 0.0001 around 66.9") rather than written "66.9 to
    66.9". Tables and downloads keep their own columns of limits."""
    lower, upper = _num(lower), _num(upper)
    if lower is None or upper is None:
        return "not available"
    for shown in range(digits, digits + EXTRA_INTERVAL_DIGITS + 1):
        low, high = round(lower, shown) + 0.0, round(upper, shown) + 0.0  # + 0.0: no "-0.0"
        if low != high:
            return f"{low:,.{shown}f} to {high:,.{shown}f}"
    width = f"{10 ** -(digits + EXTRA_INTERVAL_DIGITS):.{digits + EXTRA_INTERVAL_DIGITS}f}"
    return f"narrower than {width} around {fmt((lower + upper) / 2, digits)}"


@dataclass
class Section:
    key: str
    heading: str
    summary: str
    table: Table
    chart: str = ""  # SVG markup, or "" where there is nothing to draw
    notes: list[str] = field(default_factory=list)
    icons: list[mdc.Shown] = field(default_factory=list)  # Making Data Count icons (SPC)
    link: tuple[str, str] | None = None  # (words, URL): what to do about a missing figure
    # A table that may be long (every LSOA of an ICS: hundreds of rows): past FIRST_ROWS
    # rows the page shows only the first ones and the downloads give them all
    # (views.first_rows); the section's own summary says what is in it.
    may_be_long: bool = False

    @property
    def long(self) -> bool:
        """The table may be long and is: the page shows only its first FIRST_ROWS rows."""
        return self.may_be_long and len(self.table.rows) > FIRST_ROWS


FIRST_ROWS = 20


def value_columns(unit: str) -> list[Column]:
    label = with_unit("Value", unit)
    return [
        Column("numerator", "Numerator", True, 0),
        Column("denominator", "Denominator", True, 0),
        Column("value", label, True, 1),
        Column("lower95", "Lower 95% limit", True, 1),
        Column("upper95", "Upper 95% limit", True, 1),
    ]


def build(
    figures: analysis.SiteFigures, *, user_may_see_areas: bool = True, areas_url: str = ""
) -> list[Section]:
    """The dashboard's sections. ``areas_url``: where the viewer may choose the site's target
    areas ("" if they may not), offered where the site has none."""
    ind = figures.indicator
    site = figures.site
    unit = ind.unit
    qname = QUANTILE_NAMES[figures.quantiles]
    sections = []

    # 1. By deprivation, latest period.
    latest = figures.latest_quantiles()
    rows = [{**r, "label": int(r["quantile"])} for r in latest.to_dict("records")]
    table = Table(
        "by-quantile",
        f"{ind.name} by IMD {qname} (1 = most deprived), {figures.latest_period or 'no data'}",
        [Column("label", f"IMD {qname}"), *value_columns(unit)],
        rows,
    )
    if rows:
        most, least = rows[0], rows[-1]
        summary = (
            f"In {figures.latest_period}, {ind.name.lower()} was "
            f"{fmt(most['value'])}{unit_text(unit)} in the most deprived {qname} and "
            f"{fmt(least['value'])}{unit_text(unit)} in the least deprived {qname} of "
            f"{site.name}'s area."
        )
        chart = bar_chart(
            [
                {
                    "label": r["label"],
                    "value": _num(r["value"]),
                    "lower95": _num(r["lower95"]),
                    "upper95": _num(r["upper95"]),
                }
                for r in rows
            ],
            chart_id="by-quantile",
            title=f"{ind.name} by IMD {qname}, {figures.latest_period}",
            description=f"Bar chart with 95% confidence intervals. {summary} "
            "The table below gives every value.",
            unit=unit or "Value",
            x_label=f"IMD {qname} (1 = most deprived)",
        )
    else:
        summary = (
            f"There are no figures by IMD {qname} for {site.name} yet: upload data with a "
            "deprivation breakdown, or LSOA-level data."
        )
        chart = ""
    sections.append(Section("by-quantile", f"By deprivation {qname}", summary, table, chart))

    # 2. Inequality over time: gap and SII/RII. The gap and the SII are differences between
    # values, so they are in the difference's unit (percentage points for percentages).
    ineq = figures.inequality.to_dict("records")
    difference = difference_unit(unit)
    table = Table(
        "inequality",
        f"The gap between the most and least deprived {qname}s, and the slope and relative "
        "indices of inequality, by period",
        [
            Column("period", "Period"),
            Column("most", with_unit("Most deprived", unit), True),
            Column("least", with_unit("Least deprived", unit), True),
            Column("gap", with_unit("Gap, most minus least", difference), True),
            Column("sii", with_unit("SII", difference), True),
            Column("sii_lower", with_unit("SII lower 95%", difference), True),
            Column("sii_upper", with_unit("SII upper 95%", difference), True),
            Column("rii", "RII", True, 2),
            Column("rii_lower", "RII lower 95%", True, 2),
            Column("rii_upper", "RII upper 95%", True, 2),
        ],
        ineq,
    )
    complete = [r for r in ineq if _num(r.get("sii")) is not None]
    if complete:
        last = complete[-1]
        summary = inequality_summary(last, ind.name, qname, unit)
        labels = [r["period"] for r in ineq]
        chart = line_chart(
            labels,
            [
                Series("Gap (most minus least deprived)", [_num(r["gap"]) for r in ineq]),
                Series(
                    "SII (least minus most deprived, modelled) with 95% CI",
                    [_num(r["sii"]) for r in ineq],
                    [_num(r["sii_lower"]) for r in ineq],
                    [_num(r["sii_upper"]) for r in ineq],
                ),
            ],
            chart_id="inequality",
            title=f"Inequality in {ind.name} over time",
            description=f"Line chart. {summary} The table below gives every value.",
            unit=difference or "Difference",
            x_label="Period",
        )
    else:
        summary = f"The gap and SII need figures for every {qname} in a period; there are none yet."
        chart = ""
    sections.append(
        Section(
            "inequality",
            "Inequality over time",
            summary,
            table,
            chart,
            [
                "SII: slope index of inequality (PHE method), fitted across "
                "deprivation quantiles weighted by population; its limits are "
                "simulated. RII: relative index of inequality (a ratio, with no unit)."
                + (f" The gap and the SII are in {difference}." if difference else "")
                + " The gap is the most deprived minus the least deprived; the SII runs the "
                "other way, the least deprived end minus the most deprived end of the fitted "
                "line. So where the most deprived have the lower value, the gap is negative "
                "and the SII positive."
            ],
        )
    )

    # 3. Target areas against the rest of the ICS.
    target = figures.target.to_dict("records")
    rest = {r["period"]: r for r in figures.rest.to_dict("records")}
    rows = []
    for r in target:
        other = rest.get(r["period"], {})
        rows.append(
            {
                "period": r["period"],
                "target": r["value"],
                "target_lower": r["lower95"],
                "target_upper": r["upper95"],
                "rest": other.get("value"),
                "rest_lower": other.get("lower95"),
                "rest_upper": other.get("upper95"),
            }
        )
    table = Table(
        "target-vs-rest",
        f"{ind.name}: target areas against the rest of the ICS, by period",
        [
            Column("period", "Period"),
            Column("target", "Target areas", True),
            Column("target_lower", "Target lower 95%", True),
            Column("target_upper", "Target upper 95%", True),
            Column("rest", "Rest of the ICS", True),
            Column("rest_lower", "Rest lower 95%", True),
            Column("rest_upper", "Rest upper 95%", True),
        ],
        rows,
    )
    if rows:
        last = rows[-1]
        summary = (
            f"In {last['period']} the target areas' value was "
            f"{fmt(last['target'])}{unit_text(unit)}"
            f" (95% CI {fmt_interval(last['target_lower'], last['target_upper'])}) against "
            f"{fmt(last['rest'])}{unit_text(unit)} in the rest of the ICS."
        )
        chart = line_chart(
            [r["period"] for r in rows],
            [
                Series(
                    "Target areas",
                    [_num(r["target"]) for r in rows],
                    [_num(r["target_lower"]) for r in rows],
                    [_num(r["target_upper"]) for r in rows],
                ),
                Series(
                    "Rest of the ICS",
                    [_num(r["rest"]) for r in rows],
                    [_num(r["rest_lower"]) for r in rows],
                    [_num(r["rest_upper"]) for r in rows],
                ),
            ],
            chart_id="target-vs-rest",
            title=f"{ind.name}: target areas and the rest of the ICS",
            description=f"Line chart. {summary} The table below gives every value.",
            unit=unit or "Value",
            x_label="Period",
        )
    else:
        summary = (
            "There is no area-level data for the target areas yet (upload LSOA-level figures, "
            "or choose target areas on the site's places page)."
        )
        chart = ""
    sections.append(
        Section("target-vs-rest", "Target areas and the rest of the ICS", summary, table, chart)
    )

    # 4. SPC of the target areas' value.
    result = figures.spc
    if result is not None:
        points = result.points
        charts = result.charts.iloc[0]
        kinds = []
        for t in points["point_type"]:
            kinds.append(
                "improvement"
                if "improvement" in t
                else "concern"
                if "concern" in t
                else "neutral"
                if "neutral" in t
                else ""
            )
        labels = [r["period"] for r in target]
        rows = []
        for period, (_, p) in zip(labels, points.iterrows(), strict=False):
            rows.append(
                {
                    "period": period,
                    "value": p["value"],
                    "mean": p["mean"],
                    "lpl": p["lpl"],
                    "upl": p["upl"],
                    "signal": mdc.signal_text(
                        p["point_type"],
                        p["rule"],
                        improvement=ind.improvement,
                        trend_length=analysis.SPC_TREND_LENGTH,
                        shift_length=analysis.SPC_SHIFT_LENGTH,
                    ),
                }
            )
        shown = mdc.spc_shown(charts["variation_icon"], charts["assurance_icon"])
        variation, assurance = shown[0].text, shown[1].text
        goal = figures.trajectory[-1] if figures.trajectory else None
        if goal is not None and charts["assurance_icon"]:
            assurance += (
                f" (the target is {fmt(goal.value)}{unit_text(unit)}, {site.name}'s trajectory "
                f"for {goal.period}, its last period)"
            )
        summary = (
            f"Variation icon: {variation}. Assurance icon: {assurance}. Mean "
            f"{fmt(charts['mean'])}, process limits {fmt(charts['lpl'])} to "
            f"{fmt(charts['upl'])}."
        )
        caveats = spc_caveats(result.notes, [(r["period"], r["period_start"]) for r in target])
        if caveats:
            summary += f" {caveats}"
        chart = line_chart(
            labels,
            [
                Series("Target areas", [_num(v) for v in points["value"]], kinds=kinds),
                Series("Mean", [_num(v) for v in points["mean"]], markers=False),
                Series("Upper process limit", [_num(v) for v in points["upl"]], markers=False),
                Series("Lower process limit", [_num(v) for v in points["lpl"]], markers=False),
            ],
            chart_id="spc",
            title=f"SPC chart of {ind.name} in the target areas",
            description=f"XmR chart. {summary} The table below gives every value.",
            unit=unit or "Value",
            x_label="Period",
        )
        table = Table(
            "spc",
            f"SPC chart of {ind.name} in the target areas",
            [
                Column("period", "Period"),
                Column("value", "Value", True),
                Column("mean", "Mean", True),
                Column("lpl", "Lower process limit", True),
                Column("upl", "Upper process limit", True),
                Column("signal", "Signal"),
            ],
            rows,
        )
        sections.append(
            Section(
                "spc",
                "Statistical process control (Making Data Count)",
                summary,
                table,
                chart,
                icons=shown,
            )
        )
    else:
        sections.append(
            Section(
                "spc",
                "Statistical process control (Making Data Count)",
                figures.spc_message,
                Table("spc", "SPC chart", [Column("period", "Period")], []),
                "",
                link=("Choose target areas", areas_url)
                if areas_url and not figures.target_lsoas
                else None,
            )
        )

    # 5. Actual against trajectory.
    rows = analysis.trajectory_rows(figures)
    table = Table(
        "trajectory",
        f"{ind.name}: target areas against {site.name}'s trajectory",
        [
            Column("period", "Period"),
            Column("actual", "Actual", True),
            Column("lower95", "Lower 95%", True),
            Column("upper95", "Upper 95%", True),
            Column("trajectory", "Trajectory", True),
            Column("status", "Status"),
        ],
        rows,
    )
    judged = [r for r in rows if r["status"]]
    if figures.trajectory:
        if judged:
            last = judged[-1]
            summary = (
                f"In {last['period']} the target areas' value was {fmt(last['actual'])}"
                f"{unit_text(unit)} against a trajectory of {fmt(last['trajectory'])}"
                f"{unit_text(unit)}: {last['status'].lower()}."
            )
        else:
            summary = "There is a trajectory but no actual figure for any of its periods yet."
        chart = line_chart(
            [r["period"] for r in rows],
            [
                Series(
                    "Actual (target areas)",
                    [_num(r["actual"]) for r in rows],
                    [_num(r["lower95"]) for r in rows],
                    [_num(r["upper95"]) for r in rows],
                ),
                Series("Trajectory", [_num(r["trajectory"]) for r in rows]),
            ],
            chart_id="trajectory",
            title=f"{ind.name}: actual against trajectory",
            description=f"Line chart. {summary} The table below gives every value.",
            unit=unit or "Value",
            x_label="Period",
        )
    else:
        summary = f"{site.name} has not set a trajectory for this indicator."
        chart = ""
    sections.append(Section("trajectory", "Actual against trajectory", summary, table, chart))

    # 6. Areas (the drill-down).
    areas = figures.areas.to_dict("records") if user_may_see_areas else []
    table = Table(
        "areas",
        f"{ind.name} by area, latest period",
        [
            Column("area_code", "Area code"),
            Column("area_name", "Area"),
            Column("decile", "IMD decile", True, 0),
            Column("target", "Target area"),
            Column("period", "Period"),
            *value_columns(unit),
        ],
        areas,
    )
    summary = (
        f"{len(areas)} areas with figures in the latest period, "
        f"{sum(1 for a in areas if a['target'])} of them target areas."
        if areas
        else "No area-level figures yet."
    )
    sections.append(Section("areas", "Areas", summary, table, may_be_long=True))
    return sections


def spc_caveats(notes: Iterable[SegmentNote], periods: list[tuple[str, object]]) -> str:
    """The SPC engine's caveats about its segments (``SpcResult.notes``) in plain words,
    chosen by each note's code, never by the engine's own words, and naming the periods
    (``periods``: (label, start date) of each point) rather than dates. A code this does not
    know is given in the engine's words."""
    labels = {str(start)[:10]: label for label, start in periods}
    kind = period_kind([label for label, _ in periods])
    out = []
    for note in notes:
        since = labels.get(str(note.start)[:10], str(note.start)[:10])
        if note.code == TRIAL_LIMITS:
            out.append(
                f"The limits are provisional: they are worked out from the {note.points} "
                f"{kind} starting {since}, fewer than the {note.needed} usually needed for "
                "settled limits."
            )
        elif note.code == SINGLE_POINT:
            out.append(f"There are no limits from {since}: one point alone has none.")
        elif note.code == SHORT_BASELINE:
            out.append(
                f"The limits from {since} use all {note.points} {kind}, fewer than the "
                f"{note.needed} they were to be fixed after."
            )
        else:
            out.append(note.message[:1].upper() + note.message[1:] + ".")
    return " ".join(out)


def _direction(difference: float) -> str:
    """ "lower" or "higher", or "" where ``difference`` shows as 0.0."""
    if round(difference, 1) == 0:
        return ""
    return "lower" if difference < 0 else "higher"


def inequality_summary(row: dict, name: str, qname: str, unit: str) -> str:
    """The gap and the SII of one period (a row of ``analysis.inequality_over_time``) in
    words, each with its direction: the gap is most minus least deprived, the SII the least
    deprived end minus the most deprived end of the fitted line (docs/methods 7.2, 7.3), so
    their signs differ when they agree. The numbers are the table's."""
    diff = gap_unit_text(unit)
    most, least = f"the most deprived {qname}", f"the least deprived {qname}"
    gap = _num(row["gap"])
    where = _direction(gap)
    if where:
        words = (
            f"In {row['period']}, {name.lower()} was {fmt(abs(gap))}{diff} {where} in {most} "
            f"than in {least}"
        )
    else:
        words = f"In {row['period']}, {name.lower()} was the same in {most} and {least}"
    words += f" ({fmt(row['most'])}{unit_text(unit)} against {fmt(row['least'])}{unit_text(unit)})."
    sii = _num(row["sii"])
    lower, upper = _num(row["sii_lower"]), _num(row["sii_upper"])
    words += (
        " The slope index of inequality (SII), the modelled gap across the whole deprivation "
        f"range going from the most to the least deprived, was {fmt(sii)}{diff} (95% CI "
        f"{fmt_interval(lower, upper)})"
    )
    # The SII is the least deprived end minus the most deprived end: positive when the most
    # deprived end is lower.
    where = _direction(-sii)
    if where:
        words += (
            f": the most deprived end is modelled {fmt(abs(sii))}{diff} {where} than the "
            "least deprived end."
        )
    else:
        words += ": no modelled difference between the most and least deprived ends."
    if lower is not None and upper is not None and lower <= 0 <= upper:
        words += " Its 95% confidence interval includes no difference."
    return words


def england_section(indicator, rows) -> Section | None:
    """England's own figure over time (``analysis.england_over_time``): value and 95% CI per
    period, as a line chart, a table and a sentence. None where England has figures for
    fewer than two periods: there is no trend to show."""
    records = rows.to_dict("records")
    if len(records) < 2:
        return None
    unit = indicator.unit
    table = Table(
        "england",
        f"{indicator.name} in England, by period",
        [Column("period", "Period"), *value_columns(unit)],
        records,
    )
    first, last = records[0], records[-1]
    summary = (
        f"In {last['period']} the value for England was {fmt(last['value'])}{unit_text(unit)} "
        f"(95% CI {fmt_interval(last['lower95'], last['upper95'])}), against "
        f"{fmt(first['value'])}{unit_text(unit)} in {first['period']}, the first of "
        f"{len(records)} periods."
    )
    chart = line_chart(
        [r["period"] for r in records],
        [
            Series(
                "England with 95% CI",
                [_num(r["value"]) for r in records],
                [_num(r["lower95"]) for r in records],
                [_num(r["upper95"]) for r in records],
            )
        ],
        chart_id="england",
        title=f"{indicator.name} in England over time",
        description=f"Line chart. {summary} The table below gives every value.",
        unit=unit or "Value",
        x_label="Period",
    )
    return Section("england", "England over time", summary, table, chart)


def unit_text(unit: str) -> str:
    return "%" if unit == "%" else (f" {unit}" if unit else "")


def difference_unit(unit: str) -> str:
    """The unit of a difference between two values (a gap, the slope index of inequality),
    from the indicator's ``unit`` (``Indicator.unit``, from its type): of two percentages,
    percentage points; of two rates, the rate's unit (per 100,000); "" where the values have
    none (ratios, counts)."""
    return "percentage points" if unit == "%" else unit


def gap_unit_text(unit: str) -> str:
    """The unit of a difference between two values, after a number: " percentage points"."""
    difference = difference_unit(unit)
    return f" {difference}" if difference else ""


def with_unit(label: str, unit: str) -> str:
    """A column heading with its unit in brackets: "SII (percentage points)"."""
    return f"{label} ({unit})" if unit else label


def export_url(site, indicator, key: str, fmt: str) -> str:
    return reverse("outcomes:site-indicator-export", args=[site.slug, indicator.code, key, fmt])
