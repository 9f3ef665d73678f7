"""Steps several importers share: making sure the LADs and LSOAs a file names exist."""

from __future__ import annotations

import re

from core20.places.importers.base import Counts, keep, newer_year, replace, sync
from core20.places.models import LSOA, LocalAuthorityDistrict


def year_in_header(header: str) -> int | None:
    """The two-digit year in a year-coded header: LSOA21CD → 2021, ward24_code → 2024,
    'Local Authority District code (2019)' → 2019."""
    text = header.strip().lower()
    m = re.search(r"\((\d{4})\)", text)
    if m:
        return int(m.group(1))
    m = re.search(r"[a-z](\d\d)(?:_|cd|nm|$)", text)
    return 2000 + int(m.group(1)) if m else None


def ensure_lads(names: dict[str, str], year: int) -> tuple[Counts, dict[str, int]]:
    """Create the districts not yet known; rename ones last named by an older lookup."""
    rows = {(code,): {"name": name, "year": year} for code, name in names.items() if code}
    counts, pks = sync(LocalAuthorityDistrict, ("code",), rows, ["name", "year"], merge=newer_year)
    return counts, {k[0]: v for k, v in pks.items()}


def ensure_lsoas(
    vintage: int, rows: dict[str, dict], *, authoritative: bool = False
) -> tuple[Counts, dict[str, int]]:
    """{code: {"name": …, "lad_id": …, "ward_id": …}} → {code: LSOA pk}. Only the ward
    lookups (``authoritative``) change an existing LSOA; other files add the LSOAs they name
    and leave existing ones as they are."""
    fields = sorted({f for values in rows.values() for f in values})
    counts, pks = sync(
        LSOA,
        ("code",),
        {(code,): values for code, values in rows.items()},
        fields,
        merge=replace if authoritative else keep,
        queryset=LSOA.objects.filter(vintage=vintage),
        create_with={"vintage": vintage},
    )
    return counts, {k[0]: v for k, v in pks.items()}
