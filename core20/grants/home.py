"""Micro-grants on the home page: applications for a community panel member to assess, and
for the site's team applications to decide, awards to pay and outcome reports to chase."""

from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import own_sites, sites_where
from core20.accounts.permissions import Permission
from core20.grants.models import MONEY, Application, Assessment, OutcomeReport, PanelMember, Payment
from core20.grants.views import visible_funds
from core20.web.dashboard import Shortcut, Waiting


def _in_sites(queryset, sites: set[int] | None, path: str = "fund__site_id"):
    return queryset if sites is None else queryset.filter(**{f"{path}__in": sites})


def _to_assess(user, sites: set[int] | None) -> list[Waiting]:
    """Undecided applications to the funds whose panels the user sits on (at sites where
    they may score) that they have not assessed yet."""
    count = (
        _in_sites(
            Application.objects.filter(
                status=Application.Status.SUBMITTED,
                fund__panel__user=user,
                fund__in=visible_funds(user),
            ),
            sites,
        )
        .exclude(Exists(Assessment.objects.filter(application=OuterRef("pk"), member__user=user)))
        .count()
    )
    return [
        Waiting(
            count,
            "grant application to assess",
            "grant applications to assess",
            reverse("grants:panel-home"),
        )
    ]


def _team_work(sites: set[int] | None) -> list[Waiting]:
    today = timezone.localdate()
    paid = Subquery(
        Payment.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    decide = Q(status=Application.Status.SUBMITTED)
    pay = Q(status=Application.Status.AWARDED, paid__lt=F("amount_awarded"))
    # The group's outcome report is due once the work has ended.
    chase = Q(status=Application.Status.AWARDED, reported=False, ends_on__lt=today)
    counts = (
        _in_sites(Application.objects.all(), sites)
        .annotate(
            paid=Coalesce(paid, Value(Decimal(0)), output_field=DecimalField(**MONEY)),
            reported=Exists(OutcomeReport.objects.filter(application=OuterRef("pk"))),
        )
        .aggregate(
            decide=Count("pk", filter=decide),
            pay=Count("pk", filter=pay),
            chase=Count("pk", filter=chase),
            first=Min("fund_id", filter=decide | pay | chase),
            last=Max("fund_id", filter=decide | pay | chase),
        )
    )
    if counts["first"] is not None and counts["first"] == counts["last"]:
        url = reverse("grants:fund-manage", args=[counts["first"]])
    else:
        url = reverse("grants:fund-list")
    return [
        Waiting(
            counts["decide"], "grant application to decide", "grant applications to decide", url
        ),
        Waiting(counts["pay"], "awarded grant to pay", "awarded grants to pay", url),
        Waiting(
            counts["chase"],
            "grant outcome report to chase",
            "grant outcome reports to chase",
            url,
            overdue=counts["chase"],
        ),
    ]


def waiting(user) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    found = []
    scoring = sites_where(user, Permission.GRANT_SCORE)
    if scoring is None or scoring:
        found += _to_assess(user, scoring)
    managed = sites_where(user, Permission.GRANT_MANAGE)
    if managed is None or managed:
        found += _team_work(managed)
    return found


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    found = []
    scoring = sites_where(user, Permission.GRANT_SCORE)
    if (scoring is None or scoring) and _in_sites(
        PanelMember.objects.filter(user=user), scoring
    ).exists():
        found.append(
            Shortcut(
                "Assess grant applications",
                reverse("grants:panel-home"),
                "Your micro-grant panels",
            )
        )
    managed = own_sites(user, Permission.GRANT_MANAGE)
    if len(managed) == 1:
        (site,) = managed.values()
        found.append(
            Shortcut(
                "Start a micro-grant fund",
                reverse("grants:fund-create", args=[site.slug]),
                f"Small grants from {site.name} to community groups",
            )
        )
    return found
