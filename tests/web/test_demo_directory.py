"""Demo part ``directory`` (core20/web/demo/directory.py): local services with referral routes
at real postcodes, and the connector's latest activities signposting people to them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.directory.models import Service
from core20.engagement.models import SignpostingCount
from core20.web.demo import directory, engagement
from tests.conftest import sign_in
from tests.web.test_demo_engagement import PLACES, make_places, run_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(demo_world):
    """The parts it needs before it (network, engagement at real postcodes), then directory."""
    make_places()
    run_network(demo_world)
    engagement.load(demo_world)
    directory.load(demo_world)
    return demo_world


def test_local_services_with_referral_routes(loaded):
    world = loaded
    services = Service.objects.filter(site=world.site)
    assert services.count() == len(directory.SERVICES) == 6
    assert services.filter(published=True).count() == 5
    assert set(services.values_list("status", flat=True)) == {Service.Status.ACTIVE}
    routes = {r for s in services for r in s.referral_routes}
    assert routes == set(Service.ReferralRoute.values)
    blood_pressure = world.made["services"]["blood_pressure"]
    assert [a.code for a in blood_pressure.clinical_areas.all()] == ["hypertension"]
    assert blood_pressure.communities.count() == 2
    assert [d.code for d in blood_pressure.lads.all()] == ["E06000020"]
    assert blood_pressure.organization.name == "Hadley Community Pharmacy (demo)"
    # At real postcodes, with the ward found from the postcode directory.
    wards = {p[0]: p[4] for p in PLACES}
    located = [link.location for s in services for link in s.at_locations.all()]
    assert len(located) == 5  # the liaison worker visits: no address
    for location in located:
        assert location.postal_code in wards
        assert location.ward.name == wards[location.postal_code]
    # Made-up numbers from Ofcom's drama range.
    phones = [p.number for s in services for c in s.contacts.all() for p in c.phones.all()]
    assert len(phones) == 6 and all(p.startswith("01632 960") for p in phones)
    created = AuditEvent.objects.filter(object_type="directory.Service", verb="create")
    assert created.count() == 6
    assert {e.actor_id for e in created} == {
        world.users["host_coordinator"].pk,
        world.users["site_lead"].pk,
    }


def test_the_latest_activities_signpost_people_to_them(loaded):
    world = loaded
    recorded = world.made["signposting_activities"]
    assert len(recorded) == 3
    assert all(a.recorded_by == world.users["connector"] for a in recorded)
    assert all(a.connector == world.made["connector"] for a in recorded)
    assert all(world.today - timedelta(days=10) <= a.date < world.today for a in recorded)
    counts = SignpostingCount.objects.filter(activity__in=recorded)
    assert sum(c.count for c in counts) == 22
    assert {c.service for c in counts} == set(world.made["services"].values()) - {
        world.made["services"]["traveller_liaison"]
    }
    (line,) = [s for s in world.summary if s.startswith("Directory:")]
    assert "6 local services (5 published, 1 for the site's team only)" in line
    assert "signposted 22 people" in line


def test_the_demo_users_find_the_services(loaded, client):
    world = loaded
    liaison = world.made["services"]["traveller_liaison"]
    pressure = world.made["services"]["blood_pressure"]

    sign_in(client, world.users["connector"])
    page = client.get(reverse("directory:search"))
    assert page.status_code == 200
    text = page.content.decode()
    assert pressure.get_absolute_url() in text
    assert liaison.get_absolute_url() in text  # the site's team sees its own
    assert client.get(pressure.get_absolute_url()).status_code == 200
    form = client.get(reverse("engagement:activity-new"))
    assert form.status_code == 200
    assert "Signposted to Blood pressure check drop-in" in form.content.decode()
    activity = world.made["signposting_activities"][0]
    assert client.get(activity.get_absolute_url()).status_code == 200

    sign_in(client, world.users["host_coordinator"])
    assert client.get(reverse("directory:service-edit", args=[pressure.pk])).status_code == 200

    sign_in(client, world.users["community_member"])
    text = client.get(reverse("directory:search") + "?q=check").content.decode()
    assert pressure.get_absolute_url() in text
    assert liaison.get_absolute_url() not in text  # for the team only
