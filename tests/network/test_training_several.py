"""A coordinator records several modules a connector completed on the same date in one go
(ticking each), all or nothing, each with its own audit event: training used to be one
module a form. A module's "Record" link still ticks that one module, and the API still
records one at a time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.network import actions
from core20.network.models import TrainingCompletion, TrainingModule

pytestmark = pytest.mark.django_db

INDUCTION = "Connector induction"
PROTECTION = "Data protection and confidentiality"


def _module(title: str) -> TrainingModule:
    return TrainingModule.objects.get(site=None, title=title)


def _form_url(site, connector) -> str:
    return reverse("network:connector-training", args=[site.slug, connector.pk])


def _training_events(connector):
    return AuditEvent.objects.filter(
        object_id=str(connector.pk), summary__startswith="Training recorded:"
    )


def test_a_coordinator_ticks_several_modules_and_records_them_with_one_date(
    site, recruit, client_as
):
    induction, protection = _module(INDUCTION), _module(PROTECTION)
    client = client_as("host")

    form = client.get(_form_url(site, recruit)).content.decode()
    assert 'type="checkbox" name="module"' in form
    response = client.post(
        _form_url(site, recruit),
        {
            "module": [induction.pk, protection.pk],
            "completed_on": "2025-06-02",
            "evidence": "Certificate 42",
        },
        follow=True,
    )

    page = response.content.decode()
    assert (
        f"2 training modules have been recorded for Rita Recruit: {INDUCTION} and {PROTECTION}."
        in page
    )
    done = TrainingCompletion.objects.filter(connector=recruit)
    assert sorted(c.module.title for c in done) == [INDUCTION, PROTECTION]
    assert {(c.completed_on, c.evidence) for c in done} == {
        (datetime.date(2025, 6, 2), "Certificate 42")
    }
    # Each audited as when it is recorded on its own.
    assert sorted(e.summary for e in _training_events(recruit)) == [
        f"Training recorded: {INDUCTION}",
        f"Training recorded: {PROTECTION}",
    ]


def test_one_module_ticked_says_which_as_before(site, recruit, client_as):
    module = _module(INDUCTION)

    response = client_as("host").post(
        _form_url(site, recruit), {"module": module.pk, "completed_on": "2025-06-02"}, follow=True
    )

    assert f"{INDUCTION} has been recorded for Rita Recruit." in response.content.decode()
    assert TrainingCompletion.objects.filter(connector=recruit).count() == 1


def test_nothing_ticked_asks_for_a_module_and_saves_nothing(site, recruit, client_as):
    response = client_as("host").post(_form_url(site, recruit), {"completed_on": "2025-06-02"})

    assert response.status_code == 200
    assert "Choose at least one training module" in response.content.decode()
    assert not TrainingCompletion.objects.filter(connector=recruit).exists()


def test_a_problem_with_one_module_saves_none_of_them(site, other_site, recruit, people):
    elsewhere = TrainingModule.objects.create(site=other_site, code="local", title="Local")

    with pytest.raises(ValidationError) as exc:
        actions.record_training_modules(
            connector=recruit,
            modules=[_module(INDUCTION), elsewhere],
            completed_on=timezone.localdate(),
            by=people["host"],
        )

    assert exc.value.message_dict == {"module": ["This module is not used at this site"]}
    assert not TrainingCompletion.objects.filter(connector=recruit).exists()
    assert not _training_events(recruit).exists()


def test_a_date_in_the_future_is_refused_on_the_page_and_nothing_is_saved(site, recruit, client_as):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client_as("host").post(
        _form_url(site, recruit),
        {
            "module": [_module(INDUCTION).pk, _module(PROTECTION).pk],
            "completed_on": tomorrow.isoformat(),
        },
    )

    assert "must be today or in the past" in response.content.decode()
    assert not TrainingCompletion.objects.filter(connector=recruit).exists()
    assert not _training_events(recruit).exists()


def test_people_who_may_not_manage_the_site_record_nothing(site, recruit, people):
    with pytest.raises(Exception) as exc:
        actions.record_training_modules(
            connector=recruit,
            modules=[_module(INDUCTION)],
            completed_on=timezone.localdate(),
            by=people["other_host"],
        )

    assert exc.type.__name__ == "PermissionDenied"
    assert not TrainingCompletion.objects.filter(connector=recruit).exists()
