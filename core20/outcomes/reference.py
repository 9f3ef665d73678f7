"""Loading the indicator catalogue and the national logic model template (idempotent)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from core20.outcomes.models import Element, Indicator, LogicModel

REFERENCE = Path(settings.BASE_DIR) / "data" / "reference"


def load_indicators(path: Path | None = None) -> tuple[int, int]:
    """Create indicators that are missing (matched on code); existing ones are left as the
    national analysts have edited them. Returns (created, already there)."""
    entries = yaml.safe_load((path or REFERENCE / "indicators.yaml").read_text())
    created = 0
    with transaction.atomic():
        for entry in entries:
            fields = {k: v for k, v in entry.items() if k != "code"}
            _, made = Indicator.objects.get_or_create(code=entry["code"], defaults=fields)
            created += made
    return created, len(entries) - created


def load_template(path: Path | None = None) -> bool:
    """Create the national logic model template if there is none with elements."""
    entries = yaml.safe_load((path or REFERENCE / "logic_model_template.yaml").read_text())
    with transaction.atomic():
        model = LogicModel.objects.filter(site__isnull=True).first()
        if model is None:
            model = LogicModel.objects.create()
        if model.elements.exists():
            return False
        indicators = {i.code: i for i in Indicator.objects.all()}
        for position, entry in enumerate(entries, start=1):
            element = Element.objects.create(
                logic_model=model,
                stage=entry["stage"],
                text=entry["text"],
                position=position,
                output_indicators=entry.get("outputs", []),
            )
            element.indicators.set(
                [indicators[c] for c in entry.get("indicators", []) if c in indicators]
            )
    return True


def load_all() -> str:
    created, existing = load_indicators()
    template = load_template()
    return (
        f"Indicators: {created} created, {existing} already there. "
        f"Logic model template: {'created' if template else 'already there'}."
    )
