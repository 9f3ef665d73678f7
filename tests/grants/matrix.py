"""Who may open each micro-grant page and API route (merged into
tests/test_permission_matrix.py).

The `world`'s site-scoped users work at `w.site`; `w.other_site` is someone else's.
Funds are public from their opening date; the application form and the status page need no
account (the status page only with the private token). The site's team (GRANT_MANAGE: site
lead and host coordinator at their site; national admins) manages funds, decisions and
payments; appointed panel members (GRANT_SCORE: community members at the site, national
admins) assess. A fund at another site is managed only by national admins; a fund not yet
open is hidden (404) from everyone but its site's team and national admins.
"""

from types import SimpleNamespace

from core20.accounts.roles import ROLES
from tests.access import (
    ANON,
    DENIED,
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
from tests.grants import helpers

MANAGERS = ("national_admin", "site_lead", "host_coordinator")
SCORERS = ("national_admin", "community_member")


def gr(w) -> SimpleNamespace:
    if hasattr(w, "_grants"):
        return w._grants
    admin = w.users["national_admin"]
    fund = helpers.fund(w.site)
    helpers.criteria(fund)
    other_fund = helpers.fund(w.other_site)
    upcoming = helpers.fund(w.site, name="Next year", opens=30, closes=60)
    for role in SCORERS:
        helpers.appoint(fund, w.users[role])
    submitted = helpers.application(fund)
    awarded = helpers.award(helpers.application(fund, group_name="Bridge Club"), admin)
    other = helpers.application(other_fund)
    data = SimpleNamespace(
        fund=fund,
        other_fund=other_fund,
        upcoming=upcoming,
        submitted=submitted,
        awarded=awarded,
        other=other,
    )
    w._grants = data
    return data


def _fund(w):
    return {"pk": gr(w).fund.pk}


def _other_fund(w):
    return {"pk": gr(w).other_fund.pk}


def _upcoming(w):
    return {"pk": gr(w).upcoming.pk}


def _submitted(w):
    return {"pk": gr(w).submitted.pk}


def _awarded(w):
    return {"pk": gr(w).awarded.pk}


def _other(w):
    return {"pk": gr(w).other.pk}


def hidden_except(*roles) -> dict:
    """404 for everyone but ``roles`` (who get the page)."""
    return {**public(GONE), **dict.fromkeys(roles, OK)}


MATRIX = {
    # The public.
    "grants:fund-list": [Case(public())],
    "grants:fund-detail": [
        Case(public(), kwargs=_fund),
        Case(hidden_except(*MANAGERS), kwargs=_upcoming),
    ],
    "grants:apply": [
        Case(public(), kwargs=_fund),
        # Not open yet: hidden from the public; the team sees the "not taking applications" page.
        Case(hidden_except(*MANAGERS), kwargs=_upcoming),
    ],
    "grants:status": [
        Case(public(), kwargs=lambda w: {"token": gr(w).submitted.token}),
        Case(public(GONE), kwargs=lambda w: {"token": "not-a-real-token"}),
    ],
    # Only awarded grants report outcomes; others are sent back to the status page.
    "grants:outcome": [
        Case(public(), kwargs=lambda w: {"token": gr(w).awarded.token}),
        Case(public(REDIRECT), kwargs=lambda w: {"token": gr(w).submitted.token}),
    ],
    "grants:export-json": [Case(public())],
    "grants:export-csv": [Case(public())],
    # The site's team.
    "grants:fund-create": [
        Case(only(*MANAGERS), kwargs=lambda w: {"slug": w.site.slug}),
        Case(only("national_admin"), kwargs=lambda w: {"slug": w.other_site.slug}),
    ],
    "grants:fund-edit": [
        Case(only(*MANAGERS), kwargs=_fund),
        Case(only("national_admin"), kwargs=_other_fund),
    ],
    "grants:fund-manage": [
        Case(only(*MANAGERS), kwargs=_fund),
        Case(only("national_admin"), kwargs=_other_fund),
        Case({**only(*MANAGERS, others=GONE), ANON: LOGIN}, kwargs=_upcoming),
    ],
    "grants:criterion-create": [
        Case(only(*MANAGERS), kwargs=_fund),
        Case(only("national_admin"), kwargs=_other_fund),
    ],
    "grants:panel-appoint": [
        Case(only(*MANAGERS), kwargs=_fund),
        Case(only("national_admin"), kwargs=_other_fund),
    ],
    # The team, and the fund's appointed panel members (the community member is appointed).
    "grants:application-detail": [
        Case(only(*MANAGERS, "community_member"), kwargs=_submitted),
        Case(only("national_admin"), kwargs=_other),
    ],
    "grants:decide": [
        Case(only(*MANAGERS), kwargs=_submitted),
        Case(only("national_admin"), kwargs=_other),
        # Already decided: back to the application.
        Case({**only(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)}, kwargs=_awarded),
    ],
    # Erasing an applicant's contact details: the fund's managers, once decided. The POST
    # leaves out the confirmation, so nothing is erased.
    "grants:application-erase": [
        Case(only(*MANAGERS), kwargs=_awarded),
        Case(only("national_admin"), kwargs=_other),
        Case(only(*MANAGERS), kwargs=_awarded, method="post", data={"reason": "Asked"}),
    ],
    # Emailing the applicant's private link again: a POST for the fund's managers (it sends
    # the email and goes back to the application).
    "grants:status-link-again": [
        Case({ANON: LOGIN, **dict.fromkeys(ROLES, METHOD)}, kwargs=_submitted),
        Case(
            {**only(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=_submitted,
            method="post",
        ),
        Case({**only("national_admin"), "national_admin": REDIRECT}, kwargs=_other, method="post"),
    ],
    "grants:payment-create": [
        Case(only(*MANAGERS), kwargs=_awarded),
        Case(only("national_admin"), kwargs=_other),
    ],
    # Panel members.
    "grants:panel-home": [Case(only(*SCORERS))],
    "grants:assess": [
        Case(only(*SCORERS), kwargs=_submitted),
        # Not on the other site's panel (national admins may score anywhere once appointed).
        Case(only(others=DENIED), kwargs=_other),
    ],
    # API.
    "api-1.0.0:list_grant_funds": [Case(public())],
    "api-1.0.0:list_grant_awards": [
        Case({**only(*MANAGERS), ANON: UNAUTHORISED}),
    ],
    "api-1.0.0:grants_360giving": [Case(public())],
}

__all__ = ["MATRIX", "METHOD"]
