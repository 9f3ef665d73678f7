"""What a host coordinator sees while moving someone through the pipeline: a way to record
each module from the training table, what was saved after a check, and why someone is
paused or has left, next to their stage."""

import pytest
from django.urls import reverse

from core20.network import actions
from core20.network.models import CheckType, TrainingModule

pytestmark = pytest.mark.django_db


def test_each_module_in_the_training_table_links_to_recording_it(site, recruit, client_as):
    module = TrainingModule.objects.get(code="data-protection")
    client = client_as("host")

    page = client.get(recruit.get_absolute_url()).content.decode()

    form_url = reverse("network:connector-training", args=[site.slug, recruit.pk])
    assert f'href="{form_url}?module={module.pk}">Record<span' in page
    assert f"> {module.title}</span></a>" in page  # the link says which module to screen readers
    form = client.get(f"{form_url}?module={module.pk}").content.decode()
    chosen = form.split(f'name="module" value="{module.pk}"')[1].split(">")[0]
    assert "checked" in chosen


def test_a_module_already_done_offers_to_record_its_renewal(site, recruit, client_as, people):
    module = TrainingModule.objects.get(code="data-protection")
    actions.record_training(
        connector=recruit, module=module, completed_on=recruit.created_at.date(), by=people["host"]
    )

    page = client_as("host").get(recruit.get_absolute_url()).content.decode()

    assert f'Record renewal<span class="nhsuk-u-visually-hidden"> of {module.title}' in page


def test_saving_a_check_says_what_was_saved_in_plain_english(site, recruit, client_as):
    references = CheckType.objects.get(code="references")
    url = reverse("network:connector-check", args=[site.slug, recruit.pk, references.pk])

    response = client_as("host").post(
        url, {"status": "clear", "completed_on": "2025-03-01"}, follow=True
    )

    page = response.content.decode()
    assert "References for Rita Recruit saved: clear." in page
    assert "has been saved" not in page


@pytest.mark.parametrize("stage", ["paused", "left"])
def test_why_someone_is_paused_or_has_left_shows_by_their_stage(
    site, recruit, client_as, people, stage
):
    reason = "Caring for a family member until the new year"
    actions.change_status(connector=recruit, to=stage, reason=reason, by=people["host"])

    page = client_as("host").get(recruit.get_absolute_url()).content.decode()

    top = page.split("<h2>Details</h2>")[0]
    assert f"<p>Reason: {reason}</p>" in top


def test_no_old_reason_is_shown_once_they_are_back(site, recruit, client_as, people):
    host = people["host"]
    actions.change_status(connector=recruit, to="paused", reason="Away for a month", by=host)
    actions.change_status(connector=recruit, to="conversation", by=host)

    page = client_as("host").get(recruit.get_absolute_url()).content.decode()

    assert "Reason:" not in page.split("<h2>Details</h2>")[0]
