"""The forms that work with no connection (the activity quick form and the insight form) are
set up in one place, core20.web.offline: each person's saves wait in their own queue, the
page tells static/js/offline-form.js everything it reads, and each app's service worker
answers."""

import html
import json
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core20.web.offline import offline_form
from tests.conftest import client_for, page_html
from tests.engagement import helpers as activities

pytestmark = pytest.mark.django_db

# What static/js/offline-form.js reads from the form (data-offline-legacy-queue only where a
# shared queue from earlier versions is taken over).
ATTRIBUTES = {
    "data-offline",
    "data-sw-url",
    "data-api-url",
    "data-offline-queue",
    "data-offline-body",
    "data-offline-checks",
    "data-offline-messages",
}


def _form_for(user, name: str = "activities", **more):
    request = RequestFactory().get("/")
    request.user = user
    return offline_form(
        request,
        name=name,
        sw_url="/activities/sw.js",
        api_url="/api/v1/activities",
        body={"numbers": ["people_reached"]},
        checks=[{"field": "date", "message": "Enter the date"}],
        messages={"offline": "You are offline."},
        **more,
    )


def _offline_attributes(page: str) -> dict[str, str]:
    (form,) = re.findall(r"<form [^>]*data-offline=[^>]*>", page)
    return {
        name: html.unescape(value) for name, value in re.findall(r'(data-[a-z-]+)="([^"]*)"', form)
    }


def test_each_person_has_their_own_queue_and_the_same_shared_one(make_user):
    first, second = make_user("connector"), make_user("connector")
    mine = _form_for(first, adopt_shared_queue=True)
    theirs = _form_for(second, adopt_shared_queue=True)
    assert mine.queue == f"core20.activities.queue.{first.pk}"
    assert theirs.queue == f"core20.activities.queue.{second.pk}"
    assert mine.legacy_queue == theirs.legacy_queue == "core20.activities.queue"
    # A form that never had a shared queue takes nothing over; forms keep apart by name.
    insights = _form_for(first, name="insights")
    assert insights.legacy_queue == ""
    assert insights.queue == f"core20.insights.queue.{first.pk}"


def test_the_set_up_is_written_as_the_script_reads_it(make_user):
    form = _form_for(make_user("connector"))
    assert json.loads(form.body) == {"numbers": ["people_reached"]}
    assert json.loads(form.checks) == [{"field": "date", "message": "Enter the date"}]
    assert json.loads(form.messages) == {"offline": "You are offline."}


@pytest.mark.parametrize(
    ("page", "app", "legacy"),
    [("activity", "activities", True), ("insight", "insights", False)],
)
def test_both_forms_tell_the_script_how_to_work_offline(make_user, site, page, app, legacy):
    url = (
        reverse("engagement:activity-new")
        if page == "activity"
        else reverse("insights:insight-create", args=[site.slug])
    )
    connector, colleague = make_user("connector"), make_user("connector")
    text = page_html(connector, url)
    assert "js/offline-form.js" in text
    attributes = _offline_attributes(text)
    assert set(attributes) >= ATTRIBUTES
    assert attributes["data-offline-queue"] == f"core20.{app}.queue.{connector.pk}"
    assert attributes["data-sw-url"] == f"/{app}/sw.js"
    assert attributes["data-api-url"] == f"/api/v1/{app}"
    for name in ("data-offline-body", "data-offline-checks", "data-offline-messages"):
        assert json.loads(attributes[name])
    if legacy:
        assert attributes["data-offline-legacy-queue"] == f"core20.{app}.queue"
    else:
        assert "data-offline-legacy-queue" not in attributes
    # Someone else signing in on the same phone gets their own queue.
    theirs = _offline_attributes(page_html(colleague, url))
    assert theirs["data-offline-queue"] == f"core20.{app}.queue.{colleague.pk}"
    assert theirs.get("data-offline-legacy-queue") == attributes.get("data-offline-legacy-queue")


def test_forms_that_need_a_connection_are_not_set_up_offline(make_user, site):
    connector = make_user("connector")
    mine = activities.activity(site, recorded_by=connector)
    text = page_html(connector, reverse("engagement:activity-edit", args=[mine.pk]))
    assert "data-offline" not in text and "js/offline-form.js" not in text


@pytest.mark.parametrize(
    "url",
    [
        lambda site: reverse("engagement:activity-new"),
        lambda site: reverse("insights:insight-create", args=[site.slug]),
    ],
)
def test_someone_who_may_not_record_does_not_get_the_forms(make_user, site, url):
    assert client_for(make_user("decision_maker")).get(url(site)).status_code == 403


@pytest.mark.parametrize(
    ("route", "app", "pages"),
    [
        (
            "engagement:service-worker",
            "activities",
            lambda site: (reverse("engagement:activity-new"), reverse("engagement:activity-list")),
        ),
        (
            "insights:service-worker",
            "insights",
            lambda site: (
                reverse("insights:insight-create", args=[site.slug]),
                reverse("insights:themes", args=[site.slug]),
            ),
        ),
    ],
)
def test_each_apps_service_worker_keeps_its_form(client, site, route, app, pages):
    response = client.get(reverse(route))
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert f'const PREFIX = "core20-{app}-";' in body
    assert "js/offline-form.js" in body
    (pattern,) = re.findall(r'const PAGES = new RegExp\("([^"]+)"\);', body)
    # As the browser reads the string (escapejs writes \u002D for "-" and so on).
    pattern = re.sub(r"\\u([0-9A-F]{4})", lambda m: chr(int(m[1], 16)), pattern)
    form_url, other_url = pages(site)
    assert re.match(pattern, form_url)
    assert not re.match(pattern, other_url)
