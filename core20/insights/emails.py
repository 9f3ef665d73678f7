"""Emails for the bridge: a routed insight, a reminder before the response is due, and the
escalation to the site lead after it. Sent through Django's default mailer."""

from django.core.mail import EmailMessage

from core20.accounts.models import Membership
from core20.accounts.roles import SiteLead
from core20.mail import automated_email, role_emails, send_all
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


def _context(routing, base_url: str) -> dict:
    return {"routing": routing, "url": absolute_url(base_url, routing.get_absolute_url())}


def routed(routing, base_url: str) -> EmailMessage | None:
    to = routing_recipients(routing)
    if not to:
        return None
    return automated_email(
        subject=f"Insight from {routing.insight.site} for {routing.body}: response due "
        f"{routing.due_on:%-d %B %Y}",
        template="insights/email/routed.txt",
        context=_context(routing, base_url),
        to=to,
    )


def reminder(routing, base_url: str) -> EmailMessage | None:
    to = routing_recipients(routing)
    if not to:
        return None
    return automated_email(
        subject=f"Reminder: response to {routing.insight.site} due {routing.due_on:%-d %B %Y}",
        template="insights/email/reminder.txt",
        context=_context(routing, base_url),
        to=to,
    )


def escalation(routing, base_url: str) -> EmailMessage | None:
    to = role_emails(routing.insight.site_id, SiteLead.key)
    if not to:
        return None
    return automated_email(
        subject=f"Overdue: {routing.body} has not responded to an insight",
        template="insights/email/escalation.txt",
        context=_context(routing, base_url),
        to=to,
    )


# insights.actions sends through this name.
send = send_all
