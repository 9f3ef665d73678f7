import logging

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from core20.accounts import actions
from core20.accounts.models import ApiToken, User
from core20.mail import automated_email

logger = logging.getLogger(__name__)


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your site lead or the national team.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, its email built like every other the service sends (``core20.mail``).
    As in Django, a failure to send is logged and the page says the same as ever, so that
    nobody learns from it whether an address has an account."""

    def get_users(self, email):
        """Django's (active accounts with this address and a password), and also people
        invited who have not chosen a password yet: when the invitation's link has expired,
        "Forgotten your password?" is where they will go, and the link works the same."""
        email = email.strip().lower()
        for user in User.objects.filter(email__iexact=email, is_active=True):
            if user.email.lower() == email and (
                user.has_usable_password() or user.awaiting_first_sign_in
            ):
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        message = automated_email(
            subject=subject, template=email_template_name, context=context, to=to_email
        )
        try:
            message.send()
        except Exception:
            logger.exception("Failed to send password reset email to %s", context["user"].pk)


class NewPasswordForm(SetPasswordForm):
    """Choosing a password from an emailed link (a reset or an invitation), saved through
    ``actions.set_password`` so that it is audited and the person told."""

    error_messages = {
        "password_mismatch": "The two passwords are not the same. Enter the same one twice."
    }

    def __init__(self, user, *args, how: str = "reset", base: str, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.how = how
        self.base = base
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = "Enter the same password again."
        self.fields["new_password2"].error_messages["required"] = "Enter your new password again"

    def save(self, commit: bool = True) -> User:
        actions.set_password(
            user=self.user,
            password=self.cleaned_data["new_password1"],
            how=self.how,
            by=self.user,
            base=self.base,
        )
        return self.user


class ChangePasswordForm(NewPasswordForm):
    """Changing one's password while signed in: the current password first.

    The current password is checked through ``authenticate``, so wrong guesses count towards
    the same lock-out as at sign-in (django-axes) and appear in the audit log as failed
    sign-ins: someone at an unlocked computer cannot try passwords without limit.
    """

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["current_password", "new_password1", "new_password2"]

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, how="change", **kwargs)
        self.request = request
        self.order_fields(self.field_order)

    @sensitive_variables("password")
    def clean_current_password(self) -> str:
        password = self.cleaned_data["current_password"]
        checked = authenticate(self.request, username=self.user.get_username(), password=password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError("Your current password is not right. Enter it again.")
        return password


class TokenVerifyForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app.",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "nhsuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app.")
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code is not right or has expired. Enter the current code."
            )
        return token


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        help_text=(
            "What the token is for, so you can recognise it later. "
            "For example: monthly report script."
        ),
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The token name must be 100 characters or fewer",
        },
    )

    lifetime = forms.TypedChoiceField(
        label="How long should it work?",
        help_text="After this the token stops working and you create a new one.",
        choices=list(ApiToken.LIFETIMES.items()),
        coerce=int,
        initial=ApiToken.DEFAULT_LIFETIME,
        # The default is ticked on the page; a program posting without it gets the same.
        required=False,
        empty_value=ApiToken.DEFAULT_LIFETIME,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how long the token should work"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        in_use = ApiToken.objects.filter(
            user=self.user, name=name, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        if in_use.exists():
            raise forms.ValidationError(
                "You already have a token with this name. Choose another name."
            )
        return name


CHOOSE_FREQUENCY = "Choose how often we should email you what is waiting"


class DigestFrequencyForm(forms.Form):
    digest_frequency = forms.ChoiceField(
        label="How often should we email you what is waiting?",
        help_text=(
            "A list of what is waiting for you, as on your home page. "
            "We only send it when something is waiting."
        ),
        choices=User.DigestFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": CHOOSE_FREQUENCY, "invalid_choice": CHOOSE_FREQUENCY},
    )
