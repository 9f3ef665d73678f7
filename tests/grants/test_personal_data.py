"""Micro-grant applicants' contact details: erased on request once decided, and at the end of
the retention period (core20.grants.personal_data, core20.web.retention)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.grants import actions
from core20.grants.models import Application
from core20.grants.personal_data import erase_application
from core20.web.retention import apply_retention
from tests.conftest import client_for
from tests.grants import helpers


@pytest.fixture
def lead(make_user):
    return make_user("site_lead", full_name="Lee Lead")


@pytest.fixture
def fund(site):
    return helpers.fund(site)


def _individual(fund):
    return helpers.application(
        fund,
        recipient_type=Application.RecipientType.INDIVIDUAL,
        group_name="Priya Shah",
        contact_name="Priya Shah",
        contact_email="priya@example.org",
        contact_phone="07700 900456",
        purpose="I have diabetes and want to start a cooking club.",
        places_note="Near my flat on Hill Street",
    )


def _decline(application, by, days_ago=0):
    actions.decide(
        application=application,
        awarded=False,
        reason="Outside what the fund pays for",
        decided_on=helpers.today() - datetime.timedelta(days=days_ago),
        by=by,
    )
    application.refresh_from_db()
    return application


def test_erasing_a_groups_application_keeps_the_group_and_the_money(fund, lead):
    application = helpers.award(helpers.application(fund), lead)
    old_link = reverse("grants:status", args=[application.token])

    erase_application(application=application, by=lead, reason="Sam asked us to")

    application.refresh_from_db()
    assert (application.contact_name, application.contact_email) == ("", "")
    assert application.group_name == "Riverside Walkers"
    assert application.purpose.startswith("Weekly walks")
    assert application.amount_awarded == application.amount_requested
    assert application.erased_at is not None
    # The private link the applicant had no longer opens anything.
    assert client_for(None).get(old_link).status_code == 404


def test_erasing_an_individuals_application_removes_what_describes_them(fund, lead):
    application = _decline(_individual(fund), lead)

    erase_application(application=application, by=lead, reason="She asked us to")

    application.refresh_from_db()
    assert application.group_name == "An individual"
    assert (application.contact_name, application.contact_phone, application.purpose) == (
        "",
        "",
        "",
    )
    assert application.places_note == ""
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DELETE)
    assert "Priya" not in event.object_label + event.summary
    assert "She asked us to" in event.summary


def test_an_undecided_application_cannot_be_erased(fund, lead):
    application = helpers.application(fund)
    with pytest.raises(ValidationError, match="Decide it before"):
        erase_application(application=application, by=lead, reason="Asked")
    application.refresh_from_db()
    assert application.contact_email == "sam@example.org"


def test_the_erase_page_erases_once_confirmed(fund, lead):
    application = _decline(helpers.application(fund), lead)
    client = client_for(lead)
    url = reverse("grants:application-erase", args=[application.pk])
    detail = client.get(application.get_absolute_url()).content.decode()
    assert url in detail

    page = client.post(url, {"reason": "Asked"}).content.decode()
    assert "Tick the box to confirm" in page
    application.refresh_from_db()
    assert application.erased_at is None

    done = client.post(url, {"reason": "Asked", "confirm": "on"})
    assert done.status_code == 302
    shown = client.get(done["Location"]).content.decode()
    assert "contact details have been erased" in shown
    assert "sam@example.org" not in shown and url not in shown


def test_the_erase_page_says_to_decide_first(fund, lead):
    application = helpers.application(fund)
    url = reverse("grants:application-erase", args=[application.pk])
    page = client_for(lead).get(url)
    assert "Decide it before erasing the details" in page.content.decode()
    assert url not in client_for(lead).get(application.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["community_member", "connector", "national_analyst"])
def test_people_who_do_not_manage_the_fund_cannot_erase(fund, lead, make_user, role):
    application = _decline(helpers.application(fund), lead)
    client = client_for(make_user(role))
    url = reverse("grants:application-erase", args=[application.pk])
    response = client.post(url, {"reason": "Asked", "confirm": "on"})
    assert response.status_code in (403, 404)
    application.refresh_from_db()
    assert application.erased_at is None


def test_retention_erases_decided_applications_after_their_periods(fund, lead, capsys):
    declined_long_ago = _decline(helpers.application(fund, group_name="Old"), lead, days_ago=400)
    declined_recently = _decline(helpers.application(fund, group_name="New"), lead, days_ago=300)
    awarded = helpers.award(helpers.application(fund, amount="100.00"), lead)
    Application.objects.filter(pk=awarded.pk).update(
        decided_on=helpers.today() - datetime.timedelta(days=365 * 6 + 40)
    )
    undecided = helpers.application(fund, group_name="Waiting")

    run = apply_retention(erase=False)
    assert run.due["grants_declined"] == [declined_long_ago.pk]
    assert run.due["grants_awarded"] == [awarded.pk]

    call_command("apply_retention", "--erase")
    out = capsys.readouterr().out
    assert "1 micro-grant application(s) declined more than 12 months ago" in out
    assert "1 micro-grant application(s) awarded more than 72 months ago" in out
    erased = set(Application.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {declined_long_ago.pk, awarded.pk}
    assert declined_recently.pk not in erased and undecided.pk not in erased
    assert not apply_retention(erase=False).due["grants_declined"]


def test_360giving_open_data_still_lists_an_erased_award(fund, lead):
    application = helpers.award(helpers.application(fund), lead)
    erase_application(application=application, by=lead, reason="Asked")

    data = json.loads(client_for(None).get(reverse("grants:export-json")).content)

    (grant,) = data["grants"]
    assert grant["amountAwarded"] == float(application.amount_requested)
    assert grant["recipientOrganization"][0]["name"] == "Riverside Walkers"
