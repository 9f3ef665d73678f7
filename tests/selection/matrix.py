"""Who may open each selection page (merged into tests/test_permission_matrix.py).

The `world`'s users hold one role each; for the applicant's pages, the community member
owns a submitted application and the connector a draft one (applicants are simply
signed-in users), so every other visitor is "another applicant" and gets a 404. The
panel member is appointed to the call. Files are written to MEDIA_ROOT and removed when
the test's world goes away.
"""

import weakref
from types import SimpleNamespace

from core20.selection.models import Application, Call, private_storage
from tests.access import (
    ANON,
    GONE,
    LOGIN,
    METHOD,
    OK,
    REDIRECT,
    Case,
    only,
    public,
    signed_in,
)
from tests.selection import helpers


def _remove_files(names):
    """Delete the files. Their folders stay: other test processes share MEDIA_ROOT and may
    be writing into them."""
    for name in names:
        private_storage.delete(name)


def sel(w) -> SimpleNamespace:
    """The selection objects for a test's world, made once per world."""
    if hasattr(w, "_selection"):
        return w._selection
    call = helpers.make_call(w.wave)
    (question,) = helpers.add_questions(call, 300)
    (criterion,) = helpers.add_criteria(call, ("Working with communities", 1, 5))
    upcoming = helpers.make_call(w.wave, opens=5, closes=30, title="Next call")
    draft_call = helpers.make_call(
        w.wave, opens=-5, closes=30, title="Draft call", status=Call.Status.DRAFT
    )
    # The panel scores once a call has closed.
    closed = helpers.make_call(w.wave, opens=-30, closes=-1, title="Closed call")
    declared_closed = helpers.make_application(
        closed, w.users["decision_maker"], status=Application.Status.SUBMITTED
    )
    helpers.declare(helpers.appoint(closed, w.users["panel_member"]), declared_closed)
    helpers.store_pack(call)
    submitted = helpers.make_application(
        call, w.users["community_member"], status=Application.Status.SUBMITTED
    )
    declared = helpers.make_application(
        call, w.users["decision_maker"], status=Application.Status.SUBMITTED
    )
    draft = helpers.make_application(call, w.users["connector"])
    submitted_file = helpers.store_attachment(submitted)
    draft_file = helpers.store_attachment(draft)
    appointment = helpers.appoint(call, w.users["panel_member"])
    helpers.declare(appointment, declared)
    from tests.factories import UserFactory

    removable = helpers.appoint(call, UserFactory(full_name="Removable Member"))
    w._selection = SimpleNamespace(
        call=call,
        upcoming=upcoming,
        draft_call=draft_call,
        declared_closed=declared_closed,
        question=question,
        criterion=criterion,
        submitted=submitted,
        declared=declared,
        draft=draft,
        submitted_file=submitted_file,
        draft_file=draft_file,
        appointment=appointment,
        removable=removable,
    )
    names = [call.pack.name, submitted_file.file.name, draft_file.file.name]
    weakref.finalize(w, _remove_files, names)
    return w._selection


def call_kw(w):
    return {"pk": sel(w).call.pk}


ADMIN = only("national_admin")
SCORERS = only("national_admin", "panel_member")


def _owner(role, status=OK, others=GONE):
    return {**only(role, others=others), ANON: LOGIN, role: status}


MATRIX = {
    # ---- public ----
    "selection:call-list": [Case(public())],
    "selection:call-detail": [
        Case(public(), kwargs=call_kw),
        # Before its opening date, a call exists only for the national team.
        Case(
            {**public(GONE), "national_admin": OK},
            kwargs=lambda w: {"pk": sel(w).upcoming.pk},
        ),
        # A draft, whatever its dates, is only for the national team.
        Case(
            {**public(GONE), "national_admin": OK},
            kwargs=lambda w: {"pk": sel(w).draft_call.pk},
        ),
    ],
    "selection:call-pack": [
        Case(public(), kwargs=call_kw),
        # No pack uploaded.
        Case(public(GONE), kwargs=lambda w: {"pk": sel(w).upcoming.pk}),
    ],
    # ---- applicants ----
    # Signed-in people already have an account: they are sent on.
    "selection:account-create": [Case({**signed_in(REDIRECT), ANON: OK})],
    "selection:call-apply": [
        # The start page; someone who has already applied is taken to their application.
        Case(
            signed_in()
            | {"community_member": REDIRECT, "connector": REDIRECT, "decision_maker": REDIRECT},
            kwargs=call_kw,
        ),
        # Not open yet: a 404 for everyone but the national team, who are sent back.
        Case(
            signed_in(GONE) | {"national_admin": REDIRECT},
            kwargs=lambda w: {"pk": sel(w).upcoming.pk},
        ),
    ],
    "selection:my-applications": [Case(signed_in())],
    "selection:application-detail": [
        Case(_owner("community_member"), kwargs=lambda w: {"pk": sel(w).submitted.pk}),
        Case(_owner("connector"), kwargs=lambda w: {"pk": sel(w).draft.pk}),
    ],
    "selection:application-edit": [
        Case(_owner("connector"), kwargs=lambda w: {"pk": sel(w).draft.pk}),
        # Submitted: read-only, so its owner is sent to the application's page.
        Case(_owner("community_member", REDIRECT), kwargs=lambda w: {"pk": sel(w).submitted.pk}),
    ],
    "selection:application-files": [
        Case(_owner("connector"), kwargs=lambda w: {"pk": sel(w).draft.pk}),
        Case(_owner("community_member"), kwargs=lambda w: {"pk": sel(w).submitted.pk}),
    ],
    "selection:attachment-download": [
        # A submitted application's file: its applicant, national admins and the panel.
        Case(
            {
                **only("community_member", "national_admin", "panel_member", others=GONE),
                ANON: LOGIN,
            },
            kwargs=lambda w: {"pk": sel(w).submitted.pk, "file_pk": sel(w).submitted_file.pk},
        ),
        # A draft's file: only its applicant.
        Case(
            _owner("connector"),
            kwargs=lambda w: {"pk": sel(w).draft.pk, "file_pk": sel(w).draft_file.pk},
        ),
    ],
    "selection:attachment-delete": [
        Case(
            signed_in(METHOD),
            kwargs=lambda w: {"pk": sel(w).draft.pk, "file_pk": sel(w).draft_file.pk},
        ),
        # POST: only the draft's owner (sent back to the files page); anyone else, a 404.
        Case(
            _owner("connector", REDIRECT),
            kwargs=lambda w: {"pk": sel(w).draft.pk, "file_pk": sel(w).draft_file.pk},
            method="post",
        ),
    ],
    # ---- national admins: the call ----
    "selection:call-create": [Case(ADMIN)],
    "selection:call-edit": [Case(ADMIN, kwargs=call_kw)],
    "selection:call-manage": [Case(ADMIN, kwargs=call_kw)],
    "selection:call-open": [
        Case(signed_in(METHOD), kwargs=call_kw),
        # POST: national admins are sent back to the call (this one is open already).
        Case({**only("national_admin"), "national_admin": REDIRECT}, kwargs=call_kw, method="post"),
    ],
    "selection:question-create": [Case(ADMIN, kwargs=call_kw)],
    "selection:question-edit": [
        Case(ADMIN, kwargs=lambda w: {"pk": sel(w).call.pk, "question_pk": sel(w).question.pk})
    ],
    "selection:question-delete": [
        Case(ADMIN, kwargs=lambda w: {"pk": sel(w).call.pk, "question_pk": sel(w).question.pk})
    ],
    "selection:criterion-create": [Case(ADMIN, kwargs=call_kw)],
    "selection:criterion-edit": [
        Case(ADMIN, kwargs=lambda w: {"pk": sel(w).call.pk, "criterion_pk": sel(w).criterion.pk})
    ],
    "selection:criterion-delete": [
        Case(ADMIN, kwargs=lambda w: {"pk": sel(w).call.pk, "criterion_pk": sel(w).criterion.pk})
    ],
    # ---- national admins: panel, moderation and decisions ----
    "selection:panel-manage": [Case(ADMIN, kwargs=call_kw)],
    "selection:panel-appoint": [Case(ADMIN, kwargs=call_kw)],
    "selection:panel-remove": [
        Case(
            signed_in(METHOD),
            kwargs=lambda w: {"pk": sel(w).call.pk, "appointment_pk": sel(w).removable.pk},
        ),
        Case(
            {**only("national_admin"), "national_admin": REDIRECT},
            kwargs=lambda w: {"pk": sel(w).call.pk, "appointment_pk": sel(w).removable.pk},
            method="post",
        ),
    ],
    "selection:moderation": [Case(ADMIN, kwargs=call_kw)],
    "selection:decision": [Case(ADMIN, kwargs=lambda w: {"pk": sel(w).submitted.pk})],
    # ---- panel members (appointed to the call) ----
    "selection:panel-home": [Case(SCORERS)],
    "selection:panel-call": [Case(only("panel_member"), kwargs=call_kw)],
    "selection:review": [
        Case(SCORERS, kwargs=lambda w: {"pk": sel(w).submitted.pk}),
        # A draft is not the panel's business.
        Case(signed_in(GONE), kwargs=lambda w: {"pk": sel(w).draft.pk}),
    ],
    "selection:review-score": [
        # Not declared yet: sent to declare first.
        Case(
            {**only("panel_member"), "panel_member": REDIRECT},
            kwargs=lambda w: {"pk": sel(w).submitted.pk},
        ),
        # Declared no conflict, but the call is still open: sent back until it closes.
        Case(
            {**only("panel_member"), "panel_member": REDIRECT},
            kwargs=lambda w: {"pk": sel(w).declared.pk},
        ),
        # Declared no conflict on a closed call: the scoring form.
        Case(only("panel_member"), kwargs=lambda w: {"pk": sel(w).declared_closed.pk}),
    ],
}
