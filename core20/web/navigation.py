"""The header navigation, chosen by what the user may do.

``navigation_for(user)`` is the one place that decides which links a user sees. Showing a
link is a convenience, not access control: every view still checks its own permission.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from core20.accounts.authorization import has_any_permission
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


def navigation_for(user, current_path: str | None = None) -> Navigation:
    """The links ``user`` sees in the header. ``current_path`` marks the current section."""
    primary = [
        ("Programme overview", reverse("programme:overview")),
        ("Waves", reverse("programme:wave-list")),
        ("Sites", reverse("programme:site-list")),
        ("Organisations", reverse("programme:organisation-list")),
        ("Calls for expressions of interest", reverse("selection:call-list")),
        ("Knowledge hub", reverse("knowledge:resource-list")),
        ("Deprivation lookup", reverse("placesui:lookup")),
    ]
    signed_in = bool(user is not None and user.is_authenticated)
    if signed_in:
        primary.append(("Your applications", reverse("selection:my-applications")))
    # Links shown only to those who hold the permission somewhere; (permission, label, route).
    for permission, label, route in (
        (Permission.APPLICATION_SCORE, "Your panels", "selection:panel-home"),
        (Permission.OVERSIGHT_VIEW, "National oversight", "oversight:dashboard"),
        (Permission.REFERENCE_DATA_IMPORT, "Reference data", "places:imports"),
        (Permission.MEMBERSHIP_MANAGE, "People", "accounts:people"),
        (Permission.AUDIT_VIEW, "Audit log", "audit:log"),
    ):
        if signed_in and has_any_permission(user, permission):
            primary.append((label, reverse(route)))
    if signed_in:
        primary.append(("API docs", reverse("api-1.0.0:openapi-view")))

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
