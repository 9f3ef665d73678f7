"""{% load insights_tags %}

- ``{% insights_summary request.user as summary %}``: for the connector's home panel
  (``insights/_home_panel.html``), the latest insights they raised with where each stands
  with decision-makers, how many they raised in all, and where they may record one (two
  queries at most), or None if the person is not a community connector.
"""

from django import template
from django.db.models import Count, Prefetch, Window

from core20.accounts.roles import Connector as ConnectorRole
from core20.insights.access import may_raise, visible_insights, visible_routings

register = template.Library()

LATEST = 5


@register.simple_tag
def insights_summary(user) -> dict | None:
    if user is None or not user.is_authenticated:
        return None
    # Connectors are those with the role at a site (from the cached memberships: no query).
    sites = user.sites_with_role(ConnectorRole.key)
    if not sites:
        return None
    # What they may see (the insights list's own rules), narrowed to what they raised. The
    # window counts them all in the same query as the latest few; one more loads where
    # those were sent.
    latest = list(
        visible_insights(user)
        .filter(raised_by=user)
        .annotate(total=Window(Count("pk")))
        .select_related("site")
        .prefetch_related(
            Prefetch(
                "routings",
                queryset=visible_routings(user).select_related("body").order_by("body__name"),
            )
        )
        .order_by("-raised_at", "-pk")[:LATEST]
    )
    return {
        "latest": latest,
        "total": latest[0].total if latest else 0,
        # The sites the insights list offers to record for: the same links.
        "record_sites": sorted(
            (site for site in sites.values() if may_raise(user, site.pk)),
            key=lambda site: site.name,
        ),
        "several_sites": len(sites) > 1,
    }
