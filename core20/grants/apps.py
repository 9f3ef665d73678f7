from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "core20.grants"
    label = "grants"
    verbose_name = "Micro-grants"
