"""Who may see and change which activities. Pages, the API and exports all use these.

- Connectors (ACTIVITY_RECORD at their site) record activities and see and edit only the
  ones they recorded; anyone else's is a 404 to them.
- Host coordinators (ACTIVITY_RECORD and CONNECTOR_MANAGE at their site) and national
  admins see, edit, import and export every activity of the site.
- Site leads and national analysts (SITE_VIEW_INTERNAL) see the site's activities, its
  dashboard and exports, read-only.
- A connector holds the connector role at a site only while their record there is active
  (not yet in checks or training, not once paused or left:
  core20.network.actions.sync_role), so otherwise they may not record, edit or delete
  there; ``why_not`` says why ("once you are an active connector at ...", "only while
  you are an active connector at ...").
- While their record at a site is *paused* they still see, read-only, the activities they
  recorded there (``paused_sites``); the list and the activity say so once. Someone who has
  *left* sees none of them: their access ends when they leave.
"""

from django.db.models import Q, QuerySet

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.engagement.models import Activity
from core20.network.models import Connector
from core20.network.visibility import not_recording, note_own_records
from core20.programme.models import Site

# On the user object, which lives for one request (like its cached memberships).
_PAUSED = "_paused_connector_sites"

PAUSED_NOTICE = (
    "You are paused as a connector at {site}, so you can see the {what} you recorded there "
    "but you cannot add or change them. Ask your coordinator if you want to start again."
)


def paused_sites(user) -> dict[int, str]:
    """{site id: site name} for each site where ``user``'s own connector record is paused:
    they see, read-only, the activities and insights they recorded there. One query, once
    per request (kept on the user); it loads all their records, so it also answers the
    header's ``has_own_record``."""
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(user, _PAUSED):
        records = list(
            Connector.objects.for_user(user)
            .select_related("site")
            .only("site", "status", "site__name")
            .order_by("site__name")
        )
        note_own_records(user, records)
        setattr(
            user,
            _PAUSED,
            {c.site_id: c.site.name for c in records if c.status == Connector.Status.PAUSED},
        )
    return getattr(user, _PAUSED)


def paused_site_ids(user) -> QuerySet[Connector]:
    """``paused_sites`` as a subquery (site ids), for a filter that has an OR on the
    person's own records anyway: no query of its own."""
    return Connector.objects.for_user(user).filter(status=Connector.Status.PAUSED).values("site_id")


def paused_notice(user, what: str, site=None) -> str:
    """One sentence for a list or a page: ``PAUSED_NOTICE`` naming the sites where ``user``
    is paused (only ``site``, when given), ``what`` being "activities" or "insights"; empty
    when they are paused nowhere."""
    sites = paused_sites(user)
    if site is not None:
        site_id = getattr(site, "pk", site)
        sites = {site_id: sites[site_id]} if site_id in sites else {}
    names = list(sites.values())
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return PAUSED_NOTICE.format(site=joined, what=what)


def can_record(user, site) -> bool:
    return has_permission(user, Permission.ACTIVITY_RECORD, site=site)


def why_not(user, site=None) -> list[str]:
    """Why ``user``, refused by ``can_record``, may not record activities (at ``site``): one
    message for each site where their connector record is not active (not yet, or paused or
    left); empty otherwise."""
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


def _own_sites(user) -> set[int] | None:
    """Sites where the user sees at least their own activities: where they record, and
    where they are paused (None: every site)."""
    wide = _site_wide(user)
    recording = sites_where(user, Permission.ACTIVITY_RECORD)
    if wide is None or recording is None:
        return None
    return set(wide) | set(recording) | set(paused_sites(user))


def sees_one_site(user) -> bool:
    """Whether every activity the user may see is at one site (a connector's own, a host
    coordinator's site): lists then leave the site out."""
    sites = _own_sites(user)
    return sites is not None and len(sites) <= 1


def activity_sites(user) -> QuerySet[Site]:
    """The sites whose activities the user sees (all of them, or only their own), by name:
    the choices of the list's site filter."""
    sites = _own_sites(user)
    everything = Site.objects.order_by("name")
    return everything if sites is None else everything.filter(pk__in=sites)


def visible_activities(user) -> QuerySet[Activity]:
    """The activities the user may see (the same answer on pages, the API and exports)."""
    activities = Activity.objects.all()
    if not user.is_authenticated:
        return activities.none()
    wide = _site_wide(user)
    if wide is None:
        return activities
    mine = Q(recorded_by=user) | Q(connector__user=user)
    # Their own activities count only at sites they do not already see whole; leaving the
    # OR out when there are none lets the database use the site index (a coordinator's
    # list at 24,000 activities: ~2 ms of SQL instead of a scan).
    own = set(sites_where(user, Permission.ACTIVITY_RECORD) or set()) - set(wide)
    if own:
        # A connector: the OR is there anyway, so the sites where they are paused go in
        # as a subquery (no query of their own; the home panels count on it).
        return activities.filter(
            Q(site_id__in=wide)
            | (mine & (Q(site_id__in=own) | Q(site_id__in=paused_site_ids(user))))
        )
    # Anyone else asks once whether they are paused somewhere (kept for the request), so
    # that the site team's list keeps its one-index filter.
    paused = set(paused_sites(user)) - set(wide)
    if not paused:
        return activities.filter(site_id__in=wide)
    return activities.filter(Q(site_id__in=wide) | (mine & Q(site_id__in=paused)))


def can_edit(user, activity: Activity) -> bool:
    """Change or delete: the site team, or the connector who recorded it while they record
    at its site (not while paused there: they only see it)."""
    if can_manage_site(user, activity.site_id):
        return True
    mine = activity.recorded_by_id == user.pk or (
        activity.connector_id is not None and activity.connector.user_id == user.pk
    )
    return mine and can_record(user, activity.site_id)
