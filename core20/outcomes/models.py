"""Outcomes: the indicator catalogue, uploaded indicator data (versioned), logic models with
community-defined success measures, and improvement trajectories.

Indicator data are area-level aggregates (never records about people): an area code, a
period, a breakdown, a numerator and denominator, the value and its 95% confidence limits.
Each upload is a new version of a dataset (one indicator, nationally or for one site); the
latest version is the one shown, earlier versions are kept and can be compared.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse


class Indicator(models.Model):
    class Type(models.TextChoices):
        PROPORTION = "proportion", "Proportion (per cent)"
        RATE = "rate", "Crude rate per 100,000"
        DSR = "dsr", "Directly age-standardised rate per 100,000"
        RATIO = "ratio", "Ratio"
        COUNT = "count", "Count"

    class Polarity(models.TextChoices):
        HIGHER_BETTER = "higher", "Higher is better"
        LOWER_BETTER = "lower", "Lower is better"
        NEUTRAL = "neutral", "Neither higher nor lower is better"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    clinical_area = models.CharField(max_length=100)
    definition = models.TextField()
    numerator = models.TextField()
    denominator = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=Type.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    source = models.CharField(max_length=300)
    national_ambition = models.CharField(max_length=300, blank=True)
    age = models.CharField(max_length=60, blank=True)
    geographies = models.CharField(max_length=200, blank=True)
    breakdowns = models.CharField(max_length=200, blank=True)
    fingertips_id = models.CharField(
        max_length=20, blank=True, help_text="The Fingertips indicator ID, where there is one"
    )
    extract_numerator = models.CharField(
        max_length=300,
        blank=True,
        help_text="For record-level extracts: the condition a record meets to count in the "
        "numerator, for example bp_controlled = 1",
    )
    extract_denominator = models.CharField(
        max_length=300,
        blank=True,
        help_text="For record-level extracts: the condition for the denominator (blank: "
        "every record)",
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["clinical_area", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outcomes:indicator-detail", args=[self.code])

    @property
    def improvement(self) -> str:
        """The SPC engine's improvement direction for this indicator's polarity (the one
        mapping: charts, their signal words and the dashboard all use it)."""
        return {
            self.Polarity.HIGHER_BETTER: "increase",
            self.Polarity.LOWER_BETTER: "decrease",
        }.get(self.polarity, "neutral")

    @property
    def multiplier(self) -> float:
        return {
            self.Type.PROPORTION: 100.0,
            self.Type.RATE: 100_000.0,
            self.Type.DSR: 100_000.0,
        }.get(self.type, 1.0)

    @property
    def unit(self) -> str:
        return {
            self.Type.PROPORTION: "%",
            self.Type.RATE: "per 100,000",
            self.Type.DSR: "per 100,000",
        }.get(self.type, "")


class Upload(models.Model):
    """One version of a dataset: every row of one file (or extract), stored all or nothing."""

    class Format(models.TextChoices):
        FINGERTIPS = "fingertips", "Fingertips export"
        SIMPLE = "simple", "Aggregated table"
        EXTRACT = "extract", "Record-level extract"

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="uploads")
    site = models.ForeignKey(
        "programme.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_uploads",
        help_text="Blank for national data",
    )
    version = models.PositiveIntegerField()
    format = models.CharField(max_length=20, choices=Format.choices)
    file_name = models.CharField(max_length=255)
    row_count = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "site", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "site", "version"], name="outcomes_upload_version"
            )
        ]

    def __str__(self) -> str:
        where = self.site.name if self.site_id else "national"
        return f"{self.indicator.name} ({where}), version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("outcomes:upload-detail", args=[self.pk])


class IndicatorValue(models.Model):
    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="values")
    area_code = models.CharField(max_length=12)
    area_name = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=40)
    period_start = models.DateField()
    breakdown_type = models.CharField(max_length=120, blank=True)
    breakdown = models.CharField(max_length=120, blank=True)
    # 1 = most deprived; set when the breakdown is an IMD decile or quintile.
    quantile = models.PositiveSmallIntegerField(null=True, blank=True)
    quantiles = models.PositiveSmallIntegerField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    lower95 = models.FloatField(null=True, blank=True)
    upper95 = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["period_start", "area_code", "breakdown_type", "breakdown"]
        indexes = [models.Index(fields=["upload", "area_code"], name="outcomes_value_area")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.period} {self.breakdown}".strip()

    def key(self) -> tuple[str, str, str, str]:
        return (self.area_code, self.period, self.breakdown_type, self.breakdown)


class LogicModel(models.Model):
    """A site's logic model; the one with no site is the national template."""

    site = models.OneToOneField(
        "programme.Site",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="logic_model",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # At most one national template (no site). NULLs are distinct in a plain unique
            # index, and SQLite has no NULLS NOT DISTINCT: index a constant instead.
            models.UniqueConstraint(
                Coalesce("site", models.Value(0)),
                condition=models.Q(site__isnull=True),
                name="outcomes_one_template",
            )
        ]

    def __str__(self) -> str:
        return f"Logic model for {self.site}" if self.site_id else "National logic model template"


class Element(models.Model):
    class Stage(models.TextChoices):
        INPUTS = "inputs", "Inputs"
        ACTIVITIES = "activities", "Activities"
        OUTPUTS = "outputs", "Outputs"
        SHORT = "short", "Short-term outcomes"
        MEDIUM = "medium", "Medium-term outcomes"
        LONG = "long", "Long-term outcomes"
        IMPACT = "impact", "Impact"

    logic_model = models.ForeignKey(LogicModel, on_delete=models.CASCADE, related_name="elements")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="elements")
    output_indicators = models.JSONField(
        default=list, blank=True, help_text="Keys of output indicators from platform data"
    )

    class Meta:
        ordering = ["logic_model", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def output_names(self) -> list[str]:
        """The names of its output indicators ("People reached"), not their keys."""
        from core20.outcomes.outputs import REGISTRY

        return [REGISTRY[k].name if k in REGISTRY else k for k in self.output_indicators]


class SuccessMeasure(models.Model):
    """What success looks like, in the community's own words."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.CASCADE, related_name="success_measures"
    )
    statement = models.TextField()
    said_by = models.CharField(
        max_length=200, help_text="Who said it, for example a community group (not a person)"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site", "created_at", "pk"]

    def __str__(self) -> str:
        return self.statement[:80]


class Evidence(models.Model):
    measure = models.ForeignKey(SuccessMeasure, on_delete=models.CASCADE, related_name="evidence")
    observed_on = models.DateField()
    text = models.TextField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "observed_on", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.observed_on}: {self.text[:60]}"


class TrajectoryPoint(models.Model):
    """The value a site aims for, for one indicator in its target areas, in one period."""

    site = models.ForeignKey(
        "programme.Site", on_delete=models.CASCADE, related_name="trajectories"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="trajectories")
    period = models.CharField(max_length=40)
    period_start = models.DateField()
    value = models.FloatField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site", "indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "indicator", "period"], name="outcomes_trajectory_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value:g} in {self.period}"
