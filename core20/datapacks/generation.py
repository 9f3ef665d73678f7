"""Generating a pack in the background (the pattern of core20.places.runs): the pack row
records status, progress (sections done of sections to do) and errors, and the pack's page
polls it for a progress bar while the task works."""

from __future__ import annotations

import logging

from django.utils import timezone

from core20.datapacks.areas import find_area, site_lsoas
from core20.datapacks.disclosure import ROUNDING, THRESHOLD
from core20.datapacks.models import DataPack
from core20.datapacks.sections import SECTIONS, involved_section

logger = logging.getLogger(__name__)

PHASES = {
    "places": "Working out who lives here",
    "clinical": "Comparing the five clinical areas with England",
    "insights": "Gathering what connectors heard",
    "involved": "Adding how to get involved",
}


class AreaGone(Exception):
    """The pack's area is no longer one the site may have a pack for."""


def _update(pack_id: int, **fields) -> None:
    DataPack.objects.filter(pk=pack_id).update(**fields)


def execute_generation(pack_id: int) -> DataPack:
    """Build every section of the pack now, protecting its counts, and store the result.
    Never raises: a failure is recorded on the pack (which then cannot be published)."""
    pack = DataPack.objects.select_related("site").get(pk=pack_id)
    if pack.finished:
        return pack
    _update(pack_id, status=DataPack.Status.RUNNING, steps_total=len(SECTIONS), phase="Starting")
    try:
        area = None
        if pack.area_code:
            area = find_area(pack.site, pack.area_code)
            if area is None:  # its target areas changed since the version was started
                raise AreaGone(
                    f"{pack.area_label} ({pack.area_code}) is no longer among "
                    f"{pack.site.name}'s target areas: choose its target areas again or "
                    "generate a pack for another area"
                )
        sections = []
        # The unprotected counts and the LSOAs covered, kept apart from the content for
        # disclosure control across the site's packs when this one is published.
        basis = {
            "lsoas": sorted(area.lsoas if area else site_lsoas(pack.site)),
            "tables": [],
        }
        for done, spec in enumerate(SECTIONS):
            _update(pack_id, steps_done=done, phase=PHASES.get(spec.key, spec.key))
            if spec.provider is involved_section:
                section = involved_section(pack.site, area, contact=pack.contact)
            else:
                section = spec.provider(pack.site, area)
            for table in section.pop("raw", []):
                basis["tables"].append({"section": spec.key, **table})
            sections.append(section)
        content = {
            "sections": sections,
            "threshold": THRESHOLD,
            "rounding": ROUNDING,
            "site": {"name": pack.site.name, "slug": pack.site.slug},
            "area": {"code": pack.area_code, "name": pack.area_label, "kind": pack.area_kind},
        }
        outcome = {
            "status": DataPack.Status.READY,
            "content": content,
            "basis": basis,
            "steps_done": len(SECTIONS),
            "phase": "Finished",
            "generated_at": timezone.now(),
        }
    except AreaGone as exc:
        outcome = {"status": DataPack.Status.FAILED, "errors": [str(exc)], "phase": "Stopped"}
    except Exception as exc:  # a bug or missing data: record it, keep the version
        logger.exception("Data pack %s failed", pack_id)
        outcome = {
            "status": DataPack.Status.FAILED,
            "errors": [f"Unexpected error: {exc.__class__.__name__}: {exc}"[:1000]],
            "phase": "Stopped",
        }
    _update(pack_id, **outcome)
    return DataPack.objects.get(pk=pack_id)
