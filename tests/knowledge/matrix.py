"""Who may open each knowledge hub and mailing-list page (merged into
tests/test_permission_matrix.py).

The hub and the mailing list's own pages are public (published resources only; drafts, and
resources scheduled for a later date, are a 404 to all but national admins). Changing the
hub (KNOWLEDGE_MANAGE) and sending notices (MAILING_LIST_SEND) are for national admins.
Files written here are removed when the test's world goes away.
"""

import weakref
from datetime import time, timedelta
from types import SimpleNamespace

from django.utils import timezone

from core20.knowledge import actions, tokens
from core20.knowledge.models import private_storage
from tests.access import ANON, GONE, LOGIN, METHOD, REDIRECT, Case, only, public
from tests.knowledge import helpers


def kn(w) -> SimpleNamespace:
    if hasattr(w, "_knowledge"):
        return w._knowledge
    admin = w.users["national_admin"]
    published = helpers.resource(admin, upload=helpers.pdf(), title="Published report")
    draft = helpers.resource(admin, published=False, upload=helpers.pdf(), title="Draft report")
    scheduled = helpers.resource(
        admin,
        upload=helpers.pdf(),
        title="Scheduled report",
        published_on=timezone.localdate() + timedelta(days=7),
    )
    for name in (published.file.name, draft.file.name, scheduled.file.name):
        weakref.finalize(w, private_storage.delete, name)
    webinar_data = {
        "kind": "webinar",
        "event_on": timezone.localdate() + timedelta(days=30),
        "starts_at": time(14),
        "ends_at": time(15),
    }
    webinar = helpers.resource(admin, title="Upcoming webinar", **webinar_data)
    draft_webinar = helpers.resource(admin, published=False, title="Draft webinar", **webinar_data)
    pending = helpers.subscriber("pending@example.org", confirmed=False)
    confirmed = helpers.subscriber("confirmed@example.org")
    mailing = actions.create_mailing(
        data={"subject": "Wave 3 is open", "body": "Apply now."}, by=admin
    )
    w._knowledge = SimpleNamespace(
        published=published,
        draft=draft,
        scheduled=scheduled,
        webinar=webinar,
        draft_webinar=draft_webinar,
        confirm_token=tokens.confirm_token(pending),
        unsubscribe_token=tokens.unsubscribe_token(confirmed.email_hash),
        mailing=mailing,
    )
    return w._knowledge


ADMIN = only("national_admin")
DRAFT_ONLY_ADMIN = only("national_admin", anon=GONE, others=GONE)

MATRIX = {
    "knowledge:resource-list": [Case(public())],
    "knowledge:resource-detail": [
        Case(public(), kwargs=lambda w: {"slug": kn(w).published.slug}),
        Case(DRAFT_ONLY_ADMIN, kwargs=lambda w: {"slug": kn(w).draft.slug}),
        Case(DRAFT_ONLY_ADMIN, kwargs=lambda w: {"slug": kn(w).scheduled.slug}),
    ],
    "knowledge:resource-file": [
        Case(public(), kwargs=lambda w: {"slug": kn(w).published.slug}),
        Case(DRAFT_ONLY_ADMIN, kwargs=lambda w: {"slug": kn(w).draft.slug}),
        Case(DRAFT_ONLY_ADMIN, kwargs=lambda w: {"slug": kn(w).scheduled.slug}),
    ],
    # An upcoming webinar's calendar file: as public as the webinar; nothing else has one.
    "knowledge:resource-calendar": [
        Case(public(), kwargs=lambda w: {"slug": kn(w).webinar.slug}),
        Case(DRAFT_ONLY_ADMIN, kwargs=lambda w: {"slug": kn(w).draft_webinar.slug}),
        Case(public(GONE), kwargs=lambda w: {"slug": kn(w).published.slug}),
    ],
    "knowledge:resource-create": [Case(ADMIN)],
    "knowledge:resource-edit": [Case(ADMIN, kwargs=lambda w: {"slug": kn(w).draft.slug})],
    "knowledge:mailing-list-signup": [Case(public())],
    "knowledge:mailing-list-check-email": [Case(public())],
    # The first POST confirms; later ones find it confirmed and say so.
    "knowledge:mailing-list-confirm": [
        Case(public(), kwargs=lambda w: {"token": kn(w).confirm_token}),
        Case(public(), kwargs=lambda w: {"token": kn(w).confirm_token}, method="post"),
    ],
    # No sign-in and no CSRF token needed; the first POST unsubscribes, later ones are no-ops.
    "knowledge:mailing-list-unsubscribe": [
        Case(public(), kwargs=lambda w: {"token": kn(w).unsubscribe_token}),
        Case(public(), kwargs=lambda w: {"token": kn(w).unsubscribe_token}, method="post"),
    ],
    "knowledge:mailing-list": [Case(ADMIN)],
    "knowledge:mailing-create": [Case(ADMIN)],
    "knowledge:mailing-detail": [Case(ADMIN, kwargs=lambda w: {"pk": kn(w).mailing.pk})],
    "knowledge:mailing-edit": [Case(ADMIN, kwargs=lambda w: {"pk": kn(w).mailing.pk})],
    "knowledge:mailing-send": [
        Case(
            {ANON: LOGIN, **{r: METHOD for r in ADMIN if r != ANON}},
            kwargs=lambda w: {"pk": kn(w).mailing.pk},
        ),
        Case(
            {**ADMIN, "national_admin": REDIRECT},
            kwargs=lambda w: {"pk": kn(w).mailing.pk},
            method="post",
        ),
    ],
}
