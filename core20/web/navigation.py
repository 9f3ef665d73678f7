"""The header navigation, chosen by what the user may do.

``navigation_for(user)`` is the one place that decides which links a user sees. Showing a
link is a convenience, not access control: every view still checks its own permission.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from core20.accounts.authorization import has_any_permission, has_permission, sites_where
from core20.accounts.permissions import Permission


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool = False  # this exact page
    active: bool = False  # a page within this section


@dataclass(frozen=True)
class Navigation:
    primary: list[NavItem] = field(default_factory=list)
    # Account area: the profile link (or "Sign in"); sign-out is a POST form in the template.
    account: list[NavItem] = field(default_factory=list)
    signed_in: bool = False
    user_name: str = ""
    sign_out_url: str = ""


def _holds(*permissions: Permission):
    """Shown to whoever holds any of ``permissions`` somewhere."""
    return lambda user: any(has_any_permission(user, p) for p in permissions)


def _holds_nationally(*permissions: Permission):
    """Shown to whoever holds any of ``permissions`` for every site (national roles)."""
    return lambda user: any(has_permission(user, p) for p in permissions)


def _own_hours(user) -> bool:
    """A connector with a connector record (and no site-wide hours page instead), as
    ``hours:mine`` asks. The one query the header may make: once per request, and none on
    a page that loaded the person's records already (their connector home)."""
    if has_any_permission(user, Permission.CLAIM_APPROVE) or not _is_connector(user):
        return False
    from core20.network.visibility import has_own_record

    return has_own_record(user)


def _hours_url(user) -> str:
    """The one site's hours page for someone who approves at just one site (the list would
    send them there), else the list of sites."""
    from core20.hours.home import sites_url

    return sites_url(user, sites_where(user, Permission.CLAIM_APPROVE))


def _connectors_url(user) -> str:
    """The one site's connectors for someone who manages connectors at just one site (the
    list of sites would hold only that one), else the list of sites."""
    from core20.web.dashboard import one_site_slug

    slug = one_site_slug(user, sites_where(user, Permission.CONNECTOR_MANAGE))
    if slug is None:
        return reverse("network:index")
    return reverse("network:site-connectors", args=[slug])


# Kept on the user object, which lives for one request (like its cached memberships).
_HAS_APPLICATION = "_has_selection_application"
_HAS_RECORD = "_header_has_connector_record"
_IS_PAUSED = "_header_paused_connector"


def _has_role(role: str):
    return lambda user: any(m.role == role for m in user.cached_memberships)


_is_connector = _has_role("connector")


def _ask_application(user) -> None:
    """Whether a role holder has applied to a call, and, for someone without the connector
    role, whether they have a connector record and whether one is paused: one query for
    all three, once per request. A connector needs only the first (their record is
    ``has_own_record``'s question)."""
    from core20.selection.models import Application

    applications = Application.objects.filter(applicant=user)
    if _is_connector(user):
        setattr(user, _HAS_APPLICATION, applications.exists())
        return
    from django.contrib.auth import get_user_model
    from django.db.models import Exists

    from core20.network.models import Connector

    records = Connector.objects.for_user(user)
    applied, record, paused = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            Exists(applications),
            Exists(records),
            Exists(records.filter(status=Connector.Status.PAUSED)),
        )
        .get()
    )
    setattr(user, _HAS_APPLICATION, applied)
    setattr(user, _HAS_RECORD, record)
    setattr(user, _IS_PAUSED, paused)


def _applicant(user) -> bool:
    """Someone with an application to a call, or an applicant account (no role: made to
    apply, as selection:account-create does) who may start one. Role holders cost one
    query, once per request (``_ask_application``)."""
    if not user.cached_memberships:
        # An account with no role was made to apply, unless it is a connector's whose role
        # has not begun or has ended (not active yet, paused, left): then only if they
        # applied (one more query, for them alone).
        if not _connector_home(user):
            return True
        if not hasattr(user, _HAS_APPLICATION):
            from core20.selection.models import Application

            setattr(user, _HAS_APPLICATION, Application.objects.filter(applicant=user).exists())
        return getattr(user, _HAS_APPLICATION)
    if not hasattr(user, _HAS_APPLICATION):
        _ask_application(user)
    return getattr(user, _HAS_APPLICATION)


def _connector_home(user) -> bool:
    """Anyone with a connector record, whatever its stage (network:me shows them their
    records): a current connector, and one who is paused or has left (their role has
    ended, core20.network.actions.sync_role). A connector costs nothing; someone with
    another role, nothing more than ``_applicant``'s query; an account with no role at all
    (an applicant, or a connector whose only role has ended) one query, once per request,
    and none on their connector home, which loads their records anyway."""
    if _is_connector(user):
        return True
    if not user.cached_memberships:
        from core20.network.visibility import has_own_record

        _paused_somewhere(user)  # loads their records, which answers has_own_record
        return has_own_record(user)
    if not hasattr(user, _HAS_RECORD):
        _ask_application(user)
    return getattr(user, _HAS_RECORD)


def _paused_somewhere(user) -> bool:
    """A connector whose record at a site is paused: they still see, read-only, the
    activities and insights they recorded there. Someone who holds the connector role
    somewhere is shown those links by it; anyone else learns this with the question
    ``_connector_home`` asks (no more queries)."""
    if _is_connector(user):
        return False
    if not user.cached_memberships:
        from core20.engagement.access import paused_sites

        return bool(paused_sites(user))
    if not hasattr(user, _IS_PAUSED):
        _ask_application(user)
    return getattr(user, _IS_PAUSED)


def _or(*rules):
    return lambda user: any(rule(user) for rule in rules)


# Links for signed-in people, in order: (label, route name or a function of the user giving
# the URL, who sees it). Each rule matches the view's own check, so that no one is shown a
# link that refuses them (tested). They come before the public links: the header shows as
# many as fit and puts the rest under "More", and on a phone only the first two or three
# fit, so a connector's own work must not sit behind the programme's public pages.
SIGNED_IN_LINKS = (
    ("Your applications", "selection:my-applications", _applicant),
    ("Your connector home", "network:me", _connector_home),
    (
        "Activities",
        "engagement:activity-list",
        _or(_holds(Permission.ACTIVITY_RECORD, Permission.SITE_VIEW_INTERNAL), _paused_somewhere),
    ),
    (
        "Insights",
        "insights:insight-list",
        _or(
            _holds(
                Permission.INSIGHT_MANAGE, Permission.ACTIVITY_RECORD, Permission.INSIGHT_RESPOND
            ),
            _paused_somewhere,
        ),
    ),
    ("Connectors", _connectors_url, _holds(Permission.CONNECTOR_MANAGE)),
    ("Hours and expenses", _hours_url, _holds(Permission.CLAIM_APPROVE)),
    ("Hours and expenses", "hours:mine", _own_hours),
    (
        "Outcomes",
        "outcomes:home",
        _holds(Permission.ANALYTICS_VIEW, Permission.INDICATOR_DATA_UPLOAD),
    ),
    (
        "Accountability",
        "insights:figures",
        _holds_nationally(Permission.INSIGHT_MANAGE, Permission.ANALYTICS_VIEW),
    ),
    ("Your panels", "selection:panel-home", _holds(Permission.APPLICATION_SCORE)),
    ("Grant panels", "grants:panel-home", _holds(Permission.GRANT_SCORE)),
    ("National oversight", "oversight:dashboard", _holds(Permission.OVERSIGHT_VIEW)),
    ("Reference data", "places:imports", _holds(Permission.REFERENCE_DATA_IMPORT)),
    ("People", "accounts:people", _holds(Permission.MEMBERSHIP_MANAGE)),
    ("Audit log", "audit:log", _holds(Permission.AUDIT_VIEW)),
)
# After the public links: reference for developers, not anyone's daily work.
SIGNED_IN_LAST = (("API docs", "api-1.0.0:openapi-view", lambda user: True),)


def navigation_for(user, current_path: str | None = None) -> Navigation:
    """The links ``user`` sees in the header. ``current_path`` marks the current section."""
    public = [
        ("Programme overview", reverse("programme:overview")),
        ("Waves", reverse("programme:wave-list")),
        ("Sites", reverse("programme:site-list")),
        ("Organisations", reverse("programme:organisation-list")),
        ("Calls for expressions of interest", reverse("selection:call-list")),
        ("Micro-grants", reverse("grants:fund-list")),
        ("Service directory", reverse("directory:search")),
        ("Data packs", reverse("datapacks:index")),
        ("Knowledge hub", reverse("knowledge:resource-list")),
        ("Deprivation lookup", reverse("placesui:lookup")),
    ]
    signed_in = bool(user is not None and user.is_authenticated)
    if signed_in:
        primary = [*_shown(SIGNED_IN_LINKS, user), *public, *_shown(SIGNED_IN_LAST, user)]
    else:
        primary = public

    if signed_in:
        account = [(str(user), reverse("accounts:profile"))]
    else:
        account = [("Sign in", reverse("accounts:login"))]

    return Navigation(
        primary=_mark_current(primary, current_path),
        account=_mark_current(account, current_path),
        signed_in=signed_in,
        user_name=str(user) if signed_in else "",
        sign_out_url=reverse("accounts:logout") if signed_in else "",
    )


def _shown(links, user) -> list[tuple[str, str]]:
    return [
        (label, route(user) if callable(route) else reverse(route))
        for label, route, shows in links
        if shows(user)
    ]


def _mark_current(links: list[tuple[str, str]], path: str | None) -> list[NavItem]:
    """Mark the link for this page as current, or the one whose URL is the longest prefix of
    the path as active (so /programme/sites/12/ highlights Sites, not Programme overview)."""
    best = None
    if path:
        prefixes = [url for _, url in links if url != "/" and path.startswith(url)]
        best = max(prefixes, key=len, default=None)
    return [
        NavItem(label=label, url=url, current=(url == path), active=(url == best))
        for label, url in links
    ]
