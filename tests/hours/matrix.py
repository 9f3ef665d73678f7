"""Who may open each hours page and API endpoint (merged into tests/test_permission_matrix.py).

The `world`'s connector user has an active connector record at `w.site`, with a draft claim
and a payment of their own. "Bea" is another connector at `w.site` with a submitted claim
(and a receipt), an approved claim, approved hours and a payment; "Far" is a connector at
`w.other_site` with a submitted claim. Coordinators (CLAIM_APPROVE: the site lead and host
coordinator of `w.site`) and national admins manage the site; nobody else does. Someone
else's claim or payment is a 404; a site page the user may not use is a 403. The API needs a
signed-in caller (401 otherwise).

POST cases use steps the records' statuses refuse (removing an item from a submitted claim,
approving approved hours), so they show who gets through without changing anything. The
receipt file is written to MEDIA_ROOT and removed when the test's world goes away.
"""

import weakref
from types import SimpleNamespace

from core20.accounts.roles import ROLES
from core20.hours.models import private_storage
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
from tests.hours import helpers

MANAGERS = ("national_admin", "site_lead", "host_coordinator")


def _remove_files(names):
    for name in names:
        private_storage.delete(name)


def hr(w) -> SimpleNamespace:
    """The hours objects for a test's world, made once per world."""
    if hasattr(w, "_hours"):
        return w._hours
    admin, host = w.users["national_admin"], w.users["host_coordinator"]
    me = helpers.connector(w.site, user=w.users["connector"], name="Con Nector")
    bea = helpers.connector(w.site, name="Bea")
    far = helpers.connector(w.other_site, name="Far")
    bea_hours = helpers.log(bea, host)
    from core20.hours import actions

    actions.approve_hours(entry=bea_hours, by=w.users["site_lead"])
    data = SimpleNamespace(
        me=me,
        own_hours=helpers.log(me, w.users["connector"], "1.5", day=3),
        own_claim=helpers.draft_claim(me, w.users["connector"], receipt=False),
        own_payment=helpers.payment(me, host),
        submitted=helpers.submitted_claim(bea, host),
        bea_hours=bea_hours,
        bea_payment=helpers.payment(bea, host),
        far_claim=helpers.submitted_claim(far, admin),
    )
    data.approved = helpers.approved_claim(bea, host, w.users["site_lead"])
    data.item = data.submitted.items.first()
    data.receipt = data.submitted.receipts.first()
    names = [
        r.file.name
        for claim in (data.submitted, data.approved, data.far_claim)
        for r in claim.receipts.all()
    ]
    weakref.finalize(w, _remove_files, names)
    w._hours = data
    return data


def _made(w):
    """No URL arguments, but the connector's record must exist."""
    hr(w)
    return {}


def _home(w):
    return {"slug": w.site.slug}


def _other(w):
    return {"slug": w.other_site.slug}


def _seen_by(*roles, others=GONE) -> dict:
    """OK for these roles, 404 for everyone else signed in."""
    return only(*roles, others=others)


def _post_only() -> dict:
    """GET is refused (405) for everyone signed in."""
    return {ANON: LOGIN, **dict.fromkeys(ROLES, METHOD)}


def _api(status=OK) -> dict:
    return {ANON: UNAUTHORISED, **dict.fromkeys(ROLES, status)}


def _claim(attr):
    return lambda w: {"pk": getattr(hr(w), attr).pk}


def _hours(attr):
    return lambda w: {"pk": getattr(hr(w), attr).pk}


def _entry_id(w):
    return {"entry_id": hr(w).bea_hours.pk}


def _api_claim(attr):
    return lambda w: {"claim_id": getattr(hr(w), attr).pk}


SITE_PAGE = [Case(only(*MANAGERS), kwargs=_home), Case(only("national_admin"), kwargs=_other)]

MATRIX = {
    # a connector's own space: only people with a connector record; those who manage hours
    # at sites instead are sent to their sites' hours
    "hours:mine": [Case({**only("connector"), **dict.fromkeys(MANAGERS, REDIRECT)}, kwargs=_made)],
    "hours:log-hours": [Case(only("connector"), kwargs=_made)],
    "hours:claim-create": [Case(only("connector"), kwargs=_made)],
    # claims: the claimant and the site's coordinators; others get a 404
    "hours:claim-detail": [
        Case(_seen_by("connector", *MANAGERS), kwargs=_claim("own_claim")),
        Case(_seen_by(*MANAGERS), kwargs=_claim("submitted")),
        Case(_seen_by("national_admin"), kwargs=_claim("far_claim")),
    ],
    "hours:item-add": [
        Case(_seen_by("connector", *MANAGERS), kwargs=_claim("own_claim")),
        # a submitted claim can no longer be changed: back to the claim
        Case(
            {**_seen_by(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=_claim("submitted"),
        ),
    ],
    "hours:item-remove": [
        Case(_post_only(), kwargs=lambda w: {"pk": hr(w).submitted.pk, "item": hr(w).item.pk}),
        Case(
            {**_seen_by(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=lambda w: {"pk": hr(w).submitted.pk, "item": hr(w).item.pk},
            method="post",
        ),
    ],
    "hours:receipt-add": [Case(_seen_by("connector", *MANAGERS), kwargs=_claim("own_claim"))],
    "hours:receipt": [
        Case(
            _seen_by(*MANAGERS),
            kwargs=lambda w: {"pk": hr(w).submitted.pk, "receipt": hr(w).receipt.pk},
        )
    ],
    "hours:receipt-remove": [
        Case(
            _post_only(), kwargs=lambda w: {"pk": hr(w).submitted.pk, "receipt": hr(w).receipt.pk}
        ),
        Case(
            {**_seen_by(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=lambda w: {"pk": hr(w).submitted.pk, "receipt": hr(w).receipt.pk},
            method="post",
        ),
    ],
    "hours:claim-submit": [
        Case(_post_only(), kwargs=_claim("submitted")),
        Case(
            {**_seen_by(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=_claim("submitted"),
            method="post",
        ),
    ],
    "hours:claim-decide": [
        Case(_seen_by(*MANAGERS), kwargs=_claim("submitted")),
        # the claimant may see their claim but never decide on it
        Case(
            {**_seen_by(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT), "connector": DENIED},
            kwargs=_claim("own_claim"),
        ),
        Case(_seen_by("national_admin"), kwargs=_claim("far_claim")),
    ],
    "hours:claim-paid": [Case(_seen_by(*MANAGERS), kwargs=_claim("approved"))],
    "hours:payment-detail": [
        Case(_seen_by("connector", *MANAGERS), kwargs=lambda w: {"pk": hr(w).own_payment.pk}),
        Case(_seen_by(*MANAGERS), kwargs=lambda w: {"pk": hr(w).bea_payment.pk}),
    ],
    # a site's hours and money: its coordinators and national admins
    # (the site lead and host coordinator manage one site: straight to its page)
    "hours:sites": [Case({**only(*MANAGERS), "site_lead": REDIRECT, "host_coordinator": REDIRECT})],
    "hours:site": SITE_PAGE,
    "hours:site-log-hours": SITE_PAGE,
    "hours:site-claim-create": SITE_PAGE,
    "hours:credit-settings": SITE_PAGE,
    "hours:payment-create": SITE_PAGE,
    "hours:export": SITE_PAGE,
    "hours:hours-approve": [
        Case(_post_only(), kwargs=lambda w: {"pk": hr(w).bea_hours.pk}),
        # already approved: back to the site page with a message
        Case(
            {**_seen_by(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=lambda w: {"pk": hr(w).bea_hours.pk},
            method="post",
        ),
    ],
    # correcting hours not yet approved: the connector themself and the site's managers
    # (the world's connector's own entry); everyone else signed in gets a 404
    "hours:hours-edit": [Case(_seen_by("connector", *MANAGERS), kwargs=_hours("own_hours"))],
    "hours:hours-remove": [
        Case(_post_only(), kwargs=_hours("own_hours")),
        # approved hours: back to the list with a message, removing nothing
        Case(
            {**_seen_by(*MANAGERS), **dict.fromkeys(MANAGERS, REDIRECT)},
            kwargs=_hours("bea_hours"),
            method="post",
        ),
    ],
    # ---- API: signed-in callers see their own and their sites' records ----
    "api-1.0.0:list_hours": [Case(_api())],
    # writes without a JSON body: 400 for anyone signed in (the full checks are in test_api.py)
    "api-1.0.0:log_hours": [Case(_api("400"), method="post")],
    # correcting (PUT) and removing (DELETE) hours: approved hours refuse both (409) for
    # those who may see them, 404 for everyone else signed in
    "api-1.0.0:hours_entry": [
        Case({**_api(GONE), **dict.fromkeys(MANAGERS, "409")}, kwargs=_entry_id, method="delete"),
    ],
    "api-1.0.0:approve_hours": [
        Case(public(METHOD), kwargs=lambda w: {"entry_id": hr(w).bea_hours.pk}),
        # already approved: 409 for those who may approve, 404 for everyone else
        Case(
            {**_api(GONE), **dict.fromkeys(MANAGERS, "409")},
            kwargs=lambda w: {"entry_id": hr(w).bea_hours.pk},
            method="post",
        ),
    ],
    "api-1.0.0:list_expense_claims": [Case(_api())],
    "api-1.0.0:create_expense_claim": [Case(_api("400"), method="post")],
    "api-1.0.0:get_expense_claim": [
        Case(
            {**_api(GONE), **dict.fromkeys(("connector", *MANAGERS), OK)},
            kwargs=_api_claim("own_claim"),
        ),
        Case({**_api(GONE), **dict.fromkeys(MANAGERS, OK)}, kwargs=_api_claim("submitted")),
    ],
    "api-1.0.0:add_expense_item": [Case(public(METHOD), kwargs=_api_claim("own_claim"))],
    "api-1.0.0:add_expense_receipt": [Case(public(METHOD), kwargs=_api_claim("own_claim"))],
    "api-1.0.0:submit_expense_claim": [
        Case(public(METHOD), kwargs=_api_claim("submitted")),
        # already submitted: 409 for those who may act on it, 404 for everyone else
        Case(
            {**_api(GONE), **dict.fromkeys(MANAGERS, "409")},
            kwargs=_api_claim("submitted"),
            method="post",
        ),
    ],
    "api-1.0.0:decide_expense_claim": [Case(public(METHOD), kwargs=_api_claim("submitted"))],
    "api-1.0.0:pay_expense_claim": [Case(public(METHOD), kwargs=_api_claim("approved"))],
    "api-1.0.0:list_connector_payments": [Case(_api())],
    "api-1.0.0:record_connector_payment": [Case(_api("400"), method="post")],
}
