"""Scheduling: a resource whose date published is still to come is hidden from readers
(the list, its search, the page and the file) until that day; the national team sees it,
marked "Scheduled for ...", and is told when readers will see it."""

import html
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core20.knowledge.models import Resource
from tests.conftest import sign_in
from tests.knowledge import helpers

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def connector_client(make_user):
    client = Client()
    sign_in(client, make_user("connector"))
    return client


def test_a_resource_dated_later_is_hidden_from_readers_until_that_day(
    client, connector_client, admin
):
    helpers.resource(admin, title="Already out")
    later = helpers.resource(
        admin, title="Wave 3 learning report", published_on=_days(5), upload=helpers.pdf()
    )
    for reader in (client, connector_client):
        listing = _text(reader.get(reverse("knowledge:resource-list")))
        assert "Already out" in listing
        assert "Wave 3 learning report" not in listing
        assert "1 resource" in listing
        searched = _text(reader.get(reverse("knowledge:resource-list"), {"q": "wave 3"}))
        assert "0 resources match your filters" in searched
        assert reader.get(later.get_absolute_url()).status_code == 404
        assert reader.get(reverse("knowledge:resource-file", args=[later.slug])).status_code == 404

    # The day comes: readers see it without anyone doing anything.
    Resource.objects.filter(pk=later.pk).update(published_on=timezone.localdate())
    assert "Wave 3 learning report" in _text(client.get(reverse("knowledge:resource-list")))
    assert client.get(later.get_absolute_url()).status_code == 200


def test_the_national_team_sees_a_scheduled_resource_marked_as_such(admin_client, admin):
    later = helpers.resource(
        admin, title="Wave 3 learning report", published_on=_days(5), upload=helpers.pdf()
    )
    page = _text(admin_client.get(later.get_absolute_url()))
    assert f"Scheduled for {_days(5):%-d %B %Y}: only the national team can see this" in page
    assert "To be published" in page
    listing = _text(admin_client.get(reverse("knowledge:resource-list")))
    assert "Wave 3 learning report" in listing
    assert f"Scheduled for {_days(5):%-d %B %Y}</strong>" in listing  # marked in the list too
    download = admin_client.get(reverse("knowledge:resource-file", args=[later.slug]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"  # not cached for everyone yet
    published_today = helpers.resource(admin, title="Out today")
    assert "Scheduled for" not in _text(admin_client.get(published_today.get_absolute_url()))


def test_saving_with_a_later_date_says_when_readers_will_see_it(admin_client):
    form = reverse("knowledge:resource-create")
    assert "A later date keeps it hidden from readers until that day" in _text(
        admin_client.get(form)
    )
    response = admin_client.post(
        form,
        {
            "kind": "learning_report",
            "title": "Wave 3 learning report",
            "summary": "What wave 3 learned.",
            "published": "on",
            "published_on": _days(10).isoformat(),
        },
        follow=True,
    )
    page = _text(response)
    assert "has been added to the knowledge hub" in page
    assert f"It is scheduled: readers will see it from {_days(10):%-d %B %Y}." in page
    resource = Resource.objects.get()
    response = admin_client.post(
        reverse("knowledge:resource-edit", args=[resource.slug]),
        {
            "kind": "learning_report",
            "title": "Wave 3 learning report",
            "summary": "What wave 3 learned.",
            "published": "on",
            "published_on": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    page = _text(response)
    assert "have been saved" in page and "scheduled" not in page
