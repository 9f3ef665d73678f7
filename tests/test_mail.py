"""The service's automated emails (core20.mail): who at a site gets the team's emails, and
the ``Auto-Submitted: auto-generated`` header on every kind of email the service sends, so
that out-of-office replies do not come back to it (RFC 3834)."""

import datetime
import email
import email.policy

import pytest
from django.conf import settings
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core20.accounts.people import send_invitation
from core20.accounts.roles import HostCoordinator, SiteLead
from core20.grants import actions as grants
from core20.knowledge import actions as knowledge
from core20.mail import automated_email, role_emails, send_all
from core20.network import actions as network
from core20.network.emails import send_interest_emails
from core20.network.models import Connector, TrainingModule
from core20.network.reminders import send_reminders
from core20.web import dashboard, digest
from core20.web.dashboard import Waiting
from tests.factories import MembershipFactory, UserFactory
from tests.grants import helpers as grant_helpers
from tests.insights import helpers as insight_helpers
from tests.knowledge import helpers as knowledge_helpers
from tests.web import fake_home

pytestmark = pytest.mark.django_db

HC, SL = HostCoordinator.key, SiteLead.key


def _member(role: str, site, email: str, **kwargs):
    user = UserFactory(email=email, username=email or "no-email", **kwargs)
    MembershipFactory(user=user, role=role, site=site)
    return user


def _automated(messages) -> list:
    """The Auto-Submitted header of each message as sent, and who it came from."""
    return [
        (m.message()["Auto-Submitted"], m.from_email == settings.DEFAULT_FROM_EMAIL)
        for m in messages
    ]


# ---- who at a site ----


def test_the_first_role_with_anyone_at_the_site_gets_it(site, other_site):
    _member(HC, site, "hal@example.org")
    _member(HC, site, "ann@example.org")
    _member(SL, site, "lee@example.org")
    _member(HC, other_site, "olly@example.org")

    assert role_emails(site, HC, SL) == ["ann@example.org", "hal@example.org"]
    assert role_emails(site, SL, HC) == ["lee@example.org"]
    assert role_emails(site.pk, HC) == ["ann@example.org", "hal@example.org"]  # an id will do
    assert role_emails(other_site, SL) == []


def test_with_no_host_coordinator_the_site_leads_get_it(site):
    _member(SL, site, "lee@example.org")
    _member(SL, site, "kim@example.org")
    assert role_emails(site, HC, SL) == ["kim@example.org", "lee@example.org"]


def test_ended_roles_inactive_people_and_missing_addresses_do_not_count(site):
    ended = _member(HC, site, "ended@example.org")
    ended.memberships.update(ended_at=timezone.now())
    _member(HC, site, "inactive@example.org", is_active=False)
    _member(HC, site, "")
    _member(SL, site, "lee@example.org")

    # None of those host coordinators can be told, so the site lead is.
    assert role_emails(site, HC, SL) == ["lee@example.org"]
    assert role_emails(site, HC) == []


# ---- building and sending ----


def test_an_email_has_a_body_or_a_template_never_both_nor_neither():
    with pytest.raises(TypeError):
        automated_email(subject="Hi", to="a@example.org")
    with pytest.raises(TypeError):
        automated_email(subject="Hi", to="a@example.org", body="Hi", template="x.txt")


def test_extra_headers_are_added_and_cannot_drop_auto_submitted():
    message = automated_email(
        subject="Hi",
        to="a@example.org",
        body="Hello",
        headers={"List-Id": "list", "Auto-Submitted": "no"},
    ).message()
    assert (message["List-Id"], message["Auto-Submitted"]) == ("list", "auto-generated")


def _as_sent(message) -> bytes:
    return message.message(policy=email.policy.SMTP).as_bytes()  # as the SMTP mailer sends it


def test_a_long_ascii_header_stays_a_plain_address_mail_programs_can_read():
    """A long value with no space to fold at (a web address) must not be written as RFC 2047
    encoded words (=?utf-8?q?=3Chttps=3A//...), which a mail program would show or follow
    as gibberish: any header, not only List-Unsubscribe."""
    link = "<https://connect.example.org/knowledge/resources/" + "wave-3-learning-" * 8 + ">"
    archive = "https://connect.example.org/knowledge/notices/" + "a1b2c3d4" * 12 + "/"
    message = automated_email(
        subject="Hi",
        to="a@example.org",
        body="Hello",
        headers={"Link": f"{link}; rel=canonical", "Archived-At": f"<{archive}>"},
    )
    sent = _as_sent(message)
    assert len(link) > 78 and len(archive) > 78
    assert b"=?utf-8?" not in sent
    assert f"Link: {link}; rel=canonical\r\n".encode() in sent
    received = email.message_from_bytes(sent, policy=email.policy.compat32)
    assert received["Link"] == f"{link}; rel=canonical"
    assert received["Archived-At"] == f"<{archive}>"


def test_long_headers_still_fold_at_spaces_and_non_ascii_is_still_encoded():
    subject = "Wave 3 of the Core20PLUS Connectors programme is open " * 3
    message = automated_email(
        subject=subject.strip(), to="a@example.org", body="Hello", headers={"X-Note": "Café"}
    )
    sent = _as_sent(message)
    assert all(len(line) <= 78 for line in sent.split(b"\r\n"))
    received = email.message_from_bytes(sent, policy=email.policy.default)
    assert received["Subject"] == subject.strip()
    assert received["X-Note"] == "Café"
    assert b"X-Note: =?utf-8?" in sent


def test_send_all_sends_through_one_connection_leaving_out_nothing_to_send():
    one = automated_email(subject="One", to="a@example.org", body="1")
    two = automated_email(subject="Two", to=["b@example.org"], body="2")
    assert send_all([one, None, two]) == 2
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    assert send_all([None]) == 0


# ---- each kind of email the service sends ----


def test_a_routed_insight_is_automated(site, make_user):
    lead = make_user("site_lead")
    body = insight_helpers.body(site, lead, contacts=["cd@example.org"])
    insight_helpers.route(insight_helpers.insight(site, make_user("connector")), [body], lead)
    assert _automated(mail.outbox) == [("auto-generated", True)]


def test_the_interest_confirmation_and_team_notice_are_automated(site):
    _member(HC, site, "hal@example.org")
    connector = Connector.objects.create(site=site, name="Priya Shah", email="priya@example.org")
    assert send_interest_emails(connector, "https://connect.example.org") == 2
    assert [m.to for m in mail.outbox] == [["priya@example.org"], ["hal@example.org"]]
    assert _automated(mail.outbox) == [("auto-generated", True)] * 2


def test_a_training_reminder_is_automated(site, make_user):
    host = make_user("host_coordinator")
    connector = Connector.objects.create(site=site, name="Rita Recruit", email="rita@example.org")
    network.record_training(
        connector=connector,
        module=TrainingModule.objects.get(code="data-protection"),  # renewed every 12 months
        completed_on=timezone.localdate() - datetime.timedelta(days=365 - 20),
        by=host,
    )
    assert send_reminders().emails == 2
    assert sorted(m.to for m in mail.outbox) == [[host.email], ["rita@example.org"]]
    assert _automated(mail.outbox) == [("auto-generated", True)] * 2


def test_the_waiting_for_you_digest_is_automated(make_user, monkeypatch):
    monkeypatch.setattr(dashboard, "PROVIDERS", ("tests.web.fake_home",))
    monkeypatch.setattr(fake_home, "WAITING", [Waiting(1, "claim", "claims", "/hours/")])
    user = make_user("site_lead")
    assert digest.send_digests(today=datetime.date(2025, 5, 7)).sent == 1  # a Wednesday
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert _automated(mail.outbox) == [("auto-generated", True)]


def test_the_grant_status_link_is_automated(site):
    application = grant_helpers.application(grant_helpers.fund(site))
    grants.email_status_link(application, "https://connect.example.org/grants/status/x/")
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert _automated(mail.outbox) == [("auto-generated", True)]


def test_the_grant_decision_is_automated(site, make_user):
    application = grant_helpers.application(grant_helpers.fund(site))
    application = grant_helpers.award(application, make_user("site_lead"))
    grants.email_decision(application, "https://connect.example.org/grants/status/x/")
    assert "You have been awarded £300.00" in mail.outbox[0].body
    assert _automated(mail.outbox) == [("auto-generated", True)]


def test_an_invitation_is_automated():
    amina = UserFactory(email="amina@example.org")
    send_invitation(user=amina, request=RequestFactory().get("/"))
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert "/account/password-reset/" in mail.outbox[0].body
    assert _automated(mail.outbox) == [("auto-generated", True)]


def test_a_mailing_list_email_is_automated_and_keeps_its_unsubscribe_headers(
    make_user, django_capture_on_commit_callbacks
):
    admin = make_user("national_admin")
    knowledge_helpers.subscriber("pat@example.org")
    mailing = knowledge.create_mailing(data={"subject": "News", "body": "Hello"}, by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        knowledge.queue_mailing(mailing=mailing, base_url="https://example.org", by=admin)
    (message,) = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.message()["List-Unsubscribe"].startswith("<https://example.org/")
    assert _automated(mail.outbox) == [("auto-generated", True)]


def test_a_password_reset_is_automated(client, make_user):
    user = make_user("connector")
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "/account/password-reset/" in mail.outbox[0].body
    assert _automated(mail.outbox) == [("auto-generated", True)]
