"""The reference data the lookup table is built from, as plain data frames.

Two sources fill the same ``ReferenceFrames``: the shipped files (``lookup.files``, for the
benchmark and for tests that need no database) and the database (``lookup.db``, for the
app). ``build_lookup_table`` takes only these frames, so both paths build the same table.

Every code column is text (``str``; empty string where missing); numbers are nullable
integers (``Int64``) or floats. Columns per frame:

- ``editions``: code, short_name, vintage (2011 or 2021)
- ``lsoas``: vintage, code, name, ward_code, lad_code (the LSOA's best-fit ward and its LAD)
- ``links``: lsoa11_code, lsoa21_code, change (U/S/M/X), the exact-fit 2011 → 2021 lookup
- ``deprivation``: edition, lsoa_code, decile, rank, score (national deciles as published;
  score is missing where the edition's scores are not loaded)
- ``health``: vintage, lsoa_code, icb_code (the membership in force on the as-of date)
- ``icbs``: code, name, region_code (NHS England region)
- ``regions``: code, name
- ``wards``: code, name; ``lads``: code, name
- ``postcodes``: code (normalised, TF11AA), display (TF1 1AA), lsoa11_code, lsoa21_code,
  ward_code, lad_code, country_code, terminated (ISO date or "")
- ``practices``: code, name, postcode (as displayed), postcode_key (normalised), status
  (A/C/D/P), closed_on (ISO date or ""), lsoa11_code (where known without the postcode)
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

COLUMNS: dict[str, dict[str, str]] = {
    "editions": {"code": "str", "short_name": "str", "vintage": "Int64"},
    "lsoas": {
        "vintage": "Int64",
        "code": "str",
        "name": "str",
        "ward_code": "str",
        "lad_code": "str",
    },
    "links": {"lsoa11_code": "str", "lsoa21_code": "str", "change": "str"},
    "deprivation": {
        "edition": "str",
        "lsoa_code": "str",
        "decile": "Int64",
        "rank": "Int64",
        "score": "Float64",
    },
    "health": {"vintage": "Int64", "lsoa_code": "str", "icb_code": "str"},
    "icbs": {"code": "str", "name": "str", "region_code": "str"},
    "regions": {"code": "str", "name": "str"},
    "wards": {"code": "str", "name": "str"},
    "lads": {"code": "str", "name": "str"},
    "postcodes": {
        "code": "str",
        "display": "str",
        "lsoa11_code": "str",
        "lsoa21_code": "str",
        "ward_code": "str",
        "lad_code": "str",
        "country_code": "str",
        "terminated": "str",
    },
    "practices": {
        "code": "str",
        "name": "str",
        "postcode": "str",
        "postcode_key": "str",
        "status": "str",
        "closed_on": "str",
        "lsoa11_code": "str",
    },
}


def normalise_postcode(value: str) -> str:
    """'tf1 1aa ' → 'TF11AA': as core20.places.models.normalise_postcode (kept free of
    Django here so that the lookup can be built without it)."""
    return "".join((value or "").split()).upper()


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly the columns of ``name`` in order and type: text columns as
    Python strings with "" for missing, numbers as nullable types."""
    spec = COLUMNS[name]
    out = pd.DataFrame(index=range(len(frame)))
    frame = frame.reset_index(drop=True)
    for column, kind in spec.items():
        values = frame[column] if column in frame.columns else pd.Series([None] * len(frame))
        if kind == "str":
            out[column] = values.where(values.notna(), "").astype("str")
        else:
            out[column] = pd.to_numeric(values, errors="coerce").astype(kind)
    return out


@dataclass
class ReferenceFrames:
    editions: pd.DataFrame
    lsoas: pd.DataFrame
    links: pd.DataFrame
    deprivation: pd.DataFrame
    health: pd.DataFrame
    icbs: pd.DataFrame
    regions: pd.DataFrame
    wards: pd.DataFrame
    lads: pd.DataFrame
    postcodes: pd.DataFrame
    practices: pd.DataFrame

    @classmethod
    def of(cls, **frames: pd.DataFrame) -> ReferenceFrames:
        """Conform each frame to its columns; frames not given are empty."""
        made = {}
        for field in fields(cls):
            frame = frames.get(field.name)
            if frame is None:
                frame = pd.DataFrame(columns=list(COLUMNS[field.name]))
            made[field.name] = conform(field.name, frame)
        return cls(**made)
