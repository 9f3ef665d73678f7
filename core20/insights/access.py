"""Who sees which insights and routings.

* National staff with INSIGHT_MANAGE (national admins): everything.
* Site leads and host coordinators (INSIGHT_MANAGE at a site): their site's insights.
* Connectors (ACTIVITY_RECORD at a site): the insights they raised there. A connector
  holds that role only while their record there is active (not yet in checks or
  training, not once paused or left: core20.network.actions.sync_role);
  ``why_not_raise`` says why they are refused. While
  paused they still see, read-only, the insights they raised there and where each was sent
  (core20.engagement.access.paused_sites); once they have left, none.
* Decision-makers (INSIGHT_RESPOND for an organisation): only insights routed to one of
  that organisation's decision bodies, and only those routings. Anything else is a 404.
"""

from django.db.models import Q, QuerySet

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.accounts.roles import ROLES
from core20.engagement import access as engagement_access
from core20.engagement.access import paused_site_ids, paused_sites
from core20.insights.models import Insight, Routing
from core20.network.visibility import not_recording


def responder_organisations(user) -> set[int]:
    """Organisations for which ``user`` responds to routed insight (organisation roles)."""
    if not user.is_authenticated:
        return set()
    return {
        m.organisation_id
        for m in user.cached_memberships
        if m.organisation_id and Permission.INSIGHT_RESPOND in ROLES[m.role].permissions
    }


def is_national_manager(user) -> bool:
    return has_permission(user, Permission.INSIGHT_MANAGE)


def visible_insights(user) -> QuerySet[Insight]:
    insights = Insight.objects.all()
    if not user.is_authenticated:
        return insights.none()
    managed = sites_where(user, Permission.INSIGHT_MANAGE)
    if managed is None:
        return insights
    condition = Q(site_id__in=managed) if managed else Q(pk__in=[])
    if own := _own(user, "site_id", "raised_by", exclude=managed):
        condition |= own
    organisations = responder_organisations(user)
    if organisations:
        condition |= Q(
            pk__in=Routing.objects.filter(body__organisation_id__in=organisations).values(
                "insight_id"
            )
        )
    return insights.filter(condition)


def visible_routings(user, insight: Insight | None = None) -> QuerySet[Routing]:
    """Routings ``user`` may open: the site team sees all of its site's; a decision-maker
    only their organisation's."""
    routings = Routing.objects.all()
    if insight is not None:
        routings = routings.filter(insight=insight)
    if not user.is_authenticated:
        return routings.none()
    managed = sites_where(user, Permission.INSIGHT_MANAGE)
    if managed is None:
        return routings
    condition = Q(insight__site_id__in=managed) if managed else Q(pk__in=[])
    organisations = responder_organisations(user)
    if organisations:
        condition |= Q(body__organisation_id__in=organisations)
    # A connector sees where their own insight went (not the responses' authors).
    if own := _own(user, "insight__site_id", "insight__raised_by", exclude=managed):
        condition |= own
    return routings.filter(condition)


def _own(user, site: str, raised_by: str, *, exclude: set[int]) -> Q | None:
    """Insights ``user`` raised (``raised_by`` names the field) at sites where they record,
    or where their connector record is paused (read-only there), other than ``exclude``
    (sites they see whole). Someone who records somewhere has an OR on their own insights
    anyway, so the paused sites go in as a subquery; anyone else asks once per request, so
    that the site team's filter stays one list of sites."""
    recorded = (sites_where(user, Permission.ACTIVITY_RECORD) or set()) - exclude
    if recorded:
        at = Q(**{f"{site}__in": recorded}) | Q(**{f"{site}__in": paused_site_ids(user)})
        return Q(**{raised_by: user}) & at
    paused = set(paused_sites(user)) - exclude
    if paused:
        return Q(**{raised_by: user, f"{site}__in": paused})
    return None


def may_raise(user, site) -> bool:
    return has_permission(user, Permission.ACTIVITY_RECORD, site=site) or has_permission(
        user, Permission.INSIGHT_MANAGE, site=site
    )


def paused_notice(user, site=None) -> str:
    """Why a connector paused at a site (``site``, when given) sees their insights there
    but may not record or change any (empty when they are paused nowhere)."""
    return engagement_access.paused_notice(user, "insights", site)


def why_not_raise(user, site=None) -> list[str]:
    """Why ``user``, refused by ``may_raise``, may not record insights (at ``site``): one
    message for each site where their connector record is not active (not yet, or paused or
    left); empty otherwise."""
    return not_recording(user, "insights", site)


def may_raise_everywhere(user) -> bool:
    """May record an insight at every site (national admins), choosing the site first."""
    return (
        sites_where(user, Permission.ACTIVITY_RECORD) is None
        or sites_where(user, Permission.INSIGHT_MANAGE) is None
    )


def may_manage(user, site) -> bool:
    return has_permission(user, Permission.INSIGHT_MANAGE, site=site)


def may_respond(user, routing: Routing) -> bool:
    return has_permission(
        user, Permission.INSIGHT_RESPOND, organisation=routing.body.organisation_id
    )
