"""Selection on the home page: drafts to submit, applications to score, decisions to make."""

from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.selection.models import Application, ConflictDeclaration, PanelAppointment, Review
from core20.web.dashboard import Shortcut, Waiting


def _spread(queryset) -> dict:
    """How many, and the first and last call they belong to (the same when only one)."""
    return queryset.aggregate(n=Count("pk"), first=Min("call_id"), last=Max("call_id"))


def _drafts(user) -> list[Waiting]:
    # A draft can only be submitted while its call is open; one on a closed call waits for
    # nothing.
    today = timezone.localdate()
    count = Application.objects.filter(
        applicant=user,
        status=Application.Status.DRAFT,
        call__opens_on__lte=today,
        call__closes_on__gte=today,
    ).count()
    return [
        Waiting(
            count,
            "draft application to submit",
            "draft applications to submit",
            reverse("selection:my-applications"),
        )
    ]


def applications_to_score(user) -> QuerySet[Application]:
    """Applications in review on the member's panels they have neither scored nor declared a
    conflict with (declaring is the first step of scoring, on the same page), on calls that
    have closed: scoring opens the day after (Call.is_scoring_open). The home page and the
    member's list of panels both count these."""
    mine = {"application": OuterRef("pk"), "appointment__user": user}
    return (
        Application.objects.filter(
            status__in=Application.IN_REVIEW,
            call__appointments__user=user,
            call__closes_on__lt=timezone.localdate(),
        )
        .exclude(Exists(Review.objects.filter(**mine)))
        .exclude(Exists(ConflictDeclaration.objects.filter(has_conflict=True, **mine)))
    )


def to_score_by_call(user) -> dict[int, int]:
    """How many applications the member still has to score, by call (calls with none left
    are missing)."""
    counted = applications_to_score(user).order_by().values("call_id").annotate(n=Count("pk"))
    return {row["call_id"]: row["n"] for row in counted}


def _to_score(user) -> list[Waiting]:
    spread = _spread(applications_to_score(user))
    if spread["n"] and spread["first"] == spread["last"]:
        url = reverse("selection:panel-call", args=[spread["first"]])
    else:
        url = reverse("selection:panel-home")
    return [Waiting(spread["n"], "application to score", "applications to score", url)]


def _to_decide() -> list[Waiting]:
    # Decisions follow the panel's scoring, which starts once the call has closed.
    spread = _spread(
        Application.objects.filter(
            status__in=Application.IN_REVIEW, call__closes_on__lt=timezone.localdate()
        )
    )
    if spread["n"] and spread["first"] == spread["last"]:
        url = reverse("selection:moderation", args=[spread["first"]])
    else:
        url = reverse("selection:call-list")
    return [Waiting(spread["n"], "application to decide", "applications to decide", url)]


def waiting(user) -> list[Waiting]:
    if not user.is_authenticated:
        return []
    found = _drafts(user)
    # Panel pages check the permission nationally (core20.selection.actions.appointment_for).
    if has_permission(user, Permission.APPLICATION_SCORE):
        found += _to_score(user)
    if has_permission(user, Permission.CALL_MANAGE):
        found += _to_decide()
    return found


def shortcuts(user) -> list[Shortcut]:
    if not user.is_authenticated:
        return []
    found = []
    if (
        has_permission(user, Permission.APPLICATION_SCORE)
        and PanelAppointment.objects.filter(user=user).exists()
    ):
        found.append(
            Shortcut("Score applications", reverse("selection:panel-home"), "Your selection panels")
        )
    if has_permission(user, Permission.CALL_MANAGE):
        found.append(
            Shortcut(
                "Set up a call for expressions of interest",
                reverse("selection:call-create"),
                "Open a call for a new wave of sites",
            )
        )
    return found
