"""Activities on the signed-in home page: shortcuts only. Activities are nobody else's work to
approve, so nothing waits here."""

from django.urls import reverse

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.engagement import access
from core20.programme.models import Site
from core20.web.dashboard import Shortcut

# The activity form keeps what is saved offline and sends it later: said wherever it is linked.
RECORD_HINT = "Works with no connection: it is sent when you are back online"


def _anywhere(user, permission: Permission) -> bool:
    """Holds ``permission`` at a site; a national role only counts once a site exists (the
    pages refuse everyone while there are none)."""
    where = sites_where(user, permission)
    return Site.objects.exists() if where is None else bool(where)


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    records = _anywhere(user, Permission.ACTIVITY_RECORD)
    site_wide = sites_where(user, Permission.SITE_VIEW_INTERNAL)
    found = []
    if records:
        found.append(
            Shortcut(
                "Record an activity",
                reverse("engagement:activity-new"),
                RECORD_HINT,
            )
        )
    if records or _anywhere(user, Permission.SITE_VIEW_INTERNAL):
        hint = "" if site_wide != set() else "The activities you have recorded"
        found.append(Shortcut("See activities", reverse("engagement:activity-list"), hint))
    # A site's team gets its summary; national staff pick a site from the list.
    viewing = {
        m.site_id: m.site
        for m in user.cached_memberships
        if m.site_id and access.can_view_site(user, m.site_id)
    }
    if len(viewing) == 1 and site_wide is not None:
        (site,) = viewing.values()
        found.append(
            Shortcut(
                "See the activity summary",
                reverse("engagement:site-dashboard", args=[site.slug]),
                f"People reached at {site.name}, month by month",
            )
        )
    return found
