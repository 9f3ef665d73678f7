"""Two-factor enforcement for national roles.

A user whose roles require two-factor sign-in (or who has enrolled an authenticator) must
complete the second step before using anything except the sign-in, set-up and sign-out
pages. Enforced in middleware so that no view can forget it.
"""

from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/", "/account/sign-out/", "/account/two-factor/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")  # the API uses tokens, checked there
        ):
            from core20.accounts.two_factor import confirmed_totp_device

            if confirmed_totp_device(user) is not None:
                return redirect(
                    f"{reverse('accounts:two-factor-verify')}?next={request.get_full_path()}"
                )
            if user.requires_two_factor:
                return redirect(reverse("accounts:two-factor-setup"))
        return self.get_response(request)
