"""An import that changes someone's role (volunteer → sessional → employed) keeps the change
on their pathway, as the "Change role" page does (actions.change_role_type): it used to
change the role with no step, so their pathway and the coordinator's history lost it."""

import pytest
from django.utils import timezone

from core20.audit.models import AuditEvent
from core20.network import importing
from core20.network.models import Connector, PathwayStep
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = "name,email,role_type\nAsha Patel,asha@example.org,{role}\n"


def _import(site, by, role: str):
    return importing.import_connectors(
        site=site, name="volunteers.csv", content=LIST.format(role=role).encode(), by=by
    )


@pytest.fixture
def asha(site, people):
    _import(site, people["host"], "volunteer")
    asha = Connector.objects.get(site=site, email="asha@example.org")
    asha.user = people["connector"]
    asha.save(update_fields=["user"])
    return asha


@pytest.mark.parametrize("importer", ["host", "lead"])
def test_a_role_changed_by_an_import_is_a_step_on_their_pathway(site, people, asha, importer):
    by = people[importer]

    result = _import(site, by, "sessional")

    assert (result.updated, result.unchanged) == (1, 0)
    asha.refresh_from_db()
    assert asha.role_type == "sessional"
    step = PathwayStep.objects.get(connector=asha)
    assert (step.from_role_type, step.role_type) == ("volunteer", "sessional")
    assert step.started_on == timezone.localdate()
    assert step.note == "Imported from volunteers.csv"
    assert step.recorded_by == by
    # Audited as the "Change role" page audits it, beside the import's own event.
    event = AuditEvent.objects.get(object_id=str(asha.pk), summary="Pathway: now sessional or paid")
    assert event.actor_id == by.pk
    assert event.changes == {"role_type": ["Volunteer", "Sessional or paid"]}


def test_the_connector_and_their_host_coordinator_see_the_imported_step(site, people, asha):
    _import(site, people["lead"], "employed")
    today = timezone.localdate().strftime("%-d %b %Y")

    home = client_for(people["connector"]).get("/network/me/").content.decode()
    record = client_for(people["host"]).get(asha.get_absolute_url()).content.decode()

    assert "Your pathway" in home and f"{today}: Employed" in home
    assert f"{today}: Volunteer → Employed – Imported from volunteers.csv" in record


def test_importing_the_same_role_again_adds_no_step(site, people, asha):
    result = _import(site, people["host"], "volunteer")

    assert result.unchanged == 1
    assert not PathwayStep.objects.filter(connector=asha).exists()


def test_a_new_connector_s_role_is_where_they_start_not_a_step(site, people):
    _import(site, people["host"], "employed")

    asha = Connector.objects.get(site=site, email="asha@example.org")
    assert asha.role_type == "employed"
    assert not PathwayStep.objects.filter(connector=asha).exists()
