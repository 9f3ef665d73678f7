"""Fixes from a walk through the demo: exports do not keep a site from going stale, the
insight figure counts insight sent to decision-makers, and a return waits for its quarter to
end (and asks before it goes with questions unanswered)."""

from datetime import date, datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.insights.models import DecisionBody, Insight, Routing
from core20.oversight import actions, dashboard, home, outputs, periods
from core20.oversight.models import QuarterlyReturn
from core20.programme.models import Site
from tests.conftest import client_for, page_html
from tests.factories import OrganisationFactory
from tests.oversight import helpers

pytestmark = pytest.mark.django_db

Verb = AuditEvent.Verb


def _row(site):
    (row,) = dashboard.build(Site.objects.filter(pk=site.pk)).rows
    return row


def _audit(site, verb, by, summary=""):
    with transaction.atomic():
        record(actor=by, verb=verb, obj=site, site=site, summary=summary)


# ---- 1. stale sites ----


def test_exports_sign_ins_and_access_changes_do_not_count_as_an_update(site, people):
    admin = people["admin"]
    _audit(site, Verb.EXPORT, people["lead"], "Exported activities as CSV")
    _audit(site, Verb.SIGN_IN, people["lead"])
    _audit(site, Verb.GRANT, admin, "Granted site lead")
    _audit(site, Verb.TOKEN_CREATE, people["lead"])
    row = _row(site)
    assert row.last_update is None and row.stale

    _audit(site, "places.target_areas.add", people["lead"], "Added 3 target areas")
    row = _row(site)
    assert row.last_update is not None and not row.stale


def test_a_change_recorded_for_the_site_keeps_it_fresh(site, people):
    _audit(site, Verb.UPDATE, people["lead"], "Changed the site's details")
    assert not _row(site).stale


def test_the_national_table_shows_a_site_with_only_exports_as_stale(site, people):
    _audit(site, Verb.EXPORT, people["lead"], "Exported activities as CSV")
    html = page_html(people["admin"], reverse("oversight:dashboard") + "?group=none")
    assert 'Never <strong class="nhsuk-tag nhsuk-tag--yellow">Stale</strong>' in html
    assert "Exports, downloads, sign-ins and changes to who has access do not count" in html


def test_the_table_reads_audit_events_in_the_same_number_of_queries(site, other_site, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sites = Site.objects.filter(pk__in=[site.pk, other_site.pk])
    with CaptureQueriesContext(connection) as before:
        dashboard.build(sites)
    for where in (site, other_site):
        for verb in (Verb.EXPORT, Verb.UPDATE, Verb.ROUTE):
            _audit(where, verb, people["admin"])
    with CaptureQueriesContext(connection) as after:
        dashboard.build(sites)
    assert len(after) == len(before)


# ---- 2. insight passed to decision-makers ----


def _at(y, m, d) -> datetime:
    return timezone.make_aware(datetime(y, m, d, 12))


def _insight(site, raised):
    return Insight.objects.create(
        site=site, kind="barrier", summary="Appointments", people_count=3, raised_at=raised
    )


def _body(site, name):
    return DecisionBody.objects.create(
        site=site, organisation=OrganisationFactory(), name=name, kind="pcn"
    )


def _route(insight, body, when):
    return Routing.objects.create(insight=insight, body=body, routed_at=when, due_on=when.date())


def test_insight_counts_when_it_is_sent_not_when_it_is_recorded(site, other_site):
    year = 2025  # Q1 April-June 2025, Q2 July-September
    board, forum = _body(site, "Board"), _body(site, "Forum")
    _insight(site, _at(2025, 4, 2))  # recorded, never sent
    kept = _insight(site, _at(2025, 4, 3))
    kept.kept_at, kept.kept_reason = _at(2025, 4, 4), "Dealt with by the practice"
    kept.save()
    twice = _insight(site, _at(2025, 4, 5))
    _route(twice, board, _at(2025, 4, 6))
    _route(twice, forum, _at(2025, 5, 1))  # one piece of insight, sent to two bodies
    late = _insight(site, _at(2025, 6, 20))  # recorded in Q1, sent in Q2
    _route(late, board, _at(2025, 7, 2))
    elsewhere = _insight(other_site, _at(2025, 4, 2))
    _route(elsewhere, _body(other_site, "Other board"), _at(2025, 4, 9))

    assert outputs.insights_recorded(site, year, 1, {}) == 1
    assert outputs.insights_recorded(site, year, 2, {}) == 1
    assert outputs.insights_recorded(site, year, 3, {}) == 0
    # The national table's column counts by the same rule, over the year.
    assert outputs.insights_recorded_bulk([site.pk, other_site.pk], year) == {
        site.pk: 2,
        other_site.pk: 1,
    }


def test_the_return_is_prefilled_with_insight_sent_in_the_quarter(site, people, template):
    year, quarter = helpers.last_quarter()
    first, _ = periods.quarter_bounds(year, quarter)
    when = timezone.make_aware(datetime.combine(first + timedelta(days=3), datetime.min.time()))
    board = _body(site, "Board")
    _insight(site, when)  # recorded only
    _route(_insight(site, when), board, when + timedelta(hours=2))
    qreturn = helpers.start(site, people["lead"], (year, quarter))
    assert qreturn.answers["insights_recorded"] == "1"
    html = page_html(people["lead"], qreturn.get_absolute_url())
    assert "How many pieces of insight did you pass to decision-makers?" in html


# ---- 3. a return waits for its quarter to end ----

NOVEMBER_24 = date(2026, 11, 24)
DECEMBER_31 = date(2026, 12, 31)
AUTUMN = (2026, 3)  # October to December 2026


@pytest.fixture
def on_day(monkeypatch):
    def set_day(day: date) -> None:
        monkeypatch.setattr(periods, "today", lambda: day)

    return set_day


@pytest.fixture
def autumn_draft(site, people, template, on_day):
    on_day(NOVEMBER_24)
    qreturn = helpers.start(site, people["lead"], AUTUMN)
    return actions.save_answers(
        qreturn=qreturn, answers={"summary": "Halfway through the quarter."}, by=people["lead"]
    )


def test_a_return_cannot_be_submitted_before_its_quarter_ends(autumn_draft, people, on_day):
    with pytest.raises(actions.IllegalTransition) as refused:
        actions.submit_return(qreturn=autumn_draft, by=people["lead"])
    assert refused.value.messages == [
        "You can submit the return for October to December 2026 from 31 December 2026. "
        "Until then you can save your answers as a draft."
    ]
    # Nor can a national admin send it on the site's behalf.
    with pytest.raises(actions.IllegalTransition):
        actions.submit_return(qreturn=autumn_draft, by=people["admin"])
    autumn_draft.refresh_from_db()
    assert autumn_draft.status == QuarterlyReturn.Status.DRAFT
    # The draft can still be saved.
    saved = actions.save_answers(
        qreturn=autumn_draft, answers={"summary": "Most of the quarter."}, by=people["lead"]
    )
    assert saved.answers["summary"] == "Most of the quarter."

    on_day(DECEMBER_31)
    submitted = actions.submit_return(qreturn=autumn_draft, by=people["lead"])
    assert submitted.status == QuarterlyReturn.Status.SUBMITTED


def test_the_home_page_asks_for_a_return_only_once_its_quarter_ends(
    site, autumn_draft, people, on_day
):
    url = reverse("oversight:site-returns", args=[site.slug])
    waiting = {w.plural: w.count for w in home.waiting(people["lead"]) if w.count}
    assert waiting == {}
    on_day(DECEMBER_31)
    waiting = {w.plural: w.count for w in home.waiting(people["lead"]) if w.count}
    assert waiting == {"quarterly returns to submit": 1}
    assert [w.url for w in home.waiting(people["lead"]) if w.count] == [url]


def test_the_return_page_says_when_it_can_be_submitted(autumn_draft, people):
    lead = client_for(people["lead"])
    html = lead.get(autumn_draft.get_absolute_url()).content.decode()
    assert "You can submit the return for October to December 2026 from 31 December 2026" in html
    assert "Submit the return</button>" not in html
    assert "Change answers" in html  # the draft can still be changed

    response = lead.post(reverse("oversight:return-submit", args=[autumn_draft.pk]), follow=True)
    assert "You can submit the return for October to December 2026 from 31 December 2026" in (
        response.content.decode()
    )
    autumn_draft.refresh_from_db()
    assert autumn_draft.status == QuarterlyReturn.Status.DRAFT


def test_another_sites_lead_cannot_submit_it(autumn_draft, people, on_day):
    on_day(DECEMBER_31)
    other = client_for(people["other_lead"])
    response = other.post(
        reverse("oversight:return-submit", args=[autumn_draft.pk]), {"confirm_unanswered": "99"}
    )
    assert response.status_code in (403, 404)
    autumn_draft.refresh_from_db()
    assert autumn_draft.status == QuarterlyReturn.Status.DRAFT


def test_submitting_with_questions_unanswered_asks_for_confirmation(autumn_draft, people, on_day):
    on_day(DECEMBER_31)
    left = actions.unanswered(autumn_draft)
    assert left, "the draft answers the summary only"
    n = len(left)
    lead = client_for(people["lead"])

    html = lead.get(autumn_draft.get_absolute_url()).content.decode()
    assert f"{n} questions not answered" in html
    assert "What went well</a>" in html
    assert f'href="/oversight/returns/{autumn_draft.pk}/edit/#id_what_went_well"' in html
    assert f"Submit with {n} questions unanswered" in html

    url = reverse("oversight:return-submit", args=[autumn_draft.pk])
    response = lead.post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f"Confirm that you want to submit the return with {n} questions unanswered" in html
    autumn_draft.refresh_from_db()
    assert autumn_draft.status == QuarterlyReturn.Status.DRAFT

    # A confirmation for a different number of questions (the answers changed) asks again.
    lead.post(url, {"confirm_unanswered": str(n + 1)})
    autumn_draft.refresh_from_db()
    assert autumn_draft.status == QuarterlyReturn.Status.DRAFT

    response = lead.post(url, {"confirm_unanswered": str(n)}, follow=True)
    assert "has been submitted to the national team" in response.content.decode()
    autumn_draft.refresh_from_db()
    assert autumn_draft.status == QuarterlyReturn.Status.SUBMITTED


def test_a_fully_answered_return_is_submitted_without_a_question(autumn_draft, people, on_day):
    on_day(DECEMBER_31)
    questions = actions.questions_of(autumn_draft.template)
    answers = {q.key: ("0" if q.kind in ("number", "money") else "Some words") for q in questions}
    actions.save_answers(qreturn=autumn_draft, answers=answers, by=people["lead"])
    lead = client_for(people["lead"])
    assert "unanswered" not in lead.get(autumn_draft.get_absolute_url()).content.decode()
    lead.post(reverse("oversight:return-submit", args=[autumn_draft.pk]))
    autumn_draft.refresh_from_db()
    assert autumn_draft.status == QuarterlyReturn.Status.SUBMITTED
