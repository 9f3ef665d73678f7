"""The one authorisation check: ``has_permission(user, Permission.X, site=..., organisation=...)``.

A national membership grants its permissions everywhere. A site membership grants them
only when the check names that site; an organisation membership only when it names that
organisation. With no site or organisation given, only national memberships count: to
ask "where may this user do X?", use ``sites_where``.
"""

from django.core.exceptions import PermissionDenied

from core20.accounts.permissions import Permission
from core20.accounts.roles import ROLES


def has_permission(user, permission: Permission, *, site=None, organisation=None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    site_id = getattr(site, "pk", site)
    organisation_id = getattr(organisation, "pk", organisation)
    for membership in user.cached_memberships:
        role = ROLES[membership.role]
        if permission not in role.permissions:
            continue
        if role.scope == "national":
            return True
        if site_id is not None and membership.site_id == site_id:
            return True
        if organisation_id is not None and membership.organisation_id == organisation_id:
            return True
    return False


def require_permission(user, permission: Permission, *, site=None, organisation=None) -> None:
    """Raise PermissionDenied (a 403 page, or a JSON 403 from the API) unless allowed."""
    if not has_permission(user, permission, site=site, organisation=organisation):
        raise PermissionDenied


def sites_where(user, permission: Permission) -> set[int] | None:
    """Ids of the sites where the user has ``permission``; None means every site."""
    if not user.is_authenticated:
        return set()
    ids = set()
    for membership in user.cached_memberships:
        role = ROLES[membership.role]
        if permission not in role.permissions:
            continue
        if role.scope == "national":
            return None
        if membership.site_id:
            ids.add(membership.site_id)
    return ids


def own_sites(user, permission: Permission) -> dict:
    """{site id: site} where one of the user's *site* memberships grants ``permission``:
    the sites whose own work this is (a national role may step in anywhere, but no site's
    work waits for it). From the cached memberships: no query."""
    if not user.is_authenticated:
        return {}
    return {
        m.site_id: m.site
        for m in user.cached_memberships
        if m.site_id and permission in ROLES[m.role].permissions
    }


def at_some_site(user, permission: Permission) -> bool:
    """True if the user holds ``permission`` at one site or more (national roles: at every
    site). Memberships of an organisation do not count: see ``has_any_permission``."""
    where = sites_where(user, permission)
    return where is None or bool(where)


def has_any_permission(user, permission: Permission) -> bool:
    """True if the user holds ``permission`` anywhere, at a site or through an organisation
    (for navigation, not for access)."""
    if at_some_site(user, permission):
        return True
    if not user.is_authenticated:
        return False
    return any(
        permission in ROLES[m.role].permissions and m.organisation_id
        for m in user.cached_memberships
    )
