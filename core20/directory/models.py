"""The service directory: local services and how to refer people to them.

The shape follows the Open Referral UK (HSDS-UK) core so that directories can be exchanged
with councils and other ORUK publishers (core20.directory.oruk imports and exports it):

- ``Organization`` runs services; ``Service`` is what people are signposted to, with ORUK's
  own fields (status, fees, accreditations, eligibility, languages…);
- ``Location`` is a place a service is delivered from (one physical address, with the ward
  and local authority district found from its postcode where the postcode directory is
  loaded) and ``ServiceAtLocation`` links the two;
- ``Contact`` and ``Phone`` say whom to call; ``Taxonomy`` holds ORUK taxonomy terms.

On top of ORUK we tag each service with clinical areas, communities (PLUS groups) and places
(wards and local authority districts), and say how to refer someone (the referral route).

Scope: a record with no site is national (every site's connectors can signpost to it); one
with a site belongs to that site's directory. ``oruk_id`` is the ORUK identifier (kept from
imports, a UUID for records made here) and makes imports idempotent.
"""

import uuid

from django.db import models
from django.urls import reverse

from core20.places.models import LocalAuthorityDistrict, Ward
from core20.programme.models import ClinicalArea, PlusGroup, Site


def new_oruk_id() -> str:
    return str(uuid.uuid4())


class Organization(models.Model):
    oruk_id = models.CharField("ORUK id", max_length=100, unique=True, default=new_oruk_id)
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_organizations",
        help_text="Empty for a national organisation.",
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    url = models.URLField("website", max_length=500, blank=True)
    logo = models.URLField(max_length=500, blank=True)
    uri = models.URLField("URI", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"

    def __str__(self) -> str:
        return self.name


class Taxonomy(models.Model):
    """An ORUK taxonomy term (for example from the esd.org.uk service list)."""

    oruk_id = models.CharField("ORUK id", max_length=100, unique=True, default=new_oruk_id)
    name = models.CharField(max_length=255)
    vocabulary = models.CharField(max_length=100, blank=True)
    parent = models.CharField(max_length=100, blank=True, help_text="The parent term's id.")

    class Meta:
        ordering = ["vocabulary", "name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Status(models.TextChoices):
        # ORUK's values, as written in files.
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    class ReferralRoute(models.TextChoices):
        SELF = "self", "Self-referral (people contact the service themselves)"
        CONNECTOR = "connector", "A community connector can refer"
        GP = "gp", "Referral by a GP or practice team"
        PROFESSIONAL = "professional", "Referral by another professional"
        FORM = "form", "Online referral form"

    oruk_id = models.CharField("ORUK id", max_length=100, unique=True, default=new_oruk_id)
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_services",
        help_text="Empty for a national service.",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    url = models.URLField("website", max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    deliverable_type = models.CharField(max_length=100, blank=True)
    attending_type = models.CharField(max_length=100, blank=True)
    attending_access = models.CharField(max_length=100, blank=True)
    assured_date = models.DateField(null=True, blank=True)
    # ORUK eligibility and languages, kept flat: one eligibility, a list of languages.
    eligibility = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)
    taxonomies = models.ManyToManyField(Taxonomy, blank=True, related_name="services")
    # Our own tags.
    clinical_areas = models.ManyToManyField(
        ClinicalArea, blank=True, related_name="directory_services"
    )
    communities = models.ManyToManyField(PlusGroup, blank=True, related_name="directory_services")
    wards = models.ManyToManyField(Ward, blank=True, related_name="directory_services")
    lads = models.ManyToManyField(
        LocalAuthorityDistrict,
        blank=True,
        related_name="directory_services",
        verbose_name="local authority districts",
    )
    referral_routes = models.JSONField(default=list, blank=True)
    referral_details = models.TextField(blank=True)
    referral_url = models.URLField("referral form", max_length=500, blank=True)
    # Only published services appear in the public directory.
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service-detail", args=[self.pk])

    @property
    def is_national(self) -> bool:
        return self.site_id is None

    def get_referral_routes_display(self) -> list[str]:
        labels = dict(self.ReferralRoute.choices)
        return [labels.get(r, r) for r in self.referral_routes]


class Location(models.Model):
    oruk_id = models.CharField("ORUK id", max_length=100, unique=True, default=new_oruk_id)
    site = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="directory_locations",
    )
    name = models.CharField(max_length=255, blank=True)
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # ORUK physical_address, one per location.
    address_1 = models.CharField("address", max_length=255, blank=True)
    city = models.CharField("town or city", max_length=100, blank=True)
    state_province = models.CharField("county", max_length=100, blank=True)
    postal_code = models.CharField("postcode", max_length=10, blank=True)
    country = models.CharField(max_length=2, blank=True, default="GB")
    # Found from the postcode where the postcode directory knows it.
    ward = models.ForeignKey(
        Ward, null=True, blank=True, on_delete=models.SET_NULL, related_name="directory_locations"
    )
    lad = models.ForeignKey(
        LocalAuthorityDistrict,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_locations",
    )
    lsoa_code = models.CharField("LSOA", max_length=9, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        parts = [self.name, self.address_1, self.city, self.postal_code]
        return ", ".join(p for p in parts if p) or self.oruk_id


class ServiceAtLocation(models.Model):
    oruk_id = models.CharField("ORUK id", max_length=100, default=new_oruk_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_at")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="directory_unique_service_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Contact(models.Model):
    oruk_id = models.CharField("ORUK id", max_length=100, default=new_oruk_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.title or "Contact"


class Phone(models.Model):
    oruk_id = models.CharField("ORUK id", max_length=100, default=new_oruk_id)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=50)
    language = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number
