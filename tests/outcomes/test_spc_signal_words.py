"""The SPC table's Signal cell says in plain words what each point is and which rule fired.

Data: the target areas (deciles 1 and 2) have 40, 46, 38, 44, 36, 46, 40, 44, 38 and 42%
screened in 2014-2023, then 80% in 2024. The limits are about 43.1 ± 19 (upper limit 62.1):
2024 is above the upper limit, a special cause improvement (higher is better); the points
before it are common cause (no run of 7 on one side of the mean, none near a limit).
"""

import csv
import io

import pytest
from django.urls import reverse

from core20.outcomes import analysis, mdc
from tests.conftest import sign_in
from tests.outcomes import helpers

pytestmark = pytest.mark.django_db

PERIODS = [str(year) for year in range(2014, 2025)]
TARGET_PERCENT = [40, 46, 38, 44, 36, 46, 40, 44, 38, 42, 80]


def rows_for(geo):
    rows = []
    for i, period in enumerate(PERIODS):
        for d, code in enumerate(geo.lsoas, start=1):
            x = 300 if d > 2 else TARGET_PERCENT[i] * 10
            rows.append((code, period, x, 1000))
    return rows


@pytest.fixture
def data(site, make_user):
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(ind, make_user("national_analyst"), rows_for(geo))
    return ind


def test_a_point_outside_the_limits_says_so_on_the_page_and_in_the_download(
    client, site, data, make_user
):
    sign_in(client, make_user("site_lead"))
    page = client.get(reverse("outcomes:site-indicator", args=[site.slug, data.code]))
    html = page.content.decode()
    table = html[html.index('id="table-spc"') :]
    assert "Special cause improvement: outside the limits" in table
    assert "Common cause" in table
    assert "special cause improvement<" not in table

    export = client.get(
        reverse("outcomes:site-indicator-export", args=[site.slug, data.code, "spc", "csv"])
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    signal = rows[0].index("Signal")
    by_period = {row[0]: row[signal] for row in rows[1:]}
    assert by_period["2024"] == "Special cause improvement: outside the limits"
    assert by_period["2023"] == "Common cause"


def test_runs_are_described_with_the_charts_run_lengths():
    words = mdc.signal_text(
        "special_cause_concern",
        "trend",
        improvement="decrease",
        trend_length=analysis.SPC_TREND_LENGTH,
        shift_length=analysis.SPC_SHIFT_LENGTH,
    )
    assert words == f"Special cause concern: {analysis.SPC_TREND_LENGTH} points in a row rising"
    assert (
        mdc.signal_text(
            "special_cause_improvement", "shift", improvement="increase", shift_length=7
        )
        == "Special cause improvement: 7 points in a row above the mean"
    )
    assert (
        mdc.signal_text("special_cause_neutral_low", "trend", improvement="neutral")
        == "Special cause, lower (neither better nor worse): a run of points all falling"
    )
    assert (
        mdc.signal_text("special_cause_concern", "two_of_three", improvement="increase")
        == "Special cause concern: 2 of 3 points near a limit"
    )
    assert mdc.signal_text("common_cause", "", improvement="increase") == "Common cause"
