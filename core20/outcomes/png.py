"""PNG downloads of the dashboards' SVG charts, rasterised in-process by resvg (resvg-py).

The page's SVG takes its width from the page (``width="100%"``) and its font from the page
(``font-family="inherit"``); neither means anything outside a page, so the root element is
given the chart's own size and a font family first. Text is drawn with the system fonts:
Noto Sans (close to the page font's widths, so legends fit) or DejaVu Sans, both installed
by scripts/test and scripts/demo.
"""

from __future__ import annotations

import re

import resvg_py

FONT_FAMILY = "Noto Sans, DejaVu Sans, Liberation Sans, Arial, sans-serif"
SCALE = 2.0  # 640 × 360 charts become 1,280 × 720 pixels: sharp on high-density screens
BACKGROUND = "#ffffff"  # the page's background, so the PNG reads the same outside it

_ROOT = re.compile(r"<svg\b[^>]*>")


def _standalone(svg: str) -> str:
    """The chart with a root element that does not depend on the page around it."""
    match = _ROOT.search(svg)
    if match is None:
        raise ValueError("not an SVG document")
    root = re.sub(r'\s(?:width|height|font-family)="[^"]*"', "", match.group(0))
    root = root[:-1] + f' font-family="{FONT_FAMILY}">'
    return svg[: match.start()] + root + svg[match.end() :]


def svg_to_png(svg: str, *, scale: float = SCALE) -> bytes:
    """PNG bytes of an SVG chart, ``scale`` times its viewBox size, on a white background."""
    return resvg_py.svg_to_bytes(
        svg_string=_standalone(svg),
        background=BACKGROUND,
        zoom=scale,
        sans_serif_family="DejaVu Sans",
    )
