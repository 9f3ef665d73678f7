"""What each user may see of the programme. Pages and the API both use these."""

from django.db.models import Q, QuerySet

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.programme.models import Site


def visible_sites(user) -> QuerySet[Site]:
    """Published sites for everyone; unpublished ones only for national staff and the
    site's own team."""
    sites = Site.objects.all()
    where = sites_where(user, Permission.SITE_VIEW_UNPUBLISHED)
    if where is None:
        return sites
    return sites.filter(Q(published=True) | Q(pk__in=where))


def can_view_internal(user, site: Site) -> bool:
    """Internal notes and contact details: national staff and the site's own team."""
    return has_permission(user, Permission.SITE_VIEW_INTERNAL, site=site)
