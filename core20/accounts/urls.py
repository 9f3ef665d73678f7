from django.urls import path

from core20.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignIn.as_view(), name="login"),
    path("sign-out/", views.SignOut.as_view(), name="logout"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("password-reset/", views.PasswordReset.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetSent.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetComplete.as_view(),
        name="password-reset-complete",
    ),
    path("", views.profile, name="profile"),
    path("password/", views.password_change, name="password-change"),
    path("api-tokens/", views.token_list, name="tokens"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("people/", views.people, name="people"),
    path("people/add/", views.person_invite, name="person-invite"),
    path("people/roles/<int:pk>/end/", views.membership_revoke, name="membership-revoke"),
    path("people/roles/<int:pk>/reinvite/", views.person_reinvite, name="person-reinvite"),
    path("people/<int:pk>/two-factor/reset/", views.two_factor_reset, name="two-factor-reset"),
]
