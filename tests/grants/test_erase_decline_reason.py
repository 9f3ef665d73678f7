"""Erasing an applicant's details also clears the reason given for declining the application
(free text that can name or describe the applicant); that it was declined, and when, stays
(core20.grants.personal_data)."""

import datetime

import pytest
from django.utils import timezone

from core20.grants import actions
from core20.grants.models import Application
from core20.grants.personal_data import erase_application
from core20.web.retention import apply_retention
from tests.conftest import page_html
from tests.grants import helpers

pytestmark = pytest.mark.django_db

REASON = "Priya Shah already runs this club with money from the council."


@pytest.fixture
def lead(make_user):
    return make_user("site_lead", full_name="Lee Lead")


@pytest.fixture
def declined(site, lead) -> Application:
    application = helpers.application(
        helpers.fund(site),
        recipient_type=Application.RecipientType.INDIVIDUAL,
        group_name="Priya Shah",
        contact_name="Priya Shah",
    )
    return actions.decide(application=application, awarded=False, reason=REASON, by=lead)


def _decision(html: str) -> str:
    return html.split("<h2>Decision and payments</h2>")[1].split("<h2>")[0]


def test_erasure_clears_the_decline_reason_and_keeps_the_decision(declined, lead):
    decided_on = declined.decided_on

    erase_application(application=declined, by=lead, reason="She asked us to")

    stored = Application.objects.get(pk=declined.pk)
    assert stored.decline_reason == ""
    assert stored.status == Application.Status.DECLINED
    assert (stored.decided_on, stored.decided_by) == (decided_on, lead)


def test_the_application_page_says_the_reason_was_erased(declined, lead):
    before = _decision(page_html(lead, declined.get_absolute_url()))
    assert REASON in before and "erased" not in before

    erase_application(application=declined, by=lead, reason="She asked us to")

    after = _decision(page_html(lead, declined.get_absolute_url()))
    erased_at = timezone.localtime(Application.objects.get(pk=declined.pk).erased_at)
    decided = f"{declined.decided_on:%-d %B %Y}"
    assert REASON not in after and "Priya" not in after
    assert (
        f"Declined on {decided}. The reason given was erased with the applicant's details on "
        f"{erased_at:%-d %B %Y}." in after
    )


def test_the_retention_run_clears_it_too(declined):
    Application.objects.filter(pk=declined.pk).update(
        decided_on=helpers.today() - datetime.timedelta(days=400)
    )

    run = apply_retention(erase=True)

    assert run.erased["grants_declined"] == [declined.pk]
    stored = Application.objects.get(pk=declined.pk)
    assert (stored.status, stored.decline_reason) == (Application.Status.DECLINED, "")


def test_other_applications_keep_their_reasons(declined, lead, site):
    other = helpers.application(declined.fund, group_name="Riverside Walkers")
    actions.decide(application=other, awarded=False, reason="The fund is spent", by=lead)

    erase_application(application=declined, by=lead, reason="She asked us to")

    assert Application.objects.get(pk=other.pk).decline_reason == "The fund is spent"
    assert "The fund is spent" in page_html(lead, other.get_absolute_url())
