"""Service actions: organisations are reused by name within reach, and only the directory's
managers may write."""

import pytest
from django.core.exceptions import PermissionDenied

from core20.directory import actions
from core20.directory.models import Organization, Service
from tests.directory.factories import OrganizationFactory, ServiceFactory

BASE = {"name": "Walk", "status": "active", "referral_routes": ["self"]}


def test_organisations_are_reused_by_name_own_first_then_national(site, other_site, make_user):
    lead = make_user("site_lead")
    national = OrganizationFactory(name="Age UK")
    OrganizationFactory(name="Walk Together", site=other_site)
    first = actions.create_service(
        site=site, data={**BASE, "organization_name": "walk together"}, by=lead
    )
    second = actions.create_service(
        site=site, data={**BASE, "name": "Talk", "organization_name": "Walk Together"}, by=lead
    )
    third = actions.create_service(
        site=site, data={**BASE, "name": "Help", "organization_name": "AGE UK"}, by=lead
    )
    assert first.organization == second.organization
    assert first.organization.site == site  # not the other site's organisation
    assert third.organization == national
    assert Organization.objects.count() == 3


@pytest.mark.parametrize("role", ["connector", "community_member", "national_analyst"])
def test_only_managers_write(role, site, make_user):
    user = make_user(role)
    service = ServiceFactory(site=site)
    with pytest.raises(PermissionDenied):
        actions.create_service(site=site, data={**BASE, "organization_name": "X"}, by=user)
    with pytest.raises(PermissionDenied):
        actions.update_service(service=service, data={"name": "Changed"}, by=user)
    with pytest.raises(PermissionDenied):
        actions.delete_service(service=service, by=user)
    service.refresh_from_db()
    assert service.name != "Changed"


def test_a_host_coordinator_cannot_change_a_national_service(site, make_user):
    national = ServiceFactory(name="Helpline")
    with pytest.raises(PermissionDenied):
        actions.update_service(
            service=national, data={"name": "Mine"}, by=make_user("host_coordinator")
        )
    actions.update_service(service=national, data={"name": "Line"}, by=make_user("national_admin"))
    assert Service.objects.get().name == "Line"
