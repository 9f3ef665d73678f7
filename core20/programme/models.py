"""The programme's structure: programmes, waves, sites, organisations, clinical areas and
PLUS groups. Changes to these go through core20.programme.actions, which audit them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core20.places.models import ICB, Region

# Slugs that would clash with the pages' own addresses (/programme/sites/new/ and so on).
RESERVED_SLUGS = frozenset({"new"})


def check_slug_not_reserved(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {"slug": f"“{slug}” is used by the service itself. Enter a different web address."},
            code="reserved",
        )


class NationalOrSiteQuerySet(models.QuerySet):
    """For reference lists that are national with local additions: clinical areas (the
    national ones plus a site's local priorities) and PLUS groups (the national list plus a
    site's own communities)."""

    def national_or_site(self, site: "Site | None") -> "NationalOrSiteQuerySet":
        """The national items and ``site``'s own; another site's own are left out. With no
        site, the national items only."""
        if site is None:
            return self.filter(site__isnull=True)
        return self.filter(models.Q(site__isnull=True) | models.Q(site=site))


class ClinicalArea(models.Model):
    class Group(models.TextChoices):
        ADULT = "adult", "Core20PLUS5 (adults)"
        CYP = "cyp", "Core20PLUS5 (children and young people)"
        CROSS_CUTTING = "cross_cutting", "Cross-cutting"
        LOCAL = "local", "Local priority"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    group = models.CharField(max_length=20, choices=Group.choices)
    description = models.TextField(blank=True)
    # Local priorities belong to the site that chose them; national areas have no site.
    site = models.ForeignKey(
        "Site", null=True, blank=True, on_delete=models.CASCADE, related_name="local_priorities"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = NationalOrSiteQuerySet.as_manager()

    class Meta:
        ordering = ["group", "position", "name"]

    def __str__(self) -> str:
        return self.name


class PlusGroup(models.Model):
    """A PLUS population group: the national list, or one a site defines for itself."""

    code = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    for_children_and_young_people = models.BooleanField(default=False)
    site = models.ForeignKey(
        "Site", null=True, blank=True, on_delete=models.CASCADE, related_name="own_plus_groups"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = NationalOrSiteQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "PLUS group"

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    summary = models.TextField()
    description = models.TextField(blank=True)
    run_by = models.CharField(max_length=300, blank=True)
    partners = models.CharField(max_length=500, blank=True)
    started_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Wave(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        OPEN = "open", "Open for expressions of interest"
        SELECTING = "selecting", "Selecting sites"
        DELIVERING = "delivering", "Delivering"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="waves")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    period = models.CharField(
        max_length=20, blank=True, help_text="Financial year, for example 21/22"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(blank=True)
    eois_received = models.PositiveIntegerField(null=True, blank=True)
    selection_note = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="unique_wave_number",
                violation_error_message="There is already a wave with this number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period})" if self.period else self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:wave-detail", args=[self.pk])


class Organisation(models.Model):
    class Kind(models.TextChoices):
        VCSE = "vcse", "Voluntary, community or social enterprise"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS = "nhs", "NHS body"
        NATIONAL_PARTNER = "national_partner", "National partner"
        OTHER = "other", "Other"

    name = models.CharField(
        max_length=200,
        unique=True,
        error_messages={"unique": "An organisation with this name already exists"},
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        error_messages={"unique": "An organisation with this web address already exists"},
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    charity_number = models.CharField(max_length=20, blank=True)
    ods_code = models.CharField(max_length=10, blank=True, verbose_name="ODS code")
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:organisation-detail", args=[self.slug])

    def clean(self) -> None:
        check_slug_not_reserved(self.slug)


class Site(models.Model):
    class Kind(models.TextChoices):
        ICS = "ics", "Integrated care system"
        PLACE = "place", "Place"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        SELECTED = "selected", "Selected"
        ASSOCIATE = "associate", "Associate site"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    class DeliveryModel(models.TextChoices):
        VOLUNTEER = "volunteer", "Volunteer"
        PAID = "paid", "Paid"
        MIXED = "mixed", "Mixed volunteer and paid"
        NOT_STATED = "not_stated", "Not stated"

    class GeographyType(models.TextChoices):
        URBAN = "urban", "Urban"
        RURAL = "rural", "Rural"
        COASTAL = "coastal", "Coastal"

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(
        max_length=200,
        unique=True,
        error_messages={"unique": "A site with this name already exists"},
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        error_messages={"unique": "A site with this web address already exists"},
    )
    local_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the site calls its connectors' programme, if it has its own name",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SELECTED)
    place = models.CharField(
        max_length=200, blank=True, help_text="The place the work is in, for example Walsall"
    )
    regions = models.ManyToManyField(Region, related_name="sites")
    icbs = models.ManyToManyField(ICB, related_name="sites", verbose_name="ICBs")
    summary = models.TextField()
    detail = models.TextField(blank=True)
    focus_areas = models.ManyToManyField(ClinicalArea, blank=True, related_name="sites")
    communities = models.ManyToManyField(PlusGroup, blank=True, related_name="sites")
    communities_note = models.TextField(blank=True)
    geography_types = models.JSONField(default=list, blank=True)
    target_places = models.TextField(blank=True)
    delivery_model = models.CharField(
        max_length=20, choices=DeliveryModel.choices, default=DeliveryModel.NOT_STATED
    )
    organisations = models.ManyToManyField(
        Organisation, through="SiteOrganisation", related_name="sites", blank=True
    )
    # Shown only to the site's team and national staff.
    internal_notes = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    published = models.BooleanField(default=True)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["wave__number", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:site-detail", args=[self.slug])

    @property
    def takes_expressions_of_interest(self) -> bool:
        """Whether the public may tell this site they want to become a connector.

        A closed site recruits no one, and a proposed one (not selected yet, so it has no
        host organisation whose coordinators would get in touch) not yet: its page and its
        data packs do not invite people, and its expression-of-interest form refuses them
        (a submission would wait in an inbox no one reads). Every other status recruits.
        The one rule, so the links and the form cannot disagree. Who may *see* the site
        (unpublished ones are hidden from the public) is a separate question:
        ``programme.queries.visible_sites``."""
        return self.status not in (self.Status.PROPOSED, self.Status.CLOSED)

    def get_geography_types_display(self) -> str:
        labels = dict(self.GeographyType.choices)
        return ", ".join(labels.get(g, g) for g in self.geography_types)

    def clean(self) -> None:
        check_slug_not_reserved(self.slug)
        if not isinstance(self.geography_types, list):
            raise ValidationError({"geography_types": "Choose from the list of geography types."})
        unknown = [g for g in self.geography_types if g not in self.GeographyType.values]
        if unknown:
            message = f"“{unknown[0]}” is not a geography type. Choose from the list."
            raise ValidationError({"geography_types": message})


class SiteOrganisation(models.Model):
    class Role(models.TextChoices):
        HOST = "host", "Host organisation"
        LEAD = "lead", "Lead partner"
        PARTNER = "partner", "Delivery partner"
        DECISION_MAKER = "decision_maker", "Decision-making organisation"
        FUNDER = "funder", "Funder"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="site_organisations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="site_roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "organisation", "role"],
                name="unique_site_organisation_role",
                violation_error_message="This organisation already has this role at the site",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()}) at {self.site}"
