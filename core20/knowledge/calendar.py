"""An "Add to calendar" file for a webinar still to come (iCalendar, RFC 5545), written with
the standard library: one VEVENT with its times in UTC, so every calendar program puts it at
the right moment whether or not British Summer Time applies on the day."""

from datetime import UTC, datetime

from core20.knowledge.models import Resource

PRODUCT_ID = "-//NHS England//Core20 Connect knowledge hub//EN"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslashes, semicolons, commas and line breaks
    escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets (RFC 5545 3.1), each continuation
    starting with a space, never splitting a UTF-8 character."""
    parts = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > limit:
            parts.append(current.decode())
            current = b""
            limit = 74  # the space that starts a continuation line counts too
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def webinar_ics(resource: Resource, *, page_url: str, host: str) -> str:
    """The .ics text for ``resource``, a webinar with a date and start time. ``page_url`` is
    the absolute address of its page on the hub; ``host`` makes the event's UID unique to
    this service."""
    starts = resource.event_starts
    if starts is None:
        raise ValueError("Only a webinar with a date and start time has a calendar file.")
    ends = resource.event_ends
    description = f"{resource.summary}\n\nJoining details and more: {page_url}"
    stamp = resource.updated_at or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:knowledge-resource-{resource.pk}@{host}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(starts)}",
        # Without an end time, no DTEND: the event is a moment (RFC 5545 3.6.1), rather than
        # a length nobody gave.
        *([f"DTEND:{_utc(ends)}"] if ends is not None else []),
        f"SUMMARY:{escape_text(resource.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{page_url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
