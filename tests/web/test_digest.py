"""The "waiting for you" email (core20.web.digest): the home page's list of what waits for
someone, emailed on working days (or weekly, or never) to people with a role and something
waiting; sent once a day however often it runs."""

import datetime
import io
import subprocess

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core20.accounts.actions import erase_account, revoke_role
from core20.accounts.models import User
from core20.accounts.roles import ROLES
from core20.network.models import Connector
from core20.web import daily, dashboard, digest
from core20.web.dashboard import Waiting
from tests.conftest import page_html
from tests.production_env import production_check
from tests.web import fake_home

pytestmark = pytest.mark.django_db

SERVICE = "https://connect.example.nhs.uk"
# May 2025: Monday 5 is the early May bank holiday.
BANK_HOLIDAY_MONDAY = datetime.date(2025, 5, 5)
TUESDAY_AFTER_IT = datetime.date(2025, 5, 6)
WEDNESDAY = datetime.date(2025, 5, 7)
SATURDAY = datetime.date(2025, 5, 10)
SUNDAY = datetime.date(2025, 5, 11)
MONDAY = datetime.date(2025, 5, 12)
TUESDAY = datetime.date(2025, 5, 13)
NEXT_WEDNESDAY = datetime.date(2025, 5, 14)

Frequency = User.DigestFrequency


@pytest.fixture(autouse=True)
def service_url(settings):
    settings.SERVICE_URL = SERVICE


@pytest.fixture
def waiting(monkeypatch):
    """What the dashboard shows everyone: set by the test."""
    monkeypatch.setattr(dashboard, "PROVIDERS", ("tests.web.fake_home",))
    items = [
        Waiting(3, "expense claim to decide", "expense claims to decide", "/hours/", overdue=1),
        Waiting(1, "insight to answer", "insights to answer", "/insights/"),
    ]
    monkeypatch.setattr(fake_home, "WAITING", items)
    return items


def _to(day: datetime.date) -> list[str]:
    """Who was emailed, after one run on ``day``."""
    before = len(mail.outbox)
    digest.send_digests(today=day)
    return [message.to[0] for message in mail.outbox[before:]]


# ---- who gets it ----


def test_everyone_with_a_role_gets_it_every_working_day_by_default(waiting, make_user):
    lead = make_user("site_lead")
    connector = make_user("connector")

    assert lead.digest_frequency == Frequency.DAILY
    assert sorted(_to(WEDNESDAY)) == sorted([lead.email, connector.email])
    assert sorted(_to(TUESDAY)) == sorted([lead.email, connector.email])


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda user: User.objects.filter(pk=user.pk).update(is_active=False), id="off"
        ),
        pytest.param(
            lambda user: erase_account(
                user=user, by=None, reason="asked", roles=user.memberships.all()
            ),
            id="erased",
        ),
        pytest.param(
            lambda user: revoke_role(membership=user.memberships.get(), by=None), id="no role"
        ),
        pytest.param(
            lambda user: User.objects.filter(pk=user.pk).update(digest_frequency=Frequency.NEVER),
            id="chose never",
        ),
    ],
)
def test_these_people_get_nothing(waiting, make_user, change):
    user = make_user("host_coordinator")
    change(user)
    assert _to(WEDNESDAY) == []


def test_a_user_with_no_role_at_all_gets_nothing(waiting, make_user):
    make_user(None)
    assert _to(WEDNESDAY) == []


def test_nothing_waiting_sends_nothing(waiting, make_user):
    make_user("site_lead")
    waiting.clear()

    result = digest.send_digests(today=WEDNESDAY)

    assert mail.outbox == []
    assert (result.sent, result.nothing_waiting) == (0, 1)


@pytest.mark.parametrize("day", [SATURDAY, SUNDAY, BANK_HOLIDAY_MONDAY], ids=str)
def test_nothing_goes_at_weekends_or_on_bank_holidays(waiting, make_user, day):
    make_user("site_lead")
    make_user("connector", digest_frequency=Frequency.WEEKLY)
    assert _to(day) == []


def test_weekly_goes_on_mondays_only(waiting, make_user):
    weekly = make_user("site_lead", digest_frequency=Frequency.WEEKLY)
    daily_user = make_user("connector")

    assert sorted(_to(MONDAY)) == sorted([weekly.email, daily_user.email])
    assert _to(TUESDAY) == [daily_user.email]
    assert _to(NEXT_WEDNESDAY) == [daily_user.email]


def test_weekly_goes_on_the_tuesday_after_a_bank_holiday_monday(waiting, make_user):
    weekly = make_user("site_lead", digest_frequency=Frequency.WEEKLY)

    assert _to(BANK_HOLIDAY_MONDAY) == []
    assert _to(TUESDAY_AFTER_IT) == [weekly.email]
    assert _to(WEDNESDAY) == []


def test_the_first_working_day_of_each_week():
    assert digest.first_working_day_of_week(WEDNESDAY) == TUESDAY_AFTER_IT
    assert digest.first_working_day_of_week(SUNDAY) == TUESDAY_AFTER_IT
    assert digest.first_working_day_of_week(TUESDAY) == MONDAY
    # Easter 2025: Good Friday 18 April, Easter Monday 21 April.
    assert digest.first_working_day_of_week(datetime.date(2025, 4, 24)) == datetime.date(
        2025, 4, 22
    )


# ---- once a day ----


def test_a_second_run_the_same_day_sends_nothing_new(waiting, make_user):
    user = make_user("site_lead")

    assert _to(WEDNESDAY) == [user.email]
    assert _to(WEDNESDAY) == []
    user.refresh_from_db()
    assert user.digest_sent_on == WEDNESDAY
    assert _to(datetime.date(2025, 5, 8)) == [user.email]  # the next working day


def test_someone_claimed_by_another_run_is_not_sent_twice(waiting, make_user, monkeypatch):
    """Two runs at once: the send is claimed first, so only one of them sends."""
    user = make_user("site_lead")
    real = digest.dashboard_for

    def meanwhile_another_run_sends(person, *args, **kwargs):
        User.objects.filter(pk=person.pk).update(digest_sent_on=WEDNESDAY)
        return real(person, *args, **kwargs)

    monkeypatch.setattr(digest, "dashboard_for", meanwhile_another_run_sends)

    assert _to(WEDNESDAY) == []
    user.refresh_from_db()
    assert user.digest_sent_on == WEDNESDAY


# ---- what it says ----


def test_the_email_lists_each_thing_with_counts_overdue_and_links(waiting, make_user):
    make_user("site_lead", full_name="Lee Lead", email="lee@example.org")

    _to(WEDNESDAY)

    (message,) = mail.outbox
    assert message.to == ["lee@example.org"]
    assert message.subject == "Waiting for you: 4 things (1 overdue)"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    body = message.body
    assert body.startswith("Hello Lee Lead,\n\nWaiting for you in Core20 Connect:\n")
    assert f"- 3 expense claims to decide (1 overdue)\n  {SERVICE}/hours/\n" in body
    assert f"- 1 insight to answer\n  {SERVICE}/insights/\n" in body
    assert "1 insight to answer (" not in body  # nothing overdue says nothing
    profile = f"{SERVICE}{reverse('accounts:profile')}#digest"
    assert (
        "To change how often we email you this, or to stop these emails, go to your "
        f"account:\n{profile}\n"
    ) in body


def test_the_subject_counts_one_thing_and_leaves_out_overdue_when_none(waiting, make_user):
    make_user("site_lead")
    waiting[:] = [Waiting(1, "insight to answer", "insights to answer", "/insights/")]

    _to(WEDNESDAY)

    assert mail.outbox[0].subject == "Waiting for you: 1 thing"


def test_the_email_shows_what_the_home_page_shows(make_user, site):
    """The real providers: a new expression of interest at the coordinator's site."""
    host = make_user("host_coordinator")
    Connector.objects.create(site=site, name="Rita Recruit", email="rita@example.org")
    home = page_html(host, reverse("web:home"))

    _to(WEDNESDAY)

    (message,) = mail.outbox
    url = reverse("network:site-connectors", args=[site.slug]) + "?stage=interested"
    assert "1 new expression of interest" in home
    assert f"- 1 new expression of interest\n  {SERVICE}{url}" in message.body
    assert "Rita" not in message.body  # counts and links, nobody's details


@pytest.mark.parametrize("role", ROLES)
def test_every_role_s_list_is_gathered_without_a_request(make_user, role):
    make_user(role)

    result = digest.send_digests(today=WEDNESDAY)

    assert result.sent + result.nothing_waiting == 1 and result.failed == 0


def test_a_failed_send_is_counted_and_the_others_still_go(waiting, make_user, monkeypatch):
    first = make_user("site_lead")
    second = make_user("connector")
    real = digest.message

    def broken_for_first(user, items):
        if user.pk == first.pk:
            raise ConnectionError("mail server unreachable")
        return real(user, items)

    monkeypatch.setattr(digest, "message", broken_for_first)

    result = digest.send_digests(today=WEDNESDAY)

    assert (result.sent, result.failed) == (1, 1)
    assert [m.to[0] for m in mail.outbox] == [second.email]


# ---- how it runs ----


def test_the_people_and_their_roles_are_loaded_in_two_queries(waiting, make_user, other_site):
    for _ in range(3):
        make_user("site_lead")
        make_user("host_coordinator", scope_site=other_site)

    with CaptureQueriesContext(connection) as loading:
        people = list(digest.recipients(WEDNESDAY))
    with CaptureQueriesContext(connection) as reading:
        roles = [m.site.name for person in people for m in person.cached_memberships]
        frequencies = {person.digest_frequency for person in people}

    assert len(people) == 6 and len(roles) == 6 and frequencies == {Frequency.DAILY}
    assert len(loading) == 2
    assert len(reading) == 0


def test_the_command_sends_them(waiting, make_user):
    user = make_user("site_lead")
    out = io.StringIO()

    call_command("send_digests", "--date", WEDNESDAY.isoformat(), stdout=out)

    assert 'Sent 1 "waiting for you" email(s)' in out.getvalue()
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_the_command_fails_when_an_email_could_not_be_sent(waiting, make_user, monkeypatch):
    make_user("site_lead")
    monkeypatch.setattr(digest, "message", lambda user, items: 1 / 0)

    with pytest.raises(CommandError, match="1 email\\(s\\) could not be sent"):
        call_command("send_digests", "--date", WEDNESDAY.isoformat(), stdout=io.StringIO())


def test_the_daily_run_sends_them_last(waiting, make_user, monkeypatch):
    user = make_user("site_lead")
    monkeypatch.setattr(digest.timezone, "localdate", lambda: WEDNESDAY)

    results = daily.run_daily_jobs()

    assert [r.name for r in results][-1] == "Waiting for you emails"
    assert results[-1].ok
    assert results[-1].message.startswith('sent 1 "waiting for you" email(s)')
    assert [m.to for m in mail.outbox if m.subject.startswith("Waiting for you")] == [[user.email]]


# ---- the service's address ----


def _production_check(tmp_path, **variables) -> subprocess.CompletedProcess:
    return production_check(tmp_path, without=("SERVICE_URL",), **variables)


@pytest.mark.parametrize(
    ("variables", "error"),
    [
        ({}, "Set the environment variable SERVICE_URL"),
        ({"SERVICE_URL": "http://connect.example.nhs.uk"}, "SERVICE_URL must be the service's"),
    ],
    ids=["missing", "not https"],
)
def test_production_needs_the_https_address_of_the_service(tmp_path, variables, error):
    result = _production_check(tmp_path, **variables)
    assert result.returncode != 0
    assert error in result.stderr


def test_production_starts_with_an_https_address(tmp_path):
    result = _production_check(tmp_path, SERVICE_URL="https://connect.example.nhs.uk/")
    assert result.returncode == 0, result.stderr
