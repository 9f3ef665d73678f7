"""Demo part ``knowledge`` (core20/web/demo/knowledge.py): resources on the knowledge hub by
clinical area (one a draft), and the stakeholder mailing list with sign-ups and a notice."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

import core20.web.demo as demo
from core20.audit.models import AuditEvent
from core20.knowledge.actions import CONSENT_TEXT
from core20.knowledge.models import Mailing, Resource, Subscriber
from core20.programme.models import ClinicalArea
from core20.web.demo import knowledge, load_demo_content
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"

# The catalogue's areas the part tags (data/reference/programme.yaml).
AREAS = (
    ("maternity", "Maternity"),
    ("severe-mental-illness", "Severe mental illness"),
    ("chronic-respiratory-disease", "Chronic respiratory disease"),
    ("early-cancer-diagnosis", "Early cancer diagnosis"),
    ("hypertension", "Hypertension case-finding and lipid management"),
)


@pytest.fixture
def world(demo_world):
    for position, (code, name) in enumerate(AREAS, 1):
        ClinicalArea.objects.get_or_create(
            code=code, defaults={"name": name, "group": "adult", "position": position}
        )
    return demo_world


@pytest.fixture
def loaded(world):
    knowledge.load(world)
    return world


def _files(root) -> list:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_the_public_hub_lists_the_published_resources_and_not_the_draft(loaded):
    made = loaded.made["resources"]
    assert len(made) == len(knowledge.RESOURCES) == 7
    draft = made["gp_registration_guide"]
    assert not draft.published
    published = [r for r in made.values() if r.published]
    assert len(published) == 6
    assert {r.kind for r in made.values()} == set(Resource.Kind.values)

    text = Client().get(reverse("knowledge:resource-list")).content.decode()
    assert "6 resources" in text
    for resource in published:
        assert resource.get_absolute_url() in text
    assert draft.get_absolute_url() not in text
    assert Client().get(draft.get_absolute_url()).status_code == 404

    # The national admin sees the draft, marked as one.
    admin = Client()
    sign_in(admin, loaded.users["national_admin"])
    text = admin.get(reverse("knowledge:resource-list")).content.decode()
    assert "7 resources" in text and draft.get_absolute_url() in text
    assert "Draft: only the national team" in admin.get(draft.get_absolute_url()).content.decode()


def test_filtering_by_clinical_area_finds_the_tagged_resources(loaded):
    made = loaded.made["resources"]
    url = reverse("knowledge:resource-list")
    text = Client().get(url, {"area": "hypertension"}).content.decode()
    assert "3 resources match your filters" in text
    for key in ("programme", "walks", "blood_pressure_webinar"):
        assert made[key].get_absolute_url() in text
    assert made["screening_webinar"].get_absolute_url() not in text

    text = Client().get(url, {"area": "early-cancer-diagnosis"}).content.decode()
    assert "3 resources match your filters" in text
    for key in ("programme", "cancer_champions", "screening_webinar"):
        assert made[key].get_absolute_url() in text

    # The draft is tagged maternity: only the introduction shows to the public.
    text = Client().get(url, {"area": "maternity"}).content.decode()
    assert "1 resource matches your filters" in text
    assert made["programme"].get_absolute_url() in text
    assert made["gp_registration_guide"].get_absolute_url() not in text


def test_webinars_one_past_one_coming_and_links_only_to_known_or_demo_addresses(loaded):
    made = loaded.made["resources"]
    today = loaded.today
    assert made["screening_webinar"].event_on == today - timedelta(days=21)
    assert made["blood_pressure_webinar"].event_on == today + timedelta(days=16)
    assert all(r.published_on <= today for r in made.values() if r.published)
    readme = README.read_text()
    for resource in made.values():
        if not resource.link:
            assert resource.body  # the text instead of a link
            continue
        host = urlsplit(resource.link).hostname
        # A real address only if the project itself cites it; made-up ones are reserved.
        assert resource.link in readme or (
            host.endswith(".example") and "demo link" in resource.link_text
        )
    assert made["programme"].link in readme


def test_the_upcoming_webinar_has_no_made_up_link_and_says_joining_details_will_follow(loaded):
    made = loaded.made["resources"]
    coming = made["blood_pressure_webinar"]
    assert coming.link == "" and coming.link_text == ""
    page = Client().get(coming.get_absolute_url()).content.decode()
    assert "Joining details to follow" in page
    assert "14:00 to 15:00 (UK time)" in page and "Add this webinar to your calendar" in page
    assert ".example" not in page
    # The webinar that has taken place keeps its (demo) recording link: it needs one.
    past = made["screening_webinar"]
    assert past.link and "recording" in past.link_text
    page = Client().get(past.get_absolute_url()).content.decode()
    assert "Joining details to follow" not in page
    assert "It has taken place" in page
    listing = Client().get(reverse("knowledge:resource-list")).content.decode()
    assert listing.count("· Coming up") == 1


def test_each_resource_is_added_by_the_national_admin_and_audited(loaded):
    admin = loaded.users["national_admin"]
    made = loaded.made["resources"]
    events = AuditEvent.objects.filter(object_type="knowledge.Resource", verb="create")
    assert sorted(int(e.object_id) for e in events) == sorted(r.pk for r in made.values())
    assert {e.actor_id for e in events} == {admin.pk}
    assert all(r.created_by == admin for r in made.values())


def test_the_learning_report_has_a_pdf_to_download(loaded, media):
    walks = loaded.made["resources"]["walks"]
    assert walks.file_name == "woodside-walks-learning-report.pdf"
    assert _files(media) == [media / walks.file.name]
    assert (walks.file.storage, walks.file.name) in loaded.files
    response = Client().get(reverse("knowledge:resource-file", args=[walks.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"Woodside Walk and Talk Demo Group" in response.content


def test_subscribers_signed_up_with_consent_and_two_confirmed(loaded):
    made = loaded.made["subscribers"]
    assert Subscriber.objects.count() == len(made) == 3
    now = loaded.days_ago(0, 23, 59)
    for subscriber in made.values():
        assert subscriber.consent_text == CONSENT_TEXT
        assert subscriber.consented_at < now
        assert subscriber.email.endswith("@example.org")
    assert sorted(k for k, s in made.items() if s.is_confirmed) == ["daniel", "ruth"]
    for subscriber in (made["ruth"], made["daniel"]):
        assert subscriber.consented_at <= subscriber.confirmed_at
    # Sign-ups and confirmations are audited, without who and without the address.
    events = AuditEvent.objects.filter(object_type="knowledge.Subscriber")
    assert events.filter(verb="create").count() == 3
    assert events.filter(summary__startswith="Confirmed").count() == 2
    assert {e.actor_id for e in events} == {None}
    assert not [e for e in events if "example.org" in str(e.changes) + e.summary]


def test_a_notice_was_sent_to_the_confirmed_subscribers_in_the_past(loaded):
    mailing = loaded.made["mailing"]
    assert Mailing.objects.get() == mailing
    assert mailing.status == Mailing.Status.SENT
    assert mailing.recipient_count == 2 and mailing.failed_count == 0
    assert mailing.queued_by == loaded.users["national_admin"]
    assert mailing.sent_at.date() == loaded.today - timedelta(days=56)
    # Kept in memory (the test mailer), never sent: one each for the confirmed subscribers.
    notices = [m for m in mail.outbox if m.subject == mailing.subject]
    assert sorted(m.to[0] for m in notices) == ["daniel.demo@example.org", "ruth.demo@example.org"]

    admin = Client()
    sign_in(admin, loaded.users["national_admin"])
    text = admin.get(reverse("knowledge:mailing-list")).content.decode()
    assert mailing.subject in text
    (line,) = [s for s in loaded.summary if s.startswith("Knowledge hub:")]
    assert "7 resources by clinical area (6 published, 1 draft)" in line
    assert "3 mailing-list sign-ups with consent (2 confirmed)" in line
    assert "1 notice sent to 2 subscribers" in line


def test_a_failure_after_the_pdf_was_saved_leaves_no_file(world, media, monkeypatch):
    saved = []

    def sign_up_breaks(**kwargs):
        saved.extend(_files(media))
        raise RuntimeError("signing up broke")

    monkeypatch.setattr(demo, "STEPS", ("knowledge",))
    monkeypatch.setattr(knowledge.actions, "sign_up", sign_up_breaks)
    with pytest.raises(RuntimeError, match="signing up broke"):
        load_demo_content()
    assert len(saved) == 1  # the learning report's PDF was on disk
    assert _files(media) == []
    assert not Resource.objects.exists()


def test_a_load_that_succeeds_keeps_the_pdf(world, media, monkeypatch):
    monkeypatch.setattr(demo, "STEPS", ("knowledge",))
    load_demo_content()
    resource = Resource.objects.exclude(file="").get()
    assert _files(media) == [media / resource.file.name]


def test_it_runs_after_every_other_part(world, media, monkeypatch):
    steps = demo.STEPS if "knowledge" in demo.STEPS else (*demo.STEPS, "knowledge")
    monkeypatch.setattr(demo, "STEPS", steps)
    summary = load_demo_content()
    assert len(summary) == len(steps)
    assert [s for s in summary if s.startswith("Knowledge hub: 7 resources")]
    assert Mailing.objects.get().recipient_count == 2
    assert Resource.objects.filter(published=True).count() == 6
