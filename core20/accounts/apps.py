from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "core20.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from core20.accounts import signals  # noqa: F401
