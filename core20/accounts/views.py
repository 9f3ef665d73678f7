"""Sign in and out, two-factor, password reset, the profile page and API tokens."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core20.accounts import actions
from core20.accounts.authorization import has_permission, require_permission, sites_where
from core20.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    DigestFrequencyForm,
    NewPasswordForm,
    PasswordResetForm,
    SignInForm,
    TokenVerifyForm,
)
from core20.accounts.models import ApiToken, Membership, User
from core20.accounts.permissions import Permission
from core20.accounts.roles import ROLES
from core20.accounts.two_factor import (
    confirmed_totp_device,
    pending_totp_device,
    qr_code_svg,
    readable_secret,
)
from core20.web.absolute import base_url


class SignIn(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOut(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class PasswordReset(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


# Set when someone invited (never signed in) chooses their first password, so that the
# complete page welcomes them rather than saying their password has changed.
FIRST_TIME_FLAG = "accounts_first_time_set_up"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Choosing a password from an emailed link: the invitation's too. We never sign them in
    here, because national roles must pass two-factor at sign-in."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    form_class = NewPasswordForm

    def _first_time(self) -> bool:
        return self.user is not None and self.user.last_login is None

    def get_form_kwargs(self):
        how = "first" if self._first_time() else "reset"
        return {**super().get_form_kwargs(), "how": how, "base": base_url(self.request)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(first_time=self._first_time(), **kwargs)

    def form_valid(self, form):
        self.request.session[FIRST_TIME_FLAG] = self._first_time()
        return super().form_valid(form)


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        first_time = self.request.session.pop(FIRST_TIME_FLAG, False)
        return super().get_context_data(first_time=first_time, **kwargs)


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if confirmed_totp_device(request.user) is not None:
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect("accounts:profile")
    device = pending_totp_device(request.user)
    form = TokenVerifyForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        actions.confirm_two_factor(device=device, by=request.user)
        otp_login(request, device)
        messages.success(
            request,
            "Two-factor sign-in is set up. You will be asked for a code each time you sign in.",
        )
        return redirect("web:home")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_code": qr_code_svg(device), "secret": readable_secret(device)},
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_totp_device(request.user)
    if device is None:
        return redirect("accounts:two-factor-setup")
    form = TokenVerifyForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_safe_next(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


DIGEST_SAVED = {
    User.DigestFrequency.DAILY: "We will email you what is waiting for you every working day.",
    User.DigestFrequency.WEEKLY: (
        "We will email you what is waiting for you on Mondays, or on Tuesday when Monday is a "
        "bank holiday."
    ),
    User.DigestFrequency.NEVER: "We will not email you what is waiting for you.",
}


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The person's account; a POST saves how often they get the "waiting for you" email."""
    user = request.user
    form = DigestFrequencyForm(
        request.POST if request.method == "POST" else None,
        initial={"digest_frequency": user.digest_frequency},
    )
    if request.method == "POST" and form.is_valid():
        actions.set_digest_frequency(
            user=user, frequency=form.cleaned_data["digest_frequency"], by=user
        )
        messages.success(request, DIGEST_SAVED[user.digest_frequency])
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": user.cached_memberships,
            "two_factor": confirmed_totp_device(user) is not None,
            "can_use_api": _can_use_api(user),
            "digest_form": form,
        },
    )


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's password, knowing the current one. The person stays signed in here;
    their other sessions (another browser, a lost phone) are signed out, because Django ties
    each session to the password it was made with."""
    form = ChangePasswordForm(
        request.user, request.POST or None, request=request, base=base_url(request)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, request.user)
        messages.success(
            request,
            "Your password has been changed. You have been signed out everywhere else, and we "
            "have emailed you to confirm.",
        )
        return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


def _can_use_api(user) -> bool:
    from core20.accounts.authorization import has_any_permission

    return has_any_permission(user, Permission.API_TOKEN_MANAGE)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    if not _can_use_api(request.user):
        require_permission(request.user, Permission.API_TOKEN_MANAGE)
    form = ApiTokenForm(request.POST or None, user=request.user)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _, new_token = actions.create_api_token(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["lifetime"],
            by=request.user,
        )
        form = ApiTokenForm(user=request.user)
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the owner's own tokens can be found here: anyone else's is a 404.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    actions.revoke_api_token(token=token, by=request.user)
    messages.success(
        request, f"The token “{token.name}” has been revoked. Programs using it will stop working."
    )
    return redirect("accounts:tokens")


@login_required
def people(request: HttpRequest) -> HttpResponse:
    from core20.accounts.people import PeopleFilterForm, manageable_memberships

    where = sites_where(request.user, Permission.MEMBERSHIP_MANAGE)
    if where == set():
        raise PermissionDenied
    may_reset = _may_reset_two_factor(request.user)
    form = PeopleFilterForm(request.GET or None, by=request.user)
    memberships = form.filter(manageable_memberships(request.user))
    memberships = memberships.order_by("user__full_name", "role", "pk")
    if may_reset:
        authenticator = TOTPDevice.objects.filter(user=OuterRef("user_id"), confirmed=True)
        memberships = memberships.annotate(has_two_factor=Exists(authenticator))
    page = Paginator(memberships, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
            "all_sites": where is None,
            "may_reset_two_factor": may_reset,
        },
    )


PEOPLE_PER_PAGE = 50


def _may_reset_two_factor(user) -> bool:
    """National admins: the people who manage everyone's roles."""
    return has_permission(user, Permission.MEMBERSHIP_MANAGE)


@login_required
@require_POST
def two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove someone's authenticator (a lost phone) so they set it up again at sign-in."""
    if not _may_reset_two_factor(request.user):
        raise PermissionDenied
    person = get_object_or_404(User, pk=pk, is_active=True)
    try:
        actions.reset_two_factor(user=person, by=request.user, base=base_url(request))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"{person.full_name}'s two-factor sign-in has been reset. They will set it up again "
            "the next time they sign in, and we have emailed them to say so.",
        )
    return redirect("accounts:people")


@login_required
def person_invite(request: HttpRequest) -> HttpResponse:
    from core20.accounts.people import InviteForm, invite

    if sites_where(request.user, Permission.MEMBERSHIP_MANAGE) == set():
        raise PermissionDenied
    form = InviteForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = invite(
            full_name=data["full_name"],
            email=data["email"],
            role=data["role"],
            site=data.get("site"),
            organisation=data.get("organisation"),
            by=request.user,
            request=request,
        )
        messages.success(request, f"{user.full_name} now has the role {ROLES[data['role']].name}.")
        return redirect("accounts:people")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "Add a person",
            "intro": (
                "Give someone a role. If they are new to Core20 Connect, "
                "we email them a link to choose a password."
            ),
            "submit_label": "Add person",
            "cancel_url": reverse("accounts:people"),
            "breadcrumbs": [("People", reverse("accounts:people"))],
        },
    )


@login_required
@require_POST
def membership_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    from core20.accounts.people import may_manage_membership

    membership = get_object_or_404(
        Membership.objects.select_related("user", "site", "organisation"),
        pk=pk,
        ended_at__isnull=True,
    )
    if not may_manage_membership(request.user, membership):
        raise PermissionDenied
    actions.revoke_role(membership=membership, by=request.user)
    messages.success(
        request,
        f"{membership.user.full_name} no longer has the role {membership.get_role_display()}.",
    )
    return redirect("accounts:people")


@login_required
@require_POST
def person_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the invitation again to someone with a role here who has not signed in yet."""
    from core20.accounts.people import may_manage_membership, resend_invitation

    membership = get_object_or_404(
        Membership.objects.select_related("user", "site"), pk=pk, ended_at__isnull=True
    )
    if not may_manage_membership(request.user, membership):
        raise PermissionDenied
    name = membership.user.full_name
    try:
        resend_invitation(membership=membership, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            f"We have emailed {name} a new invitation to sign in. Its link works for 3 days.",
        )
    return redirect("accounts:people")
