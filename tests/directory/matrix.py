"""Who may open each directory page (merged into tests/test_permission_matrix.py).

The directory is public: anyone finds and reads published services. A site's team (any role
at the site but community member) also reads the services its site keeps to itself, which
are hidden (404) from everyone else but national admins. Site leads and host coordinators
manage their own site's services (DIRECTORY_MANAGE); national admins every site's and the
national ones. A service someone can see but not manage is refused (403); one they cannot
see is not found (404).
"""

import json
from types import SimpleNamespace

from core20.accounts.roles import ROLES
from core20.directory import actions
from core20.directory.oruk import Upload
from tests.access import ANON, DENIED, GONE, OK, REDIRECT, UNAUTHORISED, Case, only, public
from tests.directory.factories import ServiceFactory

MANAGERS = ("national_admin", "site_lead", "host_coordinator")
# The site's team reads its unpublished services.
TEAM = ("national_admin", "site_lead", "host_coordinator", "connector")


def dr(w) -> SimpleNamespace:
    """The directory's objects for a test's world, made once per world."""
    if not hasattr(w, "_directory"):
        w._directory = SimpleNamespace(
            published=ServiceFactory(site=w.site, name="Home walking group"),
            hidden=ServiceFactory(site=w.site, name="Home GP pathway", published=False),
            other_hidden=ServiceFactory(site=w.other_site, name="Their pathway", published=False),
            other=ServiceFactory(site=w.other_site, name="Their café"),
            national=ServiceFactory(name="National helpline"),
        )
    return w._directory


def _import(w, site, by: str) -> int:
    """An import of one draft service into ``site``'s directory (None: national): the id
    of its result page."""
    feed = {
        "id": f"import-{by}",
        "name": "Imported walk",
        "organization": {"id": f"org-{by}", "name": "Walk Together"},
    }
    return actions.import_oruk(
        site=site,
        uploads=[Upload("feed.json", json.dumps(feed).encode())],
        publish=False,
        by=w.users[by],
    ).event_id


def _imported(w) -> dict:
    if not hasattr(w, "_directory_import"):
        w._directory_import = _import(w, w.site, "site_lead")
    return {"pk": w._directory_import}


def _imported_nationally(w) -> dict:
    if not hasattr(w, "_directory_national_import"):
        w._directory_national_import = _import(w, None, "national_admin")
    return {"pk": w._directory_national_import}


def _pk(attr):
    return lambda w: {"pk": getattr(dr(w), attr).pk}


def _only_seen_by(*roles, anon):
    return {ANON: anon, **{r: OK if r in roles else GONE for r in ROLES}}


def _manage(*roles, visible=True):
    """Managers OK; the rest refused if they can see the service, not found if not."""
    return only(*roles, others=DENIED if visible else GONE)


MATRIX = {
    "directory:search": [Case(public())],
    "directory:service-detail": [
        Case(public(), kwargs=_pk("published")),
        Case(public(), kwargs=_pk("national")),
        Case(_only_seen_by(*TEAM, anon=GONE), kwargs=_pk("hidden")),
        Case(_only_seen_by("national_admin", anon=GONE), kwargs=_pk("other_hidden")),
    ],
    "directory:service-create": [Case(only(*MANAGERS))],
    "directory:service-edit": [
        Case(_manage(*MANAGERS), kwargs=_pk("published")),
        Case(_manage("national_admin"), kwargs=_pk("other")),
        Case(_manage("national_admin"), kwargs=_pk("national")),
        # The connector sees the site's own unpublished service but cannot change it.
        Case({**_manage(*MANAGERS, visible=False), "connector": DENIED}, kwargs=_pk("hidden")),
        Case(_manage("national_admin", visible=False), kwargs=_pk("other_hidden")),
    ],
    "directory:service-delete": [
        Case(_manage(*MANAGERS), kwargs=_pk("published")),
        Case(_manage("national_admin"), kwargs=_pk("other")),
        # Posting without ticking the box shows the error, removes nothing.
        Case(_manage(*MANAGERS), kwargs=_pk("published"), method="post"),
    ],
    "directory:import": [Case(only(*MANAGERS))],
    # An import's results, for the managers of its directory; posting publishes its drafts.
    "directory:import-result": [
        Case(only(*MANAGERS), kwargs=_imported),
        Case(only("national_admin"), kwargs=_imported_nationally),
        Case(
            {**only(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=_imported,
            method="post",
        ),
    ],
    "directory:export": [Case(only(*MANAGERS))],
    # ---- API: reading as on the pages; import and export need a signed-in manager ----
    "api-1.0.0:list_directory_services": [Case(public())],
    "api-1.0.0:get_directory_service": [
        Case(public(), kwargs=lambda w: {"id": dr(w).published.pk}),
        Case(_only_seen_by(*TEAM, anon=GONE), kwargs=lambda w: {"id": dr(w).hidden.pk}),
    ],
    # GET of the import address is not allowed; a form-encoded POST is not JSON (400).
    "api-1.0.0:import_directory": [
        Case(dict.fromkeys([ANON, *ROLES], "method not allowed")),
        Case({ANON: UNAUTHORISED, **dict.fromkeys(ROLES, "400")}, method="post"),
    ],
    "api-1.0.0:export_directory": [
        # The national directory: national admins only.
        Case({**only("national_admin"), ANON: UNAUTHORISED}, data={"directory": "national"}),
    ],
}
