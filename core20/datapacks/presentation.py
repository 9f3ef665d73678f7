"""From a pack's stored (protected) content to what its pages, PDF and open data show.

Everything here reads the protected counts only: shares are protected count / protected
total, and a share whose count is hidden is not shown. Words are chosen here (as keys the
templates translate), never numbers that the tables do not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language_info

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


def people(n: int | None) -> str | None:
    return None if n is None else f"{n:,}"


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
            comparison, times = "higher", f"{ratio:.1f}"
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


def generic(section: dict | None) -> dict:
    """A section from another app (clinical areas, insights): its protected tables as rows
    of values, and its sentences."""
    if not section or not section.get("available"):
        return {"available": False, "reason": (section or {}).get("reason", "not-yet")}
    tables = []
    for table in section.get("tables", []):
        columns = table.get("counts", [])
        tables.append(
            {
                "caption": table.get("caption") or table.get("key", ""),
                "columns": columns,
                "rows": [
                    (row.get("category"), [people(row.get(c)) for c in columns])
                    for row in table.get("rows", [])
                ],
            }
        )
    return {
        "available": True,
        "tables": tables,
        "sentences": section.get("data", {}).get("sentences", []),
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
        "unavailable": [
            key
            for key in ("places", "clinical", "insights")
            if not (by_key.get(key) or {}).get("available")
        ],
    }
