"""Open data: the protected counts of a site's latest published packs, one row per count,
as CSV and JSON (the same rows, the same schema, documented on the page and in the API)."""

from __future__ import annotations

import csv
import io

from core20.datapacks.disclosure import iter_counts
from core20.datapacks.models import DataPack

# Field, type, description: shown on the open-data page and used for the API's schema.
SCHEMA: list[tuple[str, str, str]] = [
    ("site", "string", "The site's short name in addresses (its slug)"),
    (
        "area_code",
        "string",
        "ONS code of the target ward, or of the ward or local authority district whose target "
        "areas the pack is for; empty for all the site's target areas",
    ),
    (
        "area_name",
        "string",
        "The ward's name, “Target areas in” the ward or district, or “All target areas”",
    ),
    ("pack_version", "integer", "The data pack version the figures come from"),
    ("published_at", "string", "When that version was published (ISO 8601, UTC)"),
    ("section", "string", "The pack section: places, clinical or insights"),
    (
        "measure",
        "string",
        "What is counted: people_by_deprivation_decile; people_counted_by_indicator (each "
        "indicator's numerator, latest period); people_heard_by_insight_kind (people whose "
        "views make up the site's published insights)",
    ),
    (
        "category",
        "string",
        "The row: a national deprivation decile (1 = most deprived), a kind of insight "
        "(Barrier, Enabler, Idea, Experience), an indicator, or Total",
    ),
    ("value", "integer or null", "The protected count, rounded to the nearest 5; null if hidden"),
    (
        "status",
        "string",
        "How the count was protected: “rounded to nearest 5”, “primary: count 1-7” (hidden), "
        "“secondary: …” (hidden so a hidden count cannot be worked out), or “unchanged” (0)",
    ),
]
FIELDS = [name for name, _type, _desc in SCHEMA]
MEASURES = {
    ("places", "deciles"): "people_by_deprivation_decile",
    ("insights", "voices"): "people_heard_by_insight_kind",
    ("clinical", "indicators"): "people_counted_by_indicator",
}

LICENCE = (
    "Our figures are released under the Open Government Licence v3.0. They are worked out "
    "from the English Indices of Deprivation (Ministry of Housing, Communities and Local "
    "Government) and population estimates and geography lookups (Office for National "
    "Statistics). Contains public sector information licensed under the Open Government "
    "Licence v3.0. Contains National Statistics data © Crown copyright and database right."
)
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def latest_published(site) -> list[DataPack]:
    """The newest published version of each of the site's packs (site-wide first, then
    wards by name)."""
    latest: dict[str, DataPack] = {}
    for pack in DataPack.objects.filter(site=site, status=DataPack.Status.PUBLISHED).order_by(
        "area_code", "-version"
    ):
        latest.setdefault(pack.area_code, pack)
    return sorted(latest.values(), key=lambda p: (p.area_code != "", p.area_name, p.area_code))


def rows(site, packs: list[DataPack] | None = None) -> list[dict]:
    out = []
    for pack in latest_published(site) if packs is None else packs:
        for section, table, category, column, value, status in iter_counts(pack.content):
            out.append(
                {
                    "site": site.slug,
                    "area_code": pack.area_code,
                    "area_name": pack.area_label,
                    "pack_version": pack.version,
                    "published_at": pack.published_at.isoformat() if pack.published_at else "",
                    "section": section,
                    "measure": MEASURES.get((section, table), f"{table}_{column}"),
                    "category": category,
                    "value": value,
                    "status": status,
                }
            )
    return out


def as_csv(data: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({k: "" if row[k] is None else row[k] for k in FIELDS})
    return buffer.getvalue()
