import re

import pytest
from django.core import mail
from django.urls import reverse

from core20.accounts.models import Membership, User
from core20.audit.models import AuditEvent
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_site_lead_adds_a_host_coordinator_to_their_site_and_they_get_an_invitation(
    client, make_user, site, django_capture_on_commit_callbacks
):
    sign_in(client, make_user("site_lead"))
    # The invitation is sent once the new account is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:person-invite"),
            {
                "full_name": "Amina Khan",
                "email": "Amina@Example.org",
                "role": "host_coordinator",
                "site": site.pk,
            },
        )
    assert response.status_code == 302
    amina = User.objects.get(email="amina@example.org")
    assert not amina.has_usable_password()
    assert Membership.objects.filter(user=amina, role="host_coordinator", site=site).exists()
    assert AuditEvent.objects.filter(
        verb="grant", object_id=str(amina.pk), site_id=site.pk
    ).exists()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert "Choose your password" in page.content.decode()


def test_site_lead_cannot_grant_national_roles_or_other_sites(client, make_user, site, other_site):
    sign_in(client, make_user("site_lead"))
    national = client.post(
        reverse("accounts:person-invite"),
        {"full_name": "X", "email": "x@example.org", "role": "national_admin"},
    )
    assert "Select a valid choice" in national.content.decode()
    other = client.post(
        reverse("accounts:person-invite"),
        {
            "full_name": "X",
            "email": "x@example.org",
            "role": "host_coordinator",
            "site": other_site.pk,
        },
    )
    assert "There is a problem" in other.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def test_missing_site_is_explained_and_nothing_is_saved(client, make_user):
    sign_in(client, make_user("national_admin"))
    response = client.post(
        reverse("accounts:person-invite"),
        {"full_name": "Y", "email": "y@example.org", "role": "host_coordinator"},
    )
    html = response.content.decode()
    assert "Choose the site this role is for" in html and "There is a problem" in html
    assert not User.objects.filter(email="y@example.org").exists()
    assert mail.outbox == []


def test_existing_person_gets_the_extra_role_without_a_new_account(client, make_user, organisation):
    existing = make_user("connector")
    sign_in(client, make_user("national_admin"))
    client.post(
        reverse("accounts:person-invite"),
        {
            "full_name": existing.full_name,
            "email": existing.email,
            "role": "decision_maker",
            "organisation": organisation.pk,
        },
    )
    assert set(existing.memberships.values_list("role", flat=True)) == {
        "connector",
        "decision_maker",
    }
    assert mail.outbox == []


def test_people_list_shows_only_the_site_leads_site(client, make_user, site, other_site):
    make_user("connector", full_name="Here Person")
    make_user("connector", scope_site=other_site, full_name="Elsewhere Person")
    sign_in(client, make_user("site_lead"))
    html = client.get(reverse("accounts:people")).content.decode()
    assert "Here Person" in html and "Elsewhere Person" not in html


def test_ending_a_role_is_audited_and_limited_to_your_site(client, make_user, other_site):
    mine = make_user("connector")
    theirs = make_user("connector", scope_site=other_site)
    sign_in(client, make_user("site_lead"))
    mine_membership = mine.memberships.get()
    theirs_membership = theirs.memberships.get()
    assert (
        client.post(reverse("accounts:membership-revoke", args=[theirs_membership.pk])).status_code
        == 403
    )
    assert (
        client.post(reverse("accounts:membership-revoke", args=[mine_membership.pk])).status_code
        == 302
    )
    mine_membership.refresh_from_db()
    assert mine_membership.ended_at is not None
    assert AuditEvent.objects.filter(verb="revoke", object_id=str(mine.pk)).exists()


@pytest.mark.parametrize(
    "role", ["connector", "host_coordinator", "decision_maker", "national_analyst"]
)
def test_roles_without_membership_management_are_refused(client, make_user, role):
    sign_in(client, make_user(role))
    assert client.get(reverse("accounts:people")).status_code == 403
    assert client.get(reverse("accounts:person-invite")).status_code == 403
