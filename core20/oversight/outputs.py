"""Output figures for quarterly returns and the oversight table, from the delivery apps:
connectors (core20.network), activities (core20.engagement), insights sent to
decision-makers (core20.insights) and micro-grants (core20.grants).

Each figure has a per-site, per-quarter function (``fetch``, used to prefill a return) and a
``bulk`` function giving {site id: value} for a whole financial year in a fixed number of
queries (a column of the national oversight table). Both take a ``cache`` dict shared by the
figures of one return or one table, so figures drawn from the same query run it once. A
quarter or year is a closed range of dates, ``[first, last]``.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from core20.oversight.periods import quarter_bounds


def _year_bounds(year: int) -> tuple[date, date]:
    return quarter_bounds(year, 1)[0], quarter_bounds(year, 4)[1]


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# ---- connectors ----


def _memo[T](cache: dict | None, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` in ``cache`` (a prefill's or a table's): the connector
    columns share one reading of the history, and activities held and people reached one
    aggregate."""
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _timelines(site_ids, last: date) -> dict[int, dict[int, list[tuple[datetime, str]]]]:
    """{site id: {connector id: [(when, status), ...] oldest first}} up to the end of
    ``last``. A connector with no recorded moves counts from its current status and the time
    it was set (records imported with a status, for example)."""
    from core20.network.models import Connector, StatusChange

    until = _end_of(last)
    out: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    moves = (
        StatusChange.objects.filter(connector__site_id__in=site_ids, changed_at__lte=until)
        .order_by("changed_at", "pk")
        .values_list("connector__site_id", "connector_id", "changed_at", "to_status")
    )
    for site_id, connector_id, when, status in moves:
        out[site_id][connector_id].append((when, status))
    unmoved = (
        Connector.objects.filter(site_id__in=site_ids, status_changed_at__lte=until)
        .exclude(history__isnull=False)
        .values_list("site_id", "pk", "status_changed_at", "status")
    )
    for site_id, connector_id, when, status in unmoved:
        out[site_id][connector_id].append((when, status))
    return out


def _active_during(timeline: list[tuple[datetime, str]], first: date, last: date) -> bool:
    """Active at any moment in [first, last]: active when the period began, or made active
    during it."""
    start, end = _start_of(first), _end_of(last)
    status_at_start = None
    for when, status in timeline:
        if when <= start:
            status_at_start = status
        elif when <= end and status == "active":
            return True
    return status_at_start == "active"


def _first_active_in(timeline: list[tuple[datetime, str]], first: date, last: date) -> bool:
    """Made active for the first time during [first, last] (recruited in the period)."""
    for when, status in timeline:
        if status == "active":
            return _start_of(first) <= when <= _end_of(last)
    return False


def _count_connectors(site_ids, first: date, last: date, test, cache=None) -> dict[int, int]:
    timelines = _memo(
        cache, ("timelines", tuple(site_ids), last), lambda: _timelines(site_ids, last)
    )
    return {
        site_id: sum(
            1 for timeline in timelines.get(site_id, {}).values() if test(timeline, first, last)
        )
        for site_id in site_ids
    }


def connectors_active(site, year, quarter, cache) -> int:
    first, last = quarter_bounds(year, quarter)
    return _count_connectors([site.pk], first, last, _active_during, cache)[site.pk]


def connectors_active_bulk(site_ids, year, cache=None) -> dict[int, int]:
    return _count_connectors(list(site_ids), *_year_bounds(year), _active_during, cache)


def connectors_recruited(site, year, quarter, cache) -> int:
    first, last = quarter_bounds(year, quarter)
    return _count_connectors([site.pk], first, last, _first_active_in, cache)[site.pk]


def connectors_recruited_bulk(site_ids, year, cache=None) -> dict[int, int]:
    return _count_connectors(list(site_ids), *_year_bounds(year), _first_active_in, cache)


# ---- activities ----


def _activity_totals(site_ids, first: date, last: date, cache=None) -> dict[int, dict]:
    return _memo(
        cache,
        ("activities", tuple(site_ids), first, last),
        lambda: _query_activity_totals(site_ids, first, last),
    )


def _query_activity_totals(site_ids, first: date, last: date) -> dict[int, dict]:
    from core20.engagement.models import Activity

    rows = (
        Activity.objects.filter(site_id__in=site_ids, date__range=(first, last))
        .values("site_id")
        .annotate(held=Count("pk"), reached=Sum("people_reached"))
        .order_by()
    )
    totals = {row["site_id"]: row for row in rows}
    return {site_id: totals.get(site_id, {"held": 0, "reached": 0}) for site_id in site_ids}


def activities_held(site, year, quarter, cache) -> int:
    return _activity_totals([site.pk], *quarter_bounds(year, quarter), cache)[site.pk]["held"]


def activities_held_bulk(site_ids, year, cache=None) -> dict[int, int]:
    totals = _activity_totals(list(site_ids), *_year_bounds(year), cache)
    return {site_id: row["held"] for site_id, row in totals.items()}


def people_reached(site, year, quarter, cache) -> int:
    totals = _activity_totals([site.pk], *quarter_bounds(year, quarter), cache)
    return totals[site.pk]["reached"] or 0


def people_reached_bulk(site_ids, year, cache=None) -> dict[int, int]:
    totals = _activity_totals(list(site_ids), *_year_bounds(year), cache)
    return {site_id: row["reached"] or 0 for site_id, row in totals.items()}


# ---- insights ----


def _insights_sent(site_ids, first: date, last: date) -> dict[int, int]:
    """{site id: insights sent to at least one decision body in [first, last]}: the one count
    of insight passed to decision-makers, for returns and the national table alike. An
    insight sent to two bodies counts once; one recorded but not sent, or kept without
    sending, does not count."""
    from core20.insights.models import Routing

    rows = (
        Routing.objects.filter(
            insight__site_id__in=site_ids,
            routed_at__range=(_start_of(first), _end_of(last)),
        )
        .values("insight__site_id")
        .annotate(n=Count("insight_id", distinct=True))
        .order_by()
        .values_list("insight__site_id", "n")
    )
    counts = dict(rows)
    return {site_id: counts.get(site_id, 0) for site_id in site_ids}


# The figure keeps its key, "insights_recorded": return templates and answers already stored
# refer to it.
def insights_recorded(site, year, quarter, cache) -> int:
    return _insights_sent([site.pk], *quarter_bounds(year, quarter))[site.pk]


def insights_recorded_bulk(site_ids, year, cache=None) -> dict[int, int]:
    return _insights_sent(list(site_ids), *_year_bounds(year))


# ---- micro-grants ----


def _grants_awarded(site_ids, first: date, last: date) -> dict[int, Decimal]:
    """Pounds awarded by decisions made in [first, last], by the fund's site."""
    from core20.grants.models import Application

    rows = (
        Application.objects.filter(
            fund__site_id__in=site_ids,
            status=Application.Status.AWARDED,
            decided_on__range=(first, last),
        )
        .values("fund__site_id")
        .annotate(total=Sum("amount_awarded"))
        .order_by()
        .values_list("fund__site_id", "total")
    )
    totals = dict(rows)
    return {site_id: totals.get(site_id) or Decimal("0.00") for site_id in site_ids}


def micro_grants_awarded(site, year, quarter, cache) -> Decimal:
    return _grants_awarded([site.pk], *quarter_bounds(year, quarter))[site.pk]


def micro_grants_awarded_bulk(site_ids, year, cache=None) -> dict[int, Decimal]:
    return _grants_awarded(list(site_ids), *_year_bounds(year))
