"""The outcomes API gives the dashboard's figures."""

import pytest

from tests.conftest import sign_in
from tests.outcomes import helpers

pytestmark = pytest.mark.django_db


def test_site_figures_by_deprivation_match_the_dashboard(client, site, make_user):
    analyst = make_user("national_analyst")
    geo = helpers.geography(site)
    ind = helpers.indicator()
    helpers.upload(
        ind, analyst, [(code, "2024", 100 * d, 1000) for d, code in enumerate(geo.lsoas, start=1)]
    )
    sign_in(client, make_user("site_lead"))
    url = f"/api/v1/outcomes/sites/{site.slug}/indicators/{ind.code}/by-deprivation"
    rows = client.get(url, {"by": "quintile"}).json()
    # Quintile q sums deciles 2q-1 and 2q: (100(2q-1) + 100(2q))/2000.
    assert [r["value"] for r in rows] == pytest.approx([15.0, 35.0, 55.0, 75.0, 95.0])
    assert client.get(url, {"by": "tertile"}).status_code == 422
    listing = client.get("/api/v1/outcomes/indicators").json()
    assert [i["code"] for i in listing] == [ind.code]
