"""Time periods as Fingertips writes them, turned into a start date for ordering and charts.

Accepted: "2023" (calendar year), "2023/24" (financial year, from 1 April), "2023/24 Q1"
(financial quarter: Q1 = April), "2023 Q1" (calendar quarter), "2023-05" or "May 2023"
(month), and rolling periods such as "2021 - 23" (from the first year).
"""

import re
from datetime import date

_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}

_FINANCIAL = re.compile(r"^(\d{4})/(\d{2})(?:\s*Q([1-4]))?$", re.I)
_CAL_QUARTER = re.compile(r"^(\d{4})\s*Q([1-4])$", re.I)
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MONTH_NAME = re.compile(r"^([A-Za-z]{3})[a-z]*\s+(\d{4})$")
_ROLLING = re.compile(r"^(\d{4})\s*-\s*(\d{2,4})$")


def period_start(label: str) -> date:
    """The first day of the period ``label``; ValueError if it is not one we know."""
    text = " ".join(label.split())
    if m := _FINANCIAL.match(text):
        year, quarter = int(m[1]), m[3]
        if int(m[2]) != (year + 1) % 100:
            raise ValueError(f"“{label}” is not a financial year (the years must follow on)")
        if quarter is None:
            return date(year, 4, 1)
        month = 4 + 3 * (int(quarter) - 1)
        return date(year + (month > 12), (month - 1) % 12 + 1, 1)
    if m := _CAL_QUARTER.match(text):
        return date(int(m[1]), 1 + 3 * (int(m[2]) - 1), 1)
    if m := _YEAR.match(text):
        return date(int(m[1]), 1, 1)
    if m := _MONTH.match(text):
        if not 1 <= int(m[2]) <= 12:
            raise ValueError(f"“{label}” has no month {m[2]}")
        return date(int(m[1]), int(m[2]), 1)
    if (m := _MONTH_NAME.match(text)) and m[1].lower() in _MONTHS:
        return date(int(m[2]), _MONTHS[m[1].lower()], 1)
    if m := _ROLLING.match(text):
        return date(int(m[1]), 1, 1)
    raise ValueError(
        f"“{label}” is not a period we recognise (use 2023, 2023/24, 2023/24 Q1, 2023 Q1 "
        "or 2023-05)"
    )


def is_period(label: str) -> bool:
    try:
        period_start(label)
    except ValueError:
        return False
    return True


def _kind(text: str) -> str:
    if m := _FINANCIAL.match(text):
        return "quarters" if m[3] else "years"
    if _CAL_QUARTER.match(text):
        return "quarters"
    if _YEAR.match(text):
        return "years"
    if _MONTH.match(text) or _MONTH_NAME.match(text):
        return "months"
    return "periods"


def kind_of(labels) -> str:
    """What the periods ``labels`` are, in the plural, for a sentence: "quarters", "months"
    or "years" where every label is one (financial or calendar), else "periods"."""
    kinds = {_kind(" ".join(str(label).split())) for label in labels}
    return kinds.pop() if len(kinds) == 1 else "periods"
