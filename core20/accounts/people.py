"""Managing people: national admins manage everyone; site leads manage their site's team.

A site lead may grant the site-scoped roles (site lead, host coordinator, community member)
at their own site only. National and organisation roles are granted by national admins.
No one grants the connector role here: a connector's account comes from their connector
record's "Invite to sign in" (``core20.network.actions.invite_connector``), which also links
the account to the record, without which they cannot log hours or see their connector home.
"""

from django import forms
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import format_html
from django.utils.http import urlsafe_base64_encode

from core20.accounts import actions
from core20.accounts.authorization import has_permission, sites_where
from core20.accounts.models import Membership, User
from core20.accounts.permissions import Permission
from core20.accounts.roles import ROLES
from core20.accounts.roles import Connector as ConnectorRole
from core20.audit.models import AuditEvent
from core20.audit.recording import record
from core20.mail import automated_email
from core20.programme.forms import FilterBoundField
from core20.programme.models import Organisation, Site


def manageable_memberships(user) -> QuerySet[Membership]:
    where = sites_where(user, Permission.MEMBERSHIP_MANAGE)
    memberships = Membership.objects.filter(ended_at__isnull=True).select_related(
        "user", "site", "organisation"
    )
    if where is None:
        return memberships
    return memberships.filter(site_id__in=where)


CONNECTOR_ROLE_MESSAGE = (
    "Connectors get their account from their connector record: "
    "open their page and choose Invite to sign in"
)


def grantable_roles(user) -> list[tuple[str, str]]:
    """The roles ``user`` may grant on the People page: never the connector role (see the
    module's docstring), and only site roles for site leads."""
    everywhere = sites_where(user, Permission.MEMBERSHIP_MANAGE) is None
    return [
        (key, role.name)
        for key, role in ROLES.items()
        if key != ConnectorRole.key and (everywhere or role.scope == "site")
    ]


def connectors_list_url(where: set[int] | None) -> str:
    """The connectors list of the one site in ``where``, else the connector network page
    (which lists the sites)."""
    if where is not None and len(where) == 1:
        site = Site.objects.filter(pk__in=where).only("slug").first()
        if site is not None:
            return reverse("network:site-connectors", args=[site.slug])
    return reverse("network:index")


class RoleField(forms.ChoiceField):
    def validate(self, value):
        # Explain, rather than "Select a valid choice", to someone who tries anyway.
        if value == ConnectorRole.key:
            raise ValidationError(CONNECTOR_ROLE_MESSAGE, code="connector")
        super().validate(value)


def may_manage_membership(user, membership: Membership) -> bool:
    if has_permission(user, Permission.MEMBERSHIP_MANAGE):
        return True
    return membership.site_id is not None and has_permission(
        user, Permission.MEMBERSHIP_MANAGE, site=membership.site_id
    )


class PeopleFilterForm(forms.Form):
    """The People list's filters (GET): a name or address, a role, and for people who
    manage several sites, a site."""

    bound_field_class = FilterBoundField

    q = forms.CharField(
        label="Name or email address", required=False, max_length=200, help_text="Or part of one"
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        error_messages={"invalid_choice": "Choose a role from the list"},
    )
    site = forms.ModelChoiceField(
        label="Site",
        queryset=Site.objects.none(),
        required=False,
        empty_label="Any site",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose a site from the list"},
    )

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any role"), *[(r.key, r.name) for r in ROLES.values()]]
        where = sites_where(by, Permission.MEMBERSHIP_MANAGE)
        if where is not None and len(where) <= 1:
            del self.fields["site"]
        else:
            sites = Site.objects.order_by("name")
            self.fields["site"].queryset = sites if where is None else sites.filter(pk__in=where)

    def filter(self, memberships: QuerySet[Membership]) -> QuerySet[Membership]:
        """``memberships`` narrowed by the valid filters (all of them when the form is not
        valid: its errors say why)."""
        if not self.is_bound or not self.is_valid():
            return memberships
        data = self.cleaned_data
        if data["q"].strip():
            text = data["q"].strip()
            memberships = memberships.filter(
                Q(user__full_name__icontains=text) | Q(user__email__icontains=text)
            )
        if data["role"]:
            memberships = memberships.filter(role=data["role"])
        if data.get("site"):
            memberships = memberships.filter(site=data["site"])
        return memberships


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
    role = RoleField(
        label="Role", widget=forms.RadioSelect, error_messages={"required": "Choose a role"}
    )
    site = forms.ModelChoiceField(
        label="Site",
        required=False,
        queryset=Site.objects.none(),
        help_text="For site roles: the site they work for.",
        error_messages={"required": "Choose the site this role is for"},
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
        roles = grantable_roles(by)
        where = sites_where(by, Permission.MEMBERSHIP_MANAGE)
        self.fields["role"].choices = roles
        self.fields["role"].help_text = format_html(
            "To give a connector an account, open their page in "
            '<a href="{}">the list of connectors</a> and choose Invite to sign in.',
            connectors_list_url(where),
        )
        site = self.fields["site"]
        site.queryset = Site.objects.all() if where is None else Site.objects.filter(pk__in=where)
        if all(ROLES[key].scope == "site" for key, _ in roles):
            site.required = True
            site.help_text = "The site they work for."
        else:
            # Required for site roles only (checked in clean): not marked "(optional)".
            site.sometimes_required = True
        if where is not None and len(where) == 1:
            site.initial = next(iter(where))
        if where is not None:
            del self.fields["organisation"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        role = ROLES.get(data.get("role") or "")
        if role is None:
            return data
        if role.scope == "site" and not data.get("site") and "site" not in self.errors:
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


@transaction.atomic
def resend_invitation(*, membership: Membership, by: User, request) -> None:
    """Send a person who has not signed in yet a fresh invitation (the first one's link
    lasts 3 days). Audited against the person, at the site of the role it was sent from."""
    user = membership.user
    if not user.awaiting_first_sign_in:
        raise ValidationError(f"{user.full_name} has already signed in: there is nothing to resend")
    record(
        actor=by,
        verb=AuditEvent.Verb.UPDATE,
        obj=user,
        site=membership.site,
        summary="Sent the invitation to sign in again",
    )
    transaction.on_commit(lambda: send_invitation(user=user, request=request))


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
