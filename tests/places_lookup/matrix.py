"""Permission-matrix entries for the places pages (placesui) and the places API, merged
into tests/test_permission_matrix.py. ``world.site`` is the site whose site-scoped users
these are; ``world.other_site`` is someone else's."""

from core20.accounts.roles import ROLES
from tests.access import ANON, DENIED, GONE, LOGIN, METHOD, REDIRECT, Case, only, public

EDITORS = ("national_admin", "site_lead")  # SITE_EDIT for the site: national, or its own lead


def _editors(status: str) -> dict:
    """Editors get ``status``; other signed-in users 403; anonymous visitors sign in."""
    return {**only(*EDITORS), **dict.fromkeys(EDITORS, status)}


def _signed_in_method_not_allowed() -> dict:
    return {ANON: LOGIN, **dict.fromkeys(ROLES, METHOD)}


def site(w):
    return {"slug": w.site.slug}


def other(w):
    return {"slug": w.other_site.slug}


MATRIX = {
    # /places/ itself opens the lookup.
    "placesui:index": [Case({ANON: REDIRECT, **dict.fromkeys(ROLES, REDIRECT)})],
    # The lookup page is public: GET looks up one code, POST a CSV file (here without a file:
    # the form comes back with its error).
    "placesui:lookup": [
        Case(public()),
        Case(public(), data={"q": "TF1 1AA"}),
        Case(public(), method="post"),
    ],
    # A site's places page: wherever the site is visible (published: everyone).
    "placesui:site-places": [Case(public(), kwargs=site), Case(public(), kwargs=other)],
    # Choosing target areas: SITE_EDIT for that site.
    "placesui:site-areas": [
        Case(only(*EDITORS), kwargs=site),
        Case(only("national_admin"), kwargs=other),
    ],
    "placesui:site-areas-paste": [
        Case(_signed_in_method_not_allowed(), kwargs=site),
        # An empty box: the editor sees the page again with the error.
        Case(only(*EDITORS), kwargs=site, method="post", data={"codes": ""}),
        Case(only("national_admin"), kwargs=other, method="post", data={"codes": ""}),
    ],
    "placesui:site-areas-add": [
        Case(_signed_in_method_not_allowed(), kwargs=site),
        Case(_editors(REDIRECT), kwargs=site, method="post", data={"code": "E05999999"}),
        Case(
            {**only("national_admin"), "national_admin": REDIRECT},
            kwargs=other,
            method="post",
            data={"code": "E05999999"},
        ),
    ],
    "placesui:site-areas-remove": [
        Case(_signed_in_method_not_allowed(), kwargs=lambda w: {**site(w), "pk": 999999}),
        # No such area: editors get 404, everyone else 403 before that is looked at.
        Case(_editors(GONE), kwargs=lambda w: {**site(w), "pk": 999999}, method="post"),
    ],
    "placesui:site-edition": [
        Case(_signed_in_method_not_allowed(), kwargs=site),
        Case(only(*EDITORS), kwargs=site, method="post", data={"edition": ""}),
        Case(
            {**only("national_admin"), "national_admin": REDIRECT},
            kwargs=other,
            method="post",
            data={"edition": "imd2019"},
        ),
    ],
    # API: lookups are public like the page; a site's profile wherever the site is visible.
    "api-1.0.0:lookup": [Case(public(), data={"q": "TF1 1AA"}), Case(public("422"))],
    # A JSON body is needed (tests/places_lookup/real tests it); the matrix client sends a
    # form, which every visitor gets the same 400 (unreadable body) for.
    "api-1.0.0:bulk_lookup": [Case(public("400"), method="post", data={"queries": "x"})],
    "api-1.0.0:site_profile": [
        Case(public(), kwargs=site),
        Case(public(), kwargs=other),
        Case(public(GONE), kwargs=lambda w: {"slug": "no-such-site"}),
    ],
}

assert DENIED  # imported for readers: only() gives DENIED to everyone else
