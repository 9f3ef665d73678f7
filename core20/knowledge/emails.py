"""The mailing list's emails. Every one carries the person's unsubscribe link in its text
and in the ``List-Unsubscribe`` header, with ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` so that mail programs can offer one-click unsubscribe
(RFC 8058). Emails go through Django's default mailer (settings.MAILERS)."""

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string
from django.urls import reverse

from core20.knowledge import tokens
from core20.web.absolute import absolute_url

LIST_ID = "Core20 Connect stakeholder updates <stakeholders.core20connect>"


def unsubscribe_url(base_url: str, email_hash: str) -> str:
    token = tokens.unsubscribe_token(email_hash)
    return absolute_url(base_url, reverse("knowledge:mailing-list-unsubscribe", args=[token]))


def confirm_url(base_url: str, subscriber) -> str:
    token = tokens.confirm_token(subscriber)
    return absolute_url(base_url, reverse("knowledge:mailing-list-confirm", args=[token]))


def _message(*, subject: str, template: str, context: dict, to: str, base_url: str, email_hash):
    unsubscribe = unsubscribe_url(base_url, email_hash)
    body = render_to_string(
        template, {**context, "unsubscribe_url": unsubscribe, "base_url": base_url}
    )
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": LIST_ID,
            "Auto-Submitted": "auto-generated",
        },
    )


def confirmation(subscriber, base_url: str) -> EmailMessage:
    return _message(
        subject="Confirm you want Core20 Connect updates",
        template="knowledge/email/confirm.txt",
        context={
            "subscriber": subscriber,
            "confirm_url": confirm_url(base_url, subscriber),
            "days": tokens.CONFIRM_DAYS,
        },
        to=subscriber.email,
        base_url=base_url,
        email_hash=subscriber.email_hash,
    )


def already_subscribed(subscriber, base_url: str) -> EmailMessage:
    return _message(
        subject="You already get Core20 Connect updates",
        template="knowledge/email/already_subscribed.txt",
        context={"subscriber": subscriber},
        to=subscriber.email,
        base_url=base_url,
        email_hash=subscriber.email_hash,
    )


def notice(mailing, subscriber) -> EmailMessage:
    return _message(
        subject=mailing.subject,
        template="knowledge/email/notice.txt",
        context={"mailing": mailing, "subscriber": subscriber},
        to=subscriber.email,
        base_url=mailing.base_url,
        email_hash=subscriber.email_hash,
    )


def send(messages: list[EmailMessage]) -> int:
    """Send through one connection to the default mailer; returns how many were sent."""
    if not messages:
        return 0
    return mailers.default.send_messages(messages) or 0
