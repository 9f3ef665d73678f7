"""Working days: Monday to Friday, excluding England and Wales bank holidays.

The calendar is explicit: the standing rules below (Banking and Financial Dealings Act 1971
as applied by royal proclamation) plus the one-off changes listed in ``ONE_OFF``, checked
against https://www.gov.uk/bank-holidays for 2020-2027. A new one-off (a coronation, a
jubilee) is added to ``ONE_OFF`` and ``MOVED``.

Standing rules:
* New Year's Day, 1 January, or the next Monday when it falls at a weekend;
* Good Friday and Easter Monday;
* Early May bank holiday: the first Monday in May;
* Spring bank holiday: the last Monday in May;
* Summer bank holiday: the last Monday in August;
* Christmas Day and Boxing Day, with substitute weekdays when either falls at a weekend
  (Christmas on a Saturday: Monday 27 and Tuesday 28; on a Sunday: Tuesday 27 for
  Christmas, Monday 26 for Boxing Day; Boxing Day on a Saturday: Monday 28).
"""

from datetime import date, timedelta
from functools import cache

# Extra bank holidays proclaimed for one year only.
ONE_OFF = {
    date(2022, 6, 3),  # Platinum Jubilee
    date(2022, 9, 19),  # State funeral of Queen Elizabeth II
    date(2023, 5, 8),  # Coronation of King Charles III
}
# Standing holidays moved in a given year: {rule date: actual date}.
MOVED = {
    date(2020, 5, 4): date(2020, 5, 8),  # early May moved to VE Day's 75th anniversary
    date(2022, 5, 30): date(2022, 6, 2),  # spring bank holiday moved for the jubilee
}


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in ``year``."""
    days = set()
    new_year = date(year, 1, 1)
    days.add(new_year + timedelta(days={5: 2, 6: 1}.get(new_year.weekday(), 0)))
    easter = easter_sunday(year)
    days.update({easter - timedelta(days=2), easter + timedelta(days=1)})
    days.update({_first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8)})
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday
        days.update({date(year, 12, 27), date(year, 12, 28)})
    elif christmas.weekday() == 6:  # Sunday
        days.update({boxing, date(year, 12, 27)})
    elif boxing.weekday() == 5:  # Friday Christmas, Saturday Boxing Day
        days.update({christmas, date(year, 12, 28)})
    else:
        days.update({christmas, boxing})
    days = {MOVED.get(day, day) for day in days}
    days.update(d for d in ONE_OFF if d.year == year)
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def subtract_working_days(end: date, days: int) -> date:
    """The date ``days`` working days before ``end``."""
    day = end
    remaining = days
    while remaining > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
