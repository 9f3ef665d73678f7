"""Server-rendered SVG charts for the outcomes dashboards, in the style of
core20.places.charts (whose colours, role="img", <title>/<desc> and no-script, no-inline-style
conventions they share). Every chart reads without colour: series differ in line pattern and
marker shape and are named in a legend, and the page shows the same numbers in a table with a
text summary beside the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core20.places.charts import BLUE, DARK_BLUE, GRID, TEXT, fit_text, text_width

ORANGE = "#a14900"  # 6.0:1 on white
GREY = "#4c6272"  # 6.6:1 on white
WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 84, 56
DASHES = ["", "8 4", "2 4", "12 4 2 4"]
COLOURS = [BLUE, ORANGE, GREY, DARK_BLUE]


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving at most 6 steps over ``span``."""
    step = 10 ** math.floor(math.log10(span / 5)) if span > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if span / (step * m) <= 6:
            return step * m
    return step * 10


def _nice_range(values: list[float]) -> tuple[float, float]:
    values = [v for v in values if v is not None and math.isfinite(v)]
    if not values:
        return 0.0, 1.0
    low, high = min(min(values), 0.0), max(values)
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


def _ticks(low: float, high: float, step: float) -> list[float]:
    """Gridlines every ``step`` (a round value, ``_nice_step``: so 0 has one whenever the axis
    crosses it)."""
    first = math.ceil(low / step - 1e-9)
    count = math.floor(high / step + 1e-9) - first + 1
    return [round((first + i) * step, 10) for i in range(count)]


def _open(cid: str, title: str, description: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false" '
        f'font-family="inherit" font-size="14" class="app-chart">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
    ]


def _axes(
    parts, low, high, y, unit: str, x_label: str, top: int = TOP, height: int = HEIGHT
) -> None:
    step = _nice_step(high - low)
    # As many decimals as the step needs: 0.25 is not shown as 0.2.
    digits = next(d for d in range(7) if abs(round(step, d) - step) < 1e-9 or d == 6)
    for tick in _ticks(low, high, step):
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
            f'stroke="{TEXT if abs(tick) < 1e-12 else GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{ty + 5:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{_fmt(tick, digits)}</text>"
        )
    parts.append(f'<text x="{LEFT}" y="{top - 14}" fill="{TEXT}">{escape(unit)}</text>')
    parts.append(
        f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2:.1f}" y="{height - 12}" '
        f'text-anchor="middle" fill="{TEXT}">{escape(x_label)}</text>'
    )


def bar_chart(
    rows: list[dict],
    *,
    chart_id: str,
    title: str,
    description: str,
    unit: str,
    x_label: str,
) -> SafeString:
    """Bars of rows ({label, value, lower95, upper95}) with 95% confidence-interval whiskers."""
    cid = escape(chart_id)
    values = [r["value"] for r in rows] + [r.get("upper95") for r in rows]
    low, high = _nice_range([v for v in values if v is not None])
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def y(v: float) -> float:
        return TOP + plot_h - (v - low) / (high - low) * plot_h

    parts = _open(cid, title, description)
    _axes(parts, low, high, y, unit, x_label)
    slot = plot_w / max(len(rows), 1)
    bar_w = slot * 0.6
    for i, row in enumerate(rows):
        x = LEFT + i * slot + (slot - bar_w) / 2
        value = row["value"] if row["value"] is not None else 0.0
        top, base = sorted((y(value), y(max(low, 0.0))))
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w:.1f}" height="{base - top:.1f}" '
            f'fill="{BLUE}"/>'
        )
        lo, hi = row.get("lower95"), row.get("upper95")
        if lo is not None and hi is not None and math.isfinite(lo) and math.isfinite(hi):
            cx = x + bar_w / 2
            parts.append(
                f'<path d="M{cx - 6:.1f} {y(hi):.1f} H{cx + 6:.1f} M{cx:.1f} {y(hi):.1f} '
                f'V{y(lo):.1f} M{cx - 6:.1f} {y(lo):.1f} H{cx + 6:.1f}" stroke="{TEXT}" '
                'stroke-width="2" fill="none"/>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(str(row["label"]))}</text>'
        )
    lx = WIDTH - RIGHT - 230
    parts += [
        f'<path d="M{lx} 10 H{lx + 12} M{lx + 6} 10 V24 M{lx} 24 H{lx + 12}" '
        f'stroke="{TEXT}" stroke-width="2" fill="none"/>',
        f'<text x="{lx + 20}" y="22" fill="{TEXT}">95% confidence interval</text>',
        "</svg>",
    ]
    return mark_safe("\n".join(parts))  # noqa: S308 (every text value above is escaped)


@dataclass
class Series:
    name: str
    values: list[float | None]  # one per x label
    lower: list[float | None] = field(default_factory=list)
    upper: list[float | None] = field(default_factory=list)
    markers: bool = True
    # Optional per-point marker kinds: "" (plain), "improvement", "concern", "neutral".
    kinds: list[str] = field(default_factory=list)


MARKER_NAMES = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither",
}


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "improvement":  # triangle
        return (
            f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y + 5:.1f} L{x - 7:.1f} {y + 5:.1f} Z" '
            f'fill="{BLUE}" stroke="{TEXT}"/>'
        )
    if kind == "concern":  # square
        return (
            f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{ORANGE}" '
            f'stroke="{TEXT}"/>'
        )
    if kind == "neutral":  # diamond
        return (
            f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y:.1f} L{x:.1f} {y + 7:.1f} '
            f'L{x - 7:.1f} {y:.1f} Z" fill="{GREY}" stroke="{TEXT}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


LEGEND_KEY = 30  # px from an entry's start to its name: the line sample or marker
LEGEND_GAP = 16  # px between entries on a row
LEGEND_ROW = 18  # px between rows


def _style(n: int) -> tuple[str, str]:
    """The n-th series' colour and dash pattern: every pair differs for the first 16 series
    (the fifth is blue again, but dashed)."""
    return COLOURS[n % len(COLOURS)], DASHES[(n + n // len(COLOURS)) % len(DASHES)]


def _kind(s: Series, i: int) -> str:
    return s.kinds[i] if i < len(s.kinds) else ""


def _legend(series: list[Series]) -> list[tuple[int | str, float, float, str]]:
    """(series number or marker kind, x, y, name) per legend entry: the series, then the
    special-cause marker shapes the chart uses. Rows wrap before an entry that would not fit
    the chart's width, and a name too long for a row of its own is cut short (the table
    beside the chart has it in full)."""
    used = {
        _kind(s, i) for s in series if s.markers for i, v in enumerate(s.values) if v is not None
    }
    entries: list[tuple[int | str, str]] = [(n, s.name) for n, s in enumerate(series)]
    entries += [(kind, name) for kind, name in MARKER_NAMES.items() if kind in used]
    right = WIDTH - RIGHT
    out = []
    lx, ly = LEFT, 16
    for key, name in entries:
        name = fit_text(name, right - LEFT - LEGEND_KEY)
        width = LEGEND_KEY + text_width(name)
        if lx > LEFT and lx + width > right:
            lx, ly = LEFT, ly + LEGEND_ROW
        out.append((key, lx, ly, name))
        lx += width + LEGEND_GAP
    return out


LABEL_GAP = 8  # px between neighbouring period labels
LABEL_LINE = 16  # px from one line of a two-line label to the next


def _period_layout(labels: list[str], xs: list[float]) -> tuple[list[list[str]], int]:
    """How to write the period labels under the x axis: each label's lines, and show every
    how-many-th label so that none touch. A label with a space ("2024/25 Q3") goes on two
    lines where one line would leave fewer labels shown."""
    one = [[label] for label in labels]
    two = [label.split(" ", 1) for label in labels]

    def every(rows: list[list[str]]) -> int:
        if len(xs) < 2:
            return 1
        widest = max(text_width(line) for row in rows for line in row)
        return max(1, math.ceil((widest + LABEL_GAP) / (xs[1] - xs[0])))

    if labels and all(len(row) == 2 for row in two) and every(two) < every(one):
        return two, every(two)
    return one, every(one)


def _period_labels(
    lines: list[list[str]], every: int, xs: list[float], baseline: float
) -> list[str]:
    """Every ``every``-th label, counted back from the latest period (always shown), each
    kept inside the chart."""
    out = []
    for i in range(len(lines) - 1, -1, -every):
        half = max(text_width(line) for line in lines[i]) / 2
        cx = min(max(xs[i], half), WIDTH - half)
        spans = "".join(
            f'<tspan x="{cx:.1f}" dy="{0 if k == 0 else LABEL_LINE}">{escape(line)}</tspan>'
            for k, line in enumerate(lines[i])
        )
        out.append(
            f'<text x="{cx:.1f}" y="{baseline}" text-anchor="middle" fill="{TEXT}">{spans}</text>'
        )
    return out[::-1]


def line_chart(
    labels: list[str],
    series: list[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    unit: str,
    x_label: str,
) -> SafeString:
    """Lines over periods; each series has its own dash pattern, optional 95% whiskers and
    (for SPC) marker shapes for special-cause points, all named in the legend."""
    cid = escape(chart_id)
    everything = [v for s in series for v in (*s.values, *s.lower, *s.upper) if v is not None]
    low, high = _nice_range(everything)
    if low == 0 and min(everything, default=0) > 0 and max(everything) > 0:
        low = 0.0
    legend = _legend(series)
    # The plot starts below the legend's last row and the unit label under it.
    top = max(TOP, (legend[-1][2] if legend else 0) + 36)
    plot_w = WIDTH - LEFT - RIGHT
    xs = [
        LEFT + plot_w / 2 if len(labels) == 1 else LEFT + 12 + i * (plot_w - 24) / (len(labels) - 1)
        for i in range(len(labels))
    ]
    lines, every = _period_layout(labels, xs)
    # Two-line period labels push the x axis title down a line, not into the plot.
    extra = LABEL_LINE * (max((len(row) for row in lines), default=1) - 1)
    bottom = BOTTOM + extra
    height = HEIGHT + top - TOP + extra
    plot_h = height - top - bottom

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    def x(i: int) -> float:
        return xs[i]

    parts = _open(cid, title, description, height)
    _axes(parts, low, high, y, unit, x_label, top, height)
    parts += _period_labels(lines, every, xs, height - bottom + 20)
    for n, s in enumerate(series):
        colour, dash = _style(n)
        points = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            d = " ".join(
                f"{'M' if j == 0 else 'L'}{px:.1f} {py:.1f}" for j, (px, py) in enumerate(points)
            )
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        for i, v in enumerate(s.values):
            if v is None:
                continue
            if s.lower and s.upper and s.lower[i] is not None and s.upper[i] is not None:
                parts.append(
                    f'<path d="M{x(i):.1f} {y(s.upper[i]):.1f} V{y(s.lower[i]):.1f}" '
                    f'stroke="{colour}" stroke-width="1.5"/>'
                )
            if s.markers:
                parts.append(_marker(_kind(s, i), x(i), y(v), colour))
    for key, lx, ly, name in legend:
        if isinstance(key, int):  # a series: its line sample
            colour, dash = _style(key)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{lx:.1f}" y1="{ly}" x2="{lx + 24:.1f}" y2="{ly}" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        else:  # a special-cause marker shape
            parts.append(_marker(key, lx + 12, ly, TEXT))
        parts.append(
            f'<text x="{lx + LEGEND_KEY:.1f}" y="{ly + 5}" fill="{TEXT}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("\n".join(parts))  # noqa: S308 (every text value above is escaped)
