"""NHS geography that programme sites sit in: NHS England regions and ICBs.

The places capability extends this with LSOAs, wards, local authorities, practices and
deprivation; regions and ICBs live here from the start because sites need them.
"""

from django.db import models


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
