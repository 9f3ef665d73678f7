"""Accountability figures for the bridge, per site, per decision-making organisation and
nationally.

Definitions (docs/insights.md):

* **Insights sent**: distinct insights routed in the group (``Row.insights``), the headline
  figure: an insight sent to two bodies counts once.
* **Routed** ("sendings" on the page): routings (one insight sent to one decision body).
* **Median days to first response**: calendar days from the day a routing was sent to the
  day of its first response, over routings that have one (the median of an even number of
  values is the mean of the middle two). Routings still waiting are not in it; they are
  counted as "awaiting".
* **% with an agreed action**: routings with an "action agreed" response, of all routings.
* **% fed back**: insights (routed in the group) with feedback to the community recorded,
  of those insights.
* **Overdue actions**: actions planned or in progress whose due date has passed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import median

from django.db.models import Count, QuerySet
from django.utils import timezone

from core20.insights.models import Action, Feedback, Response, Routing

GROUPS = {
    "site": ("insight__site_id", "insight__site__name"),
    "organisation": ("body__organisation_id", "body__organisation__name"),
    "national": (None, None),
}


@dataclass
class Row:
    key: int | None
    label: str
    routed: int = 0
    responded: int = 0
    median_days: float | None = None
    agreed: int = 0
    insights: int = 0
    fed_back: int = 0
    overdue_actions: int = 0

    @property
    def awaiting(self) -> int:
        return self.routed - self.responded

    @property
    def agreed_pct(self) -> float | None:
        return 100 * self.agreed / self.routed if self.routed else None

    @property
    def fed_back_pct(self) -> float | None:
        return 100 * self.fed_back / self.insights if self.insights else None


def accountability(
    routings: QuerySet[Routing], *, by: str, on: date | None = None, label: str = "All sites"
) -> list[Row]:
    """One row per group (``by`` is "site", "organisation" or "national"), ordered by label.
    The one "national" row (all of ``routings``) is called ``label``: a site's page names
    the site. Four queries whatever the number of rows."""
    on = on or timezone.localdate()
    key_field, label_field = GROUPS[by]
    fields = ["pk", "insight_id", "routed_at", "first_response_at"]
    if key_field:
        fields += [key_field, label_field]
    agreed = set(
        Response.objects.filter(
            routing__in=routings.values("pk"), kind=Response.Kind.ACTION_AGREED
        ).values_list("routing_id", flat=True)
    )
    fed_back = set(
        Feedback.objects.filter(insight__in=routings.values("insight_id")).values_list(
            "insight_id", flat=True
        )
    )
    rows: dict = {}
    days: dict = defaultdict(list)
    insights: dict = defaultdict(set)
    for item in routings.order_by().values(*fields):
        key = item[key_field] if key_field else None
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(key, item[label_field] if key_field else label)
        row.routed += 1
        if item["first_response_at"] is not None:
            row.responded += 1
            days[key].append(
                (
                    timezone.localdate(item["first_response_at"])
                    - timezone.localdate(item["routed_at"])
                ).days
            )
        row.agreed += item["pk"] in agreed
        insights[key].add(item["insight_id"])
    overdue = Action.objects.filter(
        routing__in=routings.values("pk"), status__in=Action.OPEN, due_on__lt=on
    ).order_by()
    if key_field:
        counts = dict(
            overdue.values_list(f"routing__{key_field}")
            .annotate(n=Count("pk"))
            .values_list(f"routing__{key_field}", "n")
        )
    else:
        counts = {None: overdue.count()}
    for key, row in rows.items():
        row.median_days = median(days[key]) if days[key] else None
        row.insights = len(insights[key])
        row.fed_back = len(insights[key] & fed_back)
        row.overdue_actions = counts.get(key, 0)
    return sorted(rows.values(), key=lambda r: r.label)
