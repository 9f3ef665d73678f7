"""The service's automated emails: one way to build them and to say who at a site gets them.

Every email the service sends by itself (not one a person writes) is built with
``automated_email``, so each carries ``Auto-Submitted: auto-generated`` (RFC 3834): mail
programs then send no out-of-office or other automatic replies back to the service.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string

from core20.accounts.models import Membership
from core20.programme.models import Site

AUTO_SUBMITTED = {"Auto-Submitted": "auto-generated"}


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
    ``headers``. Its text is ``body``, or ``template`` rendered with ``context``: give one."""
    if (body is None) == (template is None):
        raise TypeError("Give exactly one of body and template")
    if template is not None:
        body = render_to_string(template, context or {})
    return EmailMessage(
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
