"""The line chart's legend: laid out by the width of its names, wrapped before an entry that
would not fit, cut short when one name is wider than the chart, and never over the plot."""

import html
import itertools
import re

import pytest

from core20.outcomes.charts import HEIGHT, RIGHT, WIDTH, Series, bar_chart, line_chart
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


# ---- the period labels under the x axis ----

QUARTERS = [
    f"{year}/{(year + 1) % 100:02d} Q{q}" for year in (2024, 2025, 2026) for q in (1, 2, 3, 4)
][2:10]  # 2024/25 Q3 to 2026/27 Q2


def _period_chart(labels: list[str]) -> str:
    return str(
        line_chart(
            labels,
            [Series("Gap", [float(i) for i in range(len(labels))])],
            chart_id="p",
            title="T",
            description="D",
            unit="percentage points",
            x_label="Period",
        )
    )


def _labels(svg: str) -> list[tuple[float, list[str], float]]:
    """Each period label under the axis: (centre x, its lines, its baseline y)."""
    found = []
    for x, y, body in re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>(<tspan.*?)</text>', svg):
        lines = [html.unescape(t) for t in re.findall(r"<tspan[^>]*>(.*?)</tspan>", body)]
        found.append((float(x), lines, float(y)))
    return found


def _extents(labels):
    return [
        (
            x - max(text_width(line) for line in lines) / 2,
            x + max(text_width(line) for line in lines) / 2,
        )
        for x, lines, _ in labels
    ]


def test_eight_quarters_fit_on_two_lines_without_touching_or_leaving_the_chart():
    svg = _period_chart(QUARTERS)
    labels = _labels(svg)
    assert [" ".join(lines) for _, lines, _ in labels] == QUARTERS  # all eight, in order
    assert all(len(lines) == 2 for _, lines, _ in labels)  # "2024/25" over "Q3"
    extents = _extents(labels)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(extents))
    assert extents[0][0] >= 0 and extents[-1][1] <= WIDTH


def test_the_axis_title_sits_below_two_line_labels():
    svg = _period_chart(QUARTERS)
    baseline = _labels(svg)[0][2]
    title_y = float(re.search(r'<text x="[\d.]+" y="([\d.]+)"[^>]*>Period</text>', svg).group(1))
    assert title_y >= baseline + 16 + 14  # the second line, then a line of text
    assert f'viewBox="0 0 {WIDTH} {HEIGHT + 16}"' in svg  # one line taller, not a smaller plot


def test_many_periods_show_every_nth_label_ending_with_the_latest():
    months = [f"{2020 + m // 12}-{m % 12 + 1:02d}" for m in range(40)]
    labels = _labels(_period_chart(months))
    shown = [lines[0] for _, lines, _ in labels]
    assert shown[-1] == months[-1] and len(shown) < len(months)
    step = months.index(shown[-1]) - months.index(shown[-2])
    assert all(months.index(b) - months.index(a) == step for a, b in itertools.pairwise(shown))
    extents = _extents(labels)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(extents))


def test_short_labels_stay_on_one_line():
    labels = _labels(_period_chart(["2022", "2023", "2024"]))
    assert [lines for _, lines, _ in labels] == [["2022"], ["2023"], ["2024"]]


def _gridlines(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end" fill="[^"]+">([^<]+)</text>', svg)


def test_gridlines_are_at_round_values_and_at_zero_when_the_axis_crosses_it():
    # The gap (negative) and the SII (positive) on one chart: -15 to 15.
    svg = str(
        line_chart(
            ["2023", "2024"],
            [Series("Gap", [-14.0, -9.0]), Series("SII", [12.0, 10.0])],
            chart_id="g",
            title="T",
            description="D",
            unit="percentage points",
            x_label="Year",
        )
    )
    assert _gridlines(svg) == ["-15", "-10", "-5", "0", "5", "10", "15"]


def test_a_percentage_axis_counts_in_twenties_not_sixteens():
    rows = [{"label": "1", "value": 62.7, "lower95": 61.2, "upper95": 64.2}]
    rows.append({"label": "10", "value": 71.6, "lower95": 70.3, "upper95": 72.8})
    svg = str(bar_chart(rows, chart_id="b", title="T", description="D", unit="%", x_label="Decile"))
    assert _gridlines(svg) == ["0", "20", "40", "60", "80"]


def test_gridline_labels_have_the_decimals_their_step_needs():
    svg = str(
        line_chart(
            ["2023", "2024"],
            [Series("Ratio", [0.3, 1.4])],
            chart_id="r",
            title="T",
            description="D",
            unit="ratio",
            x_label="Year",
        )
    )
    assert _gridlines(svg) == ["0.00", "0.25", "0.50", "0.75", "1.00", "1.25", "1.50"]
