"""The pipeline, checks, training, confidential support and invitations, through the actions."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core20.accounts.models import Membership
from core20.audit.models import AuditEvent
from core20.network import actions, requirements
from core20.network.models import (
    Check,
    CheckType,
    Connector,
    PathwayStep,
    StatusChange,
    TrainingModule,
)
from tests.network.conftest import complete_requirements

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_national_defaults_are_required_until_a_site_sets_its_own(site, people):
    assert [c.code for c in requirements.required_checks(site)] == ["dbs", "references"]
    assert [m.code for m in requirements.required_modules(site)] == [
        "induction",
        "safeguarding",
        "data-protection",
    ]
    induction = TrainingModule.objects.get(code="induction")
    actions.set_requirements(
        site=site,
        checks=[CheckType.objects.get(code="dbs")],
        modules=[induction],
        by=people["host"],
    )
    assert [c.code for c in requirements.required_checks(site)] == ["dbs"]
    assert requirements.required_modules(site) == [induction]


def test_cannot_be_made_active_until_checks_and_training_are_done(recruit, people):
    host = people["host"]
    with pytest.raises(ValidationError) as exc:
        actions.change_status(connector=recruit, to="active", by=host)
    message = exc.value.message_dict["status"][0]
    assert "DBS check" in message and "References" in message
    assert "Safeguarding adults and children (level 1)" in message
    recruit.refresh_from_db()
    assert recruit.status == "interested"
    assert not StatusChange.objects.filter(connector=recruit, to_status="active").exists()

    # Everything but one module: that module alone is named.
    complete_requirements(recruit, host)
    recruit.training_completions.filter(module__code="data-protection").delete()
    with pytest.raises(ValidationError) as exc:
        actions.change_status(connector=recruit, to="active", by=host)
    message = exc.value.message_dict["status"][0]
    assert "Data protection and confidentiality" in message and "DBS" not in message

    actions.record_training(
        connector=recruit,
        module=TrainingModule.objects.get(code="data-protection"),
        completed_on=TODAY(),
        by=host,
    )
    actions.change_status(connector=recruit, to="active", by=host)
    recruit.refresh_from_db()
    assert recruit.status == "active" and recruit.started_on == TODAY()
    change = recruit.history.first()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "interested",
        "active",
        host,
    )
    assert AuditEvent.objects.filter(verb="status", object_id=str(recruit.pk)).exists()


def test_expired_training_and_unclear_checks_do_not_count(recruit, people):
    host = people["host"]
    long_ago = TODAY() - datetime.timedelta(days=365 * 4)
    complete_requirements(recruit, host, on=long_ago)
    ready = requirements.readiness(recruit)
    # DBS lasts 36 months, safeguarding 36, data protection 12; induction and references
    # never expire.
    assert ready.missing_checks == ["DBS check"]
    assert ready.missing_modules == [
        "Safeguarding adults and children (level 1)",
        "Data protection and confidentiality",
    ]
    actions.record_check(
        connector=recruit,
        check_type=CheckType.objects.get(code="dbs"),
        status=Check.Status.NOT_CLEAR,
        completed_on=TODAY(),
        by=host,
    )
    assert requirements.readiness(recruit).missing_checks == ["DBS check"]


def test_pausing_and_leaving_need_a_reason(recruit, people):
    with pytest.raises(ValidationError) as exc:
        actions.change_status(connector=recruit, to="left", reason="  ", by=people["lead"])
    assert "reason" in exc.value.message_dict
    actions.change_status(connector=recruit, to="left", reason="Moved away", by=people["lead"])
    assert recruit.history.first().reason == "Moved away"


def test_only_managers_of_the_site_move_people(recruit, people):
    for name in ("connector", "analyst", "other_host"):
        with pytest.raises(PermissionDenied):
            actions.change_status(connector=recruit, to="conversation", by=people[name])
    actions.change_status(connector=recruit, to="conversation", by=people["admin"])


def test_expiry_adds_calendar_months():
    assert requirements.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert requirements.add_months(datetime.date(2023, 11, 15), 36) == datetime.date(2026, 11, 15)
    assert requirements.expiry(datetime.date(2024, 5, 1), None) is None


def test_lived_experience_needs_consent_and_only_host_coordinators_may_set_it(site, people):
    with pytest.raises(ValidationError) as exc:
        actions.submit_interest(
            site=site, data={"name": "Sam", "email": "sam@example.org", "lived_experience": "Carer"}
        )
    assert "lived_experience_consent" in exc.value.message_dict
    assert not Connector.objects.exists()
    connector = actions.submit_interest(
        site=site,
        data={
            "name": "Sam",
            "email": "Sam@Example.org",
            "lived_experience": "Carer",
            "lived_experience_consent": True,
        },
    )
    assert connector.email == "sam@example.org"
    assert connector.lived_experience == "Carer" and connector.lived_experience_consent_at
    # A site lead may change details but not lived experience.
    with pytest.raises(ValueError):
        actions.update_connector(
            connector=connector, data={"lived_experience": ""}, by=people["lead"]
        )
    # Nothing about it reaches the audit log, which site leads and national staff read.
    assert not any("Carer" in str(e.changes) + e.summary for e in AuditEvent.objects.all())


def test_support_notes_are_for_host_coordinators_only(recruit, people):
    for name in ("lead", "admin", "other_host", "connector"):
        with pytest.raises(PermissionDenied):
            actions.add_support_note(
                connector=recruit,
                kind="supervision",
                happened_on=TODAY(),
                body="x",
                by=people[name],
            )
    note = actions.add_support_note(
        connector=recruit,
        kind="check_in",
        happened_on=TODAY(),
        body="Feeling low",
        by=people["host"],
    )
    event = AuditEvent.objects.get(object_type="network.SupportNote")
    assert "Feeling low" not in str(event.changes) + event.summary + event.object_label
    flag = actions.raise_flag(connector=recruit, level="concern", summary="Low", by=people["host"])
    actions.resolve_flag(flag=flag, resolution="Talked it through", by=people["host"])
    with pytest.raises(ValidationError):
        actions.resolve_flag(flag=flag, resolution="Again", by=people["host"])
    assert note.pk and not flag.is_open


def test_pathway_steps_keep_history(recruit, people):
    with pytest.raises(PermissionDenied):
        actions.change_role_type(
            connector=recruit, role_type="sessional", started_on=TODAY(), by=people["lead"]
        )
    actions.change_role_type(
        connector=recruit, role_type="sessional", started_on=TODAY(), by=people["host"]
    )
    actions.change_role_type(
        connector=recruit, role_type="employed", started_on=TODAY(), by=people["host"]
    )
    steps = PathwayStep.objects.filter(connector=recruit).order_by("pk")
    assert [(s.from_role_type, s.role_type) for s in steps] == [
        ("volunteer", "sessional"),
        ("sessional", "employed"),
    ]
    with pytest.raises(ValidationError):
        actions.change_role_type(
            connector=recruit, role_type="employed", started_on=TODAY(), by=people["host"]
        )


def test_connector_sets_their_own_goal_but_not_someone_elses(recruit, people, site):
    recruit.user = people["connector"]
    recruit.save()
    goal = actions.add_goal(connector=recruit, title="Lead a walk", by=people["connector"])
    actions.set_goal_status(goal=goal, status="achieved", by=people["connector"])
    goal.refresh_from_db()
    assert goal.achieved_on == TODAY()
    stranger = Connector.objects.create(site=site, name="Stranger")
    with pytest.raises(PermissionDenied):
        actions.add_goal(connector=stranger, title="Nope", by=people["connector"])
    with pytest.raises(PermissionDenied):
        actions.add_goal(connector=recruit, title="Nope", by=people["lead"])


def test_invitation_creates_the_account_and_no_role_before_active(recruit, people, rf, site):
    """The connector role (recording activities and insights) comes only when the record
    is made active (actions.sync_role): Rita has only expressed interest."""
    request = rf.get("/")
    with pytest.raises(PermissionDenied):
        actions.invite_connector(connector=recruit, by=people["connector"], request=request)
    user = actions.invite_connector(connector=recruit, by=people["host"], request=request)
    recruit.refresh_from_db()
    assert (
        recruit.user == user and user.email == "rita@example.org" and not user.has_usable_password()
    )
    assert not Membership.objects.filter(user=user, role="connector", site=site).exists()
    with pytest.raises(ValidationError):
        actions.invite_connector(connector=recruit, by=people["host"], request=request)
    nameless = Connector.objects.create(site=site, name="No Email")
    with pytest.raises(ValidationError) as exc:
        actions.invite_connector(connector=nameless, by=people["host"], request=request)
    assert "Add an email address" in exc.value.messages[0]


def test_invitation_email_links_to_choosing_a_password(
    recruit, people, rf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_connector(connector=recruit, by=people["host"], request=rf.get("/"))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rita@example.org"]
    assert "/password-reset/" in mail.outbox[0].body
