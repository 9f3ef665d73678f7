import pytest

from core20.directory.models import Location, ServiceAtLocation, Taxonomy
from core20.places.models import LocalAuthorityDistrict, Postcode, Ward
from core20.programme.models import ClinicalArea, PlusGroup
from tests.directory.factories import ContactFactory, PhoneFactory, ServiceFactory


@pytest.fixture
def tags(db):
    """Clinical areas, communities and places to tag services with."""
    walsall = LocalAuthorityDistrict.objects.create(code="E08000030", name="Walsall")
    dudley = LocalAuthorityDistrict.objects.create(code="E08000027", name="Dudley")
    blakenall = Ward.objects.create(code="E05001179", name="Blakenall", lad=walsall)
    pleck = Ward.objects.create(code="E05001189", name="Pleck", lad=walsall)
    Postcode.objects.create(
        code="WS31AA",
        display="WS3 1AA",
        ward_code="E05001179",
        lad_code="E08000030",
        lsoa21_code="E01010150",
    )
    return {
        "diabetes": ClinicalArea.objects.create(code="diabetes", name="Diabetes", group="adult"),
        "hypertension": ClinicalArea.objects.create(
            code="hypertension", name="Hypertension", group="adult"
        ),
        "roma": PlusGroup.objects.create(
            code="gypsy-roma-traveller", name="Gypsy, Roma and Traveller"
        ),
        "carers": PlusGroup.objects.create(code="carers", name="Carers"),
        "walsall": walsall,
        "dudley": dudley,
        "blakenall": blakenall,
        "pleck": pleck,
    }


@pytest.fixture
def rich_service(tags, site):
    """A site service with every ORUK part and every tag filled in."""
    service = ServiceFactory(
        site=site,
        name="Blakenall Diabetes Walk & Talk",
        description="Weekly walks, with a nurse, for people living with diabetes.",
        url="https://walk.example.org/",
        email="hello@walk.example.org",
        fees="Free",
        accreditations="Walking for Health",
        eligibility="Adults with type 2 diabetes",
        minimum_age=18,
        maximum_age=None,
        languages=["English", "Romanian"],
        referral_routes=["self", "connector"],
        referral_details="Ring Sam, or a connector can book a place.",
        referral_url="https://walk.example.org/refer",
        organization__name="Walk Together CIC",
        organization__email="office@walk.example.org",
        organization__url="https://walk.example.org/about",
    )
    service.clinical_areas.set([tags["diabetes"]])
    service.communities.set([tags["roma"]])
    service.wards.set([tags["blakenall"]])
    service.lads.set([tags["walsall"]])
    service.taxonomies.set(
        [
            Taxonomy.objects.create(
                oruk_id="esd:1", name="Physical activity", vocabulary="esdServiceTypes"
            )
        ]
    )
    location = Location.objects.create(
        site=site,
        name="Blakenall Village Centre",
        address_1="79 Thames Road",
        city="Walsall",
        postal_code="WS3 1AA",
        latitude="52.605100",
        longitude="-1.987700",
        ward=tags["blakenall"],
        lad=tags["walsall"],
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    contact = ContactFactory(service=service, name="Sam", title="Walk leader")
    PhoneFactory(contact=contact, number="01922 000000")
    return service
