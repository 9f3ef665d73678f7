from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "core20.selection"
    label = "selection"
    verbose_name = "Calls, applications and selection panels"
