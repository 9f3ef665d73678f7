"""The selection pages: what each person sees and can do, and the messages they get."""

import html as htmllib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.programme.models import Site
from core20.selection import actions
from core20.selection.forms import ApplicantAccountForm
from core20.selection.models import (
    Answer,
    Application,
    Attachment,
    Call,
    ConflictDeclaration,
    PanelAppointment,
    Review,
)
from tests.conftest import client_for, sign_in
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text without tags, with spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def error_summary(response) -> list[str]:
    html = response.content.decode()
    match = re.search(r'<div class="nhsuk-error-summary".*?</ul>', html, flags=re.S)
    if not match:
        return []
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r"<li>(.*?)</li>", match.group(0), flags=re.S)
    ]


@pytest.fixture
def call(site):
    call = helpers.make_call(site.wave, title="Wave 9 call")
    helpers.add_questions(call, 5, None)
    helpers.add_criteria(call, ("Communities", 2, 5), ("Plan", 1, 10))
    return call


@pytest.fixture
def admin(make_user):
    return make_user("national_admin", full_name="Ada Admin")


@pytest.fixture
def applicant(db):
    return UserFactory(full_name="Alex Applicant")


# ---- the public pages ----


def test_anyone_sees_an_open_call_its_questions_criteria_and_pack(call, client):
    helpers.store_pack(call)
    page = text(client.get(call.get_absolute_url()))
    assert "Wave 9 call" in page and "Question 1 text" in page and "(up to 5 words)" in page
    assert "Communities" in page and "Download the prior information pack" in page
    assert "Create an applicant account" in page
    listing = text(client.get(reverse("selection:call-list")))
    assert "Wave 9 call" in listing


def test_the_pack_is_downloaded_through_the_view_as_an_attachment(call, client):
    helpers.store_pack(call, name="Pack.pdf")
    response = client.get(reverse("selection:call-pack", args=[call.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Pack.pdf"'
    assert response.content == helpers.pdf_bytes()
    assert "/media/" not in client.get(call.get_absolute_url()).content.decode()


def test_calls_not_yet_open_are_hidden_from_everyone_but_the_national_team(site, client, admin):
    upcoming = helpers.make_call(site.wave, opens=3, closes=30, title="Soon")
    assert client.get(upcoming.get_absolute_url()).status_code == 404
    assert "Soon" not in text(client.get(reverse("selection:call-list")))
    admin_client = client_for(admin)
    assert admin_client.get(upcoming.get_absolute_url()).status_code == 200
    assert "Soon" in text(admin_client.get(reverse("selection:call-list")))


# ---- creating an applicant account ----


@pytest.fixture
def no_wait(monkeypatch):
    monkeypatch.setattr(ApplicantAccountForm, "MIN_SECONDS", 0)


def _account_form(client, **overrides):
    started = re.search(
        r'name="started" value="([^"]+)"',
        client.get(reverse("selection:account-create")).content.decode(),
    ).group(1)
    return {
        "full_name": "Sam Applicant",
        "email": "Sam@Eastshire.example.org",
        "password": "connectors-for-eastby-2026",
        "password_confirm": "connectors-for-eastby-2026",
        "website": "",
        "started": started,
        **overrides,
    }


def test_creating_an_account_signs_in_and_goes_back_to_the_call(call, client, no_wait):
    apply_url = reverse("selection:call-apply", args=[call.pk])
    data = _account_form(client, next=apply_url)
    response = client.post(reverse("selection:account-create"), data)
    assert response.status_code == 302 and response["Location"] == apply_url
    user = response.wsgi_request.user
    assert user.is_authenticated and user.email == "sam@eastshire.example.org"
    assert not user.memberships.exists()
    assert AuditEvent.objects.filter(
        object_type="accounts.User", actor_id=user.pk, summary__contains="Applicant account"
    ).exists()
    assert client.get(apply_url).status_code == 200


def test_an_outside_next_address_is_ignored(client, no_wait):
    data = _account_form(client, next="https://evil.example.com/")
    response = client.post(reverse("selection:account-create"), data)
    assert response["Location"] == reverse("selection:my-applications")


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"password": "password", "password_confirm": "password"}, "This password is too short"),
        ({"password": "12345678901234", "password_confirm": "12345678901234"}, "entirely numeric"),
        ({"password_confirm": "something-else-entirely"}, "The passwords do not match"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"full_name": ""}, "Enter your full name"),
    ],
)
def test_account_details_are_checked(client, no_wait, overrides, field_message):
    response = client.post(reverse("selection:account-create"), _account_form(client, **overrides))
    assert response.status_code == 200
    assert any(field_message in e for e in error_summary(response)), error_summary(response)
    assert not response.wsgi_request.user.is_authenticated


def test_an_existing_email_is_refused(client, no_wait, applicant):
    response = client.post(
        reverse("selection:account-create"), _account_form(client, email=applicant.email.upper())
    )
    assert "There is already an account with this email address" in " ".join(
        error_summary(response)
    )


def test_the_honeypot_catches_robots(client, no_wait):
    response = client.post(
        reverse("selection:account-create"), _account_form(client, website="http://spam.example")
    )
    assert response.status_code == 200
    assert error_summary(response) == [ApplicantAccountForm.SPAM_MESSAGE]
    assert not AuditEvent.objects.filter(object_type="accounts.User").exists()


def test_a_form_sent_too_quickly_or_without_its_timestamp_is_refused(client):
    data = _account_form(client)  # MIN_SECONDS is 3: this is sent at once
    response = client.post(reverse("selection:account-create"), data)
    assert error_summary(response) == [ApplicantAccountForm.SPAM_MESSAGE]
    data["started"] = "forged"
    response = client.post(reverse("selection:account-create"), data)
    assert error_summary(response) == [ApplicantAccountForm.SPAM_MESSAGE]


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get(reverse("selection:account-create")).content.decode()
    assert re.search(r'<div class="app-honeypot" aria-hidden="true">.*?name="website"', html, re.S)
    assert 'tabindex="-1"' in html


def test_signed_in_people_are_sent_on_from_the_account_page(client, applicant):
    sign_in(client, applicant)
    response = client.get(reverse("selection:account-create"))
    assert response["Location"] == reverse("selection:my-applications")


# ---- applying ----


def _application_post(application, action, **overrides):
    region, icb = helpers.place()
    area, group = helpers.taxonomy()
    first, second = application.call.questions.all()
    data = {
        "organisation_name": "NHS Eastshire ICB",
        "kind": "place",
        "ics_name": "Eastshire ICS",
        "place": "Eastby",
        "regions": [region.pk],
        "icbs": [icb.pk],
        "summary": "Connectors in Eastby.",
        "focus_areas": [area.pk],
        "communities": [group.pk],
        "communities_note": "",
        "contact_name": "Pat Contact",
        "contact_email": "pat@example.org",
        "contact_phone": "",
        actions.answer_field(first): "Five words in this answer",
        actions.answer_field(second): "A longer answer with no limit at all.",
        "action": action,
    }
    data.update(overrides)
    return data


def test_start_save_a_draft_and_come_back(call, applicant):
    client = client_for(applicant)
    response = client.post(reverse("selection:call-apply", args=[call.pk]))
    application = Application.objects.get(applicant=applicant)
    assert response["Location"] == reverse("selection:application-edit", args=[application.pk])
    first = call.questions.first()
    response = client.post(
        response["Location"],
        {
            actions.answer_field(first): "far too many words for the five word limit here",
            "ics_name": "Eastshire ICS",
            "action": "save",
        },
    )
    assert response["Location"] == reverse("selection:my-applications")
    answer = Answer.objects.get(application=application, question=first)
    assert answer.words == 10  # drafts may be over the limit
    mine = text(client.get(reverse("selection:my-applications")))
    assert "Wave 9 call" in mine and "Draft" in mine and "Your application has been saved" in mine
    page = client.get(reverse("selection:application-edit", args=[application.pk]))
    assert "far too many words" in page.content.decode()
    assert "10 words: over the limit of 5" in text(page)
    # Starting again goes back to the same application.
    again = client.get(reverse("selection:call-apply", args=[call.pk]))
    assert again["Location"] == reverse("selection:application-edit", args=[application.pk])


def test_submitting_an_incomplete_application_saves_it_and_lists_the_problems(call, applicant):
    application = Application.objects.create(call=call, applicant=applicant)
    url = reverse("selection:application-edit", args=[application.pk])
    first = call.questions.first()
    data = _application_post(
        application,
        "submit",
        summary="",
        **{actions.answer_field(first): "one two three four five six"},
    )
    response = client_for(applicant).post(url, data)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter a summary of your proposal",
        "Your answer to question 1 must be 5 words or fewer. It has 6 words.",
    ]
    assert "has not been submitted" in text(response)
    assert text(response).startswith("Error:") or "<title>Error:" in response.content.decode()
    application.refresh_from_db()
    assert application.is_draft and application.ics_name == "Eastshire ICS"
    html = response.content.decode()
    assert f'href="#id_{actions.answer_field(first)}"' in html


def test_a_complete_application_is_submitted_and_becomes_read_only(call, applicant):
    application = Application.objects.create(call=call, applicant=applicant)
    client = client_for(applicant)
    url = reverse("selection:application-edit", args=[application.pk])
    response = client.post(url, _application_post(application, "submit"))
    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    page = text(client.get(application.get_absolute_url()))
    assert "Submitted" in page and "Five words in this answer" in page
    assert client.get(url)["Location"] == application.get_absolute_url()
    client.post(url, _application_post(application, "save", ics_name="Changed"))
    application.refresh_from_db()
    assert application.ics_name == "Eastshire ICS"


def test_submitting_after_the_closing_date_is_refused_by_the_page(call, applicant):
    application = helpers.make_application(call, applicant)
    Call.objects.filter(pk=call.pk).update(closes_on=helpers.today() - timedelta(days=1))
    client = client_for(applicant)
    url = reverse("selection:application-edit", args=[application.pk])
    response = client.post(url, _application_post(application, "submit"))
    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    assert application.is_draft
    page = text(client.get(application.get_absolute_url()))
    assert "This call closed on" in page and "was not submitted" in page


def test_an_applicant_never_sees_someone_elses_application(call, applicant):
    application = helpers.make_application(call, applicant, status=Application.Status.SUBMITTED)
    attachment = helpers.store_attachment(application)
    other = client_for(UserFactory())
    for name in ("application-detail", "application-edit", "application-files"):
        assert other.get(reverse(f"selection:{name}", args=[application.pk])).status_code == 404
    download = reverse("selection:attachment-download", args=[application.pk, attachment.pk])
    assert other.get(download).status_code == 404
    assert client_for(applicant).get(download).status_code == 200
    assert "Wave 9 call" not in text(other.get(reverse("selection:my-applications")))


# ---- attachments ----


def test_uploading_and_removing_files(call, applicant):
    application = helpers.make_application(call, applicant)
    client = client_for(applicant)
    url = reverse("selection:application-files", args=[application.pk])
    content = helpers.docx_bytes()
    response = client.post(url, {"file": helpers.upload("Plan.docx", content)})
    assert response["Location"] == url
    attachment = Attachment.objects.get()
    assert "Plan.docx has been attached" in text(client.get(url))
    download = client.get(
        reverse("selection:attachment-download", args=[application.pk, attachment.pk])
    )
    assert download.content == content
    response = client.post(
        reverse("selection:attachment-delete", args=[application.pk, attachment.pk])
    )
    assert response["Location"] == url and not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.exe", helpers.pdf_bytes(), "The selected file must be a PDF, DOCX or ODT"),
        ("plan.pdf", b"<html>not a pdf</html>", "The selected file is not a real PDF file"),
        (
            "plan.pdf",
            helpers.pdf_bytes(padding=10 * 1024 * 1024),
            "The selected file must be smaller than 10 MB",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(call, applicant, name, content, message):
    application = helpers.make_application(call, applicant)
    response = client_for(applicant).post(
        reverse("selection:application-files", args=[application.pk]),
        {"file": helpers.upload(name, content)},
    )
    assert response.status_code == 200
    assert error_summary(response)[0].startswith(message)
    assert not Attachment.objects.exists()


def test_at_most_five_files(call, applicant):
    application = helpers.make_application(call, applicant)
    for n in range(5):
        helpers.store_attachment(application, name=f"{n}.pdf")
    client = client_for(applicant)
    url = reverse("selection:application-files", args=[application.pk])
    assert "the most you can" in text(client.get(url))
    response = client.post(url, {"file": helpers.upload("6.pdf", helpers.pdf_bytes())})
    assert error_summary(response) == [
        "You can attach up to 5 files. Remove one before adding another"
    ]


# ---- setting up a call (national admins) ----


def test_an_admin_creates_a_call_with_a_pack_then_questions_and_criteria(admin, site):
    client = client_for(admin)
    response = client.post(
        reverse("selection:call-create"),
        {
            "wave": site.wave.pk,
            "title": "Wave 10 call",
            "summary": "Apply to join wave 10.",
            "opens_on": helpers.today().isoformat(),
            "closes_on": (helpers.today() + timedelta(days=28)).isoformat(),
            "disagreement_threshold": "2",
            "pack": helpers.upload("Pack.odt", helpers.odt_bytes()),
        },
    )
    call = Call.objects.get(title="Wave 10 call")
    assert response["Location"] == reverse("selection:call-manage", args=[call.pk])
    assert call.pack_name == "Pack.odt" and call.pack_content_type.endswith("opendocument.text")
    client.post(
        reverse("selection:question-create", args=[call.pk]),
        {"text": "What will connectors do?", "guidance": "Say who and where", "word_limit": "400"},
    )
    client.post(
        reverse("selection:criterion-create", args=[call.pk]),
        {"name": "Reach", "description": "", "weight": "1.5", "max_score": "5"},
    )
    page = text(client.get(reverse("selection:call-manage", args=[call.pk])))
    assert "What will connectors do?" in page and "Reach" in page and "1.5" in page
    assert AuditEvent.objects.filter(object_type="selection.Question").exists()
    assert AuditEvent.objects.filter(object_type="selection.Criterion").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the call"),
        ({"opens_on": "2026-02-30"}, "Opening date must be a real date"),
        ({"closes_on": "2020-01-01"}, "The closing date must be the same as or after the opening"),
        ({"disagreement_threshold": "0"}, "Enter a number more than 0"),
        ({"pack": "exe"}, "The selected file must be a PDF, DOCX or ODT"),
        ({"pack": "spoof"}, "The selected file is not a real Word (DOCX) file"),
    ],
)
def test_call_form_errors(admin, site, overrides, message):
    data = {
        "wave": site.wave.pk,
        "title": "Wave 10 call",
        "summary": "Apply.",
        "opens_on": helpers.today().isoformat(),
        "closes_on": (helpers.today() + timedelta(days=28)).isoformat(),
        "disagreement_threshold": "2",
    }
    data.update(overrides)
    if data.get("pack") == "exe":
        data["pack"] = helpers.upload("pack.exe", b"MZ")
    elif data.get("pack") == "spoof":
        data["pack"] = helpers.upload("pack.docx", helpers.pdf_bytes())
    response = client_for(admin).post(reverse("selection:call-create"), data)
    assert response.status_code == 200
    assert any(e.startswith(message) for e in error_summary(response)), error_summary(response)
    assert not Call.objects.exists()


def test_criterion_form_errors(admin, call):
    response = client_for(admin).post(
        reverse("selection:criterion-create", args=[call.pk]),
        {"name": "", "weight": "-1", "max_score": "101"},
    )
    assert error_summary(response) == [
        "Enter a name for the criterion",
        "Weight must be more than 0",
        "Maximum score must be 100 or less",
    ]


def test_deleting_a_question_asks_first(admin, call):
    client = client_for(admin)
    question = call.questions.first()
    url = reverse("selection:question-delete", args=[call.pk, question.pk])
    assert "Delete this question?" in text(client.get(url))
    client.post(url)
    assert not call.questions.filter(pk=question.pk).exists()


def test_locked_questions_show_a_message_instead_of_deleting(admin, call, applicant):
    helpers.make_application(call, applicant, status=Application.Status.SUBMITTED)
    client = client_for(admin)
    question = call.questions.first()
    response = client.post(reverse("selection:question-delete", args=[call.pk, question.pk]))
    assert call.questions.filter(pk=question.pk).exists()
    assert "cannot be changed" in text(client.get(response["Location"]))


# ---- the panel ----


def test_appointing_a_panel_member_from_the_list_and_by_email(admin, call, make_user):
    member = make_user("panel_member", full_name="Priya Panel")
    someone = UserFactory(full_name="Lee Lived", email="lee@example.org")
    client = client_for(admin)
    url = reverse("selection:panel-appoint", args=[call.pk])
    assert "Priya Panel" in text(client.get(url))
    client.post(url, {"user": member.pk, "member_type": "nhs"})
    response = client.post(url, {"email": "LEE@example.org", "member_type": "lived_experience"})
    assert response["Location"] == reverse("selection:panel-manage", args=[call.pk])
    assert set(PanelAppointment.objects.values_list("user__full_name", "member_type")) == {
        ("Priya Panel", "nhs"),
        ("Lee Lived", "lived_experience"),
    }
    assert someone.memberships.filter(role="panel_member").exists()
    page = text(client.get(reverse("selection:panel-manage", args=[call.pk])))
    assert "Lived experience of healthcare inequalities" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"member_type": "vcse"}, "Choose a panel member from the list or enter an email address"),
        ({"email": "nobody@example.org", "member_type": "vcse"}, "There is no account"),
        ({"email": "x@example.org"}, "Choose what experience they bring to the panel"),
    ],
)
def test_appointment_errors(admin, call, data, message):
    response = client_for(admin).post(reverse("selection:panel-appoint", args=[call.pk]), data)
    assert any(message in e for e in error_summary(response)), error_summary(response)


@pytest.fixture
def panel(call, applicant, make_user):
    application = helpers.make_application(call, applicant, status=Application.Status.SUBMITTED)
    helpers.close(call)  # the panel scores once the call has closed
    one = make_user("panel_member", full_name="Panel One")
    two = make_user("panel_member", full_name="Panel Two")
    return application, helpers.appoint(call, one), helpers.appoint(call, two)


def _declare_and_score(client, application, scores, comments=""):
    client.post(reverse("selection:review", args=[application.pk]), {"has_conflict": "no"})
    criteria = list(application.call.criteria.all())
    data = {actions.score_field(c): s for c, s in zip(criteria, scores, strict=True)}
    data["comments"] = comments
    return client.post(reverse("selection:review-score", args=[application.pk]), data)


def test_members_score_independently_and_see_others_only_after_their_own(panel):
    application, one, two = panel
    first, second = client_for(one.user), client_for(two.user)
    review_url = reverse("selection:review", args=[application.pk])
    response = first.post(review_url, {"has_conflict": "no"})
    assert response["Location"] == reverse("selection:review-score", args=[application.pk])
    _declare_and_score(first, application, [4, 7], comments="Panel One's view")
    # Panel Two has not scored: Panel One's scores and comments are not on their page.
    before = text(second.get(review_url))
    assert "Panel One's view" not in before and "The panel's scores" not in before
    _declare_and_score(second, application, [2, 8])
    after = text(second.get(review_url))
    assert "The panel's scores" in after and "Panel One's view" in after
    assert "13.50" in after  # mean weighted total (15 + 12) / 2
    # Scores cannot be sent twice.
    again = second.post(
        reverse("selection:review-score", args=[application.pk]),
        {actions.score_field(c): 0 for c in application.call.criteria.all()},
    )
    assert again["Location"] == review_url
    assert Review.objects.count() == 2


def test_a_conflicted_member_cannot_score(panel):
    application, one, _ = panel
    client = client_for(one.user)
    review_url = reverse("selection:review", args=[application.pk])
    response = client.post(review_url, {"has_conflict": "yes", "details": ""})
    assert error_summary(response) == ["Describe your conflict of interest"]
    client.post(review_url, {"has_conflict": "yes", "details": "I work for the applicant"})
    assert ConflictDeclaration.objects.get().has_conflict
    assert "You declared a conflict of interest" in text(client.get(review_url))
    score_url = reverse("selection:review-score", args=[application.pk])
    assert client.get(score_url).status_code == 403
    criteria = application.call.criteria.all()
    assert client.post(score_url, {actions.score_field(c): 1 for c in criteria}).status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize(("value", "field"), [("6", 0), ("-1", 0), ("11", 1), ("two", 0)])
def test_scores_out_of_range_are_refused_by_the_page(panel, value, field):
    application, one, _ = panel
    client = client_for(one.user)
    scores = ["3", "5"]
    scores[field] = value
    response = _declare_and_score(client, application, scores)
    criterion = list(application.call.criteria.all())[field]
    assert error_summary(response) == [
        f"Score for {criterion.name} must be a whole number from 0 to {criterion.max_score}"
    ]
    assert not Review.objects.exists()


def test_panel_pages_list_the_members_calls_and_progress(panel, call):
    application, one, _ = panel
    client = client_for(one.user)
    assert "Wave 9 call" in text(client.get(reverse("selection:panel-home")))
    listing = text(client.get(reverse("selection:panel-call", args=[call.pk])))
    assert "Eastshire ICS, Eastby" in listing and "Not started" in listing
    _declare_and_score(client, application, [1, 1])
    assert "Scored" in text(client.get(reverse("selection:panel-call", args=[call.pk])))


def test_a_panel_member_of_another_call_is_refused(panel, site, make_user):
    application, _, _ = panel
    outsider = make_user("panel_member")
    helpers.appoint(helpers.make_call(site.wave, title="Other call"), outsider)
    client = client_for(outsider)
    assert client.get(reverse("selection:review", args=[application.pk])).status_code == 403
    assert (
        client.get(reverse("selection:panel-call", args=[application.call.pk])).status_code == 403
    )


# ---- decisions ----


def test_a_decision_in_two_steps_creates_the_site_and_emails_the_letter(
    admin, panel, django_capture_on_commit_callbacks
):
    application, _, _ = panel
    client = client_for(admin)
    url = reverse("selection:decision", args=[application.pk])
    assert "Make a decision" in text(client.get(url))
    assert error_summary(client.get(url, {"decision": ""})) == ["Choose a decision"]
    step_two = client.get(url, {"decision": "selected"})
    html = step_two.content.decode()
    assert "Dear Alex Applicant," in html and "Decision: Selected" in html
    assert 'value="Eastshire ICS, Eastby"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "decision": "selected",
                "site_name": "Eastshire ICS, Eastby",
                "letter": "Dear Alex Applicant,\n\nYou have been selected.",
            },
        )
    assert response["Location"] == reverse("selection:moderation", args=[application.call.pk])
    site = Site.objects.get(name="Eastshire ICS, Eastby")
    assert site.status == Site.Status.SELECTED and site.wave == application.call.wave
    (message,) = mail.outbox
    assert "You have been selected." in message.body
    assert f"/selection/applications/{application.pk}/" in message.body
    # The applicant sees the decision and the letter.
    status_page = text(client_for(application.applicant).get(application.get_absolute_url()))
    assert "Selected" in status_page and "You have been selected." in status_page
    # Decided: the page shows the decision and does not offer another.
    assert "Decision: Selected" in text(client.get(url))


def test_the_letter_is_required_and_a_clashing_site_name_is_reported(admin, panel, site):
    application, _, _ = panel
    client = client_for(admin)
    url = reverse("selection:decision", args=[application.pk])
    response = client.post(url, {"decision": "associate", "site_name": site.name, "letter": ""})
    assert error_summary(response) == ["Enter the feedback letter"]
    response = client.post(
        url, {"decision": "associate", "site_name": site.name, "letter": "Dear Alex"}
    )
    assert error_summary(response) == ["A site with this name already exists"]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_admins_review_page_shows_every_members_scores_and_conflicts(admin, panel):
    application, one, two = panel
    _declare_and_score(client_for(one.user), application, [4, 7])
    client_for(two.user).post(
        reverse("selection:review", args=[application.pk]),
        {"has_conflict": "yes", "details": "Former employee"},
    )
    page = text(client_for(admin).get(reverse("selection:review", args=[application.pk])))
    assert "Conflict of interest: Former employee" in page
    assert "Make a decision" in page and "Alex Applicant" in page


def test_a_letter_still_holding_the_feedback_placeholder_is_not_sent(admin, panel):
    """The default letter leaves room for the panel's feedback; confirming it unedited would
    email the applicant the placeholder, so the admin is asked to replace it."""
    application, _, _ = panel
    client = client_for(admin)
    url = reverse("selection:decision", args=[application.pk])
    step_two = client.get(url, {"decision": "not_selected"})
    letter = re.search(
        r'<textarea name="letter"[^>]*>(.*?)</textarea>', step_two.content.decode(), re.S
    ).group(1)
    letter = htmllib.unescape(letter).strip()
    assert actions.FEEDBACK_PLACEHOLDER in letter
    response = client.post(url, {"decision": "not_selected", "letter": letter})
    assert [htmllib.unescape(e) for e in error_summary(response)] == [
        "Replace “[Add the panel's feedback here]” with the panel's feedback"
    ]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not mail.outbox
    edited = letter.replace(actions.FEEDBACK_PLACEHOLDER, "Strong partners; thin plan.")
    response = client.post(url, {"decision": "not_selected", "letter": edited})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.NOT_SELECTED
    assert "Strong partners; thin plan." in application.decision_letter
