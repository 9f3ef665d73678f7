"""Erasing an applicant's details also clears what the panel wrote about the application
(comments and conflict declarations can quote or name the applicant); the scores stay for
the decision's summary (core20.grants.personal_data)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core20.grants import actions
from core20.grants.models import Application, Assessment, Score
from core20.grants.personal_data import erase_application
from core20.grants.summary import summarise
from core20.web.retention import apply_retention
from tests.conftest import page_html
from tests.grants import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user):
    return make_user("site_lead", full_name="Lee Lead")


@pytest.fixture
def panel(site, make_user):
    fund = helpers.fund(site)
    criteria = helpers.criteria(fund, ("Reach", 5), ("Value", 10))
    members = [make_user("community_member") for _ in range(3)]
    for member in members:
        helpers.appoint(fund, member)
    return fund, criteria, members


def _assessed(panel) -> Application:
    """An individual's application, scored by two members (with comments naming her) and
    declined by the third for a conflict."""
    fund, (reach, value), (a, b, c) = panel
    application = helpers.application(
        fund,
        recipient_type=Application.RecipientType.INDIVIDUAL,
        group_name="Priya Shah",
        contact_name="Priya Shah",
    )
    actions.assess(
        application=application,
        has_conflict=False,
        scores={reach.pk: 4, value.pk: 9},
        comments="Priya runs a great cooking club already.",
        by=a,
    )
    actions.assess(
        application=application,
        has_conflict=False,
        scores={reach.pk: 1, value.pk: 6},
        comments="Not sure Priya Shah can do this alone.",
        by=b,
    )
    actions.assess(
        application=application,
        has_conflict=True,
        conflict_details="Priya is my neighbour",
        by=c,
    )
    return application


def _summary(application: Application, criteria):
    fresh = Application.objects.prefetch_related("assessments__scores").get(pk=application.pk)
    summary = summarise(fresh, criteria)
    return summary.total.count, summary.total.mean, summary.total.spread, summary.conflicts


def test_erasure_clears_the_panels_comments_and_keeps_the_scores(panel, lead):
    _, criteria, _ = panel
    application = _assessed(panel)
    helpers.award(application, lead)
    scores = sorted(Score.objects.values_list("assessment_id", "criterion_id", "score"))
    before = _summary(application, criteria)

    erase_application(application=application, by=lead, reason="She asked us to")

    texts = Assessment.objects.filter(application=application).values_list(
        "comments", "conflict_details"
    )
    assert set(texts) == {("", "")}
    assert sorted(Score.objects.values_list("assessment_id", "criterion_id", "score")) == scores
    assert before == (2, Decimal("10.00"), 6, 1)
    assert _summary(application, criteria) == before
    assert Assessment.objects.filter(application=application, has_conflict=True).count() == 1


def test_the_application_page_no_longer_quotes_the_applicant(panel, lead):
    application = _assessed(panel)
    helpers.award(application, lead)
    assert "cooking club already" in page_html(lead, application.get_absolute_url())

    erase_application(application=application, by=lead, reason="She asked us to")

    html = page_html(lead, application.get_absolute_url())
    assert "Priya" not in html
    assert "total 13" in html and "total 7" in html
    assert "declared a conflict of interest" in html


def test_other_applications_keep_their_comments(panel, lead):
    fund, (reach, value), (a, _, _) = panel
    erased = _assessed(panel)
    other = helpers.application(fund, group_name="Riverside Walkers")
    actions.assess(
        application=other,
        has_conflict=False,
        scores={reach.pk: 3, value.pk: 3},
        comments="Good links with the GP surgery.",
        by=a,
    )
    for application in (erased, other):
        helpers.award(application, lead, amount=Decimal("100.00"))

    erase_application(application=erased, by=lead, reason="She asked us to")

    assert other.assessments.get().comments == "Good links with the GP surgery."


def test_the_retention_run_clears_them_too(panel, lead):
    application = _assessed(panel)
    actions.decide(application=application, awarded=False, reason="Too late", by=lead)
    Application.objects.filter(pk=application.pk).update(
        decided_on=helpers.today() - datetime.timedelta(days=400)
    )

    run = apply_retention(erase=True)

    assert run.erased["grants_declined"] == [application.pk]
    assert not Assessment.objects.exclude(comments="", conflict_details="").exists()
    assert Score.objects.count() == 4


# ---- what the panel's section says once the details are erased ----


def _members_section(html: str) -> str:
    return html.split("<h3>Each member</h3>")[1].split("<h2>")[0]


def test_managers_see_a_conflict_described_until_the_erasure(panel, lead):
    application = _assessed(panel)
    helpers.award(application, lead)
    before = _members_section(page_html(lead, application.get_absolute_url()))
    assert "declared a conflict of interest (Priya is my neighbour)" in before
    assert "erased" not in before

    erase_application(application=application, by=lead, reason="She asked us to")

    after = _members_section(page_html(lead, application.get_absolute_url()))
    assert "()" not in after
    assert (
        "declared a conflict of interest (their description was erased with the applicant's "
        "details)" in after
    )
    erased_on = Application.objects.get(pk=application.pk).erased_at
    assert (
        "What members wrote about the application was erased with the applicant's details on "
        f"{timezone.localtime(erased_on):%-d %B %Y}." in after
    )


def test_panel_members_never_see_the_description_but_see_the_erasure(panel, lead):
    _, _, (member, _, _) = panel
    application = _assessed(panel)
    helpers.award(application, lead)
    before = _members_section(page_html(member, application.get_absolute_url()))
    assert "declared a conflict of interest</li>" in before
    assert "neighbour" not in before and "erased" not in before

    erase_application(application=application, by=lead, reason="She asked us to")

    after = _members_section(page_html(member, application.get_absolute_url()))
    assert "declared a conflict of interest</li>" in after
    assert "their description was erased" not in after
    assert "What members wrote about the application was erased" in after
