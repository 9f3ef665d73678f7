"""Webinars on the knowledge hub: one still to come can be listed before its joining link
exists ("Joining details to follow"); one that has taken place, or has no date, still needs
its link; only webinars have a date; and the hub says which webinars are coming up."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core20.knowledge.models import Resource
from tests.knowledge import helpers

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _webinar_form(**data) -> dict:
    return {
        "kind": "webinar",
        "title": "Blood pressure in the community",
        "summary": "How sites run checks at community events.",
        "published": "on",
        **data,
    }


def test_an_upcoming_webinar_can_be_added_before_its_joining_link_exists(admin_client, client):
    response = admin_client.post(
        reverse("knowledge:resource-create"), _webinar_form(event_on=_days(16).isoformat())
    )
    assert response.status_code == 302
    webinar = Resource.objects.get()
    assert webinar.link == "" and webinar.event_on == _days(16)

    page = _text(client.get(webinar.get_absolute_url()))
    assert "Joining details to follow" in page
    assert f"{_days(16):%-d %B %Y}, time to be confirmed<br>Coming up" in page
    listing = _text(client.get(reverse("knowledge:resource-list")))
    assert f"Webinar · {_days(16):%A %-d %B %Y}, time to be confirmed · Coming up" in listing


def test_the_joining_link_shows_instead_once_it_is_added(admin, client):
    webinar = helpers.resource(
        admin,
        kind="webinar",
        event_on=_days(3),
        link="https://example.org/join",
        link_text="Join the webinar",
    )
    page = _text(client.get(webinar.get_absolute_url()))
    assert 'href="https://example.org/join"' in page
    assert "Joining details to follow" not in page


@pytest.mark.parametrize(
    ("event_on", "message"),
    [
        (
            "",
            "Enter the web address to join the webinar or watch its recording. If the joining "
            "link is not ready yet, enter the date of the webinar",
        ),
        (
            _days(-1).isoformat(),
            "Enter the web address of the webinar's recording or page, or untick Show this "
            "on the knowledge hub to keep it as a draft until you have one",
        ),
    ],
)
def test_a_webinar_without_a_date_still_to_come_needs_its_link(admin_client, event_on, message):
    response = admin_client.post(
        reverse("knowledge:resource-create"), _webinar_form(event_on=event_on)
    )
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page and message in page
    assert not Resource.objects.exists()


def test_the_action_checks_the_webinar_link_too(admin):
    with pytest.raises(ValidationError) as caught:
        helpers.resource(admin, kind="webinar", event_on=_days(-7))
    assert "recording" in caught.value.message_dict["link"][0]
    with pytest.raises(ValidationError) as caught:
        helpers.resource(admin, kind="webinar")
    assert "link" in caught.value.message_dict
    assert helpers.resource(admin, kind="webinar", event_on=timezone.localdate()).link == ""


def test_a_webinar_that_has_taken_place_says_so(admin, client):
    webinar = helpers.resource(
        admin, kind="webinar", event_on=_days(-21), link="https://example.org/recording"
    )
    page = _text(client.get(webinar.get_absolute_url()))
    assert f"{_days(-21):%A %-d %B %Y}<br>It has taken place" in page
    listing = _text(client.get(reverse("knowledge:resource-list")))
    assert f"Webinar · {_days(-21):%A %-d %B %Y}" in listing
    assert "Coming up" not in listing


def test_only_webinars_have_a_date(admin_client, admin):
    response = admin_client.post(
        reverse("knowledge:resource-create"),
        {
            "kind": "learning_report",
            "title": "Learning from wave 2",
            "summary": "What the sites learned.",
            "event_on": _days(10).isoformat(),
        },
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Only webinars have a date. Remove the date, or choose Webinar" in page
    assert 'href="#id_event_on"' in page
    assert not Resource.objects.exists()
    with pytest.raises(ValidationError) as caught:
        helpers.resource(admin, event_on=_days(10))
    assert "event_on" in caught.value.message_dict


def test_every_mistake_is_shown_at_once(admin_client):
    response = admin_client.post(
        reverse("knowledge:resource-create"),
        {
            "kind": "resource",
            "title": "",
            "summary": "",
            "event_on": _days(3).isoformat(),
            "link_text": "Read it",
        },
    )
    page = _text(response)
    for message in (
        "Enter a title",
        "Enter a summary",
        "Only webinars have a date",
        "Enter the web address the link text is for",
    ):
        assert message in page


def _published_webinar_whose_date_has_passed(admin) -> Resource:
    """Listed while still to come, with no link yet; then its day went by."""
    webinar = helpers.resource(admin, kind="webinar", title="Blood presure", event_on=_days(7))
    Resource.objects.filter(pk=webinar.pk).update(event_on=_days(-7))
    webinar.refresh_from_db()
    return webinar


def test_a_webinar_that_took_place_can_be_corrected_without_its_recording(
    admin_client, admin, client
):
    webinar = _published_webinar_whose_date_has_passed(admin)
    response = admin_client.post(
        reverse("knowledge:resource-edit", args=[webinar.slug]),
        _webinar_form(title="Blood pressure", slug=webinar.slug, event_on=_days(-7).isoformat()),
    )
    assert response.status_code == 302
    webinar.refresh_from_db()
    assert webinar.title == "Blood pressure" and webinar.link == ""
    page = _text(client.get(webinar.get_absolute_url()))
    assert "There is no recording of this webinar on the knowledge hub yet" in page
    assert "Joining details to follow" not in page


def test_publishing_a_webinar_that_took_place_still_needs_its_recording(admin_client, admin):
    draft = helpers.resource(admin, kind="webinar", event_on=_days(-7), published=False)
    assert draft.link == ""  # a draft can wait for its recording
    response = admin_client.post(
        reverse("knowledge:resource-edit", args=[draft.slug]),
        _webinar_form(slug=draft.slug, event_on=_days(-7).isoformat()),
    )
    assert response.status_code == 200
    assert (
        "Enter the web address of the webinar's recording or page, or untick Show this on the "
        "knowledge hub to keep it as a draft until you have one"
    ) in _text(response)
    draft.refresh_from_db()
    assert not draft.published


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("event_on", "Enter the date of the webinar as a real date, like 27/3/2025"),
        ("published_on", "Enter the date published as a real date, like 27/3/2025"),
    ],
)
def test_a_date_that_is_not_real_says_how_to_write_one(admin_client, field, message):
    form = _webinar_form(link="https://example.org/join", event_on="1/4/2025")
    response = admin_client.post(reverse("knowledge:resource-create"), {**form, field: "31/2/2025"})
    page = _text(response)
    assert f'<a href="#id_{field}">{message}</a>' in page
    assert "14 March" not in page
    # Written the way the hint says, the date is taken.
    response = admin_client.post(reverse("knowledge:resource-create"), form)
    assert response.status_code == 302
    assert Resource.objects.get().event_on.isoformat() == "2025-04-01"


def test_the_date_hints_give_an_example_as_the_date_pickers_show_it(admin_client):
    page = _text(admin_client.get(reverse("knowledge:resource-create")))
    assert "Webinars only. For example 27/3/2025" in page
    assert "For example 27/3/2025. Leave blank to use today's date" in page
