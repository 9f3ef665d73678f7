"""Emails after someone expresses interest on the public form: a confirmation to the person,
a notice with no personal details to the site's host coordinators (or its site leads), and
nothing lost or sent when something goes wrong."""

import time

import pytest
from django.core import mail, signing
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from core20.network import actions
from core20.network.emails import first_name
from core20.network.forms import InterestForm
from core20.network.models import Connector
from core20.programme.models import SiteOrganisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME = "Priya Shah"
EMAIL = "priya@example.org"
PHONE = "07700 900123"
MOTIVATION = "I help my neighbours already"
AVAILABILITY = "Tuesday evenings"
LIVED = "I care for my mother"
HOST = "connect.example.org"


def _interest(**extra) -> dict:
    return {
        "name": NAME,
        "email": EMAIL,
        "phone": PHONE,
        "motivation": MOTIVATION,
        "availability": AVAILABILITY,
        "languages": "English, Urdu",
        "lived_experience": LIVED,
        "lived_experience_consent": "on",
        "started": signing.dumps(time.time() - 60, salt=InterestForm.SALT),
        "website": "",
        **extra,
    }


@pytest.fixture
def submit(client, site, django_capture_on_commit_callbacks):
    """Send the public form for `site` (over https to HOST) and run what waits for the
    commit, as it would run in production."""

    def send(for_site=None, **extra):
        url = reverse("network:interest", args=[(for_site or site).slug])
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, _interest(**extra), secure=True, HTTP_HOST=HOST)

    return send


def _to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def _only_to(address: str) -> EmailMessage:
    messages = _to(address)
    assert len(messages) == 1, [(m.to, m.subject) for m in mail.outbox]
    return messages[0]


def _team_notice(people) -> EmailMessage:
    return _only_to(people["host"].email)


# ---- the person ----


def test_the_person_gets_a_confirmation(submit, site, settings):
    site.place = "Walsall"
    site.save()
    host = OrganisationFactory(name="Walsall Community Trust")
    SiteOrganisation.objects.create(site=site, organisation=host, role="host")

    assert submit().status_code == 302

    message = _only_to(EMAIL)
    assert message.subject == "We have your interest in becoming a community connector in Walsall"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.body.startswith("Hello Priya,")
    assert "A coordinator from Walsall Community Trust will get in touch" in message.body
    assert "Tell the coordinator when they get in touch" in message.body
    assert f"https://{HOST}{reverse('web:privacy')}\n" in message.body


def test_the_confirmation_repeats_nothing_they_wrote_but_their_first_name(submit):
    submit()
    message = _only_to(EMAIL)
    for written in ("Shah", PHONE, MOTIVATION, AVAILABILITY, LIVED, "Urdu"):
        assert written not in message.body and written not in message.subject


def test_the_confirmation_promises_no_time_the_site_has_not_stated(submit, site):
    """No site or network setting states how soon a coordinator gets in touch."""
    submit()
    body = _only_to(EMAIL).body
    assert "week" not in body and " days" not in body and "within" not in body


def test_without_a_host_organisation_the_confirmation_names_the_site(submit, site):
    submit()
    message = _only_to(EMAIL)
    assert f"in {site.name}" in message.subject  # no place set: the site's name
    assert f"A coordinator from {site.name} will get in touch" in message.body


def test_no_confirmation_without_an_email_address(submit, people):
    assert submit(email="").status_code == 302
    assert Connector.objects.get().phone == PHONE
    assert not _to(EMAIL)
    # The team is still told.
    assert _team_notice(people).subject.startswith("New expression of interest")


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Priya Shah", "Priya"),
        ("Anne-Marie O'Neill", "Anne-Marie"),
        ("José", "José"),
        ("http://spam.example buy now", ""),
        ("www.spam.example", ""),
        ("x" * 41, ""),
    ],
)
def test_only_a_name_like_first_word_is_repeated(name, greeting):
    """Anyone can type any address into the form: only a first name goes back to it."""
    assert first_name(name) == greeting


def test_a_confirmation_to_someone_who_gave_a_link_for_a_name_does_not_repeat_it(submit):
    submit(name="http://spam.example Offer")
    body = _only_to(EMAIL).body
    assert body.startswith("Hello,") and "spam.example" not in body


# ---- the team ----


def test_host_coordinators_get_a_notice_with_no_personal_details(submit, site, people, settings):
    second = UserFactory(email="second.host@example.org")
    MembershipFactory(user=second, role="host_coordinator", site=site)
    Connector.objects.create(site=site, name="Earlier Person", email="earlier@example.org")

    submit()

    for coordinator in (people["host"], second):
        message = _only_to(coordinator.email)
        assert message.to == [coordinator.email]  # one each: no one sees the others' address
        assert message.subject == f"New expression of interest at {site.name}"
        assert message.from_email == settings.DEFAULT_FROM_EMAIL
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"
        assert "There are now 2 expressions of interest waiting" in message.body
        text = message.subject + message.body
        for personal in (NAME, "Priya", "Shah", EMAIL, PHONE, MOTIVATION, AVAILABILITY, LIVED):
            assert personal not in text
    # Site leads hear only when the site has no host coordinator.
    assert not _to(people["lead"].email)


def test_the_notice_counts_one_waiting(submit, people):
    submit()
    assert "There is now 1 expression of interest waiting" in _team_notice(people).body


def test_the_links_are_absolute_and_open_the_inbox(submit, site, people, client_as):
    submit()
    inbox = f"https://{HOST}{reverse('network:site-connectors', args=[site.slug])}"
    link = f"{inbox}?stage=interested"
    assert f"\n{link}\n" in _team_notice(people).body
    # The link opens the inbox, with the new person in it, for the coordinator.
    page = client_as("host").get(link.removeprefix(f"https://{HOST}"))
    assert page.status_code == 200 and NAME in page.content.decode()
    privacy = f"https://{HOST}{reverse('web:privacy')}"
    assert f"\n{privacy}\n" in _only_to(EMAIL).body


def test_site_leads_are_told_when_the_site_has_no_host_coordinator(submit, site, make_user):
    lead = make_user("site_lead")
    host = make_user("host_coordinator")
    host.memberships.update(ended_at=timezone.now())

    submit()

    notice = _only_to(lead.email)
    assert notice.subject == f"New expression of interest at {site.name}"
    assert NAME not in notice.body and EMAIL not in notice.body
    assert not _to(host.email)  # an ended membership hears nothing


def test_a_site_with_no_team_is_noted_in_the_log(submit, site, caplog):
    submit()
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert f"No one to tell about a new expression of interest at site {site.pk}" in caplog.text


def test_no_one_outside_the_site_team_is_told(submit, site, other_site, people, make_user):
    ended = make_user("host_coordinator")
    ended.memberships.update(ended_at=timezone.now())
    inactive = make_user("host_coordinator", is_active=False)
    other_lead = make_user("site_lead", scope_site=other_site)

    submit()

    for user in (people["other_host"], other_lead, ended, inactive, people["admin"]):
        assert not _to(user.email), user
    # Just the person and the one current host coordinator.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([EMAIL, people["host"].email])


def test_the_other_sites_coordinators_hear_about_their_own_site_only(
    submit, site, other_site, people
):
    submit(for_site=other_site)
    notice = _only_to(people["other_host"].email)
    assert notice.subject == f"New expression of interest at {other_site.name}"
    assert other_site.slug in notice.body
    assert not _to(people["host"].email)


# ---- when something goes wrong ----


@pytest.mark.parametrize(
    "extra",
    [
        {"motivation": ""},  # a missing answer
        {"website": "http://spam.example"},  # a robot
        {"lived_experience_consent": ""},  # lived experience without agreement
    ],
)
def test_nothing_is_sent_when_the_form_has_errors(submit, people, extra):
    response = submit(**extra)
    assert response.status_code == 200 and b"There is a problem" in response.content
    assert not Connector.objects.exists()
    assert mail.outbox == []


def test_nothing_is_sent_when_the_save_is_refused(submit, site, people):
    """The action refuses a second expression of interest from the same address."""
    Connector.objects.create(site=site, name="Someone", email=EMAIL)
    response = submit()
    assert response.status_code == 200
    assert b"already been in touch" in response.content
    assert mail.outbox == []


def test_emails_wait_for_the_commit(client, site, people, django_capture_on_commit_callbacks):
    url = reverse("network:interest", args=[site.slug])
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url, _interest())
        assert mail.outbox == []  # not while the submission could still be rolled back
    for callback in callbacks:
        callback()
    assert _to(EMAIL) and _team_notice(people)


def test_the_demo_loader_sends_nothing(site, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_interest(site=site, data={"name": NAME, "email": EMAIL})
    assert Connector.objects.filter(email=EMAIL).exists()
    assert mail.outbox == []


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_failure_does_not_lose_the_submission(submit, site, people, settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}

    response = submit()

    assert response.status_code == 302
    assert response["Location"] == reverse("network:interest-sent", args=[site.slug])
    person = Connector.objects.get()
    assert (person.name, person.status) == (NAME, Connector.Status.INTERESTED)
    failures = [r for r in caplog.records if r.name == "core20.network.emails"]
    assert [r.getMessage() for r in failures] == [
        f"Could not send the confirmation for expression of interest {person.pk}",
        f"Could not send the team notice for expression of interest {person.pk}",
    ]
    # The log says which, never who.
    assert all(NAME not in r.getMessage() and EMAIL not in r.getMessage() for r in failures)


def test_a_refused_confirmation_still_tells_the_team(submit, people, monkeypatch):
    """The person's address may be refused by the mail server: the team still hears."""
    from django.core.mail.backends.locmem import EmailBackend

    send = EmailBackend.send_messages

    def refuse_the_person(self, messages):
        if any(EMAIL in m.to for m in messages):
            raise ConnectionRefusedError("refused")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_the_person)
    submit()
    assert not _to(EMAIL)
    assert _team_notice(people).subject.startswith("New expression of interest")
