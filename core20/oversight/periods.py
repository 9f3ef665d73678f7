"""Financial years and quarters, as the NHS counts them.

A financial year runs from 1 April to 31 March and is held as the year it starts in
(2024 means April 2024 to March 2025, written "2024/25"). Quarter 1 is April to June,
quarter 2 July to September, quarter 3 October to December, quarter 4 January to March.
"""

import calendar
from datetime import date

from django.utils import timezone

QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}
MONTH_NAMES = list(calendar.month_name)
FIRST_YEAR = 2020
LAST_YEAR = 2100


def today() -> date:
    return timezone.localdate()


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_of(day: date) -> tuple[int, int]:
    """(financial year, quarter) that ``day`` falls in."""
    year = financial_year_of(day)
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(day.month, 4)
    return year, quarter


def long_date(day: date) -> str:
    """ "31 July 2025"."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


def year_label(year: int) -> str:
    """2024 → "2024/25"."""
    return f"{year}/{(year + 1) % 100:02d}"


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first, last = QUARTER_MONTHS[quarter]
    calendar_year = year + 1 if quarter == 4 else year
    end_day = calendar.monthrange(calendar_year, last)[1]
    return date(calendar_year, first, 1), date(calendar_year, last, end_day)


def quarter_label(year: int, quarter: int) -> str:
    """ "Q1 2024/25"."""
    return f"Q{quarter} {year_label(year)}"


def quarter_long_label(year: int, quarter: int) -> str:
    """ "Q1 2024/25 (April to June 2024)"."""
    start, end = quarter_bounds(year, quarter)
    return (
        f"{quarter_label(year, quarter)} ({MONTH_NAMES[start.month]} to "
        f"{MONTH_NAMES[end.month]} {end.year})"
    )


def months_label(year: int, quarter: int) -> str:
    """ "October to December 2026"."""
    start, end = quarter_bounds(year, quarter)
    return f"{MONTH_NAMES[start.month]} to {MONTH_NAMES[end.month]} {end.year}"


def submittable_from(year: int, quarter: int) -> date:
    """A return reports on a finished quarter: it can be submitted from the quarter's last
    day (a draft can be started and saved as soon as the quarter starts)."""
    return quarter_bounds(year, quarter)[1]


def last_submittable_quarter(day: date | None = None) -> tuple[int, int]:
    """The latest quarter whose return can be submitted on ``day``."""
    day = day or today()
    year, quarter = quarter_of(day)
    if day < submittable_from(year, quarter):
        return previous_quarter(year, quarter)
    return year, quarter


def default_due_date(year: int, quarter: int) -> date:
    """A return is due by the end of the month after its quarter ends."""
    _, end = quarter_bounds(year, quarter)
    month = end.month % 12 + 1
    calendar_year = end.year + (1 if end.month == 12 else 0)
    return date(calendar_year, month, calendar.monthrange(calendar_year, month)[1])


def previous_quarter(year: int, quarter: int) -> tuple[int, int]:
    return (year, quarter - 1) if quarter > 1 else (year - 1, 4)


def last_due_quarter(day: date | None = None) -> tuple[int, int]:
    """The most recent quarter whose return was due before ``day``."""
    year, quarter = quarter_of(day or today())
    while default_due_date(year, quarter) >= (day or today()):
        year, quarter = previous_quarter(year, quarter)
    return year, quarter


def year_choices(around: int | None = None, before: int = 4, after: int = 1) -> list:
    """Financial years for a select list, newest first."""
    centre = around if around is not None else financial_year_of(today())
    return [(y, year_label(y)) for y in range(centre + after, centre - before - 1, -1)]


QUARTER_CHOICES = [
    (1, "Quarter 1 (April to June)"),
    (2, "Quarter 2 (July to September)"),
    (3, "Quarter 3 (October to December)"),
    (4, "Quarter 4 (January to March)"),
]
