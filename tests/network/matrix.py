"""Who may open each connector network page (merged into tests/test_permission_matrix.py).

The `world`'s site-scoped users work at `w.site`. Managing connectors is for the site lead,
the host coordinators and national admins (CONNECTOR_MANAGE); another site's connectors are
404 for people who manage connectors elsewhere and 403 for everyone else. Confidential
support, goals and pathway are for the site's host coordinators only (not the site lead,
not national admins). The expression-of-interest form is public. A connector's home is for
anyone signed in, and shows only their own records.
"""

from types import SimpleNamespace

from core20.network.models import CheckType, Connector, DevelopmentGoal, WellbeingFlag
from tests.access import (
    ANON,
    DENIED,
    GONE,
    METHOD,
    OK,
    REDIRECT,
    UNAUTHORISED,
    Case,
    only,
    public,
    signed_in,
)

MANAGERS = ("national_admin", "site_lead", "host_coordinator")


def net(w) -> SimpleNamespace:
    """The connector network objects for a test's world, made once per world."""
    if hasattr(w, "_network"):
        return w._network
    mine = Connector.objects.create(
        site=w.site, name="Connie Connector", email="connie@example.org", user=w.users["connector"]
    )
    data = SimpleNamespace(
        connector=mine,
        other=Connector.objects.create(site=w.other_site, name="Otto Other"),
        flag=WellbeingFlag.objects.create(connector=mine, level="watch", summary="Tired"),
        goal=DevelopmentGoal.objects.create(connector=mine, title="Run a group"),
        check_type=CheckType.objects.get(code="dbs", site=None),
    )
    w._network = data
    return data


def _home(w):
    return {"slug": w.site.slug}


def _other(w):
    return {"slug": w.other_site.slug}


def _mine(w):
    return {"slug": w.site.slug, "pk": net(w).connector.pk}


def _theirs(w):
    return {"slug": w.other_site.slug, "pk": net(w).other.pk}


def _managers_elsewhere():
    """Another site's pages: national admins only; managers of other sites get a 404."""
    return {**only("national_admin"), "site_lead": GONE, "host_coordinator": GONE}


def _managed(extra=None):
    """A route taking a site (and maybe a connector), for home and other site."""
    extra = extra or (lambda w: {})
    return [
        Case(only(*MANAGERS), kwargs=lambda w: {**_home(w), **extra(w)}),
        Case(_managers_elsewhere(), kwargs=lambda w: {**_other(w), **extra(w)}),
    ]


def _connector_route(extra=None):
    extra = extra or (lambda w: {})
    return [
        Case(only(*MANAGERS), kwargs=lambda w: {**_mine(w), **extra(w)}),
        Case(_managers_elsewhere(), kwargs=lambda w: {**_theirs(w), **extra(w)}),
    ]


def _host_only(extra=None):
    extra = extra or (lambda w: {})
    return [
        Case(only("host_coordinator"), kwargs=lambda w: {**_mine(w), **extra(w)}),
        # Another site's connector: even national admins may not read its support pages.
        Case(
            {**only(), "national_admin": DENIED, "site_lead": GONE, "host_coordinator": GONE},
            kwargs=lambda w: {**_theirs(w), **extra(w)},
        ),
    ]


def _api(cases, key=None, method="get"):
    """The same access as the pages, with anonymous callers answered 401; the connector's id
    is named ``id`` in API paths."""
    result = []
    for case in cases:

        def kwargs(w, case=case):
            values = case.kwargs(w)
            if key and "pk" in values:
                values[key] = values.pop("pk")
            return values

        result.append(Case({**case.expect, ANON: UNAUTHORISED}, kwargs=kwargs, method=method))
    return result


def _bad_body():
    return Case(
        {**signed_in("400"), ANON: UNAUTHORISED},
        kwargs=lambda w: {"slug": w.site.slug, "id": net(w).connector.pk},
        method="post",
    )


MATRIX = {
    "network:index": [Case(signed_in())],
    "network:me": [Case(signed_in())],
    # Only the connector whose record it is; anyone else's record is a 404.
    "network:me-goal-add": [
        Case(
            {**signed_in(GONE), "connector": OK},
            kwargs=lambda w: {"pk": net(w).connector.pk},
        )
    ],
    # A connector's own copy of their data; others have no connector record here (404).
    "network:me-data": [
        Case({**signed_in(GONE), "connector": OK}, kwargs=lambda w: net(w) and {}),
    ],
    "network:interest": [
        Case(public(), kwargs=_home),
        # An unpublished site's form is hidden from the public.
        Case(
            {**public(GONE), "national_admin": OK, "national_analyst": OK},
            kwargs=lambda w: {"slug": w.unpublished_site.slug},
        ),
    ],
    "network:interest-sent": [Case(public(), kwargs=_home)],
    "network:site-connectors": _managed(),
    "network:connector-add": _managed(),
    "network:connector-import": _managed(),
    "network:site-requirements": _managed(),
    "network:site-training": _managed(),
    "network:module-add": _managed(),
    "network:national-module-add": [Case(only("national_admin"))],
    "network:connector-detail": _connector_route(),
    # Personal data (a copy, erasure): the site's host coordinators only. The POST leaves out
    # the confirmation, so the host gets the form back and nothing is erased.
    "network:connector-data": _host_only(),
    "network:connector-erase": [
        *_host_only(),
        Case(
            {**only("host_coordinator")},
            kwargs=_mine,
            method="post",
            data={"reason": "They asked us to"},
        ),
    ],
    "network:connector-edit": _connector_route(),
    "network:connector-status": _connector_route(),
    "network:connector-check": _connector_route(lambda w: {"check_type": net(w).check_type.pk}),
    "network:connector-training": _connector_route(),
    "network:connector-invite": _connector_route(),
    # Sending the invitation again is a POST (405 to a GET); it redirects to the connector's
    # page for the people who manage them, whatever happened.
    "network:connector-reinvite": [
        Case(signed_in(METHOD), kwargs=_mine),
        Case({**only(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)}, kwargs=_mine, method="post"),
        Case({**_managers_elsewhere(), "national_admin": REDIRECT}, kwargs=_theirs, method="post"),
    ],
    "network:connector-support": _host_only(),
    "network:flag-add": _host_only(),
    "network:flag-resolve": [
        Case(only("host_coordinator"), kwargs=lambda w: {**_mine(w), "flag": net(w).flag.pk})
    ],
    "network:goal-add": _host_only(),
    "network:connector-pathway": _host_only(),
    "network:goal-status": [
        Case(signed_in(METHOD), kwargs=lambda w: {**_mine(w), "goal": net(w).goal.pk}),
        Case(
            {**only("host_coordinator"), "host_coordinator": REDIRECT},
            kwargs=lambda w: {**_mine(w), "goal": net(w).goal.pk},
            method="post",
            data={"status": "achieved"},
        ),
    ],
    # ---- API (token or session; anonymous is 401) ----
    "api-1.0.0:network_my_records": [Case({**signed_in(), ANON: UNAUTHORISED})],
    "api-1.0.0:network_my_training": [Case({**signed_in(), ANON: UNAUTHORISED})],
    "api-1.0.0:network_pipeline": _api(_managed()),
    "api-1.0.0:network_site_connectors": _api(_managed()),
    "api-1.0.0:network_get_connector": _api(_connector_route(), key="id"),
    # The matrix posts form data, not JSON: the body is refused (400) before anything else
    # for everyone signed in. tests/network/test_api.py checks who may post real requests.
    "api-1.0.0:network_change_status": [_bad_body()],
    "api-1.0.0:network_record_training": [_bad_body()],
    "api-1.0.0:network_record_check": [_bad_body()],
}
