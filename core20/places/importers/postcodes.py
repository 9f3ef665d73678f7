"""The ONS Postcode Directory (NSPL or ONSPD layout, any edition): each postcode's LSOA
(2011 and, where the edition has it, 2021), ward, local authority district, country, and the
dates it was introduced and terminated. Terminated postcodes are kept, with their date."""

from __future__ import annotations

import re

import pandas as pd

from core20.places.importers.base import (
    GSS_CODE,
    Col,
    Counts,
    Importer,
    ImportResult,
    Layout,
    fast_insert,
    fast_update,
)
from core20.places.models import LSOA, GPPractice, Postcode

POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}"
FIELDS = [
    "display",
    "lsoa11_code",
    "lsoa21_code",
    "ward_code",
    "lad_code",
    "country_code",
    "lsoa11_id",
    "lsoa21_id",
    "introduced",
    "terminated",
    "source",
]
# The fields that say where a postcode is; "source" (the file's name) is last and left out
# when deciding whether a row changed.
DATA_FIELDS = FIELDS.index("source")


class PostcodeImporter(Importer):
    kind = "postcodes"
    label = "Postcodes (ONS Postcode Directory)"
    description = (
        "The ONS Postcode Directory in the NSPL or ONSPD layout (pcd, pcds, dointr, doterm, "
        "lsoa11 and/or lsoa21, laua or oslaua, ward or osward, ctry), whole or in parts."
    )
    layouts = [
        Layout(
            "ons_postcode_directory",
            "ONS Postcode Directory, NSPL or ONSPD (pcd, pcds, doterm, lsoa11, laua, ward, …)",
            [
                Col("pcd", ("pcd", "pcd7")),
                Col("pcds", ("pcds",)),
                Col("dointr", ("dointr",), required=False),
                Col("doterm", ("doterm",)),
                Col("lad", pattern=r"laua|oslaua|lad\d\dcd"),
                Col("ward", pattern=r"ward|osward|wd\d\dcd"),
                Col("country", pattern=r"ctry|ctry\d\dcd", required=False),
                Col("lsoa11", pattern=r"lsoa11|lsoa11cd", required=False),
                Col("lsoa21", pattern=r"lsoa21|lsoa21cd", required=False),
            ],
        )
    ]

    def prepare(self) -> None:
        if not (self.has("lsoa11") or self.has("lsoa21")):
            self.issues.add(None, None, "missing column: expected a header 'lsoa11' or 'lsoa21'")
            return
        codes = self.text("pcd").str.upper().str.replace(r"\s+", "", regex=True)
        bad = ~codes.str.fullmatch(POSTCODE)
        for index, value in self.text("pcd")[bad].items():
            self.issues.add(
                self.row_number(index),
                self.header("pcd"),
                f"'{value or '(blank)'}' is not a postcode",
            )
        self.unique("pcd", codes)
        self.codes = codes
        for key in ("lsoa11", "lsoa21", "lad", "ward", "country"):
            if self.has(key):
                self.code(key, GSS_CODE, blank=True)
        self.introduced = self.dates("dointr", "%Y%m") if self.has("dointr") else None
        self.terminated = self.dates("doterm", "%Y%m")
        stem = re.sub(r"\.(csv|gz|zip|xlsx)$", "", self.file, flags=re.IGNORECASE)
        self.source = re.sub(r"\.(csv|gz|zip)$", "", stem, flags=re.IGNORECASE)[:60]

    def write(self) -> ImportResult:
        lsoa11 = dict(LSOA.objects.filter(vintage=2011).values_list("code", "pk"))
        lsoa21 = dict(LSOA.objects.filter(vintage=2021).values_list("code", "pk"))
        frame = pd.DataFrame(
            {
                "code": self.codes,
                "display": self.text("pcds").str.upper(),
                "lsoa11_code": self.text("lsoa11").str.upper(),
                "lsoa21_code": self.text("lsoa21").str.upper(),
                "ward_code": self.text("ward").str.upper(),
                "lad_code": self.text("lad").str.upper(),
                "country_code": self.text("country").str.upper(),
                "introduced": self.introduced if self.introduced is not None else None,
                "terminated": self.terminated,
            }
        )
        frame["lsoa11_id"] = frame["lsoa11_code"].map(lsoa11)
        frame["lsoa21_id"] = frame["lsoa21_code"].map(lsoa21)
        frame["source"] = self.source
        frame["area"] = frame["code"].str.extract(r"^([A-Z]+)", expand=False)
        counts = Counts()
        total = len(frame)
        done = 0
        # Area by area (TF, SR, …), so that a national file is compared in pieces.
        for area, part in frame.groupby("area", sort=True):
            counts += self._write_area(area, part)
            done += len(part)
            self.progress(done, total, "Saving")
        located = resolve_practice_lsoas()
        details = {"GP practices located from their postcode": located} if located.changed else {}
        live = int(frame["terminated"].isna().sum())
        notes = [f"{live:,} live postcodes, {total - live:,} terminated."]
        return self.result("postcodes", counts, details=details, notes=notes)

    def _write_area(self, area: str, part: pd.DataFrame) -> Counts:
        # Fetch the area's existing postcodes by code (the unique index), in batches: a range
        # or prefix query would depend on the database's collation.
        existing = {}
        codes = part["code"].tolist()
        for start in range(0, len(codes), 5000):
            qs = Postcode.objects.filter(code__in=codes[start : start + 5000])
            for row in qs.values_list("pk", "code", *FIELDS):
                existing[row[1]] = (row[0], row[2:])
        counts = Counts()
        to_create = []
        to_update = []
        for rec in part.itertuples(index=False):
            values = tuple(_clean(getattr(rec, f)) for f in FIELDS)
            old = existing.get(rec.code)
            if old is None:
                to_create.append({"code": rec.code, **dict(zip(FIELDS, values, strict=True))})
                counts.created += 1
            elif old[1][:DATA_FIELDS] != values[:DATA_FIELDS]:
                to_update.append((old[0], *values))
                counts.updated += 1
            else:
                # The same facts from a file of another name (a part of the directory cut
                # out, say) change nothing: the row keeps the file it first came from.
                counts.unchanged += 1
        fast_insert(Postcode, to_create)
        fast_update(Postcode, FIELDS, to_update)
        return counts


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float):
        return None if pd.isna(value) else int(value)
    if value is pd.NaT:
        return None
    return value


def resolve_practice_lsoas() -> Counts:
    """Give each practice the LSOA (2011) of its postcode, where a loaded postcode has one."""
    lookup = dict(Postcode.objects.exclude(lsoa11=None).values_list("code", "lsoa11_id").iterator())
    counts = Counts()
    changes = []
    for pk, key, lsoa_id in GPPractice.objects.values_list("pk", "postcode_key", "lsoa_id"):
        wanted = lookup.get(key)
        if wanted is None:
            continue
        if wanted != lsoa_id:
            changes.append((pk, wanted))
            counts.updated += 1
        else:
            counts.unchanged += 1
    fast_update(GPPractice, ["lsoa_id"], changes)
    return counts
