"""Fixes from walking the bridge as a council decision-maker: an action still to do cannot be
given a due date in the past (it was saved already overdue); each response says who in the
organisation gave it; the response options say what each means; naming an API token gets a
plain error; and marking an action done on its page is recorded in the audit log (the form
had already changed the action before the change was compared)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.insights import actions
from core20.insights.models import Action
from tests.conftest import client_for, page_html
from tests.insights import helpers

pytestmark = pytest.mark.django_db

PAST_DUE = "The due date must be today or in the future"


@pytest.fixture
def people(make_user):
    return {"host": make_user("host_coordinator"), "decider": make_user("decision_maker")}


@pytest.fixture
def sent(site, organisation, people):
    body = helpers.body(site, people["host"], organisation=organisation, name="Council board")
    insight = helpers.insight(site, people["host"], summary="No phone line to book a check.")
    (routing,) = helpers.route(insight, [body], people["host"])
    return routing


def _action_form(due_on, status="planned", **more):
    return {
        "description": "Add the booking phone line to the letter",
        "owner": "Commissioning lead",
        "due_on": due_on.isoformat(),
        "status": status,
        **more,
    }


# ---- 1. an action still to do cannot be due in the past ----


def test_a_new_action_due_in_the_past_is_refused_with_the_reason(people, sent):
    client = client_for(people["decider"])
    url = reverse("insights:action-create", args=[sent.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    refused = client.post(url, _action_form(yesterday))
    assert refused.status_code == 200
    page = refused.content.decode()
    assert PAST_DUE in page and 'href="#id_due_on"' in page
    assert not Action.objects.exists()
    # Today is fine, and so is a past date for an action already done.
    assert client.post(url, _action_form(timezone.localdate())).status_code == 302
    done = _action_form(yesterday, status="done", outcome="The letter now gives the number")
    assert client.post(url, done).status_code == 302
    assert Action.objects.count() == 2


def test_an_overdue_action_can_still_be_updated_but_not_moved_into_the_past(people, sent):
    action = actions.add_action(
        routing=sent,
        data={
            "description": "Add the booking phone line to the letter",
            "owner": "Commissioning lead",
            "due_on": timezone.localdate() + timedelta(days=3),
            "status": "planned",
        },
        by=people["decider"],
    )
    last_week = timezone.localdate() - timedelta(days=7)
    Action.objects.filter(pk=action.pk).update(due_on=last_week)  # it became overdue
    client = client_for(people["decider"])
    url = reverse("insights:action-edit", args=[action.pk])
    # Saying work has started, without touching its date, is allowed.
    assert client.post(url, _action_form(last_week, status="in_progress")).status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    # Moving it to another past date is not.
    refused = client.post(url, _action_form(last_week + timedelta(days=2), status="in_progress"))
    assert refused.status_code == 200 and PAST_DUE in refused.content.decode()
    action.refresh_from_db()
    assert action.due_on == last_week


# ---- 2. each response says who gave it ----


def test_each_response_says_who_in_the_organisation_gave_it(people, sent, make_user):
    colleague = make_user("decision_maker")
    actions.respond(routing=sent, kind="acknowledged", by=people["decider"])
    actions.respond(routing=sent, kind="action_agreed", text="We will add it", by=colleague)
    page = page_html(people["decider"], sent.get_absolute_url())
    assert f"By {people['decider'].full_name}</p>" in page
    assert f"By {colleague.full_name}</p>" in page
    # The site team sees it too.
    assert f"By {colleague.full_name}</p>" in page_html(people["host"], sent.get_absolute_url())


# ---- 3. the response options say what each means ----


def test_the_response_form_says_what_each_option_means(people, sent):
    page = page_html(people["decider"], reverse("insights:routing-respond", args=[sent.pk]))
    assert "Acknowledged: you have read it and will take it into account." in page
    assert "Declined: you will not act on it, and say why." in page


# ---- 4. naming an API token ----


def test_an_api_token_without_a_name_says_what_to_enter(people):
    response = client_for(people["decider"]).post(reverse("accounts:tokens"), {"name": ""})
    page = response.content.decode()
    assert "Enter a name for the token" in page
    assert "This field is required." not in page


# ---- 5. the audit log records what an update through the page changed ----


def test_marking_an_action_done_on_the_page_is_recorded_in_the_audit_log(people, sent):
    action = actions.add_action(
        routing=sent,
        data={
            "description": "Add the booking phone line to the letter",
            "owner": "Commissioning lead",
            "due_on": timezone.localdate() + timedelta(days=3),
            "status": "planned",
        },
        by=people["decider"],
    )
    due_on = timezone.localdate() + timedelta(days=3)
    response = client_for(people["decider"]).post(
        reverse("insights:action-edit", args=[action.pk]),
        _action_form(due_on, status="done", outcome="The letter now gives the phone line"),
    )
    assert response.status_code == 302
    event = AuditEvent.objects.filter(verb="update", object_type="insights.Action").get()
    assert event.changes["status"] == ["planned", "done"]
    assert event.changes["outcome"] == ["", "The letter now gives the phone line"]


def test_an_action_marked_done_says_what_was_done(people, sent):
    """What was done is what the site can tell the community ("you said, we did")."""
    client = client_for(people["decider"])
    url = reverse("insights:action-create", args=[sent.pk])
    today = timezone.localdate()

    refused = client.post(url, _action_form(today, status="done"))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert actions.ACTION_OUTCOME_NEEDED in page and 'href="#id_outcome"' in page
    assert not Action.objects.exists()
    done = _action_form(today, status="done", outcome="The letter now gives the number")
    assert client.post(url, done).status_code == 302
