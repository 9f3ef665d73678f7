"""Who may open each insights page (merged into tests/test_permission_matrix.py).

The world's site-scoped users work at `w.site`; the decision-maker at `w.organisation`.
`home` is an insight raised by the connector and routed to a body of `w.organisation`;
`elsewhere` is raised by the site lead and routed only to another organisation, so the
decision-maker (and the connector, who did not raise it) get a 404 for it. Managing the
bridge is for INSIGHT_MANAGE at the site (national admins, the site lead and the host
coordinator); responding is for the routed organisation's decision-makers (and national
admins, who hold every permission).
"""

from types import SimpleNamespace

from core20.insights import actions
from tests.access import (
    ANON,
    GONE,
    LOGIN,
    METHOD,
    OK,
    REDIRECT,
    UNAUTHORISED,
    Case,
    only,
    public,
)
from tests.factories import OrganisationFactory
from tests.insights import helpers

MANAGERS = ("national_admin", "site_lead", "host_coordinator")
SEE_HOME = (*MANAGERS, "connector", "decision_maker")
STRANGERS = ("national_analyst", "panel_member", "community_member")


def ins(w) -> SimpleNamespace:
    """The insights objects for a test's world, made once per world."""
    if hasattr(w, "_insights"):
        return w._insights
    lead = w.users["site_lead"]
    home_body = helpers.body(w.site, lead, organisation=w.organisation, name="Home PCN")
    away_body = helpers.body(w.site, lead, organisation=OrganisationFactory(), name="Away Trust")
    home = helpers.insight(w.site, w.users["connector"])
    elsewhere = helpers.insight(w.site, lead, summary="No interpreters at the clinic.")
    routing = helpers.route(home, [home_body], lead)[0]
    other_routing = helpers.route(elsewhere, [away_body], lead)[0]
    admin = w.users["national_admin"]
    action = actions.add_action(
        routing=routing,
        data={
            "description": "Open a phone line at 10am",
            "owner": "Practice manager",
            "due_on": routing.due_on,
            "status": "planned",
        },
        by=admin,
    )
    w._insights = SimpleNamespace(
        home=home,
        elsewhere=elsewhere,
        routing=routing,
        other_routing=other_routing,
        action=action,
        body=home_body,
    )
    return w._insights


def see(visible, *, managing=None, hidden=GONE):
    """OK for `managing` (default: all of `visible`); 403 for the rest of `visible`; 404 for
    signed-in users who cannot see the object; sign-in for the anonymous."""
    managing = visible if managing is None else managing
    expect = {ANON: LOGIN}
    for role in only():
        if role == ANON:
            continue
        if role in managing:
            expect[role] = OK
        elif role in visible:
            expect[role] = "denied"
        else:
            expect[role] = hidden
    return expect


def api(status):
    return {ANON: UNAUTHORISED, **{r: status for r in only() if r != ANON}}


def api_see(visible):
    return {ANON: UNAUTHORISED, **{r: OK if r in visible else GONE for r in only() if r != ANON}}


def _site(w):
    return {"slug": w.site.slug}


def _other(w):
    return {"slug": w.other_site.slug}


def _home(w):
    return {"pk": ins(w).home.pk}


def _elsewhere(w):
    return {"pk": ins(w).elsewhere.pk}


def _routing(w):
    return {"pk": ins(w).routing.pk}


def _other_routing(w):
    return {"pk": ins(w).other_routing.pk}


MATRIX = {
    "insights:insight-list": [Case(only(*SEE_HOME))],
    "insights:figures": [Case(only("national_admin", "national_analyst"))],
    # The offline form's service worker: the same script for everyone (it keeps a form page
    # only when someone who may open it does).
    "insights:service-worker": [Case(public())],
    "insights:insight-detail": [
        Case(see(SEE_HOME), kwargs=_home),
        Case(see(MANAGERS), kwargs=_elsewhere),
    ],
    "insights:quote-add": [
        Case(see(SEE_HOME, managing=(*MANAGERS, "connector")), kwargs=_home),
        Case(see(MANAGERS), kwargs=_elsewhere),
    ],
    "insights:insight-themes": [
        Case(see(SEE_HOME, managing=MANAGERS), kwargs=_home),
        Case(see(MANAGERS), kwargs=_elsewhere),
    ],
    "insights:insight-route": [Case(see(SEE_HOME, managing=MANAGERS), kwargs=_home)],
    "insights:feedback-create": [Case(see(SEE_HOME, managing=MANAGERS), kwargs=_home)],
    "insights:insight-keep": [
        Case(see(SEE_HOME, managing=MANAGERS), kwargs=_home),
        Case(see(MANAGERS), kwargs=_elsewhere),
    ],
    # A button on the insight's page: POST only. (Neither insight here is kept back: the
    # managers' POST is refused with a message and sent back to the insight.)
    "insights:insight-reopen": [
        Case({ANON: LOGIN, **{r: METHOD for r in only() if r != ANON}}, kwargs=_home),
        Case(
            see(SEE_HOME, managing=MANAGERS) | dict.fromkeys(MANAGERS, REDIRECT),
            kwargs=_home,
            method="post",
        ),
    ],
    "insights:insight-publish": [
        Case(see(SEE_HOME, managing=MANAGERS), kwargs=_home),
        Case(see(MANAGERS), kwargs=_elsewhere),
    ],
    "insights:routing-detail": [
        Case(see(SEE_HOME), kwargs=_routing),
        Case(see(MANAGERS), kwargs=_other_routing),
    ],
    "insights:routing-respond": [
        Case(see(SEE_HOME, managing=("national_admin", "decision_maker")), kwargs=_routing),
        Case(see(MANAGERS, managing=("national_admin",)), kwargs=_other_routing),
    ],
    "insights:action-create": [
        Case(see(SEE_HOME, managing=("national_admin", "decision_maker")), kwargs=_routing),
        Case(see(MANAGERS, managing=("national_admin",)), kwargs=_other_routing),
    ],
    "insights:action-edit": [
        Case(
            see(SEE_HOME, managing=("national_admin", "decision_maker")),
            kwargs=lambda w: {"pk": ins(w).action.pk},
        )
    ],
    "insights:contact-create": [Case(only(*MANAGERS), kwargs=lambda w: {"pk": ins(w).body.pk})],
    "insights:insight-create": [
        Case(only(*MANAGERS, "connector"), kwargs=_site),
        Case(only("national_admin"), kwargs=_other),
    ],
    "insights:bridge": [
        Case(only(*MANAGERS), kwargs=_site),
        Case(only("national_admin"), kwargs=_other),
    ],
    "insights:body-create": [
        Case(only(*MANAGERS), kwargs=_site),
        Case(only("national_admin"), kwargs=_other),
    ],
    "insights:themes": [
        Case(only(*MANAGERS), kwargs=_site),
        Case(only("national_admin"), kwargs=_other),
    ],
    "insights:settings": [
        Case(only(*MANAGERS), kwargs=_site),
        Case(only("national_admin"), kwargs=_other),
    ],
    "insights:site-figures": [
        Case(only(*MANAGERS, "national_analyst"), kwargs=_site),
        Case(only("national_admin", "national_analyst"), kwargs=_other),
    ],
    "insights:sessions": [
        Case(only(*MANAGERS), kwargs=_site),
        Case(only("national_admin"), kwargs=_other),
    ],
    "insights:session-create": [
        Case(only(*MANAGERS), kwargs=_site),
        Case(only("national_admin"), kwargs=_other),
    ],
    # Public, without signing in; an unannounced site's page does not exist.
    "insights:public": [
        Case(public(), kwargs=_site),
        Case(public(GONE), kwargs=lambda w: {"slug": w.unpublished_site.slug}),
    ],
    # ---- API: signed-in callers only, the same visibility as the pages ----
    "api-1.0.0:list_insights": [Case(api(OK))],
    "api-1.0.0:get_insight": [Case(api_see(SEE_HOME), kwargs=lambda w: {"id": ins(w).home.pk})],
    # The matrix posts a form body, not JSON: refused as unreadable (400) for every caller
    # who gets that far; tests/insights/test_api.py checks who may post real JSON.
    "api-1.0.0:raise_insight": [Case(api("400"), method="post")],
    "api-1.0.0:list_routings": [Case(api(OK))],
    "api-1.0.0:respond_to_routing": [
        Case(api("400"), kwargs=lambda w: {"id": ins(w).routing.pk}, method="post")
    ],
    "api-1.0.0:you_said_we_did": [
        Case(public(), kwargs=_site),
        Case(public(GONE), kwargs=lambda w: {"slug": w.unpublished_site.slug}),
    ],
}
