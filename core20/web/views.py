"""The home page, the footer's information pages, and the error pages."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from core20.accounts.authorization import has_any_permission
from core20.accounts.permissions import Permission
from core20.web.context_processors import service_context
from core20.web.dashboard import dashboard_for
from core20.web.navigation import navigation_for


def home(request: HttpRequest) -> HttpResponse:
    """What Core20 Connect is, for visitors; for signed-in users, what is waiting for them,
    where they usually start, and their roles."""
    context = {}
    user = request.user
    if user.is_authenticated:
        memberships = user.cached_memberships
        # The header's links, worked out once: the dashboard leaves out shortcuts to them,
        # and this value stands in for the context processor's own (lazy) one.
        navigation = navigation_for(user, request.path)
        context.update(
            navigation=navigation,
            memberships=memberships,
            can_view_audit=has_any_permission(user, Permission.AUDIT_VIEW),
            can_manage_programme=has_any_permission(user, Permission.PROGRAMME_MANAGE),
            can_manage_tokens=has_any_permission(user, Permission.API_TOKEN_MANAGE),
            board=dashboard_for(user, navigation),
        )
    return render(request, "web/home.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    periods = {
        "CONNECTOR_RETENTION_MONTHS": settings.CONNECTOR_RETENTION_MONTHS,
        "INTEREST_RETENTION_MONTHS": settings.INTEREST_RETENTION_MONTHS,
        "GRANT_DECLINED_RETENTION_MONTHS": settings.GRANT_DECLINED_RETENTION_MONTHS,
        "GRANT_AWARDED_RETENTION_MONTHS": settings.GRANT_AWARDED_RETENTION_MONTHS,
        "ACCOUNT_RETENTION_MONTHS": settings.ACCOUNT_RETENTION_MONTHS,
        "SELECTION_RETENTION_MONTHS": settings.SELECTION_RETENTION_MONTHS,
        "CLAIM_RECEIPT_RETENTION_MONTHS": settings.CLAIM_RECEIPT_RETENTION_MONTHS,
    }
    return render(request, "web/privacy.html", periods)


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "web/open_data.html")


# Error handlers (core20/urls.py names them as handler403/404/500).


@requires_csrf_token
def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Render 500.html with no request context: the error may be the database itself, so
    no context processor (navigation, user, messages) may run."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(service_context()))
