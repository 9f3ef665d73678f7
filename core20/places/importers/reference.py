"""Load everything shipped in data/reference/places/, in dependency order.

NHS areas first (regions, ICBs, sub-ICB locations), then the statistical geography (LAD →
region, LSOA → ward → LAD for both vintages, LSOA 2011 → 2021), the dated LSOA → sub-ICB →
ICB memberships, deprivation (IoD 2019 Files 1, 2 and 6; IoD 2025), postcodes, GP practices
and their PCNs, and population estimates.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from core20.places.importers import ImportResult, run_import

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference" / "places"

# (kind, path under REFERENCE_DIR, layout)
SHIPPED: list[tuple[str, str, str]] = [
    ("nhs_areas", "geography/icb24_nhser_derived.csv.gz", "icb_nhser_derived"),
    (
        "nhs_areas",
        "geography/sicbl_icb_nhser_from_fingertipsnext.csv.gz",
        "sicbl_icb_nhser_fingertips",
    ),
    ("lad_regions", "geography/lad24_region24_EN.csv.gz", "geographr_lad_region"),
    ("lsoa_wards", "geography/ons_lsoa11_ward19_lad19_EW.csv.gz", "ons_lsoa_ward_lad"),
    ("lsoa_wards", "geography/lsoa21_ward24_lad24_EW.csv.gz", "geographr_lsoa_ward_lad"),
    ("lsoa_links", "geography/lsoa11_lsoa21_lad22_exact_EW.csv.gz", "geographr_lsoa11_lsoa21"),
    ("lsoa_icbs", "geography/lsoa11_sicbl22_icb22_lad22_EN.csv.gz", "geographr_lsoa_sicbl_icb"),
    ("lsoa_icbs", "geography/lsoa21_sicbl24_icb24_EN.csv.gz", "geographr_lsoa_sicbl_icb"),
    ("deprivation", "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", "iod2019_file2"),
    ("deprivation", "imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx", "iod2019_file1"),
    ("deprivation", "imd2019/File_6_-_IoD2019_Population_Denominators.csv.gz", "iod2019_file6"),
    ("deprivation", "iod2025/imd2025_england_lsoa21.csv.gz", "iod2025_humaniverse"),
    ("postcodes", "postcodes/NSPL_NOV_2021_UK_TF.csv.gz", "ons_postcode_directory"),
    ("postcodes", "postcodes/NSPL_NOV_2021_UK_SR.csv.gz", "ons_postcode_directory"),
    ("practices", "gp_practice/ods_epraccur_2022-02.csv.gz", "ods_epraccur"),
    (
        "practice_pcns",
        "gp_practice/nhsd_gp-reg-pat-prac-map_2022-01.csv.gz",
        "nhsd_practice_mapping",
    ),
    (
        "population",
        "population/ons_sape23dt2_mid2020_lsoa11_syoa_persons_EW.csv.gz",
        "humaniverse_sape",
    ),
]


def load_reference(
    *,
    actor=None,
    directory: Path | None = None,
    on_file: Callable[[int, int, str], None] | None = None,
) -> list[ImportResult]:
    """Load every shipped file; each file is its own transaction. ``on_file(done, total,
    name)`` is called before each file. Stops at the first file that fails (ImportFailed)."""
    directory = Path(directory or REFERENCE_DIR)
    results = []
    for done, (kind, name, layout) in enumerate(SHIPPED):
        if on_file:
            on_file(done, len(SHIPPED), name)
        results.append(run_import(kind, directory / name, layout=layout, actor=actor))
    if on_file:
        on_file(len(SHIPPED), len(SHIPPED), "")
    return results
