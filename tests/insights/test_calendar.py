"""Working days against gov.uk's published England and Wales bank holidays."""

from datetime import date

import pytest

from core20.insights.calendar import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
    subtract_working_days,
)

GOV_UK = {
    2025: [
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
    ],
    2026: [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ],
    2027: [
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    ],
    # One-offs: the jubilee weekend moved the spring bank holiday; the state funeral.
    2022: [
        "2022-01-03",
        "2022-04-15",
        "2022-04-18",
        "2022-05-02",
        "2022-06-02",
        "2022-06-03",
        "2022-08-29",
        "2022-09-19",
        "2022-12-26",
        "2022-12-27",
    ],
    2023: [
        "2023-01-02",
        "2023-04-07",
        "2023-04-10",
        "2023-05-01",
        "2023-05-08",
        "2023-05-29",
        "2023-08-28",
        "2023-12-25",
        "2023-12-26",
    ],
}


@pytest.mark.parametrize("year", sorted(GOV_UK))
def test_bank_holidays_match_gov_uk(year):
    assert sorted(bank_holidays(year)) == [date.fromisoformat(d) for d in GOV_UK[year]]


def test_easter():
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)


def test_twenty_working_days_over_christmas():
    # Mon 15 Dec 2025: 4 days that week, 3 before Christmas, 3 after Boxing Day, Fri 2 Jan,
    # 5 the next week and 4 more: Thursday 15 January 2026.
    assert add_working_days(date(2025, 12, 15), 20) == date(2026, 1, 15)


def test_working_days_skip_easter_and_weekends():
    assert add_working_days(date(2026, 4, 1), 3) == date(2026, 4, 8)
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday -> Monday
    assert subtract_working_days(date(2026, 4, 10), 5) == date(2026, 4, 1)
    assert not is_working_day(date(2026, 4, 6))
    assert is_working_day(date(2026, 4, 7))
