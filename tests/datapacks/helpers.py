"""Building data packs for tests."""

from django.utils import timezone

from core20.datapacks.disclosure import ROUNDING, THRESHOLD, protect_rows
from core20.datapacks.models import DataPack
from core20.places.models_targets import SiteTargetArea


def choose(site, *codes, kind=SiteTargetArea.Kind.WARD, names=None):
    for code in codes:
        SiteTargetArea.objects.create(
            site=site, code=code, kind=kind, name=(names or {}).get(code, code)
        )


def places_content(site, counts: dict[int, int], *, area_code: str = "") -> dict:
    """Pack content with a places section whose decile counts are protected as the
    generator protects them (England: 10% in each decile)."""
    rows = [{"category": str(d), "people": n} for d, n in sorted(counts.items())]
    return {
        "sections": [
            {
                "key": "places",
                "available": True,
                "tables": [
                    {
                        "key": "deciles",
                        "dimension": "decile",
                        "counts": ["people"],
                        "rows": protect_rows(rows, counts=["people"]),
                    }
                ],
                "data": {
                    "edition": "imd2019",
                    "edition_name": "IMD 2019",
                    "population_source": "test population",
                    "areas": [],
                    "national_decile_shares": {str(d): 0.1 for d in range(1, 11)},
                    "national_core20_share": 0.2,
                    "core20_deciles": [1, 2],
                },
            },
            {"key": "clinical", "available": False, "reason": "not-yet", "tables": []},
            {"key": "insights", "available": False, "reason": "not-yet", "tables": []},
            {"key": "involved", "available": True, "tables": [], "data": {"contact": ""}},
        ],
        "threshold": THRESHOLD,
        "rounding": ROUNDING,
        "site": {"name": site.name, "slug": site.slug},
        "area": {"code": area_code, "name": ""},
    }


def make_pack(site, *, status=DataPack.Status.READY, version=None, counts=None, **kwargs):
    counts = counts or {1: 1000, 2: 2000, 7: 1500, 10: 500}
    if version is None:
        version = DataPack.objects.filter(site=site, area_code="").count() + 1
    now = timezone.now()
    return DataPack.objects.create(
        site=site,
        version=version,
        status=status,
        content=places_content(site, counts),
        generated_at=now,
        published_at=now if status == DataPack.Status.PUBLISHED else None,
        steps_done=4,
        steps_total=4,
        **kwargs,
    )
