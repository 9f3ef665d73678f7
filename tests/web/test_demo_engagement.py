"""Demo part ``engagement`` (core20/web/demo/engagement.py): activities over the last three
months at real postcodes in the site's districts, most in Core20 neighbourhoods.

``demo_places`` and ``run_network`` here are shared with the insights and directory parts'
tests."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.engagement.models import Activity
from core20.network.models import Connector
from core20.places.lookup import cache
from core20.places.models import (
    LSOA,
    Deprivation,
    Edition,
    LocalAuthorityDistrict,
    Postcode,
    Ward,
)
from core20.programme.models import ClinicalArea, PlusGroup
from core20.web.demo import engagement
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

# Real postcodes, LSOAs (2011), wards and IMD 2019 deciles from the demo's reference data.
PLACES = [
    # postcode, LSOA, decile, ward code, ward, district
    ("TF7 5LY", "E01014197", 1, "E05009993", "Woodside", "E06000020"),
    ("TF4 2HQ", "E01014124", 1, "E05009972", "Dawley & Aqueduct", "E06000020"),
    ("TF2 8BE", "E01014125", 2, "E05009973", "Donnington", "E06000020"),
    ("TF9 1QX", "E01028873", 2, "E05008169", "Market Drayton East", "E06000051"),
    ("TF11 8JD", "E01028857", 6, "E05008188", "Shifnal North", "E06000051"),
    ("TF2 7FA", "E01014206", 4, "E05009995", "Wrockwardine Wood & Trench", "E06000020"),
]
# A Core20 postcode outside the site's districts: never chosen while theirs are loaded.
ELSEWHERE = ("SR1 1AA", "E01008703", 1, "E05001158", "Hendon", "E08000024")
CLINICAL_AREAS = [
    ("hypertension", "Hypertension case-finding and lipid management", "adult"),
    ("early-cancer-diagnosis", "Early cancer diagnosis", "adult"),
    ("maternity", "Maternity", "adult"),
    ("smoking-cessation", "Smoking cessation", "cross_cutting"),
    ("severe-mental-illness", "Severe mental illness", "adult"),
    ("chronic-respiratory-disease", "Chronic respiratory disease", "adult"),
    ("cyp-asthma", "Asthma (children and young people)", "cyp"),
    ("cyp-oral-health", "Oral health (children and young people)", "cyp"),
]
COMMUNITIES = [
    ("ethnic-minority-communities", "Ethnic minority communities"),
    ("multi-morbidities", "People with multi-morbidities"),
    ("vulnerable-migrants", "Vulnerable migrants"),
    ("people-experiencing-homelessness", "People experiencing homelessness"),
    ("inclusion-health-groups", "Inclusion health groups"),
    ("other-socially-excluded", "Other socially excluded groups"),
    ("gypsy-roma-traveller", "Gypsy, Roma and Traveller communities"),
    ("protected-characteristics", "Protected characteristic groups"),
    ("young-carers", "Young carers"),
    ("learning-disability-autism", "People with a learning disability and autistic people"),
]


def make_places() -> None:
    """The reference data the part reads: districts, wards, LSOAs with their deprivation,
    postcodes, and the programme's clinical areas and PLUS groups (the demo loads them)."""
    imd2019 = Edition.objects.by_code("imd2019")
    for postcode, lsoa_code, decile, ward_code, ward_name, lad_code in [*PLACES, ELSEWHERE]:
        lad, _ = LocalAuthorityDistrict.objects.get_or_create(
            code=lad_code, defaults={"name": engagement.LADS.get(lad_code, "Sunderland")}
        )
        ward = Ward.objects.create(code=ward_code, name=ward_name, lad=lad)
        lsoa = LSOA.objects.create(vintage=2011, code=lsoa_code, ward=ward, lad=lad)
        Deprivation.objects.create(edition=imd2019, lsoa=lsoa, imd_decile=decile)
        Postcode.objects.create(
            code=postcode.replace(" ", ""),
            display=postcode,
            lsoa11_code=lsoa_code,
            lsoa11=lsoa,
            ward_code=ward_code,
            lad_code=lad_code,
            country_code="E92000001",
        )
    for code, name, group in CLINICAL_AREAS:
        ClinicalArea.objects.get_or_create(code=code, defaults={"name": name, "group": group})
    for code, name in COMMUNITIES:
        PlusGroup.objects.get_or_create(code=code, defaults={"name": name})
    cache.invalidate()


@pytest.fixture(autouse=True)
def _fresh_lookup():
    """Test rows come and go in rolled-back transactions, so the lookup table is rebuilt."""
    cache.invalidate()
    yield
    cache.invalidate()


@pytest.fixture
def demo_places(db):
    make_places()


@pytest.fixture
def demo(demo_world):
    return demo_world


def run_network(world) -> Connector:
    """The parts before these: the network part where it runs; otherwise the demo
    connector's record, made with the network actions."""
    try:
        from core20.web.demo import network

        with transaction.atomic():
            network.load(world)
        return world.made["connector"]
    except Exception:  # the network part is written at the same time as these
        from core20.network import actions

        user = world.users["connector"]
        record = actions.create_connector(
            site=world.site,
            data={"name": user.full_name, "email": user.email},
            by=world.users["host_coordinator"],
        )
        actions.invite_connector(connector=record, by=world.users["host_coordinator"])
        world.made["connector"] = Connector.objects.get(pk=record.pk)
        return world.made["connector"]


def test_activities_at_real_postcodes_mostly_in_core20_areas(demo, demo_places):
    world = demo
    record = run_network(world)
    before = AuditEvent.objects.filter(object_type="engagement.Activity").count()
    engagement.load(world)

    activities = list(Activity.objects.filter(site=world.site))
    assert len(activities) == engagement.ACTIVITIES + 2 == len(world.made["activities"])
    by_connector = [a for a in activities if a.recorded_by == world.users["connector"]]
    assert len(by_connector) == engagement.ACTIVITIES
    # Linked to the demo connector's record in the network.
    assert all(a.connector_id == record.pk for a in by_connector)
    assert {a.recorded_by for a in activities} == {
        world.users["connector"],
        world.users["host_coordinator"],
    }
    # Real postcodes in Telford and Wrekin and Shropshire, resolved by the places lookup.
    ours = {p[0]: p for p in PLACES}
    placed = [a for a in activities if a.place]
    assert len(placed) == len(activities) - 1  # the meeting at the council offices
    assert {a.place for a in placed} <= set(ours)
    for activity in placed:
        _, lsoa, decile, _, _, _ = ours[activity.place]
        assert (activity.lsoa, activity.imd_decile) == (lsoa, decile)
        assert activity.core20 == (decile <= 2)
        assert activity.deprivation_edition == "imd2019"
    core20 = sum(1 for a in activities if a.core20)
    assert core20 > len(activities) / 2
    assert core20 < len(placed)  # some in less deprived places too
    # Over the last three months, varied.
    assert all(
        world.today - timedelta(days=90) <= a.date <= world.today - timedelta(days=12)
        for a in activities
    )
    assert len({a.kind for a in activities}) >= 6
    assert len({a.date for a in activities}) > 20
    assert sum(a.people_reached for a in activities) > 300
    areas = set(
        ClinicalArea.objects.filter(activities__in=activities).values_list("code", flat=True)
    )
    assert {"hypertension", "early-cancer-diagnosis", "maternity"} <= areas
    assert PlusGroup.objects.filter(activities__in=activities).distinct().count() >= 4
    assert any(a.breakdown for a in activities) and any(a.case_finding for a in activities)
    # Each recorded through the action, so audited.
    created = AuditEvent.objects.filter(
        object_type="engagement.Activity", verb=AuditEvent.Verb.CREATE
    ).count()
    assert created - before == len(activities)
    assert world.made["places"] and all(p.postcode in ours for p in world.made["places"])
    (line,) = [s for s in world.summary if s.startswith("Activities:")]
    assert "real postcodes in Telford and Wrekin and Shropshire" in line
    assert f"{core20} in Core20 areas" in line


def test_the_demo_users_see_the_activities(demo, demo_places, client):
    world = demo
    run_network(world)
    engagement.load(world)
    latest = world.made["activities"][-1]
    mine = next(
        a for a in reversed(world.made["activities"]) if a.recorded_by.email.startswith("connector")
    )

    sign_in(client, world.users["connector"])
    page = client.get(reverse("engagement:activity-list"))
    assert page.status_code == 200
    assert mine.get_absolute_url() in page.content.decode()
    assert client.get(mine.get_absolute_url()).status_code == 200

    sign_in(client, world.users["site_lead"])
    page = client.get(reverse("engagement:site-dashboard", args=[world.site.slug]))
    assert page.status_code == 200
    assert client.get(latest.get_absolute_url()).status_code == 200


def test_without_postcodes_it_records_without_a_place_and_says_so(demo):
    world = demo
    engagement.load(world)
    activities = Activity.objects.filter(site=world.site)
    assert activities.count() == engagement.ACTIVITIES + 2
    assert not activities.exclude(place="").exists()
    assert any("without a place (no postcodes are loaded)" in s for s in world.summary)


def test_the_same_content_every_run(demo, demo_places):
    import random

    world = demo
    first = engagement.find_places(world)
    world.random = random.Random(2019)
    assert engagement.find_places(world) == first
