"""The programme in the Django admin: readable, and read-only where the pages are the way
to change things (they validate and audit); audited where the admin is the only way."""

import pytest
from django.urls import reverse

from core20.audit.models import AuditEvent
from core20.programme.models import ClinicalArea, Site
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize(
    "model", ["programme", "wave", "site", "organisation", "clinicalarea", "plusgroup"]
)
def test_every_programme_model_is_listed(model, staff_client, site, organisation):
    assert staff_client.get(reverse(f"admin:programme_{model}_changelist")).status_code == 200


def test_sites_are_view_only_in_the_admin(staff_client, site):
    response = staff_client.get(reverse("admin:programme_site_change", args=[site.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert staff_client.get(reverse("admin:programme_site_add")).status_code == 403
    response = staff_client.post(
        reverse("admin:programme_site_change", args=[site.pk]), {"name": "Changed"}
    )
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.name == "Home Site"


def test_admin_changes_to_clinical_areas_are_audited(staff_client):
    response = staff_client.post(
        reverse("admin:programme_clinicalarea_add"),
        {
            "code": "oral-health",
            "name": "Oral health",
            "group": "cyp",
            "description": "",
            "position": 0,
        },
    )
    assert response.status_code == 302
    area = ClinicalArea.objects.get(code="oral-health")
    event = AuditEvent.objects.get(object_type="programme.ClinicalArea")
    assert event.verb == "create" and event.actor_id == staff_client.user.pk
    assert event.changes["name"] == [None, "Oral health"]
    staff_client.post(
        reverse("admin:programme_clinicalarea_delete", args=[area.pk]), {"post": "yes"}
    )
    assert not ClinicalArea.objects.filter(pk=area.pk).exists()
    assert (
        AuditEvent.objects.filter(object_type="programme.ClinicalArea", verb="delete").count() == 1
    )


def test_site_search_in_the_admin(staff_client, site, other_site):
    response = staff_client.get(reverse("admin:programme_site_changelist"), {"q": "Home"})
    assert list(response.context["cl"].result_list) == [Site.objects.get(name="Home Site")]
