"""Outcomes actions: each names who does it (``by``), checks permission, validates
everything before saving anything, and saves with its audit event in one transaction."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from core20.accounts.authorization import has_permission, require_permission
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.audit.recording import diff, record, snapshot
from core20.outcomes import ingest, scope
from core20.outcomes.models import (
    Element,
    Evidence,
    Indicator,
    IndicatorValue,
    LogicModel,
    SuccessMeasure,
    TrajectoryPoint,
    Upload,
)
from core20.outcomes.periods import period_start
from core20.places.models import LSOA

Verb = AuditEvent.Verb

INDICATOR_FIELDS = (
    "code",
    "name",
    "clinical_area",
    "definition",
    "numerator",
    "denominator",
    "type",
    "polarity",
    "source",
    "national_ambition",
    "age",
    "geographies",
    "breakdowns",
    "fingertips_id",
    "extract_numerator",
    "extract_denominator",
    "active",
)


class UploadRejected(ValidationError):
    """The file had problems; ``row_errors`` lists them (file, row, column, message)."""

    def __init__(self, errors: list[ingest.RowError]):
        super().__init__([str(e) for e in errors])
        self.row_errors = errors


# --- Indicator catalogue ------------------------------------------------------------------


def save_indicator(*, data: Mapping, by, indicator: Indicator | None = None) -> Indicator:
    require_permission(by, Permission.INDICATOR_MANAGE)
    creating = indicator is None
    indicator = indicator or Indicator()
    before = {} if creating else snapshot(indicator, INDICATOR_FIELDS)
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    indicator.full_clean()
    with transaction.atomic():
        indicator.save()
        record(
            actor=by,
            verb=Verb.CREATE if creating else Verb.UPDATE,
            obj=indicator,
            changes=diff(before, snapshot(indicator, INDICATOR_FIELDS)),
        )
    return indicator


# --- Indicator data -------------------------------------------------------------------------


def upload_data(
    *,
    indicator: Indicator,
    site,
    file_name: str,
    content: bytes,
    by,
    note: str = "",
    rows: list[dict] | None = None,
    format: str | None = None,
) -> Upload:
    """Store a file's rows as the next version of (indicator, site) — site None for national
    data. All or nothing: any row problem raises UploadRejected and stores nothing. Site
    uploads may only contain the site's own areas (see scope.site_area_codes). ``rows``
    (already parsed, e.g. from a profile run) skips parsing ``content``."""
    if site is None:
        require_permission(by, Permission.INDICATOR_DATA_UPLOAD)
    elif not has_permission(by, Permission.INDICATOR_DATA_UPLOAD, site=site):
        raise PermissionDenied
    if rows is None:
        parsed = ingest.parse_table(file_name, content, indicator)
        if parsed.errors:
            raise UploadRejected(parsed.errors)
        rows, format = parsed.rows, parsed.format
    columns = ingest.COLUMN_NAMES.get(format or "", {"area_code": "area_code"})
    column = "lsoa" if format == "extract" else columns["area_code"]
    unknown = unknown_lsoa_errors(rows, file_name, column)
    if unknown:
        raise UploadRejected(unknown[:50])
    if site is not None and not has_permission(by, Permission.INDICATOR_DATA_UPLOAD):
        allowed = scope.site_area_codes(site)
        outside = [
            ingest.RowError(
                file_name,
                row.get("line", 0),
                column,
                f"{row['area_code']} is not one of {site.name}'s areas (its target areas, "
                "their LSOAs and its ICBs)",
            )
            for row in rows
            if row["area_code"] not in allowed
        ]
        if outside:
            raise UploadRejected(outside[:50])
    with transaction.atomic():
        last = (
            Upload.objects.select_for_update()
            .filter(indicator=indicator, site=site)
            .aggregate(m=Max("version"))["m"]
        )
        upload = Upload.objects.create(
            indicator=indicator,
            site=site,
            version=(last or 0) + 1,
            format=format or Upload.Format.SIMPLE,
            file_name=file_name[:255],
            row_count=len(rows),
            note=note,
            uploaded_by=by,
        )
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    upload=upload,
                    area_code=r["area_code"],
                    area_name=r.get("area_name", "")[:200],
                    period=r["period"],
                    period_start=r["period_start"],
                    breakdown_type=r["breakdown_type"][:120],
                    breakdown=r["breakdown"][:120],
                    quantile=r.get("quantile"),
                    quantiles=r.get("quantiles"),
                    numerator=r.get("numerator"),
                    denominator=r.get("denominator"),
                    value=r.get("value"),
                    lower95=r.get("lower95"),
                    upper95=r.get("upper95"),
                    method=r.get("method", ""),
                )
                for r in rows
            ],
            batch_size=2000,
        )
        record(
            actor=by,
            verb=Verb.IMPORT,
            obj=upload,
            site=site,
            summary=f"{len(rows)} rows from {file_name[:200]} (version {upload.version})",
        )
    return upload


LSOA_CODE = re.compile(r"E01\d{6}")


def unknown_lsoa_errors(rows: list[dict], file_name: str, column: str) -> list[ingest.RowError]:
    """A row for an England LSOA code (E01 and six digits) that is in neither LSOA vintage of
    the places reference data: a typing mistake that would otherwise be stored and counted
    in no area. Skipped where the reference data has no LSOAs loaded (a bare install)."""
    codes = {row["area_code"] for row in rows if LSOA_CODE.fullmatch(row["area_code"])}
    if not codes or not LSOA.objects.exists():
        return []
    ordered = sorted(codes)
    known: set[str] = set()
    for start in range(0, len(ordered), 900):  # SQLite's limit on query parameters
        chunk = ordered[start : start + 900]
        known.update(LSOA.objects.filter(code__in=chunk).values_list("code", flat=True))
    return [
        ingest.RowError(
            file_name,
            row.get("line", 0),
            column,
            f"{row['area_code']} is not an LSOA code in the 2011 or 2021 census geography "
            "(check it for a typing mistake)",
        )
        for row in rows
        if row["area_code"] in codes and row["area_code"] not in known
    ]


def previous_version(upload: Upload) -> Upload | None:
    return (
        Upload.objects.filter(
            indicator=upload.indicator, site=upload.site, version__lt=upload.version
        )
        .order_by("-version")
        .first()
    )


def version_diff(upload: Upload, before: Upload | None) -> dict:
    """Rows added, removed and changed (value differs) between ``before`` and ``upload``."""
    new = {v.key(): v for v in upload.values.all()}
    old = {v.key(): v for v in before.values.all()} if before else {}
    changed = []
    for key in sorted(set(new) & set(old)):
        a, b = old[key], new[key]
        if (a.numerator, a.denominator, a.value) != (b.numerator, b.denominator, b.value):
            changed.append({"key": key, "before": a, "after": b})
    return {
        "added": [new[k] for k in sorted(set(new) - set(old))],
        "removed": [old[k] for k in sorted(set(old) - set(new))],
        "changed": changed,
        "unchanged": len(set(new) & set(old)) - len(changed),
    }


# --- Logic models and success measures -------------------------------------------------------


def _require_manage(by, site) -> None:
    if not has_permission(by, Permission.OUTCOMES_MANAGE, site=site):
        raise PermissionDenied


def template() -> LogicModel:
    return LogicModel.objects.filter(site__isnull=True).first() or LogicModel.objects.create()


def start_logic_model(*, site, by) -> LogicModel:
    """The site's logic model, copied from the national template (elements and their
    indicators); an existing model is returned unchanged."""
    _require_manage(by, site)
    existing = LogicModel.objects.filter(site=site).first()
    if existing:
        return existing
    with transaction.atomic():
        model = LogicModel.objects.create(site=site)
        for element in template().elements.prefetch_related("indicators"):
            copy = Element.objects.create(
                logic_model=model,
                stage=element.stage,
                text=element.text,
                position=element.position,
                output_indicators=element.output_indicators,
            )
            copy.indicators.set(element.indicators.all())
        record(actor=by, verb=Verb.CREATE, obj=model, site=site, summary="From the template")
    return model


def save_element(*, site, data: Mapping, by, element: Element | None = None) -> Element:
    _require_manage(by, site)
    model = start_logic_model(site=site, by=by)
    creating = element is None
    if element is not None and element.logic_model_id != model.pk:
        raise PermissionDenied
    element = element or Element(logic_model=model)
    before = {} if creating else {"stage": element.stage, "text": element.text}
    element.stage = data["stage"]
    element.text = data["text"].strip()
    if creating:
        element.position = (model.elements.aggregate(m=Max("position"))["m"] or 0) + 1
    element.full_clean()
    with transaction.atomic():
        element.save()
        element.indicators.set(data.get("indicators") or [])
        record(
            actor=by,
            verb=Verb.CREATE if creating else Verb.UPDATE,
            obj=element,
            site=site,
            changes=diff(before, {"stage": element.stage, "text": element.text}),
        )
    return element


def delete_element(*, element: Element, by) -> None:
    site = element.logic_model.site
    _require_manage(by, site)
    with transaction.atomic():
        record(actor=by, verb=Verb.DELETE, obj=element, site=site)
        element.delete()


def add_success_measure(*, site, statement: str, said_by: str, by) -> SuccessMeasure:
    _require_manage(by, site)
    if not statement.strip():
        raise ValidationError({"statement": "Enter what success looks like, in their words"})
    if not said_by.strip():
        raise ValidationError({"said_by": "Enter who said it (a group, not a person)"})
    with transaction.atomic():
        measure = SuccessMeasure.objects.create(
            site=site, statement=statement.strip(), said_by=said_by.strip(), created_by=by
        )
        record(actor=by, verb=Verb.CREATE, obj=measure, site=site)
    return measure


def add_evidence(*, measure: SuccessMeasure, observed_on, text: str, by) -> Evidence:
    _require_manage(by, measure.site)
    if not text.strip():
        raise ValidationError({"text": "Enter the evidence"})
    with transaction.atomic():
        evidence = Evidence.objects.create(
            measure=measure, observed_on=observed_on, text=text.strip(), added_by=by
        )
        record(actor=by, verb=Verb.CREATE, obj=evidence, site=measure.site)
    return evidence


# --- Trajectories ----------------------------------------------------------------------------


def set_trajectory_point(*, site, indicator: Indicator, period: str, value: float, by):
    """Set (or change) the site's aim for ``indicator`` in ``period``."""
    _require_manage(by, site)
    period = " ".join(period.split())
    try:
        start = period_start(period)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if indicator.type == Indicator.Type.PROPORTION and not 0 <= value <= 100:
        raise ValidationError({"value": "A percentage must be between 0 and 100"})
    if value < 0:
        raise ValidationError({"value": "Must not be negative"})
    with transaction.atomic():
        point, created = TrajectoryPoint.objects.update_or_create(
            site=site,
            indicator=indicator,
            period=period,
            defaults={"period_start": start, "value": value, "set_by": by},
        )
        record(
            actor=by,
            verb=Verb.CREATE if created else Verb.UPDATE,
            obj=point,
            site=site,
            summary=f"{indicator.name}: {value:g} in {period}",
        )
    return point


def remove_trajectory_point(*, point: TrajectoryPoint, by) -> None:
    _require_manage(by, point.site)
    with transaction.atomic():
        record(actor=by, verb=Verb.DELETE, obj=point, site=point.site)
        point.delete()
