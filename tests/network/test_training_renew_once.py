"""Training to renew is about each connector's latest completion of each module: two
completions of a module recorded for the same day are one, on the dashboard, the connector
home and the API alike."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.accounts.actions import create_api_token
from core20.network import actions, home
from core20.network.models import Connector, TrainingCompletion, TrainingModule
from tests.conftest import page_html, queries_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAPSED_ON = TODAY - datetime.timedelta(days=400)  # data protection lasts 12 months


def _entries(user) -> dict[str, home.Waiting]:
    return {entry.text: entry for entry in home.waiting(user)}


def _record(connector, code: str, completed_on: datetime.date, by) -> TrainingCompletion:
    return actions.record_training(
        connector=connector,
        module=TrainingModule.objects.get(code=code),
        completed_on=completed_on,
        by=by,
    )


@pytest.fixture
def me(people, site) -> Connector:
    """A connector whose data protection training was recorded twice for the same day (say,
    once from the paper form and once from the course certificate), and has run out."""
    me = Connector.objects.create(site=site, name="Con Nector", user=people["connector"])
    _record(me, "data-protection", LAPSED_ON, people["host"])
    _record(me, "data-protection", LAPSED_ON, people["host"])
    return me


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_dashboard_counts_a_module_done_twice_on_one_day_once(me, people):
    entries = _entries(people["connector"])
    assert "1 training module to renew" in entries
    assert entries["1 training module to renew"].overdue == 1
    assert "2 training modules to renew" not in entries


def test_the_connector_home_lists_it_once(me, people):
    page = _text(page_html(people["connector"], reverse("network:me")))
    assert "1 training module to renew" in page
    assert page.count("Data protection and confidentiality : expired on") == 1


def test_the_api_lists_it_once(me, people):
    _, token = create_api_token(user=people["connector"], name="t", by=people["connector"])
    body = Client().get("/api/v1/network/me", headers={"Authorization": f"Bearer {token}"}).json()
    codes = [d["module_code"] for d in body[0]["training_due"]]
    assert codes.count("data-protection") == 1


def test_a_renewal_on_a_later_day_still_replaces_both(me, people):
    _record(me, "data-protection", TODAY, people["host"])
    assert _entries(people["connector"]) == {}


def test_managers_still_count_the_connector_once(me, people):
    entry = _entries(people["host"])["1 connector with checks or training to renew"]
    assert entry.overdue == 1


def test_the_same_number_of_queries_with_many_same_day_completions(me, people, site):
    user = people["connector"]
    few = queries_of(home.waiting, user)
    module = TrainingModule.objects.get(code="safeguarding")
    TrainingCompletion.objects.bulk_create(
        TrainingCompletion(
            connector=me, module=module, completed_on=LAPSED_ON, expires_on=LAPSED_ON
        )
        for _ in range(5)
    )
    assert "2 training modules to renew" in _entries(user)
    assert queries_of(home.waiting, user) == few
