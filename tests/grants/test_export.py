"""The 360Giving export against hand-written rows: an award to a registered charity with
its wards, and an award to an individual published under 360Giving's privacy rules (no
name, generic title and description, an anonymous identifier, local authority not ward)."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from core20.grants import actions, threesixty
from core20.grants.models import Application
from core20.places.models import LocalAuthorityDistrict, Ward
from tests.grants import helpers

pytestmark = pytest.mark.django_db

BASE = "https://connect.example.org"


@pytest.fixture
def awards(make_user, site):
    lead = make_user("site_lead")
    birmingham = LocalAuthorityDistrict.objects.create(code="E08000025", name="Birmingham")
    aston = Ward.objects.create(code="E05011118", name="Aston", lad=birmingham)
    nechells = Ward.objects.create(code="E05011150", name="Nechells", lad=birmingham)
    fund = helpers.fund(
        site, name="Healthy Hearts grants", summary="Grants for heart health in the community."
    )
    group = helpers.application(
        fund,
        amount="450.50",
        group_name="Riverside Walkers",
        charity_number="1234567",
        title="Walk and talk",
        purpose="Weekly walks with blood pressure checks.",
        starts_on=date(2025, 5, 1),
        ends_on=date(2025, 8, 31),
    )
    group.wards.set([nechells, aston])
    person = helpers.application(
        fund,
        amount="150.00",
        recipient_type=Application.RecipientType.INDIVIDUAL,
        group_name="Jo Bloggs",
        title="Jo's cooking sessions at 12 Elm Road",
        purpose="Jo will run cooking sessions for her neighbours.",
    )
    person.wards.set([aston, nechells])
    declined = helpers.application(fund, group_name="Not Funded Group")
    helpers.award(group, lead, decided_on=date(2025, 4, 1))
    helpers.award(person, lead, decided_on=date(2025, 4, 2))
    actions.decide(application=declined, awarded=False, reason="Out of area", by=lead)
    stamp = datetime(2025, 4, 3, 9, 15, tzinfo=UTC)
    Application.objects.update(updated_at=stamp)
    return fund, Application.objects.get(pk=group.pk), Application.objects.get(pk=person.pk)


def _expected_rows(site, fund, group, person) -> list[dict]:
    common = {
        "Currency": "GBP",
        "Funding Org:Identifier": "360G-core20-home-site",
        "Funding Org:Name": "Home Site",
        "Grant Programme:Code": f"360G-core20-home-site-FUND-{fund.pk}",
        "Grant Programme:Title": "Healthy Hearts grants",
        "From An Open Call?": "Yes",
        "Last Modified": "2025-04-03T09:15:00Z",
        "Data Source": "https://connect.example.org/grants/360giving.json",
    }
    blank = dict.fromkeys(threesixty.COLUMNS, "")
    group_row = {
        **blank,
        **common,
        "Identifier": f"360G-core20-home-site-{group.pk}",
        "Title": "Walk and talk",
        "Description": "Weekly walks with blood pressure checks.",
        "Amount Awarded": "450.50",
        "Award Date": "2025-04-01",
        "Planned Dates:Start Date": "2025-05-01",
        "Planned Dates:End Date": "2025-08-31",
        "Recipient Org:Identifier": "GB-CHC-1234567",
        "Recipient Org:Name": "Riverside Walkers",
        "Recipient Org:Charity Number": "1234567",
        "Beneficiary Location:0:Name": "Aston",
        "Beneficiary Location:0:Geographic Code": "E05011118",
        "Beneficiary Location:0:Geographic Code Type": "WD",
        "Beneficiary Location:0:Country Code": "GB",
        "Beneficiary Location:1:Name": "Nechells",
        "Beneficiary Location:1:Geographic Code": "E05011150",
        "Beneficiary Location:1:Geographic Code Type": "WD",
        "Beneficiary Location:1:Country Code": "GB",
    }
    person_row = {
        **blank,
        **common,
        "Identifier": f"360G-core20-home-site-{person.pk}",
        "Title": "Micro-grant to an individual from Healthy Hearts grants",
        "Description": "Grants for heart health in the community.",
        "Amount Awarded": "150.00",
        "Award Date": "2025-04-02",
        "Recipient Ind:Identifier": threesixty.individual_identifier(person),
        "Recipient Ind:Name": "Individual Recipient",
        # Two wards in one district: the district, once.
        "Beneficiary Location:0:Name": "Birmingham",
        "Beneficiary Location:0:Geographic Code": "E08000025",
        "Beneficiary Location:0:Geographic Code Type": "MD",
        "Beneficiary Location:0:Country Code": "GB",
    }
    return [group_row, person_row]


def test_csv_rows_match_the_hand_written_rows(awards, site):
    fund, group, person = awards
    text = threesixty.to_csv(threesixty.awards(), BASE)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows == _expected_rows(site, fund, group, person)


def test_individuals_are_anonymous(awards):
    _, group, person = awards
    published = json.dumps(threesixty.grant(person, BASE)) + str(threesixty.row(person, BASE))
    for personal in ("Jo", "Elm Road", "neighbours", "sam@example.org", "Sam Contact", "Aston"):
        assert personal not in published, personal
    identifier = threesixty.individual_identifier(person)
    prefix, digest = identifier.rsplit("-", 1)
    assert prefix == "360G-core20-home-site-IND" and len(digest) == 16
    assert digest != str(person.pk)
    # Stable for the same grant, different for another.
    assert threesixty.individual_identifier(person) == identifier
    assert threesixty.individual_identifier(group) != identifier
    assert "recipientOrganization" not in threesixty.grant(person, BASE)


def test_json_follows_the_standards_shape(awards):
    _, group, person = awards
    data = threesixty.package(threesixty.awards(), BASE)
    assert [g["id"] for g in data["grants"]] == [
        f"360G-core20-home-site-{group.pk}",
        f"360G-core20-home-site-{person.pk}",
    ]
    first = data["grants"][0]
    assert first["amountAwarded"] == 450.5 and first["currency"] == "GBP"
    assert first["recipientOrganization"] == [
        {"id": "GB-CHC-1234567", "name": "Riverside Walkers", "charityNumber": "1234567"}
    ]
    assert first["plannedDates"] == [{"startDate": "2025-05-01", "endDate": "2025-08-31"}]
    assert data["grants"][1]["recipientIndividual"] == {
        "id": threesixty.individual_identifier(person),
        "name": "Individual Recipient",
    }
    assert data["grants"][1]["amountAwarded"] == 150


def test_declined_undecided_and_unpublished_sites_are_left_out(awards, site, client):
    response = client.get(reverse("grants:export-json"))
    assert response.status_code == 200
    assert len(response.json()["grants"]) == 2
    site.published = False
    site.save()
    assert client.get(reverse("grants:export-json")).json() == {"grants": []}
    csv_response = client.get(reverse("grants:export-csv"))
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode().splitlines() == [",".join(threesixty.COLUMNS)]


def test_the_export_can_be_filtered_by_site(awards, site, other_site, client):
    url = reverse("grants:export-json")
    assert len(client.get(url, {"site": site.slug}).json()["grants"]) == 2
    assert client.get(url, {"site": other_site.slug}).json() == {"grants": []}
    assert client.get(url, {"site": "nowhere"}).status_code == 404


def test_identifiers_for_companies_and_unregistered_groups(site):
    fund = helpers.fund(site)
    company = helpers.application(fund, company_number="09876543")
    plain = helpers.application(fund)
    assert threesixty.organisation_identifier(company) == "GB-COH-09876543"
    assert threesixty.organisation_identifier(plain) == f"360G-core20-home-site-ORG-{plain.pk}"
