"""Connectors' personal data: a copy on request, erasure on request, and erasure at the end of
the retention period (core20.network.personal_data)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.accounts.models import Membership
from core20.audit.models import AuditEvent
from core20.hours import actions as hours_actions
from core20.hours.models import ExpenseClaim, HoursEntry, Payment
from core20.hours.personal_data import remove_receipts
from core20.network import actions
from core20.network.models import Check, CheckType, Connector, StatusChange
from core20.network.personal_data import erase_connector
from core20.web.retention import apply_retention
from tests.conftest import sign_in
from tests.engagement.helpers import activity
from tests.hours import helpers as hours
from tests.insights import helpers as insights
from tests.network.conftest import complete_requirements

Status = Connector.Status

# Receipts are saved: each test has its own folder.
pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def connie(site, people):
    """An active connector with an account, lived experience, confidential notes, a goal, a
    check, hours, a paid claim and a payment."""
    connector = Connector.objects.create(
        site=site,
        name="Connie Connector",
        email="connie@example.org",
        phone="07700 900123",
        motivation="My mum had a stroke",
        lived_experience="I care for my mum",
        lived_experience_consent=True,
        user=people["connector"],
    )
    host = people["host"]
    actions.change_status(connector=connector, to=Status.CONVERSATION, reason="Met Connie", by=host)
    actions.record_check(
        connector=connector,
        check_type=CheckType.objects.get(code="dbs", site=None),
        status=Check.Status.CLEAR,
        completed_on=timezone.localdate(),
        reference="001234567890",
        notes="Seen passport",
        by=host,
    )
    actions.add_support_note(
        connector=connector,
        kind="supervision",
        happened_on=timezone.localdate(),
        body="Talked about her caring role",
        by=host,
    )
    actions.raise_flag(connector=connector, level="watch", summary="Tired lately", by=host)
    actions.add_goal(connector=connector, title="Run a walking group", by=host)
    hours.log(connector, host, activity="Coffee morning")
    claim = hours.approved_claim(connector, host, people["lead"])
    hours_actions.mark_claim_paid(claim=claim, paid_on=timezone.localdate(), by=people["lead"])
    hours.payment(connector, host, benefits_considerations="Permitted work limit")
    connector.refresh_from_db()
    return connector


def _made_active(connector, by) -> None:
    """The connector role, which lets them record, is current only while active."""
    complete_requirements(connector, by)
    actions.change_status(connector=connector, to=Status.ACTIVE, by=by)


def _leave(connector, by, *, months_ago: int = 0) -> None:
    actions.change_status(connector=connector, to=Status.LEFT, reason="Moved away", by=by)
    if months_ago:
        then = timezone.now() - datetime.timedelta(days=31 * months_ago)
        Connector.objects.filter(pk=connector.pk).update(status_changed_at=then)
    connector.refresh_from_db()


def _url(name: str, connector: Connector) -> str:
    return reverse(f"network:{name}", args=[connector.site.slug, connector.pk])


# ---- a copy of what is held ----


def test_host_coordinator_downloads_everything_held_including_confidential_notes(client_as, connie):
    response = client_as("host").get(_url("connector-data", connie))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["connector"]["name"] == "Connie Connector"
    assert data["connector"]["email"] == "connie@example.org"
    assert data["connector"]["lived_experience"] == "I care for my mum"
    assert data["checks"][0]["reference"] == "001234567890"
    assert data["support_notes"][0]["body"] == "Talked about her caring role"
    assert data["wellbeing_flags"][0]["summary"] == "Tired lately"
    assert data["development_goals"][0]["title"] == "Run a walking group"
    assert data["hours"][0]["activity"] == "Coffee morning"
    assert data["expense_claims"][0]["status"] == "Paid"
    assert data["expense_claims"][0]["receipts"] == ["receipt.pdf"]
    assert data["payments"][0]["benefits_considerations"] == "Permitted work limit"
    assert [h["to_status"] for h in data["stage_history"]] == ["Conversation"]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.object_id == str(connie.pk) and event.actor_id is not None


@pytest.mark.parametrize(("who", "status"), [("lead", 403), ("admin", 403), ("other_host", 404)])
def test_only_the_sites_host_coordinators_download_a_connectors_data(
    client_as, connie, who, status
):
    assert client_as(who).get(_url("connector-data", connie)).status_code == status
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


def test_a_connector_downloads_their_own_data_without_confidential_notes(client_as, connie):
    response = client_as("connector").get(reverse("network:me-data"))

    assert response.status_code == 200
    (record,) = json.loads(response.content)["connector_records"]
    assert record["connector"]["lived_experience"] == "I care for my mum"
    assert record["hours"][0]["activity"] == "Coffee morning"
    assert "support_notes" not in record and "wellbeing_flags" not in record
    assert "Talked about her caring role" not in response.content.decode()


def test_a_removed_receipt_is_listed_with_the_date_it_went_and_no_name(client_as, connie):
    claim = ExpenseClaim.objects.get(connector=connie)
    remove_receipts(claim=claim, by=None, reason="Retention period ended: test")
    removed = f"Receipt removed on {timezone.localtime(claim.receipts.get().removed_at):%-d %B %Y}"

    own = client_as("connector").get(reverse("network:me-data"))
    (record,) = json.loads(own.content)["connector_records"]
    assert record["expense_claims"][0]["receipts"] == [removed]
    hosts = client_as("host").get(_url("connector-data", connie))
    assert json.loads(hosts.content)["expense_claims"][0]["receipts"] == [removed]
    assert "receipt.pdf" not in own.content.decode() + hosts.content.decode()


def test_the_copy_lists_the_activities_and_insights_they_recorded(
    client_as, people, connie, site, other_site
):
    me, lead = people["connector"], people["lead"]
    _made_active(connie, people["host"])
    activity(
        site,
        me,
        date=datetime.date(2026, 3, 2),
        kind="outreach",
        venue="Family hub",
        place="ST4 1AB",
        people_reached=14,
        notes="Busy morning at the hub",
    )
    activity(site, people["host"], venue="Someone else's stall")  # not theirs
    activity(other_site, me, venue="Another site's hall")  # not this record's site
    raised = insights.insight(site, me, summary="The bus to the surgery stopped running")
    insights.route(raised, [insights.body(site, lead, name="Riverside PCN")], lead)
    insights.insight(site, people["host"], summary="Someone else's insight")

    own = client_as("connector").get(reverse("network:me-data"))
    (record,) = json.loads(own.content)["connector_records"]
    hosts = json.loads(client_as("host").get(_url("connector-data", connie)).content)

    for copy in (record, hosts):
        assert copy["activities"] == [
            {
                "date": "2026-03-02",
                "kind": "Outreach",
                "venue": "Family hub",
                "place": "ST4 1AB",
                "people_reached": 14,
                "notes": "Busy morning at the hub",
            }
        ]
        (insight,) = copy["insights"]
        assert insight["kind"] == "Barrier"
        assert insight["summary"] == "The bus to the surgery stopped running"
        assert insight["raised_at"].startswith(timezone.localdate().isoformat())
        assert [s["decision_body"] for s in insight["sent_to"]] == ["Riverside PCN"]
    assert "Someone else" not in own.content.decode()


def test_the_copy_gives_the_date_of_each_expense_item(client_as, connie):
    item = ExpenseClaim.objects.get(connector=connie).items.get()

    own = client_as("connector").get(reverse("network:me-data"))
    (record,) = json.loads(own.content)["connector_records"]

    assert record["expense_claims"][0]["items"] == [
        {"date": item.date.isoformat(), "description": item.description, "amount": "4.50"}
    ]


def test_people_without_a_connector_record_have_no_copy_to_download(client_as, connie):
    assert client_as("host").get(reverse("network:me-data")).status_code == 404
    response = client_as("anonymous").get(reverse("network:me-data"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# ---- erasure on request ----


def test_erasing_removes_personal_details_and_keeps_the_counts(people, connie):
    _leave(connie, people["host"])

    erase_connector(connector=connie, by=people["host"], reason="She asked us to by email")

    connie.refresh_from_db()
    assert connie.name == f"Former connector {connie.pk}"
    assert (connie.email, connie.phone, connie.motivation, connie.lived_experience) == ("",) * 4
    assert not connie.lived_experience_consent and connie.user is None
    assert connie.erased_at is not None and connie.status == Status.LEFT
    assert not connie.support_notes.exists() and not connie.wellbeing_flags.exists()
    assert not connie.goals.exists()
    check = connie.checks.get()
    assert (check.reference, check.notes, check.status) == ("", "", Check.Status.CLEAR)
    assert set(StatusChange.objects.filter(connector=connie).values_list("reason", flat=True)) == {
        ""
    }
    # Finance keeps the hours, claims and payments, without the note about benefits.
    assert HoursEntry.objects.filter(connector=connie).count() == 1
    assert ExpenseClaim.objects.get(connector=connie).receipts.count() == 1
    assert Payment.objects.get(connector=connie).benefits_considerations == ""


def test_erasing_anonymises_an_account_with_no_other_role(people, connie):
    _leave(connie, people["host"])
    account = people["connector"]

    erase_connector(connector=connie, by=people["host"], reason="Asked")

    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert "Con" not in account.full_name and account.email.endswith("@erased.invalid")
    assert not Membership.objects.filter(user=account, ended_at__isnull=True).exists()


def test_the_erasure_writes_nothing_new_with_their_name(people, connie):
    _leave(connie, people["host"])
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    erase_connector(connector=connie, by=people["host"], reason="Asked")

    new = AuditEvent.objects.exclude(pk__in=before)
    assert new.count() == 2  # the connector record and the account
    for event in new:
        text = f"{event.object_label} {event.summary} {event.changes}"
        assert "Connie" not in text and "Con Nector" not in text and "connie@" not in text


def test_erasing_keeps_an_account_that_holds_another_role(people, connie, make_user, site):
    _leave(connie, people["host"])
    account = people["connector"]
    Membership.objects.create(user=account, role="panel_member", site=site)

    erase_connector(connector=connie, by=people["host"], reason="Asked")

    account.refresh_from_db()
    assert account.is_active and account.full_name == "Con Nector"
    assert Connector.objects.for_user(account).count() == 0
    assert not Membership.objects.filter(
        user=account, role="connector", ended_at__isnull=True
    ).exists()


def test_what_they_recorded_stays_but_is_no_longer_linked_to_a_kept_account(
    people, connie, site, other_site, client_as
):
    """Someone who is also on a grants panel keeps their account after their connector
    details are erased: the activities and insights they recorded at the site stay as
    community evidence, but no longer carry their name for the site's team."""
    account = people["connector"]
    Membership.objects.create(user=account, role="panel_member", site=site)
    # Recorded while they were active (leaving ends their connector role at the site).
    _made_active(connie, people["host"])
    here = activity(site, account, venue="Family hub", people_reached=14)
    elsewhere = activity(other_site, account, venue="Another site's hall")
    raised = insights.insight(site, account, summary="The bus to the surgery stopped running")
    _leave(connie, people["host"])

    erase_connector(connector=connie, by=people["host"], reason="Asked")

    here.refresh_from_db()
    raised.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (here.recorded_by, here.people_reached) == (None, 14)
    assert raised.raised_by is None and raised.summary == "The bus to the surgery stopped running"
    assert elsewhere.recorded_by == account  # another site's record is not theirs to erase
    page = client_as("lead").get(raised.get_absolute_url()).content.decode()
    assert "The bus to the surgery stopped running" in page
    assert "Con Nector" not in page


def test_the_erasure_is_audited_without_the_name(people, connie):
    _leave(connie, people["host"])

    erase_connector(connector=connie, by=people["host"], reason="She asked us to")

    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.DELETE, object_id=str(connie.pk)).get(
        object_type="network.Connector"
    )
    assert event.object_label == f"Former connector {connie.pk}"
    assert "Connie" not in event.summary and "She asked us to" in event.summary


def _make_active(connector) -> None:
    Connector.objects.filter(pk=connector.pk).update(status=Status.ACTIVE)
    connector.refresh_from_db()


def test_someone_still_working_must_leave_before_erasure(people, connie):
    _make_active(connie)
    with pytest.raises(ValidationError, match="Record that they have left"):
        erase_connector(connector=connie, by=people["host"], reason="Asked")
    connie.refresh_from_db()
    assert connie.name == "Connie Connector" and connie.support_notes.exists()


def test_unsettled_expense_claims_must_be_settled_before_erasure(people, connie):
    hours.submitted_claim(connie, people["host"], title="Bus fares in May")
    _leave(connie, people["host"])

    with pytest.raises(ValidationError, match="waiting to be decided or paid"):
        erase_connector(connector=connie, by=people["host"], reason="Asked")


def test_an_expression_of_interest_can_be_erased_and_leaves_the_pipeline(people, recruit):
    erase_connector(connector=recruit, by=people["host"], reason="Changed their mind")

    recruit.refresh_from_db()
    assert recruit.status == Status.LEFT and recruit.name.startswith("Former connector")
    assert recruit.history.get().reason == "Personal details erased"


def test_nothing_more_is_added_to_an_erased_record(people, recruit):
    erase_connector(connector=recruit, by=people["host"], reason="Asked")

    with pytest.raises(ValidationError, match="erased"):
        actions.update_connector(connector=recruit, data={"name": "Rita"}, by=people["host"])
    with pytest.raises(ValidationError, match="erased"):
        actions.change_status(connector=recruit, to=Status.CONVERSATION, by=people["host"])
    with pytest.raises(ValidationError, match="already been erased"):
        erase_connector(connector=recruit, by=people["host"], reason="Again")
    recruit.refresh_from_db()
    with pytest.raises(ValidationError, match="erased"):
        hours.log(recruit, people["host"])
    with pytest.raises(ValidationError, match="erased"):
        hours.payment(recruit, people["lead"])


def test_the_erase_page_confirms_then_erases(client_as, people, connie):
    _leave(connie, people["host"])
    client = client_as("host")
    page = client.get(_url("connector-erase", connie))
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()

    unconfirmed = client.post(_url("connector-erase", connie), {"reason": "Asked"})
    assert unconfirmed.status_code == 200
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    connie.refresh_from_db()
    assert connie.erased_at is None

    done = client.post(_url("connector-erase", connie), {"reason": "Asked", "confirm": "on"})
    assert done.status_code == 302
    detail = client.get(done["Location"]).content.decode()
    assert "Their personal details have been erased." in detail
    assert "Connie" not in detail
    assert "Change stage" not in detail


def test_the_erase_page_says_why_it_cannot_erase_yet(client_as, connie):
    _make_active(connie)
    client = client_as("host")
    page = client.get(_url("connector-erase", connie)).content.decode()
    assert "Record that they have left" in page

    client.post(_url("connector-erase", connie), {"reason": "Asked", "confirm": "on"})
    connie.refresh_from_db()
    assert connie.erased_at is None


@pytest.mark.parametrize(("who", "status"), [("lead", 403), ("admin", 403), ("other_host", 404)])
def test_only_the_sites_host_coordinators_erase(client_as, people, connie, who, status):
    _leave(connie, people["host"])
    client = client_as(who)
    assert client.get(_url("connector-erase", connie)).status_code == status
    post = client.post(_url("connector-erase", connie), {"reason": "Asked", "confirm": "on"})
    assert post.status_code == status
    connie.refresh_from_db()
    assert connie.erased_at is None


def test_the_connector_page_offers_the_copy_and_erasure_to_host_coordinators_only(
    client_as, connie
):
    for who, shown in (("host", True), ("lead", False), ("admin", False)):
        html = client_as(who).get(connie.get_absolute_url()).content.decode()
        assert (_url("connector-erase", connie) in html) is shown, who
        assert (_url("connector-data", connie) in html) is shown, who


# ---- retention ----


@pytest.fixture
def pipeline(site, people):
    """Connectors at each point the retention rules look at."""
    host = people["host"]
    now = timezone.now()

    def made(name, status, months_ago):
        connector = Connector.objects.create(
            site=site, name=name, email=f"{name.lower()}@example.org", status=status
        )
        changed = now - datetime.timedelta(days=round(30.44 * months_ago))
        Connector.objects.filter(pk=connector.pk).update(status_changed_at=changed)
        return connector

    return {
        "left_long_ago": made("Lena", Status.LEFT, 25),
        "left_recently": made("Lucy", Status.LEFT, 23),
        "interest_stale": made("Ivan", Status.INTERESTED, 13),
        "conversation_recent": made("Cara", Status.CONVERSATION, 11),
        "active_for_years": made("Ada", Status.ACTIVE, 40),
        "host": host,
    }


def test_retention_finds_who_left_long_ago_and_stale_interest(pipeline):
    run = apply_retention(erase=False)

    assert run.due["connectors_left"] == [pipeline["left_long_ago"].pk]
    assert run.due["connectors_interest"] == [pipeline["interest_stale"].pk]
    assert run.erased["connectors_left"] == run.erased["connectors_interest"] == []
    assert not Connector.objects.filter(erased_at__isnull=False).exists()


def test_retention_periods_come_from_settings(pipeline, settings):
    settings.CONNECTOR_RETENTION_MONTHS = 22
    settings.INTEREST_RETENTION_MONTHS = 10

    run = apply_retention(erase=False)

    assert set(run.due["connectors_left"]) == {
        pipeline["left_long_ago"].pk,
        pipeline["left_recently"].pk,
    }
    assert set(run.due["connectors_interest"]) == {
        pipeline["interest_stale"].pk,
        pipeline["conversation_recent"].pk,
    }


def test_the_retention_command_lists_then_erases_once(pipeline, capsys):
    call_command("apply_retention")
    listed = capsys.readouterr().out
    assert "1 connector(s) who left more than 24 months ago" in listed
    assert "Nothing erased" in listed
    assert Connector.objects.get(pk=pipeline["left_long_ago"].pk).name == "Lena"

    call_command("apply_retention", "--erase")
    erasing = capsys.readouterr().out
    assert "1 connector(s) who left more than 24 months ago" in erasing
    assert "(erased 1)" in erasing
    erased = Connector.objects.filter(erased_at__isnull=False)
    assert set(erased.values_list("pk", flat=True)) == {
        pipeline["left_long_ago"].pk,
        pipeline["interest_stale"].pk,
    }
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.DELETE).first()
    assert event.actor_label == "System" and "Retention period ended" in event.summary

    call_command("apply_retention", "--erase")
    assert "0 connector(s) who left" in capsys.readouterr().out


def test_retention_waits_for_unsettled_claims(pipeline, people):
    lena = pipeline["left_long_ago"]
    claim = hours.submitted_claim(lena, people["host"])
    assert lena.pk not in apply_retention(erase=False).due["connectors_left"]

    claim.status = ExpenseClaim.Status.PAID
    claim.save()
    assert lena.pk in apply_retention(erase=False).due["connectors_left"]


def test_erased_connector_page_is_still_reachable_by_managers(client_as, people, recruit):
    erase_connector(connector=recruit, by=people["host"], reason="Asked")
    for who in ("host", "lead", "admin"):
        response = client_as(who).get(recruit.get_absolute_url())
        assert response.status_code == 200
        assert "were erased on" in response.content.decode()


def test_a_signed_in_connector_no_longer_sees_an_erased_record(people, connie):
    _leave(connie, people["host"])
    erase_connector(connector=connie, by=people["host"], reason="Asked")
    client = Client()
    sign_in(client, people["connector"])
    # The account was anonymised and switched off: it no longer opens pages.
    assert client.get(reverse("network:me")).status_code in (302, 403)


def test_the_privacy_notice_gives_the_retention_periods_in_force(client, settings):
    settings.CONNECTOR_RETENTION_MONTHS = 36
    settings.INTEREST_RETENTION_MONTHS = 6
    settings.GRANT_DECLINED_RETENTION_MONTHS = 18
    settings.GRANT_AWARDED_RETENTION_MONTHS = 84
    settings.ACCOUNT_RETENTION_MONTHS = 30
    settings.SELECTION_RETENTION_MONTHS = 9

    html = client.get(reverse("web:privacy")).content.decode()
    assert "erased 18 months after a decline, or 84 months after an award" in html
    assert "not signed in for 30 months, your account is anonymised" in html
    assert "the contact's details are erased after 9 months" in html

    assert "erased automatically 36 months after you left" in html
    assert "or 6 months after you were last in touch" in html


def test_the_connector_home_offers_their_copy(client_as, connie):
    html = client_as("connector").get(reverse("network:me")).content.decode()
    assert reverse("network:me-data") in html
    assert (
        reverse("network:me-data")
        not in client_as("host").get(reverse("network:me")).content.decode()
    )
