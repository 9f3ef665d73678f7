"""Disclosure control across a site's data packs.

Each pack is protected on its own (``core20.datapacks.disclosure``). But when one pack's
area lies inside another's (a ward's pack and the pack of the site's target areas in that
ward; any area's pack and the whole site's), the difference of their figures is the figure
for the area between them, which may be a handful of people. Rounding to 5 blurs that
difference; this check removes it.

When a pack is published it is compared with each of the site's published packs whose LSOAs
contain, or are contained in, its own (``DataPack.basis``, kept at generation with the
counts before rounding; packs generated before it was kept are not compared). For each
count both packs show, in the same table, row and period: if the unrounded counts differ by
1 to ``THRESHOLD``, the count is hidden in the pack being published, with the reason
"secondary: could be worked out from the “<title>” pack (version N)", and, in a table with
a total, the engine's secondary suppression then hides what would let it be worked out from
the total. If the two areas differ by 1 to ``THRESHOLD`` people in all, publishing is refused
(hiding single figures would not be enough). Published packs are never changed: only the
pack being published is.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.utils import translation

from core20.datapacks.disclosure import THRESHOLD, TOTAL
from core20.datapacks.models import DataPack
from core20.datapacks.presentation import fact_sentence
from inequalities.disclosure.relations import build_relations, total_levels
from inequalities.disclosure.rounding import secondary_label
from inequalities.disclosure.secondary import secondary_suppression

REASON = "secondary: could be worked out from the “{title}” pack (version {version})"


def pack_title(pack: DataPack) -> str:
    return pack.area_label


def reason(other: DataPack) -> str:
    """The protection status of a count hidden because of ``other``."""
    return REASON.format(title=pack_title(other), version=other.version)


@dataclass(frozen=True)
class HiddenCount:
    section: str
    table: str
    category: str
    column: str
    other: DataPack

    def describe(self) -> str:
        return (
            f"section “{self.section}”, table “{self.table}”, row “{self.category}”, column "
            f"“{self.column}”: it could be worked out from the “{pack_title(self.other)}” "
            f"pack (version {self.other.version})"
        )


@dataclass
class Across:
    """What publishing a pack needs, given the site's other published packs."""

    content: dict
    hidden: list[HiddenCount] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)

    @property
    def others(self) -> list[DataPack]:
        """The packs that caused a count to be hidden, once each, in order."""
        return list({h.other.pk: h.other for h in self.hidden}.values())

    def raise_if_refused(self) -> None:
        if self.refusals:
            raise ValidationError(self.refusals)


def nested(mine: frozenset[str], theirs: frozenset[str]) -> bool:
    """One pack's LSOAs contain the other's (or they are the same)."""
    return bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine)


def _lsoas(pack: DataPack) -> frozenset[str]:
    return frozenset((pack.basis or {}).get("lsoas", []))


def _raw(pack: DataPack) -> dict[tuple[str, str], dict]:
    return {(t["section"], t["table"]): t for t in (pack.basis or {}).get("tables", [])}


def _shown(content: dict) -> dict[tuple[str, str, str, str], bool]:
    """Whether each count of a pack's content is shown, by (section, table, row, column)."""
    shown = {}
    for section in content.get("sections", []):
        for table in section.get("tables", []):
            for row in table.get("rows", []):
                for column in table.get("counts", []):
                    key = (section.get("key"), table.get("key"), str(row.get("category")), column)
                    shown[key] = row.get(column) is not None
    return shown


def published_others(pack: DataPack) -> list[DataPack]:
    """The site's published packs (every version: all stay visible) other than ``pack``."""
    return list(
        DataPack.objects.filter(site_id=pack.site_id, status=DataPack.Status.PUBLISHED)
        .exclude(pk=pack.pk)
        .order_by("area_code", "version")
    )


def check(pack: DataPack, others: Iterable[DataPack] | None = None) -> Across:
    """Compare ``pack`` with the site's published packs (``others``; by default read now)
    and return its content with the counts that must be hidden hidden, those counts, and
    why it cannot be published at all, if so. Changes nothing stored."""
    if others is None:
        others = published_others(pack)
    content = deepcopy(pack.content)
    result = Across(content)
    mine = _lsoas(pack)
    my_raw = _raw(pack)
    if not mine or not my_raw:
        return result
    forced: dict[tuple[str, str, str, str], DataPack] = {}
    my_shown = _shown(content)  # the content is hidden only after every comparison
    for other in others:
        theirs = _lsoas(other)
        if other.pk == pack.pk or not nested(mine, theirs):
            continue
        their_raw = _raw(other)
        their_shown = _shown(other.content)
        for key, table in my_raw.items():
            if key not in their_raw:
                continue
            their_rows = {(str(r["category"]), r.get("period")): r for r in their_raw[key]["rows"]}
            for row in table["rows"]:
                category = str(row["category"])
                match = their_rows.get((category, row.get("period")))
                if match is None:
                    continue
                for column in table.get("counts", []):
                    if column not in row or column not in match:
                        continue
                    difference = abs(int(row[column]) - int(match[column]))
                    if not 1 <= difference <= THRESHOLD:
                        continue
                    cell = (*key, category, column)
                    if table.get("total") and category == TOTAL:
                        result.refusals.append(_refusal(pack, other))
                        break
                    if my_shown.get(cell) and their_shown.get(cell) and cell not in forced:
                        forced[cell] = other
    result.refusals = list(dict.fromkeys(result.refusals))
    if forced and not result.refusals:
        _hide(content, my_raw, forced)
        result.hidden = [HiddenCount(*cell, other=other) for cell, other in forced.items()]
        content["across_packs"] = [
            {
                "title": pack_title(o),
                "version": o.version,
                "pack": o.pk,
                "hidden": sum(h.other.pk == o.pk for h in result.hidden),
            }
            for o in result.others
        ]
    return result


def _refusal(pack: DataPack, other: DataPack) -> str:
    title = pack_title(other)
    return (
        f"This pack cannot be published: its area and the area of the published “{title}” "
        f"pack (version {other.version}) differ by only 1 to {THRESHOLD} people, so taking "
        "one pack's figures away from the other's would show figures about those few people. "
        f"The “{title}” pack already describes almost the same people: point readers to it "
        "instead, or generate a pack for an area that differs from it by more people."
    )


def _hide(content: dict, raw: dict, forced: dict) -> None:
    """Hide the forced counts in ``content`` (in place), then what the engine's secondary
    suppression needs hidden so that no forced count can be worked out from a total."""
    for section in content.get("sections", []):
        for table in section.get("tables", []):
            key = (section.get("key"), table.get("key"))
            cells = {cell: other for cell, other in forced.items() if cell[:2] == key}
            if not cells:
                continue
            rows = table["rows"]
            for column in table.get("counts", []):
                for row in rows:
                    other = cells.get((*key, str(row.get("category")), column))
                    if other is not None:
                        row[column] = None
                        row[f"{column}_status"] = reason(other)
                if raw[key].get("total"):
                    _secondary(rows, raw[key]["rows"], column)
            if key == ("clinical", "indicators"):
                _hide_facts(section, rows)


def _secondary(rows: list[dict], raw_rows: list[dict], column: str) -> None:
    """The engine's secondary suppression on the true counts of a table with a total,
    treating every count hidden so far as suppressed."""
    true = {str(r["category"]): int(r[column]) for r in raw_rows}
    frame = pd.DataFrame({"category": [str(r["category"]) for r in rows]})
    values = np.array([true[c] for c in frame["category"]], dtype=np.int64)
    hidden_now = np.array([r.get(column) is None for r in rows])
    specs = {"category": TOTAL}
    relations = build_relations(frame, ["category"], specs)
    levels = total_levels(frame, ["category"], specs)
    _, reasons = secondary_suppression(values, hidden_now, relations, levels)
    for index, relation in reasons.items():
        rows[index][column] = None
        rows[index][f"{column}_status"] = secondary_label(relation)


def _hide_facts(section: dict, rows: list[dict]) -> None:
    """Where an indicator's count is hidden, its value and comparison go too."""
    data = section.get("data", {})
    facts = data.get("facts")
    if not facts or len(facts) != len(rows):
        return
    for index, row in enumerate(rows):
        if row.get("people") is None and not facts[index].get("hidden"):
            facts[index] = {"name": facts[index]["name"], "hidden": True}
            if len(data.get("sentences", [])) == len(facts):
                with translation.override("en"):
                    data["sentences"][index] = fact_sentence(facts[index])
