import pytest
from django.core.exceptions import ValidationError

from core20.accounts.authorization import has_any_permission, has_permission, sites_where
from core20.accounts.models import Membership
from core20.accounts.permissions import Permission
from core20.accounts.roles import ROLES, NationalAdmin
from tests.factories import UserFactory


def test_every_role_has_a_plain_english_description():
    for role in ROLES.values():
        assert len(role.description) > 40, role.key
        assert role.scope in {"national", "site", "organisation"}


def test_national_admin_holds_every_permission():
    assert NationalAdmin.permissions == frozenset(Permission)


@pytest.mark.django_db
def test_site_lead_may_edit_their_own_site_only(make_user, site, other_site):
    lead = make_user("site_lead")
    assert has_permission(lead, Permission.SITE_EDIT, site=site)
    assert not has_permission(lead, Permission.SITE_EDIT, site=other_site)
    # Without naming a site, only national memberships count.
    assert not has_permission(lead, Permission.SITE_EDIT)
    assert sites_where(lead, Permission.SITE_EDIT) == {site.pk}


@pytest.mark.django_db
def test_national_admin_may_edit_any_site(make_user, site, other_site):
    admin = make_user("national_admin")
    assert has_permission(admin, Permission.SITE_EDIT, site=other_site)
    assert has_permission(admin, Permission.SITE_EDIT)
    assert sites_where(admin, Permission.SITE_EDIT) is None


@pytest.mark.django_db
def test_decision_maker_permission_applies_to_their_organisation(make_user, organisation):
    dm = make_user("decision_maker")
    assert has_permission(dm, Permission.INSIGHT_RESPOND, organisation=organisation)
    assert not has_permission(dm, Permission.INSIGHT_RESPOND, organisation=organisation.pk + 1)
    assert has_any_permission(dm, Permission.INSIGHT_RESPOND)


@pytest.mark.django_db
def test_ended_membership_grants_nothing(make_user, site):
    from django.utils import timezone

    lead = make_user("site_lead")
    Membership.objects.filter(user=lead).update(ended_at=timezone.now())
    lead.forget_memberships()
    assert not has_permission(lead, Permission.SITE_EDIT, site=site)


@pytest.mark.django_db
def test_anonymous_and_inactive_users_have_no_permissions(make_user, site):
    from django.contrib.auth.models import AnonymousUser

    assert not has_permission(AnonymousUser(), Permission.SITE_EDIT, site=site)
    admin = make_user("national_admin")
    admin.is_active = False
    assert not has_permission(admin, Permission.SITE_EDIT, site=site)


@pytest.mark.django_db
def test_membership_scope_is_validated(site):
    user = UserFactory()
    with pytest.raises(ValidationError, match="whole programme"):
        Membership(user=user, role="national_admin", site=site).full_clean()
    with pytest.raises(ValidationError, match="Choose the site"):
        Membership(user=user, role="site_lead").full_clean()
    with pytest.raises(ValidationError, match="Choose the organisation"):
        Membership(user=user, role="decision_maker").full_clean()
