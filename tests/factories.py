"""One factory per model, for tests."""

import factory
from django.utils.text import slugify

from core20.accounts.models import Membership, User
from core20.places.models import ICB, Region
from core20.programme.models import Organisation, Programme, Site, Wave

TEST_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.SelfAttribute("email")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    # Nine characters however many a test run makes (PostgreSQL enforces the length).
    code = factory.Sequence(lambda n: f"E40{900000 + n % 100000:06d}")
    name = factory.Sequence(lambda n: f"Region {n}")


class ICBFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ICB
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E54{900000 + n % 100000:06d}")
    ods_code = factory.Sequence(lambda n: f"Q{n % 10000:02d}")
    name = factory.Sequence(lambda n: f"NHS Test {n} Integrated Care Board")
    region = factory.SubFactory(RegionFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = "Core20PLUS Connectors"
    slug = "core20plus-connectors"
    summary = "Funds community connectors."


class WaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wave

    programme = factory.SubFactory(ProgrammeFactory)
    # Wave numbers stop at 999; the sequence runs on across a worker's tests, so it wraps
    # (each test's database starts empty, so numbers stay unique within a test).
    number = factory.Sequence(lambda n: 10 + n % 900)
    name = factory.LazyAttribute(lambda o: f"Wave {o.number}")
    period = "24/25"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Trust {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.VCSE


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site
        skip_postgeneration_save = True

    wave = factory.SubFactory(WaveFactory)
    name = factory.Sequence(lambda n: f"Test Site {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Site.Kind.ICS
    summary = "Connectors working with communities."

    @factory.post_generation
    def regions(obj, create, extracted, **kwargs):
        if create:
            obj.regions.set(extracted or [RegionFactory()])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "site_lead"
