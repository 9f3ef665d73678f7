"""Fixtures for the lookup, aggregation and target-area tests.

``file_lookup`` is the lookup table built straight from the shipped files (no database).
``tiny`` is a hand-made fixture of four LSOAs for hand-computed figures. The real data in the
database is in the ``real`` sub-package (loaded once there).
"""

from dataclasses import dataclass

import pytest

from core20.places import aggregation
from core20.places.lookup import cache
from core20.places.lookup.files import read_frames
from core20.places.lookup.table import build_lookup_table


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test sees the data it made: test rows come and go inside rolled-back
    transactions, so ids (and so the cache marker) can repeat with different data."""
    cache.invalidate()
    aggregation._national_cache.clear()
    yield
    cache.invalidate()
    aggregation._national_cache.clear()


@pytest.fixture(scope="session")
def shipped_frames():
    return read_frames()


@pytest.fixture(scope="session")
def file_lookup(shipped_frames):
    return build_lookup_table(shipped_frames)


@dataclass
class Tiny:
    """Four LSOAs 2011 in one district, two wards; 2021: one unchanged, one split in two.

    LSOA 2011   ward   IMD 2019 decile, rank   mid-2020 people
    E01999991   North  1, 100                   1,000
    E01999992   North  2, 5,000                 2,000   → split: E01999995, E01999996
    E01999993   South  7, 20,000                1,500
    E01999994   South  10, 30,000                 500
    IoD 2025 (LSOA 2021): E01999991 decile 1 score 60; E01999995 decile 2 score 40;
    E01999996 decile 3 score 30; E01999993 decile 7 score 10; E01999994 decile 10 score 2.
    """

    lad: object
    north: object
    south: object
    lsoas11: dict
    lsoas21: dict
    imd2019: object
    iod2025: object


TINY_2011 = [
    # code, name, ward, decile, rank, people
    ("E01999991", "Tinyshire 001A", "north", 1, 100, 1000),
    ("E01999992", "Tinyshire 001B", "north", 2, 5000, 2000),
    ("E01999993", "Tinyshire 002A", "south", 7, 20000, 1500),
    ("E01999994", "Tinyshire 002B", "south", 10, 30000, 500),
]
TINY_2021 = [
    # code, name, ward, decile, rank, score, from (2011), change
    ("E01999991", "Tinyshire 001A", "north", 1, 150, 60.0, "E01999991", "U"),
    ("E01999995", "Tinyshire 001C", "north", 2, 4000, 40.0, "E01999992", "S"),
    ("E01999996", "Tinyshire 001D", "north", 3, 8000, 30.0, "E01999992", "S"),
    ("E01999993", "Tinyshire 002A", "south", 7, 21000, 10.0, "E01999993", "U"),
    ("E01999994", "Tinyshire 002B", "south", 10, 33000, 2.0, "E01999994", "U"),
]


@pytest.fixture
def tiny(db):
    from core20.places.models import (
        LSOA,
        Deprivation,
        Edition,
        LocalAuthorityDistrict,
        LSOALink,
        PopulationEstimate,
        Postcode,
        Ward,
    )

    lad = LocalAuthorityDistrict.objects.create(code="E06999999", name="Tinyshire")
    wards = {
        "north": Ward.objects.create(code="E05999991", name="North Tiny", lad=lad),
        "south": Ward.objects.create(code="E05999992", name="South Tiny", lad=lad),
    }
    imd2019 = Edition.objects.by_code("imd2019")
    iod2025 = Edition.objects.by_code("iod2025")
    lsoas11 = {}
    for code, name, ward, decile, rank, people in TINY_2011:
        lsoa = LSOA.objects.create(vintage=2011, code=code, name=name, ward=wards[ward], lad=lad)
        Deprivation.objects.create(edition=imd2019, lsoa=lsoa, imd_decile=decile, imd_rank=rank)
        PopulationEstimate.objects.create(lsoa=lsoa, year=2020, total=people)
        lsoas11[code] = lsoa
    lsoas21 = {}
    for code, name, ward, decile, rank, score, parent, change in TINY_2021:
        lsoa = LSOA.objects.create(vintage=2021, code=code, name=name, ward=wards[ward], lad=lad)
        Deprivation.objects.create(
            edition=iod2025, lsoa=lsoa, imd_decile=decile, imd_rank=rank, imd_score=score
        )
        LSOALink.objects.create(lsoa11=lsoas11[parent], lsoa21=lsoa, change=change)
        lsoas21[code] = lsoa
    Postcode.objects.create(
        code="ZZ11AA",
        display="ZZ1 1AA",
        lsoa11_code="E01999992",
        lsoa11=lsoas11["E01999992"],
        ward_code="E05999991",
        lad_code="E06999999",
        country_code="E92000001",
    )
    return Tiny(lad, wards["north"], wards["south"], lsoas11, lsoas21, imd2019, iod2025)
