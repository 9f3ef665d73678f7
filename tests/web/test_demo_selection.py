"""The demo's selection of sites (core20/web/demo/selection.py): a Wave 3 call for expressions
of interest that was opened and has closed, three applications from made-up organisations, and
the demo panel member with applications to score."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.accounts.management.demo import DEMO_DOMAIN
from core20.audit.models import AuditEvent
from core20.places.models import ICB, Region
from core20.programme.models import ClinicalArea, PlusGroup
from core20.selection import actions
from core20.selection.models import Application, Call, PanelAppointment, Review
from core20.web.dashboard import dashboard_for
from core20.web.demo import selection
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

Status = Application.Status

# The real ICBs (and their regions) the demo applications are for.
ICBS = {
    "E54000051": ("NHS Humber and North Yorkshire Integrated Care Board", "E40000012"),
    "E54000013": ("NHS Lincolnshire Integrated Care Board", "E40000011"),
    "E54000055": ("NHS Birmingham and Solihull Integrated Care Board", "E40000011"),
}
REGIONS = {"E40000011": "Midlands", "E40000012": "North East and Yorkshire"}


@pytest.fixture
def reference(demo_world):
    regions = {code: Region.objects.create(code=code, name=name) for code, name in REGIONS.items()}
    for code, (name, region) in ICBS.items():
        ICB.objects.create(code=code, name=name, region=regions[region])
    for position, (code, name) in enumerate(
        [
            ("hypertension", "Hypertension case-finding and lipid management"),
            ("early-cancer-diagnosis", "Early cancer diagnosis"),
            ("chronic-respiratory-disease", "Chronic respiratory disease"),
            ("maternity", "Maternity"),
        ]
    ):
        ClinicalArea.objects.create(code=code, name=name, group="adult", position=position)
    for position, (code, name) in enumerate(
        [
            ("ethnic-minority-communities", "Ethnic minority communities"),
            ("coastal-communities", "Coastal communities with pockets of hidden deprivation"),
            ("inclusion-health-groups", "Inclusion health groups"),
        ]
    ):
        PlusGroup.objects.create(code=code, name=name, position=position)
    return demo_world


@pytest.fixture
def loaded(reference):
    selection.load(reference)
    return reference


def page(user, url: str) -> int:
    client = Client()
    sign_in(client, user)
    return client.get(url)


def test_the_call_was_opened_and_has_closed(loaded):
    call = Call.objects.get()
    assert call == loaded.made["selection_call"]
    assert call.title == "Wave 3: Core20PLUS Connectors"
    assert call.wave.number == 3 and call.wave.programme == loaded.site.wave.programme
    assert call.created_by == loaded.users["national_admin"]
    assert call.status == Call.Status.PUBLISHED and call.state == "closed"
    assert call.is_scoring_open
    assert call.opens_on == loaded.today - timedelta(days=56)
    assert call.closes_on == loaded.today - timedelta(days=14)
    assert call.questions.count() == 3 and call.criteria.count() == 4
    assert all(q.word_limit for q in call.questions.all())
    assert [(a.user, a.member_type) for a in call.appointments.all()] == [
        (loaded.users["panel_member"], PanelAppointment.MemberType.VCSE)
    ]
    assert loaded.summary == [
        f"Selection: 1 call for expressions of interest (Wave 3), open "
        f"{call.opens_on:%-d %B} to {call.closes_on:%-d %B}, now closed, with 3 questions, "
        "4 scoring criteria and 1 panel member; 3 applications submitted (1 scored by the "
        "panel member, 2 waiting to be scored)"
    ]


def test_opening_the_call_and_its_setup_were_audited(loaded):
    call = loaded.made["selection_call"]
    admin = loaded.users["national_admin"]
    opened = AuditEvent.objects.filter(
        object_type="selection.Call",
        object_id=str(call.pk),
        verb=AuditEvent.Verb.UPDATE,
        summary__startswith="Opened the call",
    )
    assert opened.count() == 1 and opened.get().actor_id == admin.pk
    created = {
        "selection.Call": 1,
        "selection.Question": 3,
        "selection.Criterion": 4,
        "selection.PanelAppointment": 1,
        "programme.Wave": 1,
    }
    for object_type, n in created.items():
        events = AuditEvent.objects.filter(
            object_type=object_type, verb=AuditEvent.Verb.CREATE, actor_id=admin.pk
        )
        assert events.count() == n, object_type


def test_three_made_up_applications_were_submitted_while_the_call_was_open(loaded):
    made = loaded.made["selection_applications"]
    assert Application.objects.count() == len(made) == 3
    assert {k: a.status for k, a in made.items()} == {
        "riverside": Status.UNDER_REVIEW,
        "saltmarsh": Status.SUBMITTED,
        "northgate": Status.SUBMITTED,
    }
    call = loaded.made["selection_call"]
    for application in Application.objects.select_related("applicant"):
        assert "Demo" in application.organisation_name
        assert "Demo" in application.applicant.full_name
        assert application.applicant.email.endswith("@" + DEMO_DOMAIN)
        assert application.contact_email == application.applicant.email
        assert actions.submission_errors(application) == {}
        assert call.opens_on <= application.submitted_at.date() <= call.closes_on
        [icb] = application.icbs.all()
        assert icb.code in ICBS and list(application.regions.all()) == [icb.region]
        assert application.ics_name == icb.short_name
        submitted = AuditEvent.objects.filter(
            object_type="selection.Application",
            object_id=str(application.pk),
            actor_id=application.applicant_id,
            summary__startswith="Submitted an application",
        )
        assert submitted.exists()
    assert {a.icbs.get().code for a in made.values()} == set(ICBS)


def test_the_panel_member_has_scored_one_after_the_call_closed(loaded):
    review = Review.objects.get()
    assert review.application == loaded.made["selection_applications"]["riverside"]
    assert review.appointment.user == loaded.users["panel_member"]
    assert review.scores.count() == 4
    assert review.submitted_at.date() > loaded.made["selection_call"].closes_on


def test_the_panel_member_finds_applications_to_score(loaded):
    member = loaded.users["panel_member"]
    assert "2 applications to score" in [w.text for w in dashboard_for(member).waiting]
    admin = loaded.users["national_admin"]
    assert "3 applications to decide" in [w.text for w in dashboard_for(admin).waiting]


def test_the_panel_pages_open(loaded):
    member = loaded.users["panel_member"]
    call = loaded.made["selection_call"]
    made = loaded.made["selection_applications"]
    assert page(member, reverse("selection:panel-home")).status_code == 200
    response = page(member, reverse("selection:panel-call", args=[call.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverside Demo Health Partnership" in html
    assert html.count(">Scored<") == 1 and html.count(">Not started<") == 2
    for application in made.values():
        url = reverse("selection:review", args=[application.pk])
        assert page(member, url).status_code == 200
    admin = loaded.users["national_admin"]
    for name in ("call-manage", "panel-manage", "moderation"):
        assert page(admin, reverse(f"selection:{name}", args=[call.pk])).status_code == 200


def test_without_reference_data_the_call_and_panel_are_still_made(demo_world):
    selection.load(demo_world)
    call = Call.objects.get()
    assert call.state == "closed" and call.appointments.count() == 1
    assert not Application.objects.exists()
    assert demo_world.made["selection_applications"] == {}
    assert demo_world.summary[-1].endswith(
        "no applications (no ICBs, clinical areas or PLUS groups loaded)"
    )


@pytest.mark.parametrize("days", [-400, 200], ids=["a-past-today", "a-future-today"])
def test_loaded_with_another_today_the_story_is_in_step_with_it(reference, days):
    """The actions are run as of the story's days (``now``), so the call, the applications
    and the panel's work are dated from the demo's ``today``, not the real date."""
    reference.today = timezone.localdate() + timedelta(days=days)
    selection.load(reference)
    today = reference.today
    call = Call.objects.get()
    assert call.state_on(today) == "closed"
    assert call.opens_on == today - timedelta(days=56)
    assert call.closes_on == today - timedelta(days=14)
    assert call.created_at == reference.days_ago(63, 11)
    assert call.appointments.get().appointed_at == reference.days_ago(19, 15, 30)
    made = reference.made["selection_applications"]
    assert {k: a.status for k, a in made.items()} == {
        "riverside": Status.UNDER_REVIEW,
        "saltmarsh": Status.SUBMITTED,
        "northgate": Status.SUBMITTED,
    }
    for key, application in made.items():
        ago = selection.APPLICATIONS[key]["submitted_days_ago"]
        assert application.created_at == reference.days_ago(ago + 9, 9, 40)
        assert application.submitted_at == reference.days_ago(ago, 16, 5)
        assert call.opens_on <= timezone.localdate(application.submitted_at) <= call.closes_on
    review = Review.objects.get()
    assert review.submitted_at == reference.days_ago(4, 14, 20)
    assert made["riverside"].updated_at == review.submitted_at
