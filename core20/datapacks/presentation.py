"""From a pack's stored (protected) content to what its pages, PDF and open data show.

Everything here reads the protected counts only: shares are protected count / protected
total, and a share whose count is hidden is not shown. Words are chosen here (as keys the
templates translate), never numbers that the tables do not hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format, get_format
from django.utils.translation import get_language_info, gettext, gettext_lazy, pgettext_lazy

from core20.datapacks.disclosure import TOTAL

# The pack's languages: code → (English name, own name). Urdu is written right to left.
LANGUAGES = {"en": ("English", "English"), "ur": ("Urdu", "اردو"), "pl": ("Polish", "Polski")}
DEFAULT_LANGUAGE = "en"


def language(code: str | None) -> str:
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class LanguageChoice:
    code: str
    name: str
    own_name: str
    bidi: bool


def language_choices() -> list[LanguageChoice]:
    return [
        LanguageChoice(code, name, own, get_language_info(code)["bidi"])
        for code, (name, own) in LANGUAGES.items()
    ]


def direction(code: str) -> str:
    return "rtl" if get_language_info(code)["bidi"] else "ltr"


def percent(share: float | None) -> str | None:
    """0.456 → '46%'; None stays None (hidden)."""
    if share is None:
        return None
    value = share * 100
    if 0 < value < 0.5:
        return "<1%"
    if 99.5 <= value < 100:
        return ">99%"
    return f"{round(value)}%"


def number(value: float, decimals: int = 0) -> str:
    """A number written as the reader's language writes it: 22,510.5 in English, 22 510,5
    in Polish (where "22,510" would read as twenty-two and a half). Languages Django has no
    number formats for (Urdu) keep the English separators."""
    grouped = f"{value:,.{decimals}f}"
    thousands, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
    return "".join(
        thousands if char == "," else decimal if char == "." else char for char in grouped
    )


def people(n: int | None) -> str | None:
    return None if n is None else number(n)


@dataclass
class DecileLine:
    decile: int
    people: str | None
    share: str | None
    national: str | None
    core20: bool


@dataclass
class Places:
    available: bool
    reason: str = ""
    total: str | None = None
    core20_people: str | None = None
    core20_share: str | None = None
    national_core20_share: str | None = None
    comparison: str = ""  # "higher", "similar", "lower" or "" (not known)
    times: str | None = None  # how many times England's share, where higher
    edition_name: str = ""
    population_source: str = ""
    areas: list[dict] = field(default_factory=list)
    deciles: list[DecileLine] = field(default_factory=list)
    hidden: int = 0


def _table(section: dict, key: str) -> dict | None:
    for table in section.get("tables", []):
        if table.get("key") == key:
            return table
    return None


def places(section: dict | None) -> Places:
    if not section or not section.get("available"):
        return Places(False, (section or {}).get("reason", "not-yet"))
    data = section["data"]
    table = _table(section, "deciles") or {"rows": []}
    rows = {str(r["category"]): r for r in table["rows"]}
    total = rows.get(TOTAL, {}).get("people")
    national = data.get("national_decile_shares", {})
    lines = []
    hidden = 0
    for key, row in rows.items():
        if key == TOTAL:
            continue
        count = row.get("people")
        hidden += count is None
        lines.append(
            DecileLine(
                decile=int(key),
                people=people(count),
                share=percent(count / total) if count is not None and total else None,
                national=percent(national.get(key)),
                core20=int(key) in data.get("core20_deciles", [1, 2]),
            )
        )
    core_counts = [rows.get(str(d), {}).get("people") for d in data.get("core20_deciles", [1, 2])]
    core20 = None if any(c is None for c in core_counts) else sum(core_counts)
    share = core20 / total if core20 is not None and total else None
    england = data.get("national_core20_share")
    comparison, times = "", None
    if share is not None and england:
        ratio = share / england
        if ratio >= 1.2:
            comparison, times = "higher", number(ratio, 1)
        elif ratio <= 0.8:
            comparison = "lower"
        else:
            comparison = "similar"
    return Places(
        available=True,
        total=people(total),
        core20_people=people(core20),
        core20_share=percent(share),
        national_core20_share=percent(england),
        comparison=comparison,
        times=times,
        edition_name=data.get("edition_name", ""),
        population_source=data.get("population_source", ""),
        areas=data.get("areas", []),
        deciles=lines,
        hidden=hidden,
    )


# Fixed words of the other apps' sections, translated when the pack is shown. Packs store
# their tables' keys and English captions, categories and sentences; where a word is not
# listed (or a pack predates these), the stored English is shown.
TABLE_CAPTIONS = {
    "indicators": gettext_lazy("People counted by each indicator, latest period"),
    "voices": gettext_lazy("People whose views were heard, by kind of insight (whole site)"),
}
COLUMN_NAMES = {"people": gettext_lazy("People")}
# What each table's rows are, for the heading of its first column: by the table's key, then
# by its stored dimension; "Group" only for a table this list does not know.
ROW_HEADINGS = {
    "indicators": gettext_lazy("Clinical area and indicator"),
    "voices": gettext_lazy("Kind of insight"),
    "deciles": gettext_lazy("Deprivation decile"),
}
DIMENSION_HEADINGS = {
    "decile": gettext_lazy("Deprivation decile"),
    "area": gettext_lazy("Area"),
}
CATEGORIES = {
    # Kinds of insight (core20.insights.models.Insight.Kind), by their stored label.
    "voices": {
        "Barrier": pgettext_lazy("kind of insight", "Barrier"),
        "Enabler": pgettext_lazy("kind of insight", "Enabler"),
        "Idea": pgettext_lazy("kind of insight", "Idea"),
        "Experience": pgettext_lazy("kind of insight", "Experience"),
    },
}
COMPARISONS = {
    "similar": gettext_lazy("similar to England"),
    "better": gettext_lazy("better than England"),
    "worse": gettext_lazy("worse than England"),
    "higher": gettext_lazy("higher than England"),
    "lower": gettext_lazy("lower than England"),
}


def _category(table_key: str, category) -> str:
    if str(category) == TOTAL:
        return gettext("Total")
    return CATEGORIES.get(table_key, {}).get(category, category)


def _amount(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{number(value, 1)}%"
    if unit == "per_100000":
        return gettext("%(number)s per 100,000") % {"number": number(value, 1)}
    return number(value, 1)


def fact_sentence(fact: dict) -> str:
    """A clinical comparison in the language in force."""
    if fact.get("hidden"):
        return gettext("%(name)s: too few people to compare with England.") % {"name": fact["name"]}
    return gettext("%(name)s: %(value)s here, %(england)s in England: %(comparison)s.") % {
        "name": fact["name"],
        "value": _amount(fact["value"], fact.get("unit", "")),
        "england": _amount(fact["england"], fact.get("unit", "")),
        "comparison": COMPARISONS[fact["comparison"]],
    }


# The easy read's last sentence about each figure: one short sentence per comparison.
EASY_COMPARISONS = {
    "similar": gettext_lazy("This is about the same as England."),
    "better": gettext_lazy("This is better than England."),
    "worse": gettext_lazy("This is worse than England."),
    "higher": gettext_lazy("This is higher than England."),
    "lower": gettext_lazy("This is lower than England."),
}
BRACKETS = re.compile(r"\s*\([^()]*\)")


def plain_name(name: str) -> str:
    """A figure's name for the easy read, without the words in brackets: the clinical area
    and period the pack adds ("(Early cancer diagnosis, 2026/27 Q2)") and the catalogue's
    technical details ("(3.5 or 5.5 years)"). The whole name where nothing else is left."""
    plain = name
    while (shorter := BRACKETS.sub("", plain)) != plain:
        plain = shorter
    return plain.strip() or name


def _easy_amount(value: float, unit: str) -> str:
    """A figure rounded for the easy read: whole numbers, one decimal place below 10."""
    decimals = 0 if abs(value) >= 10 else 1
    if unit == "percent":
        return f"{number(value, decimals)}%"
    if unit == "per_100000":
        return gettext("%(number)s in every 100,000 people") % {"number": number(value, decimals)}
    return number(value, decimals)


@dataclass
class EasyFact:
    """One health figure in the easy read: its plain name and short sentences."""

    name: str
    sentences: list[str]


def easy_fact(fact: dict) -> EasyFact:
    """A clinical comparison as the easy read says it, in the language in force."""
    name = plain_name(fact["name"])
    if fact.get("hidden"):
        return EasyFact(name, [gettext("We cannot show this. Too few people were counted.")])
    unit = fact.get("unit", "")
    return EasyFact(
        name,
        [
            gettext("Here it is %(value)s.") % {"value": _easy_amount(fact["value"], unit)},
            gettext("In England it is %(england)s.")
            % {"england": _easy_amount(fact["england"], unit)},
            str(EASY_COMPARISONS[fact["comparison"]]),
        ],
    )


# Who uploaded the data behind a figure, and which figures it gave: the words of each case.
UPLOADED = {
    ("site", ("here", "england")): gettext_lazy("Figures uploaded by the site on %(date)s."),
    ("national", ("here", "england")): gettext_lazy("Figures uploaded nationally on %(date)s."),
    ("site", ("here",)): gettext_lazy("Figures for here uploaded by the site on %(date)s."),
    ("national", ("here",)): gettext_lazy("Figures for here uploaded nationally on %(date)s."),
    ("site", ("england",)): gettext_lazy("England's figure uploaded by the site on %(date)s."),
    ("national", ("england",)): gettext_lazy("England's figure uploaded nationally on %(date)s."),
}


SENTENCE_ENDS = (".", "!", "?", "…", "۔")


@dataclass
class SourceLine:
    """Where one indicator's figures come from, in the language in force."""

    name: str
    parts: list[str]


def source_lines(sources: list[dict]) -> list[SourceLine]:
    """Each indicator's stored sources as sentences: the catalogue's source, then each
    upload behind its figures (who, when) with the upload's note. The source and notes are
    shown as written; dates in the reader's language."""
    lines = []
    for source in sources:
        parts = []
        if source.get("source"):
            parts.append(gettext("Source: %(source)s.") % {"source": source["source"]})
        for upload in source.get("uploads", []):
            figures = tuple(f for f in ("here", "england") if f in upload.get("figures", []))
            words = UPLOADED.get((upload.get("by"), figures))
            if words and upload.get("uploaded"):
                when = date_format(date.fromisoformat(upload["uploaded"]), "j E Y")
                parts.append(str(words) % {"date": when})
            note = upload.get("note", "").strip()
            if note:
                if not note.endswith(SENTENCE_ENDS):
                    note += "."  # so that the next sentence does not run on
                parts.append(gettext("Note: %(note)s") % {"note": note})
        if parts:
            lines.append(SourceLine(name=source.get("name", ""), parts=parts))
    return lines


def generic(section: dict | None) -> dict:
    """A section from another app (clinical areas, insights): its protected tables as rows
    of values, and its sentences, with their fixed words in the language in force."""
    if not section or not section.get("available"):
        return {"available": False, "reason": (section or {}).get("reason", "not-yet")}
    tables = []
    for table in section.get("tables", []):
        key = table.get("key", "")
        columns = table.get("counts", [])
        tables.append(
            {
                "caption": TABLE_CAPTIONS.get(key) or table.get("caption") or key,
                "row_heading": ROW_HEADINGS.get(key)
                or DIMENSION_HEADINGS.get(table.get("dimension", ""))
                or gettext("Group"),
                "columns": [COLUMN_NAMES.get(c, c) for c in columns],
                "rows": [
                    (_category(key, row.get("category")), [people(row.get(c)) for c in columns])
                    for row in table.get("rows", [])
                ],
            }
        )
    data = section.get("data", {})
    if "facts" in data:
        sentences = [fact_sentence(fact) for fact in data["facts"]]
    else:
        sentences = data.get("sentences", [])
    # The easy read's plain figures; packs stored before the facts were kept have only
    # their English sentences, which the easy read shows instead.
    easy_facts = [easy_fact(fact) for fact in data.get("facts", [])]
    # Packs generated before sources were kept have none to show.
    sources = source_lines(data.get("sources", []))
    return {
        "available": True,
        "tables": tables,
        "sentences": sentences,
        "easy_facts": easy_facts,
        "sources": sources,
    }


def sections_by_key(content: dict) -> dict[str, dict]:
    return {s["key"]: s for s in content.get("sections", [])}


def present(content: dict) -> dict:
    """The context the pack templates need."""
    by_key = sections_by_key(content)
    return {
        "places": places(by_key.get("places")),
        "clinical": generic(by_key.get("clinical")),
        "insights": generic(by_key.get("insights")),
        "involved": (by_key.get("involved") or {}).get("data", {}),
        "threshold": content.get("threshold"),
        "rounding": content.get("rounding"),
        # The published packs a count was hidden for (disclosure control across packs).
        "across_packs": content.get("across_packs", []),
        "unavailable": [
            key
            for key in ("places", "clinical", "insights")
            if not (by_key.get(key) or {}).get("available")
        ],
    }
