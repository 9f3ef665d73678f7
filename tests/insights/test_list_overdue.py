"""The insights list marks a response that is overdue, as the dashboard counts it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core20.insights import actions
from core20.insights.models import Routing
from tests.conftest import page_html
from tests.insights.helpers import body, insight, route

OVERDUE = '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>'


@pytest.fixture
def sent(site, organisation, make_user):
    lead = make_user("site_lead")
    to = body(site, lead, organisation=organisation)
    (routing,) = route(insight(site, lead), [to], lead)
    return routing, lead, make_user("decision_maker")


def due(routing: Routing, days_from_today: int) -> None:
    today = timezone.localdate()
    Routing.objects.filter(pk=routing.pk).update(due_on=today + timedelta(days=days_from_today))


@pytest.mark.django_db
def test_a_response_past_its_due_date_is_marked_overdue_for_both_sides(sent):
    routing, lead, decision_maker = sent
    due(routing, -1)
    for user in (lead, decision_maker):
        assert OVERDUE in page_html(user, reverse("insights:insight-list"))


@pytest.mark.django_db
def test_a_response_due_today_is_not_overdue(sent):
    routing, lead, _ = sent
    due(routing, 0)
    assert OVERDUE not in page_html(lead, reverse("insights:insight-list"))


@pytest.mark.django_db
def test_once_answered_it_is_no_longer_overdue(sent):
    routing, _, decision_maker = sent
    due(routing, -5)
    actions.respond(routing=routing, kind="acknowledged", by=decision_maker)
    html = page_html(decision_maker, reverse("insights:insight-list"))
    assert "(responded)" in html and OVERDUE not in html
