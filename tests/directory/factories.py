"""Factories for directory records (tests build data through the ORM; the HTTP paths are
tested once in their own tests)."""

import factory

from core20.directory.models import Contact, Location, Organization, Phone, Service


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory, site=factory.SelfAttribute("..site"))
    site = None
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "A local service."
    published = True


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Centre {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = "Reception"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    number = "01234 567890"
