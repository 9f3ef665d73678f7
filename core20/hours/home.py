"""Hours and expenses on the home page.

For people who approve claims and hours (CLAIM_APPROVE: site leads, host coordinators,
national admins): expense claims waiting for a decision, approved claims waiting to be paid
and hours entries waiting for approval (other than their own, which someone else approves,
and those of connectors whose details were erased), at their sites: each site's page lists
every one of them under "Hours to approve".
For a connector: their draft claims not yet submitted, and claims rejected recently (the
reason is on the claim).
"""

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import sites_where
from core20.accounts.permissions import Permission
from core20.hours.models import ExpenseClaim, HoursEntry
from core20.network.models import Connector
from core20.web.dashboard import Shortcut, Waiting, one_site_slug

Status = ExpenseClaim.Status
# A rejection is final (the connector starts a new claim), so it is news only for a while.
REJECTED_RECENTLY = timedelta(days=30)


def sites_url(user, where: set[int] | None) -> str:
    """The site's hours and expenses when the user approves at just one site, otherwise the
    list of their sites (each with how many claims wait)."""
    slug = one_site_slug(user, where)
    if slug is None:
        return reverse("hours:sites")
    return reverse("hours:site", args=[slug])


def hours_to_approve(user, where: set[int] | None) -> QuerySet[HoursEntry]:
    """Hours ``user`` may approve at the sites in ``where`` (None for every site): not yet
    approved, not their own (nobody approves their own hours) and not those of a connector
    whose details were erased (their record is closed: ``actions.approve_hours`` refuses
    them). The one rule behind the count on the home page, the counts on the list of sites
    and the "Hours to approve" list on a site's page, so that they always agree."""
    entries = HoursEntry.objects.filter(approved_at__isnull=True, connector__erased_at__isnull=True)
    if where is not None:
        entries = entries.filter(site_id__in=sorted(where))
    return entries.exclude(connector__user=user)


def waiting(user) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    where = sites_where(user, Permission.CLAIM_APPROVE)
    own = Q(connector__user=user)
    recently = Q(decided_at__gte=timezone.now() - REJECTED_RECENTLY)
    counts = {
        "drafts": Count("pk", filter=own & Q(status=Status.DRAFT)),
        "rejected": Count("pk", filter=own & Q(status=Status.REJECTED) & recently),
    }
    claims = ExpenseClaim.objects.filter(own)
    if where is None or where:
        # Every claim at the sites, as the site's page lists them, even the few this person
        # may not approve (their own, or one they prepared: someone else approves those).
        managed = Q(site_id__in=sorted(where)) if where is not None else Q(pk__isnull=False)
        counts["to_decide"] = Count("pk", filter=managed & Q(status=Status.SUBMITTED))
        counts["to_pay"] = Count("pk", filter=managed & Q(status=Status.APPROVED))
        claims = ExpenseClaim.objects.filter(managed | own)
    counts = {"to_decide": 0, "to_pay": 0, **claims.aggregate(**counts)}
    hours = hours_to_approve(user, where).count() if where is None or where else 0
    found = []
    if counts["to_decide"] or counts["to_pay"] or hours:
        url = sites_url(user, where)
        found += [
            Waiting(
                counts["to_decide"], "expense claim to decide", "expense claims to decide", url
            ),
            Waiting(
                counts["to_pay"],
                "approved expense claim to pay",
                "approved expense claims to pay",
                url,
            ),
            Waiting(hours, "hours entry to approve", "hours entries to approve", url),
        ]
    # The claims come after the hours on that page: a phone would scroll a long way to them.
    mine = reverse("hours:mine") + "#claims"
    found += [
        Waiting(
            counts["drafts"],
            "draft expense claim to submit",
            "draft expense claims to submit",
            mine,
        ),
        Waiting(
            counts["rejected"],
            "expense claim rejected recently",
            "expense claims rejected recently",
            mine,
        ),
    ]
    return [entry for entry in found if entry.count]


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    found = []
    # Connectors record their own hours and claims only while active (hours actions).
    if Connector.objects.for_user(user).active().exists():
        found += [
            Shortcut("Log your hours", reverse("hours:log-hours")),
            Shortcut(
                "Claim expenses", reverse("hours:claim-create"), "Such as travel or refreshments"
            ),
        ]
    where = sites_where(user, Permission.CLAIM_APPROVE)
    if where is None or where:
        found.append(
            Shortcut(
                "Check hours and expenses",
                sites_url(user, where),
                "Claims to decide and pay, hours and payments",
            )
        )
    return found
