"""Emails about an expression of interest sent through the public form.

- The person, if they gave an email address, gets a confirmation: what happens next, how to
  change their mind and the privacy notice. It repeats only their first name.
- The site's team (its host coordinators, or its site leads when it has none) gets a notice
  with no personal details at all: that there is a new one, how many are waiting and a link
  to the inbox. Emails are forwarded, kept and read on shared screens; what people tell us
  (lived experience above all) stays in the service, behind sign-in.

``actions.submit_interest`` sends them once the submission is saved. A failure to send is
logged and never undoes the submission.
"""

import logging
import re

from django.core.mail import EmailMessage
from django.urls import reverse

from core20.accounts.roles import HostCoordinator, SiteLead
from core20.mail import automated_email, role_emails, send_all
from core20.network.models import Connector
from core20.programme.models import Site
from core20.web.absolute import absolute_url

logger = logging.getLogger(__name__)

# Anyone can type any address into the public form, so only a name-like first word is
# repeated back: never a web address or other text someone wants to send a stranger.
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_NAME_MAX = 40


def first_name(name: str) -> str:
    """The first word of ``name`` if it looks like a name, else ""."""
    words = name.split()
    word = words[0] if words else ""
    return word if len(word) <= _NAME_MAX and _NAME_WORD.fullmatch(word) else ""


def confirmation(connector: Connector, base_url: str) -> list[EmailMessage]:
    """The person's confirmation; none when they gave no email address."""
    if not connector.email:
        return []
    site = connector.site
    place = site.place or site.name
    host = connector.host_organisation
    return [
        automated_email(
            subject=f"We have your interest in becoming a community connector in {place}",
            template="network/email/interest_confirmation.txt",
            context={
                "first_name": first_name(connector.name),
                "place": place,
                "team": host.name if host else site.name,
                "privacy_url": absolute_url(base_url, reverse("web:privacy")),
            },
            to=connector.email,
        )
    ]


def inbox_url(site: Site, base_url: str) -> str:
    path = reverse("network:site-connectors", args=[site.slug])
    return absolute_url(base_url, f"{path}?stage={Connector.Status.INTERESTED}")


def team_notices(connector: Connector, base_url: str) -> list[EmailMessage]:
    """One notice to each of the site's team: no name, no contact details, no text."""
    site = connector.site
    recipients = role_emails(site, HostCoordinator.key, SiteLead.key)
    if not recipients:
        logger.warning("No one to tell about a new expression of interest at site %s", site.pk)
        return []
    context = {
        "site": site,
        "waiting": Connector.objects.filter(site=site, status=Connector.Status.INTERESTED).count(),
        "inbox_url": inbox_url(site, base_url),
    }
    return [
        automated_email(
            subject=f"New expression of interest at {site.name}",
            template="network/email/interest_notice.txt",
            context=context,
            to=email,
        )
        for email in recipients
    ]


def send_interest_emails(connector: Connector, base_url: str) -> int:
    """Send the confirmation and the team's notices; how many were sent. Each is tried even
    if the other fails, and a failure is logged (without personal details), not raised: the
    submission is already saved and the team will see it in the inbox."""
    sent = 0
    for what, build in (("confirmation", confirmation), ("team notice", team_notices)):
        try:
            sent += send_all(build(connector, base_url))
        except Exception:  # the mail server failed: the submission stands, say so in the log
            logger.exception(
                "Could not send the %s for expression of interest %s", what, connector.pk
            )
    return sent
