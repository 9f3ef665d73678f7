"""core20.selection.actions on their own: who may, what is checked, what is audited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core20.accounts.models import Membership
from core20.audit.models import AuditEvent
from core20.programme.models import Site
from core20.selection import actions
from core20.selection.models import (
    Answer,
    Application,
    Attachment,
    Call,
    ConflictDeclaration,
    PanelAppointment,
    Review,
    private_storage,
)
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db


def events(**filters):
    return AuditEvent.objects.filter(object_type__startswith="selection.", **filters)


@pytest.fixture
def admin(make_user):
    return make_user("national_admin", full_name="Ada Admin")


@pytest.fixture
def call(site):
    call = helpers.make_call(site.wave)
    helpers.add_questions(call, 5, None)
    helpers.add_criteria(call, ("Communities", 2, 5), ("Plan", 1, 10))
    return call


@pytest.fixture
def applicant(db):
    return UserFactory(full_name="Alex Applicant", email="alex@eastshire.example.org")


# ---- calls, questions and criteria ----


def test_create_call_with_a_pack_is_audited(admin, site):
    pack = helpers.upload("Wave 9 pack.pdf", helpers.pdf_bytes())
    call = actions.create_call(
        data={
            "wave": site.wave,
            "title": "Wave 9 call",
            "summary": "Apply.",
            "opens_on": helpers.today(),
            "closes_on": helpers.today() + timedelta(days=30),
            "disagreement_threshold": Decimal(2),
        },
        pack=pack,
        by=admin,
    )
    assert call.pack_name == "Wave 9 pack.pdf"
    assert call.pack_content_type == "application/pdf"
    assert private_storage.exists(call.pack.name)
    assert call.pack.name.startswith("selection/packs/") and "Wave 9" not in call.pack.name
    event = events(verb="create", object_type="selection.Call").get()
    assert event.changes["title"] == [None, "Wave 9 call"]
    assert event.changes["prior information pack"] == [None, "Wave 9 pack.pdf"]


def test_a_pack_has_no_public_url(admin, call):
    helpers.store_pack(call)
    with pytest.raises(ValueError):
        call.pack.url  # noqa: B018


def test_create_call_checks_the_dates_and_the_pack(admin, site):
    data = {
        "wave": site.wave,
        "title": "Backwards",
        "summary": "Apply.",
        "opens_on": helpers.today(),
        "closes_on": helpers.today() - timedelta(days=1),
        "disagreement_threshold": Decimal(2),
    }
    with pytest.raises(ValidationError) as exc:
        actions.create_call(data=data, by=admin)
    assert "closes_on" in exc.value.error_dict
    data["closes_on"] = helpers.today()
    with pytest.raises(ValidationError) as exc:
        actions.create_call(data=data, pack=helpers.upload("x.pdf", b"MZ not a pdf"), by=admin)
    assert "pack" in exc.value.error_dict
    assert not Call.objects.exists() and not events().exists()


def test_replacing_the_pack_deletes_the_old_file_once_saved(
    admin, call, django_capture_on_commit_callbacks
):
    helpers.store_pack(call)
    old = call.pack.name
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_call(
            call=call, data={}, pack=helpers.upload("new.odt", helpers.odt_bytes()), by=admin
        )
    call.refresh_from_db()
    assert call.pack_name == "new.odt" and not private_storage.exists(old)
    assert events(verb="update").get().changes["prior information pack"] == [
        "Prior information pack.pdf",
        "new.odt",
    ]


@pytest.mark.parametrize("role", ["panel_member", "site_lead", "national_analyst", None])
def test_only_call_managers_set_up_calls(make_user, role, call):
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        actions.update_call(call=call, data={"title": "Mine"}, by=user)
    with pytest.raises(PermissionDenied):
        actions.create_question(call=call, data={"text": "Why?"}, by=user)
    with pytest.raises(PermissionDenied):
        actions.create_criterion(call=call, data={"name": "X"}, by=user)


def test_questions_are_added_at_the_end_and_audited(admin, call):
    question = actions.create_question(
        call=call,
        data={"text": "Who are your partners?", "guidance": "", "word_limit": 250},
        by=admin,
    )
    assert question.position == 3
    assert [q.text for q in call.questions.all()][-1] == "Who are your partners?"
    assert events(verb="create", object_type="selection.Question").exists()


def test_questions_are_locked_once_an_application_is_submitted(admin, call, applicant):
    question = call.questions.first()
    helpers.make_application(call, applicant)  # a draft does not lock them
    actions.update_question(question=question, data={"text": "Changed"}, by=admin)
    Application.objects.update(status=Application.Status.SUBMITTED)
    with pytest.raises(ValidationError, match="once an application has been submitted"):
        actions.update_question(question=question, data={"text": "Again"}, by=admin)
    with pytest.raises(ValidationError):
        actions.delete_question(question=question, by=admin)


def test_deleting_a_question_removes_drafts_answers_to_it(admin, call, applicant):
    helpers.make_application(call, applicant)
    question = call.questions.first()
    actions.delete_question(question=question, by=admin)
    assert not Answer.objects.filter(question_id=question.pk).exists()
    assert events(verb="delete", object_type="selection.Question").exists()


def test_criteria_must_have_a_positive_weight_and_a_sensible_maximum(admin, call):
    with pytest.raises(ValidationError) as exc:
        actions.create_criterion(
            call=call, data={"name": "Bad", "weight": Decimal(0), "max_score": 0}, by=admin
        )
    assert set(exc.value.error_dict) == {"weight", "max_score"}


def test_criteria_are_locked_once_scoring_starts(admin, call, applicant, make_user):
    application = helpers.make_application(call, applicant, status=Application.Status.SUBMITTED)
    helpers.close(call)
    member = make_user("panel_member")
    appointment = helpers.appoint(call, member)
    helpers.declare(appointment, application)
    criterion = call.criteria.first()
    actions.update_criterion(criterion=criterion, data={"weight": Decimal(3)}, by=admin)
    actions.submit_review(application=application, scores=_scores(call, 3), by=member)
    with pytest.raises(ValidationError, match="started scoring"):
        actions.update_criterion(criterion=criterion, data={"weight": Decimal(1)}, by=admin)
    with pytest.raises(ValidationError):
        actions.delete_criterion(criterion=criterion, by=admin)


# ---- applicant accounts ----


def test_applicant_accounts_have_no_role_and_are_audited(db):
    user = actions.create_applicant_account(
        full_name="Sam Applicant", email="Sam@Example.org", password="a-long-enough-passphrase"
    )
    assert user.email == "sam@example.org" and user.check_password("a-long-enough-passphrase")
    assert not Membership.objects.filter(user=user).exists()
    created = AuditEvent.objects.filter(object_type="accounts.User", object_id=str(user.pk))
    assert created.filter(actor_id=user.pk, summary__contains="Applicant account").exists()


# ---- applications ----


def test_starting_an_application_twice_gives_the_same_one(call, applicant):
    first = actions.start_application(call=call, by=applicant)
    assert actions.start_application(call=call, by=applicant) == first
    assert first.contact_email == applicant.email and first.is_draft
    assert events(verb="create", object_type="selection.Application").count() == 1


@pytest.mark.parametrize(("opens", "closes"), [(-20, -1), (3, 20)])
def test_applications_cannot_be_started_outside_the_call_dates(site, applicant, opens, closes):
    call = helpers.make_call(site.wave, opens=opens, closes=closes)
    with pytest.raises(ValidationError):
        actions.start_application(call=call, by=applicant)


def test_drafts_may_be_incomplete_and_over_the_word_limit(call, applicant):
    application = actions.start_application(call=call, by=applicant)
    first, second = call.questions.all()
    actions.save_application(
        application=application,
        data={"ics_name": "Eastshire ICS"},
        answers={first.pk: "one two three four five six seven", second.pk: ""},
        by=applicant,
    )
    application.refresh_from_db()
    assert application.ics_name == "Eastshire ICS" and application.is_draft
    assert Answer.objects.get(application=application, question=first).words == 7
    assert not Answer.objects.filter(application=application, question=second).exists()
    event = events(verb="update", object_type="selection.Application").get()
    assert event.changes["ics_name"] == ["", "Eastshire ICS"]
    assert event.changes["answers changed"] == [None, ["Question 1"]]


def test_submitting_checks_every_required_field_and_answer(call, applicant):
    application = actions.start_application(call=call, by=applicant)
    with pytest.raises(ValidationError) as exc:
        actions.submit_application(application=application, by=applicant)
    errors = exc.value.message_dict
    first, second = call.questions.all()
    assert errors[actions.answer_field(first)] == ["Enter an answer to question 1"]
    assert errors[actions.answer_field(second)] == ["Enter an answer to question 2"]
    for field in ("organisation_name", "kind", "ics_name", "regions", "icbs", "summary"):
        assert field in errors, field
    assert errors["focus_areas"] == ["Choose at least one clinical area you will focus on"]
    application.refresh_from_db()
    assert application.is_draft


def test_submitting_enforces_word_limits_with_a_clear_message(call, applicant):
    application = helpers.fill(actions.start_application(call=call, by=applicant))
    first = call.questions.first()  # limit 5 words
    Answer.objects.filter(application=application, question=first).update(
        text="one two three four five six"
    )
    with pytest.raises(ValidationError) as exc:
        actions.submit_application(application=application, by=applicant)
    assert exc.value.message_dict == {
        actions.answer_field(first): [
            "Your answer to question 1 must be 5 words or fewer. It has 6 words."
        ]
    }
    Answer.objects.filter(application=application, question=first).update(
        text="one two three four five"
    )
    actions.submit_application(application=application, by=applicant)


def test_the_summary_has_a_150_word_limit(call, applicant):
    application = helpers.fill(actions.start_application(call=call, by=applicant))
    Application.objects.filter(pk=application.pk).update(summary="word " * 151)
    with pytest.raises(ValidationError) as exc:
        actions.submit_application(application=application, by=applicant)
    assert exc.value.message_dict["summary"] == [
        "Summary must be 150 words or fewer. It has 151 words."
    ]


def test_an_icb_outside_the_chosen_regions_is_refused_on_submit(call, applicant):
    from core20.places.models import ICB, Region

    application = helpers.fill(actions.start_application(call=call, by=applicant))
    elsewhere = Region.objects.create(code="E40000982", name="Westshire")
    application.icbs.add(
        ICB.objects.create(code="E54000982", name="NHS Westshire ICB", region=elsewhere)
    )
    with pytest.raises(ValidationError) as exc:
        actions.submit_application(application=application, by=applicant)
    assert "NHS Westshire ICB is in the Westshire region" in exc.value.message_dict["icbs"][0]


def test_submitting_makes_the_application_read_only(call, applicant):
    application = helpers.fill(actions.start_application(call=call, by=applicant))
    actions.submit_application(application=application, by=applicant)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED and application.submitted_at
    assert events(verb="update", summary__startswith="Submitted").exists()
    with pytest.raises(ValidationError, match="submitted and can no longer be changed"):
        actions.save_application(
            application=application, data={"ics_name": "Changed"}, answers={}, by=applicant
        )
    with pytest.raises(ValidationError):
        actions.submit_application(application=application, by=applicant)


def test_submitting_after_the_closing_date_is_refused(call, applicant):
    application = helpers.fill(actions.start_application(call=call, by=applicant))
    Call.objects.filter(pk=call.pk).update(closes_on=helpers.today() - timedelta(days=1))
    application.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        actions.submit_application(application=application, by=applicant)
    assert "This call closed on" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        actions.save_application(application=application, data={}, answers={}, by=applicant)
    application.refresh_from_db()
    assert application.is_draft


def test_the_closing_date_is_inclusive(call, applicant):
    application = helpers.fill(actions.start_application(call=call, by=applicant))
    Call.objects.filter(pk=call.pk).update(closes_on=helpers.today())
    actions.submit_application(application=application, by=applicant)


def test_only_the_applicant_may_change_or_submit_their_application(call, applicant, admin):
    application = helpers.fill(actions.start_application(call=call, by=applicant))
    someone_else = UserFactory()
    for user in (someone_else, admin):
        with pytest.raises(PermissionDenied):
            actions.save_application(application=application, data={}, answers={}, by=user)
        with pytest.raises(PermissionDenied):
            actions.submit_application(application=application, by=user)
        with pytest.raises(PermissionDenied):
            actions.add_attachment(
                application=application,
                upload=helpers.upload("a.pdf", helpers.pdf_bytes()),
                by=user,
            )


# ---- attachments ----


def test_attachments_are_checked_counted_and_audited(call, applicant):
    application = actions.start_application(call=call, by=applicant)
    attachment = actions.add_attachment(
        application=application,
        upload=helpers.upload("Our plan.docx", helpers.docx_bytes()),
        by=applicant,
    )
    assert attachment.name == "Our plan.docx"
    assert attachment.file.name.startswith(f"selection/applications/{application.pk}/")
    assert events(verb="create", object_type="selection.Attachment").exists()
    with pytest.raises(ValidationError) as exc:
        actions.add_attachment(
            application=application,
            upload=helpers.upload("evil.pdf", b"MZ\x90\x00"),
            by=applicant,
        )
    assert "file" in exc.value.error_dict
    for n in range(4):
        actions.add_attachment(
            application=application,
            upload=helpers.upload(f"{n}.pdf", helpers.pdf_bytes()),
            by=applicant,
        )
    with pytest.raises(ValidationError) as exc:
        actions.add_attachment(
            application=application,
            upload=helpers.upload("6.pdf", helpers.pdf_bytes()),
            by=applicant,
        )
    assert exc.value.message_dict["file"] == [
        "You can attach up to 5 files. Remove one before adding another"
    ]
    assert application.attachments.count() == 5


def test_removing_an_attachment_deletes_its_file(
    call, applicant, django_capture_on_commit_callbacks
):
    application = actions.start_application(call=call, by=applicant)
    attachment = actions.add_attachment(
        application=application,
        upload=helpers.upload("a.pdf", helpers.pdf_bytes()),
        by=applicant,
    )
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_attachment(attachment=attachment, by=applicant)
    assert not Attachment.objects.exists() and not private_storage.exists(name)


# ---- the panel ----


def _scores(call, value):
    return {c.pk: value for c in call.criteria.all()}


def test_appointing_someone_without_the_role_grants_it(admin, call):
    person = UserFactory(full_name="Val VCSE")
    appointment = actions.appoint_panel_member(
        call=call,
        user=person,
        member_type=PanelAppointment.MemberType.LIVED_EXPERIENCE,
        by=admin,
    )
    assert Membership.objects.filter(user=person, role="panel_member").exists()
    assert AuditEvent.objects.filter(verb="grant", object_id=str(person.pk)).exists()
    event = events(verb="create", object_type="selection.PanelAppointment").get()
    assert event.changes["member_type"] == [
        None,
        "Lived experience of healthcare inequalities",
    ]
    assert appointment.get_member_type_display().startswith("Lived experience")
    with pytest.raises(ValidationError):
        actions.appoint_panel_member(call=call, user=person, member_type="vcse", by=admin)


def test_appointing_a_panel_member_does_not_grant_the_role_twice(admin, call, make_user):
    member = make_user("panel_member")
    actions.appoint_panel_member(call=call, user=member, member_type="nhs", by=admin)
    assert Membership.objects.filter(user=member, role="panel_member").count() == 1
    assert not AuditEvent.objects.filter(verb="grant", object_id=str(member.pk)).exists()


def test_panel_members_can_be_removed_only_before_they_score(admin, call, applicant, make_user):
    member = make_user("panel_member")
    appointment = helpers.appoint(call, member)
    application = helpers.make_application(call, applicant, status=Application.Status.SUBMITTED)
    helpers.close(call)
    helpers.declare(appointment, application)
    actions.submit_review(application=application, scores=_scores(call, 2), by=member)
    with pytest.raises(ValidationError, match="already submitted scores"):
        actions.remove_panel_member(appointment=appointment, by=admin)
    other = helpers.appoint(call, make_user("panel_member"))
    actions.remove_panel_member(appointment=other, by=admin)
    assert not PanelAppointment.objects.filter(pk=other.pk).exists()


@pytest.fixture
def scoring(call, applicant, make_user):
    application = helpers.make_application(call, applicant, status=Application.Status.SUBMITTED)
    helpers.close(call)  # the panel scores once the call has closed
    member = make_user("panel_member", full_name="Pat Panel")
    appointment = helpers.appoint(call, member)
    return application, member, appointment


def test_only_appointed_panel_members_declare_and_score(scoring, call, make_user, admin):
    application, _, _ = scoring
    not_appointed = make_user("panel_member")
    for user in (not_appointed, admin, make_user("site_lead")):
        with pytest.raises(PermissionDenied):
            actions.declare_conflict(application=application, has_conflict=False, by=user)
        with pytest.raises(PermissionDenied):
            actions.submit_review(application=application, scores=_scores(call, 1), by=user)


def test_a_member_who_loses_the_role_can_no_longer_score(scoring, call):
    application, member, _ = scoring
    Membership.objects.filter(user=member).update(ended_at=helpers.timezone.now())
    member.forget_memberships()
    with pytest.raises(PermissionDenied):
        actions.declare_conflict(application=application, has_conflict=False, by=member)


def test_scoring_needs_a_declaration_first(scoring, call):
    application, member, _ = scoring
    with pytest.raises(ValidationError, match="Declare whether you have a conflict"):
        actions.submit_review(application=application, scores=_scores(call, 1), by=member)


def test_a_declared_conflict_is_recorded_and_blocks_scoring(scoring, call):
    application, member, appointment = scoring
    with pytest.raises(ValidationError) as exc:
        actions.declare_conflict(application=application, has_conflict=True, by=member)
    assert exc.value.message_dict == {"details": ["Describe your conflict of interest"]}
    actions.declare_conflict(
        application=application,
        has_conflict=True,
        details="I chair the applicant's board",
        by=member,
    )
    declaration = ConflictDeclaration.objects.get(appointment=appointment)
    assert declaration.has_conflict and declaration.details == "I chair the applicant's board"
    event = events(object_type="selection.ConflictDeclaration").get()
    assert event.changes["conflict of interest"] == [None, "Yes"]
    with pytest.raises(PermissionDenied):
        actions.submit_review(application=application, scores=_scores(call, 3), by=member)
    assert not Review.objects.exists()


@pytest.mark.parametrize("bad", [-1, 6, 99, None, "3", 2.5, True])
def test_scores_out_of_range_are_refused(scoring, call, bad):
    application, member, _ = scoring
    actions.declare_conflict(application=application, has_conflict=False, by=member)
    first, second = call.criteria.all()  # out of 5, out of 10
    with pytest.raises(ValidationError) as exc:
        actions.submit_review(
            application=application, scores={first.pk: bad, second.pk: 10}, by=member
        )
    assert list(exc.value.message_dict) == [actions.score_field(first)]
    assert not Review.objects.exists()


def test_a_review_is_saved_once_and_moves_the_application_under_review(scoring, call):
    application, member, _ = scoring
    actions.declare_conflict(application=application, has_conflict=False, by=member)
    first, second = call.criteria.all()
    review = actions.submit_review(
        application=application,
        scores={first.pk: 0, second.pk: 10},
        score_comments={first.pk: "Little on communities"},
        comments="Promising",
        by=member,
    )
    assert [(s.criterion_id, s.score, s.comment) for s in review.scores.all()] == [
        (first.pk, 0, "Little on communities"),
        (second.pk, 10, ""),
    ]
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert events(verb="create", object_type="selection.Review").get().changes == {
        "Communities": [None, 0],
        "Plan": [None, 10],
    }
    with pytest.raises(ValidationError, match="already submitted"):
        actions.submit_review(application=application, scores=_scores(call, 1), by=member)
    with pytest.raises(ValidationError, match="already submitted scores"):
        actions.declare_conflict(application=application, has_conflict=True, details="x", by=member)


def test_drafts_cannot_be_scored(call, applicant, make_user):
    draft = helpers.make_application(call, applicant)
    member = make_user("panel_member")
    helpers.appoint(call, member)
    with pytest.raises(ValidationError, match="not been submitted"):
        actions.declare_conflict(application=draft, has_conflict=False, by=member)


# ---- decisions ----


@pytest.fixture
def submitted(call, applicant):
    return helpers.make_application(call, applicant, status=Application.Status.SUBMITTED)


def test_the_default_letter_names_the_applicant_call_and_decision(submitted):
    letter = actions.default_letter(submitted, Application.Status.ASSOCIATE)
    assert letter.startswith("Dear Alex Applicant,")
    assert submitted.call.title in letter
    assert "Decision: Associate site" in letter
    assert "&#x27;" not in actions.default_letter(submitted, "not_selected")


def test_selecting_an_application_creates_a_site_with_its_details(
    admin, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = actions.decide_application(
            application=submitted,
            decision=Application.Status.SELECTED,
            letter="Dear Alex, you are in.",
            link="https://core20.example.org/selection/applications/1/",
            by=admin,
        )
    site = application.site
    region, icb = helpers.place()
    area, group = helpers.taxonomy()
    assert site.name == "Eastshire ICS, Eastby" and site.slug == "eastshire-ics-eastby"
    assert site.wave == submitted.call.wave
    assert site.status == Site.Status.SELECTED and site.kind == Site.Kind.PLACE
    assert site.place == "Eastby" and not site.published
    assert list(site.regions.all()) == [region] and list(site.icbs.all()) == [icb]
    assert list(site.focus_areas.all()) == [area] and list(site.communities.all()) == [group]
    assert site.summary == "Connectors in Eastby's most deprived wards."
    assert site.communities_note == "Gypsy, Roma and Traveller communities"
    assert site.contact_email == "pat@eastshire.example.org"
    assert "NHS Eastshire ICB" in site.internal_notes and "Pat Contact" in site.internal_notes
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED
    assert application.decision_letter == "Dear Alex, you are in."
    assert application.letter_sent_at is not None
    (message,) = mail.outbox
    assert message.to == ["alex@eastshire.example.org"]
    assert submitted.call.title in message.subject
    assert "Dear Alex, you are in." in message.body
    assert "https://core20.example.org/selection/applications/1/" in message.body
    assert AuditEvent.objects.filter(object_type="programme.Site", verb="create").exists()
    decided = events(verb="update", object_type="selection.Application").get()
    assert decided.changes["status"] == ["Submitted", "Selected"]
    assert decided.site_id == site.pk


def test_associate_sites_are_created_as_associates_with_an_edited_name(admin, submitted):
    application = actions.decide_application(
        application=submitted,
        decision=Application.Status.ASSOCIATE,
        letter="Dear Alex",
        site_name="Eastby Connectors",
        by=admin,
    )
    assert application.site.name == "Eastby Connectors"
    assert application.site.status == Site.Status.ASSOCIATE


def test_not_selected_creates_no_site(admin, submitted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = actions.decide_application(
            application=submitted, decision="not_selected", letter="Sorry", by=admin
        )
    assert application.site is None and not Site.objects.filter(name__contains="Eastby")
    assert len(mail.outbox) == 1


def test_a_clashing_site_name_is_reported_against_the_site_name(admin, submitted, site):
    with pytest.raises(ValidationError) as exc:
        actions.decide_application(
            application=submitted,
            decision="selected",
            letter="Yes",
            site_name=site.name,
            by=admin,
        )
    assert "site_name" in exc.value.error_dict
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED and mail.outbox == []


def test_decisions_are_for_call_managers_once_and_only_on_submitted_applications(
    admin, submitted, make_user, call
):
    with pytest.raises(PermissionDenied):
        actions.decide_application(
            application=submitted, decision="selected", letter="x", by=make_user("panel_member")
        )
    with pytest.raises(ValidationError):
        actions.decide_application(application=submitted, decision="maybe", letter="x", by=admin)
    with pytest.raises(ValidationError):
        actions.decide_application(
            application=submitted, decision="not_selected", letter=" ", by=admin
        )
    actions.decide_application(application=submitted, decision="not_selected", letter="x", by=admin)
    with pytest.raises(ValidationError, match="decision has been made"):
        actions.decide_application(application=submitted, decision="selected", letter="x", by=admin)
    draft = helpers.make_application(call, UserFactory())
    with pytest.raises(ValidationError, match="not been submitted"):
        actions.decide_application(application=draft, decision="selected", letter="x", by=admin)


def test_the_decision_letter_is_an_automated_email(
    admin, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_application(
            application=submitted,
            decision=Application.Status.NOT_SELECTED,
            letter="Dear Alex, not this time.",
            link="https://core20.example.org/selection/applications/1/",
            by=admin,
        )
    (letter,) = mail.outbox
    assert letter.to == [submitted.applicant.email]
    assert letter.message()["Auto-Submitted"] == "auto-generated"
