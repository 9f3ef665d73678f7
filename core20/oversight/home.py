"""Oversight on the home page: quarterly returns for a site's lead to write and submit, and
for the national team to review."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from core20.accounts.authorization import has_permission, own_sites
from core20.accounts.permissions import Permission
from core20.oversight import periods
from core20.oversight.dashboard import EXPECTED_STATUSES
from core20.oversight.models import QuarterlyReturn
from core20.programme.models import Site
from core20.web.dashboard import Shortcut, Waiting


def _own_sites(user, permission: Permission) -> list[Site]:
    """The sites where a site membership grants ``permission``, by name. Writing a return is
    the site's own work: a national role may step in, but no site's returns wait for it."""
    return sorted(own_sites(user, permission).values(), key=lambda site: site.name)


def _missing(site_ids: list[int]) -> set[int]:
    """Sites with no return at all for the last quarter whose return was due, counted as the
    national dashboard counts them (core20.oversight.dashboard)."""
    year, quarter = periods.last_due_quarter()
    due = periods.default_due_date(year, quarter)
    started = QuarterlyReturn.objects.filter(
        site=OuterRef("pk"), financial_year=year, quarter=quarter
    )
    return set(
        Site.objects.filter(
            pk__in=site_ids,
            status__in=EXPECTED_STATUSES,
            wave__return_template__created_at__date__lte=due,
        )
        .exclude(Exists(started))
        .values_list("pk", flat=True)
    )


def _to_submit(user) -> list[Waiting]:
    sites = _own_sites(user, Permission.RETURN_SUBMIT)
    if not sites:
        return []
    ids = [site.pk for site in sites]
    # A draft for a quarter still under way waits for the quarter to end, not for the site:
    # count only returns that can be submitted today (core20.oversight.actions.submit_return).
    year, quarter = periods.last_submittable_quarter()
    ready = Q(financial_year__lt=year) | Q(financial_year=year, quarter__lte=quarter)
    open_returns = {
        row["site_id"]: row
        for row in QuarterlyReturn.objects.filter(
            ready, site_id__in=ids, status__in=QuarterlyReturn.EDITABLE
        )
        .values("site_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=periods.today())))
        .order_by()
    }
    missing = _missing(ids)
    found = []
    for site in sites:
        row = open_returns.get(site.pk, {"n": 0, "late": 0})
        extra = 1 if site.pk in missing else 0  # a missing return is always past its due date
        where = f" for {site.name}" if len(sites) > 1 else ""
        found.append(
            Waiting(
                row["n"] + extra,
                f"quarterly return to submit{where}",
                f"quarterly returns to submit{where}",
                reverse("oversight:site-returns", args=[site.slug]),
                overdue=row["late"] + extra,
            )
        )
    return found


def _to_review(user) -> list[Waiting]:
    # Reviewers (national admins) also hold OVERSIGHT_VIEW, which the list of returns needs.
    if not (
        has_permission(user, Permission.RETURN_REVIEW)
        and has_permission(user, Permission.OVERSIGHT_VIEW)
    ):
        return []
    count = QuarterlyReturn.objects.filter(status=QuarterlyReturn.Status.SUBMITTED).count()
    url = reverse("oversight:return-list") + f"?status={QuarterlyReturn.Status.SUBMITTED}"
    return [Waiting(count, "quarterly return to review", "quarterly returns to review", url)]


def waiting(user) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    return _to_submit(user) + _to_review(user)


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    found = []
    if has_permission(user, Permission.OVERSIGHT_VIEW):
        found.append(
            Shortcut(
                "View national oversight",
                reverse("oversight:dashboard"),
                "Every site's returns, funding and figures at a glance",
            )
        )
    returning = _own_sites(user, Permission.RETURN_SUBMIT)
    if len(returning) == 1:
        found.append(
            Shortcut(
                "Write a quarterly return",
                reverse("oversight:site-returns", args=[returning[0].slug]),
            )
        )
    spending = _own_sites(user, Permission.SPEND_REPORT)
    if len(spending) == 1:
        found.append(
            Shortcut("Report spend", reverse("oversight:spend-report", args=[spending[0].slug]))
        )
    return found
