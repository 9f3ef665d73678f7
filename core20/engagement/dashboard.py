"""A site's activity summary: totals, by type and by month, from one aggregate query
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
    """One aggregate query, grouped by type and month: the totals, the by-type figures and
    the last twelve months are all sums of its few hundred rows. On PostgreSQL it reads only
    the covering index ``engagement_site_summary`` (no table rows)."""
    zero = 0
    rows = list(
        Activity.objects.filter(site=site)
        .annotate(month=TruncMonth("date"))
        .values("kind", "month")
        .annotate(
            n=Count("*"),  # not Count("id"): id is not in the covering index
            people=Coalesce(Sum("people_reached"), zero),
            people_core20=Coalesce(Sum("people_reached", filter=Q(core20=True)), zero),
            placed=Coalesce(Sum("people_reached", filter=Q(core20__isnull=False)), zero),
            mecc=Coalesce(Sum("mecc_conversations"), zero),
            first=Min("date"),
            last=Max("date"),
        )
        .order_by()
    )
    types: dict[str, dict] = {}
    for row in rows:
        into = types.setdefault(row["kind"], {"n": 0, "people": 0})
        into["n"] += row["n"]
        into["people"] += row["people"]
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
    monthly = {m: {"activities": 0, "people": 0, "people_core20": 0} for m in months}
    for row in rows:
        month = date(row["month"].year, row["month"].month, 1)
        if month in monthly:  # dates are never in the future (validation refuses them)
            into = monthly[month]
            into["activities"] += row["n"]
            into["people"] += row["people"]
            into["people_core20"] += row["people_core20"]
    by_month = [{"month": m, **monthly[m]} for m in months]
    return Summary(
        activities=sum(r["n"] for r in rows),
        people=sum(r["people"] for r in rows),
        people_core20=sum(r["people_core20"] for r in rows),
        people_placed=sum(r["placed"] for r in rows),
        mecc=sum(r["mecc"] for r in rows),
        first=min((r["first"] for r in rows), default=None),
        last=max((r["last"] for r in rows), default=None),
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
