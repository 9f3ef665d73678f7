"""The line chart's legend: laid out by the width of its names, wrapped before an entry that
would not fit, cut short when one name is wider than the chart, and never over the plot."""

import html
import re

import pytest

from core20.outcomes.charts import HEIGHT, RIGHT, WIDTH, Series, line_chart
from core20.places.charts import fit_text, text_width


def test_text_width_adds_arial_advance_widths_with_a_margin():
    # H 722 + e 556 + l 222 + l 222 + o 556 = 2,278 thousandths of 14 px, plus 10%.
    assert text_width("Hello") == pytest.approx(2278 * 14 / 1000 * 1.1)
    assert text_width("Hello", size=20) == pytest.approx(2278 * 20 / 1000 * 1.1)
    # Characters outside the table count as wide as an O.
    assert text_width("é") == pytest.approx(778 * 14 / 1000 * 1.1)


def test_fit_text_cuts_long_names_with_an_ellipsis():
    assert fit_text("England", 200) == "England"
    cut = fit_text("Most deprived 20% of neighbourhoods in the integrated care system", 150)
    assert cut.endswith("…") and cut.startswith("Most deprived")
    assert text_width(cut) <= 150 < text_width(cut[:-1] + "x…")


def _chart(names: list[str], kinds: list[str] | None = None) -> str:
    series = [
        Series(name, [1.0 + n, 2.0 + n, 3.0 + n], kinds=kinds or []) for n, name in enumerate(names)
    ]
    return str(
        line_chart(
            ["2024", "2025", "2026"],
            series,
            chart_id="c",
            title="T",
            description="D",
            unit="Per 100,000",
            x_label="Year",
        )
    )


def _texts(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), html.unescape(text))
        for x, y, text in re.findall(r'<text x="([0-9.]+)" y="([0-9.]+)"[^>]*>([^<]*)</text>', svg)
    ]


def test_a_short_legend_keeps_the_standard_size():
    svg = _chart(["Site", "England"])
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in svg
    legend = [t for t in _texts(svg) if t[2] in ("Site", "England")]
    assert len({y for _, y, _ in legend}) == 1  # one row


def test_a_long_legend_wraps_inside_the_chart_and_pushes_the_plot_down():
    names = [
        "Core20 neighbourhoods in the site",
        "The rest of the site",
        "England's most deprived 20%",
        "England",
        "Target trajectory agreed with the ICB",
    ]
    svg = _chart(names, kinds=["", "improvement", "concern"])
    texts = _texts(svg)
    legend = [t for t in texts if t[2] in names or t[2].startswith("Special cause")]
    assert {t[2] for t in legend} == {
        *names,
        "Special cause: improvement",
        "Special cause: concern",
    }
    for x, _, name in legend:
        assert x + text_width(name) <= WIDTH - RIGHT, name
    rows = sorted({y for _, y, _ in legend})
    assert len(rows) >= 4
    # The unit label sits below the last legend row, and the grid starts below it.
    unit_y = next(y for _, y, text in texts if text == "Per 100,000")
    assert unit_y >= rows[-1] + 14
    height = int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    assert height > HEIGHT
    grid = [float(y) for y in re.findall(r'<line x1="[0-9.]+" y1="([0-9.]+)" x2', svg)]
    assert min(y for y in grid if y > rows[-1]) > unit_y


def test_a_name_wider_than_the_chart_is_cut_short():
    long = "A very long series name " * 8
    svg = _chart([long.strip()])
    (name,) = [t for _, _, t in _texts(svg) if t.startswith("A very long")]
    assert name.endswith("…") and text_width(name) <= WIDTH


def test_every_series_differs_in_colour_or_pattern():
    from core20.outcomes.charts import _style

    styles = [_style(n) for n in range(16)]
    assert len(set(styles)) == 16
    svg = _chart(["A", "B", "C", "D", "E"])
    lines = re.findall(
        r'<path d="M[^"]*" fill="none" stroke="([^"]+)" stroke-width="2.5"([^/]*)/>', svg
    )
    assert len(lines) == 5 and lines[0] != lines[4]
