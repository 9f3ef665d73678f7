"""Calendar arithmetic shared by the apps."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier, when negative), or the month's last day
    (31 January + 1 → 28/29 February). Works for datetimes too, keeping the time."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
