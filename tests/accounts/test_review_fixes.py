"""Review fixes around people's accounts: connectors get their account from their connector
record, the People page's site field, and the invitation's wording."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core20.accounts.models import Membership, User
from core20.network.models import Connector
from tests.conftest import client_for, page_html, sign_in
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ADD = "accounts:person-invite"
CONNECTOR_MESSAGE = (
    "Connectors get their account from their connector record: "
    "open their page and choose Invite to sign in"
)


def _add(client, **data):
    base = {"full_name": "Tomasz Nowak", "email": "tomasz@example.org"}
    return client.post(reverse(ADD), base | data)


# ---- 1. Connectors get their account from their connector record ----


@pytest.mark.parametrize("role", ["site_lead", "national_admin"])
def test_people_page_does_not_offer_the_connector_role(make_user, role):
    html = page_html(make_user(role), reverse(ADD))
    assert 'value="host_coordinator"' in html
    assert 'value="connector"' not in html
    assert "Community connector" not in html
    assert "choose Invite to sign in" in html


def test_site_lead_is_pointed_to_their_sites_connectors(make_user, site):
    html = page_html(make_user("site_lead"), reverse(ADD))
    assert f'href="{reverse("network:site-connectors", args=[site.slug])}"' in html


@pytest.mark.parametrize("role", ["site_lead", "national_admin"])
def test_choosing_the_connector_role_anyway_is_explained_and_nothing_is_saved(
    client, make_user, site, role
):
    sign_in(client, make_user(role))
    response = _add(client, role="connector", site=site.pk)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and CONNECTOR_MESSAGE in html
    assert not User.objects.filter(email="tomasz@example.org").exists()
    assert mail.outbox == []


def test_site_lead_still_adds_a_host_coordinator(client, make_user, site):
    sign_in(client, make_user("site_lead"))
    assert _add(client, role="host_coordinator", site=site.pk).status_code == 302
    assert Membership.objects.filter(
        user__email="tomasz@example.org", role="host_coordinator", site=site
    ).exists()


@pytest.mark.parametrize("role", ["site_lead", "host_coordinator"])
def test_connector_without_email_says_how_to_invite_them(make_user, site, role):
    tomasz = Connector.objects.create(site=site, name="Tomasz", status="active")
    detail = reverse("network:connector-detail", args=[site.slug, tomasz.pk])
    html = page_html(make_user(role), detail)
    edit = reverse("network:connector-edit", args=[site.slug, tomasz.pk])
    assert f'<a href="{edit}">Add their email address</a> to invite them to sign in' in html
    assert "Invite to sign in</a>" not in html


def test_connector_with_email_shows_invite_not_the_email_hint(make_user, site):
    rita = Connector.objects.create(site=site, name="Rita", email="rita@example.org")
    html = page_html(
        make_user("site_lead"), reverse("network:connector-detail", args=[site.slug, rita.pk])
    )
    assert "Invite to sign in</a>" in html
    assert "Add their email address" not in html


def test_other_sites_lead_cannot_see_the_connector_page(make_user, site, other_site):
    tomasz = Connector.objects.create(site=site, name="Tomasz", status="active")
    lead = make_user("site_lead", scope_site=other_site)
    detail = reverse("network:connector-detail", args=[site.slug, tomasz.pk])
    assert client_for(lead).get(detail).status_code in (403, 404)


# ---- 2. The site is required, and chosen for you when you have one ----


def _site_label(html: str) -> str:
    return re.search(r'<label class="nhsuk-label" for="id_site">([^<]*)</label>', html).group(1)


def _preselected_site(html: str) -> str:
    select = html.split('id="id_site"')[1].split("</select>")[0]
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)


def test_site_lead_sees_site_required_and_preselected(make_user, site):
    html = page_html(make_user("site_lead"), reverse(ADD))
    assert _site_label(html) == "Site"
    assert _preselected_site(html) == str(site.pk)


def test_site_lead_of_two_sites_chooses_the_site(make_user, site, other_site):
    lead = make_user("site_lead")
    MembershipFactory(user=lead, role="site_lead", site=other_site)
    html = page_html(lead, reverse(ADD))
    assert _site_label(html) == "Site"
    assert _preselected_site(html) == ""


def test_national_admin_gets_no_preselected_site(make_user, site):
    html = page_html(make_user("national_admin"), reverse(ADD))
    assert _preselected_site(html) == ""


def test_missing_site_is_said_once(client, make_user, site, other_site):
    lead = make_user("site_lead")
    MembershipFactory(user=lead, role="site_lead", site=other_site)
    sign_in(client, lead)
    html = _add(client, role="host_coordinator").content.decode()
    # Once in the error summary and once by the field.
    assert html.count("Choose the site this role is for") == 2
    assert not User.objects.filter(email="tomasz@example.org").exists()


# ---- 3. The invitation says "choose your password", not "new password" ----


def _invitation_link(client, site, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = _add(client, role="host_coordinator", site=site.pk)
    assert response.status_code == 302
    return re.search(r"https?://[^/]+(/account/password-reset/\S+)", mail.outbox[0].body).group(1)


def test_new_person_chooses_their_password_and_is_asked_to_sign_in(
    client, make_user, site, django_capture_on_commit_callbacks
):
    sign_in(client, make_user("site_lead"))
    link = _invitation_link(client, site, django_capture_on_commit_callbacks)
    client.logout()
    form_page = client.get(link, follow=True)
    html = form_page.content.decode()
    assert "Choose your password" in html and "Choose a new password" not in html
    new = "a-much-longer-new-passphrase-9"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
    )
    html = done.content.decode()
    assert "Your password is set" in html and "has been changed" not in html
    assert f'<a href="{reverse("accounts:login")}">Sign in to start</a>' in html
    # Not signed in: they sign in themselves (national roles need two-factor there).
    assert "_auth_user_id" not in client.session
    assert User.objects.get(email="tomasz@example.org").check_password(new)


def test_person_who_has_signed_in_before_gets_the_reset_wording(client, make_user):
    user = make_user("host_coordinator", last_login=timezone.now())
    client.post(reverse("accounts:password-reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = "a-much-longer-new-passphrase-9"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        follow=True,
    )
    html = done.content.decode()
    assert "Your password has been changed" in html and "Your password is set" not in html
