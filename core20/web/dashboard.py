"""The signed-in home page: what is waiting for this person, and where they usually start.

Each domain app that has something to say offers a ``core20/<app>/home.py`` module with
two functions, both given the signed-in user:

* ``waiting(user) -> list[Waiting]``: work that needs this person (claims to decide,
  insights to answer, applications to score...), counted over the sites or organisations
  where they hold the permission the work needs. Nothing to show gives no entry, not a zero.
* ``shortcuts(user) -> list[Shortcut]``: the few things this person starts most often.
  A shortcut to a page the header navigation already links to is left out: the home page
  adds what the header cannot (a form to start, one site's page), not a second menu. The
  exception is ``NATIONAL_SHORTCUTS``, the national work the header hides under "More".

Every link must open for that user (tests/test_links.py follows them), and each function runs
a fixed number of queries whatever the number of records (tested), so the home page stays
quick for a national admin with every site's work in view.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.urls import reverse

from core20.accounts.authorization import has_permission
from core20.accounts.permissions import Permission
from core20.web.navigation import Navigation, navigation_for

#: Apps whose dashboard module contributes, in the order their entries are shown.
PROVIDERS = (
    "core20.network.home",
    "core20.hours.home",
    "core20.engagement.home",
    "core20.insights.home",
    "core20.selection.home",
    "core20.grants.home",
    "core20.oversight.home",
    "core20.datapacks.home",
    "core20.accounts.home",
)


@dataclass(frozen=True)
class Waiting:
    """``count`` things waiting, e.g. Waiting(3, "expense claim to decide",
    "expense claims to decide", url). ``overdue`` of them are past a due date."""

    count: int
    singular: str
    plural: str
    url: str
    overdue: int = 0

    @property
    def text(self) -> str:
        return f"{self.count} {self.singular if self.count == 1 else self.plural}"

    @property
    def overdue_text(self) -> str:
        """What is said of the overdue ones: "1 overdue" of several; where every one counted
        is overdue, "Overdue" or "All overdue", so as not to repeat the count."""
        if not self.overdue:
            return ""
        if self.overdue >= self.count:
            return "Overdue" if self.count == 1 else "All overdue"
        return f"{self.overdue} overdue"


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str
    hint: str = ""  # one short line under the link


def one_site_slug(user, site_ids: set[int] | None) -> str | None:
    """The slug of the only site in ``site_ids`` (None for every site, or several), from the
    user's cached memberships: no query. Links to one site's page when there is just one."""
    if site_ids is None or len(site_ids) != 1:
        return None
    (site_id,) = site_ids
    return next(m.site.slug for m in user.cached_memberships if m.site_id == site_id)


#: National work started most often, each shown to whoever holds its page's permission for
#: every site (the page's own check, or within it). Kept even where the header links to the
#: page: the header shows only the links that fit and puts the rest under "More", where
#: national analysts did not find them.
NATIONAL_SHORTCUTS = (
    (
        Permission.INDICATOR_DATA_UPLOAD,
        "Upload indicator data",
        "outcomes:upload-create",
        "A CSV file of figures for the outcome indicators",
    ),
    (
        Permission.ANALYTICS_VIEW,
        "See outcomes across the programme",
        "outcomes:national",
        "Every site's indicators, by area",
    ),
    (
        Permission.OVERSIGHT_VIEW,
        "View national oversight",
        "oversight:dashboard",
        "Every site's returns, funding and figures at a glance",
    ),
    (
        Permission.REFERENCE_DATA_IMPORT,
        "Import reference data",
        "places:imports",
        "Postcodes, areas and deprivation figures",
    ),
)


def national_shortcuts(user) -> list[Shortcut]:
    """From the user's cached memberships: no query."""
    return [
        Shortcut(label, reverse(route), hint)
        for permission, label, route, hint in NATIONAL_SHORTCUTS
        if has_permission(user, permission)
    ]


@dataclass
class Dashboard:
    waiting: list[Waiting] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)


def _functions(name: str) -> list[Callable]:
    functions = []
    for provider in PROVIDERS:
        module = import_module(provider)
        if hasattr(module, name):
            functions.append(getattr(module, name))
    return functions


def dashboard_for(user, navigation: Navigation | None = None) -> Dashboard:
    """Everything waiting for ``user`` and their shortcuts, from every provider.
    ``navigation``: the page's header, when the caller has it already."""
    board = Dashboard()
    for waiting in _functions("waiting"):
        board.waiting += [w for w in waiting(user) if w.count > 0]
    navigation = navigation or navigation_for(user)
    seen = {item.url for item in navigation.primary}
    for shortcuts in _functions("shortcuts"):
        for shortcut in shortcuts(user):
            if shortcut.url not in seen:  # in the header, or offered by another app
                seen.add(shortcut.url)
                board.shortcuts.append(shortcut)
    offered = {shortcut.url for shortcut in board.shortcuts}
    board.shortcuts += [s for s in national_shortcuts(user) if s.url not in offered]
    return board
