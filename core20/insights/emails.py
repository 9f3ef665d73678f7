"""Emails for the bridge: a routed insight, a reminder before the response is due, and the
escalation to the site lead after it. Sent through Django's default mailer."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string

from core20.accounts.models import Membership
from core20.web.absolute import absolute_url


def routing_recipients(routing) -> list[str]:
    """The body's named contacts and the organisation's decision-maker members, once each."""
    emails = [c.email for c in routing.body.contacts.all()]
    emails += Membership.objects.filter(
        role="decision_maker",
        organisation_id=routing.body.organisation_id,
        ended_at__isnull=True,
        user__is_active=True,
    ).values_list("user__email", flat=True)
    return sorted({e.lower() for e in emails if e})


def site_lead_emails(site_id: int) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                role="site_lead", site_id=site_id, ended_at__isnull=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def _message(subject: str, template: str, context: dict, to: list[str]) -> EmailMessage:
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers={"Auto-Submitted": "auto-generated"},
    )


def routed(routing, base_url: str) -> EmailMessage | None:
    to = routing_recipients(routing)
    if not to:
        return None
    return _message(
        f"Insight from {routing.insight.site} for {routing.body}: response due "
        f"{routing.due_on:%-d %B %Y}",
        "insights/email/routed.txt",
        {"routing": routing, "url": absolute_url(base_url, routing.get_absolute_url())},
        to,
    )


def reminder(routing, base_url: str) -> EmailMessage | None:
    to = routing_recipients(routing)
    if not to:
        return None
    return _message(
        f"Reminder: response to {routing.insight.site} due {routing.due_on:%-d %B %Y}",
        "insights/email/reminder.txt",
        {"routing": routing, "url": absolute_url(base_url, routing.get_absolute_url())},
        to,
    )


def escalation(routing, base_url: str) -> EmailMessage | None:
    to = site_lead_emails(routing.insight.site_id)
    if not to:
        return None
    return _message(
        f"Overdue: {routing.body} has not responded to an insight",
        "insights/email/escalation.txt",
        {"routing": routing, "url": absolute_url(base_url, routing.get_absolute_url())},
        to,
    )


def send(messages: list[EmailMessage | None]) -> int:
    messages = [m for m in messages if m is not None]
    if not messages:
        return 0
    return mailers.default.send_messages(messages) or 0
