"""Read-side helpers other apps use (the activities helper signposts through these)."""

from django.db.models import Q, QuerySet

from core20.directory.models import Service


def services_for_site(site) -> QuerySet[Service]:
    """The services a site's connectors can signpost to: national services and the site's
    own, active ones only (published or not: signposting is done by the site's team, who
    see drafts too). Ordered by name; the organisation comes with each service."""
    site_id = getattr(site, "pk", site)
    return (
        Service.objects.filter(Q(site__isnull=True) | Q(site_id=site_id))
        .filter(status=Service.Status.ACTIVE)
        .select_related("organization")
        .order_by("name", "id")
    )
