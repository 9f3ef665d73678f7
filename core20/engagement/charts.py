"""The dashboard's chart: people reached each month, server-rendered SVG (no script, no
inline style). Each bar shows all people reached; the part reached in Core20 areas is
hatched dark blue, so the chart reads without colour; every bar is labelled with its value
and the page shows the same numbers in a table beside it."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core20.places.charts import BLUE, DARK_BLUE, GRID, TEXT

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 56, 64


def _nice_top(value: int) -> int:
    if value <= 10:
        return 10
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def monthly_chart(rows: list[dict], *, chart_id: str, title: str, description: str) -> SafeString:
    """Bars of ``rows`` ({month, people, people_core20})."""
    cid = escape(chart_id)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_top(max((r["people"] for r in rows), default=0))

    def y(value: float) -> float:
        return TOP + plot_h - (value / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false" '
        f'font-family="inherit" font-size="13" class="app-chart">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        "<defs>",
        f'<pattern id="{cid}-hatch" patternUnits="userSpaceOnUse" width="8" height="8" '
        'patternTransform="rotate(45)">',
        f'<rect width="8" height="8" fill="{DARK_BLUE}"/>',
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/>',
        "</pattern>",
        "</defs>",
    ]
    for i in range(5):
        value = top * i / 4
        ty = y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
            f'stroke="{GRID if i else TEXT}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{value:,.0f}</text>"
        )
    parts.append(f'<text x="{LEFT}" y="{TOP - 30}" fill="{TEXT}">People reached</text>')
    slot = plot_w / max(len(rows), 1)
    bar_w = slot * 0.64
    for i, row in enumerate(rows):
        x = LEFT + i * slot + (slot - bar_w) / 2
        people, core = row["people"], row["people_core20"]
        parts.append(
            f'<rect x="{x:.1f}" y="{y(people):.1f}" width="{bar_w:.1f}" '
            f'height="{y(0) - y(people):.1f}" fill="{BLUE}"/>'
        )
        if core:
            parts.append(
                f'<rect x="{x:.1f}" y="{y(core):.1f}" width="{bar_w:.1f}" '
                f'height="{y(0) - y(core):.1f}" fill="url(#{cid}-hatch)" stroke="{DARK_BLUE}"/>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y(people) - 5:.1f}" text-anchor="middle" '
            f'fill="{TEXT}" font-weight="bold">{people:,}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'fill="{TEXT}">{row["month"]:%b}</text>'
        )
        if i == 0 or row["month"].month == 1:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 34}" '
                f'text-anchor="middle" fill="{TEXT}">{row["month"]:%Y}</text>'
            )
    lx = WIDTH - RIGHT - 330
    parts += [
        f'<rect x="{lx}" y="{TOP - 44}" width="14" height="14" fill="{BLUE}"/>',
        f'<text x="{lx + 20}" y="{TOP - 32}" fill="{TEXT}">All people reached</text>',
        f'<rect x="{lx + 160}" y="{TOP - 44}" width="14" height="14" '
        f'fill="url(#{cid}-hatch)" stroke="{DARK_BLUE}"/>',
        f'<text x="{lx + 180}" y="{TOP - 32}" fill="{TEXT}">In Core20 areas</text>',
        "</svg>",
    ]
    return mark_safe("\n".join(parts))  # noqa: S308 (every text value above is escaped)
