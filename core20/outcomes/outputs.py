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


def _model(label: str, name: str):
    return apps.get_model(label, name)


@register(
    "reach",
    "People reached",
    "People reached at community activities (sum of each activity's tally)",
    app="engagement",
)
def reach(site, start=None, end=None) -> int:
    from django.db.models import Sum

    activities = _between(
        _model("engagement", "Activity").objects.filter(site=site), "date", start, end
    )
    return activities.aggregate(n=Sum("people_reached"))["n"] or 0


@register(
    "reach_core20",
    "People reached in Core20 areas",
    "People reached at activities held in Core20 neighbourhoods (IMD deciles 1-2)",
    app="engagement",
)
def reach_core20(site, start=None, end=None) -> int:
    from django.db.models import Sum

    activities = _between(
        _model("engagement", "Activity").objects.filter(site=site, core20=True),
        "date",
        start,
        end,
    )
    return activities.aggregate(n=Sum("people_reached"))["n"] or 0


@register(
    "connectors_active",
    "Connectors active",
    "Connectors whose status is active now",
    app="network",
)
def connectors_active(site, start=None, end=None) -> int:
    connector = _model("network", "Connector")
    return connector.objects.filter(site=site, status=connector.Status.ACTIVE).count()


@register(
    "insights_raised",
    "Insights sent to decision-makers",
    "Insights about barriers, enablers, ideas and experiences sent to at least one "
    "decision-making body in the period (not those kept without sending)",
    app="insights",
)
def insights_raised(site, start=None, end=None) -> int:
    # Sent = routed to a decision-making body; an insight kept without sending has none.
    routings = _model("insights", "Routing").objects.filter(insight__site=site)
    routings = _between(routings, "routed_at__date", start, end)
    return routings.values("insight_id").distinct().count()


@register(
    "insights_actioned",
    "Insights actioned",
    "Insights with at least one action a decision-maker has completed",
    app="insights",
)
def insights_actioned(site, start=None, end=None) -> int:
    insight = _model("insights", "Insight")
    action = _model("insights", "Action")
    insights = insight.objects.filter(
        site=site, routings__actions__status=action.Status.DONE
    ).distinct()
    return _between(insights, "raised_at__date", start, end).count()


@register(
    "hours",
    "Volunteer hours",
    "Hours connectors volunteered, as logged",
    app="hours",
    unit="hours",
)
def hours(site, start=None, end=None) -> float:
    from django.db.models import Sum

    entries = _between(_model("hours", "HoursEntry").objects.filter(site=site), "date", start, end)
    return float(entries.aggregate(n=Sum("hours"))["n"] or 0)


@register(
    "signposting",
    "People signposted",
    "People signposted to services at community activities (sum of the activities' counts)",
    app="engagement",
)
def signposting(site, start=None, end=None) -> int:
    from django.db.models import Sum

    counts = _model("engagement", "SignpostingCount").objects.filter(activity__site=site)
    counts = _between(counts, "activity__date", start, end)
    return counts.aggregate(n=Sum("count"))["n"] or 0
