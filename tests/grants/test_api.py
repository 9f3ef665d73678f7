"""The micro-grant API: funds for everyone (spend only for the site's team), awards for the
site's team at their own sites, and the public 360Giving JSON."""

from decimal import Decimal

import pytest

from core20.grants import actions
from tests.conftest import sign_in
from tests.grants import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(make_user, site, other_site):
    lead = make_user("site_lead")
    fund = helpers.fund(site, budget="1000.00")
    other_fund = helpers.fund(other_site, name="Elsewhere grants")
    helpers.fund(site, name="Next year", opens=10, closes=40)
    award = helpers.award(helpers.application(fund, amount="300.00"), lead)
    actions.record_payment(application=award, amount="120.50", paid_on=helpers.today(), by=lead)
    admin = make_user("national_admin")
    helpers.award(helpers.application(other_fund, amount="50.00"), admin)
    return lead, fund, award


def test_funds_are_public_and_spend_is_for_the_team(client, data, make_user):
    lead, _, _ = data
    public = client.get("/api/v1/grants/funds").json()
    assert sorted(f["name"] for f in public["items"]) == [
        "Elsewhere grants",
        "Home Site community grants",
    ]
    assert all(f["spend"] is None for f in public["items"])
    sign_in(client, lead)
    mine = {f["name"]: f for f in client.get("/api/v1/grants/funds").json()["items"]}
    assert "Next year" in mine  # not open yet, but the team sees it
    assert mine["Home Site community grants"]["spend"] == {
        "budget": "1000.00",
        "committed": "300.00",
        "paid": "120.50",
        "remaining": "700.00",
    }
    assert mine["Elsewhere grants"]["spend"] is None


def test_fund_spend_takes_a_fixed_number_of_queries(
    client, data, make_user, site, django_assert_max_num_queries
):
    lead, fund, _ = data
    for i in range(5):
        extra = helpers.fund(site, name=f"Extra {i}")
        helpers.award(helpers.application(extra, amount="10.00"), lead)
    sign_in(client, lead)
    with django_assert_max_num_queries(12):
        items = client.get("/api/v1/grants/funds").json()["items"]
    spends = {f["name"]: f["spend"] for f in items}
    assert spends["Extra 3"]["committed"] == "10.00"
    assert spends["Home Site community grants"]["paid"] == "120.50"
    assert actions.spend_by_fund([fund])[fund.pk] == actions.spend(fund)


def test_awards_only_at_the_callers_sites(client, data, make_user):
    lead, _, award = data
    assert client.get("/api/v1/grants/awards").status_code == 401
    sign_in(client, make_user("connector"))
    assert client.get("/api/v1/grants/awards").status_code == 403
    sign_in(client, lead)
    items = client.get("/api/v1/grants/awards").json()["items"]
    assert [(i["id"], i["paid"], i["amount_awarded"]) for i in items] == [
        (award.pk, "120.50", "300.00")
    ]
    assert items[0]["identifier"] == f"360G-core20-home-site-{award.pk}"


def test_public_360giving_json(client, data):
    _, _, award = data
    grants = client.get("/api/v1/grants/360giving").json()["grants"]
    assert len(grants) == 2
    mine = next(g for g in grants if g["id"] == f"360G-core20-home-site-{award.pk}")
    assert Decimal(str(mine["amountAwarded"])) == Decimal("300")
    assert client.get("/api/v1/grants/360giving", {"site": "nowhere"}).status_code == 404
