"""Places and deprivation: the statistical and NHS geography of England, and the Indices of
Deprivation per edition.

Statistical geography (ONS): LSOA (2011 and 2021 vintages) → electoral ward → local authority
district (LAD) → ONS region. NHS geography: GP practice → PCN; LSOA → sub-ICB location (SICBL)
→ ICB → NHS England region. NHS boundaries change (ICB mergers from April 2026), so an LSOA's
sub-ICB and ICB are held as memberships with effective dates ([valid_from, valid_to), open
when valid_to is empty): ``LSOAHealthMembership.objects.on(date)``.

Deprivation values are held per ``Edition`` (IMD 2019 on LSOA 2011; IoD 2025 on LSOA 2021) and
per decile method, so every figure says which edition and which deciles it uses. Core20 means
national deciles 1-2 of the chosen edition (``is_core20``).

Regions and ICBs existed before this capability (programme sites link to them); they are kept
as they were and extended only.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

# ---------------------------------------------------------------------------------------------
# Codes


class Vintage(models.IntegerChoices):
    """The census whose LSOA boundaries a code belongs to."""

    LSOA2011 = 2011, "LSOA 2011"
    LSOA2021 = 2021, "LSOA 2021"


def normalise_postcode(value: str) -> str:
    """'tf1 1aa ' → 'TF11AA' (upper case, no spaces): the key postcodes are stored under."""
    return "".join((value or "").split()).upper()


def display_postcode(value: str) -> str:
    """'TF11AA' → 'TF1 1AA' (the outward and inward codes split by one space)."""
    code = normalise_postcode(value)
    return f"{code[:-3]} {code[-3:]}" if len(code) > 3 else code


# ---------------------------------------------------------------------------------------------
# NHS geography that existed before this capability


class Region(models.Model):
    """An NHS England region (seven since 2020), by its ONS code (E40…)."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ICB(models.Model):
    """An Integrated Care Board, by its ONS code (E54…) and ODS code (Q…)."""

    code = models.CharField(max_length=9, unique=True)
    ods_code = models.CharField(max_length=5, blank=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="icbs")

    class Meta:
        ordering = ["name"]
        verbose_name = "ICB"
        verbose_name_plural = "ICBs"

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("NHS ").removesuffix(" Integrated Care Board")


# ---------------------------------------------------------------------------------------------
# Statistical geography


class OnsRegion(models.Model):
    """An ONS region (E12…), the statistical region a local authority district is in.
    Not the same as an NHS England region (``Region``, E40…)."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = "ONS region"

    def __str__(self) -> str:
        return self.name


class LocalAuthorityDistrict(models.Model):
    """A lower-tier local authority district (E06/E07/E08/E09…).

    ``year`` is the latest lookup edition that listed the district: a name is only replaced
    by a lookup at least as recent, so loading lookups of different years in any order ends
    in the same state."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    region = models.ForeignKey(
        OnsRegion, null=True, blank=True, on_delete=models.SET_NULL, related_name="districts"
    )
    year = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority district"

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """An electoral ward (E05…). Wards change often; LSOAs point at their best-fit ward."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100)
    lad = models.ForeignKey(
        LocalAuthorityDistrict,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wards",
        verbose_name="local authority district",
    )
    year = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LSOAQuerySet(models.QuerySet):
    def vintage(self, vintage: int):
        return self.filter(vintage=vintage)

    def core20(self, edition: "Edition", method: str | None = None):
        """LSOAs in national deciles 1-2 of ``edition`` (the edition's LSOA vintage)."""
        return self.filter(
            deprivation__edition=edition,
            deprivation__decile_method=method or DecileMethod.NATIONAL,
            deprivation__ranking_area_code="",
            deprivation__imd_decile__in=CORE20_DECILES,
        )


class LSOA(models.Model):
    """A Lower layer Super Output Area (E01…) of one census vintage. A code can appear in
    both vintages (unchanged LSOAs keep their code), hence unique per vintage."""

    vintage = models.PositiveSmallIntegerField(choices=Vintage.choices)
    code = models.CharField(max_length=9)
    name = models.CharField(max_length=100, blank=True)
    lad = models.ForeignKey(
        LocalAuthorityDistrict,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lsoas",
        verbose_name="local authority district",
    )
    ward = models.ForeignKey(
        Ward,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lsoas",
        help_text="Best-fit electoral ward.",
    )

    objects = LSOAQuerySet.as_manager()

    class Meta:
        ordering = ["vintage", "code"]
        verbose_name = "LSOA"
        verbose_name_plural = "LSOAs"
        constraints = [
            models.UniqueConstraint(fields=["vintage", "code"], name="places_lsoa_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def health_membership_on(self, when: date) -> "LSOAHealthMembership | None":
        return self.health_memberships.on(when).select_related("sub_icb", "icb").first()

    def icb_on(self, when: date) -> ICB | None:
        """The ICB this LSOA was in on ``when`` (None if no lookup covers that date)."""
        membership = self.health_membership_on(when)
        return membership.icb if membership else None


class LSOALink(models.Model):
    """One row of the ONS LSOA (2011) → LSOA (2021) exact-fit lookup.

    U: unchanged; S: the 2011 LSOA was split into several 2021 LSOAs; M: several 2011 LSOAs
    were merged into one 2021 LSOA; X: redrawn in a way that is neither (complex)."""

    class Change(models.TextChoices):
        UNCHANGED = "U", "Unchanged"
        SPLIT = "S", "Split"
        MERGED = "M", "Merged"
        COMPLEX = "X", "Complex"

    lsoa11 = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="links_to_2021")
    lsoa21 = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="links_from_2011")
    change = models.CharField(max_length=1, choices=Change.choices)

    class Meta:
        verbose_name = "LSOA 2011 to 2021 link"
        constraints = [
            models.UniqueConstraint(fields=["lsoa11", "lsoa21"], name="places_lsoalink_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lsoa11.code} → {self.lsoa21.code} ({self.change})"


# ---------------------------------------------------------------------------------------------
# NHS geography


class SubICBLocation(models.Model):
    """A sub-ICB location (E38…; ODS code such as 01F), the former CCG areas. ``icb`` is the
    ICB of the latest lookup that listed it; for a given date use LSOAHealthMembership."""

    code = models.CharField(max_length=9, unique=True)
    ods_code = models.CharField(max_length=5, blank=True)
    name = models.CharField(max_length=200)
    icb = models.ForeignKey(
        ICB, null=True, blank=True, on_delete=models.SET_NULL, related_name="sub_icb_locations"
    )
    year = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = "sub-ICB location"

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def on(self, when: date):
        """Memberships in force on ``when``: valid_from ≤ when < valid_to (or open)."""
        return self.filter(valid_from__lte=when).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=when)
        )

    def current(self):
        return self.filter(valid_to__isnull=True)


class LSOAHealthMembership(models.Model):
    """An LSOA's sub-ICB location and ICB from ``valid_from`` until ``valid_to`` (exclusive;
    empty = still in force). Loading a newer lookup closes the memberships it replaces."""

    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="health_memberships")
    sub_icb = models.ForeignKey(
        SubICBLocation, on_delete=models.PROTECT, related_name="lsoa_memberships"
    )
    icb = models.ForeignKey(ICB, on_delete=models.PROTECT, related_name="lsoa_memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["lsoa", "valid_from"]
        verbose_name = "LSOA sub-ICB and ICB membership"
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa", "valid_from"], name="places_lsoahealth_unique_start"
            )
        ]
        indexes = [models.Index(fields=["icb", "valid_from"], name="places_lsoahealth_icb")]

    def __str__(self) -> str:
        return f"{self.lsoa.code} in {self.sub_icb.code} / {self.icb.code} from {self.valid_from}"


class PCN(models.Model):
    """A primary care network (ODS code U…)."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "PCN"
        verbose_name_plural = "PCNs"

    def __str__(self) -> str:
        return self.name


class GPPractice(models.Model):
    """An organisation from the ODS epraccur file: GP practices (prescribing setting 4) and
    other prescribing settings. ``lsoa`` is the LSOA 2011 of its postcode where a loaded
    postcode directory covers it."""

    class Status(models.TextChoices):
        ACTIVE = "A", "Active"
        CLOSED = "C", "Closed"
        DORMANT = "D", "Dormant"
        PROPOSED = "P", "Proposed"

    GP_PRACTICE_SETTING = 4

    ods_code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    postcode = models.CharField(max_length=8, blank=True, help_text="As displayed (TF1 1AA).")
    postcode_key = models.CharField(
        max_length=8, blank=True, db_index=True, help_text="Normalised (TF11AA)."
    )
    status = models.CharField(max_length=1, choices=Status.choices, blank=True)
    prescribing_setting = models.PositiveSmallIntegerField(null=True, blank=True)
    commissioner_code = models.CharField(max_length=5, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    lsoa = models.ForeignKey(
        LSOA,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
        verbose_name="LSOA (2011)",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "GP practice"

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    @property
    def is_gp_practice(self) -> bool:
        return self.prescribing_setting == self.GP_PRACTICE_SETTING

    def pcn_on(self, when: date) -> PCN | None:
        membership = self.pcn_memberships.on(when).select_related("pcn").first()
        return membership.pcn if membership else None


class PracticePCNMembership(models.Model):
    """A practice's PCN from ``valid_from`` until ``valid_to`` (exclusive; empty = open)."""

    practice = models.ForeignKey(
        GPPractice, on_delete=models.CASCADE, related_name="pcn_memberships"
    )
    pcn = models.ForeignKey(PCN, on_delete=models.PROTECT, related_name="practice_memberships")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=100, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "valid_from"]
        verbose_name = "practice PCN membership"
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "valid_from"], name="places_practicepcn_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice.ods_code} in {self.pcn.code} from {self.valid_from}"


class Postcode(models.Model):
    """A postcode from the ONS Postcode Directory (NSPL/ONSPD layout).

    Codes are kept as published (``lsoa11_code`` etc.) so that postcodes outside England keep
    theirs; ``lsoa11``/``lsoa21`` link to the LSOA where it is loaded."""

    code = models.CharField(max_length=8, unique=True, help_text="Normalised: TF11AA.")
    display = models.CharField(max_length=8, help_text="As displayed: TF1 1AA.")
    lsoa11_code = models.CharField(max_length=9, blank=True, db_index=True)
    lsoa21_code = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    lad_code = models.CharField(max_length=9, blank=True)
    country_code = models.CharField(max_length=9, blank=True)
    lsoa11 = models.ForeignKey(
        LSOA, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcodes_2011"
    )
    lsoa21 = models.ForeignKey(
        LSOA, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcodes_2021"
    )
    introduced = models.DateField(null=True, blank=True)
    terminated = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=60, blank=True, help_text="e.g. NSPL NOV 2021")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.display

    @property
    def is_live(self) -> bool:
        return self.terminated is None


# ---------------------------------------------------------------------------------------------
# Deprivation

CORE20_DECILES = (1, 2)


def is_core20(decile: int | None) -> bool:
    """Core20: national IMD deciles 1 and 2 (the most deprived 20% of LSOAs)."""
    return decile in CORE20_DECILES


class DecileMethod(models.TextChoices):
    """How a decile was worked out. Only NATIONAL comes from the published files; the others
    are recorded so that derived figures can say how they were made."""

    NATIONAL = "national", "National deciles of LSOA counts (as published)"
    LOCAL = "local", "Local deciles (LSOAs re-ranked within an area)"
    POPULATION_WEIGHTED = "population_weighted", "Population-weighted deciles"


# The two editions the product knows. Created by migration; ``Edition.objects.get_default``
# creates them where a database was built without migrations.
EDITIONS = {
    "imd2019": {
        "name": "English Indices of Deprivation 2019",
        "short_name": "IMD 2019",
        "year": 2019,
        "published_on": date(2019, 9, 26),
        "lsoa_vintage": Vintage.LSOA2011,
        "lsoa_count": 32844,
        "denominators_note": "Mid-2015 population (excluding prisoners)",
    },
    "iod2025": {
        "name": "English Indices of Deprivation 2025",
        "short_name": "IoD 2025",
        "year": 2025,
        "published_on": date(2025, 10, 30),
        "lsoa_vintage": Vintage.LSOA2021,
        "lsoa_count": 33755,
        "denominators_note": "Mid-2022 population",
    },
}
DEFAULT_EDITION = "imd2019"


class EditionManager(models.Manager):
    def by_code(self, code: str) -> "Edition":
        if code in EDITIONS:
            return self.get_or_create(code=code, defaults=EDITIONS[code])[0]
        return self.get(code=code)

    def get_default(self) -> "Edition":
        return self.by_code(DEFAULT_EDITION)


class Edition(models.Model):
    """An edition of the English Indices of Deprivation, on one LSOA vintage."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    published_on = models.DateField(null=True, blank=True)
    lsoa_vintage = models.PositiveSmallIntegerField(choices=Vintage.choices)
    lsoa_count = models.PositiveIntegerField(null=True, blank=True)
    denominators_note = models.CharField(max_length=200, blank=True)

    objects = EditionManager()

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return self.short_name


def default_edition_pk() -> int:
    return Edition.objects.get_default().pk


# The indices in an IoD File 7, in its column order: (field prefix, label).
INDICES = [
    ("imd", "Index of Multiple Deprivation (IMD)"),
    ("income", "Income"),
    ("employment", "Employment"),
    ("education", "Education, Skills and Training"),
    ("health", "Health Deprivation and Disability"),
    ("crime", "Crime"),
    ("barriers", "Barriers to Housing and Services"),
    ("living_environment", "Living Environment"),
    ("idaci", "Income Deprivation Affecting Children Index (IDACI)"),
    ("idaopi", "Income Deprivation Affecting Older People (IDAOPI)"),
    ("cyp", "Children and Young People Sub-domain"),
    ("adult_skills", "Adult Skills Sub-domain"),
    ("geographical_barriers", "Geographical Barriers Sub-domain"),
    ("wider_barriers", "Wider Barriers Sub-domain"),
    ("indoors", "Indoors Sub-domain"),
    ("outdoors", "Outdoors Sub-domain"),
]
POPULATION_FIELDS = [
    ("population_total", "Total population"),
    ("population_0_15", "Dependent children aged 0-15"),
    ("population_16_59", "Population aged 16-59"),
    ("population_60_plus", "Older population aged 60 and over"),
    ("population_working_age", "Working-age population (for the Employment domain)"),
]
VALUE_FIELDS = [
    f"{prefix}_{part}" for prefix, _ in INDICES for part in ("score", "rank", "decile")
] + [name for name, _ in POPULATION_FIELDS]


class DeprivationQuerySet(models.QuerySet):
    def edition(self, edition):
        return self.filter(edition=edition)

    def national(self):
        return self.filter(decile_method=DecileMethod.NATIONAL, ranking_area_code="")

    def core20(self):
        """Rows in national IMD deciles 1-2."""
        return self.national().filter(imd_decile__in=CORE20_DECILES)


def _index_fields():
    fields = {}
    for prefix, _label in INDICES:
        fields[f"{prefix}_score"] = models.FloatField(null=True, blank=True)
        fields[f"{prefix}_rank"] = models.PositiveIntegerField(null=True, blank=True)
        fields[f"{prefix}_decile"] = models.PositiveSmallIntegerField(null=True, blank=True)
    for name, label in POPULATION_FIELDS:
        fields[name] = models.PositiveIntegerField(null=True, blank=True, verbose_name=label)
    return fields


class Deprivation(models.Model):
    """One LSOA's deprivation in one edition: scores (where published), ranks (1 = most
    deprived), deciles (1 = most deprived 10%) for the IMD, its seven domains, the
    supplementary indices and sub-domains, and the edition's population denominators.

    ``decile_method`` and ``ranking_area_code`` say how the deciles were made: national
    deciles of LSOA counts as published have method NATIONAL and no ranking area."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="values")
    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="deprivation")
    decile_method = models.CharField(
        max_length=30, choices=DecileMethod.choices, default=DecileMethod.NATIONAL
    )
    ranking_area_code = models.CharField(
        max_length=9,
        blank=True,
        help_text="For local deciles: the area the LSOAs were re-ranked within.",
    )

    objects = DeprivationQuerySet.as_manager()

    class Meta:
        verbose_name = "LSOA deprivation"
        verbose_name_plural = "LSOA deprivation"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "lsoa", "decile_method", "ranking_area_code"],
                name="places_deprivation_unique",
            )
        ]
        indexes = [
            models.Index(fields=["edition", "imd_decile"], name="places_depr_decile"),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa.code} {self.edition}: decile {self.imd_decile}"

    @property
    def is_core20(self) -> bool:
        return self.decile_method == DecileMethod.NATIONAL and is_core20(self.imd_decile)


# imd_score, imd_rank, imd_decile, income_score, … outdoors_decile, then the population fields.
for _name, _field in _index_fields().items():
    Deprivation.add_to_class(_name, _field)


class PopulationEstimate(models.Model):
    """ONS small-area population estimate for one LSOA and mid-year: persons (or one sex) by
    single year of age, ``by_age[i]`` = people aged i (the last entry is 90 and over)."""

    lsoa = models.ForeignKey(LSOA, on_delete=models.CASCADE, related_name="population_estimates")
    year = models.PositiveSmallIntegerField(help_text="Mid-year of the estimate.")
    sex = models.CharField(max_length=10, default="persons")
    total = models.PositiveIntegerField()
    by_age = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lsoa", "year", "sex"], name="places_population_unique")
        ]

    def __str__(self) -> str:
        return f"{self.lsoa.code} mid-{self.year} {self.sex}: {self.total}"


# ---------------------------------------------------------------------------------------------
# Per-site settings (programme.Site is not edited here; this sits beside it)


class SiteSettings(models.Model):
    """Place settings for a programme site: which edition of the IoD its deprivation
    figures use (IMD 2019 unless the site chooses otherwise)."""

    site = models.OneToOneField(
        "programme.Site", on_delete=models.CASCADE, related_name="place_settings"
    )
    deprivation_edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, default=default_edition_pk, related_name="+"
    )

    class Meta:
        verbose_name = "site place settings"
        verbose_name_plural = "site place settings"

    def __str__(self) -> str:
        return f"{self.site}: {self.deprivation_edition}"


def deprivation_edition_for(site) -> Edition:
    """The edition a site has chosen, or the default (IMD 2019) if it has not."""
    settings_row = SiteSettings.objects.filter(site=site).select_related("deprivation_edition")
    row = settings_row.first()
    return row.deprivation_edition if row else Edition.objects.get_default()


# ---------------------------------------------------------------------------------------------
# Imports


class ImportRun(models.Model):
    """One run of a reference-data importer, started from the import page or a command.
    The page polls it for progress; rows_done/rows_total count the rows checked."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50, help_text="The importer (see places.importers).")
    layout = models.CharField(max_length=50, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=200, blank=True)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="place_import_runs",
    )
    task_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import run"

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.rows_total:
            return 0
        return min(100, int(100 * self.rows_done / self.rows_total))


from core20.places.models_targets import SiteTargetArea  # noqa: E402, F401  (site target areas)
