"""{% load engagement_tags %}

- ``{% activities_summary request.user as summary %}``: for the connector's home panel
  (``engagement/_home_panel.html``), how many activities they recorded in the last 30 days
  and in all, and their latest (two queries at most), or None if the person is not a
  community connector.
"""

from datetime import timedelta

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from core20.accounts.roles import Connector as ConnectorRole
from core20.engagement.access import visible_activities
from core20.engagement.home import RECORD_HINT

register = template.Library()

RECENT_DAYS = 30


@register.simple_tag
def activities_summary(user) -> dict | None:
    if user is None or not user.is_authenticated:
        return None
    # Connectors are those with the role at a site (from the cached memberships: no query).
    if not user.sites_with_role(ConnectorRole.key):
        return None
    # What they may see (the activities list's own rules), narrowed to their own: recorded
    # by them or for their connector record, as access.can_edit counts them.
    mine = visible_activities(user).filter(Q(recorded_by=user) | Q(connector__user=user))
    # Today and the 29 days before it (activity dates are never in the future).
    since = timezone.localdate() - timedelta(days=RECENT_DAYS - 1)
    counts = mine.order_by().aggregate(
        total=Count("pk"), recent=Count("pk", filter=Q(date__gte=since))
    )
    latest = (
        mine.select_related("site").order_by("-date", "-pk").first() if counts["total"] else None
    )
    return {
        "total": counts["total"],
        "recent": counts["recent"],
        "recent_days": RECENT_DAYS,
        "latest": latest,
        "record_hint": RECORD_HINT,
    }
