"""The service's automated emails: one way to build them and to say who at a site gets them.

Every email the service sends by itself (not one a person writes) is built with
``automated_email``, so each carries ``Auto-Submitted: auto-generated`` (RFC 3834): mail
programs then send no out-of-office or other automatic replies back to the service.

Long header values. A header line should be at most 78 characters, and Python's email
package folds longer values at spaces. A value with no space to fold at, such as a web
address (``List-Unsubscribe: <https://...>``, ``Link``, an ``X-`` header with a URL), it
writes as RFC 2047 encoded words (``=?utf-8?q?=3Chttps=3A//...?=``), which mail programs do
not decode in headers that carry addresses, so the address no longer works. So a header
whose value is plain ASCII is never written as encoded words: when the usual 78-character
folding would need them, it is folded at spaces only, with lines of up to 998 characters
(RFC 5322's limit). Values with other characters (an accented subject line) are encoded as
usual, as they must be.
"""

from collections.abc import Iterable
from email import headerregistry
from email import policy as email_policy

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string

from core20.accounts.models import Membership
from core20.programme.models import Site

AUTO_SUBMITTED = {"Auto-Submitted": "auto-generated"}

# RFC 5322: each line of a message must be no more than 998 characters.
LONGEST_LINE = 998


class PlainAsciiHeader(headerregistry.BaseHeader):
    """Mixed into every header class (``HeaderRegistry(base_class=...)``): an ASCII value
    is folded at spaces, in lines of up to 998 characters, rather than written as encoded
    words (see the module docstring)."""

    def fold(self, *, policy: email_policy.Policy) -> str:
        folded = super().fold(policy=policy)
        if "=?" in folded and str(self).isascii() and "=?" not in str(self):
            return super().fold(policy=policy.clone(max_line_length=LONGEST_LINE))
        return folded


HEADERS = headerregistry.HeaderRegistry(base_class=PlainAsciiHeader)


class ServiceEmailMessage(EmailMessage):
    """An email whose long ASCII header values stay plain text (see the module docstring);
    otherwise as any other email."""

    def message(self, *, policy: email_policy.Policy = email_policy.default):
        return super().message(policy=policy.clone(header_factory=HEADERS))


def automated_email(
    *,
    subject: str,
    to: list[str] | str,
    body: str | None = None,
    template: str | None = None,
    context: dict | None = None,
    headers: dict | None = None,
) -> EmailMessage:
    """An email from ``DEFAULT_FROM_EMAIL`` with the ``Auto-Submitted`` header and any extra
    ``headers`` (long ASCII values kept plain: see the module docstring). Its text is
    ``body``, or ``template`` rendered with ``context``: give one."""
    if (body is None) == (template is None):
        raise TypeError("Give exactly one of body and template")
    if template is not None:
        body = render_to_string(template, context or {})
    return ServiceEmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to] if isinstance(to, str) else list(to),
        # Last, so that no caller can leave it out.
        headers={**(headers or {}), **AUTO_SUBMITTED},
    )


def role_emails(site: Site | int, *roles: str) -> list[str]:
    """The email addresses of active users with a current membership of the first of
    ``roles`` that has anyone (with an address) at ``site``: sorted, each once.

    ``role_emails(site, HostCoordinator.key, SiteLead.key)`` is the host coordinators, or the
    site leads when there are none. One query, whatever the number of roles."""
    site_id = site.pk if isinstance(site, Site) else site
    found: dict[str, set[str]] = {}
    memberships = (
        Membership.objects.filter(
            site_id=site_id, role__in=roles, ended_at__isnull=True, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("role", "user__email")
    )
    for role, email in memberships:
        found.setdefault(role, set()).add(email)
    return next((sorted(found[role]) for role in roles if role in found), [])


def send_all(messages: Iterable[EmailMessage | None]) -> int:
    """Send ``messages`` (leaving out any None) through one connection to the default
    mailer; how many were sent."""
    messages = [m for m in messages if m is not None]
    if not messages:
        return 0
    return mailers.default.send_messages(messages) or 0
