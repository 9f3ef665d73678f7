"""The connector network on the home page.

For people who manage connectors (CONNECTOR_MANAGE: site leads, host coordinators, national
admins): new expressions of interest, and connectors whose checks or training have expired or
run out within the reminder window. Connectors with open wellbeing flags only for the site's
host coordinators, who alone may see them. For a connector: their own checks and training to
renew.

``own_training_due`` is the one rule for a connector's "training due next": their connector
home and ``GET /api/v1/network/me`` both show it, and its "to renew" is what the dashboard
counts.

``own_hours`` is the connector home's card of their hours and expenses: hours a coordinator
has approved kept apart from hours still waiting for approval, and whether they may log
hours and start claims themselves (not once they have left or are paused).

``role_ended`` is, for a connector record at a site where the person has no current role
(their connector role there is current only while the record is active:
``actions.sync_role`` gives it when they are made active and ends it when they are moved to
any other stage), whom their home tells them to contact.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import sites_where
from core20.accounts.models import Membership
from core20.accounts.permissions import Permission
from core20.accounts.roles import HostCoordinator, SiteLead
from core20.hours.actions import hours_totals, may_record_on, own_record
from core20.hours.models import ExpenseClaim, HoursEntry
from core20.network import requirements
from core20.network.models import (
    Check,
    Connector,
    TrainingCompletion,
    TrainingModule,
    WellbeingFlag,
)
from core20.network.reminders import DEFAULT_DAYS
from core20.web.dashboard import Shortcut, Waiting, one_site_slug

# Values of the ``need`` filter on a site's connectors page.
RENEWAL = "renewal"
SUPPORT = "support"

STILL_IN = ~Q(status=Connector.Status.LEFT)


def checks_to_renew(today: date) -> QuerySet[Check]:
    """Clear checks that have expired or expire within the reminder window."""
    return Check.objects.filter(
        status=Check.Status.CLEAR,
        expires_on__isnull=False,
        expires_on__lte=today + timedelta(days=DEFAULT_DAYS),
    ).exclude(connector__status=Connector.Status.LEFT)


def training_to_renew(today: date) -> QuerySet[TrainingCompletion]:
    """The latest completion of each module (a renewal replaces it) that has expired or
    expires within the reminder window. Two completions on the same day are one: the later
    recorded counts (``requirements.replaced``)."""
    return (
        TrainingCompletion.objects.filter(
            expires_on__isnull=False, expires_on__lte=today + timedelta(days=DEFAULT_DAYS)
        )
        .exclude(connector__status=Connector.Status.LEFT)
        .exclude(requirements.replaced())
    )


def needs_renewal(today: date, *, expired: bool = False) -> Q:
    """Connectors with a check or training to renew (``expired``: already run out)."""
    checks = checks_to_renew(today).filter(connector=OuterRef("pk"))
    training = training_to_renew(today).filter(connector=OuterRef("pk"))
    if expired:
        checks = checks.filter(expires_on__lt=today)
        training = training.filter(expires_on__lt=today)
    return Q(Exists(checks)) | Q(Exists(training))


def has_open_flag() -> Q:
    """Connectors with a wellbeing flag not yet resolved (for host coordinators only)."""
    return Q(
        Exists(WellbeingFlag.objects.filter(connector=OuterRef("pk"), resolved_at__isnull=True))
    )


def _list_url(user, site_ids: set[int] | None, need: str = "") -> str:
    """One site's connectors (filtered by ``need``) when there is just one site, otherwise
    the network's start page, which lists the user's sites."""
    slug = one_site_slug(user, site_ids)
    if slug is None:
        return reverse("network:index")
    url = reverse("network:site-connectors", args=[slug])
    return f"{url}?{need}" if need else url


def _host_sites(user) -> set[int]:
    """Sites where the user is a host coordinator (national roles do not count)."""
    if not user.is_active:
        return set()
    return {m.site_id for m in user.cached_memberships if m.role == HostCoordinator.key}


def _managed(user, where: set[int] | None, hosted: set[int], today: date) -> list[Waiting]:
    connectors = Connector.objects.all()
    if where is not None:
        connectors = connectors.filter(site_id__in=sorted(where))
    counts = {
        "interested": Count("pk", filter=Q(status=Connector.Status.INTERESTED)),
        "renew": Count("pk", filter=STILL_IN & needs_renewal(today)),
        "expired": Count("pk", filter=STILL_IN & needs_renewal(today, expired=True)),
    }
    if hosted:
        counts["flagged"] = Count(
            "pk", filter=STILL_IN & Q(site_id__in=sorted(hosted)) & has_open_flag()
        )
    counts = {"flagged": 0, **connectors.aggregate(**counts)}
    return [
        Waiting(
            counts["interested"],
            "new expression of interest",
            "new expressions of interest",
            _list_url(user, where, f"stage={Connector.Status.INTERESTED}"),
        ),
        Waiting(
            counts["renew"],
            "connector with checks or training to renew",
            "connectors with checks or training to renew",
            _list_url(user, where, f"need={RENEWAL}"),
            overdue=counts["expired"],
        ),
        Waiting(
            counts["flagged"],
            "connector with an open wellbeing flag",
            "connectors with open wellbeing flags",
            _list_url(user, hosted, f"need={SUPPORT}"),
        ),
    ]


def own_training_to_renew(user, today: date) -> QuerySet[TrainingCompletion]:
    """A connector's own training to renew, on any of their records: what the dashboard
    counts and their connector home lists under "to renew"."""
    return training_to_renew(today).filter(connector__user=user)


# The states of a module in a connector's training due next (their home and the API).
EXPIRED = "expired"
RENEW_SOON = "renew soon"
NOT_DONE = "not done"
LATER = "later"


@dataclass(frozen=True)
class DueModule:
    module: TrainingModule
    state: str
    expires_on: date | None = None  # None: never done


@dataclass
class TrainingDue:
    """One connector record's training due next, in the three groups their home shows."""

    # Any module, optional ones too, expired or running out within DEFAULT_DAYS.
    to_renew: list[DueModule] = field(default_factory=list)
    # Modules the site requires that were never done.
    still_to_do: list[DueModule] = field(default_factory=list)
    # Required modules done and next due after DEFAULT_DAYS.
    later: list[DueModule] = field(default_factory=list)

    @property
    def now(self) -> list[DueModule]:
        """What to do now: to renew, then still to do."""
        return self.to_renew + self.still_to_do


def own_training_due(
    user, today: date, records: Iterable[Connector] | None = None
) -> dict[int, TrainingDue]:
    """The training due next on each of ``user``'s connector records, by record id.

    "To renew" is ``own_training_to_renew``, so the connector home, the API and the
    dashboard's count agree. Someone who has left has nothing due. ``records``: the user's
    own records with their site, when the caller has loaded them (prefetching
    ``training_completions`` saves a query for each).
    """
    if records is None:
        records = Connector.objects.for_user(user).select_related("site")
    renewals = own_training_to_renew(user, today).select_related("module")
    to_renew = defaultdict(list)
    for completion in renewals.order_by("expires_on", "module__title", "pk"):
        state = EXPIRED if completion.expires_on < today else RENEW_SOON
        to_renew[completion.connector_id].append(
            DueModule(completion.module, state, completion.expires_on)
        )
    window_ends = today + timedelta(days=DEFAULT_DAYS)
    records = list(records)
    modules = requirements.required_modules_by_site(c.site_id for c in records)
    due = {}
    for connector in records:
        if connector.status == Connector.Status.LEFT:
            due[connector.pk] = TrainingDue()
            continue
        latest = requirements.latest_completions(connector)
        still_to_do, later = [], []
        for module in modules[connector.site_id]:
            completion = latest.get(module.pk)
            if completion is None:
                still_to_do.append(DueModule(module, NOT_DONE))
            elif completion.expires_on and completion.expires_on > window_ends:
                later.append(DueModule(module, LATER, completion.expires_on))
        later.sort(key=lambda item: (item.expires_on, item.module.title))
        due[connector.pk] = TrainingDue(to_renew[connector.pk], still_to_do, later)
    return due


@dataclass(frozen=True)
class OwnHours:
    approved: Decimal  # hours a coordinator has approved
    waiting: Decimal  # hours logged and not approved yet
    credits: Decimal  # time credits, earned when hours are logged
    open_claims: int  # expense claims in draft, submitted or approved (not paid)
    # Whether the hours app lets them log hours and start a claim for themselves now
    # (``may_record_own``): the card offers those links only then.
    may_record: bool


OPEN_CLAIMS = (
    ExpenseClaim.Status.DRAFT,
    ExpenseClaim.Status.SUBMITTED,
    ExpenseClaim.Status.APPROVED,
)


def may_record_own(user, records: Iterable[Connector]) -> bool:
    """Whether ``user`` may log their own hours and start their own expense claims, by the
    hours app's own rule, from records already loaded (no query beyond the permission
    check): on the record its forms act on, if they may record on it. Someone who has left
    or is paused is told to ask their coordinator instead."""
    chosen = own_record(records)
    return chosen is not None and may_record_on(user, chosen)


def own_hours(records: Iterable[Connector], *, user) -> OwnHours | None:
    """The hours and expenses on a connector's own records (all their sites), for their
    home, in two queries; None for someone with no connector record."""
    records = list(records)
    ids = [c.pk for c in records]
    if not ids:
        return None
    # The same totals as their "Your hours and expenses" page (hours:mine).
    totals = hours_totals(HoursEntry.objects.filter(connector_id__in=ids))
    open_claims = ExpenseClaim.objects.filter(connector_id__in=ids, status__in=OPEN_CLAIMS)
    return OwnHours(
        approved=totals["approved"],
        waiting=totals["waiting"],
        credits=totals["credits"],
        open_claims=open_claims.count(),
        may_record=may_record_own(user, records),
    )


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def role_ended(user, records: Iterable[Connector]) -> dict[int, list[Contact]]:
    """Whom to contact, by connector record id, for each of ``user``'s records at a site
    where they may no longer record activities and hold no other current role (their
    connector role there has ended): the
    activities and insights they recorded there are then hidden from them
    (engagement.access, insights.access), so their home says so instead of leaving those
    cards out without a word. The contacts are the site's host coordinators, or its site
    leads where it has none, or the site's contact email; an empty list where there is
    nobody. One query, however many records; none where every role is current."""
    recording = sites_where(user, Permission.ACTIVITY_RECORD)
    if recording is None:
        return {}
    # Someone with another current role at the site (a site lead, say) has not left it.
    current = {m.site_id for m in user.cached_memberships if m.site_id}
    ended = [c for c in records if c.site_id not in recording and c.site_id not in current]
    if not ended:
        return {}
    roles = (HostCoordinator.key, SiteLead.key)
    people: dict[int, dict[str, list[Contact]]] = defaultdict(lambda: defaultdict(list))
    memberships = (
        Membership.objects.filter(
            site_id__in={c.site_id for c in ended},
            role__in=roles,
            ended_at__isnull=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__full_name", "user__pk")
    )
    for membership in memberships:
        person = membership.user
        people[membership.site_id][membership.role].append(Contact(str(person), person.email))
    contacts = {}
    for connector in ended:
        at_site = people[connector.site_id]
        found = next((at_site[role] for role in roles if at_site[role]), [])
        if not found and connector.site.contact_email:
            found = [Contact(connector.site.name, connector.site.contact_email)]
        contacts[connector.pk] = found
    return contacts


def _own(user, today: date) -> list[Waiting]:
    expired = Count("pk", filter=Q(expires_on__lt=today))
    checks = checks_to_renew(today).filter(connector__user=user)
    training = own_training_to_renew(user, today)
    checks = checks.aggregate(due=Count("pk"), expired=expired)
    training = training.aggregate(due=Count("pk"), expired=expired)
    me = reverse("network:me")
    return [
        Waiting(checks["due"], "check to renew", "checks to renew", me, checks["expired"]),
        Waiting(
            training["due"],
            "training module to renew",
            "training modules to renew",
            me,
            training["expired"],
        ),
    ]


def waiting(user) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    found = []
    where = sites_where(user, Permission.CONNECTOR_MANAGE)
    if where is None or where:
        # Host coordinators manage connectors, so their sites are among ``where``.
        found += _managed(user, where, _host_sites(user), today)
    found += _own(user, today)
    return [entry for entry in found if entry.count]


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    found = []
    where = sites_where(user, Permission.CONNECTOR_MANAGE)
    if where is None or where:
        found.append(
            Shortcut(
                "Manage connectors",
                _list_url(user, where),
                "New expressions of interest, checks and training",
            )
        )
    slug = one_site_slug(user, where)
    if slug is not None:
        found.append(Shortcut("Add a connector", reverse("network:connector-add", args=[slug])))
    # No "connector home" shortcut: the header links to it for anyone with a connector
    # record, whatever its stage (core20.web.navigation), and the dashboard leaves out
    # shortcuts the header already gives.
    return found
