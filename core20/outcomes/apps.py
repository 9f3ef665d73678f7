from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "core20.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes and evaluation"
