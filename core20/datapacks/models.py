"""Community data packs: one row per generated version of a pack for a site (its target areas
as a whole), one of its target wards, or its target areas in one ward or local authority
district (``core20.datapacks.areas``).

A pack's figures are worked out once, in the background, and frozen in ``content`` after
disclosure control, so every rendering (page, PDF, easy read, each language, open data)
shows exactly the same protected numbers. Each generation is a new version; old versions are
kept. The public sees only published versions.
"""

from django.conf import settings
from django.db import models


class DataPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Generating"
        READY = "ready", "Ready to preview"
        FAILED = "failed", "Failed"
        PUBLISHED = "published", "Published"

    site = models.ForeignKey("programme.Site", on_delete=models.CASCADE, related_name="data_packs")

    class AreaKind(models.TextChoices):
        ALL = "", "All target areas"
        WARD = "ward", "A target ward"
        IN_WARD = "in_ward", "The target areas in a ward"
        IN_LAD = "in_lad", "The target areas in a local authority district"

    # Blank for the whole site (all its target areas); else the code of a target ward, or
    # of the ward (E05…) or district (E06-E09…) whose target areas the pack is for.
    area_code = models.CharField(max_length=9, blank=True)
    area_name = models.CharField(max_length=200, blank=True)  # the ward's or district's
    area_kind = models.CharField(max_length=10, choices=AreaKind.choices, blank=True)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    contact = models.CharField(
        max_length=200,
        blank=True,
        help_text="A public contact for the site (shown in the pack's 'Get involved' section).",
    )
    # Progress while generating: sections done of sections to do.
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    phase = models.CharField(max_length=200, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # The protected figures and words of every section (see core20.datapacks.sections).
    content = models.JSONField(default=dict, blank=True)
    # What disclosure control across the site's packs compares (core20.datapacks.across):
    # the LSOAs the pack covers and its counts before rounding and suppression. Never shown
    # (not in any page, PDF, open data or API); packs generated before it was kept have none.
    basis = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=100, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["site", "area_code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "area_code", "version"], name="datapacks_one_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} – {self.area_label} – version {self.version}"

    @property
    def area_label(self) -> str:
        from core20.datapacks.areas import area_label

        if not self.area_code:
            return "All target areas"
        return area_label(self.area_kind, self.area_name or self.area_code)

    @property
    def is_part_of_area(self) -> bool:
        """For the target areas in a ward or district, not the whole of it."""
        return self.area_kind in (self.AreaKind.IN_WARD, self.AreaKind.IN_LAD)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED, self.Status.PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def percent(self) -> int:
        if self.status in (self.Status.READY, self.Status.PUBLISHED):
            return 100
        if not self.steps_total:
            return 0
        return min(100, int(100 * self.steps_done / self.steps_total))
