"""The mailing list's emails. Every one carries the person's unsubscribe link in its text
and in the ``List-Unsubscribe`` header, with ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click`` so that mail programs can offer one-click unsubscribe
(RFC 8058). Emails go through Django's default mailer (settings.MAILERS).

The unsubscribe address is longer than an email header line should be (78 characters), and
has no spaces to fold it at, so Python's email package would write the header as RFC 2047
encoded words (``=?utf-8?q?=3Chttps=3A//...?=``). Mail programs do not decode those in
``List-Unsubscribe``, which takes addresses in angle brackets, so they would offer no
unsubscribe button. So that header is written on one line of up to 998 characters (RFC
5322's limit) and stays the plain address."""

import email.headerregistry
import email.policy

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


# RFC 5322: each line of a message must be no more than 998 characters.
LONGEST_LINE = 998


class OneLineHeader(email.headerregistry.UnstructuredHeader):
    """A header written on one line of up to 998 characters rather than folded into encoded
    words: for ``List-Unsubscribe``, whose value is an address in angle brackets."""

    def fold(self, *, policy: email.policy.Policy) -> str:
        return super().fold(policy=policy.clone(max_line_length=LONGEST_LINE))


LIST_HEADERS = email.headerregistry.HeaderRegistry()
LIST_HEADERS.map_to_type("list-unsubscribe", OneLineHeader)


class ListEmailMessage(EmailMessage):
    """An email whose ``List-Unsubscribe`` header stays a plain address that mail programs
    can read (see the module docstring); everything else as any other email."""

    def message(self, *, policy: email.policy.Policy = email.policy.default):
        return super().message(policy=policy.clone(header_factory=LIST_HEADERS))


def _message(
    *, subject: str, template: str, context: dict, to: str, base_url: str, email_hash: str
) -> EmailMessage:
    """A list email: ``automated_email`` with the person's unsubscribe link and the list
    headers."""
    unsubscribe = unsubscribe_url(base_url, email_hash)
    built = automated_email(
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
    return ListEmailMessage(
        subject=built.subject,
        body=built.body,
        from_email=built.from_email,
        to=built.to,
        headers=built.extra_headers,
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
