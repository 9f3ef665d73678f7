"""Every oversight page renders for the people who may see it: one <h1>, breadcrumbs, no
template errors."""

import re

import pytest
from django.urls import reverse

from tests.oversight import helpers

pytestmark = pytest.mark.django_db


def _h1s(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def test_pages_render_with_one_heading(client_as, people, site, template):
    admin, lead = people["admin"], people["lead"]
    helpers.allocate(site, admin)
    draft = helpers.start(site, lead)
    submitted = helpers.submitted(site, lead, helpers.quarter_before(*helpers.last_quarter()))
    question = template.questions.first()
    pages = {
        "admin": [
            reverse("oversight:dashboard"),
            reverse("oversight:dashboard") + "?group=wave",
            reverse("oversight:dashboard") + "?group=none&stale_days=5",
            reverse("oversight:funding-summary"),
            reverse("oversight:site-funding", args=[site.slug]),
            reverse("oversight:allocation-create", args=[site.slug]),
            reverse("oversight:spend-report", args=[site.slug]),
            reverse("oversight:return-list"),
            reverse("oversight:site-returns", args=[site.slug]),
            reverse("oversight:return-start", args=[site.slug]),
            reverse("oversight:return-detail", args=[draft.pk]),
            reverse("oversight:return-detail", args=[submitted.pk]),
            reverse("oversight:return-edit", args=[draft.pk]),
            reverse("oversight:return-review", args=[submitted.pk]),
            reverse("oversight:return-due-date", args=[draft.pk]),
            reverse("oversight:return-version", args=[draft.pk, 1]),
            reverse("oversight:template-list"),
            reverse("oversight:template-detail", args=[site.wave_id]),
            reverse("oversight:section-create", args=[site.wave_id]),
            reverse("oversight:question-create", args=[site.wave_id]),
            reverse("oversight:question-edit", args=[site.wave_id, question.pk]),
        ],
        "lead": [
            reverse("oversight:site-funding", args=[site.slug]),
            reverse("oversight:site-returns", args=[site.slug]),
            reverse("oversight:return-detail", args=[draft.pk]),
            reverse("oversight:return-edit", args=[draft.pk]),
        ],
    }
    for who, urls in pages.items():
        client = client_as(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            assert _h1s(response) == 1, (who, url)
            assert 'aria-label="Breadcrumb"' in response.content.decode(), (who, url)
