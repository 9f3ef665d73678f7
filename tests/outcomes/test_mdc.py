"""Making Data Count icons: each result of the SPC engine gets the MDC icon (colour and
letter) with an accessible name giving its words, and the pages show the icon beside the
words wherever SPC results appear."""

import re

import pytest
from django.urls import reverse

from core20.outcomes import actions, mdc
from inequalities.spc import spc
from tests.conftest import sign_in
from tests.inequalities.test_spc import CALM, OUTSIDE, series
from tests.outcomes.test_dashboard import data  # noqa: F401 (fixture)

HIGH_LAST = [*CALM, -14, 40]  # ends on a point far above the limits


def ring(svg: str) -> str:
    """The colour of the icon's outer ring."""
    return re.search(r'<circle cx="20" cy="20" r="17.5" fill="#ffffff" stroke="([^"]+)"', svg)[1]


def letter(svg: str) -> str:
    found = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert len(found) <= 1
    return found[0] if found else ""


@pytest.mark.parametrize(
    ("values", "improvement", "code", "colour", "expected_letter"),
    [
        (CALM, "increase", "common_cause", mdc.GREY, ""),
        (HIGH_LAST, "increase", "improvement_high", mdc.BLUE, "H"),
        (OUTSIDE, "decrease", "improvement_low", mdc.BLUE, "L"),
        (HIGH_LAST, "decrease", "concern_high", mdc.ORANGE, "H"),
        (OUTSIDE, "increase", "concern_low", mdc.ORANGE, "L"),
        (HIGH_LAST, "neutral", "neutral_high", mdc.PURPLE, "H"),
        (OUTSIDE, "neutral", "neutral_low", mdc.PURPLE, "L"),
    ],
)
def test_variation_icon_for_each_engine_result(values, improvement, code, colour, expected_letter):
    chart = spc(series(values), improvement=improvement).charts.iloc[0]
    assert chart["variation_icon"] == code
    shown = mdc.spc_shown(chart["variation_icon"], chart["assurance_icon"])[0]
    svg = str(shown.icon.svg)
    assert ring(svg) == colour
    assert letter(svg) == expected_letter
    words = mdc.VARIATION_TEXT[code]
    assert shown.text == words
    # Its accessible name is the words shown today, as aria-label and as <title>.
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert f'aria-label="{words}"' in svg and f"<title>{words}</title>" in svg
    if code != "common_cause":  # the special-cause points take the icon's colour
        assert len(re.findall(f'r="2.2" fill="{colour}"', svg)) == 3


@pytest.mark.parametrize(
    ("target", "code", "colour", "expected_letter"),
    [
        (5, "consistent_pass", mdc.BLUE, "P"),  # below the lower limit, higher is better
        (25, "consistent_fail", mdc.ORANGE, "F"),  # above the upper limit
        (13, "inconsistent", mdc.GREY, "?"),  # between the limits: hit and miss
    ],
)
def test_assurance_icon_for_each_engine_result(target, code, colour, expected_letter):
    chart = spc(series(CALM), improvement="increase", target=target).charts.iloc[0]
    assert chart["assurance_icon"] == code
    shown = mdc.spc_shown(chart["variation_icon"], chart["assurance_icon"])[1]
    svg = str(shown.icon.svg)
    assert ring(svg) == colour and letter(svg) == expected_letter
    words = mdc.ASSURANCE_TEXT[code]
    assert shown.text == words
    assert 'role="img"' in svg and f'aria-label="{words}"' in svg
    assert f"<title>{words}</title>" in svg


def test_no_target_means_no_assurance_icon_but_the_words():
    chart = spc(series(CALM), improvement="increase").charts.iloc[0]
    assert chart["assurance_icon"] == ""
    shown = mdc.spc_shown(chart["variation_icon"], chart["assurance_icon"])[1]
    assert shown.icon is None and shown.icon_html == ""
    assert shown.text == "No target to assure against"


def test_an_unknown_result_is_a_grey_icon_with_its_name_escaped():
    icon = mdc.variation_icon('odd_<b>"')
    assert icon.colour == mdc.GREY and icon.letter == ""
    svg = str(icon.svg)
    assert "<b>" not in svg and "&lt;b&gt;" in svg and 'aria-label="odd &lt;b&gt;&quot;"' in svg
    assert mdc.assurance_icon("something_else") is None


@pytest.mark.django_db
def test_site_dashboard_shows_the_icons_beside_their_words(client, site, data, make_user):  # noqa: F811
    _, ind = data
    lead = make_user("site_lead")
    # 40, 44, 42, 48.5: mean 43.625, limits 32.5 to 54.7; a trajectory of 47 lies between.
    actions.set_trajectory_point(site=site, indicator=ind, period="2024", value=47, by=lead)
    sign_in(client, lead)
    page = client.get(reverse("outcomes:site-indicator", args=[site.slug, ind.code]))
    text = page.content.decode()
    spc_section = text[text.index('id="spc"') : text.index('id="trajectory"')]
    variation, assurance = mdc.variation_icon("common_cause"), mdc.assurance_icon("inconsistent")
    assert str(variation.svg) in spc_section and str(assurance.svg) in spc_section
    # The words stay visible beside each icon.
    assert f"<span>Variation: {variation.label}</span>" in spc_section
    assert f"<span>Assurance: {assurance.label}</span>" in spc_section
    assert 'rel="stylesheet" href="/static/outcomes/outcomes.css"' in text
