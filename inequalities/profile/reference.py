"""Build the LSOA (2011) -> deprivation and geography lookup a profile joins to.

From the published files (see data/reference/MANIFEST.md or the shared data folder):

* IoD 2019 File 2 (MHCLG): IMD rank and decile per LSOA 2011 (1 = most deprived);
* ONS LSOA 2011 -> Sub-ICB location -> ICB (2022) lookup (the NHS geography);
* FingertipsNext-derived Sub-ICB -> NHS England region (2022/23 codes);
* ONS LSOA 2011 -> LSOA 2021 (exact fit), LSOA 2021 -> LAD 2024, LAD 2024 -> region 2024.

The result has one row per English LSOA 2011 (32,844) with the columns
``lsoa, lsoa_name, imd_rank, imd_decile, core20, lad, lad_name, icb, icb_name, nhs_region,
nhs_region_name, region, region_name``. LAD and region are 2024 geography (reached through
the best-fit LSOA 2021, so that every LAD nests in its region after the 2023 mergers); ICB and
NHS region are the July 2022 geography that the ICB lookup carries. An LSOA 2011 takes the
LAD 2024 of its LSOA 2021 successors (the most common one where they differ, which only
happens for the few irregular "X" changes). ``core20`` is 1 for IMD
deciles 1 and 2 (the most deprived 20% of LSOAs nationally), else 0.
"""

from pathlib import Path

import pandas as pd

from inequalities.errors import InputError

FILES = {
    "imd": "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
    "icb": "lsoa11_sicbl22_icb22_lad22_EN.csv.gz",
    "nhs_region": "sicbl_icb_nhser_from_fingertipsnext.csv",
    "lsoa21": "lsoa11_lsoa21_lad22_exact_EW.csv.gz",
    "lad24": "lsoa21_ward24_lad24_EW.csv.gz",
    "region": "lad24_region24_EN.csv",
}


def find_reference_file(name: str, roots: list[Path]) -> Path:
    """The first file called ``name`` (or ``name`` gzipped, or ``name`` without .gz) under
    any of ``roots``, searched in order and recursively."""
    stem = name.removesuffix(".gz")
    names = [name, *(n for n in (stem, f"{stem}.gz") if n != name)]
    for root in roots:
        if not root.is_dir():
            continue
        for candidate in names:
            direct = root / candidate
            if direct.is_file():
                return direct
            for found in sorted(root.rglob(candidate)):
                if found.is_file():
                    return found
    shown = ", ".join(str(r) for r in roots)
    raise InputError(f"Reference file {name!r} was not found under {shown}.")


def build_lsoa11_lookup(roots: list[Path]) -> pd.DataFrame:
    """The LSOA 2011 lookup described in the module docstring, from files under ``roots``."""
    paths = {key: find_reference_file(name, roots) for key, name in FILES.items()}
    imd = pd.read_csv(paths["imd"], encoding="utf-8-sig", usecols=[0, 1, 4, 5])
    imd.columns = ["lsoa", "lsoa_name", "imd_rank", "imd_decile"]
    icb = pd.read_csv(
        paths["icb"], usecols=["lsoa11_code", "sicbl22_code", "icb22_code", "icb22_name"]
    )
    regions_nhs = pd.read_csv(
        paths["nhs_region"], usecols=["sicbl_code", "nhser_code", "nhser_name"]
    )
    successors = pd.read_csv(paths["lsoa21"], usecols=["lsoa11_code", "lsoa21_code"])
    lad24 = pd.read_csv(paths["lad24"], usecols=["lsoa21_code", "ltla24_code", "ltla24_name"])
    lad24 = lad24.drop_duplicates("lsoa21_code")
    # Each LSOA 2011's LAD 2024: that of its LSOA 2021 successors, the most common if several.
    lad11 = successors.merge(lad24, on="lsoa21_code", how="inner")
    lad11 = (
        lad11.groupby(["lsoa11_code", "ltla24_code", "ltla24_name"], as_index=False)
        .size()
        .sort_values(["lsoa11_code", "size", "ltla24_code"], ascending=[True, False, True])
        .drop_duplicates("lsoa11_code")
        .drop(columns="size")
    )
    region = pd.read_csv(paths["region"], usecols=["ltla24_code", "region24_code", "region24_name"])

    out = imd.merge(icb, left_on="lsoa", right_on="lsoa11_code", how="left")
    out = out.drop(columns="lsoa11_code")
    out = out.merge(regions_nhs, left_on="sicbl22_code", right_on="sicbl_code", how="left")
    out = out.merge(lad11, left_on="lsoa", right_on="lsoa11_code", how="left")
    out = out.merge(region, on="ltla24_code", how="left")
    out["core20"] = (out["imd_decile"] <= 2).astype("int8")
    out = out.rename(
        columns={
            "ltla24_code": "lad",
            "ltla24_name": "lad_name",
            "icb22_code": "icb",
            "icb22_name": "icb_name",
            "nhser_code": "nhs_region",
            "nhser_name": "nhs_region_name",
            "region24_code": "region",
            "region24_name": "region_name",
        }
    )
    columns = [
        "lsoa", "lsoa_name", "imd_rank", "imd_decile", "core20", "lad", "lad_name",
        "icb", "icb_name", "nhs_region", "nhs_region_name", "region", "region_name",
    ]  # fmt: skip
    out = out[columns].sort_values("lsoa", ignore_index=True)
    incomplete = out[columns].isna().any(axis=1)
    if incomplete.any():
        examples = ", ".join(out.loc[incomplete, "lsoa"].head(3))
        raise InputError(
            f"{int(incomplete.sum())} LSOAs did not match every reference file (e.g. {examples})."
        )
    return out
