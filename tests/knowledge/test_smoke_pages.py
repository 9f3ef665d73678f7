"""Every knowledge page renders with one <h1> and breadcrumbs."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core20.knowledge import actions, tokens
from tests.knowledge import helpers

pytestmark = pytest.mark.django_db


def test_pages_render_with_one_heading(admin_client, admin):
    resource = helpers.resource(admin, upload=helpers.pdf())
    pending = helpers.subscriber("p@example.org", confirmed=False)
    confirmed = helpers.subscriber("c@example.org")
    mailing = actions.create_mailing(data={"subject": "News", "body": "Hello"}, by=admin)
    public = [
        reverse("knowledge:resource-list"),
        resource.get_absolute_url(),
        reverse("knowledge:mailing-list-signup"),
        reverse("knowledge:mailing-list-check-email"),
        reverse("knowledge:mailing-list-confirm", args=[tokens.confirm_token(pending)]),
        reverse("knowledge:mailing-list-confirm", args=["bad"]),
        reverse(
            "knowledge:mailing-list-unsubscribe",
            args=[tokens.unsubscribe_token(confirmed.email_hash)],
        ),
    ]
    managed = [
        reverse("knowledge:resource-create"),
        reverse("knowledge:resource-edit", args=[resource.slug]),
        reverse("knowledge:mailing-list"),
        reverse("knowledge:mailing-create"),
        reverse("knowledge:mailing-detail", args=[mailing.pk]),
        reverse("knowledge:mailing-edit", args=[mailing.pk]),
    ]
    for client, urls in ((Client(), public), (admin_client, managed)):
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 400), url
            page = response.content.decode()
            assert len(re.findall(r"<h1[\s>]", page)) == 1, url
            assert 'aria-label="Breadcrumb"' in page, url
