"""Helpers shared by the selection views: who may see which call and application."""

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.programme.views.common import add_action_errors  # noqa: F401 (re-exported)
from core20.selection.models import Application, Call


def can_manage(user) -> bool:
    return has_permission(user, Permission.CALL_MANAGE)


def visible_calls(user) -> QuerySet[Call]:
    """Opened calls from their opening date for everyone; every call, drafts included, for
    national admins."""
    calls = Call.objects.select_related("wave__programme")
    if can_manage(user):
        return calls
    return calls.filter(status=Call.Status.PUBLISHED, opens_on__lte=timezone.localdate())


def get_visible_call(user, pk: int) -> Call:
    return get_object_or_404(visible_calls(user), pk=pk)


def get_managed_call(pk: int) -> Call:
    """For views that have already checked CALL_MANAGE."""
    return get_object_or_404(Call.objects.select_related("wave__programme"), pk=pk)


def own_application(user, pk: int) -> Application:
    """The signed-in user's own application; anyone else's is a 404, so its existence is
    not given away."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Application.objects.select_related("call__wave__programme"), pk=pk, applicant=user
    )


def selection_crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("web:home")),
        ("Calls for expressions of interest", reverse("selection:call-list")),
        *more,
    ]


def call_crumbs(call: Call, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return selection_crumbs((call.title, call.get_absolute_url()), *more)


def manage_crumbs(call: Call, *more: tuple[str, str]) -> list[tuple[str, str]]:
    return call_crumbs(
        call, ("Manage the call", reverse("selection:call-manage", args=[call.pk])), *more
    )
