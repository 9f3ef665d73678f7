"""Who may open each outcomes page (merged into tests/test_permission_matrix.py).

The indicator catalogue is public. Figures (a site's outcomes page, dashboards, evaluation,
downloads) need ANALYTICS_VIEW for the site: national admins and analysts everywhere, the
site lead at their own site. The catalogue is maintained by INDICATOR_MANAGE holders
(national admins and analysts); data is uploaded by INDICATOR_DATA_UPLOAD holders (national
staff, and site leads for their site); logic models, success measures and trajectories are
edited by OUTCOMES_MANAGE holders (national admins, the site lead at their site).
"""

from types import SimpleNamespace

from core20.outcomes import actions
from core20.outcomes.models import Element
from tests.access import ANON, GONE, LOGIN, METHOD, Case, only, public
from tests.factories import ICBFactory
from tests.outcomes import helpers

ANALYSTS = ("national_admin", "national_analyst", "site_lead")
NATIONAL = ("national_admin", "national_analyst")
MANAGERS = ("national_admin", "site_lead")


def oc(w) -> SimpleNamespace:
    """The outcomes objects for a test's world, made once per world."""
    if hasattr(w, "_outcomes"):
        return w._outcomes
    admin = w.users["national_admin"]
    icb = ICBFactory()
    w.site.icbs.add(icb)
    w.other_site.icbs.add(icb)  # so that its dashboard has charts too
    ind = helpers.indicator()
    rows = [(icb.code, "2024", 100 - 5 * d, 200, f"IMD decile {d}") for d in range(1, 11)]
    national = helpers.upload(ind, admin, rows)
    other = helpers.upload(ind, admin, rows[:1], site=w.other_site)
    element = actions.save_element(
        site=w.site, data={"stage": Element.Stage.INPUTS, "text": "Funding"}, by=admin
    )
    measure = actions.add_success_measure(
        site=w.site, statement="We feel listened to", said_by="Tenants' group", by=admin
    )
    point = actions.set_trajectory_point(
        site=w.site, indicator=ind, period="2025", value=55, by=admin
    )
    w._outcomes = SimpleNamespace(
        indicator=ind,
        national=national,
        other=other,
        element=element,
        measure=measure,
        point=point,
    )
    return w._outcomes


def _home(w):
    return {"slug": w.site.slug}


def _other(w):
    return {"slug": w.other_site.slug}


def _ind(w, slug=None):
    return {"slug": slug or w.site.slug, "code": oc(w).indicator.code}


def _post_only(*roles):
    """GET is refused (405) for everyone signed in."""
    return {ANON: LOGIN, **{r: METHOD for r in only(*roles) if r != ANON}}


MATRIX = {
    "outcomes:home": [Case(only(*ANALYSTS))],
    "outcomes:national": [
        Case(only(*NATIONAL), kwargs=lambda w: (oc(w), {})[1]),
        Case(
            only(*NATIONAL),
            kwargs=lambda w: (oc(w), {})[1],
            data={"chart": "by-quantile", "export": "png"},
        ),
    ],
    # Every site's areas: anyone with ANALYTICS_VIEW somewhere (a site lead sees their own).
    "outcomes:national-areas": [
        Case(only(*ANALYSTS), kwargs=lambda w: {"code": oc(w).indicator.code}),
    ],
    "outcomes:indicator-list": [Case(public())],
    "outcomes:indicator-detail": [Case(public(), kwargs=lambda w: {"code": oc(w).indicator.code})],
    "outcomes:indicator-create": [Case(only(*NATIONAL))],
    "outcomes:indicator-edit": [
        Case(only(*NATIONAL), kwargs=lambda w: {"code": oc(w).indicator.code})
    ],
    "outcomes:upload-list": [Case(only(*ANALYSTS))],
    "outcomes:upload-create": [Case(only(*ANALYSTS))],
    "outcomes:upload-detail": [
        Case(only(*ANALYSTS), kwargs=lambda w: {"pk": oc(w).national.pk}),
        Case({**only(*NATIONAL), "site_lead": GONE}, kwargs=lambda w: {"pk": oc(w).other.pk}),
    ],
    "outcomes:upload-export": [
        Case(only(*ANALYSTS), kwargs=lambda w: {"pk": oc(w).national.pk, "fmt": "csv"}),
        Case(
            {**only(*NATIONAL), "site_lead": GONE},
            kwargs=lambda w: {"pk": oc(w).other.pk, "fmt": "csv"},
        ),
    ],
    "outcomes:site": [
        Case(only(*ANALYSTS), kwargs=_home),
        Case(only(*NATIONAL), kwargs=_other),
    ],
    "outcomes:outputs-export": [
        Case(only(*ANALYSTS), kwargs=lambda w: {**_home(w), "fmt": "csv"}),
        Case(only(*NATIONAL), kwargs=lambda w: {**_other(w), "fmt": "xlsx"}),
    ],
    "outcomes:logic-model-start": [Case(_post_only(*MANAGERS), kwargs=_home)],
    "outcomes:element-create": [
        Case(only(*MANAGERS), kwargs=_home),
        Case(only("national_admin"), kwargs=_other),
    ],
    "outcomes:element-edit": [
        Case(only(*MANAGERS), kwargs=lambda w: {**_home(w), "pk": oc(w).element.pk}),
    ],
    "outcomes:element-delete": [
        Case(only(*MANAGERS), kwargs=lambda w: {**_home(w), "pk": oc(w).element.pk}),
    ],
    "outcomes:measure-create": [
        Case(only(*MANAGERS), kwargs=_home),
        Case(only("national_admin"), kwargs=_other),
    ],
    "outcomes:evidence-create": [
        Case(only(*MANAGERS), kwargs=lambda w: {**_home(w), "pk": oc(w).measure.pk}),
    ],
    "outcomes:evaluation": [
        Case(only(*ANALYSTS), kwargs=_home),
        Case(only(*NATIONAL), kwargs=_other),
    ],
    "outcomes:site-indicator": [
        Case(only(*ANALYSTS), kwargs=_ind),
        Case(only(*NATIONAL), kwargs=lambda w: _ind(w, w.other_site.slug)),
    ],
    "outcomes:trajectory": [
        Case(only(*MANAGERS), kwargs=_ind),
        Case(only("national_admin"), kwargs=lambda w: _ind(w, w.other_site.slug)),
    ],
    "outcomes:trajectory-remove": [
        Case(_post_only(*MANAGERS), kwargs=lambda w: {**_ind(w), "pk": oc(w).point.pk}),
    ],
    "outcomes:site-indicator-export": [
        Case(only(*ANALYSTS), kwargs=lambda w: {**_ind(w), "table": "by-quantile", "fmt": "csv"}),
        Case(
            only(*NATIONAL),
            kwargs=lambda w: {**_ind(w, w.other_site.slug), "table": "areas", "fmt": "xlsx"},
        ),
    ],
    "outcomes:site-indicator-chart": [
        Case(only(*ANALYSTS), kwargs=lambda w: {**_ind(w), "chart": "by-quantile"}),
        Case(
            only(*NATIONAL),
            kwargs=lambda w: {**_ind(w, w.other_site.slug), "chart": "by-quantile"},
        ),
    ],
    # The same chart as PNG: the same people as the SVG.
    "outcomes:site-indicator-chart-png": [
        Case(only(*ANALYSTS), kwargs=lambda w: {**_ind(w), "chart": "by-quantile"}),
        Case(
            only(*NATIONAL),
            kwargs=lambda w: {**_ind(w, w.other_site.slug), "chart": "by-quantile"},
        ),
    ],
}

MATRIX.update(
    {
        "api-1.0.0:list_indicators": [Case(public())],
        "api-1.0.0:site_by_deprivation": [
            Case({**only(*ANALYSTS, anon="denied")}, kwargs=_ind),
            Case({**only(*NATIONAL, anon="denied")}, kwargs=lambda w: _ind(w, w.other_site.slug)),
        ],
    }
)
