"""Selection actions given ``now`` (core20.selection.actions): their date rules and the
times they stamp follow that moment instead of the real time. The demo runs a past call
this way."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.selection import actions
from core20.selection.models import Application, Call, ConflictDeclaration
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db


def moment(days_from_today: int, hour: int = 10) -> datetime:
    day = helpers.today() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def admin(make_user):
    return make_user("national_admin", full_name="Ada Admin")


@pytest.fixture
def past_call(site, admin):
    """A call that ran from 60 to 20 days ago, drafted 70 days ago."""
    call = actions.create_call(
        data={
            "wave": site.wave,
            "title": "Wave 9 call",
            "summary": "Apply.",
            "opens_on": helpers.today() - timedelta(days=60),
            "closes_on": helpers.today() - timedelta(days=20),
        },
        by=admin,
        now=moment(-70),
    )
    helpers.add_questions(call, None)
    helpers.add_criteria(call, ("Communities", 1, 5))
    return call


def test_a_call_can_be_opened_as_of_a_day_before_it_closed(past_call, admin):
    assert past_call.created_at == moment(-70)
    with pytest.raises(ValidationError, match="closing date has passed"):
        actions.open_call(call=past_call, by=admin)
    call = actions.open_call(call=past_call, by=admin, now=moment(-70))
    assert call.status == Call.Status.PUBLISHED
    assert call.state == "closed" and call.state_on(helpers.today() - timedelta(days=30)) == "open"


def test_an_application_is_made_while_the_call_was_open(past_call, admin):
    call = actions.open_call(call=past_call, by=admin, now=moment(-70))
    applicant = UserFactory()
    with pytest.raises(ValidationError, match="This call closed on"):
        actions.start_application(call=call, by=applicant)
    with pytest.raises(ValidationError, match="This call closed on"):
        actions.start_application(call=call, by=applicant, now=moment(-19))
    application = actions.start_application(call=call, by=applicant, now=moment(-40, 9))
    assert (application.created_at, application.updated_at) == (moment(-40, 9), moment(-40, 9))
    helpers.fill(application)
    actions.save_application(
        application=application,
        data={"ics_name": "Eastshire ICS"},
        answers={},
        by=applicant,
        now=moment(-30, 15),
    )
    application = actions.submit_application(
        application=application, by=applicant, now=moment(-30, 16)
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.created_at == moment(-40, 9)
    assert application.submitted_at == application.updated_at == moment(-30, 16)
    # The audit trail keeps the real time.
    event = AuditEvent.objects.get(summary__startswith="Submitted an application")
    assert event.created_at.date() == helpers.today()


def test_the_panel_scores_as_of_a_day_after_the_call_closed(past_call, admin, make_user):
    call = actions.open_call(call=past_call, by=admin, now=moment(-70))
    member = make_user("panel_member")
    appointment = actions.appoint_panel_member(
        call=call, user=member, member_type="vcse", by=admin, now=moment(-25)
    )
    assert appointment.appointed_at == moment(-25)
    application = helpers.make_application(call, UserFactory(), status=Application.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="Scoring opens on"):
        actions.declare_conflict(
            application=application, has_conflict=False, by=member, now=moment(-20)
        )
    actions.declare_conflict(application=application, has_conflict=False, by=member, now=moment(-5))
    assert ConflictDeclaration.objects.get().declared_at == moment(-5)
    [criterion] = call.criteria.all()
    review = actions.submit_review(
        application=application, scores={criterion.pk: 4}, by=member, now=moment(-5, 11)
    )
    assert review.submitted_at == moment(-5, 11)
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert application.updated_at == moment(-5, 11)
