"""The directory API: the same search and visibility as the pages, the ORUK shape, and
imports and exports by managers only."""

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.directory.models import Service
from tests.conftest import sign_in
from tests.directory.factories import ServiceFactory

LIST = reverse("api-1.0.0:list_directory_services")
IMPORT = reverse("api-1.0.0:import_directory")
EXPORT = reverse("api-1.0.0:export_directory")


def test_search_filters_and_hides_what_the_pages_hide(client, tags, site):
    walk = ServiceFactory(site=site, name="Walk", referral_routes=["self"])
    walk.clinical_areas.set([tags["diabetes"]])
    walk.wards.set([tags["blakenall"]])
    ServiceFactory(site=site, name="Team only", published=False)
    ServiceFactory(site=site, name="Pleck group").wards.set([tags["pleck"]])
    body = client.get(LIST, {"clinical_area": "diabetes", "place": "WS3 1AA"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert (item["id"], item["name"], item["site"], item["clinical_areas"]) == (
        walk.pk,
        "Walk",
        site.slug,
        ["diabetes"],
    )
    assert [i["name"] for i in client.get(LIST).json()["items"]] == ["Pleck group", "Walk"]
    bad = client.get(LIST, {"place": "Atlantis"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "place"


def test_a_service_in_the_oruk_shape(client, rich_service):
    body = client.get(reverse("api-1.0.0:get_directory_service", args=[rich_service.pk])).json()
    assert body["id"] == rich_service.oruk_id and body["core20_id"] == rich_service.pk
    assert body["organization"]["name"] == "Walk Together CIC"
    assert body["contacts"][0]["phones"][0]["number"] == "01922 000000"


def test_managers_import_and_export_json(client, site, make_user):
    sign_in(client, make_user("site_lead"))
    services = [{"id": "a1", "name": "Shed", "organization": {"id": "o1", "name": "Org"}}]
    payload = {"directory": site.slug, "publish": True, "services": services}
    first = client.post(IMPORT, payload, content_type="application/json")
    again = client.post(IMPORT, payload, content_type="application/json")
    assert first.json() == {"created": ["a1"], "updated": [], "unchanged": []}
    assert again.json() == {"created": [], "updated": [], "unchanged": ["a1"]}
    assert Service.objects.get().published
    exported = client.get(EXPORT, {"directory": site.slug}).json()
    assert [s["id"] for s in exported] == ["a1"]
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT, site_id=site.pk).count() == 1


def test_import_problems_are_422_and_nothing_is_stored(client, site, make_user):
    sign_in(client, make_user("host_coordinator"))
    payload = {"directory": site.slug, "services": [{"id": "a1", "name": "No org"}]}
    response = client.post(IMPORT, payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "services",
            "message": "request.json, service 1 (“a1”), field organization: this is required.",
            "location": "body",
        }
    ]
    assert not Service.objects.exists()


@pytest.mark.parametrize("role", ["connector", "national_analyst"])
def test_import_and_export_are_refused_to_others(client, site, make_user, role):
    sign_in(client, make_user(role))
    payload = {"directory": site.slug, "services": []}
    assert client.post(IMPORT, payload, content_type="application/json").status_code == 403
    assert client.get(EXPORT, {"directory": site.slug}).status_code == 403


def test_site_managers_cannot_import_elsewhere(client, other_site, make_user):
    sign_in(client, make_user("site_lead"))
    for directory in (other_site.slug, "national"):
        payload = {"directory": directory, "services": []}
        assert client.post(IMPORT, payload, content_type="application/json").status_code == 403
