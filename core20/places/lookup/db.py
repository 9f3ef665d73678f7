"""Reference frames read from the database (what the importers loaded), for the app.

The same ``ReferenceFrames`` as ``lookup.files`` gives from the shipped files, so the app
and the benchmark build their lookup tables with the same function. Each frame is one
query, fetched through a plain cursor (no model instances), so a full postcode directory
loads in seconds.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from core20.places.lookup.frames import ReferenceFrames
from core20.places.models import (
    ICB,
    LSOA,
    Deprivation,
    Edition,
    GPPractice,
    LocalAuthorityDistrict,
    LSOAHealthMembership,
    LSOALink,
    Postcode,
    Region,
    Ward,
)


def frame_of(queryset: QuerySet, columns: list[str]) -> pd.DataFrame:
    """``queryset.values_list(*fields)`` as a data frame named ``columns``, fetched with
    one cursor (the queryset's own SQL; no model converters)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pd.DataFrame.from_records(rows, columns=columns)


def read_frames(when: date | None = None) -> ReferenceFrames:
    """Everything the lookup table needs, as loaded; NHS memberships in force on ``when``
    (today by default)."""
    when = when or timezone.localdate()
    Edition.objects.get_default()  # the known editions exist even before any import
    return ReferenceFrames.of(
        editions=frame_of(
            Edition.objects.order_by("year").values_list("code", "short_name", "lsoa_vintage"),
            ["code", "short_name", "vintage"],
        ),
        lsoas=frame_of(
            LSOA.objects.order_by().values_list(
                "vintage", "code", "name", "ward__code", "lad__code"
            ),
            ["vintage", "code", "name", "ward_code", "lad_code"],
        ),
        links=frame_of(
            LSOALink.objects.order_by().values_list("lsoa11__code", "lsoa21__code", "change"),
            ["lsoa11_code", "lsoa21_code", "change"],
        ),
        deprivation=frame_of(
            Deprivation.objects.national()
            .order_by()
            .values_list("edition__code", "lsoa__code", "imd_decile", "imd_rank", "imd_score"),
            ["edition", "lsoa_code", "decile", "rank", "score"],
        ),
        health=frame_of(
            LSOAHealthMembership.objects.on(when)
            .order_by()
            .values_list("lsoa__vintage", "lsoa__code", "icb__code"),
            ["vintage", "lsoa_code", "icb_code"],
        ),
        icbs=frame_of(
            ICB.objects.order_by().values_list("code", "name", "region__code"),
            ["code", "name", "region_code"],
        ),
        regions=frame_of(Region.objects.order_by().values_list("code", "name"), ["code", "name"]),
        wards=frame_of(Ward.objects.order_by().values_list("code", "name"), ["code", "name"]),
        lads=frame_of(
            LocalAuthorityDistrict.objects.order_by().values_list("code", "name"), ["code", "name"]
        ),
        postcodes=frame_of(
            Postcode.objects.order_by().values_list(
                "code",
                "display",
                "lsoa11_code",
                "lsoa21_code",
                "ward_code",
                "lad_code",
                "country_code",
                "terminated",
            ),
            [
                "code",
                "display",
                "lsoa11_code",
                "lsoa21_code",
                "ward_code",
                "lad_code",
                "country_code",
                "terminated",
            ],
        ),
        practices=frame_of(
            GPPractice.objects.order_by().values_list(
                "ods_code", "name", "postcode", "postcode_key", "status", "closed_on", "lsoa__code"
            ),
            ["code", "name", "postcode", "postcode_key", "status", "closed_on", "lsoa11_code"],
        ),
    )
