"""A site's activity summary: totals, by type and by month, in three aggregate queries
(however many activities the site has)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from core20.engagement.models import Activity, ActivityType

MONTHS = 12


@dataclass
class Summary:
    activities: int
    people: int
    people_core20: int
    people_placed: int  # people at activities whose place is known to be in or out of Core20
    mecc: int
    first: date | None
    last: date | None
    by_type: list[dict]
    by_month: list[dict]

    @property
    def core20_share(self) -> float | None:
        return self.people_core20 / self.people_placed if self.people_placed else None


def _month_starts(end: date, n: int) -> list[date]:
    months = []
    year, month = end.year, end.month
    for _ in range(n):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def site_summary(site, *, today: date) -> Summary:
    activities = Activity.objects.filter(site=site)
    zero = 0
    totals = activities.aggregate(
        n=Count("id"),
        people=Coalesce(Sum("people_reached"), zero),
        people_core20=Coalesce(Sum("people_reached", filter=Q(core20=True)), zero),
        placed=Coalesce(Sum("people_reached", filter=Q(core20__isnull=False)), zero),
        mecc=Coalesce(Sum("mecc_conversations"), zero),
        first=Min("date"),
        last=Max("date"),
    )
    types = {
        row["kind"]: row
        for row in activities.values("kind")
        .annotate(n=Count("id"), people=Coalesce(Sum("people_reached"), zero))
        .order_by()
    }
    by_type = [
        {
            "kind": kind,
            "label": label,
            "activities": types[kind]["n"],
            "people": types[kind]["people"],
        }
        for kind, label in ActivityType.choices
        if kind in types
    ]
    months = _month_starts(today, MONTHS)
    rows = {}
    for row in (
        activities.filter(date__gte=months[0], date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            n=Count("id"),
            people=Coalesce(Sum("people_reached"), zero),
            people_core20=Coalesce(Sum("people_reached", filter=Q(core20=True)), zero),
        )
        .order_by()
    ):
        month = row["month"]
        month = date(month.year, month.month, 1)
        rows[month] = row
    by_month = [
        {
            "month": m,
            "activities": rows[m]["n"] if m in rows else 0,
            "people": rows[m]["people"] if m in rows else 0,
            "people_core20": rows[m]["people_core20"] if m in rows else 0,
        }
        for m in months
    ]
    return Summary(
        activities=totals["n"],
        people=totals["people"],
        people_core20=totals["people_core20"],
        people_placed=totals["placed"],
        mecc=totals["mecc"],
        first=totals["first"],
        last=totals["last"],
        by_type=by_type,
        by_month=by_month,
    )


def text_summary(site, summary: Summary) -> str:
    if not summary.activities:
        return f"No activities have been recorded for {site} yet."
    n = summary.activities
    text = (
        f"From {summary.first:%-d %B %Y} to {summary.last:%-d %B %Y}, {site}'s connectors "
        f"recorded {n:,} activit{'y' if n == 1 else 'ies'} reaching {summary.people:,} "
        f"{'person' if summary.people == 1 else 'people'}."
    )
    share = summary.core20_share
    if share is not None:
        text += (
            f" Of the {summary.people_placed:,} people reached where the place is known, "
            f"{summary.people_core20:,} ({share:.0%}) were reached in Core20 areas (the most "
            "deprived 20% of neighbourhoods)."
        )
    if summary.by_type:
        top = max(summary.by_type, key=lambda r: (r["people"], r["activities"]))
        text += f" {top['label']} reached the most people ({top['people']:,})."
    return text
