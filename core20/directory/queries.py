"""Read-side helpers: who sees which services, and the querysets pages, the API, exports and
other apps (the activities helper signposts through ``services_for_site``) use.

Who sees what:

- everyone, signed in or not: published services (national ones, and those of published
  sites) in the public directory;
- the team at a site (any role there except community member): also their site's
  unpublished services, which a site may keep for its own team (a referral route for
  professionals only, say);
- national admins (DIRECTORY_MANAGE everywhere): everything, drafts included.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.audit.models import AuditEvent
from core20.directory.models import Contact, Service, ServiceAtLocation
from core20.programme.models import Site

# Roles that make someone part of a site's team for reading its directory.
PUBLIC_ROLES = frozenset({"community_member"})


def services_for_site(site) -> QuerySet[Service]:
    """The services a site's connectors can signpost to, active ones only: the site's own
    (published or not: a site may keep a referral route to its team) and published national
    ones (an unpublished national service is a draft). Ordered by name; the organisation
    comes with each service."""
    site_id = getattr(site, "pk", site)
    return (
        Service.objects.filter(Q(site__isnull=True, published=True) | Q(site_id=site_id))
        .filter(status=Service.Status.ACTIVE)
        .select_related("organization")
        .order_by("name", "id")
    )


def team_site_ids(user) -> set[int]:
    """The sites where ``user`` works (any site role but community member)."""
    if not user.is_authenticated:
        return set()
    return {m.site_id for m in user.cached_memberships if m.site_id and m.role not in PUBLIC_ROLES}


def visible_services(user) -> QuerySet[Service]:
    """The services ``user`` may find and read."""
    services = Service.objects.all()
    if sites_where(user, Permission.DIRECTORY_MANAGE) is None:
        return services
    public = Q(published=True) & (Q(site__isnull=True) | Q(site__published=True))
    own = team_site_ids(user)
    return services.filter(public | Q(site_id__in=own)) if own else services.filter(public)


def with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    """Everything a list or an export shows, fetched in a fixed number of queries."""
    return services.select_related("organization", "site").prefetch_related(
        "clinical_areas",
        "communities",
        "wards",
        "lads",
        "taxonomies",
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__ward", "location__lad"),
        ),
        Prefetch("contacts", queryset=Contact.objects.prefetch_related("phones")),
    )


def export_queryset(site) -> list[Service]:
    """A directory's own services (None: the national directory), for ORUK export."""
    scope = Q(site__isnull=True) if site is None else Q(site=site)
    return list(with_details(Service.objects.filter(scope)).order_by("name", "id"))


@dataclass
class ImportBatch:
    """What one import did, from its audit event (the import's record: its directory and the
    ORUK ids it added, updated and left unchanged), with the services as they are now.
    Services removed since are counted in ``removed``."""

    event: AuditEvent
    site: Site | None
    added: list[Service]
    updated: list[Service]
    unchanged: list[Service]
    removed: int

    @property
    def services(self) -> list[Service]:
        return [*self.added, *self.updated, *self.unchanged]

    @property
    def drafts(self) -> list[Service]:
        """The import's services not in the public directory."""
        return [s for s in self.services if not s.published]

    @property
    def new_drafts(self) -> list[Service]:
        """Services the import created that are still drafts: what "Publish all" publishes."""
        return [s for s in self.added if not s.published]

    @property
    def earlier_drafts(self) -> list[Service]:
        """Drafts the import changed or left as they were: they were drafts before it (an
        import without "publish" never unpublishes), perhaps kept so by the site on purpose,
        so they are published only one by one."""
        return [s for s in [*self.updated, *self.unchanged] if not s.published]


def import_batch(event_id: int) -> ImportBatch | None:
    """The directory import recorded as audit event ``event_id``; None if there is none (or
    its site has gone)."""
    event = AuditEvent.objects.filter(
        pk=event_id, verb=AuditEvent.Verb.IMPORT, object_type="directory.Service"
    ).first()
    if event is None:
        return None
    site = None
    if event.site_id is not None:
        site = Site.objects.filter(pk=event.site_id).first()
        if site is None:
            return None
    ids = {
        key: [i for i in event.changes.get(key, []) if isinstance(i, str)]
        for key in ("created", "updated", "unchanged")
    }
    scope = Q(site__isnull=True) if site is None else Q(site=site)
    found = {
        s.oruk_id: s
        for s in Service.objects.filter(
            scope, oruk_id__in=[i for group in ids.values() for i in group]
        ).select_related("organization")
    }

    def services(key: str) -> list[Service]:
        return sorted(
            (found[i] for i in dict.fromkeys(ids[key]) if i in found),
            key=lambda s: (s.name.lower(), s.pk),
        )

    return ImportBatch(
        event=event,
        site=site,
        added=services("created"),
        updated=services("updated"),
        unchanged=services("unchanged"),
        removed=len({i for group in ids.values() for i in group} - set(found)),
    )
