"""Places: look up postcodes and codes (one, or up to 100,000 at once), and a site's
deprivation profile. Open to anonymous callers, like the lookup page; a ``site`` parameter
must name a site the caller may see."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from core20.api.auth import effective_user
from core20.api.errors import NotFound
from core20.api.schemas import responses
from core20.places import target_areas
from core20.places.lookup.cache import get_lookup_table
from core20.places.lookup.resolve import resolve, resolve_one
from core20.places.models import DEFAULT_EDITION, deprivation_edition_for
from core20.programme.queries import visible_sites

router = Router(tags=["Places"])

MAX_BULK = 100_000
MAX_QUERY_LENGTH = 100

STATUS_HELP = (
    "ok; terminated (a terminated postcode or closed practice: the figures are for where it "
    "was); unlocated (a known practice whose postcode is not loaded); not_found (shaped like "
    "a code, but unknown); invalid (not a postcode or code)"
)


class LookupResult(Schema):
    query: str | None = Field(description="The query as sent")
    status: str = Field(description=STATUS_HELP)
    query_type: str | None = Field(description="postcode, lsoa, ward, lad or practice")
    name: str | None = Field(description="The area's or practice's name")
    postcode: str | None = Field(description="The postcode, as displayed (TF1 1AA)")
    edition: str = Field(description="The edition `core20` and `lsoa` follow (imd2019 or iod2025)")
    lsoa: str | None = Field(description="The LSOA of that edition's vintage, where there is one")
    core20: bool | None = Field(
        description="In national deciles 1-2 of `edition`; null where the LSOAs differ"
    )
    lsoa11: str | None
    lsoa21: str | None
    lsoa11_candidates: list[str] | None = Field(description="Every LSOA 2011 it stands for")
    lsoa21_candidates: list[str] | None = Field(description="Every LSOA 2021 it stands for")
    ward: str | None
    ward_name: str | None
    lad: str | None
    lad_name: str | None
    icb: str | None
    icb_name: str | None
    region: str | None = Field(description="NHS England region (E40…)")
    region_name: str | None
    imd2019_decile: int | None
    imd2019_rank: int | None
    imd2019_deciles: list[int] | None = Field(description="Every IMD 2019 decile among its LSOAs")
    core20_imd2019: bool | None
    iod2025_decile: int | None
    iod2025_rank: int | None
    iod2025_deciles: list[int] | None = Field(description="Every IoD 2025 decile among its LSOAs")
    core20_iod2025: bool | None
    notes: str | None = Field(description="Why a figure is missing or has several values")


class LookupIn(Schema):
    q: str = Field(
        max_length=MAX_QUERY_LENGTH,
        description="A postcode (any spacing or case), LSOA, ward, LAD or GP practice code",
    )
    site: str | None = Field(
        None, description="A site's slug: `core20` then follows that site's edition"
    )


class BulkLookupIn(Schema):
    queries: list[str | None] = Field(
        min_length=1,
        max_length=MAX_BULK,
        description=f"Postcodes or codes, 1 to {MAX_BULK:,}; the answers come back in order",
    )
    site: str | None = Field(
        None, description="A site's slug: `core20` then follows that site's edition"
    )


class BulkLookupOut(Schema):
    edition: str
    count: int
    items: list[LookupResult]


def _edition(request, site_slug: str | None, location: str) -> str:
    if not site_slug:
        return DEFAULT_EDITION
    site = visible_sites(effective_user(request)).filter(slug=site_slug).first()
    if site is None:
        raise ValidationError(
            [{"loc": (location, "site"), "msg": f"No site '{site_slug}' that you can see"}]
        )
    return deprivation_edition_for(site).code


@router.get(
    "/places/lookup",
    response=responses(LookupResult),
    summary="Look up a postcode or code",
)
def lookup(request, params: Query[LookupIn]):
    """Where a postcode, LSOA, ward, local authority district or GP practice is, with its
    IMD 2019 and IoD 2025 deciles and whether it is Core20. Postcodes are in the loaded
    ONS postcode directory (LSOA 2011); IoD 2025 figures and the ICB come through the LSOA
    2011 → 2021 lookup. Where several LSOAs are involved (a split LSOA, a ward) a decile is
    given only if they agree; `<edition>_deciles` lists them all and `notes` explains. An
    unknown or malformed query is answered with its status, not an error."""
    edition = _edition(request, params.site, "query")
    return resolve_one(get_lookup_table(), params.q, edition=edition)


@router.post(
    "/places/lookup",
    response=responses(BulkLookupOut),
    summary="Look up many postcodes or codes",
)
def bulk_lookup(request, payload: BulkLookupIn):
    """Up to 100,000 queries at once, answered in one pass: `items` has one answer per
    query, in the order sent, each with its `status` — nothing is dropped. Send JSON
    `{"queries": ["TF1 1AA", "E01014145", ...]}`; add `"site": "<slug>"` for that site's
    edition. More than 100,000 queries, or a query that is not text, is a 422 with field
    messages."""
    too_long = [
        {
            "loc": ("body", "payload", "queries", i),
            "msg": f"Must be {MAX_QUERY_LENGTH} characters or fewer",
        }
        for i, q in enumerate(payload.queries)
        if q is not None and len(q) > MAX_QUERY_LENGTH
    ][:20]
    if too_long:
        raise ValidationError(too_long)
    edition = _edition(request, payload.site, "body")
    items = resolve(get_lookup_table(), payload.queries, edition=edition).to_pylist()
    body = json.dumps(
        {"edition": edition, "count": len(items), "items": items},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
    return HttpResponse(body, content_type="application/json; charset=utf-8")


class DecileOut(Schema):
    decile: int
    lsoas: int
    population: int
    share: float | None
    national_share: float | None


class TargetAreaOut(Schema):
    code: str
    name: str
    kind: str
    lsoas: int
    deciles: list[int]
    population: int
    core20_share: float | None


class SiteProfileOut(Schema):
    site: str
    edition: str
    edition_name: str
    decile_method: str
    population: int | None
    population_source: str | None
    core20_population: int | None
    core20_share: float | None
    national_core20_share: float | None
    weighted_score: float | None
    weighted_score_note: str | None
    weighted_rank: float | None
    summary: str
    deciles: list[DecileOut]
    target_areas: list[TargetAreaOut]


@router.get(
    "/places/sites/{slug}/profile",
    response=responses(SiteProfileOut, not_found=True),
    summary="A site's target areas and their deprivation",
)
def site_profile(request, slug: str):
    """The figures on the site's places page: population, share in Core20 neighbourhoods,
    the population by national decile of the site's edition, and each target area's deciles.
    An unknown site and one you may not see are both 404."""
    site = visible_sites(effective_user(request)).filter(slug=slug).first()
    if site is None:
        raise NotFound("site", slug)
    profile = target_areas.site_profile(site)
    figures = profile.figures
    return {
        "site": site.slug,
        "edition": profile.edition.code,
        "edition_name": profile.edition.short_name,
        "decile_method": figures.method if figures else "national",
        "population": figures.population if figures else None,
        "population_source": figures.population_source if figures else None,
        "core20_population": figures.core20_population if figures else None,
        "core20_share": figures.core20_share if figures else None,
        "national_core20_share": profile.national.core20_share if profile.national else None,
        "weighted_score": figures.weighted_score if figures else None,
        "weighted_score_note": figures.weighted_score_note if figures else None,
        "weighted_rank": figures.weighted_rank if figures else None,
        "summary": profile.summary,
        "deciles": profile.decile_table,
        "target_areas": [
            {
                "code": row.area.code,
                "name": row.area.name,
                "kind": row.area.kind,
                "lsoas": row.lsoas,
                "deciles": row.deciles,
                "population": row.population,
                "core20_share": row.core20_share,
            }
            for row in profile.areas
        ],
    }
