"""Load the programme's reference data (data/reference/programme.yaml) and the NHS regions
and ICBs (data/reference/icb24_nhser_derived.csv).

Idempotent: records are matched on their codes or slugs and updated in place, so running
it twice changes nothing the second time. All-or-nothing: one transaction.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.places.models import ICB, Region
from core20.programme.models import (
    ClinicalArea,
    Organisation,
    PlusGroup,
    Programme,
    Site,
    SiteOrganisation,
    Wave,
)

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"


class ReferenceDataError(Exception):
    pass


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        bucket = self.created if created else self.updated
        bucket[kind] = bucket.get(kind, 0) + 1

    def __str__(self) -> str:
        made = ", ".join(f"{n} {k}" for k, n in self.created.items()) or "nothing"
        return f"created {made}; {sum(self.updated.values())} existing records checked"


def _upsert(model, report: LoadReport, lookup: dict, values: dict):
    obj, created = model.objects.update_or_create(**lookup, defaults=values)
    report.count(model._meta.verbose_name_plural, created)
    return obj


def load_regions_and_icbs(report: LoadReport, path: Path | None = None) -> None:
    path = path or REFERENCE_DIR / "icb24_nhser_derived.csv"
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            try:
                region = _upsert(
                    Region,
                    report,
                    {"code": row["nhser_code"]},
                    {"name": row["nhser_name"].removesuffix(" NHS Region")},
                )
                _upsert(
                    ICB,
                    report,
                    {"code": row["icb24_code"]},
                    {
                        "name": row["icb24_name"],
                        "ods_code": row["icb24_code_nhs"],
                        "region": region,
                    },
                )
            except KeyError as exc:
                raise ReferenceDataError(f"{path.name}, row {line}: missing column {exc}") from exc


def _lookup(model, key: str, value: str, where: str):
    try:
        return model.objects.get(**{key: value})
    except model.DoesNotExist:
        raise ReferenceDataError(f"{where}: unknown {model._meta.verbose_name} {value!r}") from None


def load_programme(report: LoadReport, path: Path | None = None) -> Programme:
    path = path or REFERENCE_DIR / "programme.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    p = data["programme"]
    programme = _upsert(
        Programme,
        report,
        {"slug": p["slug"]},
        {
            **{k: p.get(k, "") for k in ("name", "summary", "description", "run_by", "partners")},
            "started_on": p.get("started_on"),
        },
    )
    for position, area in enumerate(data["clinical_areas"]):
        _upsert(
            ClinicalArea,
            report,
            {"code": area["code"]},
            {
                "name": area["name"],
                "group": area["group"],
                "description": area.get("description", ""),
                "position": position,
                "site": None,
            },
        )
    position = 0
    for group in data["plus_groups"]:
        parent = _upsert(
            PlusGroup,
            report,
            {"code": group["code"]},
            {
                "name": group["name"],
                "description": group.get("description", ""),
                "for_children_and_young_people": group.get("cyp", False),
                "position": position,
                "parent": None,
            },
        )
        position += 1
        for child in group.get("children", []):
            _upsert(
                PlusGroup,
                report,
                {"code": child["code"]},
                {
                    "name": child["name"],
                    "description": child.get("description", ""),
                    "parent": parent,
                    "for_children_and_young_people": False,
                    "position": position,
                },
            )
            position += 1
    for org in data["organisations"]:
        _upsert(
            Organisation,
            report,
            {"slug": org["slug"]},
            {"name": org["name"], "kind": org["kind"], "description": org.get("description", "")},
        )
    waves = {}
    for w in data["waves"]:
        waves[w["number"]] = _upsert(
            Wave,
            report,
            {"programme": programme, "number": w["number"]},
            {
                **{
                    k: w.get(k, "")
                    for k in ("name", "period", "status", "summary", "selection_note")
                },
                "eois_received": w.get("eois_received"),
            },
        )
    for s in data["sites"]:
        where = f"{path.name}, site {s['slug']}"
        site = _upsert(
            Site,
            report,
            {"slug": s["slug"]},
            {
                "wave": waves[s["wave"]],
                "name": s["name"],
                "local_name": s.get("local_name", ""),
                "kind": s["kind"],
                "status": s.get("status", Site.Status.SELECTED),
                "place": s.get("place", ""),
                "summary": " ".join(s["summary"].split()),
                "detail": " ".join(s.get("detail", "").split()),
                "communities_note": s.get("communities_note", ""),
                "geography_types": s.get("geography_types", []),
                "target_places": s.get("target_places", ""),
                "delivery_model": s.get("delivery_model", Site.DeliveryModel.NOT_STATED),
                "source": s.get(
                    "source",
                    "NHS South, Central and West CSU, Core20PLUS Connectors programme page",
                ),
                "published": True,
            },
        )
        site.regions.set([_lookup(Region, "code", c, where) for c in s["regions"]])
        site.icbs.set([_lookup(ICB, "code", c, where) for c in s["icbs"]])
        for i, lp in enumerate(s.get("local_priorities", [])):
            _upsert(
                ClinicalArea,
                report,
                {"code": lp["code"]},
                {
                    "name": lp["name"],
                    "group": ClinicalArea.Group.LOCAL,
                    "site": site,
                    "position": i,
                },
            )
        site.focus_areas.set(
            [_lookup(ClinicalArea, "code", c, where) for c in s.get("focus_areas", [])]
            + [ClinicalArea.objects.get(code=lp["code"]) for lp in s.get("local_priorities", [])]
        )
        site.communities.set(
            [_lookup(PlusGroup, "code", c, where) for c in s.get("communities", [])]
        )
        for link in s.get("organisations", []):
            SiteOrganisation.objects.get_or_create(
                site=site,
                organisation=_lookup(Organisation, "slug", link["org"], where),
                role=link["role"],
            )
    return programme


@transaction.atomic
def load_reference_data() -> LoadReport:
    report = LoadReport()
    load_regions_and_icbs(report)
    load_programme(report)
    if report.created:
        record(
            actor=None,
            verb=AuditEvent.Verb.IMPORT,
            object_type="reference data",
            object_label="Programme reference data",
            summary=str(report),
        )
    return report
