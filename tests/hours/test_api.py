"""The API: connectors see and change only their own hours and claims; coordinators their
site's; the same checks as the pages, with JSON errors."""

import json
from datetime import timedelta

import pytest
from django.utils.dateparse import parse_datetime

from core20.hours import actions
from core20.hours.models import HoursEntry, Receipt
from core20.hours.personal_data import remove_receipts
from tests.hours import helpers
from tests.hours.helpers import days_ago

pytestmark = pytest.mark.django_db
API = "/api/v1/hours"


def _post(client, path, data):
    return client.post(f"{API}{path}", json.dumps(data), content_type="application/json")


def test_connectors_list_only_their_own_hours_and_coordinators_their_sites(
    client_as, me, bea, far, people
):
    helpers.log(me, people["connector"], "2", activity="Mine")
    helpers.log(bea, people["bea_user"], "3", activity="Bea's")
    helpers.log(far, people["admin"], "4", activity="Far")
    mine = client_as("connector").get(f"{API}/entries").json()
    assert [e["activity"] for e in mine["items"]] == ["Mine"] and mine["count"] == 1
    site = client_as("host").get(f"{API}/entries").json()
    assert {e["activity"] for e in site["items"]} == {"Mine", "Bea's"}
    everything = client_as("admin").get(f"{API}/entries").json()
    assert everything["count"] == 3
    assert client_as("analyst").get(f"{API}/entries").json()["count"] == 0
    assert client_as("anonymous").get(f"{API}/entries").status_code == 401


def test_a_claim_prepared_for_a_connector_needs_another_approver(client_as, me, people):
    claim = helpers.submitted_claim(me, people["host"], "12.00")
    response = _post(client_as("host"), f"/claims/{claim.pk}/decision", {"decision": "approve"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "decision" and "someone else must approve it" in error["message"]
    response = _post(client_as("lead"), f"/claims/{claim.pk}/decision", {"decision": "approve"})
    assert response.json()["status"] == "approved"


def test_logging_hours_through_the_api(client_as, me, bea, people):
    client = client_as("connector")
    response = _post(
        client, "/entries", {"date": days_ago(1).isoformat(), "hours": "2.5", "activity": "Walk"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["hours"] == "2.50" and body["connector"] == me.pk and body["approved"] is False
    # The same 24-hour rule as the page, as a 422 naming the field.
    response = _post(
        client, "/entries", {"date": days_ago(1).isoformat(), "hours": "22", "activity": "More"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "hours"
    assert "at most 21.5 more" in response.json()["errors"][0]["message"]
    # Not for another connector: someone else's record is not found.
    response = _post(
        client,
        "/entries",
        {"connector": bea.pk, "date": days_ago(1).isoformat(), "hours": "1", "activity": "X"},
    )
    assert response.status_code == 404
    # A coordinator logs for a connector at their site.
    response = _post(
        client_as("host"),
        "/entries",
        {"connector": bea.pk, "date": days_ago(1).isoformat(), "hours": "1", "activity": "X"},
    )
    assert response.status_code == 200 and response.json()["connector_name"] == "Bea Connector"


def test_correcting_and_removing_hours_through_the_api(client_as, me, bea, people):
    entry = helpers.log(me, people["connector"], "2", activity="Wlak")
    client = client_as("connector")
    url = f"{API}/entries/{entry.pk}"
    change = {"date": days_ago(1).isoformat(), "hours": "3", "activity": "Walk"}
    response = client.put(url, json.dumps(change), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["hours"] == "3.00" and response.json()["activity"] == "Walk"
    future = {**change, "date": days_ago(-1).isoformat()}
    response = client.put(url, json.dumps(future), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date"
    # Bea's hours are not found for another connector; her coordinators may remove them.
    beas = helpers.log(bea, people["bea_user"], "1")
    assert client.delete(f"{API}/entries/{beas.pk}").status_code == 404
    assert client_as("host").delete(f"{API}/entries/{beas.pk}").status_code == 204
    assert not HoursEntry.objects.filter(pk=beas.pk).exists()
    # Approved hours stand: 409.
    actions.approve_hours(entry=entry, by=people["host"])
    assert client.delete(url).status_code == 409
    response = client.put(url, json.dumps(change), content_type="application/json")
    assert response.status_code == 409 and "approved" in response.json()["detail"]
    assert HoursEntry.objects.filter(pk=entry.pk).exists()


def test_a_claim_through_the_api(client_as, me, people, media):
    client = client_as("connector")
    response = _post(
        client,
        "/claims",
        {
            "title": "Travel",
            "items": [
                {"date": days_ago(2).isoformat(), "description": "Bus", "amount": "1.10"},
                {"date": days_ago(2).isoformat(), "description": "Train", "amount": "2.20"},
            ],
        },
    )
    assert response.status_code == 200, response.content
    claim = response.json()
    assert claim["total"] == "3.30" and claim["status"] == "draft"
    claim_id = claim["id"]
    response = _post(client, f"/claims/{claim_id}/submit", {})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Upload at least one receipt"
    bad = helpers.upload("receipt.png", b"GIF89a not a png")
    response = client.post(f"{API}/claims/{claim_id}/receipts", {"file": bad})
    assert response.status_code == 422 and "is not a real PNG file" in response.content.decode()
    good = helpers.upload("receipt.jpg", helpers.JPEG, "image/jpeg")
    response = client.post(f"{API}/claims/{claim_id}/receipts", {"file": good})
    assert response.json()["receipts"][0]["content_type"] == "image/jpeg"
    assert _post(client, f"/claims/{claim_id}/submit", {}).json()["status"] == "submitted"
    # The claimant cannot decide on their own claim; the host coordinator can.
    response = _post(client, f"/claims/{claim_id}/decision", {"decision": "approve"})
    assert response.status_code == 403
    host = client_as("host")
    response = _post(host, f"/claims/{claim_id}/decision", {"decision": "reject"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"
    response = _post(host, f"/claims/{claim_id}/decision", {"decision": "approve"})
    assert response.json()["status"] == "approved"
    response = _post(host, f"/claims/{claim_id}/decision", {"decision": "approve"})
    assert response.status_code == 409
    response = _post(host, f"/claims/{claim_id}/paid", {"paid_on": days_ago(0).isoformat()})
    assert response.json()["status"] == "paid"
    # Other people: not found.
    assert client_as("bea_user").get(f"{API}/claims/{claim_id}").status_code == 404
    assert client_as("other_lead").get(f"{API}/claims/{claim_id}").status_code == 404


def test_payments_through_the_api(client_as, me, bea, people):
    data = {
        "connector": bea.pk,
        "amount": "99.99",
        "period_start": days_ago(30).isoformat(),
        "period_end": days_ago(1).isoformat(),
        "paid_on": days_ago(0).isoformat(),
        "method": "payroll",
        "benefits_considerations": "Carer's Allowance earnings limit",
    }
    assert _post(client_as("connector"), "/payments", data).status_code == 404
    response = _post(client_as("lead"), "/payments", data)
    assert response.status_code == 200 and response.json()["amount"] == "99.99"
    # Bea sees her own payment with its benefits considerations; another connector does not.
    mine = client_as("bea_user").get(f"{API}/payments").json()["items"]
    assert mine[0]["benefits_considerations"] == "Carer's Allowance earnings limit"
    assert client_as("connector").get(f"{API}/payments").json()["count"] == 0


# ---- receipts removed at the end of their retention period ----


def _paid_claim(me, people):
    claim = helpers.approved_claim(me, people["connector"], people["host"], "12.50")
    return actions.mark_claim_paid(claim=claim, paid_on=days_ago(0), by=people["lead"])


def test_a_held_receipt_has_its_name_and_no_removal_date(client_as, me, people):
    claim = _paid_claim(me, people)
    (receipt,) = client_as("connector").get(f"{API}/claims/{claim.pk}").json()["receipts"]
    assert receipt["name"] == "receipt.pdf"
    assert receipt["removed_at"] is None
    assert (receipt["content_type"], receipt["size"]) == ("application/pdf", len(helpers.PDF))


@pytest.mark.parametrize("who", ["connector", "host", "admin"])
def test_a_removed_receipt_has_no_name_and_says_when_it_went(client_as, me, people, who):
    claim = _paid_claim(me, people)
    remove_receipts(claim=claim, by=None, reason="Retention period ended: test")
    removed_at = Receipt.objects.get(claim=claim).removed_at

    client = client_as(who)
    (receipt,) = client.get(f"{API}/claims/{claim.pk}").json()["receipts"]
    (listed,) = client.get(f"{API}/claims").json()["items"][0]["receipts"]

    assert receipt == listed
    assert receipt["name"] is None
    # JSON gives times to the millisecond.
    assert abs(parse_datetime(receipt["removed_at"]) - removed_at) < timedelta(milliseconds=1)
    assert (receipt["content_type"], receipt["size"]) == ("application/pdf", len(helpers.PDF))


def test_the_api_documents_the_removed_receipts(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    fields = schemas["ReceiptOut"]["properties"]
    assert {"type": "null"} in fields["name"]["anyOf"]
    assert "null once the receipt has been removed" in fields["name"]["description"]
    assert {"type": "null"} in fields["removed_at"]["anyOf"]
    assert "end of the retention period" in fields["removed_at"]["description"]
    assert set(schemas["ReceiptOut"]["required"]) >= {"name", "removed_at"}
