"""A webinar's start and end time (UK time): typed as "14:30", shown with the date wherever
the date is ("Tuesday 3 March 2026, 14:30 to 15:30 (UK time)"), "time to be confirmed" for
one still to come without a time, and an "Add to calendar" file whose times are right on
both sides of the clocks changing."""

import html
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.knowledge import actions
from core20.knowledge.models import Resource
from tests.knowledge import helpers

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1
SUMMER = date(NEXT_YEAR, 7, 14)  # British Summer Time: UK time is UTC+1
WINTER = date(NEXT_YEAR, 1, 12)  # Greenwich Mean Time: UK time is UTC


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _form(**data) -> dict:
    return {
        "kind": "webinar",
        "title": "Blood pressure in the community",
        "summary": "How sites run checks at community events.",
        "published": "on",
        "event_on": SUMMER.isoformat(),
        **data,
    }


def _webinar(admin, **data) -> Resource:
    values = {
        "kind": "webinar",
        "title": "Blood pressure in the community",
        "summary": "How sites run checks at community events.",
        "event_on": SUMMER,
        **data,
    }
    return helpers.resource(admin, **values)


def _unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


@pytest.mark.parametrize("typed", ["14:30", "14.30", " 14:30 ", "1430", "2:30pm", "2.30 p.m."])
def test_the_start_time_can_be_typed_as_people_write_it(admin_client, typed):
    response = admin_client.post(
        reverse("knowledge:resource-create"), _form(starts_at=typed, ends_at="15:30")
    )
    assert response.status_code == 302
    webinar = Resource.objects.get()
    assert (webinar.starts_at, webinar.ends_at) == (time(14, 30), time(15, 30))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_at": "half two"}, "Enter the start time as hours and minutes, like 14:30"),
        ({"starts_at": "25:00"}, "Enter the start time as hours and minutes, like 14:30"),
        ({"starts_at": "14:75"}, "Enter the start time as hours and minutes, like 14:30"),
        ({"starts_at": "13pm"}, "Enter the start time as hours and minutes, like 14:30"),
        (
            {"starts_at": "14:30", "ends_at": "3:30 in the afternoon"},
            "Enter the end time as hours and minutes, like 15:30",
        ),
        ({"starts_at": "14:30", "ends_at": "14:00"}, "The end time must be after the start time"),
        ({"ends_at": "15:30"}, "Enter the start time, or remove the end time"),
        (
            {"starts_at": "14:30", "event_on": ""},
            "Enter the date of the webinar, or remove the time",
        ),
        (
            {"kind": "learning_report", "event_on": "", "starts_at": "14:30"},
            "Only webinars have a time. Remove the time, or choose Webinar as the type of resource",
        ),
    ],
)
def test_a_time_that_is_wrong_says_how_to_put_it_right(admin_client, data, message):
    form = _form(**data)
    if "link" not in form:
        form["link"] = "https://example.org/join"  # so no other mistake is reported
    response = admin_client.post(reverse("knowledge:resource-create"), form)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page and message in page
    assert not Resource.objects.exists()


def test_the_action_checks_the_times_too(admin):
    with pytest.raises(ValidationError) as caught:
        _webinar(admin, starts_at=time(15), ends_at=time(14))
    assert caught.value.message_dict["ends_at"] == ["The end time must be after the start time"]


def test_the_change_form_shows_the_time_as_it_was_typed(admin, admin_client):
    webinar = _webinar(admin, starts_at=time(9, 5), ends_at=time(10))
    page = _text(admin_client.get(reverse("knowledge:resource-edit", args=[webinar.slug])))
    assert 'name="starts_at" value="09:05"' in page
    assert 'name="ends_at" value="10:00"' in page
    assert "Start time" in page and "in UK time" in page


@pytest.mark.parametrize(("day", "utc_hour"), [(SUMMER, 13), (WINTER, 14)])
def test_the_time_is_uk_time_in_summer_and_winter(admin, client, day, utc_hour):
    webinar = _webinar(admin, event_on=day, starts_at=time(14, 30), ends_at=time(15, 30))
    when = f"{_long(day)}, 14:30 to 15:30 (UK time)"

    page = _text(client.get(webinar.get_absolute_url()))
    assert when in page
    listing = _text(client.get(reverse("knowledge:resource-list")))
    assert f"Webinar · {when} · Coming up" in listing
    found = _text(client.get(reverse("knowledge:resource-list"), {"q": "blood pressure"}))
    assert when in found

    # The calendar file says the same moment in UTC: an hour earlier in British Summer Time.
    ics = client.get(reverse("knowledge:resource-calendar", args=[webinar.slug])).content
    lines = _unfold(ics.decode())
    assert f"DTSTART:{day:%Y%m%d}T{utc_hour}3000Z" in lines
    assert f"DTEND:{day:%Y%m%d}T{utc_hour + 1}3000Z" in lines


def test_a_start_time_without_an_end_time(admin, client):
    webinar = _webinar(admin, starts_at=time(10))
    page = _text(client.get(webinar.get_absolute_url()))
    assert f"{_long(SUMMER)}, 10:00 (UK time)" in page
    lines = _unfold(
        client.get(reverse("knowledge:resource-calendar", args=[webinar.slug])).content.decode()
    )
    assert f"DTSTART:{SUMMER:%Y%m%d}T090000Z" in lines
    assert not any(line.startswith("DTEND") for line in lines)


def test_a_webinar_still_to_come_without_a_time_says_it_is_to_be_confirmed(admin, client):
    webinar = _webinar(admin)
    page = _text(client.get(webinar.get_absolute_url()))
    assert f"{_long(SUMMER)}, time to be confirmed" in page
    assert "Add this webinar to your calendar" not in page
    listing = _text(client.get(reverse("knowledge:resource-list")))
    assert f"Webinar · {_long(SUMMER)}, time to be confirmed · Coming up" in listing
    calendar = client.get(reverse("knowledge:resource-calendar", args=[webinar.slug]))
    assert calendar.status_code == 404


def test_a_webinar_that_has_taken_place_has_no_calendar_file(admin, client):
    held = timezone.localdate() - timedelta(days=7)
    untimed = _webinar(admin, title="Untimed", event_on=held, link="https://example.org/recording")
    timed = _webinar(
        admin,
        title="Timed",
        event_on=held,
        starts_at=time(14),
        ends_at=time(15),
        link="https://example.org/recording",
    )
    page = _text(client.get(untimed.get_absolute_url()))
    assert f"{_long(held)}<br>It has taken place" in page
    assert "to be confirmed" not in page
    page = _text(client.get(timed.get_absolute_url()))
    assert f"{_long(held)}, 14:00 to 15:00 (UK time)" in page
    assert "Add this webinar to your calendar" not in page
    calendar = client.get(reverse("knowledge:resource-calendar", args=[timed.slug]))
    assert calendar.status_code == 404


def test_the_calendar_file(admin, client):
    webinar = _webinar(
        admin,
        title="Blood pressure, hypertension; and the café: a very long title that must be "
        "folded across lines",
        slug="blood-pressure",
        summary="How sites run checks,\nwith partners.",
        starts_at=time(14, 30),
        ends_at=time(15, 30),
    )
    page = _text(client.get(webinar.get_absolute_url()))
    calendar_url = reverse("knowledge:resource-calendar", args=[webinar.slug])
    assert f'href="{calendar_url}"' in page and "Add this webinar to your calendar" in page

    response = client.get(calendar_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="blood-pressure.ics"'
    ics = response.content
    # Lines end CRLF and are folded to at most 75 octets.
    assert ics.endswith(b"\r\n") and b"\n" not in ics.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
    assert b"\r\n " in ics  # the long title was folded
    lines = _unfold(ics.decode())
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert "BEGIN:VEVENT" in lines and "END:VEVENT" in lines
    assert f"UID:knowledge-resource-{webinar.pk}@testserver" in lines
    assert any(line.startswith("DTSTAMP:") and line.endswith("Z") for line in lines)
    assert (
        "SUMMARY:Blood pressure\\, hypertension\\; and the café: a very long title that must "
        "be folded across lines" in lines
    )
    page_url = f"http://testserver/knowledge/resources/{webinar.slug}/"
    assert f"URL:{page_url}" in lines
    assert (
        "DESCRIPTION:How sites run checks\\,\\nwith partners.\\n\\nJoining details and "
        f"more: {page_url}" in lines
    )


def test_a_drafts_calendar_file_is_as_hidden_as_the_draft(admin, admin_client, client):
    webinar = _webinar(admin, published=False, starts_at=time(14, 30))
    url = reverse("knowledge:resource-calendar", args=[webinar.slug])
    assert client.get(url).status_code == 404
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_audit_log_names_the_times(admin):
    webinar = _webinar(admin, starts_at=time(14, 30))
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.CREATE).latest("pk")
    assert event.changes["starts_at"] == [None, "14:30"]
    actions.update_resource(resource=webinar, data={"ends_at": time(15, 30)}, by=admin)
    event = AuditEvent.objects.filter(verb=AuditEvent.Verb.UPDATE).latest("pk")
    assert event.changes["ends_at"] == [None, "15:30"]
