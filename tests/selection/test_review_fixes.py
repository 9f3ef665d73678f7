"""Fixes from walking the demo: a new call is a draft until it is opened, the panel scores
once the call has closed (as applicants are told), the application form offers only
current ICBs, and the panel page says what experience a member brings in plain English."""

import html as htmllib
import re
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from core20.audit.models import AuditEvent
from core20.places.models import ICB, LSOA, LSOAHealthMembership, Region, SubICBLocation, Vintage
from core20.selection import actions, home
from core20.selection.models import Application, Call, PanelAppointment
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.selection import helpers

pytestmark = pytest.mark.django_db

S = Application.Status


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def flashed(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def long_date(day: date) -> str:
    return date_format(day, "j F Y")


@pytest.fixture
def admin(make_user):
    return make_user("national_admin", full_name="Ada Admin")


def _create_call(admin, site, *, opens: int = 0) -> Call:
    response = client_for(admin).post(
        reverse("selection:call-create"),
        {
            "wave": site.wave.pk,
            "title": "Wave 10 call",
            "summary": "Apply to join wave 10.",
            "opens_on": (helpers.today() + timedelta(days=opens)).isoformat(),
            "closes_on": (helpers.today() + timedelta(days=28)).isoformat(),
            "disagreement_threshold": "2",
        },
    )
    call = Call.objects.get(title="Wave 10 call")
    assert response["Location"] == reverse("selection:call-manage", args=[call.pk])
    return call


# ---- 1. a new call is a draft until it is opened ----


def test_a_new_call_is_a_draft_that_the_public_cannot_see_or_apply_to(admin, site, client):
    call = _create_call(admin, site)
    assert call.status == Call.Status.DRAFT and not call.is_open

    assert client.get(call.get_absolute_url()).status_code == 404
    assert "Wave 10 call" not in text(client.get(reverse("selection:call-list")))
    applicant = client_for(UserFactory())
    assert applicant.get(reverse("selection:call-apply", args=[call.pk])).status_code == 404
    with pytest.raises(ValidationError):
        actions.start_application(call=call, by=UserFactory())

    # The national team sees it as a draft, with what stops it opening.
    manage = text(client_for(admin).get(reverse("selection:call-manage", args=[call.pk])))
    assert "Status Draft" in manage
    assert "Add at least one question" in manage and "Add at least one scoring criterion" in manage
    assert "Drafts Only the national team" in text(
        client_for(admin).get(reverse("selection:call-list"))
    )


def test_opening_needs_questions_and_criteria_then_is_audited(admin, site, client):
    call = _create_call(admin, site)
    admin_client = client_for(admin)
    open_url = reverse("selection:call-open", args=[call.pk])
    manage_url = reverse("selection:call-manage", args=[call.pk])

    def open_it() -> str:
        response = admin_client.post(open_url, follow=True)
        assert response.redirect_chain == [(manage_url, 302)]
        return text(response)

    page = open_it()
    assert "The call cannot be opened yet. Add at least one question" in page
    assert "Add at least one scoring criterion" in page
    helpers.add_questions(call, 300)
    page = open_it()
    assert "cannot be opened yet. Add at least one scoring criterion" in page
    assert "Add at least one question" not in page
    call.refresh_from_db()
    assert call.is_draft

    helpers.add_criteria(call, ("Reach", 1, 5))
    page = open_it()
    assert "“Wave 10 call” is open. Applicants can now apply." in page
    assert "Status Open" in page and "Open the call" not in page
    call.refresh_from_db()
    assert call.status == Call.Status.PUBLISHED and call.is_open
    event = AuditEvent.objects.get(object_type="selection.Call", verb="update")
    assert event.actor_id == admin.pk and event.changes == {"status": ["Draft", "Published"]}
    assert client.get(call.get_absolute_url()).status_code == 200
    assert "Wave 10 call" in text(client.get(reverse("selection:call-list")))

    # Once open, it cannot be opened again.
    assert "This call has already been opened." in open_it()
    assert AuditEvent.objects.filter(object_type="selection.Call", verb="update").count() == 1


def test_a_call_opened_before_its_date_shows_when_it_opens(admin, site, client):
    call = _create_call(admin, site, opens=5)
    helpers.add_questions(call, None)
    helpers.add_criteria(call, ("Reach", 1, 5))
    response = client_for(admin).post(reverse("selection:call-open", args=[call.pk]))
    opens_on = long_date(call.opens_on)
    assert f"will open on {opens_on}" in flashed(response)
    call.refresh_from_db()
    assert not call.is_draft and not call.is_open
    assert f"Status Opens on {opens_on}" in text(
        client_for(admin).get(reverse("selection:call-manage", args=[call.pk]))
    )
    # As before, the public see it from its opening date.
    assert client.get(call.get_absolute_url()).status_code == 404


def test_a_call_whose_closing_date_has_passed_cannot_be_opened(admin, site):
    call = helpers.make_call(site.wave, opens=-30, closes=-1, status=Call.Status.DRAFT)
    helpers.add_questions(call, None)
    helpers.add_criteria(call, ("Reach", 1, 5))
    with pytest.raises(ValidationError, match="closing date has passed"):
        actions.open_call(call=call, by=admin)


@pytest.mark.parametrize("role", ["panel_member", "site_lead", "national_analyst", None])
def test_only_national_admins_open_calls(make_user, role, site):
    call = helpers.make_call(site.wave, status=Call.Status.DRAFT)
    helpers.add_questions(call, None)
    helpers.add_criteria(call, ("Reach", 1, 5))
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        actions.open_call(call=call, by=user)
    response = client_for(user).post(reverse("selection:call-open", args=[call.pk]))
    assert response.status_code == 403
    call.refresh_from_db()
    assert call.is_draft


def test_calls_made_before_drafts_existed_stay_published():
    # The migration adds the field as published for existing rows, then defaults to draft.
    from importlib import import_module

    migration = import_module("core20.selection.migrations.0003_call_status").Migration
    added, altered = migration.operations
    assert added.field.default == Call.Status.PUBLISHED
    assert altered.field.default == Call.Status.DRAFT == Call._meta.get_field("status").default


# ---- 2. the panel scores once the call has closed ----


@pytest.fixture
def panel(site, make_user):
    call = helpers.make_call(site.wave, title="Wave 9 call", opens=-10, closes=3)
    helpers.add_criteria(call, ("Communities", 2, 5))
    application = helpers.make_application(call, UserFactory(), status=S.SUBMITTED)
    member = make_user("panel_member", full_name="Pat Panel")
    appointment = helpers.appoint(call, member, PanelAppointment.MemberType.LIVED_EXPERIENCE)
    return call, application, member, appointment


def test_before_the_call_closes_the_panel_is_told_when_scoring_opens(panel):
    call, application, member, _ = panel
    scoring_opens = long_date(call.closes_on + timedelta(days=1))
    assert {w.plural: w.count for w in home.waiting(member)}["applications to score"] == 0
    client = client_for(member)
    page = text(client.get(reverse("selection:panel-home")))
    assert f"Scoring opens on {scoring_opens}, the day after the call closes." in page
    assert "application to score" not in page
    listing = text(client.get(reverse("selection:panel-call", args=[call.pk])))
    assert f"Scoring opens on {scoring_opens}" in listing

    review_url = reverse("selection:review", args=[application.pk])
    assert f"Scoring opens on {scoring_opens}" in text(client.get(review_url))
    response = client.post(review_url, {"has_conflict": "no"})
    assert f"Scoring opens on {scoring_opens}" in flashed(response)
    with pytest.raises(ValidationError, match=f"Scoring opens on {scoring_opens}"):
        actions.declare_conflict(application=application, has_conflict=False, by=member)
    assert not application.declarations.exists()

    # The applicant is told the same thing.
    applicant_page = text(client_for(application.applicant).get(application.get_absolute_url()))
    assert f"review it after the call closes on {long_date(call.closes_on)}" in applicant_page


def test_once_the_call_has_closed_the_panel_scores(panel):
    call, application, member, _ = panel
    helpers.close(call)
    waiting = {w.plural: (w.count, w.url) for w in home.waiting(member)}
    url = reverse("selection:panel-call", args=[call.pk])
    assert waiting["applications to score"] == (1, url)
    page = text(client_for(member).get(reverse("selection:panel-home")))
    assert "Scoring opens" not in page and "You have 1 application to score." in page
    response = client_for(member).post(
        reverse("selection:review", args=[application.pk]), {"has_conflict": "no"}
    )
    assert response["Location"] == reverse("selection:review-score", args=[application.pk])


def test_the_call_is_open_until_the_end_of_its_closing_day(panel):
    call, _, member, _ = panel
    helpers.close(call, days_ago=0)  # closes today: still open, not yet for scoring
    assert call.is_open and not call.is_scoring_open
    assert {w.plural: w.count for w in home.waiting(member)}["applications to score"] == 0


# ---- 3. only current ICBs on the application form ----


def _membership(icb, vintage, valid_from, valid_to=None):
    lsoa = LSOA.objects.create(vintage=vintage, code=f"E0{icb.code[-7:]}")
    sub_icb = SubICBLocation.objects.create(code=f"E38{icb.code[-6:]}", name="Sub-ICB", icb=icb)
    LSOAHealthMembership.objects.create(
        lsoa=lsoa, sub_icb=sub_icb, icb=icb, valid_from=valid_from, valid_to=valid_to
    )


def test_the_application_form_offers_only_icbs_current_today(site):
    south_east, _ = Region.objects.get_or_create(code="E40000005", defaults={"name": "South East"})
    name = "NHS Surrey Heartlands Integrated Care Board"
    old = ICB.objects.create(code="E54000052", name=name, region=south_east)
    new = ICB.objects.create(code="E54000063", name=name, region=south_east)
    # The 2022 lookup on 2011 LSOAs is still "in force" (nothing later replaced it for that
    # vintage); the 2024 lookup on 2021 LSOAs uses the new code.
    _membership(old, Vintage.LSOA2011, date(2022, 7, 1))
    _membership(new, Vintage.LSOA2021, date(2024, 4, 1))
    call = helpers.make_call(site.wave)
    application = helpers.make_application(call, UserFactory(), filled=False)

    page = client_for(application.applicant).get(
        reverse("selection:application-edit", args=[application.pk])
    )
    html = page.content.decode()
    assert html.count(">Surrey Heartlands<") == 1, "Surrey Heartlands is offered twice"
    boxes = set(re.findall(r'name="icbs" value="(\d+)"', html))
    assert str(new.pk) in boxes and str(old.pk) not in boxes
    # An ICB with no memberships loaded (nothing says it has ended) is still offered.
    _, eastshire = helpers.place()
    html = (
        client_for(application.applicant)
        .get(reverse("selection:application-edit", args=[application.pk]))
        .content.decode()
    )
    assert f'name="icbs" value="{eastshire.pk}"' in html


# ---- 4. the member's experience in plain English ----


@pytest.mark.parametrize(
    ("member_type", "phrase"),
    [
        ("lived_experience", "for your lived experience of healthcare inequalities."),
        ("vcse", "for your experience in a VCSE organisation."),
        ("nhs", "for your NHS experience."),
    ],
)
def test_the_panel_page_says_what_experience_the_member_brings(
    site, make_user, member_type, phrase
):
    call = helpers.make_call(site.wave)
    member = make_user("panel_member")
    helpers.appoint(call, member, member_type)
    page = text(client_for(member).get(reverse("selection:panel-home")))
    assert f"You sit on this panel {phrase}" in page
    assert "experience experience" not in page and "inequalities experience" not in page
