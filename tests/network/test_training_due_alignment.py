"""A connector's training due next is one rule: their connector home, the API
(``GET /api/v1/network/me``) and the dashboard's "training modules to renew" agree.

To renew: any module (optional ones too) expired or running out within 30 days. Still to
do: required modules never done. Later: required modules next due after those 30 days,
which the API keeps apart from ``training_due``."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.accounts.actions import create_api_token
from core20.dates import add_months
from core20.network import actions, home
from core20.network.models import Connector, TrainingModule
from tests.conftest import page_html

pytestmark = pytest.mark.django_db

API = "/api/v1/network/me"

INDUCTION = "Connector induction"
SAFEGUARDING = "Safeguarding adults and children (level 1)"
DATA_PROTECTION = "Data protection and confidentiality"
FIRST_AID = "Mental health first aid"
MAKATON = "Makaton basics"


def _complete(connector, module: TrainingModule, runs_out_in: int, by):
    """Record ``module`` as completed so that it runs out ``runs_out_in`` days from today."""
    expires = timezone.localdate() + datetime.timedelta(days=runs_out_in)
    completion = actions.record_training(
        connector=connector,
        module=module,
        completed_on=add_months(expires, -module.valid_for_months),
        by=by,
    )
    # add_months can shorten a month's last day: near enough, but never across the window.
    assert abs((completion.expires_on - expires).days) <= 3
    return completion


def _module(site, code: str, title: str, *, required: bool) -> TrainingModule:
    return TrainingModule.objects.create(
        site=site, code=code, title=title, valid_for_months=12, required_by_default=required
    )


@pytest.fixture
def me(site, people):
    """A connector with one module in each state (the site has saved no requirements, so
    the national defaults apply, plus its own module marked required)."""
    host = people["host"]
    connector = Connector.objects.create(
        site=site, name="Con Nector", user=people["connector"], status=Connector.Status.ACTIVE
    )
    national = {m.code: m for m in TrainingModule.objects.filter(site__isnull=True)}
    # Connector induction (required) is never done.
    _complete(connector, national["data-protection"], -35, host)  # expired
    _complete(connector, national["safeguarding"], 10, host)  # runs out within 30 days
    _complete(connector, _module(site, "mhfa", FIRST_AID, required=True), 90, host)  # later
    _complete(connector, _module(site, "makaton", MAKATON, required=False), 20, host)
    return connector


def _api(user) -> list[dict]:
    _, token = create_api_token(user=user, name="phone", by=user)
    response = Client().get(API, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.json()


def _card(user) -> dict[str, list[tuple[str, str]]]:
    """The connector home's "Training due next" card: (module, what it says) under each
    of its headings ("to renew", "still to do", "later")."""
    page = page_html(user, reverse("network:me"))
    card = page.split("Training due next", 1)[1].split("Quick links", 1)[0]
    found = {"to renew": [], "still to do": [], "later": []}
    for heading, body in re.findall(r"<h3[^>]*>(.*?)</h3>(.*?)(?=<h3|$)", card, re.S):
        group = next(name for name in found if name in heading.lower())
        found[group] = [
            (html.unescape(title), " ".join(html.unescape(rest).split()))
            for title, rest in re.findall(r"<li><strong>(.*?)</strong>(.*?)</li>", body, re.S)
        ]
    return found


def _titles(items) -> list[str]:
    return [item["module"] for item in items]


def test_the_api_lists_what_the_connector_home_lists(me, people):
    user = people["connector"]
    card = _card(user)
    [record] = _api(user)
    due = record["training_due"]

    # To renew: expired or running out within 30 days, optional modules too, soonest first.
    assert [title for title, _ in card["to renew"]] == [DATA_PROTECTION, SAFEGUARDING, MAKATON]
    assert [item for item in due if item["state"] in ("expired", "renew soon")] == due[:3]
    assert _titles(due[:3]) == [DATA_PROTECTION, SAFEGUARDING, MAKATON]
    assert [item["state"] for item in due[:3]] == ["expired", "renew soon", "renew soon"]
    says = dict(card["to renew"])
    for item in due[:3]:
        expiry = datetime.date.fromisoformat(item["due"])
        verb = "expired on" if item["state"] == "expired" else "renew by"
        assert says[item["module"]] == f": {verb} {expiry:%-d %B %Y}"

    # Still to do: required and never done, with no date.
    assert [title for title, _ in card["still to do"]] == [INDUCTION]
    assert due[3:] == [
        {"module": INDUCTION, "module_code": "induction", "state": "not done", "due": None}
    ]

    # Ninety days away is not due now, on either; both show it as later.
    assert FIRST_AID not in _titles(due)
    assert [title for title, _ in card["later"]] == [FIRST_AID]
    assert [(i["module"], i["state"]) for i in record["training_later"]] == [(FIRST_AID, "later")]


def test_the_dashboard_counts_what_both_list_to_renew(me, people):
    user = people["connector"]
    [record] = _api(user)
    to_renew = [i for i in record["training_due"] if i["state"] != "not done"]
    entries = {entry.text: entry for entry in home.waiting(user)}
    entry = entries[f"{len(to_renew)} training modules to renew"]
    assert entry.overdue == sum(i["state"] == "expired" for i in to_renew) == 1
    assert f"{len(to_renew)} training modules to renew" in page_html(user, reverse("network:me"))

    # Renewing one takes it off all three.
    data_protection = TrainingModule.objects.get(site__isnull=True, code="data-protection")
    _complete(me, data_protection, 365, people["host"])
    [record] = _api(user)
    assert DATA_PROTECTION not in _titles(record["training_due"])
    assert DATA_PROTECTION in _titles(record["training_later"])
    assert DATA_PROTECTION not in [title for title, _ in _card(user)["to renew"]]
    assert "2 training modules to renew" in {entry.text for entry in home.waiting(user)}


def test_someone_who_has_left_has_nothing_due_on_either(me, people):
    actions.change_status(connector=me, to=Connector.Status.LEFT, reason="Moved", by=people["host"])
    user = people["connector"]
    [record] = _api(user)
    assert record["training_due"] == [] and record["training_later"] == []
    assert _card(user) == {"to renew": [], "still to do": [], "later": []}
    assert "Nothing to renew or do now" in page_html(user, reverse("network:me"))


def test_each_record_lists_only_its_own_training(me, people, other_site):
    Connector.objects.create(site=other_site, name="Con Nector", user=people["connector"])
    records = {r["site"]: r for r in _api(people["connector"])}
    elsewhere = records[other_site.slug]["training_due"]
    assert {(i["module_code"], i["state"]) for i in elsewhere} == {
        ("induction", "not done"),
        ("safeguarding", "not done"),
        ("data-protection", "not done"),
    }
    assert records[other_site.slug]["training_later"] == []
    assert len(records[me.site.slug]["training_due"]) == 4


def test_the_api_documents_the_states(client):
    schemas = client.get(reverse("api-1.0.0:openapi-json")).json()["components"]["schemas"]
    state = schemas["TrainingDueOut"]["properties"]["state"]
    assert set(state["enum"]) == {"expired", "renew soon", "not done", "later"}
    assert "30 days" in state["description"]
    assert "expiry date" in schemas["TrainingDueOut"]["properties"]["due"]["description"]
    own = schemas["OwnRecordOut"]["properties"]
    assert "connector home" in own["training_due"]["description"]
    assert "later" in own["training_later"]["description"]
