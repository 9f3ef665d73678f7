"""The directory's pages: search by keyword, clinical area, community, place and referral
route (without JavaScript), who sees what, adding, changing and removing services, and
importing and exporting through the pages."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.directory.models import Service, ServiceAtLocation
from core20.places.models import LocalAuthorityDistrict, Postcode, Ward
from tests.conftest import sign_in
from tests.directory.factories import LocationFactory, ServiceFactory
from tests.factories import SiteFactory

SEARCH = reverse("directory:search")


def _names(response) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


@pytest.fixture
def listing(tags, site, other_site):
    """Services spread over areas, communities and places."""
    walk = ServiceFactory(site=site, name="Blakenall Walk", referral_routes=["self"])
    walk.clinical_areas.set([tags["diabetes"]])
    walk.wards.set([tags["blakenall"]])
    bp = ServiceFactory(
        site=site,
        name="Pleck BP Checks",
        referral_routes=["connector"],
        description="Blood pressure checks in the mosque",
    )
    bp.clinical_areas.set([tags["hypertension"]])
    bp.communities.set([tags["roma"]])
    located = ServiceFactory(site=site, name="Carers Hub", referral_routes=["gp"])
    located.communities.set([tags["carers"]])
    ServiceAtLocation.objects.create(
        service=located, location=LocationFactory(ward=tags["pleck"], lad=tags["walsall"])
    )
    bp.wards.set([tags["pleck"]])
    dudley = ServiceFactory(site=other_site, name="Dudley Diabetes Group")
    dudley.clinical_areas.set([tags["diabetes"]])
    dudley.lads.set([tags["dudley"]])
    ServiceFactory(name="National Helpline", description="Diabetes advice line")
    ServiceFactory(site=site, name="Closed Clinic", status=Service.Status.DEFUNCT)
    ServiceFactory(site=site, name="Team-only pathway", published=False)
    return tags


def test_search_filters_by_clinical_area_community_place_and_route(client, listing):
    everything = client.get(SEARCH)
    assert _names(everything) == [
        "Blakenall Walk",
        "Carers Hub",
        "Dudley Diabetes Group",
        "National Helpline",
        "Pleck BP Checks",
    ]  # the defunct service and the team-only one are not listed
    assert _names(client.get(SEARCH, {"area": "diabetes"})) == [
        "Blakenall Walk",
        "Dudley Diabetes Group",
    ]
    assert _names(client.get(SEARCH, {"community": "carers"})) == ["Carers Hub"]
    assert _names(client.get(SEARCH, {"route": "connector"})) == ["Pleck BP Checks"]
    assert _names(client.get(SEARCH, {"q": "blood pressure"})) == ["Pleck BP Checks"]
    # A place finds services covering it or delivered there, and those tied to no place.
    pleck = client.get(SEARCH, {"place": "Pleck"})
    assert _names(pleck) == ["Carers Hub", "National Helpline", "Pleck BP Checks"]
    assert "in Pleck, Walsall" in pleck.content.decode()
    # A postcode finds its ward (Blakenall); the district (Walsall) covers both wards.
    assert _names(client.get(SEARCH, {"place": "ws3 1aa"})) == [
        "Blakenall Walk",
        "National Helpline",
    ]
    assert _names(client.get(SEARCH, {"place": "E08000030"})) == [
        "Blakenall Walk",
        "Carers Hub",
        "National Helpline",
        "Pleck BP Checks",
    ]
    combined = client.get(SEARCH, {"area": "diabetes", "place": "Walsall"})
    assert _names(combined) == ["Blakenall Walk"]


def test_keywords_are_found_in_any_order(client, listing):
    # "Pleck BP Checks": "Blood pressure checks in the mosque".
    assert _names(client.get(SEARCH, {"q": "checks blood"})) == ["Pleck BP Checks"]
    assert _names(client.get(SEARCH, {"q": "mosque  pressure"})) == ["Pleck BP Checks"]
    assert _names(client.get(SEARCH, {"q": "mosque diabetes"})) == []


def test_site_filter_shows_the_site_and_national_services(client, listing, other_site):
    response = client.get(SEARCH, {"site": other_site.slug})
    assert _names(response) == ["Dudley Diabetes Group", "National Helpline"]


def test_an_unknown_place_is_an_error_with_the_summary(client, listing):
    response = client.get(SEARCH, {"place": "Atlantis"})
    body = response.content.decode()
    assert response.status_code == 200 and _names(response) == []
    assert "There is a problem" in body
    assert "We could not find “Atlantis”" in body
    assert 'href="#id_place"' in body


def test_part_of_a_place_name_finds_it_when_only_one_place_has_it(client, listing):
    response = client.get(SEARCH, {"place": "dudl"})
    assert _names(response) == ["Dudley Diabetes Group", "National Helpline"]
    assert "in Dudley" in response.content.decode()


def test_a_ward_name_several_councils_use_asks_which_one(client, listing, site, make_user):
    Ward.objects.create(code="E05001200", name="Pleck", lad=listing["dudley"])
    response = client.get(SEARCH, {"place": "pleck"})
    body = response.content.decode()
    assert _names(response) == [] and "There is a problem" in body
    assert (
        "“pleck” could be more than one place: Pleck (Dudley); Pleck (Walsall). Enter the "
        "place as it is written here"
    ) in body
    expected = ["Carers Hub", "National Helpline", "Pleck BP Checks"]
    assert _names(client.get(SEARCH, {"place": "Pleck (Walsall)"})) == expected
    assert _names(client.get(SEARCH, {"place": "pleck, walsall"})) == expected

    # The service form asks the same, and takes the place as written there.
    sign_in(client, make_user("host_coordinator"))
    data = {
        "directory": site.slug,
        "name": "Pleck Lunch Club",
        "organization_name": "Pleck Community Association",
        "status": "active",
        "referral_routes": ["self"],
        "places": "Pleck, Dudl",
    }
    response = client.post(reverse("directory:service-create"), data)
    assert "“Pleck” could be more than one place" in response.content.decode()
    data["places"] = "Pleck (Walsall), Dudl"
    assert client.post(reverse("directory:service-create"), data).status_code == 302
    service = Service.objects.get(name="Pleck Lunch Club")
    assert [(w.name, w.lad.name) for w in service.wards.all()] == [("Pleck", "Walsall")]
    assert [d.name for d in service.lads.all()] == ["Dudley"]


def test_the_site_team_sees_its_own_unpublished_services(client, listing, make_user):
    assert "Team-only pathway" not in _names(client.get(SEARCH))
    sign_in(client, make_user("connector"))
    assert "Team-only pathway" in _names(client.get(SEARCH))
    response = client.get(SEARCH, {"q": "pathway"})
    assert "Not public" in response.content.decode()


def test_someone_elses_team_does_not_see_them(client, listing, make_user):
    elsewhere = SiteFactory(name="Elsewhere")
    sign_in(client, make_user("site_lead", scope_site=elsewhere))
    assert "Team-only pathway" not in _names(client.get(SEARCH))


def test_search_paginates_with_a_fixed_number_of_queries(
    client, tags, site, django_assert_max_num_queries
):
    for n in range(25):
        service = ServiceFactory(site=site, name=f"Service {n:02}")
        service.clinical_areas.set([tags["diabetes"]])
        service.wards.set([tags["pleck"]])
    with django_assert_max_num_queries(14):
        first = client.get(SEARCH, {"area": "diabetes"})
    assert len(_names(first)) == 20 and first.context["page"].paginator.count == 25
    second = client.get(SEARCH, {"area": "diabetes", "page": 2})
    assert _names(second) == [f"Service {n:02}" for n in range(20, 25)]
    assert "area=diabetes&amp;page=2" in first.content.decode()


def test_service_page_shows_referral_route_contacts_and_place(client, rich_service):
    response = client.get(rich_service.get_absolute_url())
    body = response.content.decode()
    assert '<h1 class="app-break-words">Blakenall Diabetes Walk &amp; Talk</h1>' in body
    assert "Self-referral" in body and "A community connector can refer" in body
    assert 'href="https://walk.example.org/refer"' in body
    assert 'href="tel:01922000000"' in body
    assert "Blakenall ward, Walsall" in body
    assert "English, Romanian" in body
    assert "Change this service" not in body


def test_the_way_back_from_a_service_keeps_the_search(client, listing):
    search = client.get(SEARCH, {"area": "hypertension", "place": "Pleck"})
    service = Service.objects.get(name="Pleck BP Checks")
    link = f"{service.get_absolute_url()}?from=area%3Dhypertension%26place%3DPleck"
    assert f'href="{link}"' in search.content.decode()
    body = client.get(link).content.decode()
    assert 'href="/directory/?area=hypertension&amp;place=Pleck">Search results</a>' in body
    assert "Back to </span>Search results" in body  # the back link phones show
    # Only the search's own fields travel: the way back leads to the search page alone.
    odd = client.get(service.get_absolute_url(), {"from": "next=https://evil.example&q=bp"})
    assert 'href="/directory/?q=bp"' in odd.content.decode()
    plain = client.get(service.get_absolute_url()).content.decode()
    assert "Search results" not in plain


def test_a_host_coordinator_adds_a_service_with_its_ward_from_the_postcode(
    client, tags, site, make_user
):
    sign_in(client, make_user("host_coordinator"))
    response = client.post(
        reverse("directory:service-create"),
        {
            "directory": site.slug,
            "name": "Bloxwich Foodbank",
            "organization_name": "Bloxwich Church",
            "description": "Food parcels on Fridays",
            "status": "active",
            "referral_routes": ["connector", "form"],
            "referral_url": "https://food.example.org/refer",
            "clinical_areas": [tags["diabetes"].pk],
            "places": "Walsall",
            "languages": "English, Polish",
            "address_1": "1 High Street",
            "postal_code": "ws3 1aa",
            "phone": "01922 111111",
        },
    )
    service = Service.objects.get(name="Bloxwich Foodbank")
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    assert service.site == site and not service.published
    assert service.languages == ["English", "Polish"]
    assert [d.name for d in service.lads.all()] == ["Walsall"]
    location = service.at_locations.get().location
    assert (location.postal_code, location.ward.name) == ("WS3 1AA", "Blakenall")
    assert service.contacts.get().phones.get().number == "01922 111111"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, object_type="directory.Service")
    assert event.site_id == site.pk and event.changes["name"] == [None, "Bloxwich Foodbank"]


def test_the_service_form_explains_every_mistake_at_once(client, tags, site, other_site, make_user):
    sign_in(client, make_user("site_lead"))
    response = client.post(
        reverse("directory:service-create"),
        {
            "directory": other_site.slug,
            "name": "",
            "status": "active",
            "referral_routes": ["form"],
            "minimum_age": "70",
            "maximum_age": "18",
            "places": "Nowhere",
            "postal_code": "WS3 1A",
            "phone": "ring the office",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and not Service.objects.exists()
    # The rules between fields are explained with the rest, not on a second try.
    for message in (
        "Choose a directory you manage",
        "Enter the service&#x27;s name",
        "Enter the name of the organisation that runs the service",
        "We could not find “Nowhere”",
        "The maximum age must be the same as or more than the minimum age",
        "Enter the address of the online referral form, or untick “Online referral form”",
        "Enter a full postcode, like TF3 4AB",
        "Enter a phone number, like 01632 960 001 or 111",
    ):
        assert message in body
    assert 'href="#id_maximum_age"' in body and 'href="#id_referral_url"' in body


def test_the_service_form_keeps_a_postcode_in_its_usual_form(client, tags, site, make_user):
    sign_in(client, make_user("host_coordinator"))
    response = client.post(
        reverse("directory:service-create"),
        {
            "directory": site.slug,
            "name": "Pleck Lunch Club",
            "organization_name": "Pleck Community Association",
            "status": "active",
            "referral_routes": ["self"],
            "postal_code": "ws31aa",
            "phone": "111",
        },
    )
    assert response.status_code == 302
    location = ServiceAtLocation.objects.get().location
    assert (location.postal_code, location.ward.name) == ("WS3 1AA", "Blakenall")


def test_a_site_lead_changes_and_removes_a_service(client, rich_service, make_user):
    sign_in(client, make_user("site_lead"))
    edit = reverse("directory:service-edit", args=[rich_service.pk])
    form = client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "clinical_areas"}
    data.update(
        name="Walk & Talk",
        organization_name="Walk Together CIC",
        status="temporarily closed",
        referral_routes=["self"],
        clinical_areas=[a.pk for a in rich_service.clinical_areas.all()],
        communities=[g.pk for g in rich_service.communities.all()],
        phone="",
    )
    data.pop("published", None)
    response = client.post(edit, data)
    assert response.status_code == 302
    rich_service.refresh_from_db()
    assert rich_service.name == "Walk & Talk" and not rich_service.published
    assert not rich_service.contacts.filter(phones__isnull=False).exists()
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.UPDATE, object_type="directory.Service")
    assert event.changes["status"] == ["active", "temporarily closed"]

    remove = reverse("directory:service-delete", args=[rich_service.pk])
    assert client.post(remove, {}).status_code == 200  # the box must be ticked
    assert client.post(remove, {"confirm": "on"}).status_code == 302
    assert not Service.objects.exists()
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DELETE).count() == 1


def test_import_page_lists_every_problem_and_imports_nothing(client, site, make_user):
    sign_in(client, make_user("site_lead"))
    bad = io.BytesIO(b"id,organization_id,name\ns1,o1,\n")
    bad.name = "services.csv"
    orgs = io.BytesIO(b"id,name\no1,Org\n")
    orgs.name = "organizations.csv"
    response = client.post(
        reverse("directory:import"), {"directory": site.slug, "files": [bad, orgs]}
    )
    body = response.content.decode()
    assert "The file could not be imported: 1 problem found. Nothing was imported." in body
    assert "services.csv, row 2, column name: this is required." in body
    assert not Service.objects.exists()


def test_import_then_export_through_the_pages(client, site, make_user):
    sign_in(client, make_user("host_coordinator"))
    feed = io.BytesIO(
        json.dumps(
            [
                {
                    "id": "svc-1",
                    "name": "Men's Shed",
                    "organization": {"id": "org-1", "name": "Sheds"},
                    "status": "active",
                }
            ]
        ).encode()
    )
    feed.name = "feed.json"
    response = client.post(
        reverse("directory:import"), {"directory": site.slug, "files": [feed], "publish": "on"}
    )
    assert response.status_code == 302
    assert Service.objects.get().published
    feed.seek(0)
    again = client.post(
        reverse("directory:import"),
        {"directory": site.slug, "files": [feed], "publish": "on"},
        follow=True,
    )
    assert "Already up to date: 1 service unchanged." in again.content.decode()
    export = client.get(reverse("directory:export"), {"directory": site.slug, "format": "csv"})
    assert export["Content-Type"] == "application/zip"
    assert f"directory-{site.slug}-" in export["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(export.content)) as archive:
        assert "svc-1,org-1,Men's Shed" in archive.read("services.csv").decode()
    refused = client.get(reverse("directory:export"), {"directory": "national", "format": "csv"})
    assert "Choose a directory you manage" in refused.content.decode()


def _upload(feed: list[dict]) -> io.BytesIO:
    upload = io.BytesIO(json.dumps(feed).encode())
    upload.name = "feed.json"
    return upload


def _service_doc(oruk_id: str, name: str) -> dict:
    return {"id": oruk_id, "name": name, "organization": {"id": "org-1", "name": "Sheds"}}


def test_after_an_import_the_team_sees_what_it_did_and_publishes_the_drafts(
    client, site, make_user
):
    lead = make_user("site_lead")
    sign_in(client, lead)
    client.post(
        reverse("directory:import"),
        {"directory": site.slug, "files": [_upload([_service_doc("a", "Allotment Club")])]},
    )
    Service.objects.filter(oruk_id="a").update(published=True)
    feed = [
        _service_doc("a", "Allotment Club"),
        _service_doc("b", "Men's Shed"),
        _service_doc("c", "Craft Café"),
    ]
    response = client.post(
        reverse("directory:import"), {"directory": site.slug, "files": [_upload(feed)]}
    )
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT).first()
    result_url = reverse("directory:import-result", args=[event.pk])
    assert response["Location"] == result_url  # not the whole directory

    page = client.get(result_url)
    body = page.content.decode()
    assert "2 services added, 1 unchanged from feed.json." in body
    shed = Service.objects.get(oruk_id="b")
    assert f'<a href="{shed.get_absolute_url()}">Men&#x27;s Shed</a>' in body
    assert [s.name for s in page.context["batch"].added] == ["Craft Café", "Men's Shed"]
    assert [s.name for s in page.context["batch"].unchanged] == ["Allotment Club"]
    assert "Publish all 2 draft services this import added" in body

    published = client.post(result_url, follow=True)
    assert "2 services this import added are now in the public directory." in (
        published.content.decode()
    )
    assert Service.objects.filter(published=True).count() == 3
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.PUBLISH)
    assert event.site_id == site.pk and sorted(event.changes["published"]) == ["b", "c"]
    assert "Every service from this import is in the public directory." in (
        published.content.decode()
    )

    # Another site's team cannot see the results nor publish them.
    elsewhere = SiteFactory(name="Elsewhere")
    sign_in(client, make_user("site_lead", scope_site=elsewhere))
    assert client.get(result_url).status_code == 403
    assert client.post(result_url).status_code == 403


def test_publish_all_leaves_the_drafts_the_site_kept_before_the_import(client, site, make_user):
    """An import without "publish" keeps a service that was already a draft as a draft. That
    draft may be held back on purpose, so "Publish all" publishes only the services the
    import added; the earlier drafts are listed apart, each with its own button."""
    lead = make_user("site_lead")
    sign_in(client, lead)
    client.post(
        reverse("directory:import"),
        {"directory": site.slug, "files": [_upload([_service_doc("a", "Allotment Club")])]},
    )  # "Allotment Club" stays a draft: the team keeps it out of the directory
    feed = [
        {**_service_doc("a", "Allotment Club"), "description": "Now with raised beds."},
        _service_doc("b", "Men's Shed"),
        _service_doc("c", "Craft Café"),
    ]
    client.post(reverse("directory:import"), {"directory": site.slug, "files": [_upload(feed)]})
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT).order_by("-pk").first()
    result_url = reverse("directory:import-result", args=[event.pk])
    allotment = Service.objects.get(oruk_id="a")

    body = " ".join(client.get(result_url).content.decode().split())
    assert "Publish all 2 draft services this import added" in body
    assert "1 was a draft before this import" in body
    assert '<h2 class="nhsuk-heading-m">Drafts from before this import</h2>' in body
    assert f'<input type="hidden" name="service" value="{allotment.pk}">' in body
    assert 'Publish<span class="nhsuk-u-visually-hidden"> Allotment Club</span>' in body

    published = client.post(result_url, follow=True)
    assert "2 services this import added are now in the public directory." in (
        published.content.decode()
    )
    assert set(Service.objects.filter(published=True).values_list("oruk_id", flat=True)) == {
        "b",
        "c",
    }
    assert not Service.objects.get(oruk_id="a").published
    assert sorted(AuditEvent.objects.get(verb=AuditEvent.Verb.PUBLISH).changes["published"]) == [
        "b",
        "c",
    ]
    body = published.content.decode()
    assert "Publish all" not in body and "Drafts from before this import" in body

    # A service the import added is not published through the one-at-a-time button.
    shed = Service.objects.get(oruk_id="b")
    refused = client.post(result_url, {"service": shed.pk}, follow=True)
    assert "That service is not a draft from before this import." in refused.content.decode()

    one = client.post(result_url, {"service": allotment.pk}, follow=True)
    assert "“Allotment Club” is now in the public directory." in one.content.decode()
    assert Service.objects.get(oruk_id="a").published
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.PUBLISH).order_by("-pk").first()
    assert event.changes["published"] == ["a"] and event.actor_id == lead.pk
    assert "Every service from this import is in the public directory." in one.content.decode()


def test_a_postcode_district_finds_the_wards_its_postcodes_are_in(client, listing):
    # WS3 1AA is in Blakenall (conftest); WS3 2ZZ in Pleck; B1 1AA is elsewhere.
    Postcode.objects.create(
        code="WS32ZZ", display="WS3 2ZZ", ward_code="E05001189", lad_code="E08000030"
    )
    response = client.get(SEARCH, {"place": "ws3"})
    assert _names(response) == [
        "Blakenall Walk",
        "Carers Hub",  # delivered in Pleck
        "National Helpline",
        "Pleck BP Checks",
    ]
    assert "in WS3 (Walsall)" in response.content.decode()
    unknown = client.get(SEARCH, {"place": "B1"}).content.decode()
    assert "We could not find “B1”. Enter a postcode (like TF3 4AB) or postcode district" in (
        unknown
    )


def test_a_postcode_finds_services_tagged_with_another_year_s_code_for_its_ward(client, listing):
    # The 2023 lookup gives Blakenall a new code; "Blakenall Walk" was tagged with the old.
    Ward.objects.create(code="E05013650", name="Blakenall", lad=listing["walsall"], year=2023)
    Postcode.objects.create(
        code="WS32BB", display="WS3 2BB", ward_code="E05013650", lad_code="E08000030"
    )
    assert _names(client.get(SEARCH, {"place": "WS3 2BB"})) == [
        "Blakenall Walk",
        "National Helpline",
    ]
    assert _names(client.get(SEARCH, {"place": "E05013650"})) == [
        "Blakenall Walk",
        "National Helpline",
    ]


def test_council_names_with_a_comma_can_be_entered_by_name(client, tags, site, make_user):
    bristol = LocalAuthorityDistrict.objects.create(code="E06000023", name="Bristol, City of")
    hereford = LocalAuthorityDistrict.objects.create(
        code="E06000019", name="Herefordshire, County of"
    )
    clifton = Ward.objects.create(code="E05010892", name="Clifton", lad=bristol)
    sign_in(client, make_user("host_coordinator"))
    form = client.get(reverse("directory:service-create")).content.decode()
    assert "Separate several with commas or semicolons" in form
    response = client.post(
        reverse("directory:service-create"),
        {
            "directory": site.slug,
            "name": "Severn Carers",
            "organization_name": "Carers Trust",
            "status": "active",
            "referral_routes": ["self"],
            "places": "Bristol, City of, herefordshire,county of; "
            "Clifton (Bristol, City of), Pleck",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    service = Service.objects.get(name="Severn Carers")
    assert list(service.lads.order_by("code")) == [hereford, bristol]
    assert list(service.wards.order_by("name")) == [clifton, tags["pleck"]]
