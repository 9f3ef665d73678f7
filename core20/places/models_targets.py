"""Site target areas: the wards, LSOAs and local authority districts a site works in.

Imported at the bottom of core20.places.models so that Django finds the model in the
places app. Areas are kept by code (with the name at the time they were added), so they
survive reference data being re-imported; core20.places.target_areas turns them into LSOAs
of whichever vintage an edition needs.
"""

from django.conf import settings
from django.db import models


class SiteTargetArea(models.Model):
    class Kind(models.TextChoices):
        LSOA = "lsoa", "LSOA"
        WARD = "ward", "Electoral ward"
        LAD = "lad", "Local authority district"

    site = models.ForeignKey(
        "programme.Site", on_delete=models.CASCADE, related_name="target_areas"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=9)
    name = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "places"
        ordering = ["site", "kind", "name", "code"]
        verbose_name = "site target area"
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="places_sitetarget_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code
