"""The mailing list's emails. Every one carries the person's unsubscribe link in its text
and in the ``List-Unsubscribe`` header, with ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` so that mail programs can offer one-click unsubscribe
(RFC 8058). Emails go through Django's default mailer (settings.MAILERS).

The unsubscribe address is longer than an email header line should be (78 characters), and
has no spaces to fold it at. ``automated_email`` (core20.mail) keeps such ASCII header
values plain, on one line of up to 998 characters, rather than RFC 2047 encoded words that
mail programs do not decode in ``List-Unsubscribe``: otherwise they would offer no
unsubscribe button."""

from django.core.mail import EmailMessage
from django.urls import reverse

from core20.knowledge import tokens
from core20.mail import automated_email, send_all
from core20.web.absolute import absolute_url

LIST_ID = "Core20 Connect stakeholder updates <stakeholders.core20connect>"


def unsubscribe_url(base_url: str, email_hash: str) -> str:
    token = tokens.unsubscribe_token(email_hash)
    return absolute_url(base_url, reverse("knowledge:mailing-list-unsubscribe", args=[token]))


def confirm_url(base_url: str, subscriber) -> str:
    token = tokens.confirm_token(subscriber)
    return absolute_url(base_url, reverse("knowledge:mailing-list-confirm", args=[token]))


def _message(
    *, subject: str, template: str, context: dict, to: str, base_url: str, email_hash: str
) -> EmailMessage:
    """A list email: ``automated_email`` with the person's unsubscribe link and the list
    headers."""
    unsubscribe = unsubscribe_url(base_url, email_hash)
    return automated_email(
        subject=subject,
        to=to,
        template=template,
        context={**context, "unsubscribe_url": unsubscribe, "base_url": base_url},
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": LIST_ID,
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


# knowledge.actions sends through this name (one connection for a whole batch).
send = send_all
