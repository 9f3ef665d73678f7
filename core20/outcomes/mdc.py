"""NHS England Making Data Count (MDC) icons for SPC results, as small inline SVG.

The ``inequalities.spc`` engine names the latest point's variation (``common_cause``,
``improvement_high``, ``concern_low``, ``neutral_high``, …) and the assurance against a target
(``consistent_pass``, ``consistent_fail``, ``inconsistent``, or ``""`` without a target).
Each becomes an icon in the MDC colours and letters: grey for common cause; blue for
improvement, orange for concern and purple for a change that is neither, each with H (high)
or L (low); assurance blue P (consistently pass), orange F (consistently fail), grey ?
(hit and miss).

Every icon is ``role="img"`` with an accessible name (``aria-label`` and ``<title>``) giving
the same words as the text beside it, which pages keep visible: the icon adds to the words,
never replaces them. Drawn server-side, nothing fetched; all text is fixed or escaped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#289de0"  # MDC improvement, and assurance pass
ORANGE = "#fab428"  # MDC concern, and assurance fail
GREY = "#7B7D7D"  # MDC common cause, and hit-and-miss assurance
PURPLE = "#361475"  # MDC special cause of neither improvement nor concern
SIZE = 32  # pixels on the page (viewBox 40 × 40)

VARIATION_TEXT = {
    "common_cause": "Common cause variation: no significant change",
    "improvement_high": "Special cause variation: improvement (higher)",
    "improvement_low": "Special cause variation: improvement (lower)",
    "concern_high": "Special cause variation: concern (higher)",
    "concern_low": "Special cause variation: concern (lower)",
    "neutral_high": "Special cause variation: higher (neither better nor worse)",
    "neutral_low": "Special cause variation: lower (neither better nor worse)",
}
ASSURANCE_TEXT = {
    "consistent_pass": "The process will consistently hit the target",
    "consistent_fail": "The process will consistently miss the target",
    "inconsistent": "The process will sometimes hit and sometimes miss the target",
    "": "No target to assure against",
}
# The words for each SPC point's ``point_type`` and winning ``rule`` (codes from
# ``inequalities.spc``), shown in a table's Signal cell as "<point type>: <rule>". In the rule
# words, ``{run}`` is "7 points in a row" where the chart's run length is known, else
# "a run of points all"; ``{rising}`` is "rising" or "falling" and ``{above}`` "above" or
# "below", from the side of the signal.
SIGNAL_TEXT = {
    "common_cause": "Common cause",
    "special_cause_improvement": "Special cause improvement",
    "special_cause_concern": "Special cause concern",
    "special_cause_neutral_high": "Special cause, higher (neither better nor worse)",
    "special_cause_neutral_low": "Special cause, lower (neither better nor worse)",
    "outside": "outside the limits",
    "trend": "{run} {rising}",
    "two_of_three": "2 of 3 points near a limit",
    "shift": "{run} {above} the mean",
}
_VARIATION_COLOUR = {"common": GREY, "improvement": BLUE, "concern": ORANGE, "neutral": PURPLE}
_ASSURANCE = {  # code: (colour, letter)
    "consistent_pass": (BLUE, "P"),
    "consistent_fail": (ORANGE, "F"),
    "inconsistent": (GREY, "?"),
}
# A short run of points across the icon; the last three leave the band for a special cause.
_RUN_X = (9.5, 13, 16.5, 20, 23.5, 27, 30.5)
_RUN_FLAT = (26, 24, 27, 25, 26, 24, 26)
_RUN_HIGH = (29, 27, 30, 28, 25, 22, 19)
_RUN_LOW = (23, 25, 22, 24, 26, 28, 30)


@dataclass(frozen=True)
class Icon:
    """One MDC icon: ``label`` is its words, ``letter`` "" for common cause."""

    kind: str  # "variation" or "assurance"
    code: str
    label: str
    colour: str
    letter: str

    @property
    def svg(self) -> SafeString:
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="{SIZE}" '
            f'height="{SIZE}" role="img" aria-label="{escape(self.label)}" focusable="false" '
            f'class="app-mdc-icon" data-mdc="{self.kind} {escape(self.code)}">',
            f"<title>{escape(self.label)}</title>",
            f'<circle cx="20" cy="20" r="17.5" fill="#ffffff" stroke="{self.colour}" '
            'stroke-width="3"/>',
        ]
        parts += self._variation() if self.kind == "variation" else self._assurance()
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 (labels are escaped; the rest is fixed)

    def _letter(self, y: int, size: int) -> str:
        return (
            f'<text x="20" y="{y}" text-anchor="middle" font-size="{size}" font-weight="bold" '
            f'font-family="Arial, sans-serif" fill="{self.colour}">{escape(self.letter)}</text>'
        )

    def _variation(self) -> list[str]:
        run = {"H": _RUN_HIGH, "L": _RUN_LOW}.get(self.letter, _RUN_FLAT)
        special = bool(self.letter)
        points = " ".join(f"{x},{y}" for x, y in zip(_RUN_X, run, strict=True))
        parts = [f'<polyline points="{points}" fill="none" stroke="{GREY}" stroke-width="1.5"/>']
        for i, (x, y) in enumerate(zip(_RUN_X, run, strict=True)):
            fill = self.colour if special and i >= len(_RUN_X) - 3 else GREY
            parts.append(f'<circle cx="{x}" cy="{y}" r="2.2" fill="{fill}"/>')
        if special:
            parts.append(self._letter(18, 14))
        return parts

    def _assurance(self) -> list[str]:
        return [
            f'<path d="M8 30 H32" stroke="{self.colour}" stroke-width="2" stroke-dasharray="3 2"/>',
            self._letter(25, 18),
        ]


def variation_icon(code: str) -> Icon:
    """The variation icon for the engine's ``variation_icon`` value."""
    label = VARIATION_TEXT.get(code, str(code).replace("_", " "))
    kind, _, side = str(code).rpartition("_")
    if kind not in _VARIATION_COLOUR or side not in ("high", "low"):
        return Icon("variation", code, label, GREY, "")
    return Icon("variation", code, label, _VARIATION_COLOUR[kind], "H" if side == "high" else "L")


def assurance_icon(code: str) -> Icon | None:
    """The assurance icon for the engine's ``assurance_icon`` value; None without a target
    (there is nothing to assure against, and the words say so)."""
    if code not in _ASSURANCE:
        return None
    colour, letter = _ASSURANCE[code]
    return Icon("assurance", code, ASSURANCE_TEXT[code], colour, letter)


def assurance_text(code: str) -> str:
    return ASSURANCE_TEXT.get(code, str(code).replace("_", " "))


_BETTER_SIDE = {"increase": 1, "decrease": -1}


def signal_text(
    point_type: str,
    rule: str,
    *,
    improvement: str,
    trend_length: int | None = None,
    shift_length: int | None = None,
) -> str:
    """One SPC point's signal in plain words: what it is and which rule fired, e.g.
    "Special cause concern: 7 points in a row rising".

    ``improvement`` is the chart's improvement direction in the engine's words ("increase",
    "decrease" or "neutral"), so the side of an improvement or concern can be told; the run lengths
    are the chart's trend and shift lengths, where known.
    """
    what = SIGNAL_TEXT.get(point_type, str(point_type).replace("_", " ").capitalize())
    if not rule or point_type == "common_cause":
        return what
    if point_type.endswith("_high"):
        side = 1
    elif point_type.endswith("_low"):
        side = -1
    elif point_type == "special_cause_improvement":
        side = _BETTER_SIDE.get(improvement, 0)
    elif point_type == "special_cause_concern":
        side = -_BETTER_SIDE.get(improvement, 0)
    else:
        side = 0
    length = trend_length if rule == "trend" else shift_length
    words = SIGNAL_TEXT.get(rule, str(rule).replace("_", " ")).format(
        run=f"{length} points in a row" if length else "a run of points all",
        rising={1: "rising", -1: "falling"}.get(side, "rising or falling"),
        above={1: "above", -1: "below"}.get(side, "on one side of"),
    )
    return f"{what}: {words}"


@dataclass(frozen=True)
class Shown:
    """What a page shows for one SPC result: the icon (None where there is none) beside its
    words. In a table cell the words are the value (CSV and XLSX downloads get them)."""

    name: str  # "Variation" or "Assurance"
    icon: Icon | None
    text: str

    @property
    def icon_html(self) -> SafeString:
        return self.icon.svg if self.icon else mark_safe("")

    def __str__(self) -> str:
        return self.text


def spc_shown(variation: str, assurance: str) -> list[Shown]:
    """The variation and assurance results of one SPC chart, as shown on a page."""
    icon = variation_icon(variation)
    return [
        Shown("Variation", icon, icon.label),
        Shown("Assurance", assurance_icon(assurance), assurance_text(assurance)),
    ]
