"""Open Referral UK import and export: round trips, errors that name file, row and column,
all-or-nothing, idempotency, scopes, permissions and audit."""

import csv
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from core20.audit.models import AuditEvent
from core20.directory import actions
from core20.directory.models import Location, Organization, Phone, Service, Taxonomy
from core20.directory.oruk import OrukError, Upload
from tests.directory.factories import ServiceFactory


def _wipe():
    Service.objects.all().delete()
    Organization.objects.all().delete()
    Location.objects.all().delete()
    Taxonomy.objects.all().delete()


def _zip(tables: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in tables.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _tables(content: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
        }


MINIMAL_SERVICES = "id,organization_id,name,status\ns1,o1,Pleck Carers Café,active\n"
MINIMAL_ORGS = "id,name\no1,Pleck Community Association\n"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_round_trips_every_field(fmt, rich_service, site, make_user):
    lead = make_user("site_lead")
    first = actions.export_oruk(site=site, fmt=fmt, by=lead)
    _wipe()
    name = "services.json" if fmt == "json" else "directory.zip"
    result = actions.import_oruk(site=site, uploads=[Upload(name, first)], publish=True, by=lead)
    assert result.created == [rich_service.oruk_id] and result.updated == []
    again = actions.export_oruk(site=site, fmt=fmt, by=lead)
    if fmt == "json":
        assert again == first
    else:  # the zip's own timestamps differ; its tables must not
        assert _tables(again) == _tables(first)

    service = Service.objects.get()
    assert service.site == site and service.published
    assert service.name == "Blakenall Diabetes Walk & Talk"
    assert service.organization.name == "Walk Together CIC"
    assert service.languages == ["English", "Romanian"]
    assert service.referral_routes == ["self", "connector"]
    assert (service.minimum_age, service.maximum_age) == (18, None)
    assert [a.code for a in service.clinical_areas.all()] == ["diabetes"]
    assert [g.code for g in service.communities.all()] == ["gypsy-roma-traveller"]
    assert [w.code for w in service.wards.all()] == ["E05001179"]
    assert [d.code for d in service.lads.all()] == ["E08000030"]
    location = service.at_locations.get().location
    assert (location.postal_code, location.ward.name, location.lsoa_code) == (
        "WS3 1AA",
        "Blakenall",
        "E01010150",
    )
    assert Phone.objects.get().number == "01922 000000"


def test_json_export_has_the_oruk_full_service_shape(rich_service, site, make_user):
    doc = json.loads(actions.export_oruk(site=site, fmt="json", by=make_user("site_lead")))[0]
    assert doc["id"] == rich_service.oruk_id
    assert doc["organization"]["name"] == "Walk Together CIC"
    location = doc["service_at_locations"][0]["location"]
    assert location["physical_addresses"][0]["postal_code"] == "WS3 1AA"
    assert doc["contacts"][0]["phones"][0]["number"] == "01922 000000"
    assert doc["eligibilitys"][0]["minimum_age"] == 18
    assert [x["language"] for x in doc["languages"]] == ["English", "Romanian"]
    terms = {t["taxonomy"]["id"] for t in doc["service_taxonomys"]}
    assert terms == {
        "esd:1",
        "core20-clinical-area:diabetes",
        "core20-community:gypsy-roma-traveller",
        "core20-ward:E05001179",
        "core20-lad:E08000030",
    }


def test_csv_export_writes_linked_tables(rich_service, site, make_user):
    tables = _tables(actions.export_oruk(site=site, fmt="csv", by=make_user("site_lead")))
    service = tables["services.csv"][0]
    assert service["organization_id"] == tables["organizations.csv"][0]["id"]
    assert service["core20_referral_routes"] == "self;connector"
    link = tables["service_at_locations.csv"][0]
    assert link["location_id"] == tables["locations.csv"][0]["id"]
    assert tables["physical_addresses.csv"][0]["location_id"] == link["location_id"]
    assert tables["phones.csv"][0]["contact_id"] == tables["contacts.csv"][0]["id"]


def test_import_is_idempotent_and_updates_by_oruk_id(tags, site, make_user):
    lead = make_user("host_coordinator")
    files = [
        Upload("services.csv", MINIMAL_SERVICES.encode()),
        Upload("organizations.csv", MINIMAL_ORGS.encode()),
    ]
    first = actions.import_oruk(site=site, uploads=files, publish=False, by=lead)
    again = actions.import_oruk(site=site, uploads=files, publish=False, by=lead)
    assert (first.created, again.created, again.updated, again.unchanged) == (
        ["s1"],
        [],
        [],
        ["s1"],
    )
    assert again.describe() == "Already up to date: 1 service unchanged"
    assert Service.objects.count() == 1 and Organization.objects.count() == 1
    assert not Service.objects.get().published  # new services start unpublished

    renamed = MINIMAL_SERVICES.replace("Pleck Carers Café", "Pleck Carers' Café")
    actions.import_oruk(
        site=site,
        uploads=[Upload("services.csv", renamed.encode()), files[1]],
        publish=False,
        by=lead,
    )
    assert Service.objects.get().name == "Pleck Carers' Café"
    events = AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT, site_id=site.pk)
    assert events.count() == 3
    assert events.first().changes["updated"] == ["s1"]
    assert (
        events[1].summary == "Already up to date: 1 service unchanged from services.csv, "
        "organizations.csv"
    )


def test_reimporting_a_file_without_contact_ids_changes_nothing(tags, site, make_user):
    """Contacts, phones and location links without ids in the file get ids made up here; a
    second import of the same file keeps them, and counts the service as unchanged."""
    lead = make_user("host_coordinator")
    feed = [
        {
            "id": "s1",
            "name": "Pleck Carers Café",
            "status": "active",
            "organization": {"id": "o1", "name": "Pleck Community Association"},
            "contacts": [{"name": "Sam", "phones": [{"number": "01922 000000"}]}],
            "service_at_locations": [{"location": {"id": "loc1", "name": "Pleck Hall"}}],
        },
        {
            "id": "s2",
            "name": "Pleck Walk",
            "status": "active",
            "organization": {"id": "o1", "name": "Pleck Community Association"},
        },
    ]
    upload = Upload("feed.json", json.dumps(feed).encode())
    actions.import_oruk(site=site, uploads=[upload], publish=False, by=lead)
    contact_ids = list(Phone.objects.values_list("oruk_id", "contact__oruk_id"))
    stamps = dict(Service.objects.values_list("oruk_id", "updated_at"))

    again = actions.import_oruk(site=site, uploads=[upload], publish=False, by=lead)
    assert (again.created, again.updated, again.unchanged) == ([], [], ["s1", "s2"])
    assert again.describe() == "Already up to date: 2 services unchanged"
    assert list(Phone.objects.values_list("oruk_id", "contact__oruk_id")) == contact_ids
    assert dict(Service.objects.values_list("oruk_id", "updated_at")) == stamps

    feed[1]["name"] = "Pleck Wander"
    feed.append(dict(feed[1], id="s3", name="Pleck Run"))
    changed = actions.import_oruk(
        site=site, uploads=[Upload("feed.json", json.dumps(feed).encode())], publish=False, by=lead
    )
    assert (changed.created, changed.updated, changed.unchanged) == (["s3"], ["s2"], ["s1"])
    assert changed.describe() == "1 service added, 1 updated, 1 unchanged"
    published = actions.import_oruk(
        site=site, uploads=[Upload("feed.json", json.dumps(feed).encode())], publish=True, by=lead
    )
    assert published.updated == ["s1", "s2", "s3"]  # publishing them is a change


def test_csv_errors_name_file_row_and_column_and_nothing_is_written(tags, site, make_user):
    services = (
        "id,organization_id,name,url,status\n"
        "s1,o1,Good service,https://ok.example.org,active\n"
        "s2,o1,,https://ok.example.org,active\n"
        "s3,o9,Orphan,not a url,sometimes\n"
    )
    taxonomys = (
        "id,service_id,taxonomy_id\n"
        "t1,s1,core20-clinical-area:diabetes\n"
        "t2,s1,core20-clinical-area:diabetees\n"
    )
    with pytest.raises(OrukError) as caught:
        actions.import_oruk(
            site=site,
            uploads=[
                Upload(
                    "directory.zip",
                    _zip(
                        {
                            "services.csv": services,
                            "organizations.csv": MINIMAL_ORGS,
                            "service_taxonomys.csv": taxonomys,
                        }
                    ),
                )
            ],
            publish=True,
            by=make_user("site_lead"),
        )
    # Every problem at once: rows that do not join, fields, and tags the directory lacks.
    assert caught.value.messages == [
        "services.csv, row 4, column organization_id: “o9” is not an id in organizations.csv.",
        "services.csv, row 3, column name: this is required.",
        "services.csv, row 4, column status: “sometimes” is not an ORUK status (active, "
        "inactive, defunct, temporarily closed).",
        "services.csv, row 4, column url: “not a url” is not a web address starting with "
        "https:// or http://.",
        "service_taxonomys.csv, row 3, column taxonomy_id: “diabetees” is not a clinical area "
        "this directory knows (core20-clinical-area:diabetees).",
    ]
    assert not Service.objects.exists() and not Organization.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT).exists()


def test_csv_missing_tables_and_columns_are_named(site, make_user):
    lead = make_user("site_lead")
    with pytest.raises(OrukError) as caught:
        actions.import_oruk(
            site=site, uploads=[Upload("services.csv", b"id,name\ns1,A\n")], publish=False, by=lead
        )
    assert caught.value.messages == [
        "organizations.csv is missing: an import needs services and organizations."
    ]
    with pytest.raises(OrukError) as caught:
        actions.import_oruk(
            site=site,
            uploads=[
                Upload("services.csv", b"id,name\ns1,A\n"),
                Upload("organizations.csv", MINIMAL_ORGS.encode()),
            ],
            publish=False,
            by=lead,
        )
    assert caught.value.messages == ["services.csv: the column organization_id is missing."]


def test_json_errors_name_the_service_and_field(tags, site, make_user):
    doc = [
        {"id": "a", "name": "Fine", "organization": {"id": "o", "name": "Org"}},
        {
            "id": "b",
            "name": "Broken",
            "organization": {"id": "o", "name": "Org"},
            "eligibilitys": [{"minimum_age": 65, "maximum_age": 18}],
            "service_taxonomys": [{"taxonomy": {"id": "core20-clinical-area:nope"}}],
        },
    ]
    with pytest.raises(OrukError) as caught:
        actions.import_oruk(
            site=site,
            uploads=[Upload("feed.json", json.dumps(doc).encode())],
            publish=False,
            by=make_user("site_lead"),
        )
    assert caught.value.messages == [
        "feed.json, service 2 (“b”), field eligibilitys.maximum_age: the maximum age is below "
        "the minimum age.",
        "feed.json, service 2 (“b”), field service_taxonomys.taxonomy.id: “nope” is not a "
        "clinical area this directory knows (core20-clinical-area:nope).",
    ]
    assert not Service.objects.exists()


def test_json_accepts_one_service_or_a_page_of_them(site, make_user):
    lead = make_user("site_lead")
    one = {"id": "x1", "name": "One", "organization": {"id": "ox", "name": "Org"}}
    actions.import_oruk(
        site=site, uploads=[Upload("one.json", json.dumps(one).encode())], publish=False, by=lead
    )
    page = {"totalElements": 1, "content": [{**one, "id": "x2", "name": "Two"}]}
    actions.import_oruk(
        site=site, uploads=[Upload("page.json", json.dumps(page).encode())], publish=False, by=lead
    )
    assert sorted(Service.objects.values_list("name", flat=True)) == ["One", "Two"]
    with pytest.raises(OrukError) as caught:
        actions.import_oruk(
            site=site, uploads=[Upload("bad.json", b"{not json")], publish=False, by=lead
        )
    assert caught.value.messages[0].startswith("bad.json: the file is not valid JSON")


def test_an_id_from_another_directory_is_not_taken_over(site, other_site, make_user):
    theirs = ServiceFactory(site=other_site, oruk_id="shared-id", name="Theirs")
    doc = {"id": "shared-id", "name": "Mine", "organization": {"id": "o-new", "name": "Org"}}
    with pytest.raises(OrukError) as caught:
        actions.import_oruk(
            site=site,
            uploads=[Upload("s.json", json.dumps(doc).encode())],
            publish=True,
            by=make_user("site_lead"),
        )
    assert caught.value.messages == [
        "s.json, service 1 (“shared-id”), field id: the service id “shared-id” is already used "
        "in another site's directory. Change the id, or ask who manages that directory."
    ]
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_csv_ids_another_directory_uses_name_their_file_and_row(site, other_site, make_user):
    theirs = ServiceFactory(site=other_site, oruk_id="s1", name="Theirs")
    Location.objects.create(site=other_site, oruk_id="l1", name="Their centre")
    with pytest.raises(OrukError) as caught:
        actions.import_oruk(
            site=site,
            uploads=[
                Upload("services.csv", MINIMAL_SERVICES.encode()),
                Upload("organizations.csv", MINIMAL_ORGS.encode()),
                Upload("locations.csv", b"id,name\nl1,Pleck Community Centre\n"),
                Upload("service_at_locations.csv", b"id,service_id,location_id\nx,s1,l1\n"),
            ],
            publish=False,
            by=make_user("site_lead"),
        )
    assert caught.value.messages == [
        "services.csv, row 2, column id: the service id “s1” is already used in another "
        "site's directory. Change the id, or ask who manages that directory.",
        "locations.csv, row 2, column id: the location id “l1” is already used in another "
        "site's directory. Change the id, or ask who manages that directory.",
    ]
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


@pytest.mark.parametrize("role", ["connector", "national_analyst", "community_member"])
def test_import_and_export_are_refused_without_directory_manage(role, site, make_user):
    user = make_user(role)
    upload = Upload("services.csv", MINIMAL_SERVICES.encode())
    with pytest.raises(PermissionDenied):
        actions.import_oruk(site=site, uploads=[upload], publish=True, by=user)
    with pytest.raises(PermissionDenied):
        actions.export_oruk(site=site, fmt="json", by=user)


def test_site_managers_cannot_touch_another_site_or_the_national_directory(
    site, other_site, make_user
):
    lead = make_user("site_lead")
    with pytest.raises(PermissionDenied):
        actions.export_oruk(site=other_site, fmt="csv", by=lead)
    with pytest.raises(PermissionDenied):
        actions.export_oruk(site=None, fmt="csv", by=lead)
    admin = make_user("national_admin")
    actions.export_oruk(site=None, fmt="csv", by=admin)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.site_id is None and event.changes == {"services": 0, "format": "csv"}


def _feed(count: int, name: str = "Walk") -> bytes:
    """``count`` services, each with a contact, a location (found from its postcode) and
    tags given in the opposite order to the database's (Pleck before Blakenall)."""
    return json.dumps(
        [
            {
                "id": f"s{n}",
                "name": f"{name} {n}",
                "organization": {"id": "o1", "name": "Walk Together"},
                "contacts": [{"name": "Sam", "phones": [{"number": "01922 000000"}]}],
                "service_at_locations": [
                    {
                        "location": {
                            "id": f"loc{n}",
                            "name": "Village Centre",
                            "latitude": 52.6051234,
                            "physical_addresses": [{"postal_code": "ws3 1aa"}],
                        }
                    }
                ],
                "service_taxonomys": [
                    {"taxonomy": {"id": "core20-ward:E05001189"}},
                    {"taxonomy": {"id": "core20-ward:E05001179"}},
                    {"taxonomy": {"id": "core20-clinical-area:diabetes"}},
                    {"taxonomy": {"id": "esd:1", "name": "Physical activity"}},
                ],
            }
            for n in range(count)
        ]
    ).encode()


def test_reimporting_twenty_services_does_not_read_each_one_back(
    tags, site, make_user, django_assert_max_num_queries
):
    """Telling whether each service changed uses what the import has just written, not a
    second read of every service (about 9 queries each)."""
    lead = make_user("site_lead")
    actions.import_oruk(site=site, uploads=[Upload("f.json", _feed(20))], publish=False, by=lead)
    # Writing a service with a contact, a location and tags takes about 23 queries.
    with django_assert_max_num_queries(20 * 24 + 25):
        changed = actions.import_oruk(
            site=site, uploads=[Upload("f.json", _feed(20, "Talk"))], publish=False, by=lead
        )
    assert len(changed.updated) == 20
    with django_assert_max_num_queries(20 * 24 + 25):
        same = actions.import_oruk(
            site=site, uploads=[Upload("f.json", _feed(20, "Talk"))], publish=False, by=lead
        )
    assert (same.created, same.updated, len(same.unchanged)) == ([], [], 20)
    assert same.describe() == "Already up to date: 20 services unchanged"
