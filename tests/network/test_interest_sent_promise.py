"""After someone expresses interest, the thank-you page and the confirmation email say a
coordinator will get in touch, and promise no time: nothing in the service makes
coordinators reply within one."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core20.network import actions
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# Words that would promise a time to reply.
TIME_PROMISE = re.compile(r"\b(within|usually|days?|weeks?|months?)\b", re.IGNORECASE)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_thank_you_page_promises_no_time(client, site):
    response = client.get(reverse("network:interest-sent", args=[site.slug]))
    assert response.status_code == 200
    page = _text(response.content.decode())
    sentence = (
        f"A coordinator at {site.name} will get in touch with you for a friendly chat about "
        "being a connector."
    )
    assert sentence in page
    assert "two weeks" not in page
    panel = page[page.index("Thank you, we have your details") : page.index("What happens next")]
    assert not TIME_PROMISE.search(panel)


def test_the_confirmation_email_promises_no_time_either(site, django_capture_on_commit_callbacks):
    MembershipFactory(user=UserFactory(), role="host_coordinator", site=site)
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_interest(
            site=site,
            data={"name": "Priya Shah", "email": "priya@example.org"},
            base_url="https://connect.example.org",
        )
    confirmation = next(m for m in mail.outbox if m.to == ["priya@example.org"])
    assert "will get in touch with you for a friendly chat" in confirmation.body
    assert not TIME_PROMISE.search(confirmation.body)
