"""Quarterly returns: starting one (prefilled), saving answers (all or nothing, every
version kept), the workflow and its illegal steps, comments, due dates and history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.oversight import actions, periods
from core20.oversight.models import QuarterlyReturn, ReturnVersion
from core20.programme.models import SiteOrganisation
from tests.factories import OrganisationFactory
from tests.oversight import helpers

pytestmark = pytest.mark.django_db

Status = QuarterlyReturn.Status


# ---- starting a return, prefilled ----


def test_a_new_return_is_prefilled_from_what_the_platform_holds(site, people, template):
    admin, lead = people["admin"], people["lead"]
    year, quarter = helpers.last_quarter()
    helpers.allocate(site, admin, "40000.00", year=year)
    actions.report_spend(
        site=site, financial_year=year, quarter=quarter, amount=Decimal("1234.5"), by=lead
    )
    for _ in range(2):
        SiteOrganisation.objects.create(
            site=site, organisation=OrganisationFactory(), role=SiteOrganisation.Role.PARTNER
        )

    qreturn = actions.start_return(site=site, financial_year=year, quarter=quarter, by=lead)

    assert qreturn.status == Status.DRAFT
    assert qreturn.due_on == periods.default_due_date(year, quarter)
    assert qreturn.answers["spend_this_quarter"] == "1234.50"
    assert qreturn.answers["partner_organisations"] == "2"
    # Figures the platform records are prefilled even when there is nothing yet (none
    # recorded is 0).
    for key in ("connectors_active", "activities_held", "people_reached"):
        assert qreturn.answers[key] == qreturn.prefilled[key] == "0"
    assert qreturn.answers["micro_grants_awarded"] == "0.00"
    # No target areas recorded: no population figure either.
    assert qreturn.prefilled["target_population"] is None
    assert qreturn.answers["summary"] is None

    (version,) = qreturn.versions.all()
    assert version.number == 1 and version.created_by == lead
    assert version.answers == qreturn.answers
    assert {q["key"] for q in version.questions} >= {"summary", "spend_this_quarter"}
    event = AuditEvent.objects.get(object_type="oversight.QuarterlyReturn", verb="create")
    assert event.site_id == site.pk
    assert event.changes["prefilled"][1] == {
        "spend_this_quarter": "1234.50",
        "partner_organisations": "2",
        "connectors_recruited": "0",
        "connectors_active": "0",
        "activities_held": "0",
        "people_reached": "0",
        "insights_recorded": "0",
        "micro_grants_awarded": "0.00",
    }


def test_the_form_says_which_figures_are_prefilled_and_which_are_not_recorded(
    client_as, site, people, template
):
    year, quarter = helpers.last_quarter()
    actions.report_spend(
        site=site, financial_year=year, quarter=quarter, amount=Decimal("99"), by=people["lead"]
    )
    qreturn = helpers.start(site, people["lead"])
    html = client_as("lead").get(reverse("oversight:return-edit", args=[qreturn.pk])).content
    html = html.decode()
    assert "Prefilled from Core20 Connect: £99.00" in html
    assert "Not yet recorded in Core20 Connect: enter the figure yourself." in html
    assert 'value="99.00"' in html


def test_prefill_registry_values_for_funding(site, people):
    from core20.oversight import prefill

    year = periods.financial_year_of(periods.today()) - 1
    helpers.allocate(site, people["admin"], "100.00", year=year)
    helpers.allocate(site, people["admin"], "50.25", year=year)
    for quarter, amount in ((1, "10"), (2, "20.5"), (3, "30")):
        actions.report_spend(
            site=site, financial_year=year, quarter=quarter, amount=amount, by=people["admin"]
        )
    values = prefill.prefill_values(
        site,
        year,
        2,
        ["funding_allocated", "spend_this_quarter", "spend_year_to_date", "connectors_active"],
    )
    assert values == {
        "funding_allocated": "150.25",
        "spend_this_quarter": "20.50",
        "spend_year_to_date": "30.50",  # quarters 1 and 2 only
        "connectors_active": "0",
    }


def test_only_one_return_per_site_per_quarter(client_as, site, people, template):
    year, quarter = helpers.last_quarter()
    helpers.start(site, people["lead"], (year, quarter))
    response = client_as("lead").post(
        reverse("oversight:return-start", args=[site.slug]),
        {"financial_year": year, "quarter": quarter},
    )
    assert response.status_code == 200
    assert "already has a return for" in response.content.decode()
    assert QuarterlyReturn.objects.count() == 1
    # The database refuses a second one too.
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyReturn.objects.create(
            site=site, template=template, financial_year=year, quarter=quarter, due_on="2030-1-1"
        )


def test_a_return_cannot_be_started_without_a_template_or_for_a_future_quarter(
    client_as, site, people
):
    page = client_as("lead").get(reverse("oversight:return-start", args=[site.slug]))
    assert "has not set up the quarterly return" in page.content.decode()
    with pytest.raises(ValidationError, match="no quarterly return template"):
        helpers.actions.start_return(site=site, financial_year=2024, quarter=1, by=people["lead"])

    helpers.template_for(site.wave, people["admin"])
    year, quarter = periods.quarter_of(periods.today())
    future = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    with pytest.raises(ValidationError) as caught:
        actions.start_return(
            site=site, financial_year=future[0], quarter=future[1], by=people["lead"]
        )
    assert "has not started yet" in caught.value.message_dict["quarter"][0]
    assert not QuarterlyReturn.objects.exists()


def test_the_site_lead_starts_a_return_through_the_page(client_as, site, template):
    year, quarter = helpers.last_quarter()
    response = client_as("lead").post(
        reverse("oversight:return-start", args=[site.slug]),
        {"financial_year": year, "quarter": quarter},
    )
    qreturn = QuarterlyReturn.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:return-edit", args=[qreturn.pk])


def test_other_sites_leads_and_other_roles_cannot_write_a_sites_return(site, people, template):
    year, quarter = helpers.last_quarter()
    for name in ("other_lead", "host", "analyst", "connector"):
        with pytest.raises(PermissionDenied):
            actions.start_return(site=site, financial_year=year, quarter=quarter, by=people[name])
    qreturn = helpers.start(site, people["lead"])
    for name in ("other_lead", "host", "analyst"):
        with pytest.raises(PermissionDenied):
            actions.save_answers(qreturn=qreturn, answers={"summary": "x"}, by=people[name])
        with pytest.raises(PermissionDenied):
            actions.submit_return(qreturn=qreturn, by=people[name])


# ---- answers: all or nothing, every version kept ----


def test_a_bad_figure_saves_nothing_and_says_what_is_wrong(client_as, site, people, template):
    qreturn = helpers.start(site, people["lead"])
    response = client_as("lead").post(
        reverse("oversight:return-edit", args=[qreturn.pk]),
        {
            "summary": "A good quarter.",
            "connectors_active": "twelve",
            "spend_this_quarter": "12.345",
            "people_reached": "-4",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "How many connectors were active this quarter: enter a whole number, like 12" in html
    assert "enter the amount to the nearest penny" in html
    assert "the number cannot be negative" in html
    qreturn.refresh_from_db()
    assert qreturn.answers["summary"] is None  # the good answer was not saved either
    assert qreturn.versions.count() == 1


def test_the_action_checks_answers_too(site, people, template):
    qreturn = helpers.start(site, people["lead"])
    with pytest.raises(ValidationError) as caught:
        actions.save_answers(
            qreturn=qreturn,
            answers={"summary": "ok", "activities_held": "1.5"},
            by=people["lead"],
        )
    assert "activities_held" in caught.value.message_dict
    with pytest.raises(ValueError, match="unknown questions"):
        actions.save_answers(qreturn=qreturn, answers={"made_up": "1"}, by=people["lead"])
    qreturn.refresh_from_db()
    assert qreturn.answers["summary"] is None


def test_each_save_that_changes_something_is_a_new_version(client_as, site, people, template):
    qreturn = helpers.start(site, people["lead"])
    client = client_as("lead")
    url = reverse("oversight:return-edit", args=[qreturn.pk])
    prefilled = {k: v for k, v in qreturn.answers.items() if v is not None}  # kept as they are
    client.post(url, {**prefilled, "summary": "First go.", "connectors_active": "1,200"})
    client.post(url, {**prefilled, "summary": "First go.", "connectors_active": "1200"})
    client.post(url, {**prefilled, "summary": "Second go.", "connectors_active": "1200"})
    qreturn.refresh_from_db()
    assert qreturn.answers["connectors_active"] == "1200"
    versions = list(qreturn.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[1].answers["summary"] == "First go."
    assert versions[2].answers["summary"] == "Second go."
    assert all(v.created_by == people["lead"] for v in versions)
    page = client.get(reverse("oversight:return-version", args=[qreturn.pk, 2]))
    assert "First go." in page.content.decode()
    assert "2 answers changed since version 1" in page.content.decode()


def test_old_versions_keep_the_question_as_it_was_worded(site, people, template):
    qreturn = helpers.start(site, people["lead"])
    question = template.questions.get(key="summary")
    actions.update_question(
        question=question, data={"text": "Tell us about the quarter"}, by=people["admin"]
    )
    actions.save_answers(qreturn=qreturn, answers={"summary": "Hello"}, by=people["lead"])
    first, second = qreturn.versions.order_by("number")
    texts = {q["key"]: q["text"] for q in first.questions}
    assert texts["summary"] == "Summary of progress this quarter"
    assert {q["key"]: q["text"] for q in second.questions}["summary"] == (
        "Tell us about the quarter"
    )


# ---- the workflow ----


def test_the_full_workflow_and_its_history(client_as, site, people, template):
    lead, admin = people["lead"], people["admin"]
    qreturn = helpers.start(site, lead)

    # Submitting without the required answer is refused, with the question named.
    with pytest.raises(ValidationError) as caught:
        actions.submit_return(qreturn=qreturn, by=lead)
    assert "Summary of progress this quarter" in caught.value.message_dict["summary"][0]

    actions.save_answers(qreturn=qreturn, answers={"summary": "Going well."}, by=lead)
    qreturn = actions.submit_return(qreturn=qreturn, by=lead)
    assert qreturn.status == Status.SUBMITTED and qreturn.submitted_at

    # Returning needs a comment.
    with pytest.raises(ValidationError) as caught:
        actions.review_return(qreturn=qreturn, decision=actions.RETURN, by=admin)
    assert "comment" in caught.value.message_dict
    qreturn = actions.review_return(
        qreturn=qreturn, decision=actions.RETURN, comment="Add your spend, please.", by=admin
    )
    assert qreturn.status == Status.RETURNED

    actions.add_comment(qreturn=qreturn, text="Done: see the funding section.", by=lead)
    actions.save_answers(qreturn=qreturn, answers={"spend_this_quarter": "500"}, by=lead)
    qreturn = actions.submit_return(qreturn=qreturn, by=lead)
    assert qreturn.status == Status.SUBMITTED
    qreturn = actions.review_return(qreturn=qreturn, decision=actions.ACCEPT, by=admin)
    assert qreturn.status == Status.ACCEPTED

    steps = [(t.from_status, t.to_status) for t in qreturn.transitions.order_by("pk")]
    assert steps == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "accepted"),
    ]
    assert [t.version.number for t in qreturn.transitions.order_by("pk")] == [1, 2, 2, 3, 3]
    assert qreturn.versions.count() == 3
    comments = list(qreturn.comments.order_by("pk"))
    assert [c.by_national_team for c in comments] == [True, False]
    assert comments[0].transition.to_status == "returned"
    summaries = list(
        AuditEvent.objects.filter(object_type="oversight.QuarterlyReturn")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert any(s.startswith("Resubmitted") for s in summaries)
    assert any(s.startswith("Accepted") for s in summaries)

    # The site's team and national staff see the whole history.
    for name in ("host", "analyst", "lead"):
        html = client_as(name).get(reverse("oversight:return-detail", args=[qreturn.pk]))
        html = html.content.decode()
        assert "Add your spend, please." in html
        assert "Done: see the funding section." in html
        assert "Returned for changes → Submitted" in html
        assert "Submitted → Accepted" in html


@pytest.mark.parametrize(
    "step",
    ["submit_accepted", "accept_draft", "return_draft", "edit_submitted", "edit_accepted"],
)
def test_illegal_steps_are_refused(site, people, template, step):
    lead, admin = people["lead"], people["admin"]
    qreturn = helpers.start(site, lead)
    if step in ("accept_draft", "return_draft"):
        with pytest.raises(actions.IllegalTransition):
            actions.review_return(
                qreturn=qreturn,
                decision=actions.ACCEPT if step == "accept_draft" else actions.RETURN,
                comment="x",
                by=admin,
            )
        qreturn.refresh_from_db()
        assert qreturn.status == Status.DRAFT
        return
    actions.save_answers(qreturn=qreturn, answers={"summary": "Hi"}, by=lead)
    qreturn = actions.submit_return(qreturn=qreturn, by=lead)
    if step in ("submit_accepted", "edit_accepted"):
        qreturn = actions.review_return(qreturn=qreturn, decision=actions.ACCEPT, by=admin)
    if step == "submit_accepted":
        with pytest.raises(actions.IllegalTransition):
            actions.submit_return(qreturn=qreturn, by=lead)
    else:
        with pytest.raises(actions.IllegalTransition):
            actions.save_answers(qreturn=qreturn, answers={"summary": "Changed"}, by=lead)
    qreturn.refresh_from_db()
    assert qreturn.answers["summary"] == "Hi"


def test_illegal_steps_through_the_pages_explain_themselves(client_as, site, people, template):
    qreturn = helpers.submitted(site, people["lead"])
    client = client_as("lead")
    response = client.get(reverse("oversight:return-edit", args=[qreturn.pk]), follow=True)
    assert "its answers cannot be changed" in response.content.decode()
    response = client.post(reverse("oversight:return-submit", args=[qreturn.pk]), follow=True)
    assert "only a draft or a returned return can be submitted" in response.content.decode()
    qreturn.refresh_from_db()
    assert qreturn.transitions.count() == 2


def test_submitting_through_the_page_lists_unanswered_questions(client_as, site, people, template):
    qreturn = helpers.start(site, people["lead"])
    response = client_as("lead").post(reverse("oversight:return-submit", args=[qreturn.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Answer “Summary of progress this quarter” before you submit the return" in html
    assert f'href="/oversight/returns/{qreturn.pk}/edit/#id_summary"' in html


def test_reviewing_through_the_page(client_as, site, people, template):
    qreturn = helpers.submitted(site, people["lead"])
    client = client_as("admin")
    url = reverse("oversight:return-review", args=[qreturn.pk])
    response = client.post(url, {"decision": "return", "comment": ""})
    assert "Say what the site needs to change before you return it" in response.content.decode()
    qreturn.refresh_from_db()
    assert qreturn.status == Status.SUBMITTED
    response = client.post(url, {"decision": "accept", "comment": ""})
    assert response.status_code == 302
    qreturn.refresh_from_db()
    assert qreturn.status == Status.ACCEPTED
    # A second review finds nothing to review.
    response = client.get(url, follow=True)
    assert "only a submitted return can be reviewed" in response.content.decode()


def test_comments_from_the_site_and_national_team_but_not_analysts(
    client_as, site, people, template
):
    qreturn = helpers.start(site, people["lead"])
    url = reverse("oversight:return-comment", args=[qreturn.pk])
    assert client_as("lead").post(url, {"text": "A question"}).status_code == 302
    assert client_as("admin").post(url, {"text": "An answer"}).status_code == 302
    assert client_as("analyst").post(url, {"text": "Me too"}).status_code == 403
    assert client_as("other_lead").post(url, {"text": "Hi"}).status_code == 403
    empty = client_as("lead").post(url, {"text": "  "})
    assert "Enter your comment" in empty.content.decode()
    assert list(qreturn.comments.values_list("text", flat=True)) == ["A question", "An answer"]
    with pytest.raises(PermissionDenied):
        actions.add_comment(qreturn=qreturn, text="x", by=people["host"])


def test_due_dates(client_as, site, people, template):
    qreturn = helpers.start(site, people["lead"])
    _, end = periods.quarter_bounds(qreturn.financial_year, qreturn.quarter)
    client = client_as("admin")
    url = reverse("oversight:return-due-date", args=[qreturn.pk])
    response = client.post(url, {"due_on": end.isoformat()})
    assert "The due date must be after the quarter ends" in response.content.decode()
    later = periods.default_due_date(qreturn.financial_year, qreturn.quarter).replace(day=15)
    assert client.post(url, {"due_on": later.isoformat()}).status_code == 302
    qreturn.refresh_from_db()
    assert qreturn.due_on == later
    event = AuditEvent.objects.filter(object_type="oversight.QuarterlyReturn").latest("pk")
    assert "due_on" in event.changes
    with pytest.raises(PermissionDenied):
        actions.set_due_date(qreturn=qreturn, due_on=later, by=people["lead"])


def test_periods():
    assert periods.year_label(2024) == "2024/25"
    assert periods.quarter_of(periods.date(2025, 3, 31)) == (2024, 4)
    assert periods.quarter_of(periods.date(2025, 4, 1)) == (2025, 1)
    assert periods.quarter_bounds(2024, 4) == (periods.date(2025, 1, 1), periods.date(2025, 3, 31))
    assert periods.default_due_date(2024, 1) == periods.date(2024, 7, 31)
    assert periods.default_due_date(2024, 3) == periods.date(2025, 1, 31)
    assert periods.default_due_date(2024, 4) == periods.date(2025, 4, 30)
    assert periods.last_due_quarter(periods.date(2025, 8, 1)) == (2025, 1)
    assert periods.last_due_quarter(periods.date(2025, 7, 31)) == (2024, 4)


def test_versions_are_numbered_per_return(site, other_site, people, template):
    helpers.template_for(other_site.wave, people["admin"])
    first = helpers.start(site, people["lead"])
    second = helpers.start(other_site, people["admin"])
    assert ReturnVersion.objects.filter(qreturn=first).get().number == 1
    assert ReturnVersion.objects.filter(qreturn=second).get().number == 1
