"""Creating and editing waves, sites and organisations in the pages: validated, audited,
all or nothing."""

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.programme.models import (
    ClinicalArea,
    Organisation,
    PlusGroup,
    Site,
    SiteOrganisation,
    Wave,
)
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, SiteFactory
from tests.programme.conftest import error_summary, field_error, h1_count, text

pytestmark = pytest.mark.django_db


def events(**filters):
    """Audit events about the programme (signing in records events too)."""
    return list(AuditEvent.objects.filter(object_type__startswith="programme.", **filters))


def management(prefix="organisations", total=2, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


@pytest.fixture
def areas(db):
    return {
        "maternity": ClinicalArea.objects.create(code="maternity", name="Maternity", group="adult"),
        "hypertension": ClinicalArea.objects.create(
            code="hypertension", name="Hypertension", group="adult"
        ),
    }


@pytest.fixture
def groups(db):
    parent = PlusGroup.objects.create(code="inclusion", name="Inclusion health groups", position=1)
    return {
        "coastal": PlusGroup.objects.create(code="coastal", name="Coastal communities", position=0),
        "homeless": PlusGroup.objects.create(
            code="homeless", name="People experiencing homelessness", parent=parent, position=2
        ),
    }


# ---- waves ----


def wave_post(**overrides):
    data = {
        "number": "3",
        "name": "Wave 3",
        "period": "24/25",
        "status": "open",
        "summary": "Open for expressions of interest.",
        "eois_received": "",
        "selection_note": "",
    }
    return {**data, **overrides}


def test_national_admin_creates_a_wave(admin_client_signed_in, site):
    client = admin_client_signed_in
    response = client.post(reverse("programme:wave-create"), wave_post())
    wave = Wave.objects.get(name="Wave 3")
    assert response.status_code == 302 and response["Location"] == wave.get_absolute_url()
    assert wave.programme == site.wave.programme and wave.number == 3
    [event] = events(verb="create", object_type="programme.Wave")
    assert event.actor_id == client.user.pk
    assert event.changes["name"] == [None, "Wave 3"]
    assert event.changes["status"] == [None, "Open for expressions of interest"]
    page = client.get(response["Location"])
    assert "Wave 3 has been added." in text(page)


def test_wave_form_page(admin_client_signed_in, site):
    response = admin_client_signed_in.get(reverse("programme:wave-create"))
    html = text(response)
    assert h1_count(response) == 1 and "<h1>Add a wave</h1>" in html
    assert 'class="nhsuk-radios__input"' in html  # status as radios
    assert "For example 24/25" in html  # hint


def test_wave_number_must_be_unique_in_the_programme(admin_client_signed_in, site):
    taken = site.wave.number
    response = admin_client_signed_in.post(
        reverse("programme:wave-create"), wave_post(number=str(taken))
    )
    assert response.status_code == 200
    message = f"There is already a wave {taken}. Enter a different number."
    assert message in error_summary(response)
    assert field_error(response, "number") == message
    assert "<title>Error: Add a wave" in text(response)
    assert not Wave.objects.filter(name="Wave 3").exists()
    assert not events(object_type="programme.Wave")


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "Enter a name for the wave"),
        ({"number": ""}, "number", "Enter the wave number"),
        ({"number": "three"}, "number", "Wave number must be a whole number, like 3"),
        ({"number": "0"}, "number", "Wave number must be 1 or more"),
        ({"status": "finished"}, "status", "Select a valid choice"),
        ({"eois_received": "-4"}, "eois_received", "Expressions of interest cannot be negative"),
        ({"period": "x" * 21}, "period", "Financial year must be 20 characters or fewer"),
    ],
)
def test_bad_wave_input_is_explained_and_nothing_saved(
    overrides, field, message, admin_client_signed_in, site
):
    response = admin_client_signed_in.post(reverse("programme:wave-create"), wave_post(**overrides))
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert message in error_summary(response)
    assert f'href="#id_{field}' in error_summary(response)
    assert Wave.objects.count() == 1
    assert not events()


def test_editing_a_wave_records_the_changes(admin_client_signed_in, site):
    wave = site.wave
    data = wave_post(number=str(wave.number), name=wave.name, period=wave.period, status="closed")
    response = admin_client_signed_in.post(reverse("programme:wave-edit", args=[wave.pk]), data)
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.status == "closed"
    [event] = events(verb="update", object_type="programme.Wave")
    assert event.changes["status"] == ["Planned", "Closed"]
    assert event.changes["summary"] == ["", "Open for expressions of interest."]
    assert "name" not in event.changes


def test_saving_a_wave_unchanged_records_nothing(admin_client_signed_in, site):
    wave = site.wave
    data = {
        "number": wave.number,
        "name": wave.name,
        "period": wave.period,
        "status": wave.status,
        "summary": "",
        "eois_received": "",
        "selection_note": "",
    }
    response = admin_client_signed_in.post(
        reverse("programme:wave-edit", args=[wave.pk]), data, follow=True
    )
    assert "You did not change anything." in text(response)
    assert not events(verb="update")


def test_wave_can_keep_its_own_number(admin_client_signed_in, site):
    wave = site.wave
    response = admin_client_signed_in.post(
        reverse("programme:wave-edit", args=[wave.pk]),
        wave_post(number=str(wave.number), name="Renamed wave"),
    )
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.name == "Renamed wave"


# ---- organisations ----


def organisation_post(**overrides):
    data = {
        "name": "Walsall Community Network",
        "slug": "",
        "kind": "vcse",
        "description": "Brings local groups together.",
        "website": "https://walsall.example.org",
        "charity_number": "1234567",
        "ods_code": "",
        "contact_email": "hello@walsall.example.org",
    }
    return {**data, **overrides}


def test_national_admin_creates_an_organisation_with_a_slug_from_its_name(admin_client_signed_in):
    response = admin_client_signed_in.post(
        reverse("programme:organisation-create"), organisation_post()
    )
    organisation = Organisation.objects.get(name="Walsall Community Network")
    assert organisation.slug == "walsall-community-network"
    assert response["Location"] == organisation.get_absolute_url()
    [event] = events(verb="create", object_type="programme.Organisation")
    assert event.changes["kind"] == [None, "Voluntary, community or social enterprise"]
    assert event.changes["slug"] == [None, "walsall-community-network"]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "Enter the organisation's name"),
        ({"name": "Home Trust"}, "name", "An organisation with this name already exists"),
        ({"slug": "home-trust"}, "slug", "An organisation with this web address already exists"),
        ({"slug": "new"}, "slug", "“new” is used by the service itself"),
        (
            {"slug": "Not a slug!"},
            "slug",
            "can only contain lower-case letters, numbers and hyphens",
        ),
        ({"kind": ""}, "kind", "Choose the type of organisation"),
        ({"website": "not a website"}, "website", "Enter a web address in the correct format"),
        (
            {"contact_email": "nobody"},
            "contact_email",
            "Enter an email address in the correct format",
        ),
        ({"ods_code": "Q-1"}, "ods_code", "The ODS code can only contain letters and numbers"),
    ],
)
def test_bad_organisation_input_is_explained_and_nothing_saved(
    overrides, field, message, admin_client_signed_in, organisation
):
    response = admin_client_signed_in.post(
        reverse("programme:organisation-create"), organisation_post(**overrides)
    )
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert message in error_summary(response)
    assert Organisation.objects.count() == 1
    assert not events()


def test_editing_an_organisation_records_the_changes(admin_client_signed_in, organisation):
    url = reverse("programme:organisation-edit", args=[organisation.slug])
    assert admin_client_signed_in.get(url).status_code == 200
    response = admin_client_signed_in.post(
        url, organisation_post(name=organisation.name, slug=organisation.slug, kind="healthwatch")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.kind == "healthwatch"
    [event] = events(verb="update", object_type="programme.Organisation")
    assert event.changes["kind"] == ["Voluntary, community or social enterprise", "Healthwatch"]


# ---- sites: national admins ----


def site_post(wave, geography, **overrides):
    data = {
        "name": "Northshire Connectors",
        "slug": "",
        "local_name": "Health Buddies",
        "wave": str(wave.pk),
        "kind": "ics",
        "status": "selected",
        "published": "on",
        "regions": [str(geography["north"].pk)],
        "icbs": [str(geography["north_a"].pk)],
        "place": "Northtown",
        "target_places": "Three wards",
        "geography_types": ["urban", "coastal"],
        "summary": "Connectors working with coastal communities.",
        "detail": "",
        "communities_note": "",
        "delivery_model": "paid",
        "internal_notes": "Funding agreed",
        "contact_email": "team@northshire.example.org",
        "source": "Test",
        **management(),
    }
    return {**data, **overrides}


def test_national_admin_creates_a_site_with_everything(
    admin_client_signed_in, site, geography, areas, groups, organisation
):
    data = site_post(
        site.wave,
        geography,
        focus_areas=[str(areas["maternity"].pk)],
        communities=[str(groups["homeless"].pk)],
        **{"organisations-0-organisation": str(organisation.pk), "organisations-0-role": "host"},
    )
    response = admin_client_signed_in.post(reverse("programme:site-create"), data)
    new = Site.objects.get(name="Northshire Connectors")
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.slug == "northshire-connectors"
    assert new.geography_types == ["urban", "coastal"]
    assert list(new.regions.all()) == [geography["north"]]
    assert list(new.focus_areas.all()) == [areas["maternity"]]
    assert SiteOrganisation.objects.get(site=new).role == "host"
    [event] = events(verb="create", object_type="programme.Site")
    assert event.site_id == new.pk  # so its site lead sees it in their audit log
    assert event.changes["regions"] == [None, ["Northshire"]]
    assert event.changes["focus_areas"] == [None, ["Maternity"]]
    assert event.changes["organisations"] == [None, ["Home Trust (Host organisation)"]]
    assert "Northshire Connectors has been added." in text(
        admin_client_signed_in.get(new.get_absolute_url())
    )


def test_site_form_page_uses_checkboxes_and_radios(admin_client_signed_in, site, geography, groups):
    response = admin_client_signed_in.get(reverse("programme:site-create"))
    html = text(response)
    assert h1_count(response) == 1
    assert 'type="checkbox" name="geography_types" value="rural"' in html
    assert 'type="checkbox" name="regions"' in html
    assert 'type="checkbox" name="icbs"' in html
    assert 'type="radio" name="wave"' in html
    assert "Northshire region" in html  # ICBs grouped by region
    assert "North A" in html  # ICB short names
    assert "Inclusion health groups" in html  # communities grouped under their parent
    assert "- Select an option -" not in html


def test_invalid_site_shows_every_problem_and_saves_nothing(
    admin_client_signed_in, site, geography, organisation
):
    data = site_post(
        site.wave,
        geography,
        name="",
        regions=[],
        icbs=[],
        summary="",
        contact_email="not-an-email",
        **{"organisations-0-organisation": str(organisation.pk)},
    )
    response = admin_client_signed_in.post(reverse("programme:site-create"), data)
    assert response.status_code == 200
    summary = error_summary(response)
    for field, message in [
        ("name", "Enter a site name"),
        ("regions", "Choose at least one NHS region"),
        ("icbs", "Choose at least one ICB"),
        ("summary", "Enter a summary of the site's work"),
        ("contact_email", "Enter an email address in the correct format"),
        ("organisations-0-role", "Choose the role Home Trust has at the site"),
    ]:
        assert message in summary, message
        assert message in field_error(response, field), field
    assert 'href="#id_regions_0"' in summary  # checkboxes: the link goes to the first box
    assert summary.count("<li>") == 6  # one summary, listing the form's and formset's errors
    assert text(response).count("There is a problem") == 1
    assert Site.objects.count() == 1
    assert not events()


def test_site_name_must_be_unique(admin_client_signed_in, site, geography):
    response = admin_client_signed_in.post(
        reverse("programme:site-create"), site_post(site.wave, geography, name=site.name)
    )
    assert "A site with this name already exists" in field_error(response, "name")
    assert Site.objects.count() == 1


def test_generated_web_address_must_be_unique_too(admin_client_signed_in, site, geography):
    response = admin_client_signed_in.post(
        reverse("programme:site-create"), site_post(site.wave, geography, name="Home site!")
    )
    assert "A site with this web address already exists" in field_error(response, "slug")


def test_icbs_must_be_in_the_chosen_regions(admin_client_signed_in, site, geography):
    response = admin_client_signed_in.post(
        reverse("programme:site-create"),
        site_post(site.wave, geography, icbs=[str(geography["south_a"].pk)]),
    )
    message = "NHS South A Integrated Care Board is in the Southshire region"
    assert message in field_error(response, "icbs")
    assert not Site.objects.filter(name="Northshire Connectors").exists()


def test_same_organisation_twice_in_the_same_role_is_refused(
    admin_client_signed_in, site, geography, organisation
):
    data = site_post(
        site.wave,
        geography,
        **{
            "organisations-0-organisation": str(organisation.pk),
            "organisations-0-role": "host",
            "organisations-1-organisation": str(organisation.pk),
            "organisations-1-role": "host",
        },
    )
    response = admin_client_signed_in.post(reverse("programme:site-create"), data)
    assert "Home Trust is listed twice as host organisation" in error_summary(response)
    assert not Site.objects.filter(name="Northshire Connectors").exists()


def test_national_admin_edits_wave_status_and_organisations(
    admin_client_signed_in, site, geography, organisation
):
    SiteOrganisation.objects.create(site=site, organisation=organisation, role="partner")
    old_wave, other_wave = site.wave, SiteFactory().wave
    partner = OrganisationFactory(name="Second Charity")
    url = reverse("programme:site-edit", args=[site.slug])
    assert "Home Trust" in text(admin_client_signed_in.get(url))  # the existing link, filled in
    data = site_post(
        other_wave,
        geography,
        name=site.name,
        slug=site.slug,
        status="active",
        **management(total=3, initial=1),
        **{
            "organisations-0-organisation": str(organisation.pk),
            "organisations-0-role": "partner",
            "organisations-0-DELETE": "on",
            "organisations-1-organisation": str(partner.pk),
            "organisations-1-role": "lead",
        },
    )
    response = admin_client_signed_in.post(url, data)
    assert response.status_code == 302, error_summary(response)
    site.refresh_from_db()
    assert site.wave == other_wave and site.status == "active"
    assert [(link.organisation.name, link.role) for link in site.site_organisations.all()] == [
        ("Second Charity", "lead")
    ]
    [event] = events(verb="update", object_type="programme.Site")
    assert event.site_id == site.pk
    assert event.changes["status"] == ["Selected", "Active"]
    assert event.changes["wave"] == [str(old_wave), str(other_wave)]
    assert event.changes["organisations"] == [
        ["Home Trust (Delivery partner)"],
        ["Second Charity (Lead partner)"],
    ]


# ---- sites: site leads ----


def lead_post(site, **overrides):
    data = {
        "local_name": "Health Friends",
        "place": "Hometown",
        "summary": "A new summary in the site's own words.",
        "detail": "More about what we do.",
        "communities_note": "",
        "target_places": "",
        "geography_types": ["rural"],
        "delivery_model": "volunteer",
        "internal_notes": "Next steering group in May",
        "contact_email": "lead@home.example.org",
    }
    return {**data, **overrides}


@pytest.fixture
def lead_client(client, make_user, site):
    lead = make_user("site_lead", full_name="Sita Lead")
    sign_in(client, lead)
    client.user = lead
    return client


def test_site_lead_edits_their_own_sites_description(lead_client, site, areas):
    url = reverse("programme:site-edit", args=[site.slug])
    page = lead_client.get(url)
    assert page.status_code == 200
    html = text(page)
    assert 'name="summary"' in html and 'name="focus_areas"' in html
    for restricted in ("wave", "status", "published", "name", "slug", "regions", "icbs"):
        assert f'name="{restricted}"' not in html, restricted
    response = lead_client.post(url, lead_post(site, focus_areas=[str(areas["hypertension"].pk)]))
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.summary == "A new summary in the site's own words."
    assert site.geography_types == ["rural"]
    assert list(site.focus_areas.all()) == [areas["hypertension"]]
    [event] = events(verb="update")
    assert event.actor_id == lead_client.user.pk and event.site_id == site.pk
    assert event.changes["summary"] == [
        "Connectors working with communities.",
        "A new summary in the site's own words.",
    ]
    assert event.changes["focus_areas"] == [[], ["Hypertension"]]
    assert event.changes["delivery_model"] == ["Not stated", "Volunteer"]
    # Their audit log shows the change.
    log = text(lead_client.get(reverse("audit:log")))
    assert "Home Site" in log and "Sita Lead" in log


def test_site_lead_cannot_change_wave_status_or_name_with_a_crafted_post(lead_client, site):
    other_wave = SiteFactory().wave
    original = (site.wave_id, site.status, site.published, site.name, site.slug)
    region_ids = list(site.regions.values_list("pk", flat=True))
    data = lead_post(
        site,
        wave=str(other_wave.pk),
        status="closed",
        published="",
        name="Hijacked",
        slug="hijacked",
        regions=[],
    )
    response = lead_client.post(reverse("programme:site-edit", args=[site.slug]), data)
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.wave_id, site.status, site.published, site.name, site.slug) == original
    assert list(site.regions.values_list("pk", flat=True)) == region_ids
    [event] = events(verb="update")
    assert not {"wave", "status", "published", "name", "slug", "regions"} & set(event.changes)


def test_site_lead_gets_403_on_another_site(lead_client, other_site):
    url = reverse("programme:site-edit", args=[other_site.slug])
    assert lead_client.get(url).status_code == 403
    assert lead_client.post(url, lead_post(other_site)).status_code == 403
    other_site.refresh_from_db()
    assert other_site.summary == "Connectors working with communities."
    assert not events(verb="update")


def test_site_lead_bad_input_is_explained_and_nothing_saved(lead_client, site):
    url = reverse("programme:site-edit", args=[site.slug])
    response = lead_client.post(
        url, lead_post(site, summary="", contact_email="nope", geography_types=["volcanic"])
    )
    assert response.status_code == 200
    assert "Enter a summary of the site's work" in field_error(response, "summary")
    assert "Enter an email address in the correct format" in field_error(response, "contact_email")
    assert "Choose types of area from the list" in field_error(response, "geography_types")
    assert "<h1" in text(response) and "Edit Home Site</h1>" in text(response)
    site.refresh_from_db()
    assert site.local_name == "" and site.summary == "Connectors working with communities."
    assert not events(verb="update")


def test_site_lead_may_choose_their_own_local_priorities_but_not_another_sites(
    lead_client, site, other_site
):
    mine = ClinicalArea.objects.create(
        code="mine", name="Our GP registration drive", group="local", site=site
    )
    theirs = ClinicalArea.objects.create(
        code="theirs", name="Their priority", group="local", site=other_site
    )
    url = reverse("programme:site-edit", args=[site.slug])
    html = text(lead_client.get(url))
    assert "Our GP registration drive" in html and "Their priority" not in html
    response = lead_client.post(url, lead_post(site, focus_areas=[str(theirs.pk)]))
    assert response.status_code == 200
    assert "Choose from the list" in field_error(response, "focus_areas")
    response = lead_client.post(url, lead_post(site, focus_areas=[str(mine.pk)]))
    assert response.status_code == 302
    assert list(site.focus_areas.all()) == [mine]
