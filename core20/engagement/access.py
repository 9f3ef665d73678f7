"""Who may see and change which activities. Pages, the API and exports all use these.

- Connectors (ACTIVITY_RECORD at their site) record activities and see and edit only the
  ones they recorded; anyone else's is a 404 to them.
- Host coordinators (ACTIVITY_RECORD and CONNECTOR_MANAGE at their site) and national
  admins see, edit, import and export every activity of the site.
- Site leads and national analysts (SITE_VIEW_INTERNAL) see the site's activities, its
  dashboard and exports, read-only.
- A connector who is paused or has left a site no longer holds the connector role there
  (core20.network.actions.sync_role), so they are refused like anyone else; ``why_not``
  says why ("only while you are an active connector at ...").
"""

from django.db.models import Q, QuerySet

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.engagement.models import Activity
from core20.network.visibility import not_recording
from core20.programme.models import Site


def can_record(user, site) -> bool:
    return has_permission(user, Permission.ACTIVITY_RECORD, site=site)


def why_not(user, site=None) -> list[str]:
    """Why ``user``, refused by ``can_record``, may not record activities (at ``site``): one
    message for each site where their connector record is paused or left; empty otherwise."""
    return not_recording(user, "activities", site)


def can_manage_site(user, site) -> bool:
    """Every activity of the site: edit, import (host coordinators, national admins)."""
    return can_record(user, site) and has_permission(user, Permission.CONNECTOR_MANAGE, site=site)


def can_view_site(user, site) -> bool:
    """Every activity of the site, read-only; its dashboard and exports."""
    return can_manage_site(user, site) or has_permission(
        user, Permission.SITE_VIEW_INTERNAL, site=site
    )


def recording_sites(user) -> QuerySet[Site]:
    where = sites_where(user, Permission.ACTIVITY_RECORD)
    sites = Site.objects.order_by("name")
    return sites if where is None else sites.filter(pk__in=where)


def _site_wide(user) -> set[int] | None:
    """Sites where the user sees every activity (None: every site)."""
    viewing = sites_where(user, Permission.SITE_VIEW_INTERNAL)
    recording = sites_where(user, Permission.ACTIVITY_RECORD)
    managing = sites_where(user, Permission.CONNECTOR_MANAGE)
    # None means "every site" in each of these.
    if recording is None:
        both = managing
    elif managing is None:
        both = recording
    else:
        both = recording & managing
    if viewing is None or both is None:
        return None
    return viewing | both


def sees_one_site(user) -> bool:
    """Whether every activity the user may see is at one site (a connector's own, a host
    coordinator's site): lists then leave the site out."""
    wide = _site_wide(user)
    recording = sites_where(user, Permission.ACTIVITY_RECORD)
    if wide is None or recording is None:
        return False
    return len(set(wide) | set(recording)) <= 1


def activity_sites(user) -> QuerySet[Site]:
    """The sites whose activities the user sees (all of them, or only their own), by name:
    the choices of the list's site filter."""
    wide = _site_wide(user)
    recording = sites_where(user, Permission.ACTIVITY_RECORD)
    sites = Site.objects.order_by("name")
    if wide is None or recording is None:
        return sites
    return sites.filter(pk__in=set(wide) | set(recording))


def visible_activities(user) -> QuerySet[Activity]:
    """The activities the user may see (the same answer on pages, the API and exports)."""
    activities = Activity.objects.all()
    if not user.is_authenticated:
        return activities.none()
    wide = _site_wide(user)
    if wide is None:
        return activities
    # Their own activities count only at sites they do not already see whole; leaving the
    # OR out when there are none lets the database use the site index (a coordinator's
    # list at 24,000 activities: ~2 ms of SQL instead of a scan).
    own = set(sites_where(user, Permission.ACTIVITY_RECORD) or set()) - set(wide)
    if not own:
        return activities.filter(site_id__in=wide)
    mine = Q(recorded_by=user) | Q(connector__user=user)
    return activities.filter(Q(site_id__in=wide) | (mine & Q(site_id__in=own)))


def can_edit(user, activity: Activity) -> bool:
    if can_manage_site(user, activity.site_id):
        return True
    mine = activity.recorded_by_id == user.pk or (
        activity.connector_id is not None and activity.connector.user_id == user.pk
    )
    return mine and can_record(user, activity.site_id)
