"""Output indicators computed from platform data (reach, signposting, connectors, hours,
insights), each a function of (site, start, end) registered under a key.

Each function queries another app's models; an output is registered only once that app
exists (see ``available``), so this module works while the apps are still being built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.apps import apps


@dataclass(frozen=True)
class Output:
    key: str
    name: str
    description: str
    app: str
    function: Callable[[object, date | None, date | None], int | float]
    unit: str = ""


REGISTRY: dict[str, Output] = {}


def register(key: str, name: str, description: str, *, app: str, unit: str = ""):
    def decorate(function):
        REGISTRY[key] = Output(key, name, description, app, function, unit)
        return function

    return decorate


def available() -> list[Output]:
    """Outputs whose app's models are installed."""
    return [o for o in REGISTRY.values() if _has_models(o.app)]


def _has_models(label: str) -> bool:
    try:
        return bool(list(apps.get_app_config(label).get_models()))
    except LookupError:
        return False


def site_outputs(site, start: date | None = None, end: date | None = None) -> list[dict]:
    """[{key, name, description, value, unit}] for every available output at ``site``."""
    return [
        {
            "key": o.key,
            "name": o.name,
            "description": o.description,
            "value": o.function(site, start, end),
            "unit": o.unit,
        }
        for o in available()
    ]


def _between(queryset, field: str, start: date | None, end: date | None):
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset
