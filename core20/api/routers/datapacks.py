"""Community data packs and open data: a site's published packs and its open data (the
protected counts of its latest published packs, the same rows as the CSV and JSON on the
open-data page). Open to anonymous callers for sites they may see; drafts never appear."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from core20.api.auth import effective_user
from core20.api.errors import NotFound
from core20.api.schemas import responses
from core20.datapacks import opendata
from core20.datapacks.models import DataPack
from core20.programme.queries import visible_sites

router = Router(tags=["Community data packs and open data"])

_DESCRIPTIONS = {name: description for name, _type, description in opendata.SCHEMA}


class OpenDataRow(Schema):
    site: str = Field(description=_DESCRIPTIONS["site"])
    area_code: str = Field(description=_DESCRIPTIONS["area_code"])
    area_name: str = Field(description=_DESCRIPTIONS["area_name"])
    pack_version: int = Field(description=_DESCRIPTIONS["pack_version"])
    published_at: str = Field(description=_DESCRIPTIONS["published_at"])
    section: str = Field(description=_DESCRIPTIONS["section"])
    measure: str = Field(description=_DESCRIPTIONS["measure"])
    category: str = Field(description=_DESCRIPTIONS["category"])
    value: int | None = Field(description=_DESCRIPTIONS["value"])
    status: str = Field(description=_DESCRIPTIONS["status"])


class OpenDataOut(Schema):
    site: str
    licence: str = Field(description="Licence and attribution for these figures")
    licence_url: str
    rows: list[OpenDataRow]


class PackOut(Schema):
    id: int
    area_code: str = Field(description="The target ward's code; empty for the whole site")
    area_name: str
    version: int
    published_at: datetime | None
    page: str = Field(description="The pack's page (add ?lang=ur or ?lang=pl)")
    pdf: str = Field(description="The pack as a PDF (add ?lang=ur or ?lang=pl)")


def _site(request, slug: str):
    site = visible_sites(effective_user(request)).filter(slug=slug).first()
    if site is None:
        raise NotFound("site", slug)
    return site


@router.get(
    "/data-packs/sites/{slug}/open-data",
    response=responses(OpenDataOut, not_found=True),
    summary="A site's open data",
)
def site_open_data(request, slug: str):
    """The protected counts of the site's latest published data packs, one row per count:
    counts 1-7 and counts that would reveal them are null, the rest rounded to the nearest
    5 (``status`` says which). Licensed under the Open Government Licence v3.0."""
    site = _site(request, slug)
    return {
        "site": site.slug,
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "rows": opendata.rows(site),
    }


@router.get(
    "/data-packs/sites/{slug}/packs",
    response=responses(list[PackOut], not_found=True),
    summary="A site's published data packs",
)
def site_packs(request, slug: str):
    """Every published version of the site's packs, newest first for each area."""
    site = _site(request, slug)
    packs = DataPack.objects.filter(site=site, status=DataPack.Status.PUBLISHED).order_by(
        "area_code", "-version"
    )
    base = f"/data-packs/{site.slug}/packs"
    return [
        {
            "id": p.pk,
            "area_code": p.area_code,
            "area_name": p.area_label,
            "version": p.version,
            "published_at": p.published_at,
            "page": f"{base}/{p.pk}/",
            "pdf": f"{base}/{p.pk}/pdf/",
        }
        for p in packs
    ]
