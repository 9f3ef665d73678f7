"""Insights on the signed-in home page.

For a site's insight managers (INSIGHT_MANAGE: site leads, host coordinators, national
admins), over the sites they manage: new insights not yet sent to decision-makers, insights
whose response is overdue (to chase), and insights with an agreed action the community has
not yet been told about. For decision-makers (INSIGHT_RESPOND for an organisation): insights
sent to their organisation awaiting its response, and those with its actions past their due
date. Each links to the insights list filtered to the same insights.
"""

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.permissions import Permission
from core20.insights.access import may_raise, may_raise_everywhere, responder_organisations
from core20.insights.models import Action, Feedback, Insight, Response, Routing
from core20.web.dashboard import Shortcut, Waiting


def _list(status: str) -> str:
    return f"{reverse('insights:insight-list')}?status={status}"


def _for_managers(managed: set[int] | None, today) -> list[Waiting]:
    # Counted from the routings' side with plain indexed counts: a national admin's count
    # covers every site, and one aggregate of correlated EXISTS per insight took 650 ms over
    # 200,000 insights (benchmarks/pages.py); these take about 100 ms together.
    insights = Insight.objects.order_by()
    routings = Routing.objects.order_by()
    if managed is not None:
        insights = insights.filter(site_id__in=sorted(managed))
        routings = routings.filter(insight__site_id__in=sorted(managed))
    # A kept insight is never routed (keep_insight refuses a routed one; routing one clears
    # it), so the new ones are those not kept, less those routed.
    routed = routings.values("insight_id").distinct().count()
    told = Feedback.objects.filter(insight=OuterRef("insight_id"))
    counts = {
        "new": insights.filter(kept_at__isnull=True).count() - routed,
        "late": routings.filter(first_response_at__isnull=True, due_on__lt=today)
        .values("insight_id")
        .distinct()
        .count(),
        "untold": routings.filter(responses__kind=Response.Kind.ACTION_AGREED)
        .exclude(Exists(told))
        .values("insight_id")
        .distinct()
        .count(),
    }
    return [
        Waiting(
            counts["new"],
            "new insight not yet sent to decision-makers",
            "new insights not yet sent to decision-makers",
            _list("new"),
        ),
        Waiting(
            counts["late"],
            "insight to chase for a response",
            "insights to chase for a response",
            _list("overdue"),
            overdue=counts["late"],
        ),
        Waiting(
            counts["untold"],
            "insight with an agreed action to feed back to the community",
            "insights with an agreed action to feed back to the community",
            _list("feedback"),
        ),
    ]


def _for_responders(organisations: set[int], today) -> list[Waiting]:
    theirs = Routing.objects.filter(
        insight=OuterRef("pk"), body__organisation_id__in=sorted(organisations)
    )
    unanswered = theirs.filter(first_response_at__isnull=True)
    late_actions = Action.objects.filter(
        routing__insight=OuterRef("pk"),
        routing__body__organisation_id__in=sorted(organisations),
        status__in=Action.OPEN,
        due_on__lt=today,
    )
    counts = (
        Insight.objects.order_by()
        .filter(Exists(theirs))
        .aggregate(
            unanswered=Count("pk", filter=Exists(unanswered)),
            late=Count("pk", filter=Exists(unanswered.filter(due_on__lt=today))),
            actions=Count("pk", filter=Exists(late_actions)),
        )
    )
    return [
        Waiting(
            counts["unanswered"],
            "insight to respond to",
            "insights to respond to",
            _list("awaiting"),
            overdue=counts["late"],
        ),
        Waiting(
            counts["actions"],
            "insight with an action to update",
            "insights with actions to update",
            _list("actions_overdue"),
            overdue=counts["actions"],
        ),
    ]


def waiting(user) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    found = []
    managed = sites_where(user, Permission.INSIGHT_MANAGE)
    if managed is None or managed:
        found += _for_managers(managed, today)
    # Organisation roles only: a national admin answers for no organisation in particular.
    organisations = responder_organisations(user)
    if organisations:
        found += _for_responders(organisations, today)
    return [entry for entry in found if entry.count]


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    managed = sites_where(user, Permission.INSIGHT_MANAGE)
    responder = bool(responder_organisations(user))
    # The sites the insights list offers to record for, from the memberships.
    raising = sorted(
        {m.site_id: m.site for m in user.cached_memberships if m.site_id}.values(),
        key=lambda site: site.name,
    )
    raising = [site for site in raising if may_raise(user, site.pk)]
    # National admins may record at every site: they choose it on the insights list.
    everywhere = may_raise_everywhere(user)
    found = []
    if len(raising) == 1 and not everywhere:
        found.append(
            Shortcut(
                "Record an insight",
                reverse("insights:insight-create", args=[raising[0].slug]),
                "What people told you about barriers, what helps, ideas and experiences",
            )
        )
    if managed is None or managed or responder or sites_where(user, Permission.ACTIVITY_RECORD):
        if responder:
            hint = "Sent to your organisation: respond and agree actions"
        elif everywhere:
            hint = "Record an insight for any site from here"
        elif len(raising) > 1:
            hint = "Record an insight for one of your sites from here"
        else:
            hint = ""
        found.append(Shortcut("See insights", reverse("insights:insight-list"), hint))
    if has_permission(user, Permission.INSIGHT_MANAGE) or has_permission(
        user, Permission.ANALYTICS_VIEW
    ):
        found.append(
            Shortcut(
                "See the accountability figures",
                reverse("insights:figures"),
                "How quickly decision-makers respond, by site and organisation",
            )
        )
    return found
