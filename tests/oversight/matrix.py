"""Who may open each oversight page (merged into tests/test_permission_matrix.py).

The `world`'s site-scoped users work at `w.site`; `w.other_site` is someone else's. Funding
and returns are for the site's own team and national staff (SITE_VIEW_INTERNAL: national
admins and analysts, the site lead and the host coordinator); the site lead reports spend
and writes returns for their own site; national admins set allocations, review returns and
change templates; national oversight is for national admins and analysts.
"""

from types import SimpleNamespace

from tests.access import ANON, LOGIN, METHOD, REDIRECT, Case, only
from tests.oversight import helpers

NATIONAL = ("national_admin", "national_analyst")
SITE_TEAM = (*NATIONAL, "site_lead", "host_coordinator")


def ov(w) -> SimpleNamespace:
    """The oversight objects for a test's world, made once per world."""
    if hasattr(w, "_oversight"):
        return w._oversight
    admin = w.users["national_admin"]
    lead = w.users["site_lead"]
    helpers.template_for(w.site.wave, admin)
    helpers.template_for(w.other_site.wave, admin)
    year, quarter = helpers.last_quarter()
    data = SimpleNamespace(
        allocation=helpers.allocate(w.site, admin),
        draft=helpers.start(w.site, lead, (year, quarter)),
        submitted=helpers.submitted(w.site, lead, helpers.quarter_before(year, quarter)),
        other_draft=helpers.start(w.other_site, admin, (year, quarter)),
    )
    data.question = data.draft.template.questions.first()
    w._oversight = data
    return data


def _home(w):
    return {"slug": w.site.slug}


def _other(w):
    return {"slug": w.other_site.slug}


def _post_only(*roles):
    """GET is refused (405) for everyone signed in; POST as expected."""
    return {ANON: LOGIN, **{r: METHOD for r in only(*roles) if r != ANON}}


def _national_or_own_returns() -> dict:
    return {**only(*NATIONAL), **dict.fromkeys(("site_lead", "host_coordinator"), REDIRECT)}


MATRIX = {
    # A site's own team (at one site) is sent to that site's returns instead.
    "oversight:dashboard": [Case(_national_or_own_returns())],
    "oversight:funding-summary": [Case(only(*NATIONAL))],
    "oversight:funding-summary-csv": [Case(only(*NATIONAL))],
    "oversight:site-funding": [
        Case(only(*SITE_TEAM), kwargs=_home),
        Case(only(*NATIONAL), kwargs=_other),
    ],
    "oversight:allocation-create": [
        Case(only("national_admin"), kwargs=_home),
        Case(only("national_admin"), kwargs=_other),
    ],
    "oversight:allocation-edit": [
        Case(only("national_admin"), kwargs=lambda w: {**_home(w), "pk": ov(w).allocation.pk}),
    ],
    "oversight:allocation-delete": [
        Case(only("national_admin"), kwargs=lambda w: {**_home(w), "pk": ov(w).allocation.pk}),
    ],
    "oversight:spend-report": [
        Case(only("national_admin", "site_lead"), kwargs=_home),
        Case(only("national_admin"), kwargs=_other),
    ],
    "oversight:return-list": [Case(_national_or_own_returns())],
    "oversight:site-returns": [
        Case(only(*SITE_TEAM), kwargs=_home),
        Case(only(*NATIONAL), kwargs=_other),
    ],
    "oversight:return-start": [
        Case(only("national_admin", "site_lead"), kwargs=_home),
        Case(only("national_admin"), kwargs=_other),
    ],
    "oversight:return-detail": [
        Case(only(*SITE_TEAM), kwargs=lambda w: {"pk": ov(w).draft.pk}),
        Case(only(*NATIONAL), kwargs=lambda w: {"pk": ov(w).other_draft.pk}),
    ],
    "oversight:return-version": [
        Case(only(*SITE_TEAM), kwargs=lambda w: {"pk": ov(w).draft.pk, "number": 1}),
        Case(only(*NATIONAL), kwargs=lambda w: {"pk": ov(w).other_draft.pk, "number": 1}),
    ],
    "oversight:return-edit": [
        Case(only("national_admin", "site_lead"), kwargs=lambda w: {"pk": ov(w).draft.pk}),
        Case(only("national_admin"), kwargs=lambda w: {"pk": ov(w).other_draft.pk}),
    ],
    # POST with no answers to the required question: the return page with the problem.
    "oversight:return-submit": [
        Case(_post_only(), kwargs=lambda w: {"pk": ov(w).draft.pk}),
        Case(
            only("national_admin", "site_lead"),
            kwargs=lambda w: {"pk": ov(w).draft.pk},
            method="post",
        ),
        Case(only("national_admin"), kwargs=lambda w: {"pk": ov(w).other_draft.pk}, method="post"),
    ],
    "oversight:return-review": [
        Case(only("national_admin"), kwargs=lambda w: {"pk": ov(w).submitted.pk}),
    ],
    # POST with an empty comment: the return page with the problem.
    "oversight:return-comment": [
        Case(_post_only(), kwargs=lambda w: {"pk": ov(w).draft.pk}),
        Case(
            only("national_admin", "site_lead"),
            kwargs=lambda w: {"pk": ov(w).draft.pk},
            method="post",
        ),
        Case(only("national_admin"), kwargs=lambda w: {"pk": ov(w).other_draft.pk}, method="post"),
    ],
    "oversight:return-due-date": [
        Case(only("national_admin"), kwargs=lambda w: {"pk": ov(w).draft.pk}),
    ],
    "oversight:template-list": [Case(only(*NATIONAL))],
    "oversight:template-detail": [
        Case(only(*NATIONAL), kwargs=lambda w: {"wave": ov(w).draft.template.wave_id}),
    ],
    "oversight:template-create": [
        Case(_post_only(), kwargs=lambda w: {"wave": w.unpublished_site.wave_id}),
        Case(
            {**only("national_admin"), "national_admin": REDIRECT},
            kwargs=lambda w: {"wave": w.unpublished_site.wave_id},
            method="post",
        ),
    ],
    "oversight:section-create": [
        Case(only("national_admin"), kwargs=lambda w: {"wave": ov(w).draft.template.wave_id}),
    ],
    "oversight:question-create": [
        Case(only("national_admin"), kwargs=lambda w: {"wave": ov(w).draft.template.wave_id}),
    ],
    "oversight:question-edit": [
        Case(
            only("national_admin"),
            kwargs=lambda w: {"wave": ov(w).draft.template.wave_id, "pk": ov(w).question.pk},
        ),
    ],
}
