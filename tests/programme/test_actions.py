"""core20.programme.actions on their own: the rules hold whoever calls them (pages, API,
scripts), and a failure leaves nothing behind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core20.audit.models import AuditEvent
from core20.places.models import ICB, Region
from core20.programme import actions
from core20.programme.models import Organisation, Site, SiteOrganisation, Wave

pytestmark = pytest.mark.django_db


def programme_events(**filters):
    return AuditEvent.objects.filter(object_type__startswith="programme.", **filters)


@pytest.fixture
def admin(make_user):
    return make_user("national_admin")


@pytest.fixture
def lead(make_user):
    return make_user("site_lead")


@pytest.fixture
def place(db):
    region = Region.objects.create(code="E40000980", name="Westshire")
    icb = ICB.objects.create(
        code="E54000980", name="NHS Westshire Integrated Care Board", region=region
    )
    return region, icb


def site_data(wave, place, **overrides):
    region, icb = place
    return {
        "wave": wave,
        "name": "Westshire",
        "kind": Site.Kind.ICS,
        "summary": "Connectors in Westshire.",
        "regions": [region],
        "icbs": [icb],
        **overrides,
    }


def test_create_site_fills_the_slug_and_audits_with_the_site(admin, site, place):
    new = actions.create_site(data=site_data(site.wave, place), by=admin)
    assert new.slug == "westshire"
    event = programme_events(verb="create").get()
    assert event.site_id == new.pk and event.site_label == "Westshire"
    assert event.changes["icbs"] == [None, ["NHS Westshire Integrated Care Board"]]
    assert event.changes["published"] == [None, True]


def test_create_site_needs_site_create(lead, site, place):
    with pytest.raises(PermissionDenied):
        actions.create_site(data=site_data(site.wave, place), by=lead)
    with pytest.raises(PermissionDenied):
        actions.create_site(data=site_data(site.wave, place), by=None)
    assert not Site.objects.filter(name="Westshire").exists()


def test_invalid_site_raises_every_message_and_leaves_nothing(admin, site, place):
    with pytest.raises(ValidationError) as caught:
        actions.create_site(
            data=site_data(site.wave, place, name="", regions=[], icbs=[]), by=admin
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"name", "regions", "icbs"}
    assert errors["regions"] == ["Choose at least one NHS region"]
    assert Site.objects.count() == 1
    assert not programme_events().exists()


def test_icb_outside_the_sites_regions_is_refused(admin, site, place):
    other_icb = ICB.objects.create(
        code="E54000981", name="NHS Elsewhere Integrated Care Board", region=site.regions.first()
    )
    with pytest.raises(ValidationError) as caught:
        actions.create_site(data=site_data(site.wave, place, icbs=[other_icb]), by=admin)
    assert "NHS Elsewhere Integrated Care Board is in the" in caught.value.message_dict["icbs"][0]


def test_unknown_geography_type_is_refused(admin, site, place):
    with pytest.raises(ValidationError) as caught:
        actions.create_site(
            data=site_data(site.wave, place, geography_types=["volcanic"]), by=admin
        )
    assert "geography_types" in caught.value.message_dict


def test_reserved_slug_is_refused(admin, site, place):
    with pytest.raises(ValidationError) as caught:
        actions.create_site(data=site_data(site.wave, place, slug="new"), by=admin)
    assert "used by the service itself" in caught.value.message_dict["slug"][0]


def test_site_lead_may_change_only_the_description(lead, site):
    actions.update_site(site=site, data={"summary": "Ours now."}, by=lead)
    site.refresh_from_db()
    assert site.summary == "Ours now."
    for field, value in [
        ("status", Site.Status.CLOSED),
        ("published", False),
        ("name", "Renamed"),
        ("wave", site.wave),
        ("regions", []),
        ("organisations", []),
    ]:
        with pytest.raises(PermissionDenied):
            actions.update_site(site=site, data={field: value}, by=lead)
    site.refresh_from_db()
    assert site.status == Site.Status.SELECTED and site.published and site.name == "Home Site"
    assert programme_events(verb="update").count() == 1


def test_site_lead_may_not_update_another_site(lead, other_site):
    with pytest.raises(PermissionDenied):
        actions.update_site(site=other_site, data={"summary": "Not yours."}, by=lead)


def test_update_records_one_event_with_only_the_changes(admin, site):
    actions.update_site(
        site=site, data={"summary": "New summary", "status": Site.Status.ACTIVE}, by=admin
    )
    event = programme_events(verb="update").get()
    assert event.changes == {
        "summary": ["Connectors working with communities.", "New summary"],
        "status": ["Selected", "Active"],
    }
    assert event.site_id == site.pk


def test_update_with_no_changes_records_nothing(admin, site):
    actions.update_site(site=site, data={"summary": site.summary}, by=admin)
    assert not programme_events().exists()


def test_update_uses_the_stored_record_not_a_changed_copy(admin, site):
    """A form may have changed the instance already; the action compares with the database."""
    site.summary = "Changed in memory"
    actions.update_site(site=site, data={"summary": "Changed in memory"}, by=admin)
    event = programme_events(verb="update").get()
    assert event.changes["summary"] == ["Connectors working with communities.", "Changed in memory"]


def test_organisation_links_are_replaced_and_audited(admin, site, organisation):
    SiteOrganisation.objects.create(site=site, organisation=organisation, role="partner")
    actions.update_site(site=site, data={"organisations": [(organisation, "host")]}, by=admin)
    assert list(site.site_organisations.values_list("role", flat=True)) == ["host"]
    event = programme_events(verb="update").get()
    assert event.changes["organisations"] == [
        ["Home Trust (Delivery partner)"],
        ["Home Trust (Host organisation)"],
    ]


def test_unknown_fields_are_a_programming_error(admin, site):
    with pytest.raises(ValueError, match="unknown fields"):
        actions.update_site(site=site, data={"colour": "blue"}, by=admin)


def test_wave_actions(admin, lead, site):
    programme = site.wave.programme
    wave = actions.create_wave(
        programme=programme, data={"number": 7, "name": "Wave 7", "status": "planned"}, by=admin
    )
    assert programme_events(verb="create", object_type="programme.Wave").count() == 1
    with pytest.raises(ValidationError) as caught:
        actions.create_wave(programme=programme, data={"number": 7, "name": "Again"}, by=admin)
    assert caught.value.messages == ["There is already a wave with this number"]
    with pytest.raises(PermissionDenied):
        actions.update_wave(wave=wave, data={"name": "Mine"}, by=lead)
    actions.update_wave(wave=wave, data={"eois_received": 40}, by=admin)
    event = programme_events(verb="update", object_type="programme.Wave").get()
    assert event.changes == {"eois_received": [None, 40]}
    assert Wave.objects.filter(programme=programme).count() == 2


def test_organisation_actions(admin, lead, organisation):
    made = actions.create_organisation(
        data={"name": "Bridge Builders CIC", "kind": "vcse"}, by=admin
    )
    assert made.slug == "bridge-builders-cic"
    with pytest.raises(PermissionDenied):
        actions.create_organisation(data={"name": "Lead's own", "kind": "vcse"}, by=lead)
    with pytest.raises(ValidationError) as caught:
        actions.update_organisation(organisation=made, data={"name": organisation.name}, by=admin)
    assert caught.value.message_dict["name"] == ["An organisation with this name already exists"]
    actions.update_organisation(organisation=made, data={"slug": ""}, by=admin)  # blank: from name
    made.refresh_from_db()
    assert made.slug == "bridge-builders-cic" and made.name == "Bridge Builders CIC"
    assert Organisation.objects.count() == 2
    assert programme_events(object_type="programme.Organisation").count() == 1
