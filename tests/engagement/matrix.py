"""Who may open each activities page and API route (merged into
tests/test_permission_matrix.py).

The `world`'s connector records at `w.site`. A connector sees only the activities they
recorded (anyone else's is a 404); host coordinators and national admins see and change
every activity of their sites; site leads and national analysts read them, the site
dashboard and exports; imports are for host coordinators and national admins. Someone
else's activity or run is a 404; a site page for a site that is not yours is a 403.
"""

from types import SimpleNamespace

from tests.access import ANON, GONE, LOGIN, METHOD, OK, UNAUTHORISED, Case, only, public
from tests.engagement import helpers
from tests.factories import UserFactory

RECORDERS = ("national_admin", "host_coordinator", "connector")
READERS = ("national_admin", "national_analyst", "site_lead", "host_coordinator")
MANAGERS = ("national_admin", "host_coordinator")
NATIONAL = ("national_admin", "national_analyst")


def eng(w) -> SimpleNamespace:
    if hasattr(w, "_engagement"):
        return w._engagement
    data = SimpleNamespace(
        own=helpers.activity(w.site, w.users["connector"]),
        colleague=helpers.activity(w.site, UserFactory()),
        elsewhere=helpers.activity(w.other_site, UserFactory()),
        import_run=helpers.run(w.site),
        export_run=helpers.run(w.site, kind="export"),
    )
    w._engagement = data
    return data


def _pk(name):
    return lambda w: {"pk": getattr(eng(w), name).pk}


def _uuid(name):
    return lambda w: {"uuid": str(getattr(eng(w), name).uuid)}


def _home(w):
    return {"slug": w.site.slug}


def _other(w):
    return {"slug": w.other_site.slug}


def seen_by(*roles, others=GONE):
    return only(*roles, others=others)


def editable(*roles):
    """The editors get the page; those who can see but not edit get 403; the rest 404."""
    expect = only(*roles, others=GONE)
    for role in READERS:
        if role not in roles:
            expect[role] = "denied"
    return expect


MATRIX = {
    "engagement:activity-list": [Case(only(*RECORDERS, *READERS))],
    "engagement:activity-new": [Case(only(*RECORDERS))],
    "engagement:service-worker": [Case(public())],
    "engagement:activity-detail": [
        Case(seen_by(*READERS, "connector"), kwargs=_pk("own")),
        Case(seen_by(*READERS), kwargs=_pk("colleague")),
        Case(seen_by(*NATIONAL), kwargs=_pk("elsewhere")),
    ],
    "engagement:activity-edit": [
        Case(editable(*MANAGERS, "connector"), kwargs=_pk("own")),
        Case(editable(*MANAGERS), kwargs=_pk("colleague")),
        Case(
            only("national_admin", others=GONE) | {"national_analyst": "denied"},
            kwargs=_pk("elsewhere"),
        ),
    ],
    "engagement:activity-delete": [
        Case(editable(*MANAGERS, "connector"), kwargs=_pk("own")),
        Case(editable(*MANAGERS), kwargs=_pk("colleague")),
    ],
    "engagement:site-dashboard": [
        Case(only(*READERS), kwargs=_home),
        Case(only(*NATIONAL), kwargs=_other),
    ],
    "engagement:site-export-csv": [
        Case(only(*READERS), kwargs=_home),
        Case(only(*NATIONAL), kwargs=_other),
    ],
    # POST starts a background export (tested in test_import_export with its files kept
    # under tmp_path); GET is refused.
    "engagement:site-export-xlsx": [
        Case({ANON: LOGIN, **{r: METHOD for r in only() if r != ANON}}, kwargs=_home),
    ],
    "engagement:site-import": [
        Case(only(*MANAGERS), kwargs=_home),
        Case(only("national_admin"), kwargs=_other),
    ],
    "engagement:run": [
        Case(seen_by(*MANAGERS), kwargs=_pk("import_run")),
        Case(seen_by(*READERS), kwargs=_pk("export_run")),
    ],
    "engagement:run-progress": [
        Case(seen_by(*MANAGERS), kwargs=_pk("import_run")),
    ],
    # An export still queued has nothing to download yet (a 404 for everyone).
    "engagement:run-download": [Case(seen_by(), kwargs=_pk("export_run"))],
    # ---- API (token or session; anonymous callers get 401) ----
    "api-1.0.0:list_activities": [
        Case({**only(), ANON: UNAUTHORISED} | dict.fromkeys(list(only())[1:], OK))
    ],
    "api-1.0.0:get_activity": [
        Case({**seen_by(*READERS, "connector"), ANON: UNAUTHORISED}, kwargs=_uuid("own")),
        Case({**seen_by(*READERS), ANON: UNAUTHORISED}, kwargs=_uuid("colleague")),
    ],
    # The same address as the list: GET lists; a form-encoded POST is not JSON (400).
    "api-1.0.0:record_activity": [
        Case({ANON: UNAUTHORISED} | dict.fromkeys(list(only())[1:], OK)),
        Case({ANON: UNAUTHORISED} | dict.fromkeys(list(only())[1:], "400"), method="post"),
    ],
}
