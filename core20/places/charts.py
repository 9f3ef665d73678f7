"""Server-rendered SVG charts (no script, no inline styles: the CSP allows neither).

``decile_chart`` draws the share of an area's population in each IMD decile as a bar chart
that reads without colour: every bar is labelled with its value, Core20 bars (deciles 1-2)
are hatched and bracketed with the word "Core20", and the national share is a black marker
named in the legend. Colours meet WCAG 2.2 AA non-text contrast (3:1) against white: NHS
blue #005eb8 (5.9:1), NHS dark blue #003087 (12:1), text and markers #212b32 (15:1).
The SVG has role="img", a <title> and a <desc> named by aria-labelledby; pages show the
same numbers in a table beside it.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#005eb8"
DARK_BLUE = "#003087"
TEXT = "#212b32"
GRID = "#d8dde0"

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 56, 96


# Advance widths of Arial (Helvetica's metrics), in thousandths of the font size, for laying
# out text that SVG can neither measure nor wrap (legends). The page font (Frutiger) and the
# PNG's Noto Sans set a little wider, hence the margin in ``text_width``.
_ADVANCE = {
    191: "'",
    222: "ijl",
    260: "|",
    278: " !,./:;I[\\]ft",
    333: "()-`r",
    334: "{}",
    355: '"',
    389: "*",
    469: "^",
    500: "Jcksvxyz",
    556: "#$?L_abdeghnopqu0123456789",
    584: "+<=>~",
    611: "FTZ",
    667: "&ABEKPSVXY",
    722: "CDHNRUw",
    778: "GOQ",
    833: "Mm",
    889: "%",
    944: "W",
    1000: "…",
    1015: "@",
}
_WIDTH_OF = {character: width for width, characters in _ADVANCE.items() for character in characters}
_WIDE = 778  # anything not listed (accented and other letters, symbols): as wide as an O
_MARGIN = 1.1


def text_width(text: str, size: float = 14) -> float:
    """About how wide ``text`` is in px at ``size`` px, erring on the wide side."""
    return sum(_WIDTH_OF.get(character, _WIDE) for character in text) * size / 1000 * _MARGIN


def fit_text(text: str, width: float, size: float = 14) -> str:
    """``text``, cut short with an ellipsis if it would be wider than ``width`` px."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _percent(share: float | None) -> str:
    if share is None:
        return "–"
    value = share * 100
    if 0 < value < 0.5:
        return "<1%"
    return f"{value:.0f}%"


def decile_chart(
    rows: list[dict],
    *,
    chart_id: str,
    title: str,
    description: str,
    edition_name: str,
    area_label: str = "target areas",
) -> SafeString:
    """A bar chart of ``rows`` ({decile, share, national_share, core20}), deciles 1-10."""
    cid = escape(chart_id)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    shares = [r.get("share") or 0.0 for r in rows] + [r.get("national_share") or 0.0 for r in rows]
    top = max(0.1, math.ceil(max(shares, default=0.0) * 10 + 1e-9) / 10)
    top = min(top, 1.0)

    def y(share: float) -> float:
        return TOP + plot_h - (share / top) * plot_h

    slot = plot_w / max(len(rows), 1)
    bar_w = slot * 0.62
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false" '
        f'font-family="inherit" font-size="14" class="app-chart">',
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
    # Grid lines and the y axis labels, every 10 per cent (or 20 above 50).
    step = 0.1 if top <= 0.5 else 0.2
    tick = 0.0
    while tick <= top + 1e-9:
        ty = y(tick)
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{WIDTH - RIGHT}" y2="{ty:.1f}" '
            f'stroke="{GRID if tick else TEXT}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{ty + 5:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{tick * 100:.0f}%</text>"
        )
        tick = round(tick + step, 10)
    parts.append(
        f'<text x="{LEFT}" y="{TOP - 34}" fill="{TEXT}">'
        f"% of people in the {escape(area_label)}</text>"
    )
    # Bars, value labels and national markers.
    for i, row in enumerate(rows):
        share = row.get("share") or 0.0
        x = LEFT + i * slot + (slot - bar_w) / 2
        fill = f"url(#{cid}-hatch)" if row.get("core20") else BLUE
        stroke = DARK_BLUE if row.get("core20") else BLUE
        height = max(0.0, y(0) - y(share))
        parts.append(
            f'<rect x="{x:.1f}" y="{y(share):.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y(share) - 6:.1f}" text-anchor="middle" '
            f'fill="{TEXT}" font-weight="bold">{_percent(row.get("share"))}</text>'
        )
        national = row.get("national_share")
        if national is not None:
            ny = y(national)
            parts.append(
                f'<line x1="{x - 4:.1f}" y1="{ny:.1f}" x2="{x + bar_w + 4:.1f}" y2="{ny:.1f}" '
                f'stroke="{TEXT}" stroke-width="3" stroke-dasharray="6 3"/>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle" '
            f'fill="{TEXT}">{row["decile"]}</text>'
        )
    # The Core20 bracket under deciles 1 and 2.
    core = [i for i, r in enumerate(rows) if r.get("core20")]
    if core:
        x1 = LEFT + core[0] * slot + 4
        x2 = LEFT + (core[-1] + 1) * slot - 4
        by = HEIGHT - BOTTOM + 30
        parts.append(
            f'<path d="M{x1:.1f} {by} V{by + 6} H{x2:.1f} V{by}" fill="none" '
            f'stroke="{TEXT}" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{(x1 + x2) / 2:.1f}" y="{by + 22}" text-anchor="middle" '
            f'fill="{TEXT}" font-weight="bold">Core20</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" '
        f'fill="{TEXT}">{escape(edition_name)} decile (1 = most deprived 10% of '
        "neighbourhoods in England)</text>"
    )
    # Legend.
    lx = WIDTH - RIGHT - 300
    parts += [
        f'<rect x="{lx}" y="{TOP - 50}" width="14" height="14" fill="url(#{cid}-hatch)" '
        f'stroke="{DARK_BLUE}"/>',
        f'<text x="{lx + 20}" y="{TOP - 38}" fill="{TEXT}">Core20 decile</text>',
        f'<line x1="{lx + 130}" y1="{TOP - 43}" x2="{lx + 154}" y2="{TOP - 43}" '
        f'stroke="{TEXT}" stroke-width="3" stroke-dasharray="6 3"/>',
        f'<text x="{lx + 160}" y="{TOP - 38}" fill="{TEXT}">England</text>',
        "</svg>",
    ]
    return mark_safe("\n".join(parts))  # noqa: S308 (every text value above is escaped)
