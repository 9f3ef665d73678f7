import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

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


def _invited(make_user, role="host_coordinator", **kwargs):
    person = make_user(role, full_name="Amina Khan", email="amina@example.org", **kwargs)
    person.set_unusable_password()
    person.last_login = None
    person.save()
    return person


def test_people_not_signed_in_yet_are_marked_and_can_be_sent_the_invitation_again(
    client, make_user, site, django_capture_on_commit_callbacks
):
    lead = make_user("site_lead", last_login=timezone.now())
    amina = _invited(make_user)
    sign_in(client, lead)
    page = client.get(reverse("accounts:people")).content.decode()
    # Amina is marked, not the lead, who has signed in.
    assert page.count('nhsuk-tag--grey">Not signed in yet<') == 1
    membership = amina.memberships.get()
    resend = reverse("accounts:person-reinvite", args=[membership.pk])
    assert f'action="{resend}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, follow=True)
    assert "We have emailed Amina Khan a new invitation to sign in" in response.content.decode()
    [email] = mail.outbox
    assert email.to == ["amina@example.org"]
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", email.body).group(1)
    assert "Choose your password" in client.get(link, follow=True).content.decode()
    event = AuditEvent.objects.get(summary="Sent the invitation to sign in again")
    assert (event.actor_id, event.object_id, event.site_id) == (lead.pk, str(amina.pk), site.pk)


def test_the_invitation_is_not_resent_to_someone_who_has_signed_in(client, make_user):
    sign_in(client, make_user("site_lead"))
    coordinator = make_user("host_coordinator", last_login=timezone.now())
    response = client.post(
        reverse("accounts:person-reinvite", args=[coordinator.memberships.get().pk]), follow=True
    )
    assert "has already signed in" in response.content.decode()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(summary="Sent the invitation to sign in again").exists()


def test_only_the_lead_of_the_roles_site_may_resend(client, make_user, other_site):
    amina = _invited(make_user, scope_site=other_site)
    sign_in(client, make_user("site_lead"))
    response = client.post(reverse("accounts:person-reinvite", args=[amina.memberships.get().pk]))
    assert response.status_code == 403
    assert mail.outbox == []


def test_an_invited_person_whose_link_ran_out_can_use_forgotten_password(client, make_user):
    amina = _invited(make_user)
    client.post(reverse("accounts:password-reset"), {"email": "AMINA@example.org"})
    [email] = mail.outbox
    assert email.to == [amina.email]
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", email.body).group(1)
    assert "Choose your password" in client.get(link, follow=True).content.decode()


def test_forgotten_password_still_sends_nothing_for_a_switched_off_account(client, make_user):
    amina = _invited(make_user)
    amina.is_active = False
    amina.save()
    client.post(reverse("accounts:password-reset"), {"email": amina.email})
    assert mail.outbox == []


def test_national_admins_filter_people_by_name_role_and_site(client, make_user, other_site):
    make_user("host_coordinator", full_name="Amina Khan", email="amina@example.org")
    make_user("site_lead", scope_site=other_site, full_name="Bola Ade", email="bola@example.org")
    make_user("connector", full_name="Amir Patel", email="amir@example.org")
    sign_in(client, make_user("national_admin", full_name="Nadia Admin"))
    people = reverse("accounts:people")
    page = client.get(people).content.decode()
    assert "Everyone with a role in the programme" in page

    def names(query: dict) -> list[str]:
        html = client.get(people, query).content.decode()
        return re.findall(r"<span>([^<]+)<br><span class=\"nhsuk-body-s", html)

    assert names({"q": "AMI"}) == ["Amina Khan", "Amir Patel"]
    assert names({"q": "bola@"}) == ["Bola Ade"]
    assert names({"role": "connector"}) == ["Amir Patel"]
    assert names({"site": other_site.slug}) == ["Bola Ade"]
    html = client.get(people, {"q": "Ami", "role": "host_coordinator"}).content.decode()
    assert "1 role matches your filters" in html
    assert "No one matches these filters" in client.get(people, {"q": "zz"}).content.decode()
    wrong = client.get(people, {"role": "emperor"}).content.decode()
    assert "<title>Error: People" in wrong and "Choose a role from the list" in wrong


def test_a_site_lead_has_no_site_filter_and_sees_only_their_site(client, make_user, other_site):
    make_user("connector", scope_site=other_site, full_name="Elsewhere Person")
    sign_in(client, make_user("site_lead"))
    html = client.get(reverse("accounts:people"), {"q": "Elsewhere"}).content.decode()
    assert 'name="site"' not in html
    assert "Everyone with a role at your site" in html
    assert "Elsewhere Person" not in html


def test_the_people_list_is_paged_with_its_filters_kept(client, make_user, site):
    from tests.factories import MembershipFactory, UserFactory

    for n in range(52):
        MembershipFactory(
            user=UserFactory(full_name=f"Person {n:02}"), role="community_member", site=site
        )
    sign_in(client, make_user("site_lead"))
    first = client.get(reverse("accounts:people"), {"role": "community_member"}).content.decode()
    assert "52 roles match your filters" in first
    assert "Person 49" in first and "Person 50" not in first
    assert "?role=community_member&amp;page=2" in first
    second = client.get(
        reverse("accounts:people"), {"role": "community_member", "page": 2}
    ).content.decode()
    assert "Person 50" in second and "Person 51" in second


# Session, user, roles, two-factor check, the count, the page of roles, ... (fixed).
QUERIES = 8


def test_the_people_list_takes_the_same_queries_however_many_people(
    client, make_user, site, django_assert_max_num_queries
):
    from tests.factories import MembershipFactory, UserFactory

    sign_in(client, make_user("national_admin"))
    client.get(reverse("accounts:people"))  # warm the session and caches
    for _ in range(30):
        MembershipFactory(user=UserFactory(), role="community_member", site=site)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(reverse("accounts:people")).status_code == 200
