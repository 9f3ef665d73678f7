"""Who may see and change what in the connector network. Pages and the API both use these.

- Managing connectors (the pipeline, checks, training, invitations, imports): anyone with
  CONNECTOR_MANAGE for the site — its site lead and host coordinators, and national admins.
- Confidential support (supervision and check-in notes, wellbeing flags) and lived
  experience: only the site's host coordinators. Not the site lead, not national staff.
- Development goals and pathway: the site's host coordinators and the connector themself.
- A connector sees only their own records.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.accounts.roles import HostCoordinator
from core20.network.models import STEPPED_BACK, Connector
from core20.programme.models import Site


def managed_sites(user) -> QuerySet[Site]:
    where = sites_where(user, Permission.CONNECTOR_MANAGE)
    if where is None:
        return Site.objects.all()
    return Site.objects.filter(pk__in=where)


def may_manage(user, site) -> bool:
    return has_permission(user, Permission.CONNECTOR_MANAGE, site=site)


def is_host_coordinator(user, site) -> bool:
    """A host coordinator at this very site (national roles do not count)."""
    if not user.is_authenticated or not user.is_active:
        return False
    site_id = getattr(site, "pk", site)
    return any(
        m.role == HostCoordinator.key and m.site_id == site_id for m in user.cached_memberships
    )


def is_own(user, connector: Connector) -> bool:
    return user.is_authenticated and connector.user_id is not None and connector.user_id == user.pk


# On the user object, which lives for one request (like its cached memberships).
_HAS_RECORD = "_has_connector_record"


def has_own_record(user) -> bool:
    """Whether ``user`` has a connector record, whatever its stage. The header asks on every
    page, so the answer is kept for the rest of the request."""
    if user is None or not user.is_authenticated:
        return False
    if not hasattr(user, _HAS_RECORD):
        setattr(user, _HAS_RECORD, Connector.objects.for_user(user).exists())
    return getattr(user, _HAS_RECORD)


def note_own_records(user, records: list[Connector]) -> None:
    """Tell ``has_own_record`` what a page loaded anyway: every record of ``user``."""
    if user.is_authenticated:
        setattr(user, _HAS_RECORD, bool(records))


def may_see_confidential(user, connector: Connector) -> bool:
    """Supervision notes, check-ins and wellbeing flags."""
    return is_host_coordinator(user, connector.site_id)


def may_see_lived_experience(user, connector: Connector) -> bool:
    return is_host_coordinator(user, connector.site_id) or is_own(user, connector)


def may_see_development(user, connector: Connector) -> bool:
    """Development goals and pathway steps."""
    return is_host_coordinator(user, connector.site_id) or is_own(user, connector)


def require_manage(user, site) -> None:
    if not may_manage(user, site):
        raise PermissionDenied


def site_to_manage(user, slug: str) -> Site:
    """The site, if the user manages connectors there: other sites are 404 for people who
    manage connectors somewhere, 403 for everyone else."""
    site = get_object_or_404(Site, slug=slug)
    if may_manage(user, site):
        return site
    if sites_where(user, Permission.CONNECTOR_MANAGE):
        raise Http404
    raise PermissionDenied


def connector_to_manage(user, slug: str, pk: int) -> Connector:
    site = site_to_manage(user, slug)
    return get_object_or_404(
        Connector.objects.select_related("site", "host_organisation", "user"), site=site, pk=pk
    )


# Why someone with a connector record may not record at a site themselves: their connector
# role there is current only while the record is active (``actions.sync_role``).
NOT_RECORDING = (
    "You can record {what} only while you are an active connector at {site}. Ask your coordinator."
)
NOT_YET_RECORDING = (
    "You can record {what} once you are an active connector at {site}: your coordinator makes "
    "you active when your checks and training are done."
)


def not_recording(user, what: str, site=None) -> list[str]:
    """Why ``user`` may not record ``what`` ("activities", "insights") themselves: for each
    of their own connector records that is not active (at ``site`` only, when given),
    ``NOT_YET_RECORDING`` before it (checks, training...) and ``NOT_RECORDING`` once paused
    or left. Their connector role there is not current (``actions.sync_role``), so
    ``has_permission`` refuses them: this is only the explanation, asked once it has. Empty
    when they have no such record (the usual "no permission" answer applies). One query."""
    if user is None or not user.is_authenticated:
        return []
    records = Connector.objects.for_user(user).exclude(status=Connector.Status.ACTIVE)
    if site is not None:
        records = records.filter(site_id=getattr(site, "pk", site))
    found = records.order_by("site__name", "pk").values_list("site__name", "status")
    return [
        (NOT_RECORDING if status in STEPPED_BACK else NOT_YET_RECORDING).format(
            what=what, site=name
        )
        for name, status in found
    ]
