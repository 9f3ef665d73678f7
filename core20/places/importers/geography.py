"""ONS and NHS geography lookups: NHS regions, ICBs and sub-ICB locations; LAD → ONS region;
LSOA → ward → LAD (2011 and 2021); the LSOA 2011 → 2021 exact-fit lookup with change codes;
and LSOA → sub-ICB location → ICB memberships with effective dates.

Each accepts the official ONS layout (year-coded headers such as LSOA21CD, ICB24CDH, with
any year) and the layout of the file the product ships. Welsh rows of England-and-Wales
lookups are skipped and counted: the product covers England.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from core20.places.importers.base import (
    ICB_CODE,
    LAD_CODE,
    LSOA_CODE,
    NHS_REGION_CODE,
    ONS_REGION_CODE,
    SICBL_CODE,
    WARD_CODE,
    WELSH,
    Col,
    Counts,
    Importer,
    ImportResult,
    Layout,
    fast_insert,
    fast_update,
    keep,
    newer_year,
    replace,
    sync,
)
from core20.places.importers.common import ensure_lads, ensure_lsoas, year_in_header
from core20.places.models import (
    ICB,
    LSOA,
    LocalAuthorityDistrict,
    LSOAHealthMembership,
    LSOALink,
    OnsRegion,
    Region,
    SubICBLocation,
    Ward,
)

ODS_SUFFIX = re.compile(r"\s+-\s+([A-Z0-9]{3,5})$")


def split_ods_suffix(name: str) -> tuple[str, str]:
    """'South Yorkshire ICB - 02P' → ('South Yorkshire ICB', '02P')."""
    m = ODS_SUFFIX.search(name)
    return (name[: m.start()], m.group(1)) if m else (name, "")


def region_name(name: str) -> str:
    """NHS region names are stored without the ' NHS Region' suffix (as the programme's
    reference loader stores them), so that both loaders write the same value."""
    return name.removesuffix(" NHS Region").removesuffix(" NHS region")


def P(pattern: str, *, required: bool = True, key: str | None = None) -> Col:
    return Col(key or pattern, pattern=pattern, required=required)


# ---------------------------------------------------------------------------------------------
# NHS regions, ICBs and sub-ICB locations


class NHSAreasImporter(Importer):
    kind = "nhs_areas"
    label = "NHS regions, ICBs and sub-ICB locations"
    description = "ICB → NHS England region lists, and sub-ICB location → ICB → region hierarchies."
    layouts = [
        Layout(
            "icb_nhser_derived",
            "ICB → NHS region list (icb24_code, icb24_code_nhs, icb24_name, nhser_code, …)",
            [
                Col("icb", pattern=r"icb\d\d_code"),
                Col("icb_ods", pattern=r"icb\d\d_code_(nhs|h)"),
                Col("icb_name", pattern=r"icb\d\d_name"),
                Col("region", ("nhser_code",)),
                Col("region_name", ("nhser_name",)),
            ],
            facts={"authoritative": True},
        ),
        Layout(
            "ons_icb_nhser",
            "ONS ICB → NHS England region lookup (ICB24CD, ICB24CDH, ICB24NM, NHSER24CD, …)",
            [
                Col("icb", pattern=r"icb\d\dcd"),
                Col("icb_ods", pattern=r"icb\d\dcdh"),
                Col("icb_name", pattern=r"icb\d\dnm"),
                Col("region", pattern=r"nhser\d\dcd"),
                Col("region_name", pattern=r"nhser\d\dnm"),
                Col("sicbl", pattern=r"sicbl\d\dcd", required=False),
                Col("sicbl_ods", pattern=r"sicbl\d\dcdh", required=False),
                Col("sicbl_name", pattern=r"sicbl\d\dnm", required=False),
            ],
            facts={"authoritative": True},
        ),
        Layout(
            "sicbl_icb_nhser_fingertips",
            "Sub-ICB → ICB → NHS region hierarchy (sicbl_code, sicbl_name, icb_code, …)",
            [
                Col("sicbl", ("sicbl_code",)),
                Col("sicbl_name", ("sicbl_name",)),
                Col("icb", ("icb_code",)),
                Col("icb_name", ("icb_name",)),
                Col("region", ("nhser_code",)),
                Col("region_name", ("nhser_name",)),
            ],
            # Names carry Fingertips styling: add what is missing, change nothing.
            facts={"authoritative": False, "year": 0},
        ),
    ]

    def prepare(self) -> None:
        self.icbs, _ = self.code("icb", ICB_CODE)
        self.regions, _ = self.code("region", NHS_REGION_CODE)
        self.sicbls = None
        if self.has("sicbl"):
            self.sicbls, _ = self.code("sicbl", SICBL_CODE)
            self.unique("sicbl", self.sicbls)
        else:
            self.unique("icb", self.icbs)
        self.year = self.fact("year")
        if self.year is None:
            self.year = year_in_header(self.header("icb")) or 0

    def write(self) -> ImportResult:
        authoritative = bool(self.fact("authoritative"))
        merge = replace if authoritative else keep
        region_rows = {}
        for code, name in zip(self.regions, self.text("region_name"), strict=True):
            region_rows[(code,)] = {"name": region_name(name)}
        details = {}
        details["NHS England regions"], region_pks = sync(
            Region, ("code",), region_rows, ["name"], merge=merge
        )
        icb_rows = {}
        ods_given = self.has("icb_ods")
        for code, name, ods, region in zip(
            self.icbs,
            self.text("icb_name"),
            self.text("icb_ods") if ods_given else [""] * len(self.icbs),
            self.regions,
            strict=True,
        ):
            name, suffix = split_ods_suffix(name)
            icb_rows[(code,)] = {
                "name": name,
                "ods_code": ods or suffix,
                "region_id": region_pks[(region,)],
            }
        icb_counts, icb_pks = sync(
            ICB, ("code",), icb_rows, ["name", "ods_code", "region_id"], merge=merge
        )
        if self.sicbls is None:
            return self.result("ICBs", icb_counts, details=details)
        details["ICBs"] = icb_counts
        sicbl_rows = {}
        for code, name, ods, icb in zip(
            self.sicbls,
            self.text("sicbl_name"),
            self.text("sicbl_ods") if self.has("sicbl_ods") else [""] * len(self.sicbls),
            self.icbs,
            strict=True,
        ):
            full_name = name
            _, suffix = split_ods_suffix(name)
            sicbl_rows[(code,)] = {
                "name": full_name,
                "ods_code": ods or suffix,
                "icb_id": icb_pks[(icb,)],
                "year": self.year,
            }
        counts, _ = sync(
            SubICBLocation,
            ("code",),
            sicbl_rows,
            ["name", "ods_code", "icb_id", "year"],
            merge=newer_year if authoritative else keep,
        )
        return self.result("sub-ICB locations", counts, details=details)


# ---------------------------------------------------------------------------------------------
# LAD → ONS region


class LadRegionImporter(Importer):
    kind = "lad_regions"
    label = "Local authority district → region"
    description = "ONS LAD → region lookups (England)."
    layouts = [
        Layout(
            "ons_lad_region",
            "ONS LAD → region lookup (LAD24CD, LAD24NM, RGN24CD, RGN24NM)",
            [
                P(r"lad\d\dcd", key="lad"),
                P(r"lad\d\dnm", key="lad_name"),
                P(r"rgn\d\dcd", key="region"),
                P(r"rgn\d\dnm", key="region_name"),
            ],
        ),
        Layout(
            "geographr_lad_region",
            "LAD → region lookup (ltla24_code, ltla24_name, region24_code, region24_name)",
            [
                P(r"(ltla|lad)\d\d_code", key="lad"),
                P(r"(ltla|lad)\d\d_name", key="lad_name"),
                P(r"region\d\d_code", key="region"),
                P(r"region\d\d_name", key="region_name"),
            ],
        ),
    ]

    def prepare(self) -> None:
        self.lads, welsh = self.code("lad", LAD_CODE, skip=WELSH)
        self.keep_rows = self.skip_rows(welsh, "outside England")
        self.regions, _ = self.code("region", ONS_REGION_CODE, rows=self.keep_rows)
        self.unique("lad", self.lads, rows=self.keep_rows)
        self.year = year_in_header(self.header("lad")) or 0

    def write(self) -> ImportResult:
        kept = self.keep_rows
        region_rows = {
            (code,): {"name": name}
            for code, name in zip(self.regions[kept], self.text("region_name")[kept], strict=True)
        }
        details = {}
        details["ONS regions"], region_pks = sync(OnsRegion, ("code",), region_rows, ["name"])
        rows = {
            (code,): {"name": name, "region_id": region_pks[(region,)], "year": self.year}
            for code, name, region in zip(
                self.lads[kept], self.text("lad_name")[kept], self.regions[kept], strict=True
            )
        }
        counts, _ = sync(
            LocalAuthorityDistrict,
            ("code",),
            rows,
            ["name", "region_id", "year"],
            merge=newer_year,
        )
        return self.result("local authority districts", counts, details=details)


# ---------------------------------------------------------------------------------------------
# LSOA → ward → LAD


class LsoaWardImporter(Importer):
    kind = "lsoa_wards"
    label = "LSOA → ward → local authority district"
    description = "ONS LSOA (2011 or 2021) → electoral ward → LAD best-fit lookups."
    layouts = [
        Layout(
            "ons_lsoa_ward_lad",
            "ONS LSOA → ward → LAD lookup (LSOA11CD, LSOA11NM, WD19CD, WD19NM, LAD19CD, …)",
            [
                P(r"lsoa(11|21)cd", key="lsoa"),
                P(r"lsoa(11|21)nm", key="lsoa_name"),
                P(r"wd\d\dcd", key="ward"),
                P(r"wd\d\dnm", key="ward_name"),
                P(r"lad\d\dcd", key="lad"),
                P(r"lad\d\dnm", key="lad_name"),
            ],
        ),
        Layout(
            "geographr_lsoa_ward_lad",
            "LSOA → ward → LAD lookup (lsoa21_code, lsoa21_name, ward24_code, …)",
            [
                P(r"lsoa(11|21)_code", key="lsoa"),
                P(r"lsoa(11|21)_name", key="lsoa_name"),
                P(r"ward\d\d_code", key="ward"),
                P(r"ward\d\d_name", key="ward_name"),
                P(r"(ltla|lad)\d\d_code", key="lad"),
                P(r"(ltla|lad)\d\d_name", key="lad_name"),
            ],
        ),
    ]

    def prepare(self) -> None:
        self.vintage = year_in_header(self.header("lsoa"))
        self.lsoas, welsh = self.code("lsoa", LSOA_CODE, skip=WELSH)
        self.keep_rows = self.skip_rows(welsh, "outside England")
        self.unique("lsoa", self.lsoas, rows=self.keep_rows)
        self.wards, _ = self.code("ward", WARD_CODE, rows=self.keep_rows)
        self.lads, _ = self.code("lad", LAD_CODE, rows=self.keep_rows)
        self.ward_year = year_in_header(self.header("ward")) or 0
        self.lad_year = year_in_header(self.header("lad")) or 0

    def write(self) -> ImportResult:
        kept = self.keep_rows
        lsoas = self.lsoas[kept]
        wards = self.wards[kept]
        lads = self.lads[kept]
        details = {}
        names = dict(zip(lads, self.text("lad_name")[kept], strict=True))
        details["Local authority districts"], lad_pks = ensure_lads(names, self.lad_year)
        ward_rows = {
            (code,): {"name": name, "lad_id": lad_pks[lad], "year": self.ward_year}
            for code, name, lad in zip(wards, self.text("ward_name")[kept], lads, strict=True)
        }
        details["Wards"], ward_pks = sync(
            Ward, ("code",), ward_rows, ["name", "lad_id", "year"], merge=newer_year
        )
        rows = {
            code: {"name": name, "ward_id": ward_pks[(ward,)], "lad_id": lad_pks[lad]}
            for code, name, ward, lad in zip(
                lsoas, self.text("lsoa_name")[kept], wards, lads, strict=True
            )
        }
        counts, _ = ensure_lsoas(self.vintage, rows, authoritative=True)
        return self.result(f"LSOAs ({self.vintage})", counts, details=details)


# ---------------------------------------------------------------------------------------------
# LSOA 2011 → LSOA 2021


class LsoaLinkImporter(Importer):
    kind = "lsoa_links"
    label = "LSOA 2011 → LSOA 2021 (exact fit, with change codes)"
    description = "ONS LSOA (2011) → LSOA (2021) → LAD exact-fit lookup, change codes U/S/M/X."
    layouts = [
        Layout(
            "ons_lsoa11_lsoa21",
            "ONS exact-fit lookup (LSOA11CD, LSOA11NM, LSOA21CD, LSOA21NM, CHGIND, LAD22CD, …)",
            [
                Col("lsoa11", ("LSOA11CD",)),
                Col("lsoa11_name", ("LSOA11NM",), required=False),
                Col("lsoa21", ("LSOA21CD",)),
                Col("lsoa21_name", ("LSOA21NM",), required=False),
                Col("change", ("CHGIND", "change_code")),
                P(r"lad\d\dcd", key="lad", required=False),
                P(r"lad\d\dnm", key="lad_name", required=False),
            ],
        ),
        Layout(
            "geographr_lsoa11_lsoa21",
            "Exact-fit lookup (lsoa11_code, lsoa11_name, change_code, lsoa21_code, …)",
            [
                Col("lsoa11", ("lsoa11_code",)),
                Col("lsoa11_name", ("lsoa11_name",), required=False),
                Col("lsoa21", ("lsoa21_code",)),
                Col("lsoa21_name", ("lsoa21_name",), required=False),
                Col("change", ("change_code",)),
                P(r"(ltla|lad)\d\d_code", key="lad", required=False),
                P(r"(ltla|lad)\d\d_name", key="lad_name", required=False),
            ],
        ),
    ]

    def prepare(self) -> None:
        self.old, welsh11 = self.code("lsoa11", LSOA_CODE, skip=WELSH)
        self.new, welsh21 = self.code("lsoa21", LSOA_CODE, skip=WELSH)
        self.keep_rows = self.skip_rows(welsh11 | welsh21, "outside England")
        changes = self.text("change").str.upper()
        bad = ~changes.isin(list(LSOALink.Change.values)) & self.keep_rows
        for index, value in changes[bad].items():
            self.issues.add(
                self.row_number(index),
                self.header("change"),
                f"'{value or '(blank)'}' is not a change code (U, S, M or X)",
            )
        self.changes = changes
        pairs = self.old + ">" + self.new
        dup = pairs[self.keep_rows & pairs.duplicated(keep=False)]
        for _pair, group in dup.groupby(dup, sort=False):
            numbers = [str(self.row_number(i)) for i in group.index]
            rows = ", ".join(numbers[:-1]) + " and " + numbers[-1]
            self.issues.add(
                self.row_number(group.index[0]),
                self.header("lsoa21"),
                f"the link {self.old[group.index[0]]} → {self.new[group.index[0]]} appears "
                f"more than once (rows {rows})",
            )
        if self.has("lad"):
            self.lads, _ = self.code("lad", LAD_CODE, rows=self.keep_rows)

    def write(self) -> ImportResult:
        kept = self.keep_rows
        details = {}
        lad_pks = {}
        lads = self.lads[kept] if self.has("lad") else None
        if lads is not None:
            names = dict(zip(lads, self.text("lad_name")[kept], strict=True))
            year = year_in_header(self.header("lad")) or 0
            details["Local authority districts"], lad_pks = ensure_lads(names, year)
        lads = list(lads) if lads is not None else None
        pks = {}
        for vintage, codes, name_key in (
            (2011, self.old, "lsoa11_name"),
            (2021, self.new, "lsoa21_name"),
        ):
            rows = {}
            for i, (code, name) in enumerate(
                zip(codes[kept], self.text(name_key)[kept], strict=True)
            ):
                values = {"name": name} if name else {}
                if lads is not None:
                    values["lad_id"] = lad_pks.get(lads[i])
                rows[code] = values
            details[f"LSOAs ({vintage})"], pks[vintage] = ensure_lsoas(vintage, rows)
        links = {
            (pks[2011][old], pks[2021][new]): {"change": change}
            for old, new, change in zip(
                self.old[kept], self.new[kept], self.changes[kept], strict=True
            )
        }
        counts, _ = sync(
            LSOALink,
            ("lsoa11_id", "lsoa21_id"),
            links,
            ["change"],
            queryset=LSOALink.objects.filter(lsoa11__vintage=2011),
        )
        # The lookup is definitive for the 2011 LSOAs it lists: drop links it no longer has.
        olds = {k[0] for k in links}
        stale = [
            pk
            for pk, a, b in LSOALink.objects.values_list("pk", "lsoa11_id", "lsoa21_id")
            if a in olds and (a, b) not in links
        ]
        for start in range(0, len(stale), 500):
            LSOALink.objects.filter(pk__in=stale[start : start + 500]).delete()
        counts.deleted = len(stale)
        tally = defaultdict(set)
        for old, change in zip(self.old[kept], self.changes[kept], strict=True):
            tally[change].add(old)
        notes = [
            "2011 LSOAs by change code: "
            + ", ".join(f"{c} {len(tally[c]):,}" for c in "USMX" if c in tally)
        ]
        return self.result("LSOA 2011 → 2021 links", counts, details=details, notes=notes)


# ---------------------------------------------------------------------------------------------
# LSOA → sub-ICB location → ICB, with effective dates


def default_valid_from(year: int) -> date:
    """ICBs were established on 1 July 2022; later NHS boundary changes take effect on
    1 April."""
    return date(2022, 7, 1) if year == 2022 else date(year, 4, 1)


class LsoaHealthImporter(Importer):
    kind = "lsoa_icbs"
    label = "LSOA → sub-ICB location → ICB (dated)"
    description = (
        "ONS LSOA → sub-ICB location → ICB lookups. Each edition takes effect on its date "
        "(1 July 2022; 1 April of later years; or the date given) and ends the memberships "
        "it replaces."
    )
    layouts = [
        Layout(
            "ons_lsoa_sicbl_icb",
            "ONS LSOA → sub-ICB → ICB lookup (LSOA21CD, SICBL24CD, SICBL24CDH, SICBL24NM, "
            "ICB24CD, …)",
            [
                P(r"lsoa(11|21)cd", key="lsoa"),
                P(r"lsoa(11|21)nm", key="lsoa_name", required=False),
                P(r"sicbl\d\dcd", key="sicbl"),
                P(r"sicbl\d\dcdh", key="sicbl_ods"),
                P(r"sicbl\d\dnm", key="sicbl_name"),
                P(r"icb\d\dcd", key="icb"),
                P(r"icb\d\dcdh", key="icb_ods"),
                P(r"icb\d\dnm", key="icb_name"),
                P(r"nhser\d\dcd", key="region", required=False),
                P(r"nhser\d\dnm", key="region_name", required=False),
                P(r"lad\d\dcd", key="lad", required=False),
                P(r"lad\d\dnm", key="lad_name", required=False),
            ],
        ),
        Layout(
            "geographr_lsoa_sicbl_icb",
            "LSOA → sub-ICB → ICB lookup (lsoa21_code, sicbl24_code, sicbl24_code_nhs, …)",
            [
                P(r"lsoa(11|21)_code", key="lsoa"),
                P(r"lsoa(11|21)_name", key="lsoa_name", required=False),
                P(r"sicbl\d\d_code", key="sicbl"),
                P(r"sicbl\d\d_code_(nhs|h)", key="sicbl_ods"),
                P(r"sicbl\d\d_name", key="sicbl_name"),
                P(r"icb\d\d_code", key="icb"),
                P(r"icb\d\d_code_(nhs|h)", key="icb_ods"),
                P(r"icb\d\d_name", key="icb_name"),
                P(r"(ltla|lad)\d\d_code", key="lad", required=False),
                P(r"(ltla|lad)\d\d_name", key="lad_name", required=False),
            ],
        ),
    ]

    def prepare(self) -> None:
        self.vintage = year_in_header(self.header("lsoa"))
        self.year = year_in_header(self.header("sicbl")) or 0
        valid_from = self.fact("valid_from")
        if isinstance(valid_from, str):
            valid_from = date.fromisoformat(valid_from)
        self.valid_from = valid_from or default_valid_from(self.year)
        self.lsoas, _ = self.code("lsoa", LSOA_CODE)
        self.unique("lsoa", self.lsoas)
        self.sicbls, _ = self.code("sicbl", SICBL_CODE)
        self.icbs, _ = self.code("icb", ICB_CODE)
        self.regions = None
        if self.has("region"):
            self.regions, _ = self.code("region", NHS_REGION_CODE)
        if self.has("lad"):
            self.lads, _ = self.code("lad", LAD_CODE)
        # A sub-ICB location is in one ICB.
        pairs = (self.sicbls + ">" + self.icbs).drop_duplicates()
        clash = pairs.str.split(">").str[0]
        for index in clash[clash.duplicated()].index:
            self.issues.add(
                self.row_number(index),
                self.header("icb"),
                f"sub-ICB location {self.sicbls[index]} is given more than one ICB",
            )
        known = set(ICB.objects.values_list("code", flat=True))
        if self.regions is None:
            unknown = ~self.icbs.isin(list(known))
            for code, group in self.icbs[unknown].groupby(self.icbs[unknown], sort=False):
                self.issues.add(
                    self.row_number(group.index[0]),
                    self.header("icb"),
                    f"ICB {code} is not known: load the ICB → NHS England region list "
                    "(NHS regions, ICBs and sub-ICB locations) first",
                )

    def write(self) -> ImportResult:
        details = {}
        icb_pks = dict(ICB.objects.values_list("code", "pk"))
        if self.regions is not None:
            region_rows = {
                (code,): {"name": region_name(name)}
                for code, name in zip(self.regions, self.text("region_name"), strict=True)
            }
            details["NHS England regions"], region_pks = sync(
                Region, ("code",), region_rows, ["name"], merge=keep
            )
            icb_rows = {
                (code,): {"name": name, "ods_code": ods, "region_id": region_pks[(region,)]}
                for code, name, ods, region in zip(
                    self.icbs,
                    self.text("icb_name"),
                    self.text("icb_ods"),
                    self.regions,
                    strict=True,
                )
            }
            details["ICBs"], pks = sync(
                ICB, ("code",), icb_rows, ["name", "ods_code", "region_id"], merge=keep
            )
            icb_pks.update({k[0]: v for k, v in pks.items()})
        sicbl_rows = {
            (code,): {"name": name, "ods_code": ods, "icb_id": icb_pks[icb], "year": self.year}
            for code, name, ods, icb in zip(
                self.sicbls,
                self.text("sicbl_name"),
                self.text("sicbl_ods"),
                self.icbs,
                strict=True,
            )
        }
        details["Sub-ICB locations"], sicbl_pks = sync(
            SubICBLocation,
            ("code",),
            sicbl_rows,
            ["name", "ods_code", "icb_id", "year"],
            merge=newer_year,
        )
        lad_pks = {}
        if self.has("lad"):
            names = dict(zip(self.lads, self.text("lad_name"), strict=True))
            year = year_in_header(self.header("lad")) or 0
            details["Local authority districts"], lad_pks = ensure_lads(names, year)
        lsoa_rows = {}
        lads = list(self.lads) if lad_pks else None
        for i, (code, name) in enumerate(zip(self.lsoas, self.text("lsoa_name"), strict=True)):
            values = {"name": name} if name else {}
            if lads is not None:
                values["lad_id"] = lad_pks.get(lads[i])
            lsoa_rows[code] = values
        details[f"LSOAs ({self.vintage})"], lsoa_pks = ensure_lsoas(self.vintage, lsoa_rows)
        wanted = {
            lsoa_pks[code]: (sicbl_pks[(sicbl,)], icb_pks[icb])
            for code, sicbl, icb in zip(self.lsoas, self.sicbls, self.icbs, strict=True)
        }
        counts, closed = apply_memberships(wanted, self.valid_from, self.file)
        when = f"{self.valid_from.day} {self.valid_from:%B %Y}"
        notes = [f"Memberships take effect on {when}."]
        if closed:
            notes.append(f"{closed:,} earlier memberships ended on {when}.")
        return self.result(
            f"LSOA ({self.vintage}) sub-ICB and ICB memberships",
            counts,
            details=details,
            notes=notes,
        )


def apply_memberships(
    wanted: dict[int, tuple[int, int]], valid_from: date, source: str
) -> tuple[Counts, int]:
    """Record that each LSOA (pk) is in (sub-ICB pk, ICB pk) from ``valid_from``: create or
    correct the membership starting that day, end the one before it on that day, and end the
    new one where a later membership already starts. Returns (counts, memberships ended)."""
    by_lsoa: dict[int, list[tuple]] = defaultdict(list)
    fields = ("pk", "lsoa_id", "valid_from", "valid_to", "sub_icb_id", "icb_id")
    # All memberships, not filter(lsoa_id__in=…): a national file names more LSOAs than
    # SQLite allows parameters in one query.
    for row in LSOAHealthMembership.objects.values_list(*fields).iterator(chunk_size=20_000):
        if row[1] in wanted:
            by_lsoa[row[1]].append(row)
    counts = Counts()
    to_create = []
    to_update = []  # (pk, sub_icb_id, icb_id, valid_to, source)
    to_close = []  # (pk, valid_to)
    for lsoa_id, (sub_icb_id, icb_id) in wanted.items():
        rows = sorted(by_lsoa.get(lsoa_id, []), key=lambda r: r[2])
        same = next((r for r in rows if r[2] == valid_from), None)
        later = [r[2] for r in rows if r[2] > valid_from]
        valid_to = min(later) if later else None
        if same is not None:
            if (same[4], same[5], same[3]) == (sub_icb_id, icb_id, valid_to):
                counts.unchanged += 1
            else:
                to_update.append((same[0], sub_icb_id, icb_id, valid_to, source))
                counts.updated += 1
        else:
            to_create.append(
                {
                    "lsoa_id": lsoa_id,
                    "sub_icb_id": sub_icb_id,
                    "icb_id": icb_id,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "source": source,
                }
            )
            counts.created += 1
        earlier = [r for r in rows if r[2] < valid_from]
        if earlier:
            prior = earlier[-1]
            if prior[3] is None or prior[3] > valid_from:
                to_close.append((prior[0], valid_from))
    fast_insert(LSOAHealthMembership, to_create)
    fast_update(LSOAHealthMembership, ["sub_icb_id", "icb_id", "valid_to", "source"], to_update)
    fast_update(LSOAHealthMembership, ["valid_to"], to_close)
    return counts, len(to_close)


def lsoas_without_icb(vintage: int, when: date):
    """English LSOAs of ``vintage`` with no ICB membership in force on ``when``."""
    covered = LSOAHealthMembership.objects.on(when).values("lsoa_id")
    return LSOA.objects.filter(vintage=vintage).exclude(pk__in=covered)
