"""Fixtures shared by the outcomes tests."""

import pytest

from tests.outcomes import helpers


@pytest.fixture
def without_targets(site, make_user):
    """Area-level (LSOA) data of four periods for a site that has chosen no target areas."""
    geo = helpers.geography(site, targets=())
    ind = helpers.indicator()
    rows = [
        (code, period, 300 + 10 * d, 1000)
        for period in ("2021", "2022", "2023", "2024")
        for d, code in enumerate(geo.lsoas)
    ]
    helpers.upload(ind, make_user("national_analyst"), rows)
    return ind
