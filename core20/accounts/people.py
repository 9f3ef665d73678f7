"""Managing people: national admins manage everyone; site leads manage their site's team.

A site lead may grant the site-scoped roles (site lead, host coordinator, connector,
community member) at their own site only. National and organisation roles are granted by
national admins.
"""

from django import forms
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core20.accounts import actions
from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.models import Membership, User
from core20.accounts.permissions import Permission
from core20.accounts.roles import ROLES
from core20.mail import automated_email
from core20.programme.models import Organisation, Site


def manageable_memberships(user) -> QuerySet[Membership]:
    where = sites_where(user, Permission.MEMBERSHIP_MANAGE)
    memberships = Membership.objects.filter(ended_at__isnull=True).select_related(
        "user", "site", "organisation"
    )
    if where is None:
        return memberships
    return memberships.filter(site_id__in=where)


def grantable_roles(user) -> list[tuple[str, str]]:
    if sites_where(user, Permission.MEMBERSHIP_MANAGE) is None:
        return [(key, role.name) for key, role in ROLES.items()]
    return [(key, role.name) for key, role in ROLES.items() if role.scope == "site"]


def may_manage_membership(user, membership: Membership) -> bool:
    if has_permission(user, Permission.MEMBERSHIP_MANAGE):
        return True
    return membership.site_id is not None and has_permission(
        user, Permission.MEMBERSHIP_MANAGE, site=membership.site_id
    )


class InviteForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )
    site = forms.ModelChoiceField(
        label="Site",
        required=False,
        queryset=Site.objects.none(),
        help_text="For site roles: the site they work for.",
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        required=False,
        queryset=Organisation.objects.all(),
        help_text="For decision-makers: the organisation they work for.",
    )

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["role"].choices = grantable_roles(by)
        where = sites_where(by, Permission.MEMBERSHIP_MANAGE)
        self.fields["site"].queryset = (
            Site.objects.all() if where is None else Site.objects.filter(pk__in=where)
        )
        if where is not None:
            del self.fields["organisation"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        role = ROLES.get(data.get("role") or "")
        if role is None:
            return data
        if role.scope == "site" and not data.get("site"):
            self.add_error("site", "Choose the site this role is for")
        if role.scope == "organisation" and not data.get("organisation"):
            self.add_error("organisation", "Choose the organisation this role is for")
        if role.scope != "site":
            data["site"] = None
        if role.scope != "organisation":
            data["organisation"] = None
        site, organisation = data.get("site"), data.get("organisation")
        email = data.get("email")
        if (
            email
            and Membership.objects.filter(
                user__email=email,
                role=role.key,
                site=site,
                organisation=organisation,
                ended_at__isnull=True,
            ).exists()
        ):
            self.add_error("role", "This person already has this role here")
        return data


@transaction.atomic
def invite(*, full_name: str, email: str, role: str, site, organisation, by: User, request) -> User:
    """Grant the role, creating the account if needed; a new person gets an email with a link
    to choose their password (the password-reset flow)."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = actions.create_user(email=email, full_name=full_name, password=None, by=by)
    actions.grant_role(user=user, role=role, site=site, organisation=organisation, by=by)
    if created:
        transaction.on_commit(lambda: send_invitation(user=user, request=request))
    return user


def send_invitation(*, user: User, request) -> None:
    """Email a new person a link to choose their password (Django's password-reset token)."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
    }
    automated_email(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        template="accounts/email/invitation.txt",
        context=context,
        to=user.email,
    ).send()
