"""Both pages that say a quarterly return is missing read the return template's creation date
in London time (settings.TIME_ZONE), so they agree around midnight in British Summer Time:
the site lead's home page and the national oversight dashboard."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from core20.oversight import dashboard, home, periods
from core20.oversight.models import ReturnTemplate
from core20.programme.models import Site
from tests.conftest import page_html

pytestmark = pytest.mark.django_db

# Mid-August 2025: the last return due was Q1 2025/26's, due on Thursday 31 July 2025 (BST).
TODAY = date(2025, 8, 15)
DUE = date(2025, 7, 31)


@pytest.fixture
def august(monkeypatch):
    monkeypatch.setattr(periods, "today", lambda: TODAY)
    assert periods.default_due_date(*periods.last_due_quarter()) == DUE


def _made_at(template, moment: datetime) -> None:
    ReturnTemplate.objects.filter(pk=template.pk).update(created_at=moment)


def _home_says_missing(lead) -> bool:
    return any(w.count for w in home.waiting(lead))


def _dashboard_says_missing(site) -> bool:
    (row,) = dashboard.build(Site.objects.filter(pk=site.pk)).rows
    return row.overdue and row.overdue_reason.startswith("No return for Q1 2025/26")


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        # 23:30 in London on the due date: the template was there in time.
        (datetime(2025, 7, 31, 22, 30, tzinfo=UTC), True),
        # 00:30 in London the day after (still 31 July in UTC): nothing was expected yet.
        (datetime(2025, 7, 31, 23, 30, tzinfo=UTC), False),
    ],
)
def test_home_and_dashboard_agree_on_a_template_made_near_midnight_in_summer(
    august, site, people, template, created_at, expected
):
    Site.objects.filter(pk=site.pk).update(status=Site.Status.ACTIVE)
    _made_at(template, created_at)
    assert _home_says_missing(people["lead"]) is expected
    assert _dashboard_says_missing(site) is expected
    # The national page says the same as the table behind it.
    summary = "1 with an overdue return." if expected else "No overdue returns."
    assert summary in page_html(people["admin"], reverse("oversight:dashboard"))
