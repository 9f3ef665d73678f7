"""Reference frames read straight from the files shipped in data/reference/places/.

The benchmark and the database-free tests build the lookup table from these; the app reads
the same data from the database (``lookup.db``) once it has been imported. Only English rows
are kept, as the importers keep only English rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from core20.places.lookup.frames import ReferenceFrames, normalise_postcode

# The editions the shipped files hold: code → (short name, LSOA vintage). The same as
# core20.places.models.EDITIONS (a test checks), repeated so that this module needs no
# Django set-up.
SHIPPED_EDITIONS = {"imd2019": ("IMD 2019", 2011), "iod2025": ("IoD 2025", 2021)}

DEFAULT_ROOT = Path(__file__).resolve().parents[3] / "data" / "reference" / "places"

FILES = {
    "imd2019": "imd2019/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
    "imd2019_population": "imd2019/File_6_-_IoD2019_Population_Denominators.csv.gz",
    "iod2025": "iod2025/imd2025_england_lsoa21.csv.gz",
    "links": "geography/lsoa11_lsoa21_lad22_exact_EW.csv.gz",
    "health11": "geography/lsoa11_sicbl22_icb22_lad22_EN.csv.gz",
    "health21": "geography/lsoa21_sicbl24_icb24_EN.csv.gz",
    "ward21": "geography/lsoa21_ward24_lad24_EW.csv.gz",
    "ward11": "geography/ons_lsoa11_ward19_lad19_EW.csv.gz",
    "lad_region": "geography/lad24_region24_EN.csv.gz",
    "icb_region": "geography/icb24_nhser_derived.csv.gz",
    "sicbl_icb_region": "geography/sicbl_icb_nhser_from_fingertipsnext.csv.gz",
    "practices": "gp_practice/ods_epraccur_2022-02.csv.gz",
    "population11": "population/ons_sape23dt2_mid2020_lsoa11_syoa_persons_EW.csv.gz",
}
POSTCODE_GLOB = "postcodes/NSPL_*.csv.gz"

IMD2019_DECILE = (
    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
)
_ODS_SUFFIX = re.compile(r"\s+-\s+[A-Z0-9]{3,5}$")


def _csv(root: Path, key: str, **kwargs) -> pd.DataFrame:
    return pd.read_csv(
        root / FILES[key], dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs
    )


def _english(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[frame[column].str.startswith("E")]


def read_postcodes(root: Path = DEFAULT_ROOT) -> pd.DataFrame:
    """Every shipped NSPL slice as the ``postcodes`` frame."""
    parts = []
    for path in sorted(root.glob(POSTCODE_GLOB)):
        raw = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            usecols=["pcds", "doterm", "laua", "ward", "ctry", "lsoa11"],
        )
        terminated = raw["doterm"].str.strip()
        parts.append(
            pd.DataFrame(
                {
                    "code": raw["pcds"].map(normalise_postcode),
                    "display": raw["pcds"],
                    "lsoa11_code": raw["lsoa11"],
                    "lsoa21_code": "",
                    "ward_code": raw["ward"],
                    "lad_code": raw["laua"],
                    "country_code": raw["ctry"],
                    "terminated": terminated.where(
                        terminated == "", terminated.str[:4] + "-" + terminated.str[4:6] + "-01"
                    ),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def read_practices(root: Path = DEFAULT_ROOT) -> pd.DataFrame:
    raw = pd.read_csv(root / FILES["practices"], dtype=str, keep_default_na=False, header=None)
    closed = raw[11].str.strip()
    return pd.DataFrame(
        {
            "code": raw[0],
            "name": raw[1],
            "postcode": raw[9],
            "postcode_key": raw[9].map(normalise_postcode),
            "status": raw[12],
            "closed_on": closed.where(
                closed == "", closed.str[:4] + "-" + closed.str[4:6] + "-" + closed.str[6:8]
            ),
            "lsoa11_code": "",
        }
    )


def read_frames(root: Path = DEFAULT_ROOT) -> ReferenceFrames:
    """The shipped reference data as ``ReferenceFrames``."""
    ward11 = _english(_csv(root, "ward11"), "LSOA11CD")
    ward21 = _english(_csv(root, "ward21"), "lsoa21_code")
    lsoas = pd.concat(
        [
            pd.DataFrame(
                {
                    "vintage": 2011,
                    "code": ward11["LSOA11CD"],
                    "name": ward11["LSOA11NM"],
                    "ward_code": ward11["WD19CD"],
                    "lad_code": ward11["LAD19CD"],
                }
            ),
            pd.DataFrame(
                {
                    "vintage": 2021,
                    "code": ward21["lsoa21_code"],
                    "name": ward21["lsoa21_name"],
                    "ward_code": ward21["ward24_code"],
                    "lad_code": ward21["ltla24_code"],
                }
            ),
        ],
        ignore_index=True,
    )
    links = _english(_csv(root, "links"), "lsoa11_code")
    links = links.rename(columns={"change_code": "change"})

    imd19 = _csv(root, "imd2019")
    iod25 = _csv(root, "iod2025")
    deprivation = pd.concat(
        [
            pd.DataFrame(
                {
                    "edition": "imd2019",
                    "lsoa_code": imd19["LSOA code (2011)"],
                    "decile": imd19[IMD2019_DECILE],
                    "rank": imd19[
                        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
                    ],
                    "score": None,
                }
            ),
            pd.DataFrame(
                {
                    "edition": "iod2025",
                    "lsoa_code": iod25["lsoa21_code"],
                    "decile": iod25["IMD_decile"],
                    "rank": iod25["IMD_rank"],
                    "score": iod25["IMD_score"],
                }
            ),
        ],
        ignore_index=True,
    )

    h11 = _csv(root, "health11")
    h21 = _csv(root, "health21")
    health = pd.concat(
        [
            pd.DataFrame(
                {"vintage": 2011, "lsoa_code": h11["lsoa11_code"], "icb_code": h11["icb22_code"]}
            ),
            pd.DataFrame(
                {"vintage": 2021, "lsoa_code": h21["lsoa21_code"], "icb_code": h21["icb24_code"]}
            ),
        ],
        ignore_index=True,
    )

    icb24 = _csv(root, "icb_region")
    icb22 = _csv(root, "sicbl_icb_region")
    icbs = pd.concat(
        [
            pd.DataFrame(
                {
                    "code": icb24["icb24_code"],
                    "name": icb24["icb24_name"],
                    "region_code": icb24["nhser_code"],
                }
            ),
            pd.DataFrame(
                {
                    "code": icb22["icb_code"],
                    "name": icb22["icb_name"].str.replace(_ODS_SUFFIX, "", regex=True),
                    "region_code": icb22["nhser_code"],
                }
            ),
        ],
        ignore_index=True,
    ).drop_duplicates("code")
    regions = pd.concat(
        [
            pd.DataFrame({"code": icb24["nhser_code"], "name": icb24["nhser_name"]}),
            pd.DataFrame({"code": icb22["nhser_code"], "name": icb22["nhser_name"]}),
        ],
        ignore_index=True,
    ).drop_duplicates("code")
    regions["name"] = regions["name"].str.removesuffix(" NHS Region")

    # The newer lookup's name wins (2024 before 2019).
    wards = pd.concat(
        [
            pd.DataFrame({"code": ward21["ward24_code"], "name": ward21["ward24_name"]}),
            pd.DataFrame({"code": ward11["WD19CD"], "name": ward11["WD19NM"]}),
        ],
        ignore_index=True,
    ).drop_duplicates("code")
    lad_region = _csv(root, "lad_region")
    lads = pd.concat(
        [
            pd.DataFrame({"code": lad_region["ltla24_code"], "name": lad_region["ltla24_name"]}),
            pd.DataFrame({"code": ward21["ltla24_code"], "name": ward21["ltla24_name"]}),
            pd.DataFrame({"code": ward11["LAD19CD"], "name": ward11["LAD19NM"]}),
        ],
        ignore_index=True,
    ).drop_duplicates("code")

    editions = pd.DataFrame(
        [
            {"code": code, "short_name": short_name, "vintage": vintage}
            for code, (short_name, vintage) in SHIPPED_EDITIONS.items()
        ]
    )
    return ReferenceFrames.of(
        editions=editions,
        lsoas=lsoas,
        links=links,
        deprivation=deprivation,
        health=health,
        icbs=icbs,
        regions=regions,
        wards=wards,
        lads=lads,
        postcodes=read_postcodes(root),
        practices=read_practices(root),
    )


def read_population(root: Path = DEFAULT_ROOT) -> pd.DataFrame:
    """ONS mid-2020 estimates per English LSOA 2011: columns vintage, lsoa_code, population."""
    raw = _english(
        _csv(root, "population11", usecols=["lsoa11_code", "total_population"]), "lsoa11_code"
    )
    return pd.DataFrame(
        {
            "vintage": 2011,
            "lsoa_code": raw["lsoa11_code"],
            "population": pd.to_numeric(raw["total_population"]).astype("Int64"),
        }
    )
