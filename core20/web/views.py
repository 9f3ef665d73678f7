"""The home page, the footer's information pages, robots.txt and security.txt, and the
error pages."""

from datetime import date

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.csrf import requires_csrf_token

from core20.accounts.authorization import has_any_permission, has_permission
from core20.accounts.permissions import Permission
from core20.web.context_processors import service_context
from core20.web.dashboard import dashboard_for
from core20.web.navigation import navigation_for
from core20.web.offline import shared_queue
from core20.web.site_links import Link


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
            roles=[(m, _scope_url(user, m)) for m in memberships],
            can_view_audit=has_any_permission(user, Permission.AUDIT_VIEW),
            can_manage_programme=has_any_permission(user, Permission.PROGRAMME_MANAGE),
            can_manage_tokens=has_any_permission(user, Permission.API_TOKEN_MANAGE),
            board=dashboard_for(user, navigation),
        )
    else:
        context["ways_in"] = _ways_in()
    return render(request, "web/home.html", context)


def _scope_url(user, membership) -> str:
    """The page of the site or organisation a role is for, where this person may open it
    (no query): a community member's way to the site they follow. "" for national roles."""
    if membership.site_id:
        site = membership.site
        if site.published or has_permission(user, Permission.SITE_VIEW_UNPUBLISHED, site=site):
            return site.get_absolute_url()
        return ""
    if membership.organisation_id:
        return membership.organisation.get_absolute_url()
    return ""


def _ways_in() -> list[Link]:
    """Where members of the public start: their local site, joining as a connector (each
    site's page links to its form) and the micro-grants open now."""
    sites = reverse("programme:site-list")
    return [
        Link(
            "Find a site near you",
            sites,
            "Search by postcode, local authority, ward or site name.",
        ),
        Link(
            "Become a community connector",
            sites,
            "Find your local site, then tell them you are interested. You do not need an account.",
        ),
        Link(
            "Apply for a micro-grant",
            reverse("grants:fund-list"),
            "Small grants for community groups. See the funds open now.",
        ),
    ]


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
        "CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS": settings.CLAIM_DRAFT_RECEIPT_RETENTION_MONTHS,
    }
    return render(request, "web/privacy.html", periods)


def open_data(request: HttpRequest) -> HttpResponse:
    """The licence, and where the open data the service publishes can be downloaded: each
    site's data pack figures (for the sites this person may see) and micro-grant awards."""
    from core20.datapacks.models import DataPack
    from core20.programme.queries import visible_sites

    published = DataPack.objects.filter(status=DataPack.Status.PUBLISHED).values("site_id")
    sites = visible_sites(request.user).filter(pk__in=published).order_by("name")
    return render(request, "web/open_data.html", {"data_pack_sites": sites})


def cookies(request: HttpRequest) -> HttpResponse:
    """The cookies the service sets, named and timed as configured (production gives them
    __Host- names), and what the offline forms keep on the device."""
    context = {
        "cookies": _cookies(),
        "queues": [f"{shared_queue(name)}.<id>" for name in ("activities", "insights")],
    }
    return render(request, "web/cookies.html", context)


def _cookies() -> list[dict[str, str]]:
    rows = []
    if not settings.CSRF_USE_SESSIONS:
        rows.append(
            {
                "name": settings.CSRF_COOKIE_NAME,
                "purpose": "Stops other websites sending forms to this service in your name.",
                "set": "When you open any page",
                "lasts": _lifetime(settings.CSRF_COOKIE_AGE),
            }
        )
    session_lasts = (
        _lifetime(None)
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else f"{_lifetime(settings.SESSION_COOKIE_AGE)}, or until you sign out"
    )
    rows.append(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in, including your two-factor sign-in.",
            "set": "Only when you sign in or reset your password",
            "lasts": session_lasts,
        }
    )
    if _messages_use_a_cookie():
        rows.append(
            {
                "name": CookieStorage.cookie_name,
                "purpose": "Carries a message to the next page, such as that your changes "
                "were saved.",
                "set": "Only when the service has a message for you",
                "lasts": "Until the message is shown, or you close your browser",
            }
        )
    return rows


def _messages_use_a_cookie() -> bool:
    storage = import_string(settings.MESSAGE_STORAGE)
    # FallbackStorage tries each of its storage_classes in turn, the cookie first.
    classes = getattr(storage, "storage_classes", (storage,))
    return any(issubclass(cls, CookieStorage) for cls in classes)


_UNITS = (("week", 7 * 24 * 3600), ("day", 24 * 3600), ("hour", 3600), ("minute", 60))


def _lifetime(seconds: int | None) -> str:
    """A cookie's lifetime in words: the largest unit it is a whole number of."""
    if seconds is None:
        return "Until you close your browser"
    for unit, size in _UNITS:
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


# What robots.txt asks search engines to leave alone, each with why. It is only a request:
# every one of these pages checks who may see it. Signed-in pages elsewhere send visitors
# to /account/sign-in/, which is left alone too. Longest match wins (RFC 9309).
ROBOTS_RULES = (
    ("Allow", "/", "Public pages: programme, sites, calls, grants, directory, knowledge."),
    ("Disallow", "/account/", "Sign-in, people's accounts and private password reset links."),
    ("Disallow", "/api/", "The API: data for software, not pages to index."),
    ("Disallow", "/django-admin/", "The administrators' site."),
    ("Disallow", "/audit/", "The audit log: signed in only."),
    ("Disallow", "/status/", "The service status page: national admins only."),
    ("Disallow", "/health/", "The health check, for load balancers and monitors."),
    ("Disallow", "/hours/", "Connectors' hours, expense claims and payments: personal."),
    ("Disallow", "/activities/", "Recording community activities: signed in only."),
    ("Disallow", "/oversight/", "Returns and funding oversight: signed in only."),
    ("Disallow", "/places/imports/", "Reference data imports: signed in only."),
    ("Disallow", "/network/me/", "A connector's own records: personal."),
    ("Disallow", "/grants/status/", "The private link applicants use to follow an application."),
    ("Disallow", "/grants/applications/", "Grant applications: the site's team and panel only."),
    ("Disallow", "/grants/panel/", "Grant panel members' pages: signed in only."),
    ("Disallow", "/selection/applications/", "Applications to a call: applicants only."),
    ("Disallow", "/selection/panel/", "Selection panel members' pages: signed in only."),
    ("Disallow", "/selection/reviews/", "Selection panel reviews: signed in only."),
    ("Disallow", "/knowledge/mailing-list/confirm/", "Private links in confirmation emails."),
    ("Disallow", "/knowledge/mailing-list/unsubscribe/", "Private links in every notice."),
    ("Disallow", "/insights/", "Insights and their routing: signed in only."),
    ("Allow", "/insights/sites/*/you-said-we-did/", "Each site's public 'you said, we did'."),
)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    for directive, path, why in ROBOTS_RULES:
        lines += [f"# {why}", f"{directive}: {path}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def security_txt(request: HttpRequest) -> HttpResponse:
    """How to report a security problem (RFC 9116)."""
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {security_txt_expiry(timezone.now().date())}",
        "Preferred-Languages: en",
        f"Canonical: {settings.SERVICE_URL}{reverse('web:security-txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def security_txt_expiry(today: date) -> str:
    """Midnight UTC a year from ``today`` (28 February for 29 February), in RFC 3339: a
    little under a year ahead, as RFC 9116 recommends."""
    try:
        expires = today.replace(year=today.year + 1)
    except ValueError:
        expires = today.replace(year=today.year + 1, day=28)
    return f"{expires.isoformat()}T00:00:00Z"


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
