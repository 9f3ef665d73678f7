"""Charts as PNG: every chart with an SVG download also downloads as PNG, drawn by resvg from
the same SVG, with its text (fonts from the system), for the same people as the SVG (the
permission matrix checks every role; here a site lead and another site's chart)."""

import io
import re
import struct

import pytest
from django.urls import reverse
from PIL import Image

from core20.outcomes import png
from core20.outcomes.charts import HEIGHT, WIDTH, bar_chart
from tests.conftest import sign_in
from tests.outcomes.test_dashboard import data  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def ihdr_size(content: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (the first chunk, straight after the magic)."""
    assert content[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", content[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", content[16:24])


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in ``box`` darker than mid-grey (text, axes, bars: not the white background)."""
    return sum(image.convert("L").crop(box).histogram()[:128])


def test_every_chart_on_the_dashboard_downloads_as_png(client, site, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("site_lead"))
    page = client.get(reverse("outcomes:site-indicator", args=[site.slug, ind.code]))
    text = page.content.decode()
    keys = [s.key for s in page.context["sections"] if s.chart]
    assert keys == ["by-quantile", "inequality", "target-vs-rest", "spc"]
    for key in keys:
        svg_url = reverse("outcomes:site-indicator-chart", args=[site.slug, ind.code, key])
        png_url = reverse("outcomes:site-indicator-chart-png", args=[site.slug, ind.code, key])
        # The page links both, each link named for screen readers.
        assert f'href="{png_url}">PNG<span class="nhsuk-u-visually-hidden"> image: ' in text
        assert f'href="{svg_url}">SVG<span class="nhsuk-u-visually-hidden"> image: ' in text
        response = client.get(png_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{site.slug}-{ind.code}-{key}.png"'
        )
        assert response.content.startswith(PNG_MAGIC)
        # The chart's size, and a band above it for its title (one or two lines).
        width, height = ihdr_size(response.content)
        assert width == WIDTH * png.SCALE
        bands = {(HEIGHT + png.title_band(lines)) * png.SCALE for lines in (1, 2)}
        assert height in bands


def test_the_png_is_drawn_with_its_text(client, site, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:site-indicator-chart-png", args=[site.slug, ind.code, "by-quantile"])
    image = Image.open(io.BytesIO(client.get(url).content))
    image.load()
    width, height = image.size
    scale = png.SCALE
    band = height / scale - HEIGHT  # the title's band above the chart
    assert (
        image.format == "PNG" and width == 1280 and band in (png.title_band(1), png.title_band(2))
    )
    assert dark_pixels(image, (0, 0, width, height)) > width * height // 50  # not blank
    # The bars: blue, in the plot area.
    r, _, b, *_ = image.convert("RGB").getpixel((int(width * 0.14), int(height * 0.8)))
    assert b > 150 and r < 60
    # Below the plot (its bottom line is at y = 304 of 360) there is only text: the decile
    # labels and the axis title. Without a usable font this band would be empty.
    assert dark_pixels(image, (0, int((band + 310) * scale), width, height)) > 500
    # The title above the chart, and the unit and the legend at its top, are text too.
    assert dark_pixels(image, (0, 0, width, int(band * scale))) > 1000
    assert dark_pixels(image, (0, int(band * scale), width, int((band + 60) * scale))) > 300


def test_a_chart_drawn_without_fonts_would_fail_the_text_check():
    """The text check above can fail: the same chart with its text removed has no dark
    pixels below the plot."""
    chart = bar_chart(
        [{"label": d, "value": 50.0 - d, "lower95": 45.0 - d, "upper95": 55.0 - d} for d in (1, 2)],
        chart_id="t",
        title="T",
        description="D",
        unit="%",
        x_label="IMD decile",
    )
    with_text = Image.open(io.BytesIO(png.svg_to_png(str(chart))))
    no_text = re.sub(r"<text\b.*?</text>", "", str(chart), flags=re.DOTALL)
    no_text = re.sub(r"<title\b.*?</title>", "", no_text, flags=re.DOTALL)
    without = Image.open(io.BytesIO(png.svg_to_png(no_text)))
    title = png.title_band(1)
    below = (0, int((title + 310) * png.SCALE), with_text.size[0], with_text.size[1])
    assert dark_pixels(with_text, below) > 500
    assert dark_pixels(without, (0, int(310 * png.SCALE), *without.size)) == 0


def test_the_page_font_and_width_are_replaced_for_the_rasteriser():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100%" '
        'font-family="inherit" role="img"><text x="1" y="9">a</text></svg>'
    )
    out = png._standalone(svg)
    assert 'width="100%"' not in out and "inherit" not in out
    assert f'font-family="{png.FONT_FAMILY}"' in out and 'role="img"' in out
    assert out.endswith('<text x="1" y="9">a</text></svg>')
    with pytest.raises(ValueError):
        png.svg_to_png("<p>not a chart</p>")


def test_the_title_is_drawn_above_the_chart_wrapped_and_still_escaped():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 360"><title id="t">'
        + "Smoking &amp; quitting " * 6
        + '</title><rect x="0" y="0" width="10" height="10"/></svg>'
    )
    out = png.titled(svg)
    lines = re.findall(r'<text x="8" y="\d+"[^>]*>(.*?)</text>', out)
    assert len(lines) == 2 and all(len(line) <= png.TITLE_CHARACTERS for line in lines)
    assert " ".join(lines) == ("Smoking &amp; quitting " * 6).strip()
    band = png.title_band(2)
    assert f'viewBox="0 0 640 {360 + band}"' in out
    assert f'<g transform="translate(0 {band})"><title id="t">' in out
    assert out.endswith("</g></svg>")
    # No title, nothing added.
    plain = '<svg viewBox="0 0 10 10"><rect width="1" height="1"/></svg>'
    assert png.titled(plain) == plain


def test_png_download_is_refused_like_the_svg(client, other_site, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("site_lead"))
    for name in ("outcomes:site-indicator-chart", "outcomes:site-indicator-chart-png"):
        url = reverse(name, args=[other_site.slug, ind.code, "by-quantile"])
        assert client.get(url).status_code == 403
    missing = reverse("outcomes:site-indicator-chart-png", args=[other_site.slug, ind.code, "x"])
    assert client.get(missing).status_code == 403  # refused before anything is looked up


def test_areas_section_has_no_chart_so_no_png(client, site, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("site_lead"))
    url = reverse("outcomes:site-indicator-chart-png", args=[site.slug, ind.code, "areas"])
    assert client.get(url).status_code == 404


def test_national_dashboard_charts_download_as_svg_and_png(client, data, make_user):  # noqa: F811
    _, ind = data
    sign_in(client, make_user("national_analyst"))
    url = reverse("outcomes:national")
    page = client.get(url, {"indicator": ind.code}).content.decode()
    for key in ("by-quantile", "inequality"):
        link = f"?indicator={ind.code}&amp;chart={key}&amp;export=png"
        assert f'href="{link}">PNG<span class="nhsuk-u-visually-hidden"> image: ' in page
        response = client.get(url, {"indicator": ind.code, "chart": key, "export": "png"})
        assert response["Content-Type"] == "image/png"
        width, height = ihdr_size(response.content)
        assert width == 1280 and height > 720  # the chart, and its title above it
        svg = client.get(url, {"indicator": ind.code, "chart": key, "export": "svg"})
        assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    nope = client.get(url, {"indicator": ind.code, "chart": "sites", "export": "png"})
    assert nope.status_code == 404
