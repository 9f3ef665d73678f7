"""PNG downloads of the dashboards' SVG charts, rasterised in-process by resvg (resvg-py).

The page's SVG takes its width from the page (``width="100%"``) and its font from the page
(``font-family="inherit"``); neither means anything outside a page, so the root element is
given the chart's own size and a font family first. Text is drawn with the system fonts:
Noto Sans (close to the page font's widths, so legends fit) or DejaVu Sans, both installed
by scripts/test and scripts/demo.

A PNG travels without the page, so the chart's title (its SVG ``<title>``, which the page
shows as a heading) is drawn above it, wrapped to the chart's width.
"""

from __future__ import annotations

import re
import textwrap

import resvg_py

FONT_FAMILY = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"
SCALE = 2.0  # 640 × 360 charts become 1,280 × 720 pixels: sharp on high-density screens
BACKGROUND = "#ffffff"  # the page's background, so the PNG reads the same outside it

_ROOT = re.compile(r"<svg\b[^>]*>")
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.DOTALL)
TITLE_SIZE = 16  # px, bold, in the chart's own units
TITLE_LINE = 22  # px between title lines
TITLE_CHARACTERS = 70  # per line: fits 640 px at 16 px


def _standalone(svg: str) -> str:
    """The chart with a root element that does not depend on the page around it."""
    match = _ROOT.search(svg)
    if match is None:
        raise ValueError("not an SVG document")
    root = re.sub(r'\s(?:width|height|font-family)="[^"]*"', "", match.group(0))
    root = root[:-1] + f' font-family="{FONT_FAMILY}">'
    return svg[: match.start()] + root + svg[match.end() :]


def titled(svg: str) -> str:
    """The chart with its title drawn in a band above it (the viewBox grows to make room)."""
    title = _TITLE.search(svg)
    box = _VIEWBOX.search(svg)
    if title is None or box is None or not title.group(1).strip():
        return svg
    height = float(box.group(2))
    # The title is already escaped for XML; it is wrapped at spaces, never inside an entity.
    lines = textwrap.wrap(
        " ".join(title.group(1).split()),
        TITLE_CHARACTERS,
        break_long_words=False,
        break_on_hyphens=False,
    )
    band = title_band(len(lines))
    texts = "".join(
        f'<text x="8" y="{TITLE_LINE * (i + 1)}" font-size="{TITLE_SIZE}" font-weight="bold" '
        f'fill="#212b32">{line}</text>'
        for i, line in enumerate(lines)
    )
    svg = svg[: box.start()] + f'viewBox="0 0 {box.group(1)} {height + band:g}"' + svg[box.end() :]
    root = _ROOT.search(svg)
    close = svg.rindex("</svg>")
    inner = svg[root.end() : close]
    moved = f'<g transform="translate(0 {band})">{inner}</g>'
    return svg[: root.end()] + texts + moved + svg[close:]


def title_band(lines: int) -> int:
    """The height, in chart units, of a title of ``lines`` lines."""
    return TITLE_LINE * lines + 14


def svg_to_png(svg: str, *, scale: float = SCALE) -> bytes:
    """PNG bytes of an SVG chart with its title above it, ``scale`` times its viewBox size,
    on a white background."""
    return resvg_py.svg_to_bytes(
        svg_string=_standalone(titled(svg)),
        background=BACKGROUND,
        zoom=scale,
        sans_serif_family="DejaVu Sans",
    )
